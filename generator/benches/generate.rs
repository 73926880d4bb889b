//! Generation speed: `contract generate` of all five specs end to end (load, lower, emit, format,
//! write), and each phase on its own. Run with `cargo bench -p contract --bench generate`.

use std::path::PathBuf;

use contract::codegen::{generate, lower, validator as emit};
use contract::spec::Spec;

fn main() {
    divan::main();
}

fn specs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("specs/ exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    assert_eq!(specs.len(), 5, "the five provider specs");
    specs
}

/// The whole command: five specs to five crates on disk.
#[divan::bench(sample_count = 30)]
fn generate_all_five_specs(bencher: divan::Bencher) {
    let out = std::env::temp_dir().join(format!("contract-bench-{}", std::process::id()));
    let specs = specs();
    bencher.bench(|| {
        let mut settings = generate::Settings::new().out_dir(&out);
        for spec in &specs {
            settings = settings.spec(spec);
        }
        settings.run().expect("generation succeeds")
    });
    let _ = std::fs::remove_dir_all(&out);
}

#[divan::bench]
fn phase_load(bencher: divan::Bencher) {
    let specs = specs();
    bencher.bench(|| {
        specs
            .iter()
            .map(|path| Spec::load(path).expect("loads"))
            .collect::<Vec<_>>()
    });
}

#[divan::bench]
fn phase_lower(bencher: divan::Bencher) {
    let loaded: Vec<Spec> = specs()
        .iter()
        .map(|path| Spec::load(path).expect("loads"))
        .collect();
    bencher.bench(|| {
        loaded
            .iter()
            .map(|spec| lower::lower(spec.clone(), "specs/x.yaml").expect("lowers"))
            .collect::<Vec<_>>()
    });
}

#[divan::bench]
fn phase_emit(bencher: divan::Bencher) {
    let apis: Vec<_> = specs()
        .iter()
        .map(|path| lower::lower(Spec::load(path).expect("loads"), "specs/x.yaml").expect("lowers"))
        .collect();
    bencher.bench(|| {
        apis.iter()
            .map(|api| emit::validator_crate(api).expect("emits"))
            .collect::<Vec<_>>()
    });
}
