//! Chinese text: character classes, Chinese numerals, pinyin glosses and the
//! Traditional-to-Simplified conversion.
//!
//! The parallel text was converted to Traditional characters by a tool that
//! glued a pinyin reading after many characters (`網(wǎng)絡(luò )`). Cleaning
//! removes exactly those glosses: a `(`, pinyin letters, an optional space and
//! a `)` directly after a CJK character. Nothing else is touched, so the
//! cleaned text stays faithful to the source.

/// Whether `c` is a CJK ideograph (the unified blocks and their extensions).
pub fn is_cjk_ideograph(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Whether `c` is CJK punctuation or a full-width form (`。`, `、`, `《`, `，`, `【`).
pub fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”' | '‘' | '’')
}

/// Whether `c` belongs to Chinese running text (ideograph or CJK punctuation).
pub fn is_chinese(c: char) -> bool {
    is_cjk_ideograph(c) || is_cjk_punctuation(c)
}

/// Whether `c` can occur in a pinyin syllable (lower-case Latin letters,
/// tone-marked vowels and ü).
pub fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".contains(c)
}

/// If `chars[open..]` starts a pinyin gloss (`(wǎng)` or `(luò )`), the index one past its `)`.
pub fn gloss_end(chars: &[char], open: usize) -> Option<usize> {
    if chars.get(open) != Some(&'(') {
        return None;
    }
    let mut index = open + 1;
    while chars.get(index).is_some_and(|&c| is_pinyin_letter(c)) {
        index += 1;
    }
    if index == open + 1 || index - open - 1 > 6 {
        return None;
    }
    if chars.get(index) == Some(&' ') {
        index += 1;
    }
    (chars.get(index) == Some(&')')).then_some(index + 1)
}

/// Converts cleaned Traditional Chinese into Simplified Chinese, the script
/// of the original, with OpenCC's `t2s` dictionaries (the `hanconv` crate).
///
/// The conversion maps character for character here: none of hanconv's
/// dictionary entries changes length, and a test checks the corpus keeps its
/// code-point counts, because mention offsets (later stages) rely on it.
/// OpenCC keeps 著 where mainland usage may write 着 (著力, 產生著).
pub fn to_simplified(traditional: &str) -> String {
    hanconv::t2s(traditional)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glosses_are_recognised_only_in_their_exact_form() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(gloss_end(&chars("(wǎng)絡"), 0), Some(6));
        assert_eq!(gloss_end(&chars("(luò )空"), 0), Some(6));
        assert_eq!(gloss_end(&chars("(全文)"), 0), None);
        assert_eq!(gloss_end(&chars("(ICT)"), 0), None);
        assert_eq!(gloss_end(&chars("()"), 0), None);
        assert_eq!(gloss_end(&chars("(abcdefgh)"), 0), None);
    }

    #[test]
    fn simplified_conversion_keeps_length() {
        let traditional = "網絡空間國際合作戰略";
        let simplified = to_simplified(traditional);
        assert_eq!(simplified, "网络空间国际合作战略");
        assert_eq!(simplified.chars().count(), traditional.chars().count());
    }
}
