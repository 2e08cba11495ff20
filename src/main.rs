//! `hub`: the command line. Parses arguments, loads settings, calls into the library.

mod cli;

// Resolution holds a million small strings and vectors while building and
// freeing larger ones; glibc's allocator kept about 440 MiB more resident
// than mimalloc for the same heap (`bench resolve`), and sync runs a few
// per cent faster with it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h's option list: how long freed memory that was not
/// reused stays committed before it goes back to the kernel, in milliseconds.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// A sync frees and allocates its batches' strings every few hundred milliseconds. After
/// mimalloc's default second unused, that memory went back to the kernel and came back
/// zero-filled by page faults, over and over: 2.6% of a sync's profile, 0.45% with ten
/// seconds (`bench sync` with purging off altogether: about 4% faster over alternating runs,
/// 40–60 MiB more at the peak). Ten seconds still return what a finished resolution or a
/// quiet `--follow` no longer holds.
fn keep_freed_memory_for_reuse() {
    // SAFETY: setting an option is allowed at any time; the option and its unit are
    // mimalloc's public API.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 10_000) }
}

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "hub",
    version,
    about = "综治 data-integration hub: 12345, 110 and 信访 in one store, served over GraphQL"
)]
struct Args {
    /// Settings file (default: ./hub.toml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER:PASSWORD@HOST/DB (env HUB_DATABASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Address for the GraphQL server, host:port (env HUB_LISTEN).
    #[arg(long, global = true, value_name = "ADDR")]
    listen: Option<String>,
    /// Folder of connector files (env HUB_CONNECTORS_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    connectors_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every enabled connector once (or keep polling with --follow).
    Sync(cli::sync::SyncArgs),
    /// Per connector: records synced, checkpoint, lag, last error, quarantine size.
    Status,
    /// Rows that could not be stored: list them, or retry them after a config fix.
    Quarantine {
        #[command(subcommand)]
        command: cli::quarantine::QuarantineCommand,
    },
    /// Resolve queued events into persons and places (or rebuild all entities).
    Resolve(cli::resolve::ResolveArgs),
    /// Write data out: `hub export resolution --out FILE.csv`.
    Export {
        #[command(subcommand)]
        command: cli::export::ExportCommand,
    },
    /// The situation report (社会治安形势分析报告): `hub report daily --date 2026-12-01 --format html,xlsx`; `hub report list`.
    Report {
        #[command(subcommand)]
        command: cli::report::ReportCommand,
    },
    /// Score resolution against the simulator's truth (pairwise and B-cubed).
    Eval(cli::eval::EvalArgs),
    /// Serve the GraphQL API (and keep syncing with --sync).
    Serve(cli::serve::ServeArgs),
    /// Generate a seeded synthetic city in the shapes of the three feeds, and serve it.
    Simulate(cli::simulate::SimulateArgs),
    /// Simulator + sync + GraphQL on SQLite in one command, for a first look.
    Demo(cli::demo::DemoArgs),
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    Schema,
    /// Release-build benchmarks (not tests): `hub bench sync`.
    Bench {
        #[command(subcommand)]
        command: cli::bench::BenchCommand,
    },
}

fn main() -> ExitCode {
    keep_freed_memory_for_reuse();
    let args = Args::parse();
    cli::init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime starts");
    let overrides = hub::config::Overrides {
        config_file: args.config,
        database_url: args.database_url,
        listen: args.listen,
        connectors_dir: args.connectors_dir,
    };
    let result = runtime.block_on(async move {
        match args.command {
            Command::Sync(a) => cli::sync::run(&overrides, a).await,
            Command::Status => cli::status::run(&overrides).await,
            Command::Quarantine { command } => cli::quarantine::run(&overrides, command).await,
            Command::Resolve(a) => cli::resolve::run(&overrides, a).await,
            Command::Export { command } => cli::export::run(&overrides, command).await,
            Command::Report { command } => cli::report::run(&overrides, command).await,
            Command::Eval(a) => cli::eval::run(&overrides, a).await,
            Command::Serve(a) => cli::serve::run(&overrides, a).await,
            Command::Simulate(a) => cli::simulate::run(a).await,
            Command::Demo(a) => cli::demo::run(&overrides, a).await,
            Command::Schema => {
                print!("{}", hub::graphql::sdl());
                Ok(ExitCode::SUCCESS)
            }
            Command::Bench { command } => cli::bench::run(&overrides, command).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    }

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc's default purge delay is one second: read back under the number the hub
        // sets, that value shows the number still names the purge delay.
        // SAFETY: reading and setting options is mimalloc's public API.
        let before = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            before, 1000,
            "option {MI_OPTION_PURGE_DELAY} is not the purge delay"
        );
        keep_freed_memory_for_reuse();
        assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, 10_000);
    }
}
