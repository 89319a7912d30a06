//! The indexer: the only part of the project that reads files and parses
//! HTML and Markdown. It turns a site's folder into [`engine::SourceDocument`]s
//! ([`corpus::load_dir`]) for the engine's builder, and writes the folder a
//! site deploys ([`bundle::write_bundle`]). The `site-search-index` command
//! (`src/main.rs`) and the root package's build script are its two users.

pub mod bundle;
pub mod corpus;

/// The peak resident memory of this process so far (Linux's `VmHWM` in
/// /proc/self/status); None elsewhere. The command's summary reports it, and
/// the benchmarks' `index_folder` example.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}
