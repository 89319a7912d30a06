//! The streaming build writes, byte for byte, the sharded index that the
//! in-memory build cuts from the same documents, however often it spills its
//! postings to runs; and it refuses documents out of order.

mod common;

use std::io::{self, Cursor};

use common::sharded::{store, tiny};
use engine::{
    encode_sharded, IndexBuilder, Manifest, Scratch, Section, ShardOutput, ShardSizes,
    SourceDocument, StreamingBuilder,
};

/// A corpus large enough for vectors and many runs: 240 documents of words
/// drawn unevenly from a vocabulary of 1,500, some with accents, a few empty,
/// most with sections.
fn documents() -> Vec<SourceDocument> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let vocabulary: Vec<String> = (0..1500)
        .map(|i| {
            let stem = [
                "rocket", "café", "thrust", "naïve", "library", "zürich", "nozzle",
            ][i % 7];
            format!("{stem}{}", i / 7)
        })
        .collect();
    (0..240)
        .map(|d| {
            let length = if d % 37 == 0 { 0 } else { 20 + next(400) };
            let words: Vec<&str> = (0..length)
                // Squared: a few words are frequent, most are rare.
                .map(|_| vocabulary[(next(1500) * next(1500) / 1500) as usize].as_str())
                .collect();
            let title = format!("Page {d} {}", vocabulary[next(1500) as usize]);
            let id = format!("doc{d:04}.txt");
            let mut document =
                SourceDocument::new(id.clone(), title, format!("pages/{id}"), words.join(" "));
            // A section every 50 words, its heading the body's next two
            // words: postings with heading frequencies.
            document.sections = (1..words.len() / 50)
                .map(|s| Section {
                    word: s as u32 * 50,
                    title: words[s * 50..s * 50 + 2].join(" "),
                    anchor: format!("#s{s}"),
                })
                .collect();
            document
        })
        .collect()
}

#[derive(Default)]
struct Collected {
    files: Vec<(String, Vec<u8>)>,
}

impl ShardOutput for Collected {
    fn store(&mut self, bytes: &[u8]) -> Vec<u8> {
        store(bytes)
    }

    fn write_file(&mut self, kind: &str, bytes: Vec<u8>) -> io::Result<String> {
        let name = format!("{kind}-{}", self.files.len());
        self.files.push((name.clone(), bytes));
        Ok(name)
    }
}

fn in_memory_scratch() -> Box<dyn FnMut() -> io::Result<Box<dyn Scratch>>> {
    Box::new(|| Ok(Box::new(Cursor::new(Vec::new())) as Box<dyn Scratch>))
}

/// The manifest and the files in its order.
fn streamed(sizes: ShardSizes, budget: usize) -> (Manifest, Vec<Vec<u8>>, usize) {
    let mut builder =
        StreamingBuilder::new(Collected::default(), sizes, budget, in_memory_scratch());
    for document in documents() {
        builder.add(document).unwrap();
    }
    let summary = builder.finish(&mut |_| {}).unwrap();
    let mut files = summary.output.files;
    let ordered = summary
        .manifest
        .files()
        .map(|entry| {
            let at = files
                .iter()
                .position(|(name, _)| *name == entry.name)
                .unwrap();
            files.swap_remove(at).1
        })
        .collect();
    assert!(files.is_empty(), "every file written is in the manifest");
    (summary.manifest, ordered, summary.runs)
}

#[test]
fn streaming_writes_what_the_in_memory_build_cuts() {
    for sizes in [tiny(), ShardSizes::default()] {
        let mut builder = IndexBuilder::new();
        // Added out of order: the in-memory builder sorts them by id.
        for document in documents().into_iter().rev() {
            builder.add(document);
        }
        let index = builder.build();
        let want = encode_sharded(&index, &sizes, &mut store);
        assert!(want.manifest.dimensions > 0, "the test needs vectors");
        // No spill, a spill every few documents, a spill after every one.
        for budget in [usize::MAX, 16 * 1024, 0] {
            let (manifest, files, runs) = streamed(sizes, budget);
            match budget {
                usize::MAX => assert_eq!(runs, 0),
                0 => assert_eq!(runs, 240),
                _ => assert!(runs > 2 && runs < 240, "{runs} runs"),
            }
            assert_eq!(manifest, want.manifest, "budget {budget}");
            assert!(files == want.files, "budget {budget}: the files differ");
        }
    }
}

#[test]
fn documents_out_of_order_are_an_error_naming_them() {
    let mut builder = StreamingBuilder::new(
        Collected::default(),
        tiny(),
        usize::MAX,
        in_memory_scratch(),
    );
    builder
        .add(SourceDocument::new("b.txt", "B", "b.txt", "second"))
        .unwrap();
    let error = builder
        .add(SourceDocument::new("a.txt", "A", "a.txt", "first"))
        .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert!(
        error.to_string().contains("`a.txt` comes after `b.txt`"),
        "{error}"
    );
    // The document refused changed nothing: the next one in order is taken.
    builder
        .add(SourceDocument::new("c.txt", "C", "c.txt", "third"))
        .unwrap();
    assert_eq!(builder.documents(), 2);
}
