//! The `contract` command line: parse arguments, hand over to [`contract::cli::run`].

use clap::Parser;

/// Most of the work is building and dropping small strings, maps and trees; mimalloc does that
/// much faster than glibc malloc (generation and lint on the 100x spec: see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    contract::cli::run(contract::cli::Cli::parse())
}
