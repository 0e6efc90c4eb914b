//! Sentence alignment: the sentences of each translation's paragraphs
//! linked with the sentences of the original's paragraph, in paragraphs
//! that are already aligned structurally ([`crate::document::align`]).
//!
//! The method is Gale and Church's (1993) length-based dynamic programming,
//! with the mentions of entities both sides share as anchors:
//! - a translation's length, in characters, is modelled as normal around
//!   `c` times the original's, with variance `s²` per character of the
//!   original. Both `c` and `s²` are estimated **from the corpus itself**,
//!   over the structurally aligned paragraphs of that translation (the
//!   ratio of total lengths, and the mean squared residual per original
//!   character), never taken from another language pair: Chinese and
//!   English lengths are nothing like the 1:1 of Gale and Church's French
//!   and German;
//! - links are 1-1, 1-2, 2-1, 1-0 and 0-1, and 1-3 and 3-1 (a Chinese
//!   sentence joined by commas is often three English ones), starting from
//!   Gale and Church's prior probabilities ([`Priors::GALE_CHURCH`]), then
//!   re-estimated from the kinds of link the corpus's own alignment finds
//!   (a few rounds of hard EM, per translation);
//! - a link whose two sides mention the same entity (the same key of the
//!   entity table) gains [`ANCHOR_BONUS`] per shared entity: a shared name
//!   makes the pairing that much more likely than lengths alone say.
//!
//! Invariant: the links of a paragraph pair cover every sentence of both
//! paragraphs exactly once, in order; the same corpus gives the same links
//! (ties broken in a fixed order of link kinds).

use crate::document::sentences::Sentence;
use crate::document::{Document, ParsedCorpus, Part};
use crate::extract::{Field, Mention};
use std::collections::{BTreeMap, BTreeSet};

/// The name the graph records for this method.
pub const METHOD: &str = "gale-church+anchors";

/// Cost (in nats) taken off a link per entity both of its sides mention.
pub const ANCHOR_BONUS: f64 = 1.0;

/// The kinds of link (original sentences, translation sentences).
const KINDS: [(usize, usize); 7] = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (1, 3), (3, 1)];

/// How many links the starting priors weigh as, when the corpus's own
/// counts re-estimate them ([`Priors::reestimate`]).
const PRIOR_WEIGHT: f64 = 10.0;

/// How often the priors are re-estimated from the corpus's own links.
const ROUNDS: usize = 4;

/// The prior probability of each kind of link, in the order of [`KINDS`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Priors(pub [f64; 7]);

impl Priors {
    /// Gale and Church's priors (1-1 0.89, 1-0 and 0-1 0.0099 together, 2-1
    /// and 1-2 0.089 together, their 2-2 share left out), with 0.01 each
    /// taken off 1-1 for 1-3 and 3-1: a Chinese sentence joined by commas
    /// is often three English ones.
    pub const GALE_CHURCH: Priors = Priors([
        0.87 / 0.989,
        0.0445 / 0.989,
        0.0445 / 0.989,
        0.00495 / 0.989,
        0.00495 / 0.989,
        0.01 / 0.989,
        0.01 / 0.989,
    ]);

    /// The priors re-estimated from the kinds of `links` (hard EM): each
    /// kind's count plus [`PRIOR_WEIGHT`] links shared as the starting priors.
    pub fn reestimate(links: &[&SentenceLink]) -> Priors {
        let mut counts = Self::GALE_CHURCH.0.map(|p| p * PRIOR_WEIGHT);
        for link in links {
            let kind = (link.original.len(), link.translation.len());
            if let Some(index) = KINDS.iter().position(|k| *k == kind) {
                counts[index] += 1.0;
            }
        }
        let total: f64 = counts.iter().sum();
        Priors(counts.map(|count| count / total))
    }
}

/// One link: sentence numbers (1-based) of the original and of the
/// translation; one side is empty for a 1-0 or 0-1 link.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceLink {
    /// The original's sentences.
    pub original: Vec<u32>,
    /// The translation's sentences.
    pub translation: Vec<u32>,
    /// The link's probability under the length model: its kind's prior
    /// times how well the lengths fit (the anchors' bonus left out, so that
    /// it stays a probability; [`SentenceLink::shared_entities`] says how
    /// many anchors helped).
    pub score: f64,
    /// How many entities both sides mention.
    pub shared_entities: usize,
}

impl SentenceLink {
    /// `1-1`, `1-2`, `2-1`, `1-0`, `0-1`, `1-3` or `3-1`.
    pub fn kind(&self) -> String {
        format!("{}-{}", self.original.len(), self.translation.len())
    }
}

/// The links of one pair of structurally aligned paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphAlignment {
    /// The original's document id.
    pub original: String,
    /// The translation's document id.
    pub translation: String,
    /// The paragraph's path (the same in both).
    pub path: Vec<String>,
    /// The links, in order.
    pub links: Vec<SentenceLink>,
}

/// The length model of one translation, estimated from its aligned paragraphs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LengthModel {
    /// Translation characters per original character.
    pub ratio: f64,
    /// Variance of the translation's length per original character.
    pub variance: f64,
}

impl LengthModel {
    /// Estimates the model from pairs of (original, translation) lengths;
    /// `None` without a pair of non-empty paragraphs.
    pub fn estimate(pairs: &[(usize, usize)]) -> Option<LengthModel> {
        let pairs: Vec<(f64, f64)> = pairs
            .iter()
            .filter(|(original, translation)| *original > 0 && *translation > 0)
            .map(|&(original, translation)| (original as f64, translation as f64))
            .collect();
        let original: f64 = pairs.iter().map(|p| p.0).sum();
        let translation: f64 = pairs.iter().map(|p| p.1).sum();
        if pairs.is_empty() || original == 0.0 {
            return None;
        }
        let ratio = translation / original;
        let variance = pairs
            .iter()
            .map(|(o, t)| (t - ratio * o).powi(2) / o)
            .sum::<f64>()
            / pairs.len() as f64;
        Some(LengthModel {
            ratio,
            // A floor, so that a corpus of one exact pair still aligns.
            variance: variance.max(ratio * 0.5),
        })
    }

    /// The cost (negative log probability) of a link of these lengths.
    fn length_cost(&self, original: usize, translation: usize) -> f64 {
        if original == 0 && translation == 0 {
            return 0.0;
        }
        let (original, translation) = (original as f64, translation as f64);
        // Gale and Church's mean of the two lengths, in original characters,
        // so that a 0-1 link has a finite cost too.
        let mean = (original + translation / self.ratio) / 2.0;
        let delta = (translation - self.ratio * original) / (mean * self.variance).sqrt();
        let probability = 2.0 * (1.0 - normal_cdf(delta.abs()));
        -probability.max(f64::MIN_POSITIVE).ln()
    }
}

/// The standard normal distribution function (Abramowitz and Stegun 26.2.17,
/// error below 7.5e-8).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * x.abs());
    let density = (-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let tail = density
        * t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    if x >= 0.0 { 1.0 - tail } else { tail }
}

/// What the aligner needs of a sentence: its length and the entities it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    /// Length in characters, white space left out.
    pub length: usize,
    /// The keys of the entities it mentions.
    pub entities: BTreeSet<String>,
}

/// Aligns two paragraphs' sentences.
pub fn align(
    original: &[Unit],
    translation: &[Unit],
    model: &LengthModel,
    priors: &Priors,
) -> Vec<SentenceLink> {
    let (n, m) = (original.len(), translation.len());
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut back = vec![vec![(0usize, 0usize, 0usize); m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            for (kind, &(di, dj)) in KINDS.iter().enumerate() {
                if di > i || dj > j || !cost[i - di][j - dj].is_finite() {
                    continue;
                }
                let total = cost[i - di][j - dj]
                    + link_cost(
                        &original[i - di..i],
                        &translation[j - dj..j],
                        model,
                        priors.0[kind],
                    )
                    .0;
                if total < cost[i][j] {
                    cost[i][j] = total;
                    back[i][j] = (di, dj, kind);
                }
            }
        }
    }
    let mut links = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj, kind) = back[i][j];
        let (_, unanchored, shared) = link_cost(
            &original[i - di..i],
            &translation[j - dj..j],
            model,
            priors.0[kind],
        );
        links.push(SentenceLink {
            original: (i - di + 1..=i).map(|k| k as u32).collect(),
            translation: (j - dj + 1..=j).map(|k| k as u32).collect(),
            score: (-unanchored).exp().min(1.0),
            shared_entities: shared,
        });
        i -= di;
        j -= dj;
    }
    links.reverse();
    links
}

/// A link's cost, its cost without the anchors' bonus, and the number of
/// entities both sides mention.
fn link_cost(
    original: &[Unit],
    translation: &[Unit],
    model: &LengthModel,
    prior: f64,
) -> (f64, f64, usize) {
    let length = |units: &[Unit]| units.iter().map(|u| u.length).sum::<usize>();
    let names = |units: &[Unit]| -> BTreeSet<String> {
        units
            .iter()
            .flat_map(|u| u.entities.iter().cloned())
            .collect()
    };
    let shared = names(original).intersection(&names(translation)).count();
    let cost = -prior.ln() + model.length_cost(length(original), length(translation));
    (cost - ANCHOR_BONUS * shared as f64, cost, shared)
}

/// A sentence's unit: its length and the entities its paragraph's
/// mentions (of the `schema:text` literal) name inside it.
fn units(sentences: &[Sentence], mentions: &[&Mention]) -> Vec<Unit> {
    sentences
        .iter()
        .map(|sentence| Unit {
            length: sentence
                .text
                .value
                .chars()
                .filter(|c| !c.is_whitespace())
                .count(),
            entities: mentions
                .iter()
                .filter(|m| m.start >= sentence.start && m.start < sentence.end)
                .map(|m| m.entity.clone())
                .collect(),
        })
        .collect()
}

/// The paragraph at `path` of a document.
fn paragraph_at<'a>(document: &'a Document, path: &[String]) -> Option<&'a Part> {
    let (first, rest) = path.split_first()?;
    let mut part = document.parts.iter().find(|p| &p.segment() == first)?;
    for segment in rest {
        part = part.children.iter().find(|p| &p.segment() == segment)?;
    }
    (part.kind == crate::document::PartKind::Paragraph).then_some(part)
}

/// The length models of the corpus's translations, by translation id.
pub fn length_models(parsed: &ParsedCorpus) -> BTreeMap<String, LengthModel> {
    let mut models = BTreeMap::new();
    for alignment in &parsed.alignments {
        let (Some(original), Some(translation)) = (
            parsed.document(&alignment.original),
            parsed.document(&alignment.translation),
        ) else {
            continue;
        };
        let length = |part: &Part| {
            part.sentences
                .iter()
                .flat_map(|s| s.text.value.chars())
                .filter(|c| !c.is_whitespace())
                .count()
        };
        let pairs: Vec<(usize, usize)> = alignment
            .paths
            .iter()
            .filter_map(|path| {
                Some((
                    length(paragraph_at(original, path)?),
                    length(paragraph_at(translation, path)?),
                ))
            })
            .collect();
        if let Some(model) = LengthModel::estimate(&pairs) {
            models.insert(alignment.translation.clone(), model);
        }
    }
    models
}

/// Aligns the sentences of every structurally aligned pair of paragraphs
/// of the corpus; `mentions` are those [`crate::extract::extract_mentions`]
/// found. In the order of the corpus's alignments, then of their paths.
pub fn align_corpus(parsed: &ParsedCorpus, mentions: &[Mention]) -> Vec<ParagraphAlignment> {
    let models = length_models(parsed);
    let mut by_paragraph: BTreeMap<(&str, &[String]), Vec<&Mention>> = BTreeMap::new();
    for mention in mentions.iter().filter(|m| m.field == Field::Text) {
        by_paragraph
            .entry((mention.document.as_str(), mention.path.as_slice()))
            .or_default()
            .push(mention);
    }
    let mentions_of = |document: &str, path: &[String]| -> Vec<&Mention> {
        by_paragraph
            .get(&(document, path))
            .cloned()
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for alignment in &parsed.alignments {
        let (Some(original), Some(translation), Some(model)) = (
            parsed.document(&alignment.original),
            parsed.document(&alignment.translation),
            models.get(&alignment.translation),
        ) else {
            continue;
        };
        let pairs: Vec<(&Vec<String>, Vec<Unit>, Vec<Unit>)> = alignment
            .paths
            .iter()
            .filter_map(|path| {
                let original_paragraph = paragraph_at(original, path)?;
                let translation_paragraph = paragraph_at(translation, path)?;
                if original_paragraph.sentences.is_empty()
                    && translation_paragraph.sentences.is_empty()
                {
                    return None;
                }
                Some((
                    path,
                    units(
                        &original_paragraph.sentences,
                        &mentions_of(&original.id, path),
                    ),
                    units(
                        &translation_paragraph.sentences,
                        &mentions_of(&translation.id, path),
                    ),
                ))
            })
            .collect();
        let align_all = |priors: &Priors| -> Vec<Vec<SentenceLink>> {
            pairs
                .iter()
                .map(|(_, o, t)| align(o, t, model, priors))
                .collect()
        };
        let mut priors = Priors::GALE_CHURCH;
        let mut links = align_all(&priors);
        for _ in 0..ROUNDS {
            priors = Priors::reestimate(&links.iter().flatten().collect::<Vec<_>>());
            links = align_all(&priors);
        }
        for ((path, _, _), links) in pairs.iter().zip(links) {
            out.push(ParagraphAlignment {
                original: original.id.clone(),
                translation: translation.id.clone(),
                path: (*path).clone(),
                links,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(length: usize, entities: &[&str]) -> Unit {
        Unit {
            length,
            entities: entities.iter().map(|e| (*e).to_owned()).collect(),
        }
    }

    fn shape(links: &[SentenceLink]) -> Vec<(Vec<u32>, Vec<u32>)> {
        links
            .iter()
            .map(|l| (l.original.clone(), l.translation.clone()))
            .collect()
    }

    const MODEL: LengthModel = LengthModel {
        ratio: 3.0,
        variance: 6.0,
    };

    #[test]
    fn lengths_decide_the_kinds_of_link() {
        type Case = (
            &'static [usize],
            &'static [usize],
            &'static [(&'static [u32], &'static [u32])],
        );
        let cases: &[Case] = &[
            (&[20, 30], &[60, 90], &[(&[1], &[1]), (&[2], &[2])]),
            (&[40], &[60, 60], &[(&[1], &[1, 2])]),
            (&[20, 20], &[120], &[(&[1, 2], &[1])]),
            (&[30], &[], &[(&[1], &[])]),
            (&[], &[50], &[(&[], &[1])]),
            (
                &[10, 30, 10],
                &[30, 90, 30],
                &[(&[1], &[1]), (&[2], &[2]), (&[3], &[3])],
            ),
            (&[60], &[60, 60, 60], &[(&[1], &[1, 2, 3])]),
        ];
        for (original, translation, expected) in cases {
            let original: Vec<Unit> = original.iter().map(|&l| unit(l, &[])).collect();
            let translation: Vec<Unit> = translation.iter().map(|&l| unit(l, &[])).collect();
            let expected: Vec<(Vec<u32>, Vec<u32>)> = expected
                .iter()
                .map(|(o, t)| (o.to_vec(), t.to_vec()))
                .collect();
            assert_eq!(
                shape(&align(
                    &original,
                    &translation,
                    &MODEL,
                    &Priors::GALE_CHURCH
                )),
                expected
            );
        }
    }

    #[test]
    fn a_shared_entity_tips_an_ambiguous_split() {
        // Lengths alone: 40 → 60 + 60 could be 1-2; with the second
        // English sentence naming what the next Chinese one names, the
        // split goes the other way.
        let original = [unit(40, &[]), unit(20, &["un"])];
        let translation = [unit(100, &[]), unit(80, &["un"])];
        let links = align(&original, &translation, &MODEL, &Priors::GALE_CHURCH);
        assert_eq!(shape(&links), vec![(vec![1], vec![1]), (vec![2], vec![2])]);
        assert_eq!(links[1].shared_entities, 1);
        assert!(links.iter().all(|l| l.score > 0.0 && l.score <= 1.0));
    }

    #[test]
    fn the_model_comes_from_the_pairs() {
        let model = LengthModel::estimate(&[(10, 30), (20, 60), (0, 5)]).expect("a model");
        assert!((model.ratio - 3.0).abs() < 1e-9);
        assert!(LengthModel::estimate(&[]).is_none());
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
    }

    #[test]
    fn the_builtin_corpus_aligns_every_sentence_once() {
        let corpus = crate::corpus::Corpus::builtin().expect("the built-in corpus");
        let parsed = crate::document::parse_corpus(&corpus).expect("parses");
        let models = length_models(&parsed);
        assert_eq!(models.len(), 2, "{models:?}");
        for model in models.values() {
            assert!(model.ratio > 1.5 && model.ratio < 6.0, "{model:?}");
        }
        let aligned = align_corpus(&parsed, &[]);
        assert!(aligned.len() > 40, "{}", aligned.len());
        for paragraph in &aligned {
            let original = paragraph_at(
                parsed.document(&paragraph.original).expect("original"),
                &paragraph.path,
            )
            .expect("paragraph");
            let covered: Vec<u32> = paragraph
                .links
                .iter()
                .flat_map(|l| l.original.clone())
                .collect();
            let all: Vec<u32> = (1..=original.sentences.len() as u32).collect();
            assert_eq!(covered, all);
        }
    }
}
