//! `hub export resolution`: one row per resolved mention, for evaluation.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use hub::config::Overrides;
use hub::ingest::resolution::Resolving;
use hub::resolve::address::AddressLevel;

#[derive(clap::Subcommand)]
pub enum ExportCommand {
    /// `kind,source,record_id,mention,entity` for every person and address mention.
    Resolution {
        #[arg(long)]
        out: PathBuf,
        /// Label addresses at this level (room, building, site, community);
        /// default: the finest level each mention names.
        #[arg(long, value_parser = parse_level)]
        address_level: Option<AddressLevel>,
    },
}

pub fn parse_level(s: &str) -> Result<AddressLevel, String> {
    match s {
        "room" => Ok(AddressLevel::Room),
        "building" => Ok(AddressLevel::Building),
        "site" => Ok(AddressLevel::Site),
        "community" => Ok(AddressLevel::Community),
        other => Err(format!(
            "`{other}` is not an address level (expected room, building, site or community)"
        )),
    }
}

pub async fn run(overrides: &Overrides, command: ExportCommand) -> anyhow::Result<ExitCode> {
    let ExportCommand::Resolution { out, address_level } = command;
    let settings = super::settings(overrides)?;
    let store = super::open_store(&settings).await?;
    let mut r = Resolving::open(&store, &settings.resolve).await?;
    r.drain(&store).await?;
    let rows = r.export_rows(address_level);
    write_rows(&out, &rows).with_context(|| format!("writing {}", out.display()))?;
    println!("{} rows written to {}", rows.len(), out.display());
    Ok(ExitCode::SUCCESS)
}

pub fn write_rows(
    out: &std::path::Path,
    rows: &[hub::ingest::resolution::ExportRow],
) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(out)?;
    w.write_record(["kind", "source", "record_id", "mention", "entity"])?;
    for r in rows {
        w.write_record([
            r.kind,
            r.source.as_str(),
            &r.record_id,
            &r.mention,
            &r.entity,
        ])?;
    }
    w.flush()?;
    Ok(())
}
