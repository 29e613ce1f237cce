//! Templates that could never finish are refused before anything renders.
//!
//! Tera renders a macro call or an `include` by recursing on the thread's stack and has no depth
//! limit, so a macro that calls itself (directly or through others) or templates that include
//! each other overflow the stack, which aborts the whole process with no message. The template
//! set is therefore checked once for cycles of macro calls and includes, and any cycle is an
//! error naming the template. Tera's `range()` builds its whole list in memory, so
//! `range(end=10000000000)` would exhaust it: `bounded_range` replaces it with one that refuses
//! more than `MAX_RANGE` items.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::ast::{Expr, ExprVal, Node};
use tera::{Tera, Value};

/// The longest list `range()` makes in a template.
pub const MAX_RANGE: usize = 100_000;

/// Something a template renders by recursion: another template (`include`) or a macro.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Callee {
    Template(String),
    Macro { file: String, name: String },
}

impl std::fmt::Display for Callee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Callee::Template(name) => write!(f, "include \"{name}\""),
            Callee::Macro { file, name } => write!(f, "macro {name} (in {file})"),
        }
    }
}

impl Callee {
    /// The template whose text holds this callee.
    pub fn file(&self) -> &str {
        match self {
            Callee::Template(name) | Callee::Macro { file: name, .. } => name,
        }
    }
}

/// The first cycle of includes or macro calls, in order, the first callee repeated at the end.
pub fn find_cycle(tera: &Tera) -> Option<Vec<Callee>> {
    let graph = call_graph(tera);
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = cycle_from(start, &graph, &mut path, &mut done) {
            return Some(cycle);
        }
    }
    None
}

/// Depth-first search; `path` holds the callees being visited, `done` those proven acyclic.
/// The depth is bounded by the number of templates and macros, which are few.
fn cycle_from(
    callee: &Callee,
    graph: &BTreeMap<Callee, BTreeSet<Callee>>,
    path: &mut Vec<Callee>,
    done: &mut BTreeSet<Callee>,
) -> Option<Vec<Callee>> {
    if done.contains(callee) {
        return None;
    }
    if let Some(at) = path.iter().position(|c| c == callee) {
        let mut cycle = path[at..].to_vec();
        cycle.push(callee.clone());
        return Some(cycle);
    }
    path.push(callee.clone());
    for next in graph.get(callee).into_iter().flatten() {
        if let Some(cycle) = cycle_from(next, graph, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(callee.clone());
    None
}

/// Every template and macro, with what it includes or calls.
fn call_graph(tera: &Tera) -> BTreeMap<Callee, BTreeSet<Callee>> {
    let mut graph = BTreeMap::new();
    for (name, template) in &tera.templates {
        let namespaces: HashMap<&str, &str> = template
            .imported_macro_files
            .iter()
            .map(|(file, namespace)| (namespace.as_str(), file.as_str()))
            .chain([("self", name.as_str())])
            .collect();
        let mut calls = Calls {
            namespaces: &namespaces,
            found: BTreeSet::new(),
        };
        calls.nodes(&template.ast);
        graph.insert(Callee::Template(name.clone()), calls.found);
        for (macro_name, definition) in &template.macros {
            let mut calls = Calls {
                namespaces: &namespaces,
                found: BTreeSet::new(),
            };
            calls.nodes(&definition.body);
            let callee = Callee::Macro {
                file: name.clone(),
                name: macro_name.clone(),
            };
            graph.insert(callee, calls.found);
        }
    }
    graph
}

/// The includes and macro calls of one body, its macro namespaces resolved to files.
struct Calls<'a> {
    namespaces: &'a HashMap<&'a str, &'a str>,
    found: BTreeSet<Callee>,
}

impl Calls<'_> {
    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::VariableBlock(_, expr) => self.expr(expr),
            Node::Include(_, names, _) => self
                .found
                .extend(names.iter().map(|n| Callee::Template(n.clone()))),
            Node::Set(_, set) => self.expr(&set.value),
            Node::FilterSection(_, section, _) => {
                self.args(section.filter.args.values());
                self.nodes(&section.body);
            }
            Node::Block(_, block, _) => self.nodes(&block.body),
            Node::Forloop(_, forloop, _) => {
                self.expr(&forloop.container);
                self.nodes(&forloop.body);
                self.nodes(forloop.empty_body.as_deref().unwrap_or_default());
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    self.expr(condition);
                    self.nodes(body);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body);
                }
            }
            // Macro bodies are nodes of their own in the graph.
            _ => {}
        }
    }

    fn args<'e>(&mut self, args: impl IntoIterator<Item = &'e Expr>) {
        for arg in args {
            self.expr(arg);
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.value(&expr.val);
        for filter in &expr.filters {
            self.args(filter.args.values());
        }
    }

    fn value(&mut self, value: &ExprVal) {
        match value {
            ExprVal::MacroCall(call) => {
                if let Some(file) = self.namespaces.get(call.namespace.as_str()) {
                    self.found.insert(Callee::Macro {
                        file: (*file).to_string(),
                        name: call.name.clone(),
                    });
                }
                self.args(call.args.values());
            }
            ExprVal::FunctionCall(call) => self.args(call.args.values()),
            ExprVal::Math(math) => self.args([&*math.lhs, &*math.rhs]),
            ExprVal::Logic(logic) => self.args([&*logic.lhs, &*logic.rhs]),
            ExprVal::In(is_in) => self.args([&*is_in.lhs, &*is_in.rhs]),
            ExprVal::Test(test) => self.args(&test.args),
            ExprVal::Array(items) => self.args(items),
            ExprVal::StringConcat(concat) => {
                for value in &concat.values {
                    self.value(value);
                }
            }
            ExprVal::String(_)
            | ExprVal::Int(_)
            | ExprVal::Float(_)
            | ExprVal::Bool(_)
            | ExprVal::Ident(_) => {}
        }
    }
}

/// Tera's `range(end, start=0, step_by=1)`, refusing lists longer than `MAX_RANGE`.
pub fn bounded_range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |name: &str, default: usize| -> tera::Result<usize> {
        match args.get(name) {
            None => Ok(default),
            Some(value) => value.as_u64().map(|n| n as usize).ok_or_else(|| {
                tera::Error::msg(format!(
                    "range(): `{name}` must be a whole number, found {value}"
                ))
            }),
        }
    };
    let end = match args.get("end") {
        Some(_) => number("end", 0)?,
        None => return Err(tera::Error::msg("range() needs an `end` argument")),
    };
    let start = number("start", 0)?;
    let step = number("step_by", 1)?;
    if step == 0 {
        return Err(tera::Error::msg("range(): `step_by` must not be 0"));
    }
    let count = end.saturating_sub(start).div_ceil(step);
    if count > MAX_RANGE {
        return Err(tera::Error::msg(format!(
            "range() of {count} items: templates may loop over at most {MAX_RANGE}"
        )));
    }
    Ok(Value::from(
        (start..end).step_by(step).collect::<Vec<usize>>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        tera
    }

    #[test]
    fn a_macro_calling_itself_is_a_cycle() {
        let tera = tera(&[
            (
                "macros.html",
                "{% macro tree(n) %}{{ self::tree(n=n) }}{% endmacro tree %}",
            ),
            (
                "page.html",
                "{% import \"macros.html\" as m %}{{ m::tree(n=1) }}",
            ),
        ]);
        let cycle = find_cycle(&tera).unwrap();
        assert_eq!(cycle.len(), 2);
        assert_eq!(cycle[0].to_string(), "macro tree (in macros.html)");
    }

    #[test]
    fn macros_calling_each_other_through_an_if_are_a_cycle() {
        let tera = tera(&[(
            "macros.html",
            "{% macro a() %}{% if true %}{{ self::b() | upper }}{% endif %}{% endmacro a %}{% macro b() %}{% for x in [1] %}{% set y = self::a() %}{% endfor %}{% endmacro b %}",
        )]);
        assert_eq!(find_cycle(&tera).unwrap().len(), 3);
    }

    #[test]
    fn templates_including_each_other_are_a_cycle() {
        let tera = tera(&[
            (
                "a.html",
                "{% block b %}{% include \"b.html\" %}{% endblock b %}",
            ),
            ("b.html", "{% include \"a.html\" %}"),
        ]);
        let cycle = find_cycle(&tera).unwrap();
        assert_eq!(cycle.first(), cycle.last());
    }

    #[test]
    fn includes_and_macros_without_a_cycle_pass() {
        let tera = tera(&[
            (
                "macros.html",
                "{% macro a() %}{{ self::b() }}{% endmacro a %}{% macro b() %}b{% endmacro b %}",
            ),
            ("part.html", "{% import \"macros.html\" as m %}{{ m::a() }}"),
            (
                "page.html",
                "{% include \"part.html\" %}{% include \"part.html\" %}",
            ),
        ]);
        assert_eq!(find_cycle(&tera), None);
    }

    #[test]
    fn range_is_bounded_and_otherwise_like_teras() {
        let args = |pairs: &[(&str, i64)]| -> HashMap<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect()
        };
        let list = bounded_range(&args(&[("end", 7), ("start", 1), ("step_by", 2)])).unwrap();
        assert_eq!(list, serde_json::json!([1, 3, 5]));
        assert_eq!(
            bounded_range(&args(&[("end", 0)])).unwrap(),
            serde_json::json!([])
        );
        let error = bounded_range(&args(&[("end", 10_000_000_000)])).unwrap_err();
        assert!(error.to_string().contains("at most 100000"), "{error}");
        assert!(bounded_range(&args(&[("end", -1)])).is_err());
        assert!(bounded_range(&args(&[("end", 3), ("step_by", 0)])).is_err());
    }
}
