//! Splitting text into words, by the word boundary rules of UAX #29 that
//! matter for search, written out here instead of taken from the
//! `unicode-segmentation` crate: its tables and state machine are 8 KB of the
//! gzipped wasm module (of a 60 KB budget), while the rules below need only
//! the Unicode tables `core` already carries (`char::is_alphanumeric`) and a
//! few ranges. `tests/words.rs` checks that both give the same words on real
//! text in many scripts, and lists where they differ.
//!
//! A word is a run of letters and digits, with:
//! - combining marks, joiners and variation selectors kept inside it (WB4);
//! - `_` and other connector punctuation joining it (WB13a/b): `foo_bar`;
//! - `'`, `’`, `.`, `:`, `·` between two letters (WB6/7): `don't`, `e.g`, `U.S.A`;
//! - `,`, `;`, `.`, `'` between two digits (WB11/12): `2,000`, `3.14`;
//! - letters and digits together (WB8–10): `A4`, `2nd`.
//!
//! Each character of the scripts written without spaces between words is a
//! word by itself: Han ideographs, Hiragana and Katakana, Hangul syllables,
//! Thai, Lao, Myanmar and Khmer (with their marks). `unicode-segmentation`
//! gives the first two and the last four so; it keeps Katakana runs and
//! Hangul words whole, and we split them too, on purpose: a query written
//! in those scripts is matched as the characters it is made of, adjacent and
//! in order (`query.rs`), so that a word is found inside the longer word or
//! unspaced sentence it is written in (`マネージャ` in `パッケージマネージャ`,
//! `데비안` in `데비안은`), by the same code at indexing and at query time,
//! with no dictionary in the module. Anything else (spaces, punctuation,
//! symbols, emoji) is not part of a word.

/// How a character takes part in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// A word by itself: ideographs, kana, Hangul, scripts written without spaces.
    Single,
    /// `_` and other connector punctuation: joins words on either side.
    Connector,
    /// Between two letters only (`:`, `·`).
    MidLetter,
    /// Between two digits only (`,`, `;`).
    MidDigit,
    /// Between two letters or two digits (`.`, `'`, `’`).
    MidBoth,
    /// Combining marks, zero-width joiners, variation selectors: part of the
    /// character before them.
    Extend,
    Other,
}

const fn ascii_class(byte: u8) -> Class {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Connector,
        b'.' | b'\'' => Class::MidBoth,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidDigit,
        _ => Class::Other,
    }
}

/// [`ascii_class`] of each ASCII byte, as a table: the splitter's loops look
/// a byte up with one load, where the chain of range tests was a dozen
/// instructions per byte at opt-level "z" (128 bytes of the module).
static ASCII_CLASSES: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = ascii_class(byte as u8);
        byte += 1;
    }
    table
};

/// The class of an ASCII byte, or `None` for a byte of a longer character.
#[inline(always)]
fn ascii_byte_class(byte: u8) -> Option<Class> {
    ASCII_CLASSES.get(usize::from(byte)).copied()
}

fn class(c: char) -> Class {
    if let Some(class) = u8::try_from(c).ok().and_then(ascii_byte_class) {
        return class;
    }
    match c as u32 {
        0x3040..=0x309F // Hiragana (the sound marks 309B, 309C are Katakana's in UAX #29: rare)
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF // Han
        | 0x0E00..=0x0E30 | 0x0E32..=0x0E33 | 0x0E40..=0x0E46 | 0x0E4F..=0x0EB0 | 0x0EB2..=0x0EB3 | 0x0EBD..=0x0EC6 // Thai, Lao (not their marks)
        | 0x1000..=0x102A | 0x103F..=0x1055 | 0x1780..=0x17B3 // Myanmar, Khmer letters
        => Class::Single,
        // Marks of those scripts, alphabetic for `core` but extending the letter before them.
        0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0EB1 | 0x0EB4..=0x0EBC | 0x0EC8..=0x0ECE
        | 0x102B..=0x103E | 0x1056..=0x109F | 0x17B4..=0x17D3
        | 0xFF9E..=0xFF9F /* halfwidth kana voicing marks */ => Class::Extend,
        // Katakana (not its double hyphen and middle dot, which are punctuation) and
        // Hangul syllables and compatibility letters: one word a character, on purpose (above).
        0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D | 0x32D0..=0x32FE
        | 0x3300..=0x3357 | 0xAC00..=0xD7A3 | 0x3131..=0x318E => Class::Single,
        0x203F | 0x2040 | 0x2054 | 0xFE33 | 0xFE34 | 0xFE4D..=0xFE4F | 0xFF3F => Class::Connector,
        0x2018 | 0x2019 | 0x2024 | 0xFE52 | 0xFF07 | 0xFF0E => Class::MidBoth,
        0x00B7 | 0x0387 | 0x055F | 0x05F4 | 0x2027 | 0xFE13 | 0xFE55 | 0xFF1A => Class::MidLetter,
        0x037E | 0x0589 | 0x060C | 0x060D | 0x066C | 0x07F8 | 0x2044 | 0xFE10 | 0xFE14 | 0xFE50 | 0xFE54
        | 0xFF0C | 0xFF1B => Class::MidDigit,
        _ if c.is_numeric() => Class::Digit,
        _ if c.is_alphabetic() => Class::Letter,
        _ if is_extend(c) => Class::Extend,
        _ => Class::Other,
    }
}

/// Combining marks that are not alphabetic (those that are, such as most
/// Indic vowel signs, are letters already), joiners, soft hyphen and
/// variation selectors: the blocks where such marks live, less their
/// punctuation. Approximate at the edges; a missed mark splits a word.
fn is_extend(c: char) -> bool {
    matches!(c as u32,
        0x00AD // soft hyphen
        | 0x0300..=0x036F | 0x0483..=0x0489 // combining diacritics, Cyrillic
        | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7 // Hebrew points
        | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7..=0x06E8
        | 0x06EA..=0x06ED // Arabic marks
        | 0x0900..=0x0963 | 0x0966..=0x0DFF // Indic marks (viramas, nuktas), not the dandas
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF // more combining diacritics
        | 0x200C..=0x200D // zero-width non-joiner and joiner
        | 0x20D0..=0x20FF // combining marks for symbols
        | 0x3099..=0x309A // kana voicing marks
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F // variation selectors, half marks
        | 0xE0100..=0xE01EF // variation selectors supplement
    )
}

/// Whether `next` may follow a word whose last letter or digit is of class `last`.
fn continues(last: Class, next: Class) -> bool {
    match next {
        Class::Letter | Class::Digit => {
            matches!(last, Class::Letter | Class::Digit | Class::Connector)
        }
        Class::Connector => matches!(last, Class::Letter | Class::Digit | Class::Connector),
        _ => false,
    }
}

/// Whether `mid` between `before` and `after` keeps them in one word.
fn joins(before: Class, mid: Class, after: Class) -> bool {
    match (before, after) {
        (Class::Letter, Class::Letter) => matches!(mid, Class::MidLetter | Class::MidBoth),
        (Class::Digit, Class::Digit) => matches!(mid, Class::MidDigit | Class::MidBoth),
        _ => false,
    }
}

/// The words of a text with their byte offsets; see the module documentation.
#[derive(Debug, Clone)]
pub struct WordSpans<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> WordSpans<'t> {
    pub fn new(text: &'t str) -> Self {
        WordSpans { text, at: 0 }
    }

    /// The class of the character at byte `at`, and the byte after it and any
    /// `Extend` characters that follow it. ASCII, most of most texts, is
    /// classified by its byte, without decoding: no `Extend` character is ASCII.
    fn char_at(&self, at: usize) -> Option<(Class, usize)> {
        let bytes = self.text.as_bytes();
        let &byte = bytes.get(at)?;
        let (first, mut end) = if let Some(class) = ascii_byte_class(byte) {
            (class, at + 1)
        } else {
            let c = self.text[at..].chars().next()?;
            (class(c), at + c.len_utf8())
        };
        while bytes.get(end).is_some_and(|b| !b.is_ascii()) {
            match self.text[end..].chars().next() {
                Some(c) if class(c) == Class::Extend => end += c.len_utf8(),
                _ => break,
            }
        }
        Some((first, end))
    }
}

impl<'t> Iterator for WordSpans<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<(usize, &'t str)> {
        let (start, end) = self.next_range()?;
        Some((start, &self.text[start..end]))
    }
}

impl WordSpans<'_> {
    /// The next word's byte range: what [`Iterator::next`] gives, without
    /// slicing the text (excerpts need only the offsets, and at opt-level "z"
    /// a checked `str` slice per word is a call).
    pub fn next_range(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        loop {
            // ASCII spaces and punctuation never start a word (only letters,
            // digits and `_` can): pass over them by their byte.
            while let Some(class) = bytes.get(self.at).and_then(|&b| ascii_byte_class(b)) {
                if matches!(class, Class::Letter | Class::Digit | Class::Connector) {
                    break;
                }
                self.at += 1;
            }
            let start = self.at;
            // An ASCII letter or digit is classified here, without a call; a
            // mark after it is read below, as part of it.
            let (first, mut end) = match bytes.get(start).and_then(|&b| ascii_byte_class(b)) {
                Some(class @ (Class::Letter | Class::Digit)) => (class, start + 1),
                _ => self.char_at(start)?,
            };
            self.at = end;
            let mut has_alphanumeric =
                matches!(first, Class::Letter | Class::Digit | Class::Single);
            match first {
                Class::Single => return Some((start, end)),
                Class::Letter | Class::Digit | Class::Connector => {}
                _ => continue,
            }
            let mut last = first;
            loop {
                // Fast path: a run of ASCII letters and digits always continues
                // a word that ends in a letter, digit or connector (WB5, WB8–10,
                // WB13a). Most words of most texts are such runs, and at
                // opt-level "z" a `char_at` call per character made splitting
                // the larger part of building excerpts.
                if matches!(last, Class::Letter | Class::Digit | Class::Connector) {
                    while let Some(class @ (Class::Letter | Class::Digit)) =
                        bytes.get(end).and_then(|&b| ascii_byte_class(b))
                    {
                        last = class;
                        has_alphanumeric = true;
                        end += 1;
                    }
                }
                // An ASCII space or punctuation other than the joiners
                // (`.`, `'`, `:`, `,`, `;`, `_`) ends the word.
                match bytes.get(end).map(|&b| ascii_byte_class(b)) {
                    None | Some(Some(Class::Other)) => break,
                    _ => {}
                }
                let Some((next, next_end)) = self.char_at(end) else {
                    break;
                };
                // Marks after a character are part of it (WB4): here, after
                // one the fast path read.
                if next == Class::Extend {
                    end = next_end;
                    continue;
                }
                if continues(last, next) {
                    has_alphanumeric |= next != Class::Connector;
                    last = next;
                    end = next_end;
                    continue;
                }
                match self.char_at(next_end) {
                    Some((after, after_end)) if joins(last, next, after) => {
                        last = after;
                        end = after_end;
                    }
                    _ => break,
                }
            }
            self.at = end;
            if has_alphanumeric {
                return Some((start, end));
            }
        }
    }
}
