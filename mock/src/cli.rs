//! Command line of the mock (`contract mock ...` / `contract-mock ...`): arguments, loading the
//! providers, and running the server until Ctrl-C. Errors are printed with their file; nothing
//! here decides an answer.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::provider::Provider;
use crate::scenario;
use crate::server::{Config, Latency};

/// Serve every spec as a stateful mock: requests checked by the contract, answers documented.
#[derive(Debug, Parser)]
#[command(name = "contract mock", version)]
pub struct MockArgs {
    /// A spec to serve; repeat for more. Default: every *.yaml in --specs-dir.
    #[arg(long, value_name = "FILE")]
    pub spec: Vec<PathBuf>,
    /// Where specs are found when --spec is not given (scenario files are in DIR/mock/).
    #[arg(long, value_name = "DIR", default_value = "specs")]
    pub specs_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub listen: SocketAddr,
    /// Seed cards, `{provider: [{id, state, code}]}` (YAML), replacing the scenario files' cards.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Seed of every random choice (generated bodies, latency, injected errors).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Added latency in milliseconds: `200` or a uniform range `50-300`.
    #[arg(long, value_name = "MS")]
    pub latency: Option<Latency>,
    /// Fraction (0 to 1) of requests answered with a documented 429 (Retry-After), 500 or 503.
    #[arg(long, default_value_t = 0.0)]
    pub error_rate: f64,
    /// Largest request body in bytes (413 beyond).
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Longest request URI in bytes (414 beyond).
    #[arg(long, default_value_t = 8 << 10)]
    pub max_uri: usize,
    /// Largest header section in bytes (at least 8192; larger requests are refused by hyper with 431).
    #[arg(long, default_value_t = 16 << 10)]
    pub max_header_bytes: usize,
    /// Seconds a client may take to send its headers, and then its body.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Write the traffic as HAR 1.2 to this file when the server stops.
    #[arg(long, value_name = "FILE.har")]
    pub record: Option<PathBuf>,
}

/// Loads the providers a command line names, with a `--state` file applied.
pub fn providers(args: &MockArgs) -> Result<Vec<Provider>, String> {
    let specs = if args.spec.is_empty() {
        contract::codegen::generate::Settings::new()
            .specs_dir(&args.specs_dir)
            .spec_paths()
            .map_err(|error| error.to_string())?
    } else {
        args.spec.clone()
    };
    let mut providers = Vec::new();
    for spec in &specs {
        let provider = Provider::load(spec).map_err(|error| error.to_string())?;
        if providers.iter().any(|p: &Provider| p.name == provider.name) {
            return Err(format!(
                "{}: two specs give the prefix /{}",
                spec.display(),
                provider.name
            ));
        }
        providers.push(provider);
    }
    if let Some(file) = &args.state {
        let seeds = scenario::load_seeds(file).map_err(|error| error.to_string())?;
        for (name, cards) in seeds {
            let provider = providers
                .iter_mut()
                .find(|provider| provider.name == name)
                .ok_or_else(|| format!("{}: no provider `{name}` is loaded", file.display()))?;
            provider.set_seeds(cards);
        }
    }
    Ok(providers)
}

pub fn run(args: MockArgs) -> ExitCode {
    if !(0.0..=1.0).contains(&args.error_rate) {
        eprintln!("error: --error-rate must be between 0 and 1");
        return ExitCode::from(2);
    }
    let providers = match providers(&args) {
        Ok(providers) => providers,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::new(providers);
    config.listen = args.listen;
    config.seed = args.seed;
    config.latency = args.latency.unwrap_or_default();
    config.error_rate = args.error_rate;
    config.max_body = args.max_body;
    config.max_uri = args.max_uri;
    config.max_header_bytes = args.max_header_bytes;
    config.header_timeout = Duration::from_secs(args.timeout.max(1));
    config.body_timeout = Duration::from_secs(args.timeout.max(1));
    config.record = args.record;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::from(2);
        }
    };
    let outcome = runtime.block_on(async move {
        let names: Vec<String> = config
            .providers
            .iter()
            .map(|p| format!("/{}", p.name))
            .collect();
        let running = crate::server::start(config).await?;
        eprintln!(
            "contract mock: listening on http://{} ({}); Ctrl-C stops",
            running.addr(),
            names.join(", ")
        );
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("contract mock: stopping");
        running.shutdown().await
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
