//! Regenerating after a small spec edit gives a small diff, near the edit.
//!
//! A copy of `specs/upmoney.yaml` is rendered (validator and client crates, in memory, with the
//! library API), then one small edit is applied to the copy and it is rendered again. The two
//! renderings are diffed file by file, line by line (`similar`). For each edit the test asserts:
//! - the changed lines (added + removed, over every generated file) stay within the edit's bound;
//! - every changed line lies in an item that the edit touches: the line itself, or one of the
//!   lines that enclose it (each line above with less indentation, up to the top-level item),
//!   spells one of the touched names (`ActivatePhysicalCardRequest`,
//!   `activate_physical_card_request`, `ACTIVATE_PHYSICAL_CARD_REQUEST`, ...). Blank lines and
//!   lines of closing brackets carry no name and are only counted. Top-level doc comments and
//!   attributes belong to the item below them. A run of inserted (or deleted) lines that a diff
//!   could equally place a few lines up or down (it starts and ends with the same text) passes
//!   if any of those placements does, so the verdict does not depend on the diff's choice.
//!
//! A generator that numbers its items (`check_22`) fails this: adding one property renumbers
//! every item after it. Nothing here compiles the generated crates (see `generate_anywhere.rs`
//! and `dev_corpus.rs` for that).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use conformance::repo_root;
use contract::codegen::generate::render_crates;
use similar::{DiffOp, TextDiff};

/// One small edit of the spec and what it may change.
struct Edit {
    name: &'static str,
    /// (text, replacement), each text found exactly once in the spec.
    replacements: &'static [(&'static str, &'static str)],
    /// Every spelling of the names the edit touches, as generated code writes them.
    touched: &'static [&'static str],
    /// The most changed lines (added + removed) the edit may cause, over all generated files.
    max_changed_lines: usize,
    /// Why that bound.
    bound_reason: &'static str,
}

const EDITS: &[Edit] = &[
    Edit {
        name: "add an optional string property to ActivatePhysicalCardRequest",
        replacements: &[(
            "    ActivatePhysicalCardRequest:\n      type: object\n      required: [activationCode]\n      properties:\n",
            "    ActivatePhysicalCardRequest:\n      type: object\n      required: [activationCode]\n      properties:\n        nickname:\n          type: string\n",
        )],
        touched: &[
            "ActivatePhysicalCardRequest",
            "activate_physical_card_request",
            "ACTIVATE_PHYSICAL_CARD_REQUEST",
            "nickname",
            "Nickname",
            "NICKNAME",
        ],
        max_changed_lines: 60,
        bound_reason: "one model field with its doc and serde attributes, and one property \
                       check (a plain string) in each validation path: a few lines each",
    },
    Edit {
        name: "add an enum value to CardState.blockedReason",
        replacements: &[(
            "enum: [USER, SYSTEM, LOST]",
            "enum: [USER, SYSTEM, LOST, STOLEN]",
        )],
        touched: &[
            "CardState",
            "card_state",
            "CARD_STATE",
            "blockedReason",
            "BlockedReason",
            "blocked_reason",
            "BLOCKED_REASON",
        ],
        max_changed_lines: 40,
        bound_reason: "one variant in the model enum and the lenient enum (with their \
                       conversion arms) and one more option in each enum check",
    },
    Edit {
        name: "add an operation (POST /cards/{cardId}/freeze, freezeCard, 204)",
        replacements: &[(
            "components:\n  securitySchemes:",
            "  /cards/{cardId}/freeze:\n    post:\n      operationId: freezeCard\n      parameters:\n        - name: cardId\n          in: path\n          required: true\n          schema: {type: string}\n      responses:\n        '204':\n          description: Frozen.\ncomponents:\n  securitySchemes:",
        )],
        touched: &[
            "freezeCard",
            "freeze_card",
            "FreezeCard",
            "FREEZE_CARD",
            "/cards/{cardId}/freeze",
        ],
        max_changed_lines: 180,
        bound_reason: "a new operation is new code, not churn: the client's call builder and \
                       reply enum for it (136 lines on the generator of 2026-12-01) and one arm \
                       per operation table in the validator (25 lines); the bound leaves room \
                       for a parameter check",
    },
    Edit {
        name: "rename the component schema BillingAddress to PostalAddress (and its refs)",
        replacements: &[
            (
                "    BillingAddress:\n      type: object",
                "    PostalAddress:\n      type: object",
            ),
            (
                "$ref: '#/components/schemas/BillingAddress'",
                "$ref: '#/components/schemas/PostalAddress'",
            ),
        ],
        touched: &[
            "BillingAddress",
            "billing_address",
            "billingAddress",
            "BILLING_ADDRESS",
            "PostalAddress",
            "postal_address",
            "POSTAL_ADDRESS",
        ],
        max_changed_lines: 100,
        bound_reason: "every line that spells the schema's name changes (its model, its \
                       checks and their error locations `/$defs/BillingAddress/...`, the field \
                       that refers to it), and nothing else; items are emitted in name order, \
                       so the renamed model (35 lines with its `object_serde!` line) also moves: removed and added again",
    },
];

#[test]
fn small_spec_edits_give_small_local_diffs() {
    let original = std::fs::read_to_string(repo_root().join("specs/upmoney.yaml"))
        .expect("reading specs/upmoney.yaml");
    let temp = tempfile::tempdir().expect("a temporary folder");
    let before = render(temp.path(), "before", &original);
    let mut failures = String::new();
    for edit in EDITS {
        let mut text = original.clone();
        for (from, to) in edit.replacements {
            assert_eq!(
                text.matches(from).count(),
                1,
                "{}: {from:?} must occur once in the spec",
                edit.name
            );
            text = text.replace(from, to);
        }
        let after = render(temp.path(), "after", &text);
        let summary = compare(&before, &after, edit);
        let over_bound = summary.changed > edit.max_changed_lines;
        if over_bound || !summary.offending.is_empty() {
            let _ = writeln!(
                failures,
                "\n=== {}: {} changed lines (bound {}: {}), {} outside the touched items",
                edit.name,
                summary.changed,
                edit.max_changed_lines,
                edit.bound_reason,
                summary.offending_lines
            );
            for (file, (added, removed)) in &summary.per_file {
                let _ = writeln!(failures, "  {file}: +{added} -{removed}");
            }
            for hunk in summary.offending.iter().take(5) {
                let _ = writeln!(failures, "{hunk}");
            }
            if summary.offending.len() > 5 {
                let _ = writeln!(
                    failures,
                    "  ... and {} more offending hunks",
                    summary.offending.len() - 5
                );
            }
        } else {
            eprintln!(
                "{}: {} changed lines, all in touched items",
                edit.name, summary.changed
            );
        }
    }
    assert!(
        failures.is_empty(),
        "regeneration after a small edit changed too much or too far from it:{failures}"
    );
}

/// Renders the spec `text` as `dir/sub/upmoney.yaml` (the same label every time): every
/// generated file, keyed `crate/path`.
fn render(dir: &Path, sub: &str, text: &str) -> BTreeMap<String, String> {
    let folder = dir.join(sub);
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("upmoney.yaml");
    std::fs::write(&path, text).unwrap();
    let crates = render_crates(&path, "upmoney.yaml")
        .unwrap_or_else(|error| panic!("generating from {}: {error}", path.display()));
    crates
        .into_iter()
        .flat_map(|rendered| {
            let name = rendered.name;
            rendered
                .files
                .into_iter()
                .map(move |file| (format!("{name}/{}", file.path), file.contents))
        })
        .collect()
}

#[derive(Debug, Default)]
struct Summary {
    /// Added + removed lines over all files.
    changed: usize,
    /// File → (added, removed), changed files only.
    per_file: BTreeMap<String, (usize, usize)>,
    /// Hunks with lines outside the touched items, printed with their file and lines.
    offending: Vec<String>,
    offending_lines: usize,
}

fn compare(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    edit: &Edit,
) -> Summary {
    let mut summary = Summary::default();
    let files: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for file in files {
        let old = before.get(file).map_or("", String::as_str);
        let new = after.get(file).map_or("", String::as_str);
        if old == new {
            continue;
        }
        let diff = TextDiff::from_lines(old, new);
        let old_lines: Vec<&str> = old.lines().collect();
        let new_lines: Vec<&str> = new.lines().collect();
        let (mut added, mut removed) = (0, 0);
        for op in diff.ops() {
            let (old_range, new_range) = (op.old_range(), op.new_range());
            match op {
                DiffOp::Equal { .. } => continue,
                DiffOp::Delete { .. } => removed += old_range.len(),
                DiffOp::Insert { .. } => added += new_range.len(),
                DiffOp::Replace { .. } => {
                    removed += old_range.len();
                    added += new_range.len();
                }
            }
            // Each side is judged in its own file: removed lines where they stood before,
            // added lines where they stand now.
            let sides = [
                (
                    "-",
                    &old_lines,
                    old_range,
                    matches!(op, DiffOp::Delete { .. }),
                ),
                (
                    "+",
                    &new_lines,
                    new_range,
                    matches!(op, DiffOp::Insert { .. }),
                ),
            ];
            for (sign, lines, range, slidable) in sides {
                if range.is_empty() {
                    continue;
                }
                let placements = if slidable {
                    placements(lines, range.clone())
                } else {
                    vec![range.clone()]
                };
                let outside_everywhere = placements
                    .iter()
                    .map(|placement| outside(lines, placement.clone(), edit.touched))
                    .min_by_key(Vec::len)
                    .unwrap_or_default();
                if !outside_everywhere.is_empty() {
                    summary.offending_lines += outside_everywhere.len();
                    let mut hunk = format!("--- {file} (lines {}):", range.start + 1);
                    for index in range.clone().take(12) {
                        let mark = if outside_everywhere.contains(&index) {
                            "!"
                        } else {
                            " "
                        };
                        let _ = write!(hunk, "\n  {mark}{sign} {}", lines[index]);
                    }
                    if range.len() > 12 {
                        let _ = write!(hunk, "\n   ... {} more lines", range.len() - 12);
                    }
                    summary.offending.push(hunk);
                }
            }
        }
        summary.changed += added + removed;
        summary.per_file.insert(file.clone(), (added, removed));
    }
    summary
}

/// The equivalent placements of a run of inserted (or deleted) lines: it may slide up while the
/// line above it equals its last line, and down while the line below equals its first.
fn placements(lines: &[&str], range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut found = vec![range.clone()];
    let mut up = range.clone();
    while up.start > 0 && lines[up.start - 1] == lines[up.end - 1] {
        up = up.start - 1..up.end - 1;
        found.push(up.clone());
    }
    let mut down = range;
    while down.end < lines.len() && lines[down.start] == lines[down.end] {
        down = down.start + 1..down.end + 1;
        found.push(down.clone());
    }
    found
}

/// The lines of `range` (indexes into `lines`) that are not in a touched item.
fn outside(lines: &[&str], range: std::ops::Range<usize>, touched: &[&str]) -> Vec<usize> {
    range
        .filter(|&index| !in_touched_item(lines, index, touched))
        .collect()
}

/// Whether the line, or a line enclosing it, names a touched item (see the module doc).
fn in_touched_item(lines: &[&str], index: usize, touched: &[&str]) -> bool {
    let names = |line: &str| touched.iter().any(|name| line.contains(name));
    let line = lines[index];
    let trimmed = line.trim();
    // Blank lines and closing brackets name nothing; they are counted, not placed.
    if trimmed
        .chars()
        .all(|c| matches!(c, '}' | ')' | ']' | ',' | ';'))
    {
        return true;
    }
    if names(line) {
        return true;
    }
    let indent = indentation(line);
    if indent == 0 && (trimmed.starts_with("///") || trimmed.starts_with("#[")) {
        // A top-level item's doc and attributes belong to the item below them.
        return lines[index + 1..]
            .iter()
            .find(|below| {
                let below = below.trim();
                !below.starts_with("///") && !below.starts_with("#[")
            })
            .is_some_and(|item| names(item));
    }
    // The enclosing lines: each earlier non-blank line with less indentation than the last.
    let mut level = indent;
    for above in lines[..index].iter().rev() {
        if level == 0 {
            break;
        }
        if above.trim().is_empty() || indentation(above) >= level {
            continue;
        }
        if names(above) {
            return true;
        }
        level = indentation(above);
    }
    false
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}
