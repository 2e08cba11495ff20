#!/usr/bin/env python3
"""Splink 5 (DuckDB backend) peer for the hub's person-deduplication benchmark.

Reads the hub's person-mention CSV, trains a Fellegi-Sunter model, predicts
pairwise matches, clusters them at --threshold and writes `unique_id,cluster_id`.
The last stdout line is one JSON summary; all other logging goes to stderr.
See README.md next to this file for the model choices.
"""
import argparse
import json
import logging
import resource
import sys
import tempfile
import time

import duckdb
import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

log = logging.getLogger("link_persons")

TEXT_COLS = ["source", "record_id", "mention", "name", "surname", "name_pinyin", "sex",
             "phone", "id_full", "id_masked_key", "birth_date", "county"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--input", required=True, help="person-mention CSV from the hub")
    p.add_argument("--out", required=True, help="output CSV: unique_id,cluster_id")
    p.add_argument("--threshold", type=float, default=0.9, help="match probability cut")
    p.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    p.add_argument("--max-block", type=int, default=300,
                   help="phone / pinyin values shared by more rows are not used as blocks")
    p.add_argument("--u-pairs", type=float, default=5e6, help="pairs sampled for u")
    p.add_argument("--db", default=":memory:",
                   help="DuckDB database (':memory:' or a file path to work on disk)")
    p.add_argument("--decontaminate-u", action="store_true",
                   help="experimental: remove true duplicates' share from sampled u "
                        "(see decontaminate_u; needs --u-pairs >= 2e7 at 1M rows)")
    p.add_argument("--model-json", help="also save the trained Splink model here")
    p.add_argument("--blocking-report", action="store_true",
                   help="log the comparison count of every prediction blocking rule")
    return p.parse_args()


def load(con, path, max_block):
    """CSV -> DuckDB table `persons`. Everything is read as text so IDs with an
    'X' check digit and landlines keep their form; blanks become NULL (Splink's
    null levels rely on it). Two extra blocking keys drop values shared by more
    than `max_block` rows: a phone or a pinyin that common (a switchboard, a
    'zhang wei') would produce O(n^2) pairs and carries little evidence anyway."""
    cols = ",\n".join(f"NULLIF(TRIM({c}), '') AS {c}" for c in TEXT_COLS)
    src = path.replace("'", "''")
    con.execute(f"""
        CREATE TABLE persons AS
        WITH raw AS (
            SELECT CAST(unique_id AS BIGINT) AS unique_id, {cols}
            FROM read_csv('{src}', header = true, all_varchar = true,
                          delim = ',', quote = '"', escape = '"')
        )
        SELECT *,
          CASE WHEN count(*) OVER (PARTITION BY phone) <= {max_block}
               THEN phone END AS phone_blk,
          CASE WHEN count(*) OVER (PARTITION BY name_pinyin) <= {max_block}
               THEN name_pinyin END AS pinyin_blk
        FROM raw""")


def settings():
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            # No full name and no surname on one side (匿名 / empty): no evidence.
            cll.CustomLevel("(name_l IS NULL OR name_r IS NULL) AND "
                            "(surname_l IS NULL OR surname_r IS NULL)",
                            "no name").configure(is_null_level=True),
            # Common names (张伟) should count for less than rare ones: TF on name.
            cll.ExactMatchLevel("name", term_frequency_adjustments=True),
            # Homophone typos (张伟/张巍) share the toneless pinyin.
            cll.ExactMatchLevel("name_pinyin"),
            # Fuzzy on pinyin, not on Hanzi: DuckDB's string distances work on
            # UTF-8 bytes, which is meaningless for CJK, while pinyin is ASCII.
            cll.JaroWinklerLevel("name_pinyin", 0.95),
            cll.JaroWinklerLevel("name_pinyin", 0.88),
            # 张先生 vs 张伟: only the surname can be compared.
            cll.CustomLevel("(name_l IS NULL OR name_r IS NULL) AND surname_l = surname_r",
                            "surname only (honorific)"),
            # Same surname, different given name: typically another household member.
            cll.CustomLevel("surname_l = surname_r", "same surname, other given name"),
            cll.ElseLevel(),
        ])
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name,
            # A household shares a phone, so agreement is weaker evidence than its
            # population-wide u suggests: TF discounts phones used by many rows, and
            # no EM session blocks on phone alone (see main), so EM cannot mistake
            # "same household" for "same person".
            cl.CustomComparison(output_column_name="phone", comparison_levels=[
                cll.NullLevel("phone"),
                cll.ExactMatchLevel("phone", term_frequency_adjustments=True),
                cll.ElseLevel()]),
            # Exact, then a 1- or 2-character typo (e.g. a wrong check digit).
            cl.LevenshteinAtThresholds("id_full", [1, 2]),
            # Masked key, birth date and sex are derived from the same ID, so they
            # re-count it when full IDs agree (Splink assumes independence). That
            # only makes certain pairs more certain; they matter when full IDs are
            # missing, masked or mistyped.
            cl.ExactMatch("id_masked_key"),
            cl.LevenshteinAtThresholds("birth_date", 1),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id_full"),
            block_on("id_masked_key"),
            block_on("phone_blk"),
            block_on("pinyin_blk"),
            # Catch full IDs with a typo in the last 4 / county digits.
            block_on("birth_date", "county"),
            block_on("surname", "birth_date"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def decontaminate_u(linker, sdf, u_pairs):
    """Random pairs are not all non-matches: with several mentions per person a
    fraction lambda of them are true duplicates, so the sampled u of an
    identifier level is about lambda*m + (1-lambda)*u_true. For a full ID the
    first term dominates, which caps its Bayes factor near 1/lambda and leaves
    'same ID, nothing else' at p~0.5 at any data size. Undo the mixture with the
    trained lambda and m; an estimate at or below zero is floored at one pair in
    the sample (the resolution of the estimate). Uses the model JSON round trip
    (save_model_to_json -> Linker(settings=dict)), the public way to edit a model.
    Off by default: in practice the ID-derived comparisons (masked key, birth
    date, sex) agree along with the ID and already push such pairs over the
    threshold, so the gain is 0.5-2 F1 points on synthetic data, while with a
    small u sample the subtraction is noisy (at 1M rows and 5e6 pairs it floored
    the masked-key u and merged households: pairwise precision fell to 0.74)."""
    model = linker.misc.save_model_to_json()
    lam = model["probability_two_random_records_match"]
    for comp in model["comparisons"]:
        for lvl in comp["comparison_levels"]:
            if lvl.get("is_null_level"):
                continue
            # A level never seen by EM among matches (or by the u sample) would get
            # Splink's generic default after the reload; use Splink's own in-memory
            # value for 'not observed' (m=1e-6) and the sample's resolution for u.
            m = lvl.setdefault("m_probability", 1e-6)
            u = lvl.get("u_probability", 0.0)
            lvl["u_probability"] = max((u - lam * m) / (1 - lam), 1 / u_pairs)
    return Linker(sdf, model, log_level=logging.WARNING)


def main():
    args = parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")
    t0 = time.perf_counter()

    # A private spill directory lets DuckDB go out of core if memory runs short.
    tmp = tempfile.TemporaryDirectory(prefix="splink-duckdb-")
    con = duckdb.connect(args.db)
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"SET temp_directory = '{tmp.name}'")
    con.execute("SET enable_progress_bar = false")  # keep stdout for the JSON line
    load(con, args.input, args.max_block)
    n_rows, n_id = con.execute("SELECT count(*), count(id_full) FROM persons").fetchall()[0]
    t_load = time.perf_counter()
    log.info("loaded %d rows in %.1fs", n_rows, t_load - t0)

    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register("persons")
    linker = Linker(sdf, settings(), log_level=logging.WARNING)

    if args.blocking_report:
        recs = linker.blocking_analysis.count_comparisons_from_blocking_rules(
            record_sample_proportion=1.0)
        for r in recs:
            log.info("blocking %-45s +%12d  cum %12d", r["blocking_rule"],
                     r["marginal_comparison_count"], r["cumulative_comparison_count"])

    # lambda: pairs sharing a full ID are (nearly) certain matches; such a rule
    # finds a true pair only if both mentions carry the ID without typo, so its
    # recall is about share_with_id^2 (missing IDs are independent per mention).
    # (Without any full ID fall back to name + phone, guessed at 50 % recall.)
    share = n_id / max(n_rows, 1)
    rule, recall = ((block_on("id_full"), min(0.95, 0.97 * share * share)) if share > 0.05
                    else (block_on("name", "phone"), 0.5))
    linker.training.estimate_probability_two_random_records_match([rule], recall=recall)
    # u from random pairs, which Splink takes to be non-matches (see decontaminate_u).
    linker.training.estimate_u_using_random_sampling(max_pairs=args.u_pairs, seed=42)
    # m by EM on two blocks that hold (almost) only same-person pairs: same full
    # ID trains everything but id_full; same name + same phone trains id_full (and
    # the rest again). Blocking on phone alone lets EM learn "same household" as the
    # match class (households share phones and surnames), which ruins the m values.
    for rule in (block_on("id_full"), block_on("name", "phone")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=2e6, record_sample_proportion=0.05)
    if args.decontaminate_u:
        linker = decontaminate_u(linker, sdf, args.u_pairs)
    t_train = time.perf_counter()
    if args.model_json:
        linker.misc.save_model_to_json(args.model_json, overwrite=True)
    log.info("trained in %.1fs", t_train - t_load)

    pred = linker.inference.predict(threshold_match_probability=args.threshold,
                                    warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=args.threshold)
    n_pairs = con.execute(f"SELECT count(*) FROM {pred.physical_name}").fetchall()[0][0]
    out = args.out.replace("'", "''")
    con.execute(f"""COPY (SELECT unique_id, cluster_id FROM {clusters.physical_name}
                         ORDER BY unique_id) TO '{out}' (HEADER, DELIMITER ',')""")
    n_out, n_clusters = con.execute(
        f"SELECT count(*), count(DISTINCT cluster_id) FROM {clusters.physical_name}").fetchall()[0]
    wall = time.perf_counter() - t0
    log.info("predicted %d pairs >= %.3f, %d clusters; predict+cluster %.1fs",
             n_pairs, args.threshold, n_clusters, wall - (t_train - t0))
    if n_out != n_rows:
        raise SystemExit(f"clustering returned {n_out} rows for {n_rows} inputs")

    con.close()
    tmp.cleanup()
    print(json.dumps({
        "rows": n_rows, "clusters": n_clusters, "wall_seconds": round(wall, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "splink_version": splink.__version__, "threshold": args.threshold}))


if __name__ == "__main__":
    main()
