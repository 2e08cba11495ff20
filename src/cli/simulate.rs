use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SimulateArgs {}

pub async fn run(_args: SimulateArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("wip")
}
