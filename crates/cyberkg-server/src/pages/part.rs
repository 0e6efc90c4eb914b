//! A document, chapter, section, preface or conclusion: its titles (each
//! language, mentions linked), its aligned versions, its outline or parts,
//! and the text of the paragraphs it holds.

use super::markup::{Mention, literal_with_mentions};
use super::shared::{self, Named, OutlineEntry, render_outline};
use crate::app::App;
use crate::error::ServeError;
use crate::lookup::{PREFERENCE, Summary, preferred};
use ::cyberkg::graph::vocab::{cyberkg, dcterms, schema};
use maud::{Markup, html};
use oxigraph::model::Literal;

/// A paragraph of the part, with its text.
struct Paragraph {
    link: Named,
    text: Option<Literal>,
    mentions: Vec<Mention>,
}

/// What a part page shows.
pub struct PartPage {
    label: String,
    /// Every title, when there is more than one, with the mentions in them.
    titles: Vec<Literal>,
    title_mentions: Vec<Mention>,
    versions: Vec<Named>,
    /// The outline of an edition or a cover letter.
    outline: Option<Vec<OutlineEntry>>,
    /// Parts that are not paragraphs (none listed for an edition: its outline shows them).
    parts: Vec<Named>,
    paragraphs: Vec<Paragraph>,
}

impl PartPage {
    /// Reads the part, its versions and its children.
    pub fn load(app: &App, summary: &Summary) -> Result<Self, ServeError> {
        let (titles, title_mentions) = if summary.titles.len() > 1 {
            (
                summary.titles.clone(),
                shared::mentions_in(app, &summary.iri)?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let versions = shared::aligned(app, summary)?
            .iter()
            .map(|version| {
                Ok(Named::new(
                    version.iri.as_str(),
                    shared::edition_name(app, version)?,
                ))
            })
            .collect::<Result<_, ServeError>>()?;
        let is_edition = summary.is_a(cyberkg::EDITION);
        let outline = (is_edition || summary.is_a(cyberkg::COVER_LETTER))
            .then(|| shared::outline(app, summary))
            .transpose()?;
        let (paragraphs, others): (Vec<Summary>, Vec<Summary>) =
            shared::children(app, &summary.iri)?
                .into_iter()
                .partition(|part| !part.texts.is_empty());
        let parts = if is_edition {
            Vec::new()
        } else {
            others.iter().map(Named::of).collect()
        };
        let paragraphs = paragraphs
            .iter()
            .map(|paragraph| {
                let label = paragraph.position.map_or_else(
                    || shared::label(paragraph),
                    |position| format!("¶{position}"),
                );
                Ok(Paragraph {
                    link: Named::new(paragraph.iri.as_str(), label),
                    text: preferred(&paragraph.texts, PREFERENCE).cloned(),
                    mentions: shared::mentions_in(app, &paragraph.iri)?,
                })
            })
            .collect::<Result<_, ServeError>>()?;
        Ok(Self {
            label: shared::label(summary),
            titles,
            title_mentions,
            versions,
            outline,
            parts,
            paragraphs,
        })
    }

    /// The page's body.
    pub fn render(&self, base: &str) -> Markup {
        html! {
            h1 { (self.label) }
            @if !self.titles.is_empty() {
                ul {
                    @for title in &self.titles {
                        li { (literal_with_mentions(base, title, dcterms::TITLE.as_str(), &self.title_mentions)) }
                    }
                }
            }
            @if !self.versions.is_empty() {
                p { "Also in " (shared::links(base, &self.versions, ", ")) "." }
            }
            @if let Some(outline) = &self.outline {
                h2 { "Outline" }
                (render_outline(base, outline))
            }
            @if !self.parts.is_empty() {
                h2 { "Parts" }
                ol.outline { @for part in &self.parts { li { (part.link(base)) } } }
            }
            @if !self.paragraphs.is_empty() {
                h2 { "Text" }
                @for paragraph in &self.paragraphs {
                    p {
                        (paragraph.link.link(base)) " "
                        @if let Some(text) = &paragraph.text {
                            (literal_with_mentions(base, text, schema::TEXT.as_str(), &paragraph.mentions))
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Request;
    use crate::tests::app;

    #[test]
    fn chapter_and_section_pages_list_their_parts() {
        let chapter = app()
            .handle(&Request::get("/iscc2017/en-un/chapter-4").with_accept("text/html"))
            .body_text();
        assert!(
            chapter.contains("<a href=\"/iscc2017/en-un/chapter-4/section-2\">Section 2: "),
            "{chapter}"
        );
        let section = app()
            .handle(&Request::get("/iscc2017/en-un/chapter-4/section-2").with_accept("text/html"))
            .body_text();
        assert!(
            section.contains("<a href=\"/iscc2017/en-un/chapter-4/section-2/paragraph-2\">¶2</a>"),
            "{section}"
        );
        assert!(
            section
                .contains("class=\"mention\" href=\"/entity/shanghai-cooperation-organization\"")
        );
    }
}
