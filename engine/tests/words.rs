//! Our word splitter (`src/analysis/words.rs`, written for size) against the
//! reference implementation of UAX #29, `unicode-segmentation`: the same words
//! on real text (the seeds, the test fixtures and both test collections in
//! `../shared/ir`) and on samples of many scripts, and the known differences.

use std::fs;
use std::path::Path;

use engine::analysis::word_spans;
use unicode_segmentation::UnicodeSegmentation;

fn ours(text: &str) -> Vec<(usize, &str)> {
    word_spans(text).collect()
}

/// UAX #29's words, with the one difference we make on purpose: Katakana
/// runs and Hangul words are split into their characters (each with the
/// marks after it), as Han and Hiragana already are (`words.rs`).
fn reference(text: &str) -> Vec<(usize, &str)> {
    let spaceless = |c: char| {
        matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D
            | 0x32D0..=0x32FE | 0x3300..=0x3357 | 0xAC00..=0xD7A3 | 0x3131..=0x318E)
    };
    let mut words = Vec::new();
    for (start, word) in text.unicode_word_indices() {
        if !word.chars().any(spaceless) {
            words.push((start, word));
            continue;
        }
        let mut chars = word.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let mut end = at + c.len_utf8();
            // Voicing marks stay with their character.
            while let Some(&(next_at, next)) = chars.peek() {
                if !matches!(next as u32, 0x3099..=0x309A | 0xFF9E..=0xFF9F) {
                    break;
                }
                end = next_at + next.len_utf8();
                chars.next();
            }
            words.push((start + at, &word[at..end]));
        }
    }
    words
}

/// The first place where the two disagree, with some context.
fn first_difference(text: &str) -> Option<String> {
    let (ours, reference) = (ours(text), reference(text));
    let at = ours
        .iter()
        .zip(&reference)
        .position(|(a, b)| a != b)
        .or_else(|| (ours.len() != reference.len()).then(|| ours.len().min(reference.len())))?;
    Some(format!(
        "ours {:?} … reference {:?}",
        &ours[at..(at + 3).min(ours.len())],
        &reference[at..(at + 3).min(reference.len())]
    ))
}

#[test]
fn same_words_as_uax29_on_real_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![
        root.join("seeds/000_2cd94087f88d64ec.txt"),
        root.join("seeds/003_b838cff0455367c0.txt"),
        root.join("seeds/004_478de67479f4dbbd.txt"),
        root.join("indexer/tests/fixtures/corpus/notes.txt"),
        root.join("indexer/tests/fixtures/corpus/guides/start.md"),
        root.join("tests/fixtures/hostile/scripted.html"),
    ];
    // The test collections, when ../shared is beside the repository (CI has it).
    for collection in [
        "../shared/ir/cranfield/cran.all.1400",
        "../shared/ir/cisi/CISI.ALL",
    ] {
        let path = root.join(collection);
        if path.exists() {
            files.push(path);
        }
    }
    let mut words = 0;
    for path in &files {
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        words += reference(&text).len();
        if let Some(difference) = first_difference(&text) {
            panic!("{}: {difference}", path.display());
        }
    }
    assert!(words > 10_000, "only {words} words compared");
}

#[test]
fn same_words_as_uax29_in_many_scripts() {
    let samples = [
        "Don't stop: it's 2,000 km (1,243 mi), 3.14 or 1.2.3; e.g. U.S.A. and I.B.M's",
        "foo_bar _x_ a__b snake_case_name A4 2nd 10x",
        "Zürich, Genève, Ærø, Øresund, naïve café, straße, İstanbul",
        "e\u{301}te, a\u{308}rger, n\u{303}o: decomposed accents",
        // Marks after ASCII letters in mid-word and at the end (the ASCII fast path).
        "cafe\u{301} re\u{301}sume\u{301} 2a\u{308}1 x\u{200d}y na\u{308}\u{301}ve e\u{301}",
        // … after digits, joiners and connectors, and with no letter before them.
        "12\u{301}3 a.\u{301}b 1,\u{301}2 x_\u{301}y a\u{301}.b \u{301}start (\u{301}) a\u{301}\u{200d}",
        "Москва — столица России. Ελληνικά: η Αθήνα.",
        "שלום עולם, עברית; العربية: مرحبا بالعالم",
        "हिन्दी भाषा, क्षत्रिय; বাংলা ভাষা; தமிழ் மொழி",
        "日本語の検索、東京タワー、カタカナ語とひらがな。",
        "中文搜索引擎 한국어 문장입니다 パッケージマネージャ ｶﾀｶﾅﾞ",
        "ภาษาไทย ພາສາລາວ",
        "emoji 😀 👩‍👩‍👧 🇮🇱 ✓ © ™",
        "a-b a/b a–b a—b (a) [b] {c} <d> «e» „f“",
        "x’s a‘b ‘quoted’ “double” 'single'",
        "C++ C# .NET node.js v1.2 192.168.0.1 a@b.com",
        "١٢٣ ۴۵ ५६ 12:30 ab:12 a:b:c ½ ² Ⅻ",
        "tab\tnew\nline\r\nnbsp\u{a0}thin\u{2009}zero\u{200b}width",
    ];
    for sample in samples {
        assert_eq!(ours(sample), reference(sample), "{sample:?}");
    }
}

#[test]
fn known_differences_from_uax29() {
    // (text, our words, the reference's) where we differ, on purpose or by
    // approximation: each is rare in text that people search.
    let cases: &[(&str, &[&str], &[&str])] = &[
        // Hebrew's gershayim inside an acronym (WB7b/c) is not joined.
        ("צה\"ל", &["צה", "ל"], &["צה\"ל"]),
    ];
    for &(text, expected_ours, expected_reference) in cases {
        let words: Vec<&str> = ours(text).into_iter().map(|(_, w)| w).collect();
        assert_eq!(words, expected_ours, "ours, {text:?}");
        let words: Vec<&str> = reference(text).into_iter().map(|(_, w)| w).collect();
        assert_eq!(words, expected_reference, "reference, {text:?}");
    }
}

#[test]
fn restarting_at_any_word_gives_the_same_words_from_there() {
    // What excerpts rely on: they restart the splitter at a stored word start.
    let text = "Don't stop: it's 2,000 km. 日本語の検索 foo_bar e\u{301}te U.S.A. ภาษาไทย";
    let all = ours(text);
    for (i, &(start, _)) in all.iter().enumerate() {
        let rest: Vec<(usize, &str)> = word_spans(&text[start..])
            .map(|(at, word)| (at + start, word))
            .collect();
        assert_eq!(rest, all[i..], "from byte {start}");
    }
}
