//! The seed corpus for the engine's tests and fuzz targets.

use std::path::Path;

use engine::{IndexBuilder, SourceDocument};

/// The seed corpus, as the build script reads it: each `.txt` file's first
/// non-empty line is its title, the rest its body, its file name its id and
/// URL. (The engine reads no files; this is the indexer's rule for `.txt`,
/// restated for the engine's own tests.)
pub fn seeds() -> IndexBuilder {
    // From the engine's tests, or from the fuzz crate one folder deeper.
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = [crate_dir.join("../seeds"), crate_dir.join("../../seeds")]
        .into_iter()
        .find(|dir| dir.is_dir())
        .expect("the seed folder exists");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the seed folder exists")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".txt"))
        .collect();
    names.sort();
    let mut builder = IndexBuilder::new();
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).expect("a seed text is UTF-8");
        let mut lines = text.lines();
        let title = lines
            .by_ref()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let body = lines.collect::<Vec<_>>().join("\n");
        builder.add(SourceDocument::new(name.clone(), title, name, body));
    }
    builder
}
