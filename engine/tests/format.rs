//! The binary format: round trips, and corrupt input gives errors, never panics.

mod common;

use engine::{format, FormatError, IndexBuilder, Section, SourceDocument};

fn tiny_index_bytes() -> Vec<u8> {
    let mut builder = IndexBuilder::new();
    let mut with_section = SourceDocument::new(
        "b.txt",
        "Zürich lakes",
        "b.txt",
        "Blue trams by the lake. Lakes everywhere.",
    );
    with_section.sections.push(Section {
        word: 5,
        title: "Lakes".to_owned(),
        anchor: "#lakes".to_owned(),
    });
    // `Blue trams`, as a line that only links to another page.
    with_section.link_lines = vec![(0, 2)];
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    with_section.meta = vec![pair("description", "Trams."), pair("image", "lake.png")];
    with_section.filters = vec![pair("tag", "city"), pair("tag", "lake")];
    with_section.sort = vec![pair("date", "2024-05-01")];
    builder.add(with_section);
    let mut french = SourceDocument::new(
        "a.md",
        "Émigrés",
        "a.md",
        "Une histoire des émigrés, en 2 000 mots.",
    );
    french.language = "fr".to_owned();
    builder.add(french);
    builder.add(SourceDocument::new("c.html", "Empty", "c.html", ""));
    format::encode(&builder.build())
}

/// The encoded form of a tiny corpus, frozen: a change to the format must be a
/// decision (bump `format::VERSION` and refresh `tests/fixtures/tiny.idx`).
#[test]
fn format_is_frozen() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny.idx");
    let bytes = tiny_index_bytes();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(path, &bytes).unwrap();
    }
    let frozen =
        std::fs::read(path).expect("tests/fixtures/tiny.idx exists (UPDATE_FIXTURES=1 writes it)");
    assert_eq!(
        bytes, frozen,
        "the index format changed: bump format::VERSION, then run with UPDATE_FIXTURES=1"
    );
    assert!(format::decode(&frozen).is_ok());
}

#[test]
fn header_errors() {
    let bytes = tiny_index_bytes();
    assert_eq!(format::decode(b""), Err(FormatError::Magic));
    assert_eq!(format::decode(b"PK\x03\x04rest"), Err(FormatError::Magic));
    let mut other_version = bytes.clone();
    other_version[4] = 99;
    assert_eq!(
        format::decode(&other_version),
        Err(FormatError::Version {
            expected: format::VERSION,
            got: 99
        })
    );
    let message = format::decode(&other_version).unwrap_err().to_string();
    assert!(message.contains("rebuild"), "{message}");
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = tiny_index_bytes();
    for len in 0..bytes.len() {
        assert!(
            format::decode(&bytes[..len]).is_err(),
            "truncated to {len} bytes"
        );
    }
}

#[test]
fn corrupt_bytes_never_panic() {
    let bytes = tiny_index_bytes();
    // Every byte set to a few telling values; decode must return, Ok or Err.
    for i in 0..bytes.len() {
        for value in [
            0x00,
            0x01,
            0x7F,
            0x80,
            0xFF,
            bytes[i] ^ 0x01,
            bytes[i].wrapping_add(1),
        ] {
            let mut corrupt = bytes.clone();
            corrupt[i] = value;
            if let Ok(index) = format::decode(&corrupt) {
                // Whatever decoded must also be safe to search.
                for query in ["lake", "emigr", "z", "2,000"] {
                    index.search(&engine::Query::parse(query), &Default::default());
                }
            }
        }
    }
}

/// Where section `n` (0-based) starts and how long it is, from the header.
fn section(bytes: &[u8], n: usize) -> (usize, usize) {
    let at = 12 + 8 * n;
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    (word(at), word(at + 4))
}

#[test]
fn the_semantic_section_round_trips_and_checks_its_size() {
    let mut builder = common::two_subjects();
    let index = builder.build();
    let bytes = format::encode(&index);
    assert_eq!(format::decode(&bytes).unwrap(), index);
    // 16 documents learn 2 dimensions: the count, then 2 bytes per document.
    let (start, len) = section(&bytes, 4);
    assert_eq!((bytes[start], len), (2, 1 + 16 * 2));

    let mut wrong_dimensions = bytes.clone();
    wrong_dimensions[start] = 3;
    assert_eq!(
        format::decode(&wrong_dimensions),
        Err(FormatError::Corrupt {
            offset: start + 1,
            reason: "count is larger than the section"
        })
    );
    let mut none_but_vectors = bytes.clone();
    none_but_vectors[start] = 0;
    assert!(matches!(
        format::decode(&none_but_vectors),
        Err(FormatError::Corrupt { .. })
    ));
    // The tiny corpus has too few documents: the section is a single 0.
    let tiny = tiny_index_bytes();
    let (start, len) = section(&tiny, 4);
    assert_eq!((tiny[start], len), (0, 1));
}
