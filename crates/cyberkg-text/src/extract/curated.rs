//! Curated data beside the texts: the strategy's logic (`data/logic.toml`)
//! and facts with their evidence (`data/facts.toml`).
//!
//! Invariant: a fact enters the graph only with evidence that holds. Its
//! quote must occur, character for character, in the named part of a
//! document of the corpus, and every entity it names must be in the table;
//! otherwise [`check_facts`] fails with the fact's `file:line:column`. A
//! fact whose evidence document is not in the corpus (a `--source` build)
//! is left out with a note, never asserted without evidence.
//!
//! A fact's terms are read once, when the file is deserialized, into
//! [`FactTerm`]s: a term without a kind, or a `date:`/`month:` that is not
//! in the calendar, is an error at the `file:line:column` of its triple.

use super::table::EntityTable;
use crate::data_file::{CuratedDataError, read_toml};
use crate::document::dates::{Date, DateError, YearMonth};
use crate::document::{Diagnostic, Document, ParsedCorpus, SourceText, Span, Text};
use serde::Deserialize;

/// One chapter of the strategy that sets out a list of principles, goals or action lines.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Key of the concept scheme (`principles`).
    pub key: String,
    /// Key prefix of its concepts (`principle` → `principle-1`).
    pub concept: String,
    /// The chapter whose numbered sections are the concepts.
    pub chapter: u32,
}

/// The strategy's logic.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Logic {
    /// The editions whose sections state the concepts.
    pub editions: Vec<String>,
    /// The edition whose English headings are the preferred English labels.
    pub preferred_english: String,
    /// The schemes.
    #[serde(rename = "scheme")]
    pub schemes: Vec<Scheme>,
}

impl Logic {
    /// Reads the logic file.
    pub fn parse(name: &str, text: &str) -> Result<Self, CuratedDataError> {
        read_toml(name, text)
    }
}

/// Where a fact is stated.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The document id.
    pub document: String,
    /// The part's path below the document (`paragraph-1`, `chapter-4/section-2/paragraph-2`), empty for the document.
    #[serde(default)]
    pub part: String,
    /// The exact words of the text that state the fact.
    pub quote: String,
}

/// One curated fact.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Stable key; the IRI is `<base>fact/<key>`.
    pub key: String,
    /// The fact in one English sentence.
    pub statement: String,
    /// Where the text states it.
    pub evidence: Evidence,
    /// The triples it asserts: subject, predicate, object, each a
    /// [`FactTerm`], read and checked from its TOML string.
    pub triples: Vec<[FactTerm; 3]>,
}

/// One term of a fact's triple, written `kind:value` in the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum FactTerm {
    /// `entity:KEY`, an entity of the table.
    Entity(String),
    /// `document:ID`, a document of the corpus.
    Document(String),
    /// `part:ID/PATH`, a part of a document.
    Part(String),
    /// `node:KEY`, a node the facts name (`<base>fact/node/KEY`).
    Node(String),
    /// `date:YYYY-MM-DD`, a calendar date.
    Date(Date),
    /// `month:YYYY-MM`, a month.
    Month(YearMonth),
    /// `text:…`, English text.
    Text(String),
    /// `prefix:name`, a vocabulary term (the graph stage checks that it is one).
    Vocabulary {
        /// The prefix (`dcterms`).
        prefix: String,
        /// The local name (`creator`).
        name: String,
    },
}

/// A fact term that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactTermError {
    /// No `kind:` before the value.
    #[error(
        "the term '{0}' has no prefix (entity:, document:, part:, node:, date:, month:, text: or a vocabulary prefix)"
    )]
    NoPrefix(String),
    /// A `date:` or `month:` that is not in the calendar.
    #[error("the term '{term}': {error}")]
    Date {
        /// The term as written.
        term: String,
        /// What is wrong with its date.
        #[source]
        error: DateError,
    },
}

impl TryFrom<String> for FactTerm {
    type Error = FactTermError;

    fn try_from(term: String) -> Result<Self, FactTermError> {
        let Some((kind, value)) = term.split_once(':') else {
            return Err(FactTermError::NoPrefix(term));
        };
        let date_error = |error: DateError| FactTermError::Date {
            term: term.clone(),
            error,
        };
        Ok(match kind {
            "entity" => Self::Entity(value.to_owned()),
            "document" => Self::Document(value.to_owned()),
            "part" => Self::Part(value.to_owned()),
            "node" => Self::Node(value.to_owned()),
            "date" => Self::Date(
                Date::parse_iso(value)
                    .ok_or_else(|| date_error(DateError::NotADate(value.to_owned())))?,
            ),
            "month" => Self::Month(
                YearMonth::parse_iso(value)
                    .ok_or_else(|| date_error(DateError::NotAMonth(value.to_owned())))?,
            ),
            "text" => Self::Text(value.to_owned()),
            prefix => Self::Vocabulary {
                prefix: prefix.to_owned(),
                name: value.to_owned(),
            },
        })
    }
}

impl std::fmt::Display for FactTerm {
    /// The term as the file writes it (`entity:sco`, `date:2017-03-01`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Entity(key) => write!(f, "entity:{key}"),
            Self::Document(id) => write!(f, "document:{id}"),
            Self::Part(id) => write!(f, "part:{id}"),
            Self::Node(key) => write!(f, "node:{key}"),
            Self::Date(date) => write!(f, "date:{date}"),
            Self::Month(month) => write!(f, "month:{month}"),
            Self::Text(text) => write!(f, "text:{text}"),
            Self::Vocabulary { prefix, name } => write!(f, "{prefix}:{name}"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsFile {
    #[serde(rename = "fact")]
    facts: Vec<Fact>,
}

/// A fact whose evidence was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFact {
    /// The fact.
    pub fact: Fact,
    /// The evidence part's path of segments.
    pub path: Vec<String>,
    /// Where the quote starts in the literal (code points).
    pub start: usize,
    /// Where it ends.
    pub end: usize,
}

/// The facts file as read, to place a fact's errors at its `key = "…"` line.
struct FactsText<'a> {
    name: &'a str,
    text: &'a str,
    source: SourceText,
}

impl FactsText<'_> {
    /// An error of the fact `key`, at its `key = "…"` line.
    fn error_at(&self, key: &str, problem: String) -> CuratedDataError {
        let needle = format!("key = \"{key}\"");
        let byte = self.text.find(&needle).unwrap_or(0);
        let position = self.source.position(self.text[..byte].chars().count());
        CuratedDataError::at(self.name, position.line, position.column, problem)
    }
}

/// Reads the facts file and checks every fact against the corpus and the entity table.
pub fn check_facts(
    name: &str,
    text: &str,
    parsed: &ParsedCorpus,
    table: &EntityTable,
) -> Result<(Vec<CheckedFact>, Vec<Diagnostic>), CuratedDataError> {
    let file: FactsFile = read_toml(name, text)?;
    let facts_text = FactsText {
        name,
        text,
        source: SourceText::new(name, text),
    };
    let mut checked = Vec::new();
    let mut skipped = Vec::new();
    for fact in file.facts {
        if let Some(key) = unknown_entity(&fact, table) {
            let problem = format!(
                "fact '{}' names the entity '{key}', which is not in data/entities.toml",
                fact.key
            );
            return Err(facts_text.error_at(&fact.key, problem));
        }
        match check_evidence(fact, parsed, &facts_text)? {
            Lookup::Found(fact) => checked.push(fact),
            Lookup::NotInCorpus(key) => skipped.push(key),
        }
    }
    let notes = skipped_note(&facts_text.source, &skipped);
    Ok((checked, notes))
}

/// The first entity key a fact names that the table lacks.
fn unknown_entity<'f>(fact: &'f Fact, table: &EntityTable) -> Option<&'f str> {
    fact.triples
        .iter()
        .flatten()
        .filter_map(|term| match term {
            FactTerm::Entity(key) => Some(key.as_str()),
            _ => None,
        })
        .find(|key| table.get(key).is_none())
}

/// What the corpus holds of a fact's evidence.
enum Lookup {
    /// The quote, found in the cited part.
    Found(CheckedFact),
    /// The corpus lacks the evidence document or a document the fact
    /// describes: the fact (this key) is left out.
    NotInCorpus(String),
}

/// A fact's evidence, looked up; an error when the cited part or the
/// quote is not there.
fn check_evidence(
    fact: Fact,
    parsed: &ParsedCorpus,
    facts_text: &FactsText<'_>,
) -> Result<Lookup, CuratedDataError> {
    let Some(document) = parsed
        .document(&fact.evidence.document)
        .filter(|_| describes_this_corpus(&fact, parsed))
    else {
        return Ok(Lookup::NotInCorpus(fact.key));
    };
    let path: Vec<String> = fact
        .evidence
        .part
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let Some(literals) = evidence_literals(document, &path) else {
        let problem = format!(
            "fact '{}' cites '{}/{}', which is not a part of that document",
            fact.key, fact.evidence.document, fact.evidence.part
        );
        return Err(facts_text.error_at(&fact.key, problem));
    };
    let Some((start, end)) = find_quote(&literals, &fact.evidence.quote) else {
        let problem = format!(
            "the evidence quote of fact '{}' is not in the text of {}/{}: \"{}\"",
            fact.key, fact.evidence.document, fact.evidence.part, fact.evidence.quote
        );
        return Err(facts_text.error_at(&fact.key, problem));
    };
    Ok(Lookup::Found(CheckedFact {
        fact,
        path,
        start,
        end,
    }))
}

/// Whether every document a fact's terms name (`document:ID`, `part:ID/…`) is in the corpus.
fn describes_this_corpus(fact: &Fact, parsed: &ParsedCorpus) -> bool {
    fact.triples
        .iter()
        .flatten()
        .filter_map(|term| match term {
            FactTerm::Document(id) | FactTerm::Part(id) => Some(id.as_str()),
            _ => None,
        })
        .all(|id| {
            parsed
                .documents
                .iter()
                .any(|d| id == d.id || id.starts_with(&format!("{}/", d.id)))
        })
}

/// The literals a quote may be in: the document's title for an empty
/// path, else the text, title and attribution of the part at `path` (each
/// also in its Traditional form); None when there is no such part.
fn evidence_literals(document: &Document, path: &[String]) -> Option<Vec<String>> {
    let literal_values = |text: &Text| [Some(text.value.clone()), text.traditional.clone()];
    if path.is_empty() {
        return Some(
            document
                .title
                .iter()
                .flat_map(literal_values)
                .flatten()
                .collect(),
        );
    }
    let (_, part) = document.walk().into_iter().find(|(p, _)| *p == path)?;
    Some(
        [&part.text, &part.title]
            .into_iter()
            .flatten()
            .chain(part.attribution.as_ref().map(|a| &a.text))
            .flat_map(literal_values)
            .flatten()
            .collect(),
    )
}

/// Where `quote` first occurs in one of `literals`, in code points.
fn find_quote(literals: &[String], quote: &str) -> Option<(usize, usize)> {
    literals.iter().find_map(|literal| {
        literal.find(quote).map(|byte| {
            let start = literal[..byte].chars().count();
            (start, start + quote.chars().count())
        })
    })
}

/// One note naming the facts left out, if any.
fn skipped_note(source: &SourceText, skipped: &[String]) -> Vec<Diagnostic> {
    match skipped {
        [] => Vec::new(),
        keys => vec![Diagnostic::note(
            source,
            Span::new(0, 0),
            "facts-skipped",
            format!(
                "{} curated facts are left out because this corpus lacks their evidence or the documents they describe: {}",
                keys.len(),
                keys.join(", ")
            ),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;

    #[test]
    fn quotes_must_be_in_the_cited_part() {
        let parsed = Corpus::builtin()
            .map_err(|e| e.to_string())
            .and_then(|c| crate::document::parse_corpus(&c).map_err(|e| e.to_string()));
        let parsed = parsed.unwrap_or_else(|e| panic!("{e}"));
        let table = EntityTable::default();
        let fact = |quote: &str, part: &str| {
            format!(
                "[[fact]]\nkey = \"f\"\nstatement = \"s\"\nevidence = {{ document = \"iscc2017/un-letter\", part = \"{part}\", quote = \"{quote}\" }}\ntriples = []\n"
            )
        };
        let ok = check_facts(
            "f.toml",
            &fact("on 1 March 2017", "paragraph-1"),
            &parsed,
            &table,
        )
        .map(|(f, _)| f.len());
        assert_eq!(ok, Ok(1));
        let missing = check_facts(
            "f.toml",
            &fact("on 2 March 2017", "paragraph-1"),
            &parsed,
            &table,
        )
        .map(|(f, _)| f.len())
        .map_err(|e| e.to_string());
        assert_eq!(missing, Err("f.toml:2:1: the evidence quote of fact 'f' is not in the text of iscc2017/un-letter/paragraph-1: \"on 2 March 2017\"".to_owned()));
        let nowhere = check_facts("f.toml", &fact("x", "paragraph-9"), &parsed, &table)
            .map(|(f, _)| f.len())
            .map_err(|e| e.to_string());
        assert_eq!(nowhere, Err("f.toml:2:1: fact 'f' cites 'iscc2017/un-letter/paragraph-9', which is not a part of that document".to_owned()));
        let unknown = "[[fact]]\nkey = \"g\"\nstatement = \"s\"\nevidence = { document = \"iscc2017/un-letter\", part = \"paragraph-1\", quote = \"issued\" }\ntriples = [[\"entity:nobody\", \"dcterms:creator\", \"entity:nobody\"]]\n";
        let unknown = check_facts("f.toml", unknown, &parsed, &table)
            .map(|(f, _)| f.len())
            .map_err(|e| e.to_string());
        assert_eq!(unknown, Err("f.toml:2:1: fact 'g' names the entity 'nobody', which is not in data/entities.toml".to_owned()));
        let elsewhere = fact("x", "").replace("iscc2017/un-letter", "other/doc");
        let skipped = check_facts("f.toml", &elsewhere, &parsed, &table)
            .map(|(f, notes)| (f.len(), notes.len()));
        assert_eq!(skipped, Ok((0, 1)));
    }

    #[test]
    fn fact_terms_are_read_once_and_bad_dates_are_refused_at_their_triple() {
        let facts = |object: &str| {
            format!(
                "[[fact]]\nkey = \"f\"\nstatement = \"s\"\nevidence = {{ document = \"d\", quote = \"q\" }}\ntriples = [\n  [\"node:x\", \"dcterms:date\", \"{object}\"],\n]\n"
            )
        };
        let read = |object: &str| read_toml::<FactsFile>("f.toml", &facts(object));
        let terms = read("date:2017-03-01").map(|file| file.facts[0].triples[0].clone());
        assert_eq!(
            terms,
            Ok([
                FactTerm::Node("x".to_owned()),
                FactTerm::Vocabulary {
                    prefix: "dcterms".to_owned(),
                    name: "date".to_owned()
                },
                FactTerm::Date(Date {
                    year: 2017,
                    month: 3,
                    day: 1
                }),
            ])
        );
        let month = read("month:2015-01").map(|file| file.facts[0].triples[0][2].to_string());
        assert_eq!(month.as_deref(), Ok("month:2015-01"));
        for (object, problem) in [
            (
                "date:2017-02-30",
                "the term 'date:2017-02-30': '2017-02-30' is not a calendar date written YYYY-MM-DD",
            ),
            (
                "month:2015-13",
                "the term 'month:2015-13': '2015-13' is not a month written YYYY-MM",
            ),
            ("nowhere", "the term 'nowhere' has no prefix"),
        ] {
            let error = read(object).err();
            assert_eq!(
                error.as_ref().map(|e| (e.file.as_str(), e.position)),
                Some(("f.toml", Some((6, 3)))),
                "{object}"
            );
            let message = error.map(|e| e.to_string()).unwrap_or_default();
            assert!(message.starts_with("f.toml:6:3: "), "{message}");
            assert!(message.contains(problem), "{message}");
        }
    }
}
