//! The comparison itself: walks two bundled documents side by side (paths, operations,
//! parameters, bodies, responses, security, schemas through their `$ref`s) and reports each
//! difference under the id of the rule in `rules`. It never reads files, never prints, and never
//! copies a value of an `x-sensitive` field or an example into a message.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::rules::{self, Level};
use crate::spec::pointer::join;

/// A change as the walk finds it: pointers only (lines are added by the caller, who has the text).
#[derive(Debug, Clone)]
pub struct RawChange {
    pub id: &'static str,
    pub level: Level,
    pub operation: Option<String>,
    pub operation_id: Option<String>,
    pub message: String,
    pub base: Option<String>,
    pub revision: Option<String>,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Compares two documents.
pub fn compare(base: &Value, revision: &Value) -> Vec<RawChange> {
    let mut walker = Walker {
        base,
        revision,
        changes: Vec::new(),
        operation: None,
        operation_id: None,
    };
    walker.paths();
    walker.operation = None;
    walker.operation_id = None;
    walker.security_schemes();
    walker.changes
}

struct Walker<'a> {
    base: &'a Value,
    revision: &'a Value,
    changes: Vec<RawChange>,
    operation: Option<String>,
    operation_id: Option<String>,
}

/// Where a schema sits: which side of the exchange, what the top-level place and the nested
/// (property) place are called in rule ids, and how a human names it.
#[derive(Clone)]
struct Ctx {
    request: bool,
    place: &'static str,
    nested: &'static str,
    /// The top-level thing (`request body`, `query parameter `x``).
    root: String,
    /// The property path below it (`card/holder`), empty at the top.
    path: String,
}

impl Ctx {
    fn top(request: bool, place: &'static str, root: String) -> Ctx {
        Ctx {
            request,
            place,
            nested: if request {
                "request-property"
            } else {
                "response-property"
            },
            root,
            path: String::new(),
        }
    }

    fn label(&self) -> String {
        if self.path.is_empty() {
            self.root.clone()
        } else {
            format!("{} property `{}`", self.root, self.path)
        }
    }

    fn property(&self, name: &str) -> Ctx {
        Ctx {
            place: self.nested,
            path: if self.path.is_empty() {
                name.to_owned()
            } else {
                format!("{}/{name}", self.path)
            },
            ..self.clone()
        }
    }

    fn items(&self) -> Ctx {
        Ctx {
            path: format!("{}[]", self.path),
            ..self.clone()
        }
    }

    fn with_root(&self, root: String) -> Ctx {
        Ctx {
            root,
            ..self.clone()
        }
    }
}

/// A path template with its parameter names blanked, so `/cards/{id}` and `/cards/{cardId}` are
/// the same path.
fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push_str("{}");
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

fn is_true(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl<'a> Walker<'a> {
    fn emit(&mut self, id: &str, message: String, base: Option<&str>, revision: Option<&str>) {
        let Some(rule) = rules::rule(id) else {
            debug_assert!(false, "diff rule `{id}` is not in the rule table");
            return;
        };
        self.changes.push(RawChange {
            id: rule.id,
            level: rule.level,
            operation: self.operation.clone(),
            operation_id: self.operation_id.clone(),
            message,
            base: base.map(str::to_owned),
            revision: revision.map(str::to_owned),
        });
    }

    fn paths(&mut self) {
        let base_paths = self
            .base
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(empty());
        let rev_paths = self
            .revision
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(empty());
        let rev_by_norm: BTreeMap<String, &String> =
            rev_paths.keys().map(|key| (normalize(key), key)).collect();
        let base_by_norm: BTreeMap<String, &String> =
            base_paths.keys().map(|key| (normalize(key), key)).collect();
        for (norm, base_key) in &base_by_norm {
            let bp = join("/paths", base_key);
            let base_item = resolve(self.base, &base_paths[base_key.as_str()], bp);
            match rev_by_norm.get(norm) {
                None => self.path_removed(base_key, base_item),
                Some(rev_key) => {
                    let rp = join("/paths", rev_key);
                    let rev_item = resolve(self.revision, &rev_paths[rev_key.as_str()], rp);
                    self.path(base_key, base_item, rev_key, rev_item);
                }
            }
        }
        for (norm, rev_key) in &rev_by_norm {
            if base_by_norm.contains_key(norm) {
                continue;
            }
            let rp = join("/paths", rev_key);
            let item = resolve(self.revision, &rev_paths[rev_key.as_str()], rp);
            for method in METHODS {
                if let Some(op) = item.0.get(*method) {
                    self.enter(method, rev_key, op);
                    self.emit(
                        "endpoint-added",
                        "operation added".to_owned(),
                        None,
                        Some(&join(&item.1, method)),
                    );
                }
            }
        }
    }

    fn enter(&mut self, method: &str, path: &str, op: &Value) {
        self.operation = Some(format!("{} {path}", method.to_ascii_uppercase()));
        self.operation_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }

    fn path_removed(&mut self, key: &str, item: (&Value, String)) {
        let ops: Vec<&str> = METHODS
            .iter()
            .copied()
            .filter(|method| item.0.get(*method).is_some())
            .collect();
        let all_deprecated = ops
            .iter()
            .all(|method| is_true(&item.0[*method], "deprecated"));
        for method in ops {
            self.enter(method, key, &item.0[method]);
            let (id, message) = if all_deprecated {
                (
                    "api-path-removed-with-deprecation",
                    "deprecated path removed",
                )
            } else {
                (
                    "api-path-removed-without-deprecation",
                    "path removed without deprecation",
                )
            };
            self.emit(id, message.to_owned(), Some(&join(&item.1, method)), None);
        }
    }

    fn path(
        &mut self,
        base_key: &str,
        base: (&'a Value, String),
        rev_key: &str,
        rev: (&'a Value, String),
    ) {
        for method in METHODS {
            let b = base.0.get(*method);
            let r = rev.0.get(*method);
            let bp = join(&base.1, method);
            let rp = join(&rev.1, method);
            match (b, r) {
                (Some(b), None) => {
                    self.enter(method, base_key, b);
                    if is_true(b, "deprecated") {
                        self.emit(
                            "api-removed-with-deprecation",
                            "deprecated operation removed".to_owned(),
                            Some(&bp),
                            None,
                        );
                    } else {
                        self.emit(
                            "api-removed-without-deprecation",
                            "operation removed without deprecation".to_owned(),
                            Some(&bp),
                            None,
                        );
                    }
                }
                (None, Some(r)) => {
                    self.enter(method, rev_key, r);
                    self.emit(
                        "endpoint-added",
                        "operation added".to_owned(),
                        None,
                        Some(&rp),
                    );
                }
                (Some(b), Some(r)) => {
                    self.enter(method, rev_key, r);
                    self.operation_body(
                        (base.0, base.1.as_str()),
                        (b, bp.as_str()),
                        (rev.0, rev.1.as_str()),
                        (r, rp.as_str()),
                        (base_key, rev_key),
                    );
                }
                (None, None) => {}
            }
        }
    }

    fn operation_body(
        &mut self,
        base_item: (&'a Value, &str),
        base: (&'a Value, &str),
        rev_item: (&'a Value, &str),
        rev: (&'a Value, &str),
        keys: (&str, &str),
    ) {
        let (b, bp) = base;
        let (r, rp) = rev;
        match (is_true(b, "deprecated"), is_true(r, "deprecated")) {
            (false, true) => self.emit(
                "api-deprecated",
                "operation deprecated".to_owned(),
                Some(bp),
                Some(rp),
            ),
            (true, false) => self.emit(
                "api-reactivated",
                "operation no longer deprecated".to_owned(),
                Some(bp),
                Some(rp),
            ),
            _ => {}
        }
        let bid = b.get("operationId").and_then(Value::as_str);
        let rid = r.get("operationId").and_then(Value::as_str);
        if bid != rid {
            self.emit(
                "api-operation-id-changed",
                format!(
                    "operationId changed from `{}` to `{}`",
                    bid.unwrap_or("(none)"),
                    rid.unwrap_or("(none)")
                ),
                Some(&format!("{bp}/operationId")),
                Some(&format!("{rp}/operationId")),
            );
        }
        self.parameters(base_item, base, rev_item, rev, keys);
        self.request_body(base, rev);
        self.responses(base, rev);
        self.security(base, rev);
    }

    /// The parameters of an operation, path-level ones overridden by operation-level ones, keyed
    /// by location and name (path parameters by their position in the template, so renaming one
    /// is not a change clients see).
    fn collect_parameters(
        doc: &'a Value,
        item: (&'a Value, &str),
        op: (&'a Value, &str),
        key: &str,
    ) -> BTreeMap<(String, String), (&'a Value, String, String)> {
        let mut out = BTreeMap::new();
        let slots: Vec<String> = {
            let mut names = Vec::new();
            let mut rest = key;
            while let Some(start) = rest.find('{') {
                let Some(end) = rest[start..].find('}') else {
                    break;
                };
                names.push(rest[start + 1..start + end].to_owned());
                rest = &rest[start + end..];
            }
            names
        };
        for (node, ptr) in [item, op] {
            let Some(list) = node.get("parameters").and_then(Value::as_array) else {
                continue;
            };
            for (index, param) in list.iter().enumerate() {
                let (param, pointer) = resolve(doc, param, format!("{ptr}/parameters/{index}"));
                let location = param.get("in").and_then(Value::as_str).unwrap_or("");
                let name = param.get("name").and_then(Value::as_str).unwrap_or("");
                let key_name = match location {
                    "path" => slots
                        .iter()
                        .position(|slot| slot == name)
                        .map_or_else(|| name.to_owned(), |at| format!("#{at}")),
                    "header" => name.to_ascii_lowercase(),
                    _ => name.to_owned(),
                };
                out.insert(
                    (location.to_owned(), key_name),
                    (param, pointer, name.to_owned()),
                );
            }
        }
        out
    }

    fn parameters(
        &mut self,
        base_item: (&'a Value, &str),
        base: (&'a Value, &str),
        rev_item: (&'a Value, &str),
        rev: (&'a Value, &str),
        keys: (&str, &str),
    ) {
        let bparams = Self::collect_parameters(self.base, base_item, base, keys.0);
        let rparams = Self::collect_parameters(self.revision, rev_item, rev, keys.1);
        let mut moved = HashSet::new();
        for ((location, key), (bparam, bptr, name)) in &bparams {
            match rparams.get(&(location.clone(), key.clone())) {
                Some((rparam, rptr, _)) => {
                    self.parameter(location, name, (bparam, bptr), (rparam, rptr));
                }
                None => {
                    let elsewhere = rparams
                        .iter()
                        .find(|((other, _), (_, _, rname))| other != location && rname == name);
                    if let Some(((other, _), (_, rptr, _))) = elsewhere {
                        moved.insert((other.clone(), name.clone()));
                        self.emit(
                            "request-parameter-moved",
                            format!("{location} parameter `{name}` moved to {other}"),
                            Some(bptr),
                            Some(rptr),
                        );
                    } else {
                        self.emit(
                            "request-parameter-removed",
                            format!("{location} parameter `{name}` removed"),
                            Some(bptr),
                            None,
                        );
                    }
                }
            }
        }
        for ((location, key), (rparam, rptr, name)) in &rparams {
            if bparams.contains_key(&(location.clone(), key.clone()))
                || moved.contains(&(location.clone(), name.clone()))
            {
                continue;
            }
            if is_true(rparam, "required") {
                self.emit(
                    "new-required-request-parameter",
                    format!("new required {location} parameter `{name}`"),
                    None,
                    Some(rptr),
                );
            } else {
                self.emit(
                    "new-optional-request-parameter",
                    format!("new optional {location} parameter `{name}`"),
                    None,
                    Some(rptr),
                );
            }
        }
    }

    fn parameter(&mut self, location: &str, name: &str, b: (&Value, &str), r: (&Value, &str)) {
        let (bp, bptr) = b;
        let (rp, rptr) = r;
        match (is_true(bp, "required"), is_true(rp, "required")) {
            (false, true) => self.emit(
                "request-parameter-became-required",
                format!("{location} parameter `{name}` became required"),
                Some(bptr),
                Some(rptr),
            ),
            (true, false) => self.emit(
                "request-parameter-became-optional",
                format!("{location} parameter `{name}` became optional"),
                Some(bptr),
                Some(rptr),
            ),
            _ => {}
        }
        if !is_true(bp, "deprecated") && is_true(rp, "deprecated") {
            self.emit(
                "request-parameter-deprecated",
                format!("{location} parameter `{name}` deprecated"),
                Some(bptr),
                Some(rptr),
            );
        }
        let ctx = Ctx::top(
            true,
            "request-parameter",
            format!("{location} parameter `{name}`"),
        );
        let mut seen = HashSet::new();
        self.schema(
            bp.get("schema"),
            &format!("{bptr}/schema"),
            rp.get("schema"),
            &format!("{rptr}/schema"),
            &ctx,
            &mut seen,
        );
    }

    fn request_body(&mut self, base: (&Value, &str), rev: (&Value, &str)) {
        let b = base
            .0
            .get("requestBody")
            .map(|body| resolve(self.base, body, format!("{}/requestBody", base.1)));
        let r = rev
            .0
            .get("requestBody")
            .map(|body| resolve(self.revision, body, format!("{}/requestBody", rev.1)));
        match (b, r) {
            (None, None) => {}
            (None, Some((r, rptr))) => {
                if is_true(r, "required") {
                    self.emit(
                        "request-body-added-required",
                        "required request body added".to_owned(),
                        None,
                        Some(&rptr),
                    );
                } else {
                    self.emit(
                        "request-body-added-optional",
                        "optional request body added".to_owned(),
                        None,
                        Some(&rptr),
                    );
                }
            }
            (Some((_, bptr)), None) => self.emit(
                "request-body-removed",
                "request body removed".to_owned(),
                Some(&bptr),
                None,
            ),
            (Some((b, bptr)), Some((r, rptr))) => {
                match (is_true(b, "required"), is_true(r, "required")) {
                    (false, true) => self.emit(
                        "request-body-became-required",
                        "request body became required".to_owned(),
                        Some(&bptr),
                        Some(&rptr),
                    ),
                    (true, false) => self.emit(
                        "request-body-became-optional",
                        "request body became optional".to_owned(),
                        Some(&bptr),
                        Some(&rptr),
                    ),
                    _ => {}
                }
                let ctx = Ctx::top(true, "request-body", "request body".to_owned());
                self.content(
                    (b, &bptr),
                    (r, &rptr),
                    (
                        "request-body-media-type-removed",
                        "request-body-media-type-added",
                    ),
                    &ctx,
                );
            }
        }
    }

    fn content(&mut self, base: (&Value, &str), rev: (&Value, &str), ids: (&str, &str), ctx: &Ctx) {
        let empty = serde_json::Map::new();
        let bc = base
            .0
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let rc = rev
            .0
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (media, bnode) in bc {
            let bptr = join(&format!("{}/content", base.1), media);
            match rc.get(media) {
                None => self.emit(
                    ids.0,
                    format!("{} media type `{media}` removed", ctx.root),
                    Some(&bptr),
                    None,
                ),
                Some(rnode) => {
                    let rptr = join(&format!("{}/content", rev.1), media);
                    let mut seen = HashSet::new();
                    let ctx = if bc.len() > 1 {
                        ctx.with_root(format!("{} ({media})", ctx.root))
                    } else {
                        ctx.clone()
                    };
                    self.schema(
                        bnode.get("schema"),
                        &format!("{bptr}/schema"),
                        rnode.get("schema"),
                        &format!("{rptr}/schema"),
                        &ctx,
                        &mut seen,
                    );
                }
            }
        }
        for media in rc.keys() {
            if !bc.contains_key(media) {
                self.emit(
                    ids.1,
                    format!("{} media type `{media}` added", ctx.root),
                    None,
                    Some(&join(&format!("{}/content", rev.1), media)),
                );
            }
        }
    }

    fn responses(&mut self, base: (&Value, &str), rev: (&Value, &str)) {
        let empty = serde_json::Map::new();
        let br = base
            .0
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let rr = rev
            .0
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let success = |status: &str| status.starts_with('2');
        for (status, bnode) in br {
            let bptr = join(&format!("{}/responses", base.1), status);
            match rr.get(status) {
                None => {
                    let id = if success(status) {
                        "response-success-status-removed"
                    } else {
                        "response-non-success-status-removed"
                    };
                    self.emit(
                        id,
                        format!("response status {status} removed"),
                        Some(&bptr),
                        None,
                    );
                }
                Some(rnode) => {
                    let rptr = join(&format!("{}/responses", rev.1), status);
                    let (bnode, bptr) = resolve(self.base, bnode, bptr);
                    let (rnode, rptr) = resolve(self.revision, rnode, rptr);
                    let ctx = Ctx::top(false, "response-body", format!("response {status} body"));
                    self.content(
                        (bnode, &bptr),
                        (rnode, &rptr),
                        ("response-media-type-removed", "response-media-type-added"),
                        &ctx,
                    );
                    self.response_headers((bnode, &bptr), (rnode, &rptr), status);
                }
            }
        }
        for status in rr.keys() {
            if !br.contains_key(status) {
                let id = if success(status) {
                    "response-success-status-added"
                } else {
                    "response-non-success-status-added"
                };
                self.emit(
                    id,
                    format!("response status {status} added"),
                    None,
                    Some(&join(&format!("{}/responses", rev.1), status)),
                );
            }
        }
    }

    fn response_headers(&mut self, base: (&Value, &str), rev: (&Value, &str), status: &str) {
        let (Some(bh), Some(rh)) = (
            base.0.get("headers").and_then(Value::as_object),
            rev.0.get("headers").and_then(Value::as_object),
        ) else {
            return;
        };
        for (name, bnode) in bh {
            let Some((rname, rnode)) = rh
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            let (bnode, bptr) =
                resolve(self.base, bnode, join(&format!("{}/headers", base.1), name));
            let (rnode, rptr) = resolve(
                self.revision,
                rnode,
                join(&format!("{}/headers", rev.1), rname),
            );
            let ctx = Ctx::top(
                false,
                "response-header",
                format!("response {status} header `{name}`"),
            );
            let mut seen = HashSet::new();
            self.schema(
                bnode.get("schema"),
                &format!("{bptr}/schema"),
                rnode.get("schema"),
                &format!("{rptr}/schema"),
                &ctx,
                &mut seen,
            );
        }
    }

    fn security(&mut self, base: (&Value, &str), rev: (&Value, &str)) {
        let (balts, bptr) = requirements(self.base, base);
        let (ralts, rptr) = requirements(self.revision, rev);
        let requires = |alts: &BTreeMap<BTreeSet<String>, BTreeSet<String>>| {
            !alts.is_empty() && !alts.contains_key(&BTreeSet::new())
        };
        match (requires(&balts), requires(&ralts)) {
            (false, true) => {
                self.emit(
                    "api-security-added",
                    format!("operation now requires {}", describe(&ralts)),
                    Some(&bptr),
                    Some(&rptr),
                );
                return;
            }
            (true, false) => {
                self.emit(
                    "api-security-removed",
                    "operation no longer requires authentication".to_owned(),
                    Some(&bptr),
                    Some(&rptr),
                );
                return;
            }
            (false, false) => return,
            (true, true) => {}
        }
        for (schemes, bscopes) in &balts {
            match ralts.get(schemes) {
                None => self.emit(
                    "api-security-alternative-removed",
                    format!("security requirement {} removed", names(schemes)),
                    Some(&bptr),
                    Some(&rptr),
                ),
                Some(rscopes) => {
                    for scope in rscopes.difference(bscopes) {
                        self.emit(
                            "api-security-scope-added",
                            format!("scope `{scope}` now required ({})", names(schemes)),
                            Some(&bptr),
                            Some(&rptr),
                        );
                    }
                    for scope in bscopes.difference(rscopes) {
                        self.emit(
                            "api-security-scope-removed",
                            format!("scope `{scope}` no longer required ({})", names(schemes)),
                            Some(&bptr),
                            Some(&rptr),
                        );
                    }
                }
            }
        }
        for schemes in ralts.keys() {
            if !balts.contains_key(schemes) {
                self.emit(
                    "api-security-alternative-added",
                    format!("security requirement {} added", names(schemes)),
                    Some(&bptr),
                    Some(&rptr),
                );
            }
        }
    }

    fn security_schemes(&mut self) {
        let empty = serde_json::Map::new();
        let get = |doc: &'a Value| {
            doc.pointer("/components/securitySchemes")
                .and_then(Value::as_object)
        };
        let bs = get(self.base).unwrap_or(&empty);
        let rs = get(self.revision).unwrap_or(&empty);
        for (name, bnode) in bs {
            let bptr = join("/components/securitySchemes", name);
            match rs.get(name) {
                None => self.emit(
                    "security-scheme-removed",
                    format!("security scheme `{name}` removed"),
                    Some(&bptr),
                    None,
                ),
                Some(rnode) => {
                    let rptr = join("/components/securitySchemes", name);
                    let (bnode, _) = resolve(self.base, bnode, bptr.clone());
                    let (rnode, _) = resolve(self.revision, rnode, rptr.clone());
                    // Only what decides how a credential is sent; descriptions are not a change.
                    let changed: Vec<&str> = ["type", "in", "name", "scheme", "openIdConnectUrl"]
                        .into_iter()
                        .filter(|key| bnode.get(*key) != rnode.get(*key))
                        .collect();
                    if !changed.is_empty() {
                        self.emit(
                            "security-scheme-changed",
                            format!("security scheme `{name}` changed ({})", changed.join(", ")),
                            Some(&bptr),
                            Some(&rptr),
                        );
                    }
                }
            }
        }
        for name in rs.keys() {
            if !bs.contains_key(name) {
                self.emit(
                    "security-scheme-added",
                    format!("security scheme `{name}` added"),
                    None,
                    Some(&join("/components/securitySchemes", name)),
                );
            }
        }
    }
}

/// An operation's security alternatives (its own, or the document's): scheme names → scopes.
fn requirements(
    doc: &Value,
    op: (&Value, &str),
) -> (BTreeMap<BTreeSet<String>, BTreeSet<String>>, String) {
    let (list, pointer) = match op.0.get("security") {
        Some(list) => (list, format!("{}/security", op.1)),
        None => match doc.get("security") {
            Some(list) => (list, "/security".to_owned()),
            None => return (BTreeMap::new(), op.1.to_owned()),
        },
    };
    let mut out = BTreeMap::new();
    for alternative in list.as_array().into_iter().flatten() {
        let Some(map) = alternative.as_object() else {
            continue;
        };
        let schemes: BTreeSet<String> = map.keys().cloned().collect();
        let scopes: BTreeSet<String> = map
            .iter()
            .flat_map(|(scheme, scopes)| {
                scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(move |scope| format!("{scheme}:{}", text(scope)))
            })
            .collect();
        out.insert(schemes, scopes);
    }
    (out, pointer)
}

fn names(schemes: &BTreeSet<String>) -> String {
    let list: Vec<&str> = schemes.iter().map(String::as_str).collect();
    format!("`{}`", list.join(" + "))
}

fn describe(alts: &BTreeMap<BTreeSet<String>, BTreeSet<String>>) -> String {
    let list: Vec<String> = alts.keys().map(names).collect();
    list.join(" or ")
}

/// Follows local `$ref`s (a bounded number of hops, so a reference loop cannot hang us) and
/// returns the node with its own pointer, so locations name where it is written.
pub fn resolve<'v>(doc: &'v Value, node: &'v Value, pointer: String) -> (&'v Value, String) {
    let mut node = node;
    let mut pointer = pointer;
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(fragment) = reference.strip_prefix('#') else {
            break;
        };
        let decoded: String = percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned();
        match doc.pointer(&decoded) {
            Some(target) => {
                node = target;
                pointer = decoded;
            }
            None => break,
        }
    }
    (node, pointer)
}

/// A schema as compared: the node (after `$ref`s) and its `allOf` members, read as one schema
/// (properties and `required` united, a keyword read from the first part that has it), so moving
/// a property into a shared `allOf` part is not a change.
struct View<'v> {
    pointer: String,
    parts: Vec<(&'v Value, String)>,
}

impl<'v> View<'v> {
    fn new(doc: &'v Value, node: &'v Value, pointer: &str) -> View<'v> {
        let (node, pointer) = resolve(doc, node, pointer.to_owned());
        let mut view = View {
            pointer: pointer.clone(),
            parts: Vec::new(),
        };
        view.add(doc, node, pointer, 0);
        view
    }

    fn add(&mut self, doc: &'v Value, node: &'v Value, pointer: String, depth: usize) {
        if depth > 8 || self.parts.iter().any(|(_, seen)| *seen == pointer) {
            return;
        }
        self.parts.push((node, pointer.clone()));
        if let Some(members) = node.get("allOf").and_then(Value::as_array) {
            for (index, member) in members.iter().enumerate() {
                let (member, at) = resolve(doc, member, format!("{pointer}/allOf/{index}"));
                self.add(doc, member, at, depth + 1);
            }
        }
    }

    fn get(&self, key: &str) -> Option<&'v Value> {
        self.parts.iter().find_map(|(node, _)| node.get(key))
    }

    fn key_pointer(&self, key: &str) -> String {
        self.parts
            .iter()
            .find(|(node, _)| node.get(key).is_some())
            .map_or_else(|| self.pointer.clone(), |(_, at)| join(at, key))
    }

    fn properties(&self) -> Vec<(&'v str, &'v Value, String)> {
        let mut out: Vec<(&'v str, &'v Value, String)> = Vec::new();
        for (node, at) in &self.parts {
            let Some(map) = node.get("properties").and_then(Value::as_object) else {
                continue;
            };
            for (name, schema) in map {
                if out.iter().all(|(known, _, _)| *known != name.as_str()) {
                    out.push((name, schema, join(&format!("{at}/properties"), name)));
                }
            }
        }
        out
    }

    fn required(&self) -> HashSet<&'v str> {
        self.parts
            .iter()
            .filter_map(|(node, _)| node.get("required").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::as_f64)
    }
}

/// A schema's shape as text, `$ref`s expanded (to a bounded depth, which also cuts cycles), so
/// `oneOf` members can be matched by shape whatever their component is called.
fn canonical(doc: &Value, node: &Value, depth: usize) -> String {
    let (node, _) = resolve(doc, node, String::new());
    if depth > 6 {
        return "…".to_owned();
    }
    match node {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map
                .keys()
                .filter(|key| {
                    !matches!(
                        key.as_str(),
                        "description" | "title" | "example" | "examples" | "$ref"
                    ) && !key.starts_with("x-")
                })
                .collect();
            keys.sort();
            let inner: Vec<String> = keys
                .into_iter()
                .map(|key| format!("{key}:{}", canonical(doc, &map[key], depth + 1)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|item| canonical(doc, item, depth + 1))
                .collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
}

fn type_text(view: &View) -> String {
    let kind = view.get("type").map(text).unwrap_or_default();
    match view.get("format") {
        Some(format) => format!("{kind}/{}", text(format)),
        None => kind,
    }
}

fn show(value: Option<f64>) -> String {
    value.map_or_else(|| "unbounded".to_owned(), |n| n.to_string())
}

/// The bounds compared: keyword, the suffix when it tightens, the suffix when it loosens, and
/// whether it is an upper bound (absent = no bound either way).
const BOUNDS: &[(&str, &str, &str, bool)] = &[
    (
        "maxLength",
        "max-length-decreased",
        "max-length-increased",
        true,
    ),
    (
        "minLength",
        "min-length-increased",
        "min-length-decreased",
        false,
    ),
    ("maximum", "max-decreased", "max-increased", true),
    ("minimum", "min-increased", "min-decreased", false),
    (
        "maxItems",
        "max-items-decreased",
        "max-items-increased",
        true,
    ),
    (
        "minItems",
        "min-items-increased",
        "min-items-decreased",
        false,
    ),
];

impl Walker<'_> {
    #[allow(clippy::too_many_lines)]
    fn schema(
        &mut self,
        base: Option<&Value>,
        bptr: &str,
        rev: Option<&Value>,
        rptr: &str,
        ctx: &Ctx,
        seen: &mut HashSet<(String, String)>,
    ) {
        // A schema appearing or vanishing under a media type is not a constraint we can order.
        let (Some(base), Some(rev)) = (base, rev) else {
            return;
        };
        let b = View::new(self.base, base, bptr);
        let r = View::new(self.revision, rev, rptr);
        // The pair already being compared further up: a recursive schema, compared once.
        if !seen.insert((b.pointer.clone(), r.pointer.clone())) {
            return;
        }
        let place = ctx.place;
        let label = ctx.label();
        let label = label.as_str();
        let id = |suffix: &str| format!("{place}-{suffix}");
        let (bp, rp) = (b.pointer.clone(), r.pointer.clone());

        let (bt, rt) = (type_text(&b), type_text(&r));
        if bt != rt {
            self.emit(
                &id("type-changed"),
                format!("{label} type changed from `{bt}` to `{rt}`"),
                Some(&b.key_pointer("type")),
                Some(&r.key_pointer("type")),
            );
        }
        match (b.flag("nullable"), r.flag("nullable")) {
            (false, true) => self.emit(
                &id("became-nullable"),
                format!("{label} became nullable"),
                Some(&bp),
                Some(&r.key_pointer("nullable")),
            ),
            (true, false) => self.emit(
                &id("became-not-nullable"),
                format!("{label} became not nullable"),
                Some(&b.key_pointer("nullable")),
                Some(&rp),
            ),
            _ => {}
        }
        match (b.get("pattern"), r.get("pattern")) {
            (None, Some(p)) => self.emit(
                &id("pattern-added"),
                format!("{label} pattern `{}` added", text(p)),
                Some(&bp),
                Some(&r.key_pointer("pattern")),
            ),
            (Some(p), None) => self.emit(
                &id("pattern-removed"),
                format!("{label} pattern `{}` removed", text(p)),
                Some(&b.key_pointer("pattern")),
                Some(&rp),
            ),
            (Some(x), Some(y)) if x != y => self.emit(
                &id("pattern-changed"),
                format!(
                    "{label} pattern changed from `{}` to `{}`",
                    text(x),
                    text(y)
                ),
                Some(&b.key_pointer("pattern")),
                Some(&r.key_pointer("pattern")),
            ),
            _ => {}
        }
        for (key, tighter, looser, upper) in BOUNDS {
            let (x, y) = (b.number(key), r.number(key));
            let tightened = match (x, y) {
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                (Some(x), Some(y)) if x != y => Some((y < x) == *upper),
                _ => None,
            };
            if let Some(tightened) = tightened {
                let suffix = if tightened { tighter } else { looser };
                self.emit(
                    &id(suffix),
                    format!("{label} {key} changed from {} to {}", show(x), show(y)),
                    Some(&b.key_pointer(key)),
                    Some(&r.key_pointer(key)),
                );
            }
        }
        for (key, short) in [("exclusiveMaximum", "max"), ("exclusiveMinimum", "min")] {
            let x = b.get(key).and_then(Value::as_bool).unwrap_or(false);
            let y = r.get(key).and_then(Value::as_bool).unwrap_or(false);
            if x != y {
                let suffix = if y {
                    format!("exclusive-{short}-set")
                } else {
                    format!("exclusive-{short}-unset")
                };
                self.emit(
                    &id(&suffix),
                    format!("{label} {key} {}", if y { "set" } else { "unset" }),
                    Some(&b.key_pointer(key)),
                    Some(&r.key_pointer(key)),
                );
            }
        }
        self.enums(&b, &r, ctx);
        let closed = |view: &View| view.get("additionalProperties") == Some(&Value::Bool(false));
        match (closed(&b), closed(&r)) {
            (false, true) => self.emit(
                &id("additional-properties-disallowed"),
                format!("{label} no longer allows undocumented properties"),
                Some(&bp),
                Some(&r.key_pointer("additionalProperties")),
            ),
            (true, false) => self.emit(
                &id("additional-properties-allowed"),
                format!("{label} now allows undocumented properties"),
                Some(&b.key_pointer("additionalProperties")),
                Some(&rp),
            ),
            _ => {}
        }
        self.properties(&b, &r, ctx, closed(&b), seen);
        if let (Some(x), Some(y)) = (b.get("items"), r.get("items")) {
            let (xp, yp) = (b.key_pointer("items"), r.key_pointer("items"));
            self.schema(Some(x), &xp, Some(y), &yp, &ctx.items(), seen);
        }
        for (key, short) in [("oneOf", "one-of"), ("anyOf", "any-of")] {
            self.members(&b, &r, key, short, ctx, seen);
        }
        seen.remove(&(b.pointer.clone(), r.pointer.clone()));
    }

    fn enums(&mut self, b: &View, r: &View, ctx: &Ctx) {
        let place = ctx.place;
        let label = ctx.label();
        let label = label.as_str();
        let values = |view: &View| {
            view.get("enum")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(text).collect::<Vec<String>>())
        };
        match (values(b), values(r)) {
            (None, Some(_)) => self.emit(
                &format!("{place}-enum-set"),
                format!("{label} restricted to an enum"),
                Some(&b.pointer),
                Some(&r.key_pointer("enum")),
            ),
            (Some(_), None) => self.emit(
                &format!("{place}-enum-unset"),
                format!("{label} no longer restricted to an enum"),
                Some(&b.key_pointer("enum")),
                Some(&r.pointer),
            ),
            (Some(x), Some(y)) => {
                for value in y.iter().filter(|value| !x.contains(value)) {
                    self.emit(
                        &format!("{place}-enum-value-added"),
                        format!("{label} enum value `{value}` added"),
                        Some(&b.key_pointer("enum")),
                        Some(&r.key_pointer("enum")),
                    );
                }
                for value in x.iter().filter(|value| !y.contains(value)) {
                    self.emit(
                        &format!("{place}-enum-value-removed"),
                        format!("{label} enum value `{value}` removed"),
                        Some(&b.key_pointer("enum")),
                        Some(&r.key_pointer("enum")),
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn properties(
        &mut self,
        b: &View,
        r: &View,
        ctx: &Ctx,
        base_closed: bool,
        seen: &mut HashSet<(String, String)>,
    ) {
        let (bprops, rprops) = (b.properties(), r.properties());
        let (breq, rreq) = (b.required(), r.required());
        // What the side never carries: readOnly properties are not sent, writeOnly ones not returned.
        let hidden_key = if ctx.request { "readOnly" } else { "writeOnly" };
        let hidden =
            |doc: &Value, node: &Value, at: &str| View::new(doc, node, at).flag(hidden_key);
        for (name, bnode, bat) in &bprops {
            let sub = ctx.property(name);
            let label = sub.label();
            match rprops.iter().find(|(other, _, _)| other == name) {
                None => {
                    if hidden(self.base, bnode, bat) {
                        continue;
                    }
                    let id = if ctx.request {
                        "request-property-removed"
                    } else {
                        "response-property-removed"
                    };
                    self.emit(id, format!("{label} removed"), Some(bat), Some(&r.pointer));
                }
                Some((_, rnode, rat)) => {
                    let side = if ctx.request { "request" } else { "response" };
                    let (was, now) = (breq.contains(name), rreq.contains(name));
                    if was != now {
                        let which = if now { "required" } else { "optional" };
                        self.emit(
                            &format!("{side}-property-became-{which}"),
                            format!("{label} became {which}"),
                            Some(bat),
                            Some(rat),
                        );
                    }
                    let bv = View::new(self.base, bnode, bat);
                    let rv = View::new(self.revision, rnode, rat);
                    for (key, word) in [("readOnly", "read-only"), ("writeOnly", "write-only")] {
                        match (bv.flag(key), rv.flag(key)) {
                            (false, true) => self.emit(
                                &format!("{side}-property-became-{word}"),
                                format!("{label} became {word}"),
                                Some(bat),
                                Some(rat),
                            ),
                            (true, false) => self.emit(
                                &format!("{side}-property-became-not-{word}"),
                                format!("{label} is no longer {word}"),
                                Some(bat),
                                Some(rat),
                            ),
                            _ => {}
                        }
                    }
                    self.schema(Some(bnode), bat, Some(rnode), rat, &sub, seen);
                }
            }
        }
        for (name, rnode, rat) in &rprops {
            if bprops.iter().any(|(other, _, _)| other == name) || hidden(self.revision, rnode, rat)
            {
                continue;
            }
            let label = ctx.property(name).label();
            let id = match (ctx.request, rreq.contains(name), base_closed) {
                (true, true, _) => "new-required-request-property",
                (true, false, _) => "new-optional-request-property",
                (false, _, true) => "response-property-added-to-closed-object",
                (false, _, false) => "response-property-added",
            };
            self.emit(id, format!("{label} added"), Some(&b.pointer), Some(rat));
        }
    }

    fn members(
        &mut self,
        b: &View,
        r: &View,
        key: &str,
        short: &str,
        ctx: &Ctx,
        seen: &mut HashSet<(String, String)>,
    ) {
        let (bl, rl) = (members_of(b, key), members_of(r, key));
        if bl.is_empty() && rl.is_empty() {
            return;
        }
        let (bkey, rkey) = (b.key_pointer(key), r.key_pointer(key));
        let bshapes: Vec<String> = bl.iter().map(|m| canonical(self.base, m, 0)).collect();
        let rshapes: Vec<String> = rl.iter().map(|m| canonical(self.revision, m, 0)).collect();
        let mut unmatched_r: Vec<usize> = (0..rl.len()).collect();
        let mut unmatched_b = Vec::new();
        for (i, shape) in bshapes.iter().enumerate() {
            match unmatched_r.iter().position(|&j| rshapes[j] == *shape) {
                Some(at) => {
                    unmatched_r.remove(at);
                }
                None => unmatched_b.push(i),
            }
        }
        // As many changed as there were: the same members edited in place, compared pairwise.
        if unmatched_b.len() == unmatched_r.len() {
            for (&i, &j) in unmatched_b.iter().zip(&unmatched_r) {
                let sub = Ctx {
                    path: format!("{}{key}[{j}]", ctx.path),
                    ..ctx.clone()
                };
                self.schema(
                    Some(bl[i]),
                    &format!("{bkey}/{i}"),
                    Some(rl[j]),
                    &format!("{rkey}/{j}"),
                    &sub,
                    seen,
                );
            }
            return;
        }
        for &i in &unmatched_b {
            self.emit(
                &format!("{}-{short}-removed", ctx.place),
                format!("{} {key} member {i} removed", ctx.label()),
                Some(&format!("{bkey}/{i}")),
                Some(&rkey),
            );
        }
        for &j in &unmatched_r {
            self.emit(
                &format!("{}-{short}-added", ctx.place),
                format!("{} {key} member {j} added", ctx.label()),
                Some(&bkey),
                Some(&format!("{rkey}/{j}")),
            );
        }
    }
}

fn members_of<'v>(view: &View<'v>, key: &str) -> Vec<&'v Value> {
    view.get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().collect())
        .unwrap_or_default()
}

/// An empty mapping that lives as long as any document (for absent `paths`).
fn empty() -> &'static serde_json::Map<String, Value> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(serde_json::Map::new)
}
