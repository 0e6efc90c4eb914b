//! A paragraph (or any part with text) beside its aligned versions, the
//! Chinese original first, then by edition; each text with its mentions
//! linked to their entities.
//!
//! Mentions are placed by their `oa:TextPositionSelector` offsets, in code
//! points, into the literal of `cyberkg:selectedProperty` whose language is
//! the target's `dcterms:language` (see [`super::markup::highlighted`]).

use super::markup::{self, Mention, literal_with_mentions};
use super::shared::{self, Named};
use crate::app::App;
use crate::error::ServeError;
use crate::lookup::{PREFERENCE, Summary, preferred};
use cyberkg::graph::vocab::schema;
use maud::{Markup, html};
use oxigraph::model::Literal;

/// One version's column.
struct Column {
    /// The version, named by its edition.
    version: Named,
    /// Whether it is the part the page is about.
    current: bool,
    /// The text shown first (in the preferred script or language).
    shown: Option<Literal>,
    /// Its other texts (the Traditional script of a Chinese text).
    others: Vec<Literal>,
    mentions: Vec<Mention>,
}

/// What a paragraph page shows.
pub struct ParagraphPage {
    label: String,
    edition: String,
    columns: Vec<Column>,
}

impl ParagraphPage {
    /// Reads the part and its aligned versions.
    pub fn load(app: &App, summary: &Summary) -> Result<Self, ServeError> {
        let mut versions = vec![summary.clone()];
        versions.extend(shared::aligned(app, summary)?);
        let mut columns = Vec::new();
        for version in versions {
            let edition = shared::edition_name(app, &version)?;
            let shown = preferred(&version.texts, PREFERENCE).cloned();
            let others = version
                .texts
                .iter()
                .filter(|text| Some(*text) != shown.as_ref())
                .cloned()
                .collect();
            columns.push((
                (!shared::is_chinese(&version), edition.clone()),
                Column {
                    version: Named::new(version.iri.as_str(), edition),
                    current: version.iri == summary.iri,
                    shown,
                    others,
                    mentions: shared::mentions_in(app, &version.iri)?,
                },
            ));
        }
        columns.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Self {
            label: shared::label(summary),
            edition: shared::edition_name(app, summary)?,
            columns: columns.into_iter().map(|(_, column)| column).collect(),
        })
    }

    /// The page's body.
    pub fn render(&self, base: &str) -> Markup {
        let text = schema::TEXT.as_str();
        html! {
            h1 { (self.label) " " small.meta { (self.edition) } }
            @if self.columns.len() == 1 {
                p.meta { "No other version is aligned with this part." }
            }
            div.columns {
                @for column in &self.columns {
                    section.column.current[column.current] {
                        h2 { (column.version.link(base)) }
                        @if let Some(shown) = &column.shown {
                            p.text { (literal_with_mentions(base, shown, text, &column.mentions)) }
                            @for other in &column.others {
                                details {
                                    summary { "Also as " (markup::language(other).unwrap_or_default()) }
                                    p lang=[markup::language(other)] {
                                        (literal_with_mentions(base, other, text, &column.mentions))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::app;
    use crate::{Request, StatusCode};

    #[test]
    fn the_paragraph_page_shows_three_versions_with_mentions() {
        let reply = app().handle(
            &Request::get("/iscc2017/zh/chapter-2/section-1/paragraph-3").with_accept("text/html"),
        );
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        for expected in [
            "<a href=\"/iscc2017/en-gov/chapter-2/section-1/paragraph-3\">iscc2017/en-gov</a>",
            "<a href=\"/iscc2017/en-un/chapter-2/section-1/paragraph-3\">iscc2017/en-un</a>",
            "<section class=\"column current\"><h2><a href=\"/iscc2017/zh/chapter-2/section-1/paragraph-3\">iscc2017/zh</a>",
            "<a class=\"mention\" href=\"/entity/cyberterrorism\" title=\"cyberterrorism\">网络恐怖主义</a>",
            "<a class=\"mention\" href=\"/entity/cyberterrorism\" title=\"cyberterrorism\">Cyberterrorism</a> poses a new threat",
        ] {
            assert!(page.contains(expected), "{expected}\n{page}");
        }
        let zh = page.find("iscc2017/zh</a></h2>").expect("Chinese column");
        let gov = page
            .find("iscc2017/en-gov</a></h2>")
            .expect("government column");
        let un = page.find("iscc2017/en-un</a></h2>").expect("UN column");
        assert!(zh < gov && gov < un, "Chinese first, then by identifier");
    }
}
