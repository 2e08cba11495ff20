use std::process::ExitCode;

#[derive(clap::Args)]
pub struct DemoArgs {}

pub async fn run(_overrides: &hub::config::Overrides, _args: DemoArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("wip")
}
