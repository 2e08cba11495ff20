//! `hub eval`: resolution quality against the simulator's truth.

use std::path::PathBuf;
use std::process::ExitCode;

use hub::config::Overrides;
use hub::evaluation::{EvalReport, Labels, evaluate, read_labels, restrict_to, truth_labels};
use hub::ingest::resolution::{Resolving, level_name};
use hub::resolve::address::AddressLevel;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Folder with the simulator's truth.csv and truth_addresses.csv.
    #[arg(long)]
    pub truth: PathBuf,
    /// Score this export instead of the store's current entities.
    #[arg(long)]
    pub export: Option<PathBuf>,
    /// Address level to score at (room, building, site, community).
    #[arg(long, default_value = "building", value_parser = super::export::parse_level)]
    pub address_level: AddressLevel,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(overrides: &Overrides, args: EvalArgs) -> anyhow::Result<ExitCode> {
    let mut truth = truth_labels(&args.truth, Some(level_name(args.address_level)))?;
    let (predicted, conflicts): (Labels, Option<usize>) = match &args.export {
        Some(path) => (read_labels(path)?, None),
        None => {
            let settings = super::settings(overrides)?;
            let store = super::open_store(&settings).await?;
            let mut r = Resolving::open(&store, &settings.resolve).await?;
            r.drain(&store).await?;
            let labels = r.labels(Some(args.address_level));
            restrict_to(&mut truth, &r.records());
            (labels, Some(r.id_conflicts()))
        }
    };
    let report = evaluate(&truth, &predicted);
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "address_level": level_name(args.address_level),
                "persons": report.persons,
                "addresses": report.addresses,
                "id_conflicts": conflicts,
            })
        );
    } else {
        print_report(&report, level_name(args.address_level));
        if let Some(c) = conflicts {
            println!("entities holding two different valid ID numbers: {c}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn print_report(r: &EvalReport, level: &str) {
    println!(
        "{:<22} {:>9} {:>10} {:>8} {:>8} {:>10} {:>8} {:>8}",
        "", "mentions", "pair P", "pair R", "pair F1", "B³ P", "B³ R", "B³ F1"
    );
    for (name, q) in [
        ("persons".to_string(), &r.persons),
        (format!("addresses ({level})"), &r.addresses),
    ] {
        println!(
            "{:<22} {:>9} {:>10.4} {:>8.4} {:>8.4} {:>10.4} {:>8.4} {:>8.4}",
            name,
            q.mentions,
            q.pairwise.precision,
            q.pairwise.recall,
            q.pairwise.f1,
            q.bcubed.precision,
            q.bcubed.recall,
            q.bcubed.f1
        );
    }
}
