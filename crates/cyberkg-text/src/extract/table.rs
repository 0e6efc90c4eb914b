//! The curated entity table (`data/entities.toml`), read with serde and checked.
//!
//! The table is reference data: every organization, state, person, document,
//! initiative and concept the strategy names, with its labels, the surface
//! forms the texts use, its parent organization and, only where a public
//! source verifies them, its Wikidata and DBpedia identifiers with those
//! sources. [`EntityTable::parse`] refuses a table that could produce a
//! wrong link: duplicate keys or identifiers, unknown parents, malformed QIDs.

use crate::data_file::{CuratedDataError, read_toml};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// What an entity is; decides its classes in the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A sovereign state.
    State,
    /// A formal intergovernmental organization (UN, SCO, ASEAN).
    IntergovernmentalOrganization,
    /// An organ, body, commission or expert group of a larger organization.
    Organ,
    /// A standing forum or grouping that is not a formal organization (BRICS, APEC, G20).
    Forum,
    /// A non-profit organization (ICANN, WEF).
    NonProfit,
    /// A government ministry or office.
    GovernmentAgency,
    /// A diplomatic mission.
    DiplomaticMission,
    /// A summit or conference series.
    Event,
    /// A person.
    Person,
    /// A post or office (President of the PRC).
    Post,
    /// A place.
    Place,
    /// A document, treaty or agenda.
    Document,
    /// A policy initiative or plan.
    Initiative,
    /// A key concept.
    Concept,
}

impl Kind {
    /// Stable name, as in the table.
    pub fn name(self) -> &'static str {
        match self {
            Kind::State => "state",
            Kind::IntergovernmentalOrganization => "intergovernmental-organization",
            Kind::Organ => "organ",
            Kind::Forum => "forum",
            Kind::NonProfit => "non-profit",
            Kind::GovernmentAgency => "government-agency",
            Kind::DiplomaticMission => "diplomatic-mission",
            Kind::Event => "event",
            Kind::Person => "person",
            Kind::Post => "post",
            Kind::Place => "place",
            Kind::Document => "document",
            Kind::Initiative => "initiative",
            Kind::Concept => "concept",
        }
    }

    /// Every kind, for help texts.
    pub const ALL: [Kind; 14] = [
        Kind::State,
        Kind::IntergovernmentalOrganization,
        Kind::Organ,
        Kind::Forum,
        Kind::NonProfit,
        Kind::GovernmentAgency,
        Kind::DiplomaticMission,
        Kind::Event,
        Kind::Person,
        Kind::Post,
        Kind::Place,
        Kind::Document,
        Kind::Initiative,
        Kind::Concept,
    ];

    /// Whether entities of this kind are organizations (or organization-like: forums, events).
    pub fn is_organization(self) -> bool {
        matches!(
            self,
            Kind::IntergovernmentalOrganization
                | Kind::Organ
                | Kind::Forum
                | Kind::NonProfit
                | Kind::GovernmentAgency
                | Kind::DiplomaticMission
                | Kind::Event
        )
    }
}

/// Labels or aliases per language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels<T> {
    /// English.
    pub en: Option<T>,
    /// Simplified Chinese.
    #[serde(rename = "zh-hans")]
    pub zh_hans: Option<T>,
    /// Traditional Chinese, where the parallel text uses the name.
    #[serde(rename = "zh-hant")]
    pub zh_hant: Option<T>,
}

/// How sure a Wikidata link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Two or more independent public sources pair the identifier with the name.
    Verified,
    /// One public source pairs them and nothing contradicts it.
    SingleSource,
}

impl Confidence {
    /// Stable name.
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Verified => "verified",
            Confidence::SingleSource => "single-source",
        }
    }
}

/// A verified Wikidata identifier.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wikidata {
    /// The QID (`Q1065`).
    pub id: String,
    /// How many sources verify it.
    pub confidence: Confidence,
    /// The public sources that pair it with the entity's name.
    pub sources: Vec<String>,
}

/// A verified DBpedia resource.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dbpedia {
    /// The resource name (`United_Nations`), as in `http://dbpedia.org/resource/United_Nations`.
    pub resource: String,
    /// The public source that shows the matching Wikipedia article.
    pub source: String,
}

/// One entity of the table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Stable kebab-case key; the IRI is `<base>entity/<key>`.
    pub key: String,
    /// What it is.
    pub kind: Kind,
    /// Preferred labels.
    pub label: Labels<String>,
    /// Other names as the texts write them.
    #[serde(default)]
    pub aliases: Labels<Vec<String>>,
    /// The English aliases that are acronyms (matched case-sensitively).
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// The key of the organization it belongs to.
    pub parent: Option<String>,
    /// One line of description.
    pub description: Option<String>,
    /// Its verified Wikidata item.
    pub wikidata: Option<Wikidata>,
    /// Its verified DBpedia resource.
    pub dbpedia: Option<Dbpedia>,
}

impl Entity {
    /// Every English surface form: the label, the aliases, the acronyms.
    pub fn english_forms(&self) -> Vec<&str> {
        let mut forms: Vec<&str> = self.label.en.iter().map(String::as_str).collect();
        forms.extend(self.aliases.en.iter().flatten().map(String::as_str));
        forms.extend(self.acronyms.iter().map(String::as_str));
        forms
    }

    /// Every Simplified Chinese surface form: the label and the aliases.
    pub fn chinese_forms(&self) -> Vec<&str> {
        let mut forms: Vec<&str> = self.label.zh_hans.iter().map(String::as_str).collect();
        forms.extend(self.aliases.zh_hans.iter().flatten().map(String::as_str));
        forms
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "entity")]
    entities: Vec<Entity>,
}

/// The checked entity table.
#[derive(Debug, Clone, Default)]
pub struct EntityTable {
    /// Entities sorted by key.
    pub entities: Vec<Entity>,
}

/// The key of each `[[entity]]` with its position, read beside the table
/// so that a problem is reported at its `line:column`.
#[derive(Debug, Deserialize)]
struct KeyPositions {
    #[serde(rename = "entity", default)]
    entities: Vec<KeyPosition>,
}

#[derive(Debug, Deserialize)]
struct KeyPosition {
    key: toml::Spanned<String>,
}

/// Where an entity was read: which table, and the byte offset of its key.
#[derive(Debug, Clone, Copy)]
struct Origin {
    table: usize,
    offset: usize,
}

impl EntityTable {
    /// Reads and checks one table; errors name the file and the position.
    pub fn parse(name: &str, text: &str) -> Result<Self, CuratedDataError> {
        Self::parse_all(&[(name, text)])
    }

    /// Reads several tables (the built-in one, then the user's
    /// `--entities` files) as one and checks them together: a key or a
    /// Wikidata id used twice, in one table or across two, a parent no
    /// table has, malformed identifiers and identifiers without a source
    /// are refused, at the `file:line:column` of the entity's key (the
    /// later one, for a repeat), with the count of further problems.
    pub fn parse_all(tables: &[(&str, &str)]) -> Result<Self, CuratedDataError> {
        let mut read: Vec<(Origin, Entity)> = Vec::new();
        for (index, (name, text)) in tables.iter().enumerate() {
            let file: File = read_toml(name, text)?;
            let keys: KeyPositions = read_toml(name, text)?;
            let offsets = keys.entities.iter().map(|k| k.key.span().start);
            for (entity, offset) in file.entities.into_iter().zip(offsets) {
                read.push((
                    Origin {
                        table: index,
                        offset,
                    },
                    entity,
                ));
            }
        }
        // Stable: of two entities with one key, the earlier table's first.
        read.sort_by(|a, b| a.1.key.cmp(&b.1.key));
        let problems = check(&read);
        if let Some((origin, problem)) = problems.first() {
            let (name, text) = tables[origin.table];
            let more = match problems.len() - 1 {
                0 => String::new(),
                1 => " (and 1 more problem)".to_owned(),
                n => format!(" (and {n} more problems)"),
            };
            return Err(CuratedDataError::at_offset(
                name,
                text,
                origin.offset,
                format!("{problem}{more}"),
            ));
        }
        Ok(Self {
            entities: read.into_iter().map(|(_, entity)| entity).collect(),
        })
    }

    /// The entity with this key.
    pub fn get(&self, key: &str) -> Option<&Entity> {
        self.entities
            .binary_search_by(|e| e.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.entities[i])
    }
}

/// Every problem of the tables read as one, each at the entity it concerns.
fn check(read: &[(Origin, Entity)]) -> Vec<(Origin, String)> {
    let keys: BTreeSet<&str> = read.iter().map(|(_, e)| e.key.as_str()).collect();
    let mut problems: Vec<(Origin, String)> = Vec::new();
    let mut qids: BTreeMap<&str, &str> = BTreeMap::new();
    for pair in read.windows(2) {
        if pair[0].1.key == pair[1].1.key {
            problems.push((
                pair[1].0,
                format!("the key '{}' is used twice", pair[0].1.key),
            ));
        }
    }
    for (origin, entity) in read {
        let origin = *origin;
        let key = entity.key.as_str();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push((
                origin,
                format!("the key '{key}' is not kebab-case (a-z, 0-9, '-')"),
            ));
        }
        if entity.label.en.is_none() {
            problems.push((origin, format!("'{key}' has no English label")));
        }
        if let Some(parent) = &entity.parent
            && !keys.contains(parent.as_str())
        {
            problems.push((
                origin,
                format!("'{key}' names the parent '{parent}', which is not in the table"),
            ));
        }
        if let Some(wikidata) = &entity.wikidata {
            let id = wikidata.id.as_str();
            let well_formed = id.strip_prefix('Q').is_some_and(|n| {
                !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit())
            });
            if !well_formed {
                problems.push((
                    origin,
                    format!("'{key}' has the malformed Wikidata id '{id}'"),
                ));
            }
            if wikidata.sources.iter().all(|s| s.trim().is_empty()) {
                problems.push((
                    origin,
                    format!("'{key}' links Wikidata {id} without a source"),
                ));
            }
            if let Some(other) = qids.insert(id, key) {
                problems.push((
                    origin,
                    format!("'{other}' and '{key}' share the Wikidata id {id}"),
                ));
            }
        }
        if let Some(dbpedia) = &entity.dbpedia
            && (dbpedia.resource.is_empty()
                || dbpedia
                    .resource
                    .contains(|c: char| c.is_whitespace() || "<>\"{}|\\^`".contains(c)))
        {
            problems.push((
                origin,
                format!(
                    "'{key}' has the malformed DBpedia resource '{}'",
                    dbpedia.resource
                ),
            ));
        }
        if let Some(dbpedia) = &entity.dbpedia
            && dbpedia.source.trim().is_empty()
        {
            problems.push((
                origin,
                format!(
                    "'{key}' links DBpedia {} without a source",
                    dbpedia.resource
                ),
            ));
        }
        for name in entity.chinese_forms() {
            let simplified = crate::document::chinese::to_simplified(name);
            if simplified != name {
                problems.push((origin, format!("'{key}' has the zh-hans name '{name}', which is not in Simplified characters ('{simplified}'); Chinese names are matched exactly, in the Simplified text")));
            }
        }
        for acronym in &entity.acronyms {
            if !acronym
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
            {
                problems.push((origin, format!("'{key}' lists '{acronym}' as an acronym, which does not start with a capital")));
            }
        }
    }
    // In reading order: the first problem reported is the first in the files.
    problems.sort_by_key(|(origin, _)| (origin.table, origin.offset));
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_checked_together_and_problems_named_where_they_are() {
        let builtin = "[[entity]]\nkey = \"un\"\nkind = \"forum\"\nlabel = { en = \"UN\", zh-hans = \"联合国\" }\nwikidata = { id = \"Q1065\", confidence = \"verified\", sources = [\"s\"] }\n";
        let parse = |user: &str| {
            EntityTable::parse_all(&[("data/entities.toml", builtin), ("mine.toml", user)])
                .map(|t| t.entities.iter().map(|e| e.key.clone()).collect::<Vec<_>>())
                .map_err(|e| e.to_string())
        };
        let mine = |key: &str, extra: &str| {
            format!(
                "\n[[entity]]\nkey = \"{key}\"\nkind = \"forum\"\nlabel = {{ en = \"{key}\" }}\n{extra}\n"
            )
        };
        let table = [
            (mine("asean", "parent = \"un\""), Ok(vec!["asean".to_owned(), "un".to_owned()])),
            (mine("un", ""), Err("mine.toml:3:7: the key 'un' is used twice".to_owned())),
            (
                mine("x", "wikidata = { id = \"Q1065\", confidence = \"verified\", sources = [\"s\"] }"),
                Err("mine.toml:3:7: 'un' and 'x' share the Wikidata id Q1065".to_owned()),
            ),
            (
                mine("x", "wikidata = { id = \"Q7\", confidence = \"verified\", sources = [\" \"] }"),
                Err("mine.toml:3:7: 'x' links Wikidata Q7 without a source".to_owned()),
            ),
            (
                mine("x", "dbpedia = { resource = \"X\", source = \"\" }"),
                Err("mine.toml:3:7: 'x' links DBpedia X without a source".to_owned()),
            ),
            (
                mine("x", "aliases = { zh-hans = [\"網絡主權\"] }") + &mine("y", "parent = \"zz\""),
                Err("mine.toml:3:7: 'x' has the zh-hans name '網絡主權', which is not in Simplified characters ('网络主权'); Chinese names are matched exactly, in the Simplified text (and 1 more problem)".to_owned()),
            ),
        ];
        for (user, expected) in table {
            assert_eq!(parse(&user), expected, "{user}");
        }
    }

    #[test]
    fn refuses_tables_that_could_link_wrongly() {
        let entity = |key: &str, extra: &str| {
            format!(
                "[[entity]]\nkey = \"{key}\"\nkind = \"forum\"\nlabel = {{ en = \"{key}\" }}\n{extra}\n"
            )
        };
        let table = [
            (entity("a", "") + &entity("b", "parent = \"a\""), Ok(2)),
            (
                entity("a", "") + &entity("a", ""),
                Err("t:7:7: the key 'a' is used twice"),
            ),
            (
                entity("a", "parent = \"zz\""),
                Err("t:2:7: 'a' names the parent 'zz', which is not in the table"),
            ),
            (
                entity(
                    "a",
                    "wikidata = { id = \"Q1\", confidence = \"verified\", sources = [\"s\"] }",
                ) + &entity(
                    "b",
                    "wikidata = { id = \"Q1\", confidence = \"verified\", sources = [\"s\"] }",
                ),
                Err("t:7:7: 'a' and 'b' share the Wikidata id Q1"),
            ),
            (
                entity(
                    "a",
                    "wikidata = { id = \"Q01\", confidence = \"verified\", sources = [\"s\"] }",
                ),
                Err("t:2:7: 'a' has the malformed Wikidata id 'Q01'"),
            ),
            (
                entity(
                    "a",
                    "wikidata = { id = \"Q1\", confidence = \"verified\", sources = [] }",
                ),
                Err("t:2:7: 'a' links Wikidata Q1 without a source"),
            ),
            (
                entity("A b", ""),
                Err("t:2:7: the key 'A b' is not kebab-case (a-z, 0-9, '-')"),
            ),
        ];
        for (text, expected) in table {
            let got = EntityTable::parse("t", &text)
                .map(|t| t.entities.len())
                .map_err(|e| e.to_string());
            assert_eq!(got, expected.map_err(str::to_owned), "{text}");
        }
        let error = EntityTable::parse("t", "[[entity]]\nkey = \"a\"\nkind = \"planet\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("t:3:8: unknown variant `planet`"),
            "{error}"
        );
    }
}
