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
    /// A sharded index's manifest does not describe a valid index.
    Manifest(&'static str),
}

impl FormatError {
    /// What went wrong and what to do, as [`Display`](fmt::Display) shows it.
    ///
    /// Built by concatenation rather than `write!`, so that the wasm module,
    /// which has no other use for `core::fmt`, does not carry it (about 2 KB).
    pub fn message(&self) -> String {
        match self {
            FormatError::Magic => {
                "not a search index (wrong magic number); rebuild the module".to_string()
            }
            FormatError::Version { expected, got } => [
                "search index format version ",
                &decimal(*got),
                " is not supported (expected ",
                &decimal(*expected),
                "); rebuild the module with this version",
            ]
            .concat(),
            FormatError::Manifest(reason) => [
                "the index's manifest is invalid: ",
                reason,
                "; rebuild the index",
            ]
            .concat(),
            FormatError::Corrupt { offset, reason } => [
                "search index is corrupt at byte ",
                &decimal(*offset as u32),
                ": ",
                reason,
                "; rebuild the module",
            ]
            .concat(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FormatError {}

/// `n` in decimal, without `core::fmt`.
fn decimal(mut n: u32) -> String {
    let mut digits = Vec::with_capacity(10);
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    // Only ASCII digits were pushed.
    String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(decimal(0), "0");
        assert_eq!(decimal(4_294_967_295), "4294967295");
        let error = FormatError::Version {
            expected: 3,
            got: 12,
        };
        assert_eq!(error.to_string(), "search index format version 12 is not supported (expected 3); rebuild the module with this version");
        let error = FormatError::Corrupt {
            offset: 1024,
            reason: "terms are not sorted",
        };
        assert_eq!(
            error.to_string(),
            "search index is corrupt at byte 1024: terms are not sorted; rebuild the module"
        );
    }
}
