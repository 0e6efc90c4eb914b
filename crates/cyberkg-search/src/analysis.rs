//! How text becomes index terms: one analyzer per language, the same at
//! index time and at query time, so a query finds what the index holds.
//!
//! - Chinese ([`ChineseTokenizer`]): the text is first folded from
//!   Traditional to Simplified (`cyberkg_text::document::chinese::to_simplified`,
//!   the project's one script conversion), then cut into words by jieba
//!   (jieba-rs, its built-in dictionary, HMM for unknown words). A word of
//!   three or more characters also yields the 2- and 3-character words of
//!   the dictionary inside it, at the same position (what jieba's "search
//!   mode" offers), so 主权 finds 网络主权 while the phrase 网络主权 still
//!   ranks first. Tokens without a letter or digit (punctuation, spaces) are
//!   dropped; Latin letters are lower-cased.
//! - English: Tantivy's `SimpleTokenizer`, lower-cased, stemmed by Tantivy's
//!   `Stemmer` for English: the Snowball English (Porter2) algorithm, which
//!   Tantivy 0.27 takes from the frostem crate. It conflates inflections
//!   (cooperate, cooperation, cooperating → cooper) but not every derivation:
//!   "sovereign" and "sovereignty" stay two stems.
//!
//! *Invariant:* every token's offsets are byte offsets into the text as
//! given (not the folded text), so snippets mark the characters the reader
//! sees. The folding maps character for character (checked by
//! `cyberkg-text`), and where it would not, the text is cut unfolded.

use jieba_rs::Jieba;
use std::sync::{Arc, OnceLock};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// The name the Chinese analyzer is registered under in an index.
pub const CHINESE: &str = "cyberkg_zh";
/// The name the English analyzer is registered under in an index.
pub const ENGLISH: &str = "cyberkg_en";

/// Tokens longer than this many bytes are dropped (a run of digits, a URL):
/// nobody searches for them, and Tantivy refuses terms beyond 65 KB.
const LONGEST_TOKEN: usize = 60;

/// jieba's dictionary, loaded once per process: it takes about as long as
/// indexing the whole built-in corpus.
fn jieba() -> Arc<Jieba> {
    static JIEBA: OnceLock<Arc<Jieba>> = OnceLock::new();
    Arc::clone(JIEBA.get_or_init(|| Arc::new(Jieba::new())))
}

/// The English analyzer (see the module comment).
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The Chinese analyzer (see the module comment).
pub fn chinese() -> TextAnalyzer {
    TextAnalyzer::builder(ChineseTokenizer { jieba: jieba() }).build()
}

/// Traditional folded to Simplified, jieba words, and the dictionary words
/// inside the longer ones.
#[derive(Clone)]
pub struct ChineseTokenizer {
    jieba: Arc<Jieba>,
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens {
            tokens: chinese_tokens(&self.jieba, text).into_iter(),
            current: Token::default(),
        }
    }
}

/// Tokens computed up front (jieba cuts a whole text at once).
pub struct Tokens {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// The Chinese tokens of `text`, with byte offsets into `text`.
fn chinese_tokens(jieba: &Jieba, text: &str) -> Vec<Token> {
    let folded = cyberkg_text::document::chinese::to_simplified(text);
    // Byte offset in `text` of each character boundary of `folded`: the
    // two have the same characters one for one, or folding is skipped.
    let original: Vec<usize> = text
        .char_indices()
        .map(|(offset, _)| offset)
        .chain([text.len()])
        .collect();
    let (cut, same_length) = if folded.chars().count() + 1 == original.len() {
        (folded.as_str(), true)
    } else {
        (text, false)
    };
    let mut folded_to_char = vec![0usize; cut.len() + 1];
    for (index, (offset, _)) in cut.char_indices().enumerate() {
        folded_to_char[offset] = index;
    }
    folded_to_char[cut.len()] = original.len() - 1;
    let to_original = |byte: usize| -> usize {
        if same_length {
            original[folded_to_char[byte]]
        } else {
            byte
        }
    };
    let mut tokens = Vec::new();
    let mut position = 0;
    for word in jieba.cut(cut, true) {
        if !word.word.chars().any(char::is_alphanumeric) || word.word.len() > LONGEST_TOKEN {
            continue;
        }
        let push = |tokens: &mut Vec<Token>, start: usize, end: usize| {
            tokens.push(Token {
                offset_from: to_original(start),
                offset_to: to_original(end),
                position,
                text: cut[start..end].to_lowercase(),
                position_length: 1,
            });
        };
        push(&mut tokens, word.byte_start, word.byte_end);
        // The dictionary's 2- and 3-character words inside a longer word.
        let boundaries: Vec<usize> = word
            .word
            .char_indices()
            .map(|(offset, _)| word.byte_start + offset)
            .chain([word.byte_end])
            .collect();
        let characters = boundaries.len() - 1;
        for length in [2, 3] {
            if characters <= length {
                continue;
            }
            for start in 0..=characters - length {
                let (from, to) = (boundaries[start], boundaries[start + length]);
                if jieba.has_word(&cut[from..to]) {
                    push(&mut tokens, from, to);
                }
            }
        }
        position += 1;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, String, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.position,
                token.text.clone(),
                text[token.offset_from..token.offset_to].to_owned(),
            ));
        }
        out
    }

    #[test]
    fn traditional_and_simplified_give_the_same_terms() {
        let simplified = terms(chinese(), "维护网络主权，促进合作。");
        let traditional = terms(chinese(), "維護網絡主權，促進合作。");
        let texts = |t: &[(usize, String, String)]| {
            t.iter()
                .map(|(p, text, _)| (*p, text.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&simplified), texts(&traditional));
        // Offsets point into the text as given: the Traditional characters.
        assert!(
            traditional
                .iter()
                .any(|(_, term, seen)| term == "主权" && seen == "主權")
        );
        // No punctuation token.
        assert!(
            simplified
                .iter()
                .all(|(_, term, _)| term != "，" && term != "。")
        );
    }

    #[test]
    fn a_long_word_also_yields_the_words_inside_it() {
        let tokens = terms(chinese(), "网络空间命运共同体");
        let words: Vec<&str> = tokens.iter().map(|(_, t, _)| t.as_str()).collect();
        for inner in ["网络", "空间", "命运", "共同体"] {
            assert!(words.contains(&inner), "{inner} in {words:?}");
        }
        // Inner words share the position of the word they lie in.
        let last = tokens.iter().map(|(p, _, _)| *p).max().unwrap_or_default();
        assert!(last < tokens.len() - 1, "{tokens:?}");
    }

    #[test]
    fn english_is_stemmed_with_snowball_english() {
        let stems: Vec<String> = terms(english(), "Cooperation cooperating sovereignty sovereign")
            .into_iter()
            .map(|(_, term, _)| term)
            .collect();
        assert_eq!(stems, ["cooper", "cooper", "sovereignti", "sovereign"]);
    }
}
