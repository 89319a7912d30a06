//! `site-search-index`: indexes a folder of HTML, Markdown and text files and
//! writes the search bundle a site deploys. It carries the engine's compiled
//! wasm module, so indexing runs no Rust toolchain.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use engine::{format, IndexBuilder, Scratch, ShardSizes, StreamingBuilder, DEFAULT_MEMORY_BUDGET};
use indexer::bundle::{
    write_bundle, BundleWriter, EngineAssets, EngineModule, IndexForm, Needs,
    AUTO_SHARD_ABOVE_BYTES,
};
use indexer::corpus::{
    exclude_selectors, visit_documents, LoadOptions, Skipped, DEFAULT_MAX_FILE_BYTES,
};
use indicatif::{ProgressBar, ProgressStyle};

/// A module `make engine` built into its folder of the engine's files.
macro_rules! engine_module {
    ($folder:literal) => {
        EngineModule {
            wasm: include_bytes!(concat!(
                env!("SITE_SEARCH_ENGINE_DIR"),
                "/",
                $folder,
                "/engine_bg.wasm"
            )),
            glue: include_str!(concat!(
                env!("SITE_SEARCH_ENGINE_DIR"),
                "/",
                $folder,
                "/engine.js"
            )),
        }
    };
}

/// The engine's files, compiled once with the indexer (`indexer/build.rs`).
const ASSETS: EngineAssets<'static> = EngineAssets {
    embedded: engine_module!("embedded"),
    embedded_facets: engine_module!("embedded-facets"),
    embedded_languages: engine_module!("embedded-languages"),
    sharded: engine_module!("sharded"),
    sharded_facets: engine_module!("sharded-facets"),
    sharded_languages: engine_module!("sharded-languages"),
    api: include_str!(concat!(env!("SITE_SEARCH_ENGINE_DIR"), "/search.js")),
    embedded_api: include_str!(concat!(
        env!("SITE_SEARCH_ENGINE_DIR"),
        "/search-embedded.js"
    )),
    widget: include_str!(concat!(env!("SITE_SEARCH_ENGINE_DIR"), "/widget.js")),
    highlight: include_str!(concat!(env!("SITE_SEARCH_ENGINE_DIR"), "/highlight.js")),
    types: include_str!(concat!(env!("SITE_SEARCH_ENGINE_DIR"), "/search.d.ts")),
};

/// Index a folder of .html, .md and .txt files into a search bundle: a folder
/// to deploy with the site, holding the <site-search> widget, the search
/// engine and the index.
#[derive(Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// The site's folder, read recursively.
    input_dir: PathBuf,
    /// Where to write the bundle [default: INPUT_DIR/search]. An earlier
    /// bundle there is replaced; any other non-empty folder is refused.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Put before each document's path to make its link, e.g. `/` or
    /// `https://example.com/docs/` [default: none: links are the pages'
    /// paths from the site's root, which the bundle finds from where it sits
    /// (`../` from INPUT_DIR/search/), so they work at the domain's root or
    /// under any path; `/` when the output is outside INPUT_DIR].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// `embedded`: one module with the index inside (small sites);
    /// `sharded`: an index fetched in pieces as searches need them (large
    /// sites); `auto`: by the index's size.
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    mode: ModeArg,
    /// Index only files with these extensions, e.g. `html,htm` for a site
    /// whose .txt files are not pages [default: html,htm,md,markdown,txt].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    extensions: Option<Vec<String>>,
    /// Parts of HTML pages not to index, as a CSS selector (repeatable), e.g.
    /// `--exclude-selectors '.sidebar, #comments'`. Also left out: `nav`,
    /// `header`, `footer`, scripts, and elements marked
    /// `data-site-search-ignore`; only a page's `data-site-search-body`
    /// elements are indexed when it has any.
    #[arg(long, value_name = "CSS")]
    exclude_selectors: Vec<String>,
    /// The largest document file, in megabytes.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MAX_FILE_BYTES / 1_000_000)]
    max_file_mb: u64,
    /// Memory for postings, in megabytes (MiB): past it, a sharded build
    /// spills them to scratch files beside the output and merges them at
    /// the end, so a larger site needs more disk, not more memory.
    #[arg(long, value_name = "MB", default_value_t = (DEFAULT_MEMORY_BUDGET >> 20) as u64)]
    memory_mb: u64,
    /// The language of pages that name none (`<html lang>`, front matter's
    /// `lang`, a path like `fr/…` or `page.fr.html`), e.g. `fr` or `ja`:
    /// which stemmer their words get.
    #[arg(long, value_name = "CODE", default_value = "en")]
    language: String,
    /// Print only errors and warnings.
    #[arg(short, long)]
    quiet: bool,
    /// Name every file skipped (by default: a count per reason and a few examples).
    #[arg(short, long)]
    verbose: bool,
}

const AFTER_HELP: &str = "\
Then add to your pages:
  <script type=\"module\" src=\"/search/widget.js\"></script>
  <site-search></site-search>";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    Auto,
    Embedded,
    Sharded,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The index while the site is read: documents held until the mode is
/// known, then streamed into a sharded bundle as they are read.
enum Building<'a> {
    Held(IndexBuilder),
    Streaming(Box<StreamingBuilder<BundleWriter<'a>>>),
}

fn run(args: &Args) -> Result<(), Box<dyn Error>> {
    let started = Instant::now();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.input_dir.join("search"));
    let max_file_bytes = args
        .max_file_mb
        .checked_mul(1_000_000)
        .filter(|&b| b > 0)
        .ok_or("--max-file-mb must be a whole number of megabytes from 1 up")?;
    let memory_budget = usize::try_from(args.memory_mb)
        .ok()
        .and_then(|mb| mb.checked_mul(1 << 20))
        .filter(|&b| b > 0)
        .ok_or("--memory-mb must be a whole number of megabytes from 1 up")?;
    // Links from the site's root, found from the bundle's place in it; `/`
    // when the bundle is not in the site's folder (where it will be served
    // from is then unknown).
    let site_root = match &args.base_url {
        Some(_) => None,
        None => site_root_from(&args.input_dir, &output),
    };
    let base_url = match (&args.base_url, &site_root) {
        (Some(base), _) => base.clone(),
        (None, Some(_)) => String::new(),
        (None, None) => "/".to_owned(),
    };
    let options = LoadOptions {
        base_url,
        max_file_bytes,
        exclude: Some(output.clone()),
        extensions: args.extensions.as_ref().map(|list| {
            list.iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .collect()
        }),
        exclude_selectors: exclude_selectors(&args.exclude_selectors)
            .map_err(|e| format!("--exclude-selectors: {e}"))?,
        language: match engine::analysis::language_code(&args.language) {
            code if code.is_empty() => {
                return Err(format!(
                    "--language {:?} is not a language code: give one like `en`, `fr` or `pt-BR`",
                    args.language
                )
                .into())
            }
            code => code,
        },
    };

    let progress = spinner(args.quiet);
    progress.set_message("reading");
    let (mut documents, mut text_bytes) = (0u64, 0usize);
    let mut building = Building::Held(IndexBuilder::new());
    let skipped = visit_documents(&args.input_dir, &options, &mut |document| {
        documents += 1;
        text_bytes += document.title.len() + document.body.len();
        progress.set_position(documents);
        progress.set_message(document.id.clone());
        match &mut building {
            Building::Streaming(streaming) => streaming.add(document)?,
            Building::Held(held) => {
                held.add(document);
                // Sharded, asked for or by size: from here on each document
                // goes into its files as it is read. An index whose texts
                // alone pass the threshold is sharded without making its
                // embedded encoding (hundreds of megabytes for a large site,
                // only to be measured).
                let shard = match args.mode {
                    ModeArg::Sharded => true,
                    ModeArg::Auto => held.text_bytes() > AUTO_SHARD_ABOVE_BYTES,
                    ModeArg::Embedded => false,
                };
                if shard {
                    let mut writer = BundleWriter::begin(&output, &ASSETS)?;
                    writer.set_site_root(site_root.clone());
                    let mut scratch = writer.scratch_maker();
                    let mut streaming = StreamingBuilder::new(
                        writer,
                        ShardSizes::default(),
                        memory_budget,
                        Box::new(move || Ok(Box::new(scratch()?) as Box<dyn Scratch>)),
                    );
                    for document in std::mem::take(held).into_documents() {
                        streaming.add(document)?;
                    }
                    building = Building::Streaming(Box::new(streaming));
                }
            }
        }
        Ok::<(), Box<dyn Error>>(())
    })?;
    progress.suspend(|| report_skipped(&args.input_dir, &skipped, args.verbose));

    let (terms, written, runs, languages) = match building {
        Building::Streaming(streaming) => {
            let summary = streaming.finish(&mut |stage| progress.set_message(stage.to_string()))?;
            let written = summary.output.finish_sharded(
                &summary.manifest,
                Needs::of(summary.page_facts, &summary.manifest.languages),
            )?;
            (
                summary.terms,
                written,
                summary.runs,
                summary.manifest.languages,
            )
        }
        Building::Held(mut held) => {
            progress.set_message("indexing");
            let index = held.build();
            // The embedded encoding: the bundle's index in embedded mode,
            // and how auto mode measures a small site's index.
            let form = match args.mode {
                ModeArg::Embedded => IndexForm::Embedded(format::encode(&index)),
                _ => IndexForm::by_size(format::encode(&index)),
            };
            progress.set_message(format!("writing the {} bundle", form.mode()));
            let written = write_bundle(
                &output,
                &index,
                form,
                &ASSETS,
                &ShardSizes::default(),
                site_root.clone(),
            )?;
            (index.term_count(), written, 0, index.languages().to_vec())
        }
    };
    progress.finish_and_clear();

    if !args.quiet {
        println!(
            "Indexed {documents} documents ({} of text, {terms} terms) into {} in {}: \
             {} files, {} ({} mode). Peak memory {}.",
            size(text_bytes as u64),
            output.display(),
            seconds(started.elapsed()),
            written.files,
            size(written.bytes),
            written.mode,
            indexer::peak_memory().map_or("unknown".into(), size),
        );
        if !languages.is_empty() {
            println!(
                "Pages stemmed in: {} (the most pages' first; queries are read in each, \
                 or in the page's own language).",
                languages.join(", ")
            );
        }
        if runs > 0 {
            println!(
                "Postings past --memory-mb went to {runs} scratch runs on disk, merged at the end."
            );
        }
        println!(
            "Add to your pages: <script type=\"module\" src=\"{}widget.js\"></script> <site-search></site-search>",
            widget_path(&args.input_dir, &output)
        );
    }
    if args.base_url.is_none() && site_root.is_none() {
        // Said even with --quiet: the links may be wrong for this site.
        eprintln!(
            "note: the bundle is not inside {}, so where the site's root is from it is unknown: \
             links start with /, right for a site at its domain's root. Otherwise index again \
             with --base-url (e.g. --base-url /docs/ or --base-url https://example.com/docs/).",
            args.input_dir.display()
        );
    }
    Ok(())
}

/// Says what was skipped: every file with `verbose`; else, per reason, how
/// many and the first few (a real site skips hundreds of images and scripts).
fn report_skipped(input: &Path, skipped: &[Skipped], verbose: bool) {
    const EXAMPLES: usize = 3;
    let mut reasons: Vec<&str> = skipped.iter().map(|s| s.reason).collect();
    reasons.sort_unstable();
    reasons.dedup();
    for reason in reasons {
        let paths: Vec<_> = skipped.iter().filter(|s| s.reason == reason).collect();
        let shown = if verbose { paths.len() } else { EXAMPLES };
        for skipped in paths.iter().take(shown) {
            eprintln!(
                "warning: skipped {}: {reason}",
                input.join(&skipped.path).display()
            );
        }
        if paths.len() > shown {
            eprintln!(
                "warning: … and {} more skipped for the same reason (--verbose names them all)",
                paths.len() - shown
            );
        }
    }
}

/// A spinner with a count, on standard error; hidden when quiet or not a terminal.
fn spinner(quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents, {elapsed}: {wide_msg}")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Where the widget is served from, as a site-relative path, when the bundle
/// is inside the site's folder; else a placeholder.
/// Where `input` (the site's root) is from `output` (the bundle), as a
/// relative URL (`../`, `../../`), when the bundle is inside the site;
/// None otherwise, or when that cannot be told (the output's parent folder
/// does not exist yet).
fn site_root_from(input: &Path, output: &Path) -> Option<String> {
    let input = input.canonicalize().ok()?;
    // The output may not exist yet: its parent does (or it is made inside the input).
    let (parent, name) = (output.parent()?, output.file_name()?);
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let output = parent.canonicalize().ok()?.join(name);
    let depth = output.strip_prefix(&input).ok()?.components().count();
    (depth > 0).then(|| "../".repeat(depth))
}

fn widget_path(input: &Path, output: &Path) -> String {
    let (Ok(input), Ok(output)) = (input.canonicalize(), output.canonicalize()) else {
        return "/search/".into();
    };
    match output.strip_prefix(&input) {
        Ok(relative) => {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("/{}/", parts.join("/"))
        }
        Err(_) => "/path/to/search/".into(),
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{:.1} KB", b as f64 / 1e3),
        b => format!("{b} B"),
    }
}

fn seconds(elapsed: Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64())
}
