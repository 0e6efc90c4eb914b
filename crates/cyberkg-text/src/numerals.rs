//! Numerals: the one home for reading and writing the numbers that number
//! the strategy's parts. Chapters are Roman in the English texts
//! (`Chapter IV`) and Chinese in the original (`第四章`, `一、`); pages and
//! SKOS notations write them back in Roman (`II.1`).

/// The value of a Roman numeral from I to LXXXIX.
pub fn parse_roman(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let value = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        _ => None,
    };
    let digits: Vec<u32> = text.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (index, digit) in digits.iter().enumerate() {
        match digits.get(index + 1) {
            Some(next) if next > digit => total -= *digit as i64,
            _ => total += *digit as i64,
        }
    }
    let total = u32::try_from(total).ok()?;
    (total > 0).then_some(total)
}

/// A number in upper-case Roman numerals (chapters are numbered so in the text); decimal past 3999.
pub fn to_roman(number: i64) -> String {
    if !(1..=3999).contains(&number) {
        return number.to_string();
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = number;
    let mut text = String::new();
    for (value, numeral) in TABLE {
        while rest >= value {
            text.push_str(numeral);
            rest -= value;
        }
    }
    text
}

/// The value of a Chinese numeral from 一 to 九十九 (`二` → 2, `十二` → 12, `二十一` → 21).
pub fn parse_chinese(text: &str) -> Option<u32> {
    fn digit(c: char) -> Option<u32> {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32 + 1)
    }
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [one] if *one == '十' => Some(10),
        [one] => digit(*one),
        ['十', unit] => Some(10 + digit(*unit)?),
        [tens, '十'] => Some(digit(*tens)? * 10),
        [tens, '十', unit] => Some(digit(*tens)? * 10 + digit(*unit)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_are_read() {
        let table = [
            ("I", Some(1)),
            ("IV", Some(4)),
            ("IX", Some(9)),
            ("XIV", Some(14)),
            ("LXXXIX", Some(89)),
            ("", None),
            ("IC", None),
            ("iv", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_roman(text), expected, "{text}");
        }
    }

    #[test]
    fn roman_numerals_are_written() {
        let table = [
            (1, "I"),
            (2, "II"),
            (4, "IV"),
            (9, "IX"),
            (14, "XIV"),
            (39, "XXXIX"),
            (1994, "MCMXCIV"),
            (0, "0"),
            (4000, "4000"),
        ];
        for (number, expected) in table {
            assert_eq!(to_roman(number), expected);
        }
    }

    #[test]
    fn reading_what_is_written_gives_the_number_back() {
        for number in 1..=89 {
            assert_eq!(parse_roman(&to_roman(number)), u32::try_from(number).ok());
        }
    }

    #[test]
    fn chinese_numerals() {
        let table = [
            ("一", Some(1)),
            ("二", Some(2)),
            ("九", Some(9)),
            ("十", Some(10)),
            ("十二", Some(12)),
            ("二十", Some(20)),
            ("二十一", Some(21)),
            ("", None),
            ("零", None),
            ("二二", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_chinese(text), expected, "{text}");
        }
    }
}
