//! Results cross to JavaScript as one JSON text, which `JSON.parse` turns
//! into plain objects.
//!
//! Building the objects from Rust took a boundary call per property, per
//! string (each decoded by its own `TextDecoder` call) and per highlight
//! pair: profiled in Chromium, those calls were about half of a seed search's
//! time. One string and one `JSON.parse` cost a small fraction of that. The
//! writer is hand-rolled, without serde or `core::fmt`, for the module's size
//! (see BENCHMARKS.md, "How the module got under 60 KB").

/// A JSON text being written. Callers write objects' keys and punctuation
/// with [`Json::raw`]; [`Json::array`] puts the commas between elements.
#[derive(Default)]
pub struct Json {
    text: String,
}

impl Json {
    pub fn with_capacity(bytes: usize) -> Self {
        Json {
            text: String::with_capacity(bytes),
        }
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// Punctuation and keys: text that needs no escaping.
    pub fn raw(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// A JSON string: quoted, with `"`, `\` and control characters escaped,
    /// and every character beyond ASCII written as `\u` escapes of its
    /// UTF-16 code units. The whole text is then ASCII, which the glue's
    /// `TextDecoder` turns into a string several times faster than text with
    /// even one other character (one `…` in an excerpt makes the decoder take
    /// its slow path for all of it): in Chromium, decoding and parsing three
    /// seed hits took 5.6 µs instead of 8.0. ASCII is copied in runs between
    /// the characters that need escaping.
    pub fn string(&mut self, value: &str) -> &mut Self {
        self.text.push('"');
        let bytes = value.as_bytes();
        let mut copied = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                // Other control characters, and the first byte of a
                // character beyond ASCII.
                0..=0x1f | 0xc0.. => "",
                // The rest of ASCII, and the other bytes of a character
                // escaped at its first.
                _ => continue,
            };
            self.text.push_str(&value[copied..at]);
            if !escape.is_empty() {
                self.text.push_str(escape);
                copied = at + 1;
                continue;
            }
            // The character's code point, from its UTF-8 bytes (1 to 4: a
            // first byte's leading ones count them), written as one code
            // unit or a surrogate pair.
            let len = (byte.leading_ones() as usize).max(1);
            let mut code = u32::from(byte) & (0x7f >> len);
            for &next in &bytes[at + 1..at + len] {
                code = code << 6 | u32::from(next & 0x3f);
            }
            copied = at + len;
            if code >= 0x1_0000 {
                self.unicode_escape(0xd800 + ((code - 0x1_0000) >> 10));
                code = 0xdc00 | (code & 0x3ff);
            }
            self.unicode_escape(code);
        }
        self.text.push_str(&value[copied..]);
        self.text.push('"');
        self
    }

    /// `\u` and a UTF-16 code unit in four hex digits.
    fn unicode_escape(&mut self, unit: u32) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.text.push_str("\\u");
        let mut shift = 16;
        while shift > 0 {
            shift -= 4;
            self.text
                .push(char::from(HEX[(unit >> shift & 0xf) as usize]));
        }
    }

    /// A JSON array of `items`, each written by `write`.
    pub fn array<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut Self, T),
    ) -> &mut Self {
        self.text.push('[');
        for (nth, item) in items.into_iter().enumerate() {
            if nth > 0 {
                self.text.push(',');
            }
            write(self, item);
        }
        self.text.push(']');
        self
    }

    /// A JSON string, or `null`.
    pub fn optional_string(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => self.string(value),
            None => self.raw("null"),
        }
    }

    /// A whole number, in decimal.
    pub fn uint(&mut self, value: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = value;
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        for &digit in &digits[start..] {
            self.text.push(char::from(digit));
        }
        self
    }

    /// A score: a finite `f32`, written with nine significant digits, which
    /// is enough to tell any two `f32` values apart, so that hits keep the
    /// order of their scores. (Rust's own float formatting would bring
    /// `core::fmt` into the module.) Infinite and NaN values, which the
    /// engine never gives, are written as 0: JSON has no spelling for them.
    pub fn score(&mut self, value: f32) -> &mut Self {
        let mut value = f64::from(value);
        if !value.is_finite() || value == 0.0 {
            return self.raw("0");
        }
        if value < 0.0 {
            self.raw("-");
            value = -value;
        }
        // value = mantissa × 10^exponent, mantissa in [1e8, 1e9) once rounded.
        let mut exponent: i32 = 0;
        while value >= 1e9 {
            value /= 10.0;
            exponent += 1;
        }
        while value < 1e8 {
            value *= 10.0;
            exponent -= 1;
        }
        let mut mantissa = (value + 0.5) as u64;
        if mantissa >= 1_000_000_000 {
            mantissa /= 10;
            exponent += 1;
        }
        // Trailing zeros of the mantissa are not written.
        while mantissa % 10 == 0 {
            mantissa /= 10;
            exponent += 1;
        }
        // Spelt as JavaScript spells numbers: `12.5`, `0.0034`, `1.5e-7`.
        let mut digits = [0u8; 9];
        let mut len = 0;
        while mantissa > 0 {
            digits[len] = b'0' + (mantissa % 10) as u8;
            mantissa /= 10;
            len += 1;
        }
        digits[..len].reverse();
        let digits = &digits[..len];
        // Digits before the decimal point.
        let point = len as i32 + exponent;
        let push = |json: &mut Self, digits: &[u8]| {
            for &digit in digits {
                json.text.push(char::from(digit));
            }
        };
        if (1..=21).contains(&point) {
            let point = point as usize;
            if point >= len {
                push(self, digits);
                for _ in len..point {
                    self.text.push('0');
                }
            } else {
                push(self, &digits[..point]);
                self.text.push('.');
                push(self, &digits[point..]);
            }
        } else if (-5..=0).contains(&point) {
            self.text.push_str("0.");
            for _ in point..0 {
                self.text.push('0');
            }
            push(self, digits);
        } else {
            push(self, &digits[..1]);
            if len > 1 {
                self.text.push('.');
                push(self, &digits[1..]);
            }
            self.text.push_str(if point > 0 { "e+" } else { "e-" });
            self.uint(u64::from((point - 1).unsigned_abs()));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(value: &str) -> String {
        let mut json = Json::default();
        json.string(value);
        json.into_text()
    }

    fn score(value: f32) -> String {
        let mut json = Json::default();
        json.score(value);
        json.into_text()
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(string("plain"), r#""plain""#);
        assert_eq!(string(r#"say "hi" \o/"#), r#""say \"hi\" \\o/""#);
        assert_eq!(string("a\nb\r\tc"), r#""a\nb\r\tc""#);
        assert_eq!(string("\u{0}\u{1f}\u{7f}"), "\"\\u0000\\u001f\u{7f}\"");
        assert_eq!(
            string("é ✓ 😀 \u{2028}x"),
            r#""\u00e9 \u2713 \ud83d\ude00 \u2028x""#
        );
        assert_eq!(string(""), r#""""#);
    }

    #[test]
    fn the_text_is_ascii_with_utf16_escapes_for_everything_else() {
        // Each length of UTF-8 at its edges, and the surrogate pairs' range.
        let samples =
            "\u{7f}\u{80}\u{7ff}\u{800}\u{a0}\u{2026}\u{fffd}\u{ffff}\u{10000}\u{1f600}\u{10ffff}";
        for c in samples.chars() {
            let expected: String = c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|unit| format!("\\u{unit:04x}"))
                .collect();
            let expected = if c.is_ascii() {
                c.to_string()
            } else {
                expected
            };
            assert_eq!(
                string(&format!("a{c}b")),
                format!("\"a{expected}b\""),
                "{c:?}"
            );
        }
        assert!(string(samples).is_ascii());
    }

    #[test]
    fn arrays_put_commas_between_elements() {
        let mut json = Json::default();
        json.array([1u64, 2, 3], |json, n| {
            json.uint(n);
        })
        .raw(",")
        .array(std::iter::empty::<u64>(), |json, n| {
            json.uint(n);
        });
        assert_eq!(json.into_text(), "[1,2,3],[]");
    }

    #[test]
    fn whole_numbers() {
        for (value, text) in [
            (0, "0"),
            (7, "7"),
            (10, "10"),
            (u64::MAX, "18446744073709551615"),
        ] {
            let mut json = Json::default();
            json.uint(value);
            assert_eq!(json.into_text(), text);
        }
    }

    #[test]
    fn scores_read_back_as_the_same_f32() {
        let samples = [
            1.0f32,
            0.1,
            std::f32::consts::PI,
            12.5,
            1e-30,
            f32::MIN_POSITIVE,
            f32::MAX,
            123_456_790.0,
            0.999_999_9,
            9.999_999,
            -2.5,
        ];
        for value in samples {
            let text = score(value);
            let read: f64 = text.parse().expect("valid number");
            assert_eq!(read as f32, value, "{value} written as {text}");
        }
        // A spread of values: each reads back exactly, and order is kept.
        let mut previous = f32::MIN_POSITIVE;
        let mut value = f32::MIN_POSITIVE;
        while value < 1e30 {
            let read: f64 = score(value).parse().unwrap();
            assert_eq!(read as f32, value);
            assert!(previous <= value);
            previous = value;
            value = f32::from_bits(value.to_bits() + 7_919_321);
        }
        assert_eq!(score(1.5), "1.5");
        assert_eq!(score(12.0), "12");
        assert_eq!(score(0.003_906_25), "0.00390625"); // 2^-8
        assert_eq!(score(0.003_4), "0.00340000005"); // the f32 nearest 0.0034
        assert_eq!(score(2f32.powi(-30)), "9.31322575e-10");
        assert_eq!(score(2f32.powi(100)), "1.2676506e+30");
        assert_eq!(score(-0.25), "-0.25");
        assert_eq!(score(0.0), "0");
        assert_eq!(score(f32::NAN), "0");
        assert_eq!(score(f32::INFINITY), "0");
    }
}
