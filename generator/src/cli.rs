//! Command-line interface: argument types (clap) and the commands they run. `main.rs` only parses.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::check::contract::Contract;
use crate::check::message::{Request, Response, parse_header};
use crate::check::report::Report;
use crate::error::ContractError;

/// Exit code: the message conforms.
pub const EXIT_CONFORMS: u8 = 0;
/// Exit code: the message does not conform.
pub const EXIT_VIOLATIONS: u8 = 1;
/// Exit code: usage or spec error; nothing was checked.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "contract",
    version,
    about = "OpenAPI 3.0 contracts for card-issuer APIs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check one recorded message (request or response) against a spec.
    ///
    /// Exit 0: conforms. Exit 1: does not conform (every violation is printed).
    /// Exit 2: usage or spec error (unknown route, unreadable spec, malformed JSON).
    Validate(ValidateArgs),
    /// Generate a validator crate and a client crate per spec. With no arguments: every spec in
    /// specs/ into generated/.
    ///
    /// What a spec says that cannot be generated is printed as a warning (`file: #pointer:
    /// message`) and left out. Exit 0: generated. Exit 2: usage or spec error, or a diagnostic
    /// with --strict; nothing was written then.
    Generate(GenerateArgs),
    /// Serve every spec as a stateful mock server (`contract mock --help` for its options).
    ///
    /// Runs the `contract-mock` executable (crate `mock/`, kept apart so this library needs no
    /// HTTP server stack), found beside this executable, then on PATH.
    Mock(MockArgs),
    /// Compare two specs (files or `git:REF:PATH`) and classify every change.
    ///
    /// Exit 0: nothing at or above --fail-on. Exit 1: changes at or above it. Exit 2: could not compare.
    Diff(crate::diff::DiffArgs),
    /// A partner changelog (Markdown or JSON) between two specs, breaking changes first.
    Changelog(crate::diff::changelog::ChangelogArgs),
    /// Gate CI on the contracts, configured by contract.toml ([check]): generated/ is fresh,
    /// every sample manifest holds, the HAR files named there conform (lint and diff plug in).
    ///
    /// Exit 0: nothing at or above --fail-on. Exit 1: findings at or above it. Exit 2: a part
    /// could not be checked (unreadable config, spec or file).
    Check(CheckArgs),
    /// Lint specs against Spectral's `spectral:oas` rules (OpenAPI 3.0) and our own `contract-`
    /// rules, configured by contract.toml. Exit 0: clean. Exit 1: findings at or above
    /// --fail-on. Exit 2: config error or a spec that could not be read.
    Lint(crate::lint::LintArgs),
    /// Partner copies of each spec: one self-contained OpenAPI 3.0.3 and 3.1.0 file per spec
    /// (external $refs inlined), internal extensions dropped unless --keep-internal.
    ///
    /// Exit 0: every copy written. Exit 2: a spec could not be published (file, line and
    /// pointer printed); nothing was written then.
    Bundle(crate::publish::bundle::BundleArgs),
    /// Write a static documentation site for partners (default: every spec in specs/), with
    /// local CSS, script and search, readable from file://. Exit 0: written. Exit 2: a spec
    /// could not be read or a file could not be written.
    Docs(crate::publish::docs::DocsArgs),
    /// The partner kit: per spec, the bundled copies (3.0.3 and 3.1.0), the docs site and the
    /// changelog against --base, each packed as a deterministic .tar.gz with SHA256SUMS.
    ///
    /// Exit 0: written. Exit 2: a spec could not be published; --out is left as it was.
    Publish(crate::publish::kit::PublishArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The configuration; paths in it are relative to its folder. Default: ./contract.toml if it
    /// exists, else the defaults (every spec in specs/, no HAR files).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The least severity that fails the check (error, warn, info, hint); overrides the config.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// The git ref the specs are diffed against (`origin/main`); overrides the config.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// One spec (any OpenAPI 3.0.x document); repeat for more. Default: every *.yaml in --specs-dir.
    #[arg(long, value_name = "FILE")]
    pub spec: Vec<PathBuf>,
    /// Where specs are found when --spec is not given.
    #[arg(long, value_name = "DIR", default_value = "specs")]
    pub specs_dir: PathBuf,
    /// The folder that receives the crates (`DIR/<name>-validator/`).
    #[arg(long, value_name = "DIR", default_value = "generated")]
    pub out: PathBuf,
    /// The crates' base name for the one --spec given (`NAME-validator`, `NAME-client`):
    /// lowercase ASCII words joined by `-`, starting with a letter. Default: from the file name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Treat diagnostics as errors: print them, write nothing, exit 2.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("message").required(true).args(["request", "response", "har"])))]
pub struct ValidateArgs {
    /// The OpenAPI 3.0 spec. With --har: repeat for more (default: every *.yaml in specs/).
    #[arg(long, value_name = "FILE")]
    pub spec: Vec<PathBuf>,
    /// The HTTP method of the request.
    #[arg(long, required_unless_present = "har", conflicts_with = "har")]
    pub method: Option<String>,
    /// The concrete request path (`/cards/activate/123`, with `?query` if any), or a full URL.
    #[arg(long, required_unless_present = "har", conflicts_with = "har")]
    pub path: Option<String>,
    /// Check every entry of a HAR 1.2 archive (request and response) against the spec serving
    /// its URL; entries for other hosts are listed as skipped. Exit 1 if any entry fails.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["request", "response", "headers"])]
    pub har: Option<PathBuf>,
    /// With --har and one --spec: another base URL the spec is served at (a local or staging
    /// server the traffic was recorded against); repeat for more.
    #[arg(long, value_name = "URL", requires = "har")]
    pub server: Vec<String>,
    /// Check a request body (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    pub request: Option<String>,
    /// Check a response body under its status (a code, a range such as 4XX, or default).
    #[arg(long, num_args = 2, value_names = ["STATUS", "FILE"])]
    pub response: Option<Vec<String>>,
    /// A request header, `Name: value`; repeat for more. With headers given, credentials are checked too.
    #[arg(long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// The one `--format` of every verb: human, json, sarif, junit, github.
pub use crate::findings::format::Format;

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Generate(args) => generate(&args),
        Command::Mock(args) => mock(&args),
        Command::Diff(args) => crate::diff::run(&args),
        Command::Changelog(args) => crate::diff::changelog::run(&args),
        Command::Check(args) => crate::gate::command(&args),
        Command::Validate(args) if args.har.is_some() => crate::check::har::command(&args),
        Command::Lint(args) => crate::lint::run(&args),
        Command::Docs(args) => crate::publish::docs::run(&args),
        Command::Publish(args) => crate::publish::kit::run(&args),
        Command::Bundle(args) => crate::publish::bundle::run(&args),
        Command::Validate(args) => match validate(&args) {
            Ok(report) => {
                print_report(&report, &args);
                ExitCode::from(if report.conforms() {
                    EXIT_CONFORMS
                } else {
                    EXIT_VIOLATIONS
                })
            }
            Err(error) => {
                print_error(&error, &args);
                ExitCode::from(EXIT_ERROR)
            }
        },
    }
}

fn generate(args: &GenerateArgs) -> ExitCode {
    let mut settings = crate::codegen::generate::Settings::new()
        .specs_dir(&args.specs_dir)
        .out_dir(&args.out)
        .strict(args.strict);
    for spec in &args.spec {
        settings = settings.spec(spec);
    }
    if let Some(name) = &args.name {
        settings = settings.name(name);
    }
    match settings.run() {
        Ok(report) => {
            for diagnostic in &report.diagnostics {
                eprintln!("warning: {diagnostic} (generated without it)");
            }
            for generated in &report.crates {
                println!(
                    "{}: {} from {} ({} written, {} unchanged, {} removed)",
                    generated.name,
                    generated.dir.display(),
                    generated.spec,
                    generated.written,
                    generated.unchanged,
                    generated.removed
                );
            }
            ExitCode::from(EXIT_CONFORMS)
        }
        Err(error) => {
            if let crate::codegen::generate::GenerateError::Strict(diagnostics) = &error {
                for diagnostic in diagnostics {
                    eprintln!("error: {diagnostic}");
                }
            }
            eprintln!("error: {error}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The `validate` command without printing: what a test or another tool calls.
pub fn validate(args: &ValidateArgs) -> Result<Report, ContractError> {
    let headers = args
        .headers
        .iter()
        .map(|text| parse_header(text))
        .collect::<Result<Vec<_>, _>>()?;
    let (method, path) = (
        args.method.as_deref().unwrap_or_default(),
        args.path.as_deref().unwrap_or_default(),
    );
    let [spec] = args.spec.as_slice() else {
        return Err(ContractError::Usage(format!(
            "give exactly one --spec to check one message ({} given)",
            args.spec.len()
        )));
    };
    let contract = Contract::load(spec)?;
    if let Some(file) = &args.request {
        let mut request = Request::new(method, path);
        request.body = read_body(file)?;
        if !headers.is_empty() {
            request.headers = Some(headers);
        }
        return contract.validate_request(&request);
    }
    let (status, file) = match args.response.as_deref() {
        Some([status, file]) => (status, file),
        _ => unreachable!("clap requires --request or --response STATUS FILE"),
    };
    crate::check::message::check_status(status)?;
    let mut response = Response::new(method, path, status.clone());
    response.body = read_body(file)?;
    contract.validate_response(&response)
}

/// Reads a message body: an empty file (or only whitespace) is a message without a body, which
/// conforms where the spec documents no content; anything else must be JSON.
pub fn read_body(file: &str) -> Result<Option<serde_json::Value>, ContractError> {
    let text = read_text(file)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    ContractError::parse_json(source_label(file), &text).map(Some)
}

fn source_label(file: &str) -> &str {
    if file == "-" { "<stdin>" } else { file }
}

/// A file's text (`-` for standard input).
fn read_text(file: &str) -> Result<String, ContractError> {
    let io = |source| ContractError::Io {
        source_name: source_label(file).to_owned(),
        source,
    };
    if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(io)?;
        Ok(text)
    } else {
        std::fs::read_to_string(file).map_err(io)
    }
}

/// Reads and parses a JSON file (`-` for standard input).
pub fn read_json(file: &str) -> Result<serde_json::Value, ContractError> {
    ContractError::parse_json(source_label(file), &read_text(file)?)
}

/// What a single-message check is called in the CI formats: `POST /cards/activate/123 request`.
fn validate_subject(args: &ValidateArgs) -> String {
    let message = match args.response.as_deref() {
        Some([status, _]) => format!("response {status}"),
        _ => "request".to_owned(),
    };
    format!(
        "{} {} {message}",
        args.method
            .as_deref()
            .unwrap_or_default()
            .to_ascii_uppercase(),
        args.path.as_deref().unwrap_or_default()
    )
}

fn print_report(report: &Report, args: &ValidateArgs) {
    let text = match args.format {
        Format::Human => report.to_string(),
        Format::Json => serde_json::to_string_pretty(report)
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}")),
        format => {
            let spec = args.spec.first().cloned().unwrap_or_default();
            let source = crate::spec::spans::SourceMap::load(&spec);
            let mut section = crate::findings::Section::new(
                crate::findings::Part::Validate,
                validate_subject(args),
            );
            let prefix = if args.request.is_some() {
                "request"
            } else {
                "response"
            };
            section.findings = crate::check::har::report_findings(report, &spec, &source, prefix);
            crate::findings::format::render(&[section], format, crate::findings::Severity::Error)
        }
    };
    if let Err(error) = crate::findings::format::print(&text) {
        eprintln!("error: cannot write the report: {error}");
    }
}

fn print_error(error: &ContractError, args: &ValidateArgs) {
    let text = match args.format {
        Format::Human => {
            eprintln!("error: {error}");
            return;
        }
        Format::Json => serde_json::json!({
            "error": { "kind": error.kind(), "message": error.to_string() }
        })
        .to_string(),
        format => {
            let mut section = crate::findings::Section::new(
                crate::findings::Part::Validate,
                validate_subject(args),
            );
            section.error = Some(error.to_string());
            crate::findings::format::render(&[section], format, crate::findings::Severity::Error)
        }
    };
    if let Err(error) = crate::findings::format::print(&text) {
        eprintln!("error: cannot write the report: {error}");
    }
}

#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct MockArgs {
    /// Passed to `contract-mock` unchanged.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<std::ffi::OsString>,
}

/// `contract mock ARGS...` becomes `contract-mock ARGS...`: on Unix the process is replaced, so
/// Ctrl-C reaches the server alone and its graceful shutdown decides the exit.
fn mock(args: &MockArgs) -> ExitCode {
    let name = format!("contract-mock{}", std::env::consts::EXE_SUFFIX);
    let program = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from(&name));
    let mut command = std::process::Command::new(&program);
    command.args(&args.args);
    #[cfg(unix)]
    let error = std::os::unix::process::CommandExt::exec(&mut command);
    #[cfg(not(unix))]
    let error = match command.status() {
        Ok(status) => {
            let code = status.code().and_then(|code| u8::try_from(code).ok());
            return ExitCode::from(code.unwrap_or(EXIT_ERROR));
        }
        Err(error) => error,
    };
    eprintln!(
        "error: cannot run {}: {error}; build it with `cargo build -p contract-mock` \
         (or install it with `cargo install --path mock`)",
        program.display()
    );
    ExitCode::from(EXIT_ERROR)
}
