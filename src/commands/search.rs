//! `cyberkg search`: full-text search of the store's paragraphs and headings
//! (the index and its analysis are `cyberkg::search` and `cyberkg_search`).

use super::failure::{CommandResult, Failure};
use super::output::write_output;
use super::stores::reading_store;
use crate::cli::{ListFormat, SearchArgs, SearchLanguage};
use comfy_table::{ContentArrangement, Table, presets};
use cyberkg::search::{
    Hit, IndexPlace, Language, Search, SearchError, SearchRequest, StoreSearchError,
};
use cyberkg::store::Location;
use serde::Serialize;
use std::io::Write;

/// One hit as `-r json` and `-r csv` write it.
#[derive(Debug, Serialize)]
struct Row<'a> {
    rank: usize,
    score: f32,
    edition: &'a str,
    language: &'static str,
    kind: &'static str,
    chapter: Option<u64>,
    section: Option<u64>,
    paragraph: Option<u64>,
    iri: &'a str,
    /// The passage, unmarked (JSON) or with the matches in «» (CSV, table).
    snippet: String,
    /// Half-open code-point ranges of the matched words in `snippet` (JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    marks: Option<&'a [(usize, usize)]>,
}

impl<'a> Row<'a> {
    fn new(rank: usize, hit: &'a Hit, marked: bool) -> Self {
        Row {
            rank,
            score: hit.score,
            edition: &hit.edition,
            language: hit.language.code(),
            kind: hit.kind.name(),
            chapter: hit.place.chapter,
            section: hit.place.section,
            paragraph: hit.place.paragraph,
            iri: &hit.iri,
            snippet: if marked {
                hit.snippet.marked("«", "»")
            } else {
                hit.snippet.text.clone()
            },
            marks: (!marked).then_some(hit.snippet.marks.as_slice()),
        }
    }
}

/// Runs `cyberkg search`.
pub fn run(args: SearchArgs) -> CommandResult {
    if args.query.trim().is_empty() {
        return Err(Failure::Usage(
            SearchError::EmptyQuery {
                query: args.query.clone(),
            }
            .to_string(),
        ));
    }
    let location = args.store.location.as_deref();
    let store = reading_store(location, &args.corpus)?;
    let search = Search::new(store, IndexPlace::beside(&Location::from_flag(location)));
    let request = SearchRequest {
        text: args.query.clone(),
        language: args.language.map(|language| match language {
            SearchLanguage::Zh => Language::Chinese,
            SearchLanguage::En => Language::English,
        }),
        edition: args.edition.clone(),
        limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
    };
    let hits = search.search(&request).map_err(|error| match error {
        StoreSearchError::Search(SearchError::UnknownEdition { edition, known }) => {
            Failure::Usage(format!(
                "unknown edition '{edition}' for --edition; expected one of {} (or the part after the last '/', e.g. {})",
                known.join(", "),
                known
                    .first()
                    .and_then(|id| id.rsplit('/').next())
                    .unwrap_or("en-gov")
            ))
        }
        StoreSearchError::Search(empty @ SearchError::EmptyQuery { .. }) => {
            Failure::Usage(empty.to_string())
        }
        other => Failure::Runtime(other.into()),
    })?;
    write_output(args.output.as_deref(), |out| match args.results_format {
        ListFormat::Json => {
            let rows: Vec<Row<'_>> = hits
                .iter()
                .enumerate()
                .map(|(index, hit)| Row::new(index + 1, hit, false))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
            Ok(())
        }
        ListFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for (index, hit) in hits.iter().enumerate() {
                writer.serialize(Row::new(index + 1, hit, true))?;
            }
            if hits.is_empty() {
                writer.write_record(HEADER)?;
            }
            writer.flush()?;
            Ok(())
        }
        ListFormat::Table => write_table(out, &hits),
    })
}

/// The CSV header (written by serde from [`Row`], and by hand when there is no hit).
const HEADER: [&str; 10] = [
    "rank",
    "score",
    "edition",
    "language",
    "kind",
    "chapter",
    "section",
    "paragraph",
    "iri",
    "snippet",
];

/// `-r table`: one row a hit, then a count.
fn write_table(out: &mut dyn Write, hits: &[Hit]) -> anyhow::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if table.width().is_none() {
        table.set_width(120);
    }
    table.set_header([
        "#", "score", "edition", "ch.", "sec.", "para.", "snippet", "IRI",
    ]);
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for (index, hit) in hits.iter().enumerate() {
        table.add_row([
            (index + 1).to_string(),
            format!("{:.3}", hit.score),
            hit.edition.clone(),
            number(hit.place.chapter),
            number(hit.place.section),
            number(hit.place.paragraph),
            hit.snippet.marked("«", "»"),
            hit.iri.clone(),
        ]);
    }
    writeln!(out, "{table}")?;
    writeln!(
        out,
        "{} hit{}",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" }
    )?;
    Ok(())
}
