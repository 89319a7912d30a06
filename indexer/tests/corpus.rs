//! The corpus reader on fixture folders: titles, texts, URLs, skips and errors.

use std::fs;
use std::path::{Path, PathBuf};

use engine::{format, IndexBuilder, Query, SearchOptions};
use indexer::corpus::{load_dir, CorpusError, LoadOptions, Skipped, DEFAULT_MAX_FILE_BYTES};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("corpus-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn reads_txt_md_and_html_with_titles_and_urls() {
    let corpus = load_dir(
        &fixture(),
        &LoadOptions {
            base_url: "/docs/".into(),
            ..LoadOptions::default()
        },
    )
    .unwrap();
    let got: Vec<(&str, &str, &str)> = corpus
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.title.as_str(), d.url.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "guides/deep/page two #1.htm",
                "Heading as title",
                "/docs/guides/deep/page%20two%20%231.htm"
            ),
            (
                "guides/deep/release.html",
                "Release notes",
                "/docs/guides/deep/release.html"
            ),
            (
                "guides/start.md",
                "Getting started",
                "/docs/guides/start.md"
            ),
            ("notes.txt", "Notes on Zürich", "/docs/notes.txt"),
            (
                "untitled.md",
                "No heading in this markdown, only text.",
                "/docs/untitled.md"
            ),
        ]
    );
    let body = |id: &str| {
        corpus
            .documents
            .iter()
            .find(|d| d.id == id)
            .unwrap()
            .body
            .as_str()
    };
    assert_eq!(
        body("notes.txt"),
        "The city of Zürich lies on a lake.\nIts trams are blue."
    );
    assert_eq!(
        body("guides/start.md"),
        "Install the widget, then search.\nOptions\nplaceholder\nlimit"
    );
    // Its front matter is not text, but what the page says of itself.
    let start = corpus
        .documents
        .iter()
        .find(|d| d.id == "guides/start.md")
        .unwrap();
    let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(start.meta, pairs(&[("description", "How to start.")]));
    assert_eq!(
        start.filters,
        pairs(&[("tags", "guide"), ("tags", "setup")])
    );
    assert_eq!(
        body("guides/deep/release.html"),
        "Version 1.0\nTypo tolerance arrives."
    );
    assert_eq!(
        body("untitled.md"),
        "No heading in this markdown, only text."
    );
}

#[test]
fn skips_are_reported_not_silent() {
    let corpus = load_dir(&fixture(), &LoadOptions::default()).unwrap();
    let skipped: Vec<(String, &str)> = corpus
        .skipped
        .iter()
        .map(|Skipped { path, reason }| (path.display().to_string(), *reason))
        .collect();
    assert_eq!(
        skipped,
        [
            (".drafts".to_string(), "hidden folder"),
            (".hidden.txt".to_string(), "hidden file"),
            ("blank.txt".to_string(), "no text"),
            ("logo.png".to_string(), "not a .txt, .md or .html file"),
        ]
    );
}

#[test]
fn relative_urls_by_default() {
    let corpus = load_dir(&fixture(), &LoadOptions::default()).unwrap();
    assert_eq!(corpus.documents[3].url, "notes.txt");
}

#[test]
fn a_site_suffix_shared_by_most_titles_is_cut_and_headings_are_sections() {
    let dir = scratch("site-suffix");
    for (file, title) in [
        ("a.html", "Alpha — Guide 2.0"),
        ("b.html", "Beta &amp; more — Guide 2.0"),
        ("c.html", "Gamma — Guide 2.0"),
        ("d.html", "Delta — Guide 2.0"),
        ("e.html", "Guide 2.0"),
    ] {
        fs::write(
            dir.join(file),
            format!("<title>{title}</title><h1>{file}</h1><p>Text.</p><h2 id=more>More</h2><p>Words.</p>"),
        )
        .unwrap();
    }
    // Markdown titles are their first heading: left as they are.
    fs::write(dir.join("f.md"), "# Zeta — Guide 2.0\n\nText.\n").unwrap();
    let corpus = load_dir(&dir, &LoadOptions::default()).unwrap();
    let titles: Vec<&str> = corpus.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Alpha",
            "Beta & more",
            "Gamma",
            "Delta",
            "Guide 2.0",
            "Zeta — Guide 2.0"
        ]
    );
    let sections: Vec<(u32, &str, &str)> = corpus.documents[0]
        .sections
        .iter()
        .map(|s| (s.word, s.title.as_str(), s.anchor.as_str()))
        .collect();
    assert_eq!(sections, [(0, "", ""), (2, "More", "#more")]);
}

#[test]
fn lines_repeated_across_the_site_are_chrome_and_left_out() {
    let page = |n: usize| {
        format!(
            "<title>Page {n}</title><div class=navheader><table><tr><td><a href=p.html>Prev</a></td>\
             <td>Home</td><td><a href=n.html>Next</a></td></tr></table></div>\
             <h1>Page {n}</h1><p>Words of page {n}, Prev and Next in a sentence.</p><p><a href=/bug>Report a bug</a></p>"
        )
    };
    for (name, count) in [("chrome-12", 12), ("chrome-5", 5)] {
        let dir = scratch(name);
        for n in 0..count {
            fs::write(dir.join(format!("p{n:02}.html")), page(n)).unwrap();
        }
        let corpus = load_dir(&dir, &LoadOptions::default()).unwrap();
        let body = &corpus.documents[3].body;
        if count >= 10 {
            assert_eq!(
                body,
                "Page 3\nWords of page 3, Prev and Next in a sentence."
            );
        } else {
            // Too few pages to tell chrome from content: all kept.
            assert!(body.starts_with("Prev Home Next"), "{body}");
            assert!(body.ends_with("Report a bug"), "{body}");
        }
    }
}

#[test]
fn errors_name_the_path() {
    // (name, set up the folder, expected error variant, text the message must contain)
    type Setup = fn(&Path);
    type Expected = fn(&CorpusError) -> bool;
    let cases: &[(&str, Setup, Expected, &str)] = &[
        (
            "missing",
            |dir| fs::remove_dir(dir).unwrap(),
            |e| matches!(e, CorpusError::Missing { .. }),
            "does not exist",
        ),
        (
            "empty",
            |_| {},
            |e| matches!(e, CorpusError::NoDocuments { skipped: 0, .. }),
            "no .txt, .md or .html",
        ),
        (
            "only-skipped",
            |dir| fs::write(dir.join("image.png"), b"x").unwrap(),
            |e| matches!(e, CorpusError::NoDocuments { skipped: 1, .. }),
            "1 entries skipped",
        ),
        (
            "not-utf8",
            |dir| fs::write(dir.join("latin1.txt"), b"Title\ncaf\xe9\n").unwrap(),
            |e| {
                matches!(
                    e,
                    CorpusError::NotUtf8 {
                        offset: 9,
                        line: 2,
                        ..
                    }
                )
            },
            "latin1.txt` is not valid UTF-8",
        ),
        (
            "nul-byte",
            |dir| fs::write(dir.join("utf16.txt"), b"\xff\xfeT\x00i\x00t\x00l\x00e\x00").unwrap(),
            |e| {
                matches!(
                    e,
                    CorpusError::NulByte {
                        offset: 3,
                        line: 1,
                        ..
                    }
                )
            },
            "utf16.txt` has a NUL byte (offset 3, line 1)",
        ),
        (
            "too-large",
            // Sparse: the size is checked before anything is read.
            |dir| {
                let file = fs::File::create(dir.join("dump.txt")).unwrap();
                file.set_len(DEFAULT_MAX_FILE_BYTES + 1).unwrap();
            },
            |e| {
                matches!(
                    e,
                    CorpusError::TooLarge {
                        bytes: 10_000_001,
                        limit: 10_000_000,
                        ..
                    }
                )
            },
            "dump.txt` is 10.0 MB, over the limit of 10.0 MB for one document",
        ),
        (
            "unreadable",
            // A link to nothing cannot be read, even by root (for whom permissions do not apply).
            |dir| std::os::unix::fs::symlink(dir.join("gone"), dir.join("dangling.txt")).unwrap(),
            |e| matches!(e, CorpusError::Unreadable { .. }),
            "dangling.txt",
        ),
        (
            "link-loop",
            |dir| {
                fs::create_dir(dir.join("sub")).unwrap();
                std::os::unix::fs::symlink(dir, dir.join("sub/up")).unwrap();
            },
            |e| matches!(e, CorpusError::LinkLoop { .. }),
            "sub/up",
        ),
        (
            "a-file",
            |dir| {
                fs::remove_dir(dir).unwrap();
                fs::write(dir, "not a folder").unwrap();
            },
            |e| matches!(e, CorpusError::NotAFolder { .. }),
            "is not a folder",
        ),
    ];
    for (name, setup, is_expected, message) in cases {
        let dir = scratch(name);
        setup(&dir);
        let error = load_dir(&dir, &LoadOptions::default()).expect_err(name);
        assert!(is_expected(&error), "{name}: got {error:?}");
        let text = error.to_string();
        assert!(
            text.contains(message),
            "{name}: {text:?} should contain {message:?}"
        );
        assert!(
            text.contains(name) || text.contains(&*dir.to_string_lossy()),
            "{name}: {text:?} should name the path"
        );
        let _ = fs::remove_file(&dir);
    }
}

#[test]
fn same_folder_gives_identical_bytes() {
    let encode = |reverse: bool| {
        let mut documents = load_dir(&fixture(), &LoadOptions::default())
            .unwrap()
            .documents;
        if reverse {
            documents.reverse();
        }
        let mut builder = IndexBuilder::new();
        for document in documents {
            builder.add(document);
        }
        format::encode(&builder.build())
    };
    // The builder, not the order documents arrive in, fixes the order.
    assert_eq!(encode(false), encode(true));
}

/// A word no other document has, which analysis keeps whole: `n` in base 18
/// written with consonants, after a `q` (no vowel, `s` or `y` for the stemmer
/// to take off).
fn unique_word(n: usize) -> String {
    const DIGITS: &[u8; 18] = b"bcdfghjkmnpqrtvwxz";
    let mut word = String::from("q");
    let mut n = n;
    loop {
        word.push(DIGITS[n % 18] as char);
        n /= 18;
        if n == 0 {
            return word;
        }
    }
}

#[test]
fn hostile_folders_lose_nothing() {
    let dir = scratch("hostile");
    // Thousands of files.
    fs::create_dir(dir.join("many")).unwrap();
    for i in 0..3000 {
        let word = unique_word(i);
        fs::write(
            dir.join(format!("many/{i:04}.txt")),
            format!("Page {i}\nOnly this page says {word}.\n"),
        )
        .unwrap();
    }
    // Folders 60 deep.
    let deep: PathBuf = (0..60).map(|_| "d").collect();
    fs::create_dir_all(dir.join(&deep)).unwrap();
    fs::write(
        dir.join(&deep).join("bottom.md"),
        "# Bottom\n\nThe deepest qdeepest page.\n",
    )
    .unwrap();
    // Names with spaces, Unicode, `#`, `?` and `%`.
    fs::write(dir.join("my notes #1?.txt"), "Notes\nqnotes here\n").unwrap();
    fs::write(dir.join("café 100%.md"), "# Café\n\nqcafe here\n").unwrap();
    // Two documents with the same title.
    fs::write(dir.join("same-a.txt"), "Same title\nqsamea\n").unwrap();
    fs::write(dir.join("same-b.txt"), "Same title\nqsameb\n").unwrap();
    // An empty file: skipped with a warning, not an error.
    fs::write(dir.join("empty.txt"), "").unwrap();
    // HTML that is broken and full of scripts.
    fs::write(
        dir.join("broken.html"),
        "<html><head><title>Broken <b>page</title><script>var qscript = '<p>';</script>\
         <body><p>Unclosed <i>italic <div>qbroken text<script>document.write('qwritten')</script>\
         <style>p { qstyle: 1 }</style><p onclick=\"qhandler()\">end",
    )
    .unwrap();

    let corpus = load_dir(&dir, &LoadOptions::default()).unwrap();
    assert_eq!(corpus.documents.len(), 3000 + 1 + 2 + 2 + 1);
    assert_eq!(
        corpus.skipped,
        [Skipped {
            path: "empty.txt".into(),
            reason: "no text"
        }]
    );
    let mut builder = IndexBuilder::new();
    for document in corpus.documents {
        builder.add(document);
    }
    let bytes = format::encode(&builder.build());
    let index = format::decode(&bytes).unwrap();
    let top = |query: &str| {
        let results = index.search(
            &Query::parse(&format!("{query} ")),
            &SearchOptions::default(),
        );
        results
            .hits
            .first()
            .map(|hit| (hit.title.to_string(), hit.url.to_string()))
    };

    for i in (0..3000).step_by(7) {
        let url = format!("many/{i:04}.txt");
        assert_eq!(top(&unique_word(i)), Some((format!("Page {i}"), url)));
    }
    let deep_url = format!("{}/bottom.md", deep.display());
    assert_eq!(top("qdeepest"), Some(("Bottom".into(), deep_url)));
    assert_eq!(
        top("qnotes"),
        Some(("Notes".into(), "my%20notes%20%231%3F.txt".into()))
    );
    assert_eq!(
        top("qcafe"),
        Some(("Café".into(), "caf%C3%A9%20100%25.md".into()))
    );
    assert_eq!(
        top("qsamea"),
        Some(("Same title".into(), "same-a.txt".into()))
    );
    assert_eq!(
        top("qsameb"),
        Some(("Same title".into(), "same-b.txt".into()))
    );
    // A <title> holds text only, as browsers show it: the tag is literal.
    assert_eq!(
        top("qbroken"),
        Some(("Broken <b>page".into(), "broken.html".into()))
    );
    for hidden in ["qscript", "qwritten", "qstyle", "qhandler"] {
        assert_eq!(top(hidden), None, "{hidden} is not text of the page");
    }
}
