//! `cyberkg entities`: every entity of the table with its kind, labels, link
//! status and how often each document names it. Unlinked entities are
//! listed like the others, never dropped; the answer comes from SPARQL over
//! the store, so it works on an on-disk store too.

use super::failure::{CommandResult, Failure};
use super::output::write_output;
use super::stores::reading_store;
use crate::cli::{EntitiesArgs, ListFormat};
use comfy_table::{ContentArrangement, Table, presets};
use cyberkg::extract::Kind;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// One row of the listing.
#[derive(Debug, Clone, Serialize, Default)]
struct Row {
    key: String,
    kind: String,
    english: String,
    chinese: String,
    wikidata: Option<String>,
    wikidata_confidence: Option<String>,
    dbpedia: Option<String>,
    /// Mentions per document id.
    mentions: BTreeMap<String, usize>,
    total: usize,
}

const ENTITIES: &str = "SELECT ?key ?kind ?en ?zh ?same WHERE {
  ?e a cyberkg:Entity ; dcterms:identifier ?key ; cyberkg:entityKind ?kind .
  OPTIONAL { ?e skos:prefLabel ?en FILTER(LANGMATCHES(LANG(?en), \"en\")) }
  OPTIONAL { ?e skos:prefLabel ?zh FILTER(LANGMATCHES(LANG(?zh), \"zh-Hans\")) }
  OPTIONAL { ?e owl:sameAs ?same }
}";

const CONFIDENCE: &str = "SELECT ?key ?confidence WHERE { ?e a cyberkg:Entity ; dcterms:identifier ?key ; cyberkg:wikidataConfidence ?confidence }";

const MENTIONS: &str = "SELECT ?key ?document (COUNT(?a) AS ?n) WHERE {
  ?a a oa:Annotation ; oa:hasBody ?e ; oa:hasTarget/oa:hasSource ?part .
  ?e dcterms:identifier ?key .
  OPTIONAL { ?part cyberkg:inEdition ?edition }
  BIND(COALESCE(?edition, ?part) AS ?root)
  ?root dcterms:identifier ?document .
} GROUP BY ?key ?document";

fn select(store: &Store, query: &str) -> Result<Vec<BTreeMap<String, String>>, Failure> {
    let failed = |e: &dyn std::fmt::Display| {
        Failure::Runtime(anyhow::anyhow!("the entity listing failed: {e}"))
    };
    let prepared = cyberkg::sparql::prepare(
        query,
        "cyberkg entities",
        &cyberkg::sparql::Services::none(),
    )
    .map_err(|e| failed(&e))?;
    let QueryResults::Solutions(solutions) =
        prepared.on_store(store).execute().map_err(|e| failed(&e))?
    else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(|e| failed(&e))?;
        rows.push(
            solution
                .iter()
                .map(|(variable, term)| {
                    let value = match term {
                        Term::NamedNode(node) => node.as_str().to_owned(),
                        Term::Literal(literal) => literal.value().to_owned(),
                        other => other.to_string(),
                    };
                    (variable.as_str().to_owned(), value)
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// The listing: one row per entity, sorted by key, and the document ids in column order.
fn listing(store: &Store, kind: Option<&str>) -> Result<(Vec<Row>, Vec<String>), Failure> {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for found in select(store, ENTITIES)? {
        let key = found.get("key").cloned().unwrap_or_default();
        let row = rows.entry(key.clone()).or_insert_with(|| Row {
            key,
            ..Row::default()
        });
        row.kind = found.get("kind").cloned().unwrap_or_default();
        if let Some(en) = found.get("en") {
            row.english = en.clone();
        }
        if let Some(zh) = found.get("zh") {
            row.chinese = zh.clone();
        }
        match found.get("same") {
            Some(same) if same.starts_with("http://www.wikidata.org/entity/") => {
                row.wikidata = same.rsplit('/').next().map(str::to_owned);
            }
            Some(same) if same.starts_with("http://dbpedia.org/resource/") => {
                row.dbpedia = same
                    .strip_prefix("http://dbpedia.org/resource/")
                    .map(str::to_owned);
            }
            _ => {}
        }
    }
    for found in select(store, CONFIDENCE)? {
        if let (Some(key), Some(confidence)) = (found.get("key"), found.get("confidence"))
            && let Some(row) = rows.get_mut(key)
        {
            row.wikidata_confidence = Some(confidence.clone());
        }
    }
    let mut documents = std::collections::BTreeSet::new();
    for found in select(store, MENTIONS)? {
        let (Some(key), Some(document), Some(count)) =
            (found.get("key"), found.get("document"), found.get("n"))
        else {
            continue;
        };
        let count: usize = count.parse().unwrap_or(0);
        documents.insert(document.clone());
        if let Some(row) = rows.get_mut(key) {
            row.mentions.insert(document.clone(), count);
            row.total += count;
        }
    }
    let rows = rows
        .into_values()
        .filter(|row| kind.is_none_or(|k| row.kind == k))
        .collect();
    Ok((rows, documents.into_iter().collect()))
}

fn link(row: &Row) -> String {
    match (&row.wikidata, &row.wikidata_confidence) {
        (Some(id), Some(confidence)) => format!("{id} ({confidence})"),
        (Some(id), None) => id.clone(),
        (None, _) => "unlinked".to_owned(),
    }
}

/// Runs `cyberkg entities`.
pub fn run(args: EntitiesArgs) -> CommandResult {
    let kind = kind_flag(args.kind.as_deref())?;
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    let (rows, documents) = listing(&store, kind)?;
    write_output(args.output.as_deref(), |out| match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
            Ok(())
        }
        ListFormat::Csv => write_csv(out, &rows, &documents),
        ListFormat::Table => write_table(out, &rows, &documents),
    })
}

/// A validated `--type`.
fn kind_flag(name: Option<&str>) -> Result<Option<&str>, Failure> {
    let Some(name) = name else {
        return Ok(None);
    };
    if !Kind::ALL.iter().any(|k| k.name() == name) {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        return Err(Failure::Usage(format!(
            "unknown entity type '{name}' for --type; expected one of {}",
            names.join(", ")
        )));
    }
    Ok(Some(name))
}

/// `-F csv`: one record an entity, with a mention count per document.
fn write_csv(out: &mut dyn Write, rows: &[Row], documents: &[String]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut header = vec![
        "key",
        "kind",
        "english",
        "chinese",
        "wikidata",
        "wikidata_confidence",
        "dbpedia",
    ];
    header.extend(documents.iter().map(String::as_str));
    header.push("total");
    writer.write_record(&header)?;
    for row in rows {
        let mut record = vec![
            row.key.clone(),
            row.kind.clone(),
            row.english.clone(),
            row.chinese.clone(),
        ];
        record.push(row.wikidata.clone().unwrap_or_default());
        record.push(row.wikidata_confidence.clone().unwrap_or_default());
        record.push(row.dbpedia.clone().unwrap_or_default());
        record.extend(
            documents
                .iter()
                .map(|d| row.mentions.get(d).copied().unwrap_or(0).to_string()),
        );
        record.push(row.total.to_string());
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

/// `-F table`: the terminal table, then a line counting the linked entities.
fn write_table(out: &mut dyn Write, rows: &[Row], documents: &[String]) -> anyhow::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if table.width().is_none() {
        table.set_width(160);
    }
    let mut header = vec![
        "key".to_owned(),
        "kind".to_owned(),
        "English".to_owned(),
        "中文".to_owned(),
        "Wikidata".to_owned(),
        "DBpedia".to_owned(),
    ];
    header.extend(
        documents
            .iter()
            .map(|d| d.rsplit('/').next().unwrap_or(d).to_owned()),
    );
    table.set_header(header);
    for row in rows {
        let mut cells = vec![
            row.key.clone(),
            row.kind.clone(),
            row.english.clone(),
            row.chinese.clone(),
            link(row),
            row.dbpedia.clone().unwrap_or_else(|| "-".to_owned()),
        ];
        cells.extend(
            documents
                .iter()
                .map(|d| row.mentions.get(d).copied().unwrap_or(0).to_string()),
        );
        table.add_row(cells);
    }
    writeln!(out, "{table}")?;
    let linked = rows.iter().filter(|r| r.wikidata.is_some()).count();
    writeln!(
        out,
        "{} entities, {linked} linked to Wikidata, {} unlinked",
        rows.len(),
        rows.len() - linked
    )?;
    Ok(())
}
