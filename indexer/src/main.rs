//! `site-search-index`: indexes a folder of HTML, Markdown and text files and
//! writes the search bundle a site deploys. It carries the engine's compiled
//! wasm module, so indexing runs no Rust toolchain.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use engine::{format, IndexBuilder, ShardSizes};
use indexer::bundle::{
    write_bundle, EngineAssets, EngineModule, IndexForm, AUTO_SHARD_ABOVE_BYTES,
};
use indexer::corpus::{load_dir_with_progress, LoadOptions, Skipped, DEFAULT_MAX_FILE_BYTES};
use indicatif::{ProgressBar, ProgressStyle};

/// The engine's files, compiled once with the indexer (`indexer/build.rs`).
const ASSETS: EngineAssets<'static> = EngineAssets {
    embedded: EngineModule {
        wasm: include_bytes!(concat!(
            env!("SITE_SEARCH_ENGINE_DIR"),
            "/embedded/engine_bg.wasm"
        )),
        glue: include_str!(concat!(
            env!("SITE_SEARCH_ENGINE_DIR"),
            "/embedded/engine.js"
        )),
    },
    sharded: EngineModule {
        wasm: include_bytes!(concat!(
            env!("SITE_SEARCH_ENGINE_DIR"),
            "/sharded/engine_bg.wasm"
        )),
        glue: include_str!(concat!(
            env!("SITE_SEARCH_ENGINE_DIR"),
            "/sharded/engine.js"
        )),
    },
    api: include_str!(concat!(env!("SITE_SEARCH_ENGINE_DIR"), "/search.js")),
    widget: include_str!(concat!(env!("SITE_SEARCH_ENGINE_DIR"), "/widget.js")),
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
    /// `https://example.com/docs/`.
    #[arg(long, value_name = "URL", default_value = "/")]
    base_url: String,
    /// `embedded`: one module with the index inside (small sites);
    /// `sharded`: an index fetched in pieces as searches need them (large
    /// sites); `auto`: by the index's size.
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    mode: ModeArg,
    /// Index only files with these extensions, e.g. `html,htm` for a site
    /// whose .txt files are not pages [default: html,htm,md,markdown,txt].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    extensions: Option<Vec<String>>,
    /// The largest document file, in megabytes.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MAX_FILE_BYTES / 1_000_000)]
    max_file_mb: u64,
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

fn run(args: &Args) -> Result<(), String> {
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
    let options = LoadOptions {
        base_url: args.base_url.clone(),
        max_file_bytes,
        exclude: Some(output.clone()),
        extensions: args.extensions.as_ref().map(|list| {
            list.iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .collect()
        }),
    };

    let progress = spinner(args.quiet);
    progress.set_message("reading");
    let mut read = 0u64;
    let corpus = load_dir_with_progress(&args.input_dir, &options, &mut |document| {
        read += 1;
        progress.set_position(read);
        progress.set_message(document.id.clone());
    })
    .map_err(|e| e.to_string())?;
    progress.suspend(|| report_skipped(&args.input_dir, &corpus.skipped, args.verbose));
    let documents = corpus.documents.len();
    let text_bytes: usize = corpus
        .documents
        .iter()
        .map(|d| d.title.len() + d.body.len())
        .sum();

    progress.set_message("indexing");
    let mut builder = IndexBuilder::new();
    for document in corpus.documents {
        builder.add(document);
    }
    let index = builder.build();
    // The embedded encoding: the bundle's index in embedded mode, and how
    // auto mode measures the index; not made when sharding is asked for.
    let form = match args.mode {
        ModeArg::Sharded => IndexForm::Sharded,
        ModeArg::Embedded => IndexForm::Embedded(format::encode(&index)),
        // An index whose texts alone are over the threshold is sharded
        // without making its embedded encoding (hundreds of megabytes for a
        // large site, only to be measured).
        ModeArg::Auto if index.text_bytes() > AUTO_SHARD_ABOVE_BYTES => IndexForm::Sharded,
        ModeArg::Auto => IndexForm::by_size(format::encode(&index)),
    };
    let mode = form.mode();
    progress.set_message(format!("writing the {mode} bundle"));
    let terms = index.term_count();
    let written = write_bundle(&output, &index, form, &ASSETS, &ShardSizes::default())
        .map_err(|e| e.to_string())?;
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
        println!(
            "Add to your pages: <script type=\"module\" src=\"{}widget.js\"></script> <site-search></site-search>",
            widget_path(&args.input_dir, &output)
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
