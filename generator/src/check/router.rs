//! Matching a concrete request path (`/cards/activate/123?x=1`) to a spec's path template
//! (`/cards/activate/{cardId}`), as an HTTP router would: literal segments win over parameters.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

/// A concrete path split into what routing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcretePath {
    /// The path without scheme, host and query.
    pub path: String,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
}

impl ConcretePath {
    /// Accepts `/a/b?x=1` or a full URL (`https://host/a/b?x=1`).
    pub fn parse(input: &str) -> ConcretePath {
        let without_scheme = input
            .strip_prefix("https://")
            .or_else(|| input.strip_prefix("http://"));
        let rest = match without_scheme {
            Some(rest) => rest.find('/').map_or("/", |index| &rest[index..]),
            None => input,
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (
                    decode(&name.replace('+', " ")),
                    decode(&value.replace('+', " ")),
                )
            })
            .collect();
        ConcretePath {
            path: if path.is_empty() {
                "/".to_owned()
            } else {
                path.to_owned()
            },
            query,
        }
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Routes concrete paths to templates.
#[derive(Debug)]
pub struct Router {
    inner: matchit::Router<usize>,
    templates: Vec<String>,
}

/// A template the router cannot hold, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteError {
    pub template: String,
    pub message: String,
}

/// A successful match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch<'a> {
    pub template: &'a str,
    /// Path parameters by name, percent-decoded.
    pub params: BTreeMap<String, String>,
}

impl Router {
    /// Builds a router over the given templates (in spec order).
    pub fn new<'a>(templates: impl IntoIterator<Item = &'a str>) -> Result<Router, RouteError> {
        let mut router = Router {
            inner: matchit::Router::new(),
            templates: Vec::new(),
        };
        for template in templates {
            let index = router.templates.len();
            router
                .inner
                .insert(template, index)
                .map_err(|error| RouteError {
                    template: template.to_owned(),
                    message: error.to_string(),
                })?;
            router.templates.push(template.to_owned());
        }
        Ok(router)
    }

    /// The template matching a path, with its parameters.
    pub fn at(&self, path: &str) -> Option<RouteMatch<'_>> {
        let matched = self.inner.at(path).ok()?;
        let params = matched
            .params
            .iter()
            .map(|(name, value)| (name.to_owned(), decode(value)))
            .collect();
        Some(RouteMatch {
            template: &self.templates[*matched.value],
            params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        let router = Router::new([
            "/cards/{cardId}",
            "/cards/activate",
            "/cards/activate/{cardId}",
        ])
        .unwrap();
        assert_eq!(
            router.at("/cards/activate").unwrap().template,
            "/cards/activate"
        );
        let matched = router.at("/cards/activate/12%203").unwrap();
        assert_eq!(matched.template, "/cards/activate/{cardId}");
        assert_eq!(matched.params["cardId"], "12 3");
        assert_eq!(router.at("/cards/9").unwrap().params["cardId"], "9");
        assert!(router.at("/wallets/9").is_none());
        assert!(router.at("/cards/activate/1/2").is_none());
    }

    #[test]
    fn conflicting_templates_are_reported() {
        let error = Router::new(["/a/{x}", "/a/{y}"]).unwrap_err();
        assert_eq!(error.template, "/a/{y}");
    }

    #[test]
    fn concrete_paths_accept_urls_and_queries() {
        let parsed = ConcretePath::parse("https://api.up2.money/cards/activate/1?a=1&b=x%20y#frag");
        assert_eq!(parsed.path, "/cards/activate/1");
        assert_eq!(
            parsed.query,
            [("a".into(), "1".into()), ("b".into(), "x y".into())]
        );
        assert_eq!(ConcretePath::parse("https://host").path, "/");
    }
}
