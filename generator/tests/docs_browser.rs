//! `contract docs` in a real browser: builds the site of the five specs with the `contract`
//! binary into a temporary folder, loads every page over `file://` in headless Chromium
//! (Debian's `chromium`, driven over the DevTools protocol by the `headless_chrome` crate), and
//! checks: no console errors, exceptions or failed loads; nothing fetched from the network;
//! ids unique; every `<a href>` (page and `#anchor`) resolves to a file and an element; the
//! search finds an operation by operationId and error codes of two providers, and its result
//! leads to the element. Screenshots (desktop and phone width) go to
//! `$CARGO_TARGET_DIR/docs-screenshots/` (default `target/`). Without a Chromium the test fails,
//! saying how to install one: it never skips.
//!
//! Why `headless_chrome`: synchronous (no async runtime in the test), talks CDP to the system
//! browser it is given, with no browser download (its `fetch` feature is off).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);
/// Screenshot slices per page: enough to judge the layout of the top sections.
const MAX_SHOTS: usize = 4;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator crate sits in the workspace")
        .to_owned()
}

/// The browser: `$CHROME` if set, else the first of the usual names on PATH.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROME") {
        return PathBuf::from(path);
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "no Chromium found (looked for {names:?} on PATH and $CHROME). This test needs a real \
         browser: install Debian's with `apt-get install -y chromium` (CI does, in .ci/run), \
         or point $CHROME at a Chrome/Chromium binary."
    );
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let dir = target.join("docs-screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshots folder");
    dir
}

fn launch(path: &Path) -> Browser {
    let options = LaunchOptions::default_builder()
        .path(Some(path.to_owned()))
        .headless(true)
        // Root in a container has no user namespace for Chromium's sandbox.
        .sandbox(false)
        .window_size(Some(DESKTOP))
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .expect("launch options");
    Browser::new(options).unwrap_or_else(|error| panic!("cannot start {}: {error}", path.display()))
}

/// Everything that went wrong on the current page: console errors and asserts, uncaught
/// exceptions, and log entries at error level (failed resource loads are reported there).
#[derive(Default)]
struct Problems(Mutex<Vec<String>>);

impl Problems {
    fn watch(self: &Arc<Self>, tab: &Tab) {
        tab.enable_log().expect("Log.enable");
        tab.enable_runtime().expect("Runtime.enable");
        let problems = Arc::clone(self);
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let problem = match event {
                Event::RuntimeConsoleAPICalled(call)
                    if matches!(
                        call.params.Type,
                        ConsoleAPICalledEventTypeOption::Error
                            | ConsoleAPICalledEventTypeOption::Assert
                    ) =>
                {
                    let args: Vec<String> = call
                        .params
                        .args
                        .iter()
                        .map(|arg| {
                            arg.value
                                .as_ref()
                                .map(Value::to_string)
                                .or_else(|| arg.description.clone())
                                .unwrap_or_default()
                        })
                        .collect();
                    Some(format!(
                        "console.{:?}: {}",
                        call.params.Type,
                        args.join(" ")
                    ))
                }
                Event::RuntimeExceptionThrown(thrown) => Some(format!(
                    "uncaught exception: {}",
                    thrown.params.exception_details.text
                )),
                Event::LogEntryAdded(entry)
                    if format!("{:?}", entry.params.entry.level) == "Error" =>
                {
                    Some(format!(
                        "log error: {} ({})",
                        entry.params.entry.text,
                        entry.params.entry.url.clone().unwrap_or_default()
                    ))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                problems.0.lock().unwrap().push(problem);
            }
        }))
        .expect("add the event listener");
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// Evaluates a script returning a string of JSON.
fn eval_json(tab: &Tab, script: &str) -> Value {
    let result = tab
        .evaluate(script, false)
        .unwrap_or_else(|error| panic!("evaluate {script}: {error}"));
    let text = result
        .value
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{script} returned no string: {result:?}"));
    serde_json::from_str(text).expect("the script returns JSON")
}

fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .and_then(|tab| tab.wait_until_navigated())
        .unwrap_or_else(|error| panic!("load {url}: {error}"));
}

fn url_of(file: &Path) -> String {
    format!("file://{}", file.display())
}

/// Screenshots of a page as slices one viewport high, from the top, at most `MAX_SHOTS`:
/// `<stem>-1.png`, `<stem>-2.png`, ... (a person looks at them; a full page is too tall to).
fn screenshots(tab: &Tab, dir: &Path, stem: &str) {
    let size = eval_json(
        tab,
        "JSON.stringify([document.documentElement.scrollHeight, innerWidth, innerHeight])",
    );
    let number = |index: usize| size[index].as_f64().unwrap_or(900.0);
    let (total, width, height) = (number(0), number(1), number(2));
    let mut y = 0.0;
    let mut slice = 1;
    while y < total && slice <= MAX_SHOTS {
        let png = tab
            .call_method(Page::CaptureScreenshot {
                format: Some(Page::CaptureScreenshotFormatOption::Png),
                quality: None,
                clip: Some(Page::Viewport {
                    x: 0.0,
                    y,
                    width,
                    height: height.min(total - y),
                    scale: 1.0,
                }),
                from_surface: Some(true),
                capture_beyond_viewport: Some(true),
                optimize_for_speed: None,
            })
            .expect("capture a screenshot")
            .data;
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png)
            .expect("screenshots are base64");
        std::fs::write(dir.join(format!("{stem}-{slice}.png")), bytes)
            .expect("write the screenshot");
        y += height;
        slice += 1;
    }
}

/// Shows the page as a phone (390 × 844 CSS pixels, mobile viewport rules) or, with `None`,
/// as the desktop window it was opened in.
fn emulate_phone(tab: &Tab, phone: bool) {
    if phone {
        tab.call_method(Emulation::SetDeviceMetricsOverride {
            width: PHONE.0,
            height: PHONE.1,
            device_scale_factor: 1.0,
            mobile: true,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })
        .expect("emulate a phone");
    } else {
        tab.call_method(Emulation::ClearDeviceMetricsOverride(None))
            .expect("stop emulating a phone");
    }
}

/// What one page holds: its element ids and the hrefs of its links.
struct PageFacts {
    ids: BTreeSet<String>,
    hrefs: Vec<String>,
}

const FACTS: &str = r#"JSON.stringify({
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id),
  hrefs: Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href')),
  sources: Array.from(document.querySelectorAll('[src],link[href]'), e => e.getAttribute('src') || e.getAttribute('href')),
  resources: performance.getEntriesByType('resource').map(r => r.name),
  search: typeof window.CONTRACT_SEARCH === 'object' ? window.CONTRACT_SEARCH.length : -1
})"#;

/// Puts `query` in the search box (as an `input` event, what typing fires) and returns the
/// results' (kind, title, href). `typed` sends real key events instead (slower).
fn search(tab: &Tab, query: &str, typed: bool) -> Vec<(String, String, String)> {
    let set = if typed {
        String::new()
    } else {
        serde_json::to_string(query).unwrap()
    };
    tab.evaluate(
        &format!(
            "(() => {{ const i = document.getElementById('search-input'); i.focus(); \
             i.value = {}; i.dispatchEvent(new Event('input')); }})()",
            if typed { "''".to_owned() } else { set }
        ),
        false,
    )
    .expect("fill the search box");
    if typed {
        tab.type_str(query).expect("type the query");
    }
    let results = eval_json(
        tab,
        r#"JSON.stringify(Array.from(document.querySelectorAll('#search-results a'),
             a => [a.dataset.kind, a.querySelector('code').textContent, a.getAttribute('href')]))"#,
    );
    results
        .as_array()
        .expect("an array of results")
        .iter()
        .map(|row| {
            let cell = |index: usize| row[index].as_str().unwrap_or_default().to_owned();
            (cell(0), cell(1), cell(2))
        })
        .collect()
}

#[test]
fn the_docs_site_works_in_a_real_browser() {
    let browser_path = chromium();
    let root = workspace();
    let site = tempfile::tempdir().expect("a temporary folder");
    let specs: Vec<PathBuf> = ["connectfi", "nueve09", "qitech", "undostres", "upmoney"]
        .iter()
        .map(|name| PathBuf::from(format!("specs/{name}.yaml")))
        .collect();
    assert_cmd::Command::cargo_bin("contract")
        .expect("the contract binary")
        .current_dir(&root)
        .arg("docs")
        .args(&specs)
        .arg("--out")
        .arg(site.path())
        .assert()
        .success();

    let mut pages: Vec<PathBuf> = std::fs::read_dir(site.path())
        .expect("the site folder")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "html"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 6, "index and one page per spec: {pages:?}");

    let shots = screenshots_dir();
    let started = std::time::Instant::now();
    let browser = launch(&browser_path);
    let tab = browser.new_tab().expect("a tab");
    let problems = Arc::new(Problems::default());
    problems.watch(&tab);

    let mut facts: BTreeMap<String, PageFacts> = BTreeMap::new();
    let mut failures = Vec::new();
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        open(&tab, &url_of(page));
        let found = eval_json(&tab, FACTS);
        for problem in problems.take() {
            failures.push(format!("{name}: {problem}"));
        }
        let strings = |key: &str| -> Vec<String> {
            found[key]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let ids = strings("ids");
        let unique: BTreeSet<String> = ids.iter().cloned().collect();
        if unique.len() != ids.len() {
            let mut seen = BTreeSet::new();
            let repeated: Vec<&String> = ids.iter().filter(|id| !seen.insert(*id)).collect();
            failures.push(format!("{name}: repeated ids {repeated:?}"));
        }
        for resource in strings("resources") {
            if !resource.starts_with("file://") {
                failures.push(format!(
                    "{name}: fetched {resource} (nothing may be fetched)"
                ));
            }
        }
        for source in strings("sources") {
            if source.contains("://") || source.starts_with("//") {
                failures.push(format!("{name}: loads {source} from elsewhere"));
            }
        }
        if found["search"].as_i64().unwrap_or(-1) <= 0 {
            failures.push(format!("{name}: the search index did not load"));
        }
        screenshots(&tab, &shots, &name.replace(".html", "-desktop"));
        facts.insert(
            name,
            PageFacts {
                ids: unique,
                hrefs: strings("hrefs"),
            },
        );
    }

    eprintln!("desktop pages: {:?}", started.elapsed());
    // Every link resolves: the page exists and holds the anchor.
    let mut links = 0;
    for (name, page) in &facts {
        for href in &page.hrefs {
            links += 1;
            if href.contains("://") || href.starts_with("//") || href.starts_with("mailto:") {
                failures.push(format!("{name}: link {href} leaves the site"));
                continue;
            }
            let (file, fragment) = match href.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (href.as_str(), None),
            };
            let target = if file.is_empty() { name.as_str() } else { file };
            let Some(target_facts) = facts.get(target) else {
                if !site.path().join(target).is_file() {
                    failures.push(format!("{name}: link {href}: no file {target}"));
                }
                continue;
            };
            if let Some(fragment) = fragment
                && !target_facts.ids.contains(fragment)
            {
                failures.push(format!(
                    "{name}: link {href}: no element #{fragment} in {target}"
                ));
            }
        }
    }
    assert!(
        links > 200,
        "expected the pages to link widely, found {links} links"
    );

    // The search, typed like a user, on the index page.
    open(&tab, &url_of(&site.path().join("index.html")));
    let wanted = [
        (
            "activatePhysicalCard",
            "operation",
            "upmoney.html#op-activatePhysicalCard",
        ),
        ("INSTRUMENT_ALREADY_ACTIVATED", "error", "upmoney.html#ex."),
        ("CARD000017", "error", "qitech.html#ex."),
        ("ManagedCard", "schema", "upmoney.html#schema-ManagedCard"),
    ];
    for (query, kind, href_start) in wanted {
        let results = search(&tab, query, false);
        let hit = results
            .iter()
            .find(|(k, title, href)| k == kind && title == query && href.starts_with(href_start));
        match hit {
            None => failures.push(format!(
                "search {query:?}: no {kind} result linking to {href_start}…; got {results:?}"
            )),
            Some((_, _, href)) if kind == "error" => {
                // The result leads to the example that documents the code.
                let (file, fragment) = href.split_once('#').unwrap();
                let lands = facts
                    .get(file)
                    .is_some_and(|page| page.ids.contains(fragment));
                if !lands {
                    failures.push(format!("search {query:?}: {href} does not resolve"));
                }
            }
            Some(_) => {}
        }
    }
    search(&tab, "card", false);
    screenshots(&tab, &shots, "search-desktop");
    // Typed with the keyboard, Enter follows the first result to the example documenting it.
    let typed = search(&tab, "CARD000017", true);
    assert!(!typed.is_empty(), "typing in the search box shows results");
    tab.press_key("Enter").expect("press Enter");
    std::thread::sleep(Duration::from_millis(500));
    let landed = eval_json(
        &tab,
        r#"JSON.stringify([location.pathname.split('/').pop(), location.hash,
             !!document.getElementById(decodeURIComponent(location.hash.slice(1))),
             document.getElementById(decodeURIComponent(location.hash.slice(1)))?.textContent || ''])"#,
    );
    if landed[0] != "qitech.html"
        || landed[2] != true
        || !landed[3]
            .as_str()
            .unwrap_or_default()
            .contains("CARD000017")
    {
        failures.push(format!("Enter on the search result landed on {landed}"));
    }
    for problem in problems.take() {
        failures.push(format!("search: {problem}"));
    }

    eprintln!("search: {:?}", started.elapsed());
    // Print: navigation and search are hidden, the content is all there.
    open(&tab, &url_of(&site.path().join("upmoney.html")));
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some("print".to_owned()),
        features: None,
    })
    .expect("emulate print media");
    let printed = eval_json(
        &tab,
        r#"JSON.stringify([getComputedStyle(document.querySelector('.top')).display,
             getComputedStyle(document.querySelector('.toc')).display,
             document.querySelector('main').offsetHeight])"#,
    );
    if printed[0] != "none" || printed[1] != "none" || printed[2].as_f64() < Some(1000.0) {
        failures.push(format!(
            "print media: header, contents, main height = {printed}"
        ));
    }
    screenshots(&tab, &shots, "upmoney-print");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some(String::new()),
        features: None,
    })
    .expect("stop emulating print media");

    // Phone width: the same pages render without errors and without sideways scrolling.
    emulate_phone(&tab, true);
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        open(&tab, &url_of(page));
        let widths = eval_json(
            &tab,
            "JSON.stringify([document.documentElement.scrollWidth, document.documentElement.clientWidth])",
        );
        if widths[0].as_f64() > widths[1].as_f64() {
            failures.push(format!("{name} at phone width scrolls sideways: {widths}"));
        }
        screenshots(&tab, &shots, &name.replace(".html", "-phone"));
        for problem in problems.take() {
            failures.push(format!("{name} (phone): {problem}"));
        }
    }
    emulate_phone(&tab, false);
    eprintln!("phone pages: {:?}", started.elapsed());

    assert!(
        failures.is_empty(),
        "{} problem(s) in the docs site:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "checked {} pages, {links} links; screenshots in {}",
        pages.len(),
        shots.display()
    );
}
