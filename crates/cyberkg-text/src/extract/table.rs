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

impl EntityTable {
    /// Reads and checks a table; errors name the file and, for TOML errors, the position.
    pub fn parse(name: &str, text: &str) -> Result<Self, CuratedDataError> {
        let file: File = read_toml(name, text)?;
        let mut entities = file.entities;
        entities.sort_by(|a, b| a.key.cmp(&b.key));
        let keys: BTreeSet<&str> = entities.iter().map(|e| e.key.as_str()).collect();
        let mut problems = Vec::new();
        let mut qids: BTreeMap<&str, &str> = BTreeMap::new();
        for pair in entities.windows(2) {
            if pair[0].key == pair[1].key {
                problems.push(format!("the key '{}' is used twice", pair[0].key));
            }
        }
        for entity in &entities {
            let key = entity.key.as_str();
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                problems.push(format!("the key '{key}' is not kebab-case (a-z, 0-9, '-')"));
            }
            if entity.label.en.is_none() {
                problems.push(format!("'{key}' has no English label"));
            }
            if let Some(parent) = &entity.parent
                && !keys.contains(parent.as_str())
            {
                problems.push(format!(
                    "'{key}' names the parent '{parent}', which is not in the table"
                ));
            }
            if let Some(wikidata) = &entity.wikidata {
                let id = wikidata.id.as_str();
                let well_formed = id.strip_prefix('Q').is_some_and(|n| {
                    !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit())
                });
                if !well_formed {
                    problems.push(format!("'{key}' has the malformed Wikidata id '{id}'"));
                }
                if wikidata.sources.is_empty() {
                    problems.push(format!("'{key}' links Wikidata {id} without a source"));
                }
                if let Some(other) = qids.insert(id, key) {
                    problems.push(format!("'{other}' and '{key}' share the Wikidata id {id}"));
                }
            }
            if let Some(dbpedia) = &entity.dbpedia
                && (dbpedia.resource.is_empty()
                    || dbpedia
                        .resource
                        .contains(|c: char| c.is_whitespace() || "<>\"{}|\\^`".contains(c)))
            {
                problems.push(format!(
                    "'{key}' has the malformed DBpedia resource '{}'",
                    dbpedia.resource
                ));
            }
            for acronym in &entity.acronyms {
                if !acronym
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase())
                {
                    problems.push(format!("'{key}' lists '{acronym}' as an acronym, which does not start with a capital"));
                }
            }
        }
        if problems.is_empty() {
            Ok(Self { entities })
        } else {
            Err(CuratedDataError::new(name, problems.join("; ")))
        }
    }

    /// The entity with this key.
    pub fn get(&self, key: &str) -> Option<&Entity> {
        self.entities
            .binary_search_by(|e| e.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.entities[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                Err("t: the key 'a' is used twice"),
            ),
            (
                entity("a", "parent = \"zz\""),
                Err("t: 'a' names the parent 'zz', which is not in the table"),
            ),
            (
                entity(
                    "a",
                    "wikidata = { id = \"Q1\", confidence = \"verified\", sources = [\"s\"] }",
                ) + &entity(
                    "b",
                    "wikidata = { id = \"Q1\", confidence = \"verified\", sources = [\"s\"] }",
                ),
                Err("t: 'a' and 'b' share the Wikidata id Q1"),
            ),
            (
                entity(
                    "a",
                    "wikidata = { id = \"Q01\", confidence = \"verified\", sources = [\"s\"] }",
                ),
                Err("t: 'a' has the malformed Wikidata id 'Q01'"),
            ),
            (
                entity(
                    "a",
                    "wikidata = { id = \"Q1\", confidence = \"verified\", sources = [] }",
                ),
                Err("t: 'a' links Wikidata Q1 without a source"),
            ),
            (
                entity("A b", ""),
                Err("t: the key 'A b' is not kebab-case (a-z, 0-9, '-')"),
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
