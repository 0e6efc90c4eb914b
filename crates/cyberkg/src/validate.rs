//! SHACL validation of the graph: the union of a store's graphs against a
//! shapes file (by default `ontology/shapes.ttl`, built into the binary).
//!
//! The rules live in the shapes file, not here. This module hands the data
//! and the shapes to the `shacl` crate of the rudof project (its native
//! engine, which also runs `sh:sparql` constraints), and turns the crate's
//! report into a [`Report`] of our own types. Oxigraph and the crate share
//! `oxrdf`, so triples (data and shapes) are copied across as they are, not
//! through text. The shapes are parsed here with `oxttl`, whose errors carry
//! a line and column, and then compiled by the crate. A shape's own
//! `sh:message` is read here too: the crate puts its generic wording in place
//! of it for several constraints (`sh:uniqueLang`, `sh:lessThan`, `sh:or`,
//! `sh:qualifiedValueShape`, ...), which SHACL does not allow.
//!
//! Invariants: the same store and shapes give the same [`Report`], byte for
//! byte when displayed (violations are sorted; the crate's order is not
//! stable); `conforms` is true exactly when there are no violations; a
//! malformed shapes file is an error that names the file, never a panic.

use crate::graph::iri;
use oxigraph::model::{NamedNode, NamedNodeRef, Term, Triple};
use oxigraph::store::{StorageError, Store};
use rudof_rdf::rdf_core::SHACLPath;
use rudof_rdf::rdf_impl::OxigraphInMemory;
use shacl::ir::IRSchema;
use shacl::rdf::ShaclParser;
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::report::ValidationResult;
use shacl::validator::store::Graph;
use shacl::validator::{ShaclConfig, ShaclValidationMode};
use std::collections::HashMap;
use std::fmt;

/// The shapes a valid cyberkg graph conforms to, as built into the binary.
pub const BUILTIN_SHAPES: &str = include_str!("../../../ontology/shapes.ttl");
/// The name messages give the built-in shapes.
pub const SHAPES_NAME: &str = "ontology/shapes.ttl";

/// The shapes file is not Turtle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}:{line}:{column}: invalid Turtle in the SHACL shapes: {message}")]
pub struct ShapesSyntaxError {
    /// The shapes file, as the caller named it.
    pub name: String,
    /// 1-based line of the error.
    pub line: u64,
    /// 1-based column (in code points) of the error.
    pub column: u64,
    /// What the Turtle parser expected.
    pub message: String,
}

/// Why validation could not run (a graph that does not conform is not an error).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// The shapes file is not Turtle.
    #[error(transparent)]
    ShapesSyntax(#[from] ShapesSyntaxError),
    /// The shapes file is Turtle, but not a SHACL shapes graph the validator accepts.
    #[error("{name}: not a valid SHACL shapes graph: {message}")]
    Shapes {
        /// The shapes file, as the caller named it.
        name: String,
        /// The validator's explanation.
        message: String,
    },
    /// The store could not be read.
    #[error("cannot read the graph to validate from the store: {0}")]
    Store(#[from] StorageError),
    /// The validator failed while it ran, for example on a `sh:sparql` query that is not valid SPARQL.
    #[error("validation against {name} failed: {message}")]
    Validation {
        /// The shapes file, as the caller named it.
        name: String,
        /// The validator's explanation.
        message: String,
    },
}

/// How serious a result is (`sh:resultSeverity`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// `sh:Violation`, the default.
    Violation,
    /// `sh:Warning`.
    Warning,
    /// `sh:Info`.
    Info,
    /// Any other severity IRI.
    Other(NamedNode),
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Violation => f.write_str("violation"),
            Self::Warning => f.write_str("warning"),
            Self::Info => f.write_str("info"),
            Self::Other(iri) => write!(f, "{iri}"),
        }
    }
}

/// A SHACL property path (`sh:resultPath`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PropertyPath {
    /// A predicate.
    Predicate(NamedNode),
    /// `^path`.
    Inverse(Box<PropertyPath>),
    /// `a / b`.
    Sequence(Vec<PropertyPath>),
    /// `a | b`.
    Alternative(Vec<PropertyPath>),
    /// `path*`.
    ZeroOrMore(Box<PropertyPath>),
    /// `path+`.
    OneOrMore(Box<PropertyPath>),
    /// `path?`.
    ZeroOrOne(Box<PropertyPath>),
}

impl PropertyPath {
    fn from_shacl(path: &SHACLPath) -> Self {
        let boxed = |path: &SHACLPath| Box::new(Self::from_shacl(path));
        match path {
            SHACLPath::Predicate { pred } => Self::Predicate(pred.named_node().clone()),
            SHACLPath::Inverse { path } => Self::Inverse(boxed(path)),
            SHACLPath::Sequence { paths } => {
                Self::Sequence(paths.iter().map(Self::from_shacl).collect())
            }
            SHACLPath::Alternative { paths } => {
                Self::Alternative(paths.iter().map(Self::from_shacl).collect())
            }
            SHACLPath::ZeroOrMore { path } => Self::ZeroOrMore(boxed(path)),
            SHACLPath::OneOrMore { path } => Self::OneOrMore(boxed(path)),
            SHACLPath::ZeroOrOne { path } => Self::ZeroOrOne(boxed(path)),
        }
    }

    /// Writes the path in SPARQL syntax, IRIs shortened with `prefixes`.
    fn write(&self, f: &mut fmt::Formatter<'_>, prefixes: &[(String, String)]) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, paths: &[PropertyPath], separator: &str| {
            f.write_str("(")?;
            for (index, path) in paths.iter().enumerate() {
                if index > 0 {
                    f.write_str(separator)?;
                }
                path.write(f, prefixes)?;
            }
            f.write_str(")")
        };
        match self {
            Self::Predicate(iri) => f.write_str(&compact(iri.as_str(), prefixes)),
            Self::Inverse(path) => {
                f.write_str("^")?;
                path.write(f, prefixes)
            }
            Self::Sequence(paths) => list(f, paths, " / "),
            Self::Alternative(paths) => list(f, paths, " | "),
            Self::ZeroOrMore(path) => {
                path.write(f, prefixes)?;
                f.write_str("*")
            }
            Self::OneOrMore(path) => {
                path.write(f, prefixes)?;
                f.write_str("+")
            }
            Self::ZeroOrOne(path) => {
                path.write(f, prefixes)?;
                f.write_str("?")
            }
        }
    }
}

impl fmt::Display for PropertyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &[])
    }
}

/// One result of the validation: a node that does not satisfy a shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The node that fails (`sh:focusNode`).
    pub focus: Term,
    /// The path from the focus node to the values that fail (`sh:resultPath`), if any.
    pub path: Option<PropertyPath>,
    /// How serious the failure is.
    pub severity: Severity,
    /// The shape's `sh:message` (English if it has several), else the validator's own words.
    pub message: String,
    /// The shape that fails (`sh:sourceShape`).
    pub source_shape: Option<Term>,
    /// The value that fails (`sh:value`), if any.
    pub value: Option<Term>,
    /// The kind of constraint that fails (`sh:sourceConstraintComponent`), e.g. `sh:MinCountConstraintComponent`.
    pub component: Term,
}

/// The outcome of validating a graph against shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Whether the graph conforms: true exactly when `violations` is empty.
    pub conforms: bool,
    /// Every result, sorted by focus node, path, shape, message and value.
    pub violations: Vec<Violation>,
    /// Prefixes for display: the vocabulary's and the shapes file's.
    prefixes: Vec<(String, String)>,
}

impl Report {
    /// The violations whose focus node is `iri`.
    pub fn violations_of(&self, iri: &str) -> Vec<&Violation> {
        self.violations
            .iter()
            .filter(|violation| match &violation.focus {
                Term::NamedNode(node) => node.as_str() == iri,
                _ => false,
            })
            .collect()
    }
}

/// One line per violation, `<focus> <path>: <message> [shape]`, then the count.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for violation in &self.violations {
            write!(f, "{}", violation.focus)?;
            if let Some(path) = &violation.path {
                f.write_str(" ")?;
                path.write(f, &self.prefixes)?;
            }
            write!(f, ": {}", violation.message)?;
            if violation.severity != Severity::Violation {
                write!(f, " ({})", violation.severity)?;
            }
            if let Some(shape) = &violation.source_shape {
                write!(f, " [{}]", display_term(shape, &self.prefixes))?;
            }
            writeln!(f)?;
        }
        match self.violations.len() {
            0 => writeln!(f, "0 violations: the graph conforms"),
            1 => writeln!(f, "1 violation"),
            count => writeln!(f, "{count} violations"),
        }
    }
}

/// Validates the union of the store's graphs (named graphs and default graph)
/// against `shapes`, a SHACL shapes graph in Turtle that messages call `shapes_name`.
pub fn validate(store: &Store, shapes: &str, shapes_name: &str) -> Result<Report, ValidateError> {
    let shapes = Shapes::parse(shapes, shapes_name)?;
    let failed = |message: String| ValidateError::Validation {
        name: shapes_name.to_owned(),
        message,
    };
    let mut data = OxigraphInMemory::new();
    for quad in store.iter() {
        let quad = quad?;
        data.add_triple_ref(
            quad.subject.as_ref(),
            quad.predicate.as_ref(),
            quad.object.as_ref(),
        )
        .map_err(|error| failed(error.to_string()))?;
    }
    let mut validation =
        GraphValidation::new(Graph::try_from(data).map_err(|error| failed(error.to_string()))?);
    let report = validation
        .validate(
            &shapes.schema,
            &ShaclValidationMode::Native,
            &ShaclConfig::new(),
        )
        .map_err(|error| failed(error.to_string()))?;
    let mut violations: Vec<Violation> = report
        .results()
        .iter()
        .map(|result| violation(result, &shapes.messages))
        .collect();
    violations.sort_by_cached_key(sort_key);
    violations.dedup();
    let mut prefixes: Vec<(String, String)> = crate::graph::vocab::PREFIXES
        .iter()
        .map(|(prefix, namespace)| ((*prefix).to_owned(), (*namespace).to_owned()))
        .collect();
    prefixes.extend(shapes.prefixes);
    Ok(Report {
        conforms: report.conforms() && violations.is_empty(),
        violations,
        prefixes,
    })
}

const SH_MESSAGE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#message");
const SH_SPARQL_CONSTRAINT_COMPONENT: &str = "http://www.w3.org/ns/shacl#SPARQLConstraintComponent";
/// The properties whose values the validator runs as SPARQL.
const SH_QUERIES: [&str; 2] = [
    "http://www.w3.org/ns/shacl#select",
    "http://www.w3.org/ns/shacl#ask",
];

/// A shapes file, compiled.
struct Shapes {
    /// The compiled shapes.
    schema: IRSchema,
    /// The `sh:message` of each shape that has one, in English if it has several.
    messages: HashMap<Term, String>,
    /// The file's prefixes, to shorten IRIs in the report.
    prefixes: Vec<(String, String)>,
}

impl Shapes {
    fn parse(shapes: &str, shapes_name: &str) -> Result<Self, ValidateError> {
        let mut parser = oxttl::TurtleParser::new().for_slice(shapes.as_bytes());
        let mut triples: Vec<Triple> = Vec::new();
        for triple in parser.by_ref() {
            match triple {
                Ok(triple) => triples.push(triple),
                Err(error) => {
                    let start = error.location().start;
                    return Err(ShapesSyntaxError {
                        name: shapes_name.to_owned(),
                        line: start.line + 1,
                        column: start.column + 1,
                        message: error.message().to_owned(),
                    }
                    .into());
                }
            }
        }
        let prefixes = parser
            .prefixes()
            .map(|(prefix, namespace)| (prefix.to_owned(), namespace.to_owned()))
            .collect();
        let invalid = |message: String| ValidateError::Shapes {
            name: shapes_name.to_owned(),
            message,
        };
        let mut graph = OxigraphInMemory::new();
        let mut messages: HashMap<Term, Vec<(String, String)>> = HashMap::new();
        for triple in &triples {
            graph
                .add_triple_ref(
                    triple.subject.as_ref(),
                    triple.predicate.as_ref(),
                    triple.object.as_ref(),
                )
                .map_err(|error| invalid(error.to_string()))?;
            if SH_QUERIES.contains(&triple.predicate.as_str())
                && let Term::Literal(query) = &triple.object
                && uses_service(query.value())
            {
                // The crate's SPARQL engine would call the endpoint: validating local data never reaches the network.
                return Err(invalid(format!(
                    "the SPARQL query of {} uses SERVICE; validation never calls remote endpoints",
                    triple.subject
                )));
            }
            if triple.predicate == SH_MESSAGE
                && let Term::Literal(literal) = &triple.object
            {
                let language = literal.language().unwrap_or_default().to_ascii_lowercase();
                messages
                    .entry(triple.subject.clone().into())
                    .or_default()
                    .push((language, literal.value().to_owned()));
            }
        }
        let ast = ShaclParser::new(graph)
            .parse()
            .map_err(|error| invalid(error.to_string()))?;
        let schema = IRSchema::compile(&ast).map_err(|error| invalid(error.to_string()))?;
        let messages = messages
            .into_iter()
            .filter_map(|(shape, texts)| Some((shape, preferred_message(texts)?)))
            .collect();
        Ok(Self {
            schema,
            messages,
            prefixes,
        })
    }
}

/// Whether a SPARQL query has the keyword `SERVICE` (outside IRIs, strings and comments).
fn uses_service(query: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '?' | '$' | '-' | '.');
    let mut rest = query;
    let mut word = String::new();
    loop {
        let Some(c) = rest.chars().next() else {
            return word.eq_ignore_ascii_case("service");
        };
        if is_word(c) {
            word.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if word.eq_ignore_ascii_case("service") {
            return true;
        }
        word.clear();
        let skipped = match c {
            // An IRI; a `<` with a space or another `<` before its `>` is an operator.
            '<' => rest[1..]
                .find(|d: char| d == '>' || d == '<' || d.is_whitespace())
                .filter(|&end| rest[1 + end..].starts_with('>'))
                .map_or(1, |end| end + 2),
            '#' => rest.find('\n').unwrap_or(rest.len()),
            '"' | '\'' => string_length(rest, c),
            _ => c.len_utf8(),
        };
        rest = &rest[skipped..];
    }
}

/// The length in bytes of the SPARQL string literal at the start of `text` (the whole rest if unclosed).
fn string_length(text: &str, quote: char) -> usize {
    let triple: String = [quote; 3].iter().collect();
    let delimiter = if text.starts_with(&triple) {
        triple
    } else {
        quote.to_string()
    };
    let body = &text[delimiter.len()..];
    let mut escaped = false;
    for (index, c) in body.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if body[index..].starts_with(&delimiter) {
            return delimiter.len() + index + delimiter.len();
        }
    }
    text.len()
}

/// The English message, else the one without a language, else the first by language.
fn preferred_message(mut messages: Vec<(String, String)>) -> Option<String> {
    messages.sort();
    let position = messages
        .iter()
        .position(|(language, _)| language == "en" || language.starts_with("en-"))
        .or_else(|| {
            messages
                .iter()
                .position(|(language, _)| language.is_empty())
        })
        .unwrap_or(0);
    (position < messages.len()).then(|| messages.swap_remove(position).1)
}

fn violation(result: &ValidationResult, messages: &HashMap<Term, String>) -> Violation {
    use shacl::types::Severity as Shacl;
    let severity = match result.severity() {
        Shacl::Violation => Severity::Violation,
        Shacl::Warning => Severity::Warning,
        Shacl::Info => Severity::Info,
        Shacl::Debug => {
            Severity::Other(NamedNode::new_unchecked("http://www.w3.org/ns/shacl#Debug"))
        }
        Shacl::Trace => {
            Severity::Other(NamedNode::new_unchecked("http://www.w3.org/ns/shacl#Trace"))
        }
        Shacl::Generic(iri) => Severity::Other(iri.named_node().clone()),
    };
    let source_shape: Option<Term> = result.source().cloned().map(Term::from);
    let component: Term = result.constraint_component().clone().into();
    // A SPARQL constraint's message is the constraint's, which the crate keeps; any other result takes its shape's.
    let shape_message = match &component {
        Term::NamedNode(component) if component.as_str() == SH_SPARQL_CONSTRAINT_COMPONENT => None,
        _ => source_shape
            .as_ref()
            .and_then(|shape| messages.get(shape))
            .cloned(),
    };
    let crate_messages = result
        .message()
        .iter()
        .map(|(language, text)| {
            (
                language
                    .as_ref()
                    .map(|language| language.as_str().to_ascii_lowercase())
                    .unwrap_or_default(),
                text.clone(),
            )
        })
        .collect();
    let message = shape_message
        .or_else(|| preferred_message(crate_messages))
        .unwrap_or_else(|| format!("fails {}", display_term(&component, &[])));
    Violation {
        focus: result.focus_node().clone().into(),
        path: result.path().map(PropertyPath::from_shacl),
        severity,
        message,
        source_shape,
        value: result.value().cloned().map(Term::from),
        component,
    }
}

/// Sorts by what the report shows, so that blank-node labels, which change
/// from run to run, never decide the order.
fn sort_key(violation: &Violation) -> (String, String, String, String, String, String) {
    let text = |term: &Option<Term>| {
        term.as_ref()
            .map(|term| display_term(term, &[]))
            .unwrap_or_default()
    };
    (
        display_term(&violation.focus, &[]),
        violation
            .path
            .as_ref()
            .map(PropertyPath::to_string)
            .unwrap_or_default(),
        text(&violation.source_shape),
        violation.message.clone(),
        text(&violation.value),
        display_term(&violation.component, &[]),
    )
}

/// `prefix:local` for an IRI under one of `prefixes` (see [`iri::compact`]), else `<iri>`.
fn compact(iri: &str, prefixes: &[(String, String)]) -> String {
    iri::compact(
        iri,
        prefixes
            .iter()
            .map(|(prefix, namespace)| (prefix, namespace)),
    )
    .unwrap_or_else(|| format!("<{iri}>"))
}

fn display_term(term: &Term, prefixes: &[(String, String)]) -> String {
    match term {
        Term::NamedNode(node) => compact(node.as_str(), prefixes),
        // A blank node's label changes from run to run; the report must not.
        Term::BlankNode(_) => "[]".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes() -> Vec<(String, String)> {
        vec![
            ("schema".to_owned(), "http://schema.org/".to_owned()),
            ("ex".to_owned(), "http://example.org/".to_owned()),
            ("exa".to_owned(), "http://example.org/a/".to_owned()),
        ]
    }

    #[test]
    fn compacts_iris_with_the_longest_namespace() {
        let cases = [
            ("http://schema.org/text", "schema:text"),
            ("http://example.org/a/b", "exa:b"),
            // `ex:a/` would not be a prefixed name.
            ("http://example.org/a/", "<http://example.org/a/>"),
            ("http://example.org/x#y", "<http://example.org/x#y>"),
            ("http://other.org/z", "<http://other.org/z>"),
        ];
        for (iri, expected) in cases {
            assert_eq!(compact(iri, &prefixes()), expected, "{iri}");
        }
    }

    #[test]
    fn malformed_turtle_names_the_file_and_position() -> Result<(), Box<dyn std::error::Error>> {
        match Shapes::parse(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:a> sh:path .\n",
            "x.ttl",
        ) {
            Err(ValidateError::ShapesSyntax(error)) => {
                assert_eq!((error.name.as_str(), error.line), ("x.ttl", 2));
                assert!(error.to_string().starts_with("x.ttl:2:"), "{error}");
                Ok(())
            }
            Err(other) => Err(format!("expected a syntax error, got {other}").into()),
            Ok(_) => Err("expected a syntax error".into()),
        }
    }

    #[test]
    fn finds_service_only_as_a_keyword() {
        let cases = [
            (
                "SELECT $this WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }",
                true,
            ),
            ("select $this where { service silent ?endpoint { } }", true),
            ("SELECT $this WHERE {\n\tService<http://x/>{}}", true),
            (
                "SELECT $this WHERE { FILTER (?o <?p) SERVICE <x> {} }",
                true,
            ),
            ("SELECT $this WHERE { $this <http://x/service> ?o }", false),
            ("SELECT $this WHERE { $this ex:service ?service }", false),
            ("SELECT $this WHERE { $this ?p \"SERVICE <x>\" }", false),
            (
                "SELECT $this WHERE { $this ?p '''a ' \\''' SERVICE''' }",
                false,
            ),
            ("SELECT $this WHERE { $this ?p ?o } # SERVICE <x> {}", false),
            (
                "SELECT $this WHERE { $this ?p ?o FILTER (?o < 3 || ?o > 5) }",
                false,
            ),
            ("SELECT $this WHERE { $this ?p \"unclosed SERVICE", false),
        ];
        for (query, expected) in cases {
            assert_eq!(uses_service(query), expected, "{query}");
        }
    }

    #[test]
    fn prefers_english_then_plain_messages() {
        let message = |texts: &[(&str, &str)]| {
            preferred_message(
                texts
                    .iter()
                    .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
                    .collect(),
            )
        };
        assert_eq!(
            message(&[("zh-hans", "中"), ("en", "English"), ("", "plain")]).as_deref(),
            Some("English")
        );
        assert_eq!(
            message(&[("zh-hans", "中"), ("", "plain")]).as_deref(),
            Some("plain")
        );
        assert_eq!(
            message(&[("zh-hans", "中"), ("de", "Deutsch")]).as_deref(),
            Some("Deutsch")
        );
        assert_eq!(message(&[]), None);
    }
}
