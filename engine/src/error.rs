use std::fmt;

/// Why bytes could not be decoded as an index.
///
/// The index is embedded in the wasm module at build time, so in practice this
/// means the module was built from a corrupt or foreign file: rebuild it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with the index magic number.
    Magic,
    /// The index was written by a different format version than this code reads.
    Version { expected: u32, got: u32 },
    /// A length, offset or value is inconsistent at `offset` (bytes from the start).
    Corrupt { offset: usize, reason: &'static str },
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Magic => write!(f, "not a search index (wrong magic number); rebuild the module"),
            FormatError::Version { expected, got } => write!(
                f,
                "search index format version {got} is not supported (expected {expected}); rebuild the module with this version"
            ),
            FormatError::Corrupt { offset, reason } => {
                write!(f, "search index is corrupt at byte {offset}: {reason}; rebuild the module")
            }
        }
    }
}

impl std::error::Error for FormatError {}
