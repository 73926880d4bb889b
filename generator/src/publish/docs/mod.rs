//! `contract docs`: a static documentation site for partners, one page per spec plus an index,
//! with its CSS, script and search index as local files (nothing is fetched at view time, so it
//! works from `file://` and any static host). Output is a pure function of the specs: same
//! input, same bytes. Must not change a spec, and must not read OpenAPI semantics itself (the
//! view model reads the contract and `spec::convert`).
//!
//! Layout of `--out DIR`: `index.html`, `<name>.html` per spec (`name` is the crate base name,
//! also the spec's `contract mock` prefix), `assets/site.css`, `assets/site.js`,
//! `assets/search-index.js` (assigns `window.CONTRACT_SEARCH`).

pub mod anchor;
pub mod examples;
pub mod schema;
pub mod view;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use askama::Template;
use clap::Args;
use serde::Serialize;

use crate::check::contract::Contract;
use crate::error::SpecError;

use view::Provider;

const SITE_CSS: &str = include_str!("../../../templates/docs/assets/site.css");
const SITE_JS: &str = include_str!("../../../templates/docs/assets/site.js");

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// The specs to document. Default: every *.yaml in specs/.
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// The folder that receives the site (created if missing; files of the site are overwritten).
    #[arg(long, value_name = "DIR", default_value = "target/docs-site")]
    pub out: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    #[error("rendering {page}: {source}")]
    Render { page: String, source: askama::Error },
}

/// What a run wrote.
#[derive(Debug)]
pub struct Written {
    pub files: Vec<PathBuf>,
}

/// Every file of the site, in memory: (path relative to the site root, bytes).
pub fn render(specs: &[PathBuf]) -> Result<Vec<(String, String)>, DocsError> {
    let mut providers: Vec<Provider> = Vec::with_capacity(specs.len());
    for spec in specs {
        let contract = Contract::load(spec)?;
        let provider = view::provider(&contract);
        if let Some(other) = providers.iter().find(|other| other.name == provider.name) {
            return Err(DocsError::Usage(format!(
                "{} and {} would both be documented as `{}`; rename one file",
                other.source, provider.source, provider.name
            )));
        }
        providers.push(provider);
    }
    let mut files = Vec::with_capacity(providers.len() + 4);
    let index = IndexPage {
        providers: &providers,
    };
    files.push((
        "index.html".to_owned(),
        render_page("index.html", index.render())?,
    ));
    for provider in &providers {
        let page = ProviderPage {
            provider,
            providers: &providers,
        };
        let file = format!("{}.html", provider.name);
        let html = render_page(&file, page.render())?;
        files.push((file, html));
    }
    files.push(("assets/site.css".to_owned(), SITE_CSS.to_owned()));
    files.push(("assets/site.js".to_owned(), SITE_JS.to_owned()));
    files.push((
        "assets/search-index.js".to_owned(),
        search_index(&providers),
    ));
    Ok(files)
}

/// Renders the site into `out`.
pub fn build(specs: &[PathBuf], out: &Path) -> Result<Written, DocsError> {
    let files = render(specs)?;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| DocsError::Io { path, source }
    };
    let assets = out.join("assets");
    std::fs::create_dir_all(&assets).map_err(io(&assets))?;
    let mut written = Written {
        files: Vec::with_capacity(files.len()),
    };
    for (name, text) in files {
        let path = out.join(&name);
        std::fs::write(&path, text).map_err(io(&path))?;
        written.files.push(path);
    }
    Ok(written)
}

fn render_page(page: &str, result: askama::Result<String>) -> Result<String, DocsError> {
    result.map_err(|source| DocsError::Render {
        page: page.to_owned(),
        source,
    })
}

/// One search entry: kind (`operation`, `schema`, `error`), the text searched and shown, a
/// second line, and the link.
#[derive(Serialize)]
struct Entry<'a> {
    k: &'static str,
    t: &'a str,
    s: String,
    u: String,
}

/// The search index as a script assigning a global: a `<script src>` loads from `file://`,
/// where a fetched JSON file would be refused.
fn search_index(providers: &[Provider]) -> String {
    let mut entries = Vec::new();
    for provider in providers {
        let page = format!("{}.html", provider.name);
        for operation in &provider.operations {
            entries.push(Entry {
                k: "operation",
                t: &operation.key,
                s: format!(
                    "{} {} {} · {}",
                    provider.name, operation.method, operation.path, operation.summary
                ),
                u: format!("{page}#{}", operation.anchor),
            });
            for error in &operation.errors {
                if error.code.is_empty() {
                    continue;
                }
                entries.push(Entry {
                    k: "error",
                    t: &error.code,
                    s: format!(
                        "{} {} {} · {}",
                        provider.name, error.status, operation.key, error.message
                    ),
                    u: format!(
                        "{page}{}",
                        error
                            .example_href
                            .clone()
                            .unwrap_or_else(|| format!("#{}", operation.anchor))
                    ),
                });
            }
        }
        for schema in &provider.schemas {
            entries.push(Entry {
                k: "schema",
                t: &schema.name,
                s: format!("{} schema", provider.name),
                u: format!("{page}#{}", schema.anchor),
            });
        }
    }
    // `<` escaped, so the index stays inert even if someone inlines it in a page.
    let json = serde_json::to_string(&entries)
        .unwrap_or_else(|_| "[]".to_owned())
        .replace('<', "\\u003c");
    format!(
        "// Generated by `contract docs`: the site's search index.\nwindow.CONTRACT_SEARCH = {json};\n"
    )
}

#[derive(Template)]
#[template(path = "docs/index.html")]
struct IndexPage<'a> {
    providers: &'a [Provider],
}

#[derive(Template)]
#[template(path = "docs/provider.html")]
struct ProviderPage<'a> {
    provider: &'a Provider,
    providers: &'a [Provider],
}

/// `contract docs`: builds the site; exit 0 written, 2 on a spec or write error.
pub fn run(args: &DocsArgs) -> ExitCode {
    let specs = if args.specs.is_empty() {
        match crate::codegen::generate::Settings::new().spec_paths() {
            Ok(specs) => specs,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(crate::cli::EXIT_ERROR);
            }
        }
    } else {
        args.specs.clone()
    };
    match build(&specs, &args.out) {
        Ok(written) => {
            println!(
                "docs: {} ({} files; open {})",
                args.out.display(),
                written.files.len(),
                args.out.join("index.html").display()
            );
            ExitCode::from(crate::cli::EXIT_CONFORMS)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(crate::cli::EXIT_ERROR)
        }
    }
}
