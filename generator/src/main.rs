//! The `contract` command line: parse arguments, hand over to [`contract::cli::run`].

use clap::Parser;

fn main() -> std::process::ExitCode {
    contract::cli::run(contract::cli::Cli::parse())
}
