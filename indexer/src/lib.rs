//! The indexer: the only part of the project that reads files and parses
//! HTML and Markdown. It turns a site's folder into [`engine::SourceDocument`]s
//! ([`corpus::load_dir`]) for the engine's builder.

pub mod corpus;
