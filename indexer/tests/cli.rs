//! `site-search-index` as a site owner runs it: the bundles it writes, its
//! errors, and that it needs no Rust toolchain (it runs here with an empty PATH).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use engine::{Index, Manifest, Query, SearchOptions};

const BIN: &str = env!("CARGO_BIN_EXE_site-search-index");

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A site folder with these (path, content) files.
fn site(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = scratch(name).join("site");
    fs::create_dir_all(&dir).unwrap();
    for (path, content) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}

/// Runs the indexer with no PATH at all: no cargo, rustc, wasm-bindgen or node.
fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", "")
        .output()
        .expect("the indexer runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn pages(count: usize) -> Vec<(String, Vec<u8>)> {
    (0..count)
        .map(|i| {
            let body = if i == 7 {
                "<p>The zebra crossing at the savanna's edge.</p>".to_string()
            } else {
                format!("<p>Ordinary page {i} about rivers, hills and the weather.</p>")
            };
            (
                format!("pages/p{i:03}.html"),
                format!("<html><head><title>Page {i}</title></head><body>{body}</body></html>")
                    .into_bytes(),
            )
        })
        .collect()
}

fn as_files(pages: &[(String, Vec<u8>)]) -> Vec<(&str, &[u8])> {
    pages
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_slice()))
        .collect()
}

#[test]
fn embedded_bundle_holds_the_index_in_the_module() {
    let pages = pages(5);
    let dir = site("embedded", &as_files(&pages));
    let output = run(&[dir.to_str().unwrap(), "--mode", "embedded"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Indexed 5 documents"), "{stdout}");
    assert!(
        stdout.contains("embedded mode") && stdout.contains("Peak memory"),
        "{stdout}"
    );
    let bundle = dir.join("search");
    for file in [
        "search.js",
        "engine.js",
        "engine_bg.wasm",
        "widget.js",
        "highlight.js",
        "search.d.ts",
    ] {
        assert!(bundle.join(file).is_file(), "{file}");
    }
    assert!(!bundle.join("manifest.json").exists());
    let wasm = fs::read(bundle.join("engine_bg.wasm")).unwrap();
    assert!(
        wasm.windows(17).any(|w| w == b"site-search-index"),
        "the index's custom section"
    );
    let api = fs::read_to_string(bundle.join("search.js")).unwrap();
    // An embedded bundle's search.js has no sharded mode: none of its code.
    assert!(
        !api.contains("SHARDED") && !api.contains("openSharded"),
        "{api}"
    );
    assert!(api.contains("isSharded(){return!1}"), "{api}");
    // No --base-url: links are the pages' paths from the site's root, one folder up from the bundle.
    assert!(api.contains("const SITE_ROOT=\"../\";"), "the site's root");
}

#[test]
fn a_bundle_outside_the_site_links_from_the_root_and_says_so() {
    let pages = pages(5);
    let dir = site("outside", &as_files(&pages));
    let out = scratch("outside-bundle").join("search");
    let output = run(&[
        dir.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("links start with /"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("--base-url"),
        "{}",
        stderr(&output)
    );
    let api = fs::read_to_string(out.join("search.js")).unwrap();
    assert!(api.contains("const SITE_ROOT=null;"));
    // Inside the site (the default), nothing to say.
    let inside = run(&[dir.to_str().unwrap(), "--quiet"]);
    assert!(inside.status.success(), "{}", stderr(&inside));
    assert!(
        !stderr(&inside).contains("links start with /"),
        "{}",
        stderr(&inside)
    );
}

#[test]
fn sharded_bundle_answers_as_the_embedded_one() {
    let pages = pages(40);
    let dir = site("sharded", &as_files(&pages));
    let output = run(&[
        dir.to_str().unwrap(),
        "--mode",
        "sharded",
        "--base-url",
        "/docs/",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let bundle = dir.join("search");
    let api = fs::read_to_string(bundle.join("search.js")).unwrap();
    assert!(api.contains("const SHARDED={\"format\":"));
    // With --base-url, links are as given.
    assert!(api.contains("const SITE_ROOT=null;"));
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(bundle.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.documents, 40);
    // Every file is there, named by its content, of the size the manifest says.
    for entry in manifest.files() {
        let bytes = fs::read(bundle.join(&entry.name)).unwrap();
        assert_eq!(bytes.len(), entry.bytes as usize, "{}", entry.name);
        assert!(
            entry.name.contains(&indexer::bundle::content_hash(&bytes)),
            "{}",
            entry.name
        );
    }
    // Read as the module reads it, fetching what each search asks for (a
    // texts file by range), and inflating what arrives.
    let files: Vec<Vec<u8>> = manifest
        .files()
        .map(|e| fs::read(bundle.join(&e.name)).unwrap())
        .collect();
    let mut restore = |stored: &[u8]| indexer::bundle::inflate(stored).map(|bytes| &*bytes.leak());
    let mut index = Index::open_sharded(&manifest, &files[0], &mut restore).unwrap();
    let query = Query::parse("zebr");
    let results = loop {
        let results = index.search(&query, &SearchOptions::default());
        let missing = index.take_missing();
        if missing.is_empty() {
            break results;
        }
        for shard in missing {
            let file = &files[manifest.file_index(shard).unwrap()];
            let bytes = match index.byte_range(shard) {
                Some((start, len)) => &file[start as usize..(start + len) as usize],
                None => file.as_slice(),
            };
            index.add_shard(shard, bytes, &mut restore).unwrap();
        }
    };
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].url, "/docs/pages/p007.html");
}

/// `count` text pages of about 600 words each, drawn from 5,000 made-up words.
fn wordy_pages(count: usize) -> Vec<(String, Vec<u8>)> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|i| {
            let words: Vec<String> = (0..600)
                .map(|_| format!("w{}", next() % 5000 * (next() % 5000) / 5000))
                .collect();
            (
                format!("{:02}/page{i:04}.txt", i % 7),
                format!("Page {i}\n\n{}\n", words.join(" ")).into_bytes(),
            )
        })
        .collect()
}

/// The bundle's files, by path, with their bytes.
fn bundle_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_build_over_its_memory_budget_spills_and_writes_the_same_bundle() {
    let pages = wordy_pages(700);
    let dir = site("spill", &as_files(&pages));
    let roomy = dir.parent().unwrap().join("roomy");
    let tight = dir.parent().unwrap().join("tight");
    let output = run(&[dir.to_str().unwrap(), "--output", roomy.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    // 1 MB of postings: several runs spilled to scratch files and merged.
    let output = run(&[
        dir.to_str().unwrap(),
        "--output",
        tight.to_str().unwrap(),
        "--memory-mb",
        "1",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("sharded mode") && said.contains("scratch runs"),
        "{said}"
    );
    let (roomy, tight) = (bundle_files(&roomy), bundle_files(&tight));
    assert!(roomy.len() > 10, "{} files", roomy.len());
    assert!(roomy == tight, "the bundles differ");
    // Nothing is left beside them: the scratch files went with the build.
    let mut left: Vec<String> = fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["roomy", "site", "tight"]);

    let output = run(&[dir.to_str().unwrap(), "--memory-mb", "0"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--memory-mb must be a whole number of megabytes from 1 up"),
        "{}",
        stderr(&output)
    );
    let output = run(&[dir.to_str().unwrap(), "--exclude-selectors", "div["]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--exclude-selectors: `div[` is not a CSS selector"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_sharded_build_that_fails_midway_keeps_the_earlier_bundle() {
    let pages = pages(40);
    let dir = site("midway", &as_files(&pages));
    let output = run(&[dir.to_str().unwrap(), "--mode", "sharded"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let before = bundle_files(&dir.join("search"));
    // Read last (documents are read in order of their paths), after the
    // others have gone into the new bundle's files.
    fs::write(dir.join("zz-bad.txt"), b"Caf\xe9\n").unwrap();
    let output = run(&[dir.to_str().unwrap(), "--mode", "sharded"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("zz-bad.txt` is not valid UTF-8"),
        "{}",
        stderr(&output)
    );
    assert!(
        bundle_files(&dir.join("search")) == before,
        "the earlier bundle changed"
    );
    let writing: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("writing")
        })
        .collect();
    assert!(writing.is_empty(), "the unfinished bundle is removed");
}

#[test]
fn an_earlier_bundle_in_the_folder_is_skipped_and_replaced() {
    let pages = pages(3);
    let dir = site("rerun", &as_files(&pages));
    for _ in 0..2 {
        let output = run(&[dir.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("Indexed 3 documents"), "{stdout}");
    }
    // Also under another name: a bundle is known by its files.
    fs::rename(dir.join("search"), dir.join("old-search")).unwrap();
    let output = run(&[dir.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Indexed 3 documents"));
    assert!(
        stderr(&output).contains("old-search: an earlier search bundle"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_output_folder_with_other_files_is_refused_and_kept() {
    let pages = pages(2);
    let dir = site("refuse", &as_files(&pages));
    let out = dir.parent().unwrap().join("precious");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.txt"), "keep me").unwrap();
    let output = run(&[dir.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("is not a search bundle"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn errors_name_the_file_and_what_to_do() {
    let missing = scratch("missing").join("no-such-site");
    let output = run(&[missing.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no-such-site` does not exist"),
        "{}",
        stderr(&output)
    );

    let empty = site("empty", &[]);
    let output = run(&[empty.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("has no .txt, .md or .html document"),
        "{}",
        stderr(&output)
    );

    let latin1 = site(
        "latin1",
        &[("ok.txt", b"Fine\ntext"), ("bad.txt", b"Caf\xe9\n")],
    );
    let output = run(&[latin1.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("bad.txt` is not valid UTF-8"),
        "{}",
        stderr(&output)
    );

    let big_text = format!("Big\n{}", "words and more words\n".repeat(60_000));
    let big = site("big", &[("big.txt", big_text.as_bytes())]);
    let output = run(&[big.to_str().unwrap(), "--max-file-mb", "1"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("big.txt` is 1.2 MB, over the limit of 1.0 MB")
            && stderr(&output).contains("--max-file-mb"),
        "{}",
        stderr(&output)
    );

    let unreadable = site("unreadable", &[("ok.txt", b"Fine\ntext")]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(unreadable.join("nowhere"), unreadable.join("gone.md")).unwrap();
    let output = run(&[unreadable.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot read corpus file"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("gone.md"), "{}", stderr(&output));

    let output = run(&["--mode", "huge", unreadable.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("invalid value 'huge'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn help_says_how_to_use_it() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for word in [
        "<INPUT_DIR>",
        "--output",
        "--base-url",
        "--mode",
        "<site-search>",
    ] {
        assert!(help.contains(word), "{word} in {help}");
    }
}
