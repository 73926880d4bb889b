//! Where each node of a YAML (or JSON) text stands: JSON pointer → line and column, read with a
//! YAML parser that keeps positions (`yaml-rust2`), because `serde_yaml` forgets them. Findings,
//! diffs and docs use it to point at the source line. It never decides what a node means.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A 1-based line and column in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

/// Positions of every node of one document, looked up by JSON pointer (`""` is the root). A
/// mapping entry is placed at its key, as editors and Spectral place it; a sequence item at its
/// first token.
///
/// Kept as a tree of the document's shape (each node: its span, the key it stands under, its
/// first child and next sibling), not as a map from pointer strings: building a pointer string
/// and hashing it for each of a large spec's nodes cost more than the YAML parse, and only the
/// few nodes a finding names are ever looked up.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    nodes: Vec<Node>,
}

/// No link (`u32::MAX`): a leaf, or a last sibling.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Node {
    span: Span,
    /// The key this node stands under in its mapping (`""` under a complex key); `None` for the
    /// root and sequence items, which are addressed by position.
    key: Option<String>,
    first_child: u32,
    next_sibling: u32,
}

impl SourceMap {
    /// Reads the positions of `text`. Text that is not YAML gives an empty map (the loader
    /// reports the syntax error; positions are a convenience, never a reason to fail).
    pub fn parse(text: &str) -> SourceMap {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() || builder.nodes.len() >= NONE as usize {
            return SourceMap::default();
        }
        SourceMap {
            nodes: builder.nodes,
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
        let (found, _) = self.descend(pointer)?;
        Some(self.nodes[found].span)
    }

    /// The position of exactly this node, with no fallback to an ancestor.
    pub fn exact(&self, pointer: &str) -> Option<Span> {
        match self.descend(pointer)? {
            (found, true) => Some(self.nodes[found].span),
            (_, false) => None,
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The deepest node on `pointer`'s path (`None` for an empty map or a text that is not a
    /// pointer), and whether it is the node the whole pointer names.
    /// The first of equal keys wins, as the first occurrence is the one a reader sees first.
    fn descend(&self, pointer: &str) -> Option<(usize, bool)> {
        if self.nodes.is_empty() {
            return None;
        }
        let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
        let mut at = 0;
        if pointer.is_empty() {
            return Some((at, true));
        }
        // Not a pointer (no leading `/`): it names no node, not even the root.
        let tokens = pointer.strip_prefix('/')?;
        for token in tokens.split('/') {
            let token = crate::spec::pointer::unescape(token);
            let mut child = self.nodes[at].first_child;
            let mut index = 0usize;
            let found = loop {
                if child == NONE {
                    break None;
                }
                let node = &self.nodes[child as usize];
                let hit = match &node.key {
                    Some(key) => *key == *token,
                    None => {
                        token.parse::<usize>().is_ok_and(|wanted| wanted == index)
                            && canonical_index(&token)
                    }
                };
                if hit {
                    break Some(child as usize);
                }
                index += 1;
                child = node.next_sibling;
            };
            match found {
                Some(child) => at = child,
                None => return Some((at, false)),
            }
        }
        Some((at, true))
    }
}

/// `7` names item 7; `07` or `+7` name nothing (a pointer spells an index one way only).
fn canonical_index(token: &str) -> bool {
    token == "0" || (!token.starts_with('0') && token.bytes().all(|b| b.is_ascii_digit()))
}

/// One open collection while walking the events.
#[derive(Debug)]
struct Frame {
    node: u32,
    is_mapping: bool,
    /// A mapping's key just read (waiting for its value), with the key's place.
    key: Option<(String, Span)>,
    /// The last child added, to link the next one after it.
    last_child: u32,
}

#[derive(Debug, Default)]
struct Builder {
    nodes: Vec<Node>,
    stack: Vec<Frame>,
    /// Nesting depth inside a complex (non-scalar) mapping key, which JSON cannot address.
    ignored_depth: usize,
    /// Collections not under a key (the root, sequence items) whose place is their first token:
    /// the parser marks a block mapping where its first `:` stands, so the place is taken from
    /// the next scalar, or from the start mark if the collection turns out empty.
    pending: Vec<(u32, Span)>,
}

fn span_of(mark: Marker) -> Span {
    Span {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

impl Builder {
    /// Adds the node starting at `mark` under its parent. Returns `None` when the node is a
    /// mapping key (recorded, waiting for its value); else the new node and whether it stands
    /// under a key.
    fn place(&mut self, mark: Marker, scalar: Option<String>) -> Option<(u32, bool)> {
        let span = span_of(mark);
        let (key, span, under_key) = match self.stack.last_mut() {
            None => (None, span, false),
            Some(Frame {
                is_mapping: false, ..
            }) => (None, span, false),
            Some(frame) => match frame.key.take() {
                Some((name, key_span)) => (Some(name), key_span, true),
                None => {
                    // A complex key (a mapping or sequence used as a key) has no pointer; its
                    // text stands in so the value still gets a place.
                    frame.key = Some((scalar.unwrap_or_default(), span));
                    return None;
                }
            },
        };
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            span,
            key,
            first_child: NONE,
            next_sibling: NONE,
        });
        if let Some(frame) = self.stack.last_mut() {
            match frame.last_child {
                NONE => self.nodes[frame.node as usize].first_child = id,
                last => self.nodes[last as usize].next_sibling = id,
            }
            frame.last_child = id;
        }
        Some((id, under_key))
    }

    fn resolve_pending(&mut self, mark: Marker) {
        let span = span_of(mark);
        for (node, _) in self.pending.drain(..) {
            self.nodes[node as usize].span = span;
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
                self.place(mark, Some(value));
            }
            Event::Alias(_) => {
                self.resolve_pending(mark);
                self.place(mark, None);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                if let Some(frame) = self.stack.last_mut()
                    && frame.is_mapping
                    && frame.key.is_none()
                {
                    // A collection in key position: skip it, and give its value no name.
                    self.ignored_depth = 1;
                    frame.key = Some((String::new(), span_of(mark)));
                    return;
                }
                let Some((node, under_key)) = self.place(mark, None) else {
                    return;
                };
                if !under_key {
                    self.pending.push((node, span_of(mark)));
                }
                self.stack.push(Frame {
                    node,
                    is_mapping,
                    key: None,
                    last_child: NONE,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                // Still pending: the collection was empty, and its start mark is its place.
                if let Some(frame) = self.stack.pop()
                    && self
                        .pending
                        .last()
                        .is_some_and(|(open, _)| *open == frame.node)
                    && let Some((node, span)) = self.pending.pop()
                {
                    self.nodes[node as usize].span = span;
                }
            }
            _ => {}
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
        // An index is spelled one way; a text without a leading `/` is no pointer.
        let map = SourceMap::parse("a:\n  - x\n  - y\n");
        assert_eq!(map.exact("/a/1"), Some(Span { line: 3, column: 5 }));
        assert_eq!(map.exact("/a/01"), None);
        assert_eq!(map.locate("/a/01"), map.exact("/a"));
        assert_eq!(map.locate("a"), None);
        assert_eq!(SourceMap::default().locate(""), None);
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
