//! The `contract-mock` binary (also reached as `contract mock`): parses and calls `cli::run`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    contract_mock::cli::run(contract_mock::cli::MockArgs::parse())
}
