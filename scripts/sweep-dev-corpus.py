#!/usr/bin/env python3
"""The dev-corpus sweep: every spec of tests/fixtures/dev-corpus/ through `contract generate`
(release build) and a cold `cargo check` of the validator and client crates it gives, within
10 minutes and 8 GB per step. Prints a Markdown table: spec, generated lines, generation time,
check time, peak memory, result (with the reason when a step fails).

Usage, from anywhere in the repository:
    scripts/sweep-dev-corpus.py                 # every spec (slow: about an hour on 2 cores)
    scripts/sweep-dev-corpus.py bian vipps      # the specs whose file name contains a word
    scripts/sweep-dev-corpus.py --small         # the specs under 100 KB

Crates are generated into target/dev-corpus-sweep/<spec>/ and checked in a workspace there, with
one target folder shared by every spec (target/dev-corpus-sweep/target): the dependencies are
built once, before the first spec (not timed), and each spec's own crates are removed from it
(`cargo clean -p`) before they are checked, so "check" is the cold check of the generated code.
Times are wall-clock; peak memory is the largest resident set of one process (GNU time `-v`),
which for `cargo check` is the rustc that checks the crate. Needs GNU time (`apt-get install
time`).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests/fixtures/dev-corpus"
WORK = REPO / "target/dev-corpus-sweep"
TARGET = WORK / "target"
TIME_LIMIT_S = 600
MEMORY_LIMIT_KB = 8 * 1024 * 1024
SMALL_BYTES = 100 * 1024
GNU_TIME = "/usr/bin/time"


def corpus_specs():
    """Every spec of the corpus: the top-level documents and DigitalOcean's entry point."""
    specs = sorted(
        path
        for path in CORPUS.iterdir()
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file()
    )
    specs.append(CORPUS / "digitalocean/DigitalOcean-public.v2.yaml")
    return specs


def spec_bytes(spec):
    """A spec's size; a split spec counts every file of its folder."""
    if spec.parent != CORPUS:
        return sum(p.stat().st_size for p in spec.parent.rglob("*") if p.is_file())
    return spec.stat().st_size


def process_group_rss_kb(group):
    """The resident memory of every process in a process group, summed."""
    total = 0
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:
                continue
            with open(f"/proc/{entry}/statm") as statm:
                total += int(statm.read().split()[1]) * page_kb
        except (OSError, IndexError, ValueError):
            continue
    return total


class Step:
    """One command run under GNU time, killed past the time or memory bound."""

    def __init__(self, command, cwd, env=None):
        self.command = command
        self.seconds = None
        self.peak_kb = None
        self.failure = None
        self.output = ""
        report = WORK / "time.txt"
        log = WORK / "step.log"
        started = time.monotonic()
        # Output goes to a file, so that a chatty step cannot block on a full pipe; the step
        # gets a process group of its own, so that the bounds can end all of it.
        with open(log, "wb") as sink:
            process = subprocess.Popen(
                [GNU_TIME, "-v", "-o", str(report), *command],
                cwd=cwd,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            while process.poll() is None:
                elapsed = time.monotonic() - started
                if elapsed > TIME_LIMIT_S:
                    self.failure = f"over {TIME_LIMIT_S // 60} min"
                elif process_group_rss_kb(process.pid) > MEMORY_LIMIT_KB:
                    self.failure = f"over {MEMORY_LIMIT_KB // 1024 // 1024} GB"
                if self.failure:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    break
                time.sleep(0.2)
        self.seconds = time.monotonic() - started
        self.output = log.read_text(errors="replace")
        text = report.read_text(errors="replace") if report.exists() else ""
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if match:
            self.peak_kb = int(match.group(1))
        if not self.failure and process.returncode != 0:
            self.failure = f"exit {process.returncode}: {first_error(self.output)}"

    @property
    def ok(self):
        return self.failure is None


def first_error(output):
    """The first line that says what went wrong, shortened for a table cell."""
    for line in output.splitlines():
        if line.startswith("error") and "could not compile" not in line:
            text = line
            break
    else:
        text = next((l for l in output.splitlines() if l.strip()), "no output")
    text = text.replace("|", "\\|").replace(str(REPO) + "/", "")
    return text if len(text) <= 160 else text[:157] + "..."


def rust_lines(folder):
    return sum(
        len(path.read_text(errors="replace").splitlines())
        for path in folder.rglob("*.rs")
    )


def cargo_env():
    env = dict(os.environ)
    env["CARGO_TARGET_DIR"] = str(TARGET)
    env.pop("RUSTFLAGS", None)
    return env


def write_workspace(folder, members):
    (folder / "Cargo.toml").write_text(
        "[workspace]\nresolver = \"3\"\nmembers = [%s]\n"
        % ", ".join(f'"{m}"' for m in members)
    )
    # The repository's versions, so that nothing new is resolved or downloaded.
    shutil.copy(REPO / "Cargo.lock", folder / "Cargo.lock")


def generate(spec, folder):
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    binary = REPO / "target/release/contract"
    return Step([str(binary), "generate", "--spec", str(spec), "--out", str(folder)], REPO)


def crates_in(folder):
    validator = next(folder.glob("*-validator"), None)
    client = next(folder.glob("*-client"), None)
    return validator, client


def check(folder, crate):
    """A cold `cargo check` of one generated crate (its dependencies already built)."""
    env = cargo_env()
    subprocess.run(
        ["cargo", "clean", "--quiet", "-p", crate.name],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Step(["cargo", "check", "--quiet", "-p", crate.name], folder, env)


def warm_up():
    """Builds the generated crates' dependencies once (BIAN's crates need all of them)."""
    folder = WORK / "warm-up"
    step = generate(CORPUS / "bian-card-transaction-tracking.yaml", folder)
    if not step.ok:
        sys.exit(f"warm-up generation failed: {step.failure}\n{step.output}")
    validator, client = crates_in(folder)
    write_workspace(folder, [validator.name, client.name])
    result = subprocess.run(
        ["cargo", "check", "--quiet", "--workspace"], cwd=folder, env=cargo_env()
    )
    if result.returncode != 0:
        print("warning: the warm-up check failed; times include dependencies", file=sys.stderr)


def seconds(step):
    return "–" if step is None or step.seconds is None else f"{step.seconds:.1f} s"


def megabytes(*steps):
    peaks = [s.peak_kb for s in steps if s is not None and s.peak_kb is not None]
    return "–" if not peaks else f"{max(peaks) / 1024:.0f} MB"


def sweep(spec):
    name = spec.name if spec.parent == CORPUS else f"{spec.parent.name}/{spec.name}"
    folder = WORK / re.sub(r"[^A-Za-z0-9.-]", "_", name)
    gen = generate(spec, folder)
    row = {
        "spec": name,
        "size": f"{spec_bytes(spec) / 1024:.0f} KB",
        "lines": "–",
        "generate": seconds(gen),
        "check_validator": "–",
        "check_client": "–",
        "peak": megabytes(gen),
        "result": "ok",
    }
    if not gen.ok:
        row["result"] = f"generation failed ({gen.failure})"
        return row
    warnings = sum(1 for line in gen.output.splitlines() if line.startswith("warning:"))
    validator, client = crates_in(folder)
    if validator is None or client is None:
        row["result"] = "generation wrote no validator or no client crate"
        return row
    row["lines"] = f"{rust_lines(validator):,} + {rust_lines(client):,}"
    write_workspace(folder, [validator.name, client.name])
    checks = []
    for key, crate in (("check_validator", validator), ("check_client", client)):
        step = check(folder, crate)
        checks.append(step)
        row[key] = seconds(step)
        if not step.ok:
            row["result"] = f"`cargo check -p {crate.name}` failed ({step.failure})"
            break
    row["peak"] = megabytes(gen, *checks)
    if row["result"] == "ok" and warnings:
        row["result"] = f"ok ({warnings} diagnostics)"
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="only the specs whose file name contains one")
    parser.add_argument("--small", action="store_true", help="only the specs under 100 KB")
    args = parser.parse_args()
    if not Path(GNU_TIME).exists():
        sys.exit("GNU time is missing: apt-get install time")
    specs = corpus_specs()
    if args.words:
        specs = [s for s in specs if any(w in str(s.relative_to(CORPUS)) for w in args.words)]
    if args.small:
        specs = [s for s in specs if spec_bytes(s) < SMALL_BYTES]
    if not specs:
        sys.exit("no spec matches")
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "contract"], cwd=REPO, check=True)
    warm_up()
    print(
        "| spec | size | lines (validator + client) | generation | check validator "
        "| check client | peak memory | result |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for spec in specs:
        row = sweep(spec)
        print(
            "| {spec} | {size} | {lines} | {generate} | {check_validator} | {check_client} "
            "| {peak} | {result} |".format(**row),
            flush=True,
        )


if __name__ == "__main__":
    main()
