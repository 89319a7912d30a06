//! Writing the folder a site deploys: the engine's module, the web client,
//! and the index, embedded in the module or sharded beside it.
//!
//! ```text
//! search/
//!   search.js        the API a page imports (init, search, suggest, corpusInfo)
//!   widget.js        the <site-search> element
//!   highlight.js     the landing script: marks the searched words on a result's page
//!   search.d.ts      the API's TypeScript declarations
//!   engine.js        the module's glue (wasm-bindgen)
//!   engine_bg.wasm   the engine; embedded mode: with the index in a custom section
//!   manifest.json    sharded mode: the index's files and ranges (search.js holds a copy)
//!   index/           sharded mode: the core and the shards, deflated, content-hashed
//! ```
//! The folder is written beside its destination and then moved into place,
//! so a failed run leaves the previous bundle as it was; a destination that
//! holds anything but an earlier bundle is never overwritten.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use engine::{encode_sharded_to, Index, Manifest, ShardOutput, ShardSizes};
use sha2::{Digest, Sha256};

use crate::corpus::BUNDLE_MARKER;

/// The name of the custom section of `engine_bg.wasm` that holds an embedded
/// index; `search.js` reads it with `WebAssembly.Module.customSections`.
pub const INDEX_SECTION: &str = "site-search-index";

/// The statement of `search.js` that, in a sharded bundle, holds the
/// manifest instead (the file is mangled, not compressed, and keeps this
/// name: `make engine`'s `api_js`). The embedded bundles' copy has none.
const NOT_SHARDED: &str = "const SHARDED=null;";
/// The statement of `search.js` that, when links are the pages' paths from
/// the site's root, says where that root is from the bundle.
const NO_SITE_ROOT: &str = "const SITE_ROOT=null;";

/// Below this size of the whole index (texts included), one module is
/// fetched about as fast as a core and shards in turn; above it, sharding
/// fetches less and sooner. Measured on Slow 4G (BENCHMARKS.md, "Embedded or
/// sharded"), since a search fetches only its terms' postings and its hits'
/// records: 100 abstracts (an index of about 280 KB) are fetched in 116 KB
/// sharded against 190 KB embedded.
pub const AUTO_SHARD_ABOVE_BYTES: usize = 128 * 1024;

/// The engine's files, built once with the indexer (`make engine`).
#[derive(Debug, Clone, Copy)]
pub struct EngineAssets<'a> {
    /// The module for embedded bundles (it takes the index at start-up),
    /// for sites whose pages set no metadata, filters or sort values.
    pub embedded: EngineModule<'a>,
    /// The same with metadata, filters and sort (the `facets` feature,
    /// 6.5 KB gzipped more), for sites whose pages set some.
    pub embedded_facets: EngineModule<'a>,
    /// The same with the stemmers of every language too (the `languages`
    /// feature, with `facets`), for sites with pages in a stemmed language
    /// other than English.
    pub embedded_languages: EngineModule<'a>,
    /// The module for sharded bundles (it fetches and inflates shards),
    /// and the same with metadata, filters and sort, and with languages too.
    pub sharded: EngineModule<'a>,
    pub sharded_facets: EngineModule<'a>,
    pub sharded_languages: EngineModule<'a>,
    /// `search.js`, mangled only: a sharded bundle's, whose `SHARDED` the
    /// bundle writes in.
    pub api: &'a str,
    /// `search.js` for embedded bundles: built with `SHARDED` null, which
    /// drops the sharded mode's code (`make engine`'s `embedded_api_js`).
    pub embedded_api: &'a str,
    pub widget: &'a str,
    /// The landing script (`www/search/highlight.js`).
    pub highlight: &'a str,
    pub types: &'a str,
}

/// What of the engine a site's index needs beyond the plain module: the
/// indexer gives each site the smallest module that reads its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Words, excerpts, sections: every site.
    Plain,
    /// Metadata, filters or sort values (`facets`).
    Facets,
    /// Pages in a stemmed language other than English (`languages`, and
    /// `facets` with it: one module more, not two).
    Languages,
}

impl Needs {
    /// `page_facts`: whether some page sets metadata, filters or sort values;
    /// `languages`: the index's languages ([`engine::Index::languages`]).
    pub fn of(page_facts: bool, languages: &[String]) -> Needs {
        if engine::analysis::needs_stemmers(languages) {
            Needs::Languages
        } else if page_facts {
            Needs::Facets
        } else {
            Needs::Plain
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One module with the index inside.
    Embedded,
    /// A manifest, a core and shards fetched as searches need them.
    Sharded,
}

/// The index as the bundle will hold it.
#[derive(Debug)]
pub enum IndexForm {
    /// In the module: its embedded encoding.
    Embedded(Vec<u8>),
    /// Cut into shards when the bundle is written.
    Sharded,
}

impl IndexForm {
    /// Embedded up to [`AUTO_SHARD_ABOVE_BYTES`] of embedded encoding, else sharded.
    pub fn by_size(embedded: Vec<u8>) -> IndexForm {
        if embedded.len() > AUTO_SHARD_ABOVE_BYTES {
            IndexForm::Sharded
        } else {
            IndexForm::Embedded(embedded)
        }
    }

    pub fn mode(&self) -> Mode {
        match self {
            IndexForm::Embedded(_) => Mode::Embedded,
            IndexForm::Sharded => Mode::Sharded,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Embedded => "embedded",
            Mode::Sharded => "sharded",
        })
    }
}

/// A wasm module and its wasm-bindgen glue.
#[derive(Debug, Clone, Copy)]
pub struct EngineModule<'a> {
    pub wasm: &'a [u8],
    pub glue: &'a str,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub mode: Mode,
    pub files: usize,
    pub bytes: u64,
}

#[derive(Debug)]
pub enum BundleError {
    /// The destination holds something other than an earlier bundle.
    NotABundle(PathBuf),
    Io(PathBuf, io::Error),
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::NotABundle(path) => write!(
                f,
                "output folder `{}` already exists and is not a search bundle; give an empty or new folder with --output, or remove it",
                path.display()
            ),
            BundleError::Io(path, error) => write!(
                f,
                "cannot write `{}`: {error}; check the folder's permissions and free space",
                path.display()
            ),
        }
    }
}

impl std::error::Error for BundleError {}

/// Writes the bundle for `index`, built in memory, into `out`, the index in
/// `form`; `site_root` as [`BundleWriter::set_site_root`] takes it.
pub fn write_bundle(
    out: &Path,
    index: &Index<'_>,
    form: IndexForm,
    assets: &EngineAssets<'_>,
    sizes: &ShardSizes,
    site_root: Option<String>,
) -> Result<Written, BundleError> {
    let mut writer = BundleWriter::begin(out, assets)?;
    writer.set_site_root(site_root);
    let needs = Needs::of(index.has_page_facts(), index.languages());
    match form {
        IndexForm::Embedded(embedded) => writer.finish_embedded(&embedded, needs),
        IndexForm::Sharded => {
            let encoded =
                encode_sharded_to(index, sizes, &mut writer).map(|(manifest, _)| manifest);
            match encoded {
                Ok(manifest) => writer.finish_sharded(&manifest, needs),
                Err(error) => Err(writer.error_of(error)),
            }
        }
    }
}

/// A bundle being written: into a folder beside its destination, moved into
/// place when finished, so a failed run leaves the previous bundle as it
/// was; dropped unfinished, the folder is removed. A sharded index's files
/// are written into it as they are made ([`ShardOutput`]), deflated and
/// named by their content.
pub struct BundleWriter<'a> {
    out: PathBuf,
    staging: PathBuf,
    assets: &'a EngineAssets<'a>,
    written: Written,
    /// The error behind the last failed write, with the path it names.
    failed: Option<BundleError>,
    finished: bool,
    /// Where the site's root is from the bundle (`../`), when links are the
    /// pages' paths from it: search.js makes them absolute against it.
    site_root: Option<String>,
}

impl<'a> BundleWriter<'a> {
    /// Starts a bundle for `out`, which must be new, empty or an earlier bundle.
    pub fn begin(out: &Path, assets: &'a EngineAssets<'a>) -> Result<Self, BundleError> {
        if out.exists() && !is_bundle_or_empty(out) {
            return Err(BundleError::NotABundle(out.to_path_buf()));
        }
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "search".into());
        let staging = out.with_file_name(format!(".{name}.writing-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir_all(&staging).map_err(|e| BundleError::Io(staging.clone(), e))?;
        Ok(BundleWriter {
            out: out.to_path_buf(),
            staging,
            assets,
            written: Written {
                mode: Mode::Embedded,
                files: 0,
                bytes: 0,
            },
            failed: None,
            finished: false,
            site_root: None,
        })
    }

    /// Says where the site's root is from the bundle (`../`), for links that
    /// are the pages' paths from it.
    pub fn set_site_root(&mut self, root: Option<String>) {
        self.site_root = root;
    }

    /// A new scratch file for the streaming build, in the folder being
    /// written (beside the output, where there is room for it), deleted
    /// when closed.
    pub fn scratch_maker(&self) -> impl FnMut() -> io::Result<fs::File> + 'static {
        let dir = self.staging.clone();
        move || tempfile::tempfile_in(&dir)
    }

    fn write(&mut self, relative: &str, bytes: &[u8]) -> Result<(), BundleError> {
        let path = self.staging.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| BundleError::Io(parent.to_path_buf(), e))?;
        }
        fs::write(&path, bytes).map_err(|e| BundleError::Io(path.clone(), e))?;
        self.written.files += 1;
        self.written.bytes += bytes.len() as u64;
        Ok(())
    }

    /// The bundle error behind an I/O error a build passed on: the write
    /// that failed (naming its file), or the error itself.
    pub fn error_of(&mut self, error: io::Error) -> BundleError {
        self.failed
            .take()
            .unwrap_or_else(|| BundleError::Io(self.staging.clone(), error))
    }

    /// The module for a bundle in `mode` whose index `needs` what it does.
    fn module(&self, mode: Mode, needs: Needs) -> EngineModule<'a> {
        match (mode, needs) {
            (Mode::Embedded, Needs::Plain) => self.assets.embedded,
            (Mode::Embedded, Needs::Facets) => self.assets.embedded_facets,
            (Mode::Embedded, Needs::Languages) => self.assets.embedded_languages,
            (Mode::Sharded, Needs::Plain) => self.assets.sharded,
            (Mode::Sharded, Needs::Facets) => self.assets.sharded_facets,
            (Mode::Sharded, Needs::Languages) => self.assets.sharded_languages,
        }
    }

    /// The module's glue and the web client, for a bundle in `mode` whose index `needs` what it does.
    fn write_client(&mut self, mode: Mode, needs: Needs) -> Result<(), BundleError> {
        self.written.mode = mode;
        let module = self.module(mode, needs);
        self.write("engine.js", module.glue.as_bytes())?;
        self.write("widget.js", self.assets.widget.as_bytes())?;
        self.write("highlight.js", self.assets.highlight.as_bytes())?;
        self.write("search.d.ts", self.assets.types.as_bytes())?;
        Ok(())
    }

    /// Writes the client and the module with `index` (its embedded
    /// encoding) in a custom section, and moves the bundle into place;
    /// `needs`: what of the engine its index needs ([`Needs::of`]).
    pub fn finish_embedded(mut self, index: &[u8], needs: Needs) -> Result<Written, BundleError> {
        self.write_client(Mode::Embedded, needs)?;
        let api = self.api(None);
        self.write("search.js", api.as_bytes())?;
        let module = self.module(Mode::Embedded, needs);
        let mut wasm = module.wasm.to_vec();
        append_custom_section(&mut wasm, INDEX_SECTION, index);
        self.write("engine_bg.wasm", &wasm)?;
        self.move_into_place()
    }

    /// Writes the client, the module and `manifest` (whose files are
    /// written already), and moves the bundle into place.
    /// `needs` as for [`BundleWriter::finish_embedded`].
    pub fn finish_sharded(
        mut self,
        manifest: &Manifest,
        needs: Needs,
    ) -> Result<Written, BundleError> {
        self.write_client(Mode::Sharded, needs)?;
        let module = self.module(Mode::Sharded, needs);
        self.write("engine_bg.wasm", module.wasm)?;
        let manifest = serde_json::to_string(manifest)
            .expect("a manifest is plain data and always serializes");
        self.write("manifest.json", manifest.as_bytes())?;
        // search.js carries a copy: one round trip less before the first search.
        let api = self.api(Some(&manifest));
        self.write("search.js", api.as_bytes())?;
        self.move_into_place()
    }

    /// `search.js` with the sharded index's `manifest` (JSON) and the site's
    /// root (see [`BundleWriter::site_root`]) written in.
    fn api(&self, manifest: Option<&str>) -> String {
        let mut api = match manifest {
            Some(manifest) => {
                assert!(
                    self.assets.api.contains(NOT_SHARDED),
                    "search.js has its SHARDED line"
                );
                self.assets
                    .api
                    .replace(NOT_SHARDED, &format!("const SHARDED={manifest};"))
            }
            None => self.assets.embedded_api.to_owned(),
        };
        assert!(
            api.contains(NO_SITE_ROOT),
            "search.js has its SITE_ROOT line"
        );
        if let Some(root) = &self.site_root {
            let root = serde_json::to_string(root).expect("a string serializes");
            api = api.replace(NO_SITE_ROOT, &format!("const SITE_ROOT={root};"));
        }
        api
    }

    fn move_into_place(mut self) -> Result<Written, BundleError> {
        let out = self.out.clone();
        if out.exists() {
            fs::remove_dir_all(&out).map_err(|e| BundleError::Io(out.clone(), e))?;
        }
        fs::rename(&self.staging, &out).map_err(|e| BundleError::Io(out.clone(), e))?;
        self.finished = true;
        Ok(self.written.clone())
    }
}

impl Drop for BundleWriter<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

impl ShardOutput for BundleWriter<'_> {
    /// Stored deflated: hosts serve an unknown type as it is, and the texts
    /// and postings shrink to a third. A texts file is deflated a record
    /// part at a time, as its parts are fetched by range.
    fn store(&mut self, bytes: &[u8]) -> Vec<u8> {
        deflate(bytes)
    }

    fn write_file(&mut self, kind: &str, bytes: Vec<u8>) -> io::Result<String> {
        let name = format!("index/{kind}.{}.bin", content_hash(&bytes));
        match self.write(&name, &bytes) {
            Ok(()) => Ok(name),
            Err(error) => {
                let message = error.to_string();
                self.failed = Some(error);
                Err(io::Error::other(message))
            }
        }
    }
}

fn is_bundle_or_empty(dir: &Path) -> bool {
    dir.join(BUNDLE_MARKER).is_file()
        || fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// A sharded index's file (or a texts file's record part) as stored: raw
/// deflate (RFC 1951), at the strongest level; the module inflates it with
/// `engine::inflate`.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 10)
}

/// A stored file's content, for tools and tests that read a bundle: read
/// back by the module's own inflater, so they read it as browsers will.
pub fn inflate(bytes: &[u8]) -> Option<Vec<u8>> {
    engine::inflate::inflate(bytes, engine::inflate::MAX_PART_BYTES)
}

/// The first 16 hex digits of the SHA-256 of `bytes`: a name that changes
/// whenever the content does, so a file can be cached forever.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Appends a custom section (id 0: a name, then any bytes) to a wasm module.
/// Written here rather than with a wasm-encoding crate: it is a section id,
/// two LEB128 lengths and the bytes, and nothing else in the module changes.
pub fn append_custom_section(wasm: &mut Vec<u8>, name: &str, payload: &[u8]) {
    let mut name_part = Vec::with_capacity(name.len() + 5);
    leb128(&mut name_part, name.len());
    name_part.extend_from_slice(name.as_bytes());
    wasm.push(0);
    leb128(wasm, name_part.len() + payload.len());
    wasm.extend_from_slice(&name_part);
    wasm.extend_from_slice(payload);
}

fn leb128(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}
