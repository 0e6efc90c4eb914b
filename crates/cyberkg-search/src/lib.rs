//! cyberkg's full-text index: the texts of the parts (paragraphs and
//! headings) of every edition, in Chinese and English, searchable by word.
//!
//! The index is derived data. It takes plain [`Record`]s (an IRI, an
//! edition, a language, a place, a text) and knows nothing of RDF or of the
//! store they came from (the library reads them, `cyberkg::search`), so any
//! store gets a matching index. It lives in memory ([`SearchIndex::in_memory`])
//! or in a directory ([`SearchIndex::on_disk`]) together with the
//! [`fingerprint`] of the records it was built from; an on-disk index whose
//! fingerprint differs from the records it is asked for is rebuilt, so it is
//! never stale.
//!
//! Text analysis is in [`analysis`]: jieba words of the Simplified text for
//! Chinese (Traditional is folded at index and at query time), Snowball
//! English stems for English. A query ([`SearchRequest`]) is analysed the
//! same way; every word must occur in a hit (a word of three or more
//! characters may also be matched by the dictionary words inside it), and
//! the words as a phrase add to the BM25 score, so exact wording ranks first.
//!
//! *Invariant:* the same records and the same request give the same hits in
//! the same order (ties broken by IRI), whether the index was built now or
//! read from disk.

pub mod analysis;

use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

/// The language of a text, as the index groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// Chinese, in either script (indexed as Simplified).
    Chinese,
    /// English.
    English,
}

impl Language {
    /// The code shown and accepted: `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Chinese => "zh",
            Language::English => "en",
        }
    }

    /// The language of a BCP 47 tag (`zh-Hans`, `zh-hant`, `en-GB`), if indexed.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split('-').next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Language::Chinese)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Language::English)
        } else {
            None
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a text is to its part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextKind {
    /// The running text of a paragraph (or an epigraph, a signature, ...).
    Body,
    /// The title of a chapter or section.
    Heading,
}

impl TextKind {
    /// `text` or `heading`.
    pub fn name(self) -> &'static str {
        match self {
            TextKind::Body => "text",
            TextKind::Heading => "heading",
        }
    }

    fn from_name(name: &str) -> Self {
        if name == "heading" {
            TextKind::Heading
        } else {
            TextKind::Body
        }
    }
}

/// Where a part sits: its chapter, section and paragraph numbers, as printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// The chapter's number.
    pub chapter: Option<u64>,
    /// The section's number within its chapter.
    pub section: Option<u64>,
    /// The paragraph's number within its section or chapter.
    pub paragraph: Option<u64>,
}

/// One text of one part: what the index holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Record {
    /// The part's IRI.
    pub iri: String,
    /// The edition's identifier (`iscc2017/zh`).
    pub edition: String,
    /// The text's language.
    pub language: Language,
    /// Running text or heading.
    pub kind: TextKind,
    /// The part's place.
    pub place: Place,
    /// The text itself.
    pub text: String,
}

/// The SHA-256 (hex) of records, in the order given: what an on-disk index
/// remembers it was built from. The caller gives them in a stable order.
pub fn fingerprint(records: &[Record]) -> String {
    let mut hash = Sha256::new();
    // A version of the analysis, so a new tokenizer rebuilds old indexes.
    hash.update(b"cyberkg-search 1\n");
    for record in records {
        for field in [
            record.iri.as_str(),
            record.edition.as_str(),
            record.language.code(),
            record.kind.name(),
            &format!("{:?}", record.place),
            record.text.as_str(),
        ] {
            hash.update((field.len() as u64).to_le_bytes());
            hash.update(field.as_bytes());
        }
    }
    hash.finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Why a search or an index failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query has no word to search for.
    #[error(
        "the search query {query:?} has no word to search for; give at least one word (Chinese or English)"
    )]
    EmptyQuery {
        /// The query as given.
        query: String,
    },
    /// The edition filter names no edition of the index.
    #[error("unknown edition '{edition}'; the editions are {}", known.join(", "))]
    UnknownEdition {
        /// The edition asked for.
        edition: String,
        /// The editions the index holds.
        known: Vec<String>,
    },
    /// Tantivy failed.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index's place holds something else, which a rebuild would delete.
    #[error(
        "{} holds something other than a cyberkg search index (no {FINGERPRINT_FILE} file); move it away, and cyberkg will build the index there",
        path.display()
    )]
    NotAnIndex {
        /// The index directory.
        path: PathBuf,
    },
    /// The on-disk index could not be read or written.
    #[error("search index at {}: {error}", path.display())]
    Io {
        /// The index directory.
        path: PathBuf,
        /// What the system said.
        #[source]
        error: std::io::Error,
    },
}

/// What to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The words, in Chinese (either script) or English.
    pub text: String,
    /// Only texts in this language.
    pub language: Option<Language>,
    /// Only parts of this edition: its identifier (`iscc2017/en-gov`) or the
    /// identifier's last segment (`en-gov`).
    pub edition: Option<String>,
    /// At most this many hits.
    pub limit: usize,
}

/// A short passage of a hit's text with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// The matched words: half-open code-point ranges into `text`, sorted,
    /// not overlapping.
    pub marks: Vec<(usize, usize)>,
}

impl Snippet {
    /// The passage with each matched word between `open` and `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 8 * self.marks.len());
        let mut marks = self.marks.iter().peekable();
        for (index, character) in self.text.chars().enumerate() {
            if marks.peek().is_some_and(|(start, _)| *start == index) {
                out.push_str(open);
            }
            out.push(character);
            if let Some((_, end)) = marks.peek()
                && *end == index + 1
            {
                out.push_str(close);
                marks.next();
            }
        }
        out
    }
}

/// One part that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The part's IRI.
    pub iri: String,
    /// The edition's identifier.
    pub edition: String,
    /// The matched text's language.
    pub language: Language,
    /// Running text or heading.
    pub kind: TextKind,
    /// The part's place.
    pub place: Place,
    /// BM25 score (higher is better), phrase bonus included.
    pub score: f32,
    /// The best passage, matched words marked.
    pub snippet: Snippet,
}

/// The fields of the index.
#[derive(Clone, Copy)]
struct Fields {
    iri: Field,
    edition: Field,
    language: Field,
    kind: Field,
    chapter: Field,
    section: Field,
    paragraph: Field,
    chinese: Field,
    english: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_stored().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let fields = Fields {
            iri: builder.add_text_field("iri", STRING | STORED),
            edition: builder.add_text_field("edition", STRING | STORED),
            language: builder.add_text_field("language", STRING | STORED),
            kind: builder.add_text_field("kind", STORED),
            chapter: builder.add_u64_field("chapter", STORED),
            section: builder.add_u64_field("section", STORED),
            paragraph: builder.add_u64_field("paragraph", STORED),
            chinese: builder.add_text_field("text_zh", text(analysis::CHINESE)),
            english: builder.add_text_field("text_en", text(analysis::ENGLISH)),
        };
        (builder.build(), fields)
    }

    fn from_schema(schema: &Schema) -> Result<Fields, tantivy::TantivyError> {
        let field = |name: &str| schema.get_field(name);
        Ok(Fields {
            iri: field("iri")?,
            edition: field("edition")?,
            language: field("language")?,
            kind: field("kind")?,
            chapter: field("chapter")?,
            section: field("section")?,
            paragraph: field("paragraph")?,
            chinese: field("text_zh")?,
            english: field("text_en")?,
        })
    }

    fn text(&self, language: Language) -> Field {
        match language {
            Language::Chinese => self.chinese,
            Language::English => self.english,
        }
    }
}

/// Whether [`SearchIndex::on_disk`] read an index or built one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Built from the records now.
    Built,
    /// Read from disk: its fingerprint matched the records.
    Reused,
}

/// The index, ready to search.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    editions: BTreeSet<String>,
    origin: Origin,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("editions", &self.editions)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// The file beside an on-disk index that holds its records' fingerprint.
const FINGERPRINT_FILE: &str = "cyberkg-fingerprint";

/// Tantivy's smallest indexing budget; the built-in corpus needs far less.
const WRITER_BUDGET: usize = 15_000_000;

impl SearchIndex {
    /// An index of `records` in memory.
    pub fn in_memory(records: &[Record]) -> Result<Self, SearchError> {
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_ram(schema);
        register(&index);
        write(&index, fields, records)?;
        Self::ready(&index, fields, records, Origin::Built)
    }

    /// The index of `records` in the directory `path`: the one already
    /// there if it was built from the same records (same [`fingerprint`]),
    /// else a new one, written into a temporary directory beside `path` and
    /// renamed into place, so no reader sees half an index.
    pub fn on_disk(path: &Path, records: &[Record]) -> Result<Self, SearchError> {
        let io = |error| SearchError::Io {
            path: path.to_owned(),
            error,
        };
        let wanted = fingerprint(records);
        let recorded = std::fs::read_to_string(path.join(FINGERPRINT_FILE)).ok();
        if recorded.as_deref().map(str::trim) == Some(wanted.as_str())
            && let Ok(index) = Index::open_in_dir(path)
        {
            register(&index);
            if let Ok(fields) = Fields::from_schema(&index.schema()) {
                return Self::ready(&index, fields, records, Origin::Reused);
            }
        }
        // Only an earlier index (or nothing, or an empty directory) is replaced.
        let replaceable = !path.exists()
            || path.join(FINGERPRINT_FILE).is_file()
            || std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none());
        if !replaceable {
            return Err(SearchError::NotAnIndex {
                path: path.to_owned(),
            });
        }
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let staging = tempfile::Builder::new()
            .prefix(".cyberkg-search-")
            .tempdir_in(&parent)
            .map_err(io)?;
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(staging.path(), schema)?;
        register(&index);
        write(&index, fields, records)?;
        std::fs::write(staging.path().join(FINGERPRINT_FILE), &wanted).map_err(io)?;
        drop(index);
        if path.exists() {
            std::fs::remove_dir_all(path).map_err(io)?;
        }
        let staged = staging.keep();
        std::fs::rename(&staged, path).map_err(io)?;
        let index = Index::open_in_dir(path)?;
        register(&index);
        Self::ready(&index, fields, records, Origin::Built)
    }

    fn ready(
        index: &Index,
        fields: Fields,
        records: &[Record],
        origin: Origin,
    ) -> Result<Self, SearchError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            fields,
            editions: records.iter().map(|r| r.edition.clone()).collect(),
            origin,
        })
    }

    /// How many texts the index holds.
    pub fn len(&self) -> usize {
        usize::try_from(self.reader.searcher().num_docs()).unwrap_or(usize::MAX)
    }

    /// Whether the index holds no text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether this index was built now or read from disk.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// The editions the index holds.
    pub fn editions(&self) -> &BTreeSet<String> {
        &self.editions
    }

    /// The edition a `--edition` value names: an identifier, or the last
    /// segment of exactly one.
    pub fn resolve_edition(&self, edition: &str) -> Result<String, SearchError> {
        if self.editions.contains(edition) {
            return Ok(edition.to_owned());
        }
        let mut matching = self
            .editions
            .iter()
            .filter(|known| known.rsplit('/').next() == Some(edition));
        match (matching.next(), matching.next()) {
            (Some(known), None) => Ok(known.clone()),
            _ => Err(SearchError::UnknownEdition {
                edition: edition.to_owned(),
                known: self.editions.iter().cloned().collect(),
            }),
        }
    }

    /// The parts that match `request`, best first (ties by IRI).
    pub fn search(&self, request: &SearchRequest) -> Result<Vec<Hit>, SearchError> {
        let fields = self.fields;
        let languages: Vec<Language> = match request.language {
            Some(language) => vec![language],
            None => vec![Language::Chinese, Language::English],
        };
        let mut per_language = Vec::new();
        for language in &languages {
            if let Some(query) = words_query(fields.text(*language), *language, &request.text) {
                per_language.push((Occur::Should, query));
            }
        }
        if per_language.is_empty() {
            // No word in any language's analysis: nothing to search for.
            let any_word = [Language::Chinese, Language::English]
                .iter()
                .any(|language| {
                    words_query(fields.text(*language), *language, &request.text).is_some()
                });
            if !any_word {
                return Err(SearchError::EmptyQuery {
                    query: request.text.clone(),
                });
            }
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(per_language)))];
        if let Some(edition) = &request.edition {
            let edition = self.resolve_edition(edition)?;
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.edition, &edition),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let found = searcher.search(
            &query,
            &TopDocs::with_limit(request.limit.max(1)).order_by_score(),
        )?;
        let mut snippets = Vec::new();
        for language in [Language::Chinese, Language::English] {
            let mut generator = SnippetGenerator::create(&searcher, &query, fields.text(language))?;
            generator.set_max_num_chars(snippet_bytes(language));
            snippets.push((language, generator));
        }
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let document: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .map(str::to_owned)
            };
            let number = |field: Field| document.get_first(field).and_then(|value| value.as_u64());
            let language = if text(fields.chinese).is_some() {
                Language::Chinese
            } else {
                Language::English
            };
            let body = text(fields.text(language)).unwrap_or_default();
            let snippet = snippets
                .iter()
                .find(|(l, _)| *l == language)
                .map(|(_, generator)| snippet(generator, &body))
                .unwrap_or_else(|| lead(&body));
            hits.push(Hit {
                iri: text(fields.iri).unwrap_or_default(),
                edition: text(fields.edition).unwrap_or_default(),
                language,
                kind: TextKind::from_name(&text(fields.kind).unwrap_or_default()),
                place: Place {
                    chapter: number(fields.chapter),
                    section: number(fields.section),
                    paragraph: number(fields.paragraph),
                },
                score,
                snippet,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.iri.cmp(&b.iri)));
        Ok(hits)
    }
}

/// How long a snippet without marks is, in characters.
const SNIPPET_CHARS: usize = 150;

/// How long a snippet is, in bytes as Tantivy counts: about 90 Chinese
/// characters (three bytes each in UTF-8) or 180 English ones.
fn snippet_bytes(language: Language) -> usize {
    match language {
        Language::Chinese => 270,
        Language::English => 180,
    }
}

/// Registers the two analyzers under the names the schema uses.
fn register(index: &Index) {
    index
        .tokenizers()
        .register(analysis::CHINESE, analysis::chinese());
    index
        .tokenizers()
        .register(analysis::ENGLISH, analysis::english());
}

/// Writes the records into an empty index, on one thread so document ids,
/// hence the order of equal scores, do not depend on the machine.
fn write(index: &Index, fields: Fields, records: &[Record]) -> Result<(), SearchError> {
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_BUDGET)?;
    for record in records {
        let mut document = TantivyDocument::default();
        document.add_text(fields.iri, &record.iri);
        document.add_text(fields.edition, &record.edition);
        document.add_text(fields.language, record.language.code());
        document.add_text(fields.kind, record.kind.name());
        for (field, number) in [
            (fields.chapter, record.place.chapter),
            (fields.section, record.place.section),
            (fields.paragraph, record.place.paragraph),
        ] {
            if let Some(number) = number {
                document.add_u64(field, number);
            }
        }
        document.add_text(fields.text(record.language), &record.text);
        writer.add_document(document)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// The query for `text` in one language's field: every word must occur
/// (a long word, or the dictionary words inside it), and the words in
/// order, as a phrase, add to the score. `None` when the analysis finds no
/// word.
fn words_query(field: Field, language: Language, text: &str) -> Option<Box<dyn Query>> {
    let mut analyzer = match language {
        Language::Chinese => analysis::chinese(),
        Language::English => analysis::english(),
    };
    // Tokens grouped by position: a word, then the words inside it.
    let mut positions: Vec<Vec<String>> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        let term = token.text.clone();
        match positions.get_mut(token.position) {
            Some(group) => group.push(term),
            None => positions.push(vec![term]),
        }
    }
    if positions.is_empty() {
        return None;
    }
    let term = |text: &str| Term::from_field_text(field, text);
    let term_query = |text: &str| {
        Box::new(TermQuery::new(term(text), IndexRecordOption::WithFreqs)) as Box<dyn Query>
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in &positions {
        let (word, inside) = group.split_first()?;
        let clause = if inside.is_empty() {
            term_query(word)
        } else {
            // The word itself, or all the dictionary words inside it (the
            // text may have cut the same characters differently).
            let all_inside = BooleanQuery::new(
                inside
                    .iter()
                    .map(|inner| (Occur::Must, term_query(inner)))
                    .collect(),
            );
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, term_query(word)),
                (Occur::Should, Box::new(all_inside)),
            ]))
        };
        clauses.push((Occur::Must, clause));
    }
    if positions.len() > 1 {
        let phrase = PhraseQuery::new(positions.iter().map(|group| term(&group[0])).collect());
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(phrase), PHRASE_BOOST)),
        ));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// How much more the query's words as a phrase weigh than the words apart.
const PHRASE_BOOST: f32 = 2.0;

/// The best passage of `text` for the generator's terms, with code-point
/// marks; the text's opening when no word of it is marked (a hit through a
/// dictionary word inside a longer one).
fn snippet(generator: &SnippetGenerator, text: &str) -> Snippet {
    let found = generator.snippet(text);
    if found.is_empty() || found.highlighted().is_empty() {
        return lead(text);
    }
    let fragment = found.fragment();
    let to_chars = |byte: usize| fragment[..byte.min(fragment.len())].chars().count();
    let ranges = tantivy::snippet::collapse_overlapped_ranges(found.highlighted());
    Snippet {
        text: fragment.to_owned(),
        marks: ranges
            .iter()
            .map(|range| (to_chars(range.start), to_chars(range.end)))
            .filter(|(start, end)| start < end)
            .collect(),
    }
}

/// The first [`SNIPPET_CHARS`] characters of `text`, nothing marked.
fn lead(text: &str) -> Snippet {
    Snippet {
        text: text.chars().take(SNIPPET_CHARS).collect(),
        marks: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
