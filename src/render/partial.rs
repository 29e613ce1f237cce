//! `partial`, the template function and filter that renders a small template once per
//! distinct set of arguments, like Hugo's `partialCached`.
//!
//! A 10,000-article site shows each article's summary card on some fifteen pages (its tag,
//! topic, section and archive lists, the front page, its neighbours' related news). With
//! `{% include %}` Tera renders the card again each time, and each `{{ item.title }}` it holds
//! is a costly look-up; `{{ partial(name="partials/summary.html", item=item) }}` renders it
//! once and pastes the same HTML after that. The partial sees only its arguments, so its output
//! is a function of the template set and the arguments, and a cached copy is exactly what a
//! fresh render would give: the cache cannot serve a stale card. The filter form,
//! `{{ item | partial(name="partials/summary.html") }}`, does the same without Tera's copy of
//! the arguments; the themes use it, for cards and for the masthead and footer every page
//! shares.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, PoisonError, RwLock};

use tera::{Context, Filter, Function, Tera, Value};
use xxhash_rust::xxh3::xxh3_128;

/// How many bytes of rendered partials the cache keeps before it starts again from nothing:
/// all of a 10,000-article site's cards (some 7 MB), a slice of a 100,000-article site's,
/// whose build must stay under 3 GB.
const BUDGET: usize = 32 << 20;

/// Rendered partials by template and arguments, shared by the pages of one render pass.
pub struct PartialCache {
    /// The template set without `partial` itself: a partial cannot call `partial`, so that no
    /// chain of partials recurses without end.
    tera: Tera,
    /// Read on every hit by both rendering threads at once; written on a miss.
    rendered: RwLock<Rendered>,
    /// Values that many pages hand to partials (the site): each keyed by its digest, made
    /// once, when a partial is given that very value (the same address), not by its bytes.
    pinned: RwLock<Vec<SharedValue>>,
}

/// How many shared values the cache keeps pinned: the site of the build under way, and room
/// for those of builds that did not clear the cache.
const PINNED: usize = 4;

/// A value that every page shares (the site), converted for Tera once, with the digest the
/// partial cache keys it by. Pages hold it through `Context::insert_shared` (the vendored
/// Tera's addition), so a partial given it sees this very allocation.
#[derive(Debug, Clone)]
pub struct SharedValue {
    value: Arc<Value>,
    digest: u128,
}

impl SharedValue {
    pub fn new(value: Value) -> Self {
        let mut bytes = Vec::with_capacity(1024);
        push_value(&mut bytes, &value);
        SharedValue {
            digest: xxh3_128(&bytes),
            value: Arc::new(value),
        }
    }

    /// The value, for `Context::insert_shared`.
    pub fn value(&self) -> &Arc<Value> {
        &self.value
    }

    /// A 128-bit hash of the value's bytes.
    pub fn digest(&self) -> u128 {
        self.digest
    }
}

/// The cache's contents: HTML by key, and its size.
#[derive(Default)]
struct Rendered {
    /// Shared strings (no spare capacity kept): a hit clones the pointer under the lock and
    /// copies the text after it.
    html: HashMap<u128, Arc<str>>,
    bytes: usize,
}

impl PartialCache {
    /// A cache rendering with `tera`.
    pub fn new(tera: Tera) -> Arc<Self> {
        Arc::new(PartialCache {
            tera,
            rendered: RwLock::default(),
            pinned: RwLock::default(),
        })
    }

    /// Forgets every rendered partial and pinned value.
    pub fn clear(&self) {
        *self.write() = Rendered::default();
        self.pinned
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Keys `shared` by its digest when a partial is given it: pages pass the site to the
    /// masthead and footer partials, and hashing its bytes on every page cost more than
    /// rendering them. Holding the value keeps its address from being reused by another.
    pub fn pin(&self, shared: &SharedValue) {
        let is_pinned =
            |pinned: &[SharedValue]| pinned.iter().any(|p| Arc::ptr_eq(&p.value, &shared.value));
        if is_pinned(&self.pinned.read().unwrap_or_else(PoisonError::into_inner)) {
            return;
        }
        let mut pinned = self.pinned.write().unwrap_or_else(PoisonError::into_inner);
        if !is_pinned(&pinned) {
            if pinned.len() == PINNED {
                pinned.remove(0);
            }
            pinned.push(shared.clone());
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Rendered> {
        self.rendered.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Rendered> {
        self.rendered
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn render(&self, name: &str, arguments: &BTreeMap<&str, &Value>) -> tera::Result<String> {
        let key = {
            let pinned = self.pinned.read().unwrap_or_else(PoisonError::into_inner);
            key_of(name, arguments, &pinned)
        };
        if let Some(html) = self.cached(key) {
            return Ok(html);
        }
        // Cloned, not serialised again as `Context::insert` would: the arguments are values.
        let fields = arguments
            .iter()
            .map(|(&argument, &value)| (argument.to_string(), value.clone()))
            .collect();
        let context = Context::from_value(Value::Object(fields))?;
        let html = self.tera.render(name, &context)?;
        let mut rendered = self.write();
        if rendered.bytes + html.len() > BUDGET {
            *rendered = Rendered::default();
        }
        rendered.bytes += html.len();
        rendered.html.insert(key, html.as_str().into());
        Ok(html)
    }

    fn cached(&self, key: u128) -> Option<String> {
        let html = self.read().html.get(&key).cloned();
        html.map(|html| html.to_string())
    }
}

/// A 128-bit hash of a partial's name and arguments: a collision is as likely as two
/// random 128-bit numbers being equal. The bytes are gathered first and hashed in one call:
/// feeding a streaming hasher field by field (or through `postcard`, as `PageKey` does for
/// whole pages) cost more here, measured over a 1,000-article build. A `pinned` value stands
/// for itself by its digest, behind a tag no other value starts with.
fn key_of(name: &str, arguments: &BTreeMap<&str, &Value>, pinned: &[SharedValue]) -> u128 {
    let mut bytes = Vec::with_capacity(1024);
    push_str(&mut bytes, name);
    for (argument, value) in arguments {
        push_str(&mut bytes, argument);
        match pinned.iter().find(|p| std::ptr::eq(&*p.value, *value)) {
            Some(p) => {
                bytes.push(b'p');
                bytes.extend_from_slice(&p.digest.to_le_bytes());
            }
            None => push_value(&mut bytes, value),
        }
    }
    xxh3_128(&bytes)
}

/// Writes `value` so that distinct values give distinct bytes: each part starts with a tag
/// byte, and strings and containers carry their length.
fn push_value(bytes: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => bytes.push(b'n'),
        Value::Bool(b) => bytes.push(if *b { b't' } else { b'f' }),
        Value::Number(number) => {
            bytes.push(b'#');
            push_str(bytes, &number.to_string());
        }
        Value::String(text) => {
            bytes.push(b's');
            push_str(bytes, text);
        }
        Value::Array(items) => {
            bytes.push(b'[');
            bytes.extend_from_slice(&(items.len() as u64).to_le_bytes());
            items.iter().for_each(|item| push_value(bytes, item));
        }
        Value::Object(fields) => {
            bytes.push(b'{');
            bytes.extend_from_slice(&(fields.len() as u64).to_le_bytes());
            for (field, item) in fields {
                push_str(bytes, field);
                push_value(bytes, item);
            }
        }
    }
}

fn push_str(bytes: &mut Vec<u8>, text: &str) {
    bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
    bytes.extend_from_slice(text.as_bytes());
}

/// The `partial(name=..., ...)` function: renders the template `name` with the other arguments
/// as its whole context.
pub struct Partial(pub Arc<PartialCache>);

impl Function for Partial {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let name = template_name(args)?;
        self.0
            .render(name, &other_arguments(args, &["name"]))
            .map(Value::String)
    }

    fn is_safe(&self) -> bool {
        // The partial's own template escaped what it printed.
        true
    }
}

/// The `partial` filter: `{{ item | partial(name="partials/summary.html") }}` is
/// `partial(name="partials/summary.html", item=item)`, the piped value named `item` (or what
/// `as` says) and the other arguments as they are. The same HTML, and the same cache entry,
/// for less work: Tera hands a filter the value it pipes where it copies a function's
/// arguments, and an article's summary or the site is copied, then dropped, on every page.
pub struct PartialFilter(pub Arc<PartialCache>);

impl Filter for PartialFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let name = template_name(args)?;
        let piped = match args.get("as") {
            None => "item",
            Some(Value::String(piped)) => piped.as_str(),
            Some(other) => {
                return Err(tera::Error::msg(format!(
                    "partial: `as` names the piped value in the partial, as in as=\"site\"; found {other}"
                )));
            }
        };
        let mut arguments = other_arguments(args, &["name", "as"]);
        arguments.insert(piped, value);
        self.0.render(name, &arguments).map(Value::String)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// The template `partial` renders: its `name` argument.
fn template_name(args: &HashMap<String, Value>) -> tera::Result<&str> {
    let Some(name) = args.get("name") else {
        return Err(tera::Error::msg(
            "partial: give the template, as in partial(name=\"partials/summary.html\", item=item)",
        ));
    };
    name.as_str().ok_or_else(|| {
        tera::Error::msg(format!(
            "partial: `name` must be a template's name, found {name}"
        ))
    })
}

/// The arguments but `skipped`, sorted, so that the same arguments always make the same key.
fn other_arguments<'a>(
    args: &'a HashMap<String, Value>,
    skipped: &[&str],
) -> BTreeMap<&'a str, &'a Value> {
    args.iter()
        .filter(|(argument, _)| !skipped.contains(&argument.as_str()))
        .map(|(argument, value)| (argument.as_str(), value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera_with_partial(templates: &[(&str, &str)]) -> (Tera, Arc<PartialCache>) {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        let cache = PartialCache::new(tera.clone());
        tera.register_function("partial", Partial(cache.clone()));
        tera.register_filter("partial", PartialFilter(cache.clone()));
        (tera, cache)
    }

    /// Renders `name` with `items` as the page's `items`.
    fn render_items(tera: &Tera, name: &str, items: Value) -> tera::Result<String> {
        let mut context = Context::new();
        context.insert("items", &items);
        tera.render(name, &context)
    }

    const CARD: (&str, &str) = (
        "card.html",
        "<h{{ level | default(value=3) }}>{{ item.title }}</h{{ level | default(value=3) }}>",
    );

    #[test]
    fn renders_with_its_arguments_escaped_and_reuses_the_result() {
        let page = (
            "page.html",
            r#"{% for item in items %}{{ partial(name="card.html", item=item) }}{% endfor %}|{{ partial(name="card.html", item=items.0, level=2) }}"#,
        );
        let (tera, cache) = tera_with_partial(&[CARD, page]);
        let html = render_items(
            &tera,
            "page.html",
            serde_json::json!([{"title": "A & B"}, {"title": "C"}, {"title": "A & B"}]),
        )
        .unwrap();
        assert_eq!(
            html,
            "<h3>A &amp; B</h3><h3>C</h3><h3>A &amp; B</h3>|<h2>A &amp; B</h2>"
        );
        // Two distinct items at level 3, one at level 2.
        assert_eq!(cache.read().html.len(), 3);
        assert_eq!(
            cache.read().bytes,
            "<h3>A &amp; B</h3><h3>C</h3><h2>A &amp; B</h2>".len()
        );
        cache.clear();
        assert!(cache.read().html.is_empty());
    }

    #[test]
    fn the_filter_renders_the_piped_value_as_the_function_does_and_shares_its_cache() {
        let page = (
            "page.html",
            r#"{{ items.0 | partial(name="card.html") }}|{{ partial(name="card.html", item=items.0) }}|{{ items.1 | partial(name="card.html", level=2) }}|{{ items.1 | partial(name="named.html", as="story") }}"#,
        );
        let named = ("named.html", "<p>{{ story.title }}</p>");
        let (tera, cache) = tera_with_partial(&[CARD, named, page]);
        let items = serde_json::json!([{"title": "A & B"}, {"title": "C"}]);
        let html = render_items(&tera, "page.html", items.clone()).unwrap();
        assert_eq!(
            html,
            "<h3>A &amp; B</h3>|<h3>A &amp; B</h3>|<h2>C</h2>|<p>C</p>"
        );
        // The filter and the function made one entry for the first card.
        assert_eq!(cache.read().html.len(), 3);
        let bad = (
            "bad.html",
            r#"{{ items.0 | partial(name="card.html", as=1) }}"#,
        );
        let (tera, _) = tera_with_partial(&[CARD, bad]);
        let error = render_items(&tera, "bad.html", items).unwrap_err();
        let chain = format!("{error:?}");
        assert!(chain.contains("`as` names the piped value"), "{chain}");
    }

    #[test]
    fn keys_tell_apart_values_that_print_alike() {
        let key = |value: Value| {
            let arguments = BTreeMap::from([("item", &value)]);
            key_of("card.html", &arguments, &[])
        };
        let distinct = [
            serde_json::json!("1"),
            serde_json::json!(1),
            serde_json::json!([1]),
            serde_json::json!(["1"]),
            serde_json::json!({"a": "bc"}),
            serde_json::json!({"ab": "c"}),
            serde_json::json!(["a", "b"]),
            serde_json::json!(["ab"]),
            serde_json::json!(null),
            serde_json::json!(false),
        ];
        let keys: std::collections::HashSet<u128> = distinct.iter().cloned().map(key).collect();
        assert_eq!(keys.len(), distinct.len());
        assert_eq!(
            key(serde_json::json!({"a": 1})),
            key(serde_json::json!({"a": 1}))
        );
        let arguments = BTreeMap::from([("item", &Value::Null)]);
        assert_ne!(
            key_of("a.html", &arguments, &[]),
            key_of("b.html", &arguments, &[])
        );
    }

    /// The site reaches the masthead partial by reference on every page: keyed by its digest,
    /// once, not by its bytes; an equal copy elsewhere is keyed by its bytes, and both give
    /// the same HTML.
    #[test]
    fn a_pinned_value_is_keyed_by_its_address_and_renders_as_a_copy_does() {
        let page = (
            "page.html",
            r#"{{ site | partial(name="card.html", as="item") }}"#,
        );
        let (tera, cache) = tera_with_partial(&[CARD, page]);
        let shared = SharedValue::new(serde_json::json!({"title": "A & B"}));
        cache.pin(&shared);
        cache.pin(&shared);
        assert_eq!(cache.pinned.read().unwrap().len(), 1);
        let mut context = Context::new();
        context.insert_shared("site", shared.value().clone());
        for _ in 0..2 {
            assert_eq!(
                tera.render("page.html", &context).unwrap(),
                "<h3>A &amp; B</h3>"
            );
        }
        assert_eq!(cache.read().html.len(), 1);
        let mut copied = Context::new();
        copied.insert("site", &**shared.value());
        assert_eq!(
            tera.render("page.html", &copied).unwrap(),
            "<h3>A &amp; B</h3>"
        );
        assert_eq!(cache.read().html.len(), 2);
        let arguments = BTreeMap::from([("item", &**shared.value())]);
        let pinned = cache.pinned.read().unwrap().clone();
        assert_ne!(
            key_of("card.html", &arguments, &pinned),
            key_of("card.html", &arguments, &[])
        );
        cache.clear();
        assert!(cache.pinned.read().unwrap().is_empty());
    }

    #[test]
    fn a_partial_sees_only_its_arguments() {
        let leaky = ("leaky.html", "{{ secret | default(value=\"none\") }}");
        let page = ("page.html", r#"{{ partial(name="leaky.html") }}"#);
        let (tera, _) = tera_with_partial(&[leaky, page]);
        let mut context = Context::new();
        context.insert("secret", "page context");
        assert_eq!(tera.render("page.html", &context).unwrap(), "none");
    }

    #[test]
    fn a_missing_name_and_a_partial_calling_partial_are_errors() {
        let nested = ("nested.html", r#"{{ partial(name="nested.html") }}"#);
        let no_name = ("no_name.html", r#"{{ partial(item=1) }}"#);
        let calls_nested = ("calls_nested.html", r#"{{ partial(name="nested.html") }}"#);
        let piped = ("piped.html", r#"{{ 1 | partial(name="piped.html") }}"#);
        let calls_piped = (
            "calls_piped.html",
            r#"{{ 1 | partial(name="piped.html") }}"#,
        );
        let (tera, _) = tera_with_partial(&[nested, no_name, calls_nested, piped, calls_piped]);
        let message = |name| {
            let error = tera.render(name, &Context::new()).unwrap_err();
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(inner) = source {
                text.push_str(&format!(" / {inner}"));
                source = inner.source();
            }
            text
        };
        assert!(message("no_name.html").contains("give the template"));
        let nested = message("calls_nested.html");
        assert!(
            nested.contains("partial") && nested.contains("not found"),
            "{nested}"
        );
        let piped = message("calls_piped.html");
        assert!(
            piped.contains("partial") && piped.contains("not found"),
            "{piped}"
        );
    }
}
