//! Where each node of a YAML (or JSON) text stands: JSON pointer → line and column, read with a
//! YAML parser that keeps positions (`yaml-rust2`), because `serde_yaml` forgets them. Findings,
//! diffs and docs use it to point at the source line. It never decides what a node means.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A 1-based line and column in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

/// Positions of every node of one document, by JSON pointer (`""` is the root). A mapping entry
/// is placed at its key, as editors and Spectral place it; a sequence item at its first token.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    spans: HashMap<String, Span>,
}

impl SourceMap {
    /// Reads the positions of `text`. Text that is not YAML gives an empty map (the loader
    /// reports the syntax error; positions are a convenience, never a reason to fail).
    pub fn parse(text: &str) -> SourceMap {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return SourceMap::default();
        }
        SourceMap {
            spans: builder.spans,
        }
    }

    /// Reads a file's positions; an unreadable file gives an empty map.
    pub fn load(path: &std::path::Path) -> SourceMap {
        std::fs::read_to_string(path)
            .map(|text| SourceMap::parse(&text))
            .unwrap_or_default()
    }

    /// The position of the node at `pointer`, or of its nearest ancestor that has one (a pointer
    /// into an alias, or into a part bundled from another file, lands on the nearest node we
    /// read). `None` only for an empty map.
    pub fn locate(&self, pointer: &str) -> Option<Span> {
        let mut pointer = pointer.strip_prefix('#').unwrap_or(pointer);
        loop {
            if let Some(span) = self.spans.get(pointer) {
                return Some(*span);
            }
            match pointer.rfind('/') {
                Some(at) => pointer = &pointer[..at],
                None => return None,
            }
        }
    }

    /// The position of exactly this node, with no fallback to an ancestor.
    pub fn exact(&self, pointer: &str) -> Option<Span> {
        self.spans
            .get(pointer.strip_prefix('#').unwrap_or(pointer))
            .copied()
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// One open collection while walking the events.
#[derive(Debug)]
enum Frame {
    /// A mapping: the pointer of the mapping, and the key just read (waiting for its value).
    Mapping {
        pointer: String,
        key: Option<(String, Span)>,
    },
    Sequence {
        pointer: String,
        next: usize,
    },
}

#[derive(Debug, Default)]
struct Builder {
    spans: HashMap<String, Span>,
    stack: Vec<Frame>,
    /// Nesting depth inside a complex (non-scalar) mapping key, which JSON cannot address.
    ignored_depth: usize,
    /// Collections not under a key (the root, sequence items) whose place is their first token:
    /// the parser marks a block mapping where its first `:` stands, so the place is taken from
    /// the next scalar, or from the start mark if the collection turns out empty.
    pending: Vec<(String, Span)>,
}

impl Builder {
    /// The pointer and span a node starting at `mark` gets, advancing its parent; `None` when the
    /// node is a mapping key (recorded, waiting for its value).
    fn place(&mut self, mark: Marker, scalar: Option<&str>) -> Option<(String, Span)> {
        let span = Span {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match self.stack.last_mut() {
            None => Some((String::new(), span)),
            Some(Frame::Sequence { pointer, next }) => {
                let child = format!("{pointer}/{next}");
                *next += 1;
                Some((child, span))
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some((name, key_span)) => Some((
                    format!("{pointer}/{}", crate::spec::pointer::escape(&name)),
                    key_span,
                )),
                None => {
                    // A complex key (a mapping or sequence used as a key) has no pointer; its
                    // text stands in so the value still gets a place.
                    *key = Some((scalar.unwrap_or("").to_owned(), span));
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.ignored_depth > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => self.ignored_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => self.ignored_depth -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Scalar(value, ..) => {
                self.resolve_pending(mark);
                if let Some((pointer, span)) = self.place(mark, Some(&value)) {
                    self.spans.entry(pointer).or_insert(span);
                }
            }
            Event::Alias(_) => {
                self.resolve_pending(mark);
                if let Some((pointer, span)) = self.place(mark, None) {
                    self.spans.entry(pointer).or_insert(span);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                if matches!(self.stack.last(), Some(Frame::Mapping { key: None, .. })) {
                    // A collection in key position: skip it, and give its value no name.
                    self.ignored_depth = 1;
                    if let Some(Frame::Mapping { key, .. }) = self.stack.last_mut() {
                        let span = Span {
                            line: mark.line(),
                            column: mark.col() + 1,
                        };
                        *key = Some((String::new(), span));
                    }
                    return;
                }
                let under_key = matches!(self.stack.last(), Some(Frame::Mapping { .. }));
                let (pointer, span) = self
                    .place(mark, None)
                    .unwrap_or_else(|| (String::new(), Span { line: 1, column: 1 }));
                if under_key {
                    self.spans.entry(pointer.clone()).or_insert(span);
                } else {
                    self.pending.push((pointer.clone(), span));
                }
                self.stack.push(if is_mapping {
                    Frame::Mapping { pointer, key: None }
                } else {
                    Frame::Sequence { pointer, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                // Still pending: the collection was empty, and its start mark is its place.
                if let Some(Frame::Mapping { pointer, .. } | Frame::Sequence { pointer, .. }) =
                    self.stack.pop()
                    && self
                        .pending
                        .last()
                        .is_some_and(|(open, _)| *open == pointer)
                    && let Some((pointer, span)) = self.pending.pop()
                {
                    self.spans.entry(pointer).or_insert(span);
                }
            }
            _ => {}
        }
    }
}

impl Builder {
    fn resolve_pending(&mut self, mark: Marker) {
        let span = Span {
            line: mark.line(),
            column: mark.col() + 1,
        };
        for (pointer, _) in self.pending.drain(..) {
            self.spans.entry(pointer).or_insert(span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_keys_items_and_nested_nodes() {
        let text = "openapi: 3.0.3\npaths:\n  /cards/{id}:\n    get:\n      tags: [a, b]\n      parameters:\n        - name: id\n          in: path\n";
        let map = SourceMap::parse(text);
        assert_eq!(map.exact(""), Some(Span { line: 1, column: 1 }));
        assert_eq!(map.exact("/openapi"), Some(Span { line: 1, column: 1 }));
        assert_eq!(
            map.exact("/paths/~1cards~1{id}"),
            Some(Span { line: 3, column: 3 })
        );
        assert_eq!(
            map.exact("/paths/~1cards~1{id}/get/tags/1"),
            Some(Span {
                line: 5,
                column: 17
            })
        );
        assert_eq!(
            map.exact("/paths/~1cards~1{id}/get/parameters/0"),
            Some(Span {
                line: 7,
                column: 11
            })
        );
        assert_eq!(
            map.exact("/paths/~1cards~1{id}/get/parameters/0/in"),
            Some(Span {
                line: 8,
                column: 11
            })
        );
        // Nothing at the exact pointer: the nearest ancestor answers.
        assert_eq!(
            map.locate("#/paths/~1cards~1{id}/get/parameters/0/schema/type"),
            Some(Span {
                line: 7,
                column: 11
            })
        );
        assert_eq!(map.exact("/paths/missing"), None);
    }

    #[test]
    fn json_text_and_bad_text() {
        let map = SourceMap::parse("{\n  \"a\": {\"b\": [1, 2]}\n}\n");
        assert_eq!(
            map.exact("/a/b/1"),
            Some(Span {
                line: 2,
                column: 18
            })
        );
        assert!(SourceMap::parse("a: [unclosed\n").is_empty());
        assert!(
            SourceMap::parse("? [complex, key]\n: value\nplain: 1\n")
                .exact("/plain")
                .is_some()
        );
    }

    #[test]
    fn every_node_of_our_specs_has_its_place() {
        fn walk(value: &serde_json::Value, pointer: String, out: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, child) in map {
                        walk(
                            child,
                            format!("{pointer}/{}", crate::spec::pointer::escape(key)),
                            out,
                        );
                    }
                }
                serde_json::Value::Array(items) => {
                    for (index, child) in items.iter().enumerate() {
                        walk(child, format!("{pointer}/{index}"), out);
                    }
                }
                _ => {}
            }
            out.push(pointer);
        }
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        for name in ["upmoney", "qitech", "undostres", "nueve09", "connectfi"] {
            let path = specs.join(format!("{name}.yaml"));
            let text = std::fs::read_to_string(&path).unwrap();
            let document: serde_json::Value = serde_yaml::from_str(&text).unwrap();
            let map = SourceMap::parse(&text);
            let mut pointers = Vec::new();
            walk(&document, String::new(), &mut pointers);
            let missing: Vec<_> = pointers.iter().filter(|p| map.exact(p).is_none()).collect();
            assert!(missing.is_empty(), "{name}: no place for {missing:?}");
            // A place is where the node's text is: the line of `operationId` says so.
            let span = map.exact("/paths").unwrap();
            assert_eq!(
                text.lines().nth(span.line - 1).unwrap().trim_start(),
                "paths:"
            );
        }
    }
}
