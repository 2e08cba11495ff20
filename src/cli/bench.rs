use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum BenchCommand {
    Sync,
}

pub async fn run(_overrides: &hub::config::Overrides, _c: BenchCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("wip")
}
