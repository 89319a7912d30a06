//! The indexer: the only part of the project that reads files and parses
//! HTML and Markdown. It turns a site's folder into [`engine::SourceDocument`]s
//! ([`corpus::load_dir`]) for the engine's builder, and writes the folder a
//! site deploys ([`bundle::write_bundle`]). The `site-search-index` command
//! (`src/main.rs`) and the root package's build script are its two users.

pub mod bundle;
pub mod corpus;
