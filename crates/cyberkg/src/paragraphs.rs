//! The paragraphs of a store as plain rows, for the outputs that people
//! read without SPARQL (`table.rs`, `text_export.rs`): each paragraph with
//! its edition, its place (chapter, section and paragraph numbers), its
//! text, the part it is in, and the paragraphs that translate it.
//!
//! Everything is read from the graph (`doco:Paragraph`, `cyberkg:inEdition`,
//! `schema:position`, `cyberkg:documentOrder`, `dcterms:isPartOf`,
//! `schema:workTranslation`), never from IRIs, so a store built from any
//! corpus, under any base, reads the same way; a paragraph without a
//! position or a document order (RDF added with `load`, say) is left out.
//! Invariant: the paragraphs come in a fixed order
//! (edition identifier, then `cyberkg:documentOrder`), and each has one
//! text: the one in its edition's language (the Simplified Chinese of the
//! original, not its Traditional source), else the first by language tag.

use crate::sparql::{PrepareError, Services, prepare};
use oxigraph::model::Term;
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolution};
use oxigraph::store::Store;
use std::collections::BTreeMap;

/// Why the paragraphs cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ParagraphsError {
    /// The built-in query did not parse (a bug, reported as such).
    #[error("the paragraphs query is invalid: {0}")]
    Query(#[from] PrepareError),
    /// The store failed while answering.
    #[error("cannot read the paragraphs from the store: {0}")]
    Evaluation(#[from] QueryEvaluationError),
}

/// Where a part sits: the printed numbers of its chapter and section.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// `schema:position` of the chapter (`None` in a preface, a conclusion, a letter).
    pub chapter: Option<i64>,
    /// `schema:position` of the section (`None` outside a section).
    pub section: Option<i64>,
}

/// The part a paragraph is directly in (a section, a chapter, a preface…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    /// Its IRI.
    pub iri: String,
    /// Its heading, in the edition's language, if it has one.
    pub title: Option<String>,
    /// Its `cyberkg:documentOrder`, if it has one.
    pub order: Option<i64>,
}

/// One paragraph of one edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Its IRI.
    pub iri: String,
    /// The IRI of its edition.
    pub edition_iri: String,
    /// The `dcterms:identifier` of its edition (`iscc2017/en-un`).
    pub edition: String,
    /// The `schema:inLanguage` of its edition (`zh-Hans`, `en`), empty if none.
    pub language: String,
    /// Its `cyberkg:documentOrder` in the edition.
    pub order: i64,
    /// Its `schema:position` in its part.
    pub position: i64,
    /// Its chapter and section numbers.
    pub place: Place,
    /// Its text.
    pub text: String,
    /// The part it is in.
    pub parent: Parent,
    /// The IRIs of the paragraphs that translate it (`schema:workTranslation`), sorted.
    pub translations: Vec<String>,
}

/// One row per paragraph, text and title; the alignment is read apart (a
/// paragraph of the original has as many translations as editions).
const PARAGRAPHS: &str = r#"
SELECT ?paragraph ?editionNode ?edition ?language ?order ?position ?text ?parent ?parentOrder ?title ?chapter ?section
WHERE {
  ?paragraph a doco:Paragraph ;
    cyberkg:inEdition ?editionNode ;
    schema:position ?position ;
    cyberkg:documentOrder ?order ;
    schema:text ?text ;
    dcterms:isPartOf ?parent .
  ?editionNode dcterms:identifier ?edition .
  OPTIONAL { ?editionNode schema:inLanguage ?language }
  OPTIONAL { ?parent cyberkg:documentOrder ?parentOrder }
  OPTIONAL { ?parent dcterms:title ?title }
  OPTIONAL {
    ?parent a doco:Section ;
      schema:position ?section ;
      dcterms:isPartOf ?chapterNode .
    ?chapterNode a doco:Chapter ;
      schema:position ?chapter .
  }
  OPTIONAL {
    ?parent a doco:Chapter ;
      schema:position ?chapter .
  }
}
"#;

/// The alignment: each paragraph and the paragraphs that translate it.
const TRANSLATIONS: &str = r"
SELECT ?paragraph ?translation
WHERE {
  ?paragraph a doco:Paragraph ;
    schema:workTranslation ?translation .
  ?translation a doco:Paragraph .
}
";

/// Literals of one subject and predicate by language tag (lower case).
type ByTag = BTreeMap<String, String>;

/// Every sentence with its paragraph, position and texts.
const SENTENCES: &str = r"
SELECT ?sentence ?paragraph ?position ?text
WHERE {
  ?sentence a doco:Sentence ;
    dcterms:isPartOf ?paragraph ;
    schema:position ?position ;
    schema:text ?text .
}
";

/// Every sentence alignment link and the sentences it joins.
const SENTENCE_LINKS: &str = r"
SELECT ?link ?sentence
WHERE {
  ?link a cyberkg:SentenceAlignment ;
    cyberkg:source|cyberkg:target ?sentence .
}
";

/// One sentence of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its IRI.
    pub iri: String,
    /// Its `schema:position` in its paragraph.
    pub position: i64,
    /// Its texts by language tag (lower case); the table picks the
    /// paragraph's edition's language.
    pub texts: BTreeMap<String, String>,
}

impl Sentence {
    /// Its text in `language` (as [`Paragraph::language`] names it), else its first.
    pub fn text(&self, language: &str) -> String {
        in_language(&self.texts, language).unwrap_or_default()
    }
}

/// The sentences of each paragraph, by the paragraph's IRI, in position order.
pub type SentencesByParagraph = BTreeMap<String, Vec<Sentence>>;

/// The sentence alignment links, each as the sentence IRIs it joins (sorted).
pub type SentenceLinks = Vec<Vec<String>>;

/// The groups of aligned sentences among `members` (sentence IRIs in
/// reading order): sentences a link joins, directly or through another
/// link, share a group; a sentence no link names is a group of its own.
/// Returns each member's group number, from 0, numbered by the group's
/// first member. The one grouping of the table's `--sentences` rows and of
/// the paragraph page's sentence rows.
pub fn alignment_groups(members: &[&str], links: &[Vec<String>]) -> Vec<usize> {
    fn root(parents: &mut [usize], mut node: usize) -> usize {
        while parents[node] != node {
            parents[node] = parents[parents[node]];
            node = parents[node];
        }
        node
    }
    let index: BTreeMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(at, iri)| (*iri, at))
        .collect();
    let mut parents: Vec<usize> = (0..members.len()).collect();
    for link in links {
        let joined: Vec<usize> = link
            .iter()
            .filter_map(|iri| index.get(iri.as_str()).copied())
            .collect();
        for pair in joined.windows(2) {
            let (a, b) = (root(&mut parents, pair[0]), root(&mut parents, pair[1]));
            parents[a.max(b)] = a.min(b);
        }
    }
    let mut numbers: BTreeMap<usize, usize> = BTreeMap::new();
    (0..members.len())
        .map(|at| {
            let group = root(&mut parents, at);
            let next = numbers.len();
            *numbers.entry(group).or_insert(next)
        })
        .collect()
}

/// The sentences of every paragraph and the sentence links.
pub fn sentences(store: &Store) -> Result<(SentencesByParagraph, SentenceLinks), ParagraphsError> {
    let mut found: BTreeMap<(String, i64, String), ByTag> = BTreeMap::new();
    for row in select(store, SENTENCES, "sentences query")? {
        if let (Some(sentence), Some(paragraph), Some(position), Some((text, tag))) = (
            iri(&row, "sentence"),
            iri(&row, "paragraph"),
            integer(&row, "position"),
            tagged(&row, "text"),
        ) {
            found
                .entry((paragraph, position, sentence))
                .or_default()
                .insert(tag, text);
        }
    }
    let mut by_paragraph: BTreeMap<String, Vec<Sentence>> = BTreeMap::new();
    for ((paragraph, position, iri), texts) in found {
        by_paragraph.entry(paragraph).or_default().push(Sentence {
            iri,
            position,
            texts,
        });
    }
    let mut links: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in select(store, SENTENCE_LINKS, "sentence links query")? {
        if let (Some(link), Some(sentence)) = (iri(&row, "link"), iri(&row, "sentence")) {
            links.entry(link).or_default().push(sentence);
        }
    }
    let links = links
        .into_values()
        .map(|mut members| {
            members.sort();
            members
        })
        .collect();
    Ok((by_paragraph, links))
}

/// Every paragraph of the store, in the module's order.
pub fn load(store: &Store) -> Result<Vec<Paragraph>, ParagraphsError> {
    let mut translations: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in select(store, TRANSLATIONS, "translations query")? {
        if let (Some(paragraph), Some(translation)) =
            (iri(&row, "paragraph"), iri(&row, "translation"))
        {
            translations.entry(paragraph).or_default().push(translation);
        }
    }
    // Each paragraph's candidate texts and titles, by language tag, chosen below.
    let mut found: BTreeMap<String, (Paragraph, ByTag, ByTag)> = BTreeMap::new();
    for row in select(store, PARAGRAPHS, "paragraphs query")? {
        let (
            Some(paragraph),
            Some(edition_iri),
            Some(edition),
            Some(order),
            Some(position),
            Some(parent),
        ) = (
            iri(&row, "paragraph"),
            iri(&row, "editionNode"),
            literal(&row, "edition"),
            integer(&row, "order"),
            integer(&row, "position"),
            iri(&row, "parent"),
        )
        else {
            continue;
        };
        let entry = found.entry(paragraph.clone()).or_insert_with(|| {
            let translations = translations.remove(&paragraph).unwrap_or_default();
            (
                Paragraph {
                    iri: paragraph,
                    edition_iri,
                    edition,
                    language: literal(&row, "language").unwrap_or_default(),
                    order,
                    position,
                    place: Place {
                        chapter: integer(&row, "chapter"),
                        section: integer(&row, "section"),
                    },
                    text: String::new(),
                    parent: Parent {
                        iri: parent,
                        title: None,
                        order: integer(&row, "parentOrder"),
                    },
                    translations,
                },
                BTreeMap::new(),
                BTreeMap::new(),
            )
        });
        if let Some((text, tag)) = tagged(&row, "text") {
            entry.1.insert(tag, text);
        }
        if let Some((title, tag)) = tagged(&row, "title") {
            entry.2.insert(tag, title);
        }
    }
    let mut paragraphs: Vec<Paragraph> = found
        .into_values()
        .map(|(mut paragraph, texts, titles)| {
            paragraph.text = in_language(&texts, &paragraph.language).unwrap_or_default();
            paragraph.parent.title = in_language(&titles, &paragraph.language);
            paragraph.translations.sort();
            paragraph.translations.dedup();
            paragraph
        })
        .collect();
    paragraphs.sort_by(|a, b| (&a.edition, a.order, &a.iri).cmp(&(&b.edition, b.order, &b.iri)));
    Ok(paragraphs)
}

/// The value whose tag matches `language` (BCP 47 basic filtering, as
/// SPARQL's `LANGMATCHES`: `zh-Hans` takes `zh-hans`), else the first by tag.
fn in_language(values: &ByTag, language: &str) -> Option<String> {
    let language = language.to_ascii_lowercase();
    values
        .iter()
        .find(|(tag, _)| {
            !language.is_empty()
                && (**tag == language
                    || tag
                        .strip_prefix(language.as_str())
                        .is_some_and(|rest| rest.starts_with('-')))
        })
        .or_else(|| values.iter().next())
        .map(|(_, value)| value.clone())
}

/// Runs one of this module's SELECT queries over the union of the graphs.
fn select(store: &Store, query: &str, origin: &str) -> Result<Vec<QuerySolution>, ParagraphsError> {
    match prepare(query, origin, &Services::none())?
        .on_store(store)
        .execute()?
    {
        QueryResults::Solutions(solutions) => Ok(solutions.collect::<Result<Vec<_>, _>>()?),
        // Both queries are SELECTs.
        QueryResults::Boolean(_) | QueryResults::Graph(_) => Ok(Vec::new()),
    }
}

/// The IRI bound to `variable`.
fn iri(row: &QuerySolution, variable: &str) -> Option<String> {
    match row.get(variable)? {
        Term::NamedNode(node) => Some(node.as_str().to_owned()),
        _ => None,
    }
}

/// The lexical form of the literal bound to `variable`.
fn literal(row: &QuerySolution, variable: &str) -> Option<String> {
    match row.get(variable)? {
        Term::Literal(literal) => Some(literal.value().to_owned()),
        _ => None,
    }
}

/// The literal bound to `variable` with its language tag (lower case, empty if none).
fn tagged(row: &QuerySolution, variable: &str) -> Option<(String, String)> {
    match row.get(variable)? {
        Term::Literal(literal) => Some((
            literal.value().to_owned(),
            literal.language().unwrap_or_default().to_ascii_lowercase(),
        )),
        _ => None,
    }
}

/// The integer bound to `variable`.
fn integer(row: &QuerySolution, variable: &str) -> Option<i64> {
    literal(row, variable)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_sentences_share_a_group_numbered_in_reading_order() {
        let links = vec![
            vec!["zh1".to_owned(), "en1".to_owned(), "en2".to_owned()],
            vec!["un1".to_owned(), "zh1".to_owned()],
            vec!["zh3".to_owned(), "zh2".to_owned(), "en3".to_owned()],
        ];
        let members = ["zh1", "zh2", "zh3", "zh4", "en1", "en2", "en3", "un1"];
        assert_eq!(alignment_groups(&members, &links), [0, 1, 1, 2, 0, 0, 1, 0]);
        assert!(alignment_groups(&[], &links).is_empty());
    }

    #[test]
    fn the_text_in_the_editions_language_is_chosen() {
        let values: BTreeMap<String, String> = [("zh-hans", "简"), ("zh-hant", "繁")]
            .into_iter()
            .map(|(tag, text)| (tag.to_owned(), text.to_owned()))
            .collect();
        assert_eq!(in_language(&values, "zh-Hant").as_deref(), Some("繁"));
        assert_eq!(in_language(&values, "zh-Hans").as_deref(), Some("简"));
        assert_eq!(in_language(&values, "zh").as_deref(), Some("简"));
        // No match: the first by tag, never nothing.
        assert_eq!(in_language(&values, "en").as_deref(), Some("简"));
        assert_eq!(in_language(&values, "").as_deref(), Some("简"));
        assert_eq!(in_language(&BTreeMap::new(), "en"), None);
    }
}
