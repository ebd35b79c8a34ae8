//! One error type for every content file, so that a broken file always fails the build with
//! the same shape of message: `path:line: what is wrong`.

use std::fmt;

/// A problem in a content file, shown as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file as the author knows it, e.g. `content/services.toml`.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong, in words the author can act on.
    pub message: String,
}

impl ContentError {
    /// An error in `file` (as the author knows it), at `line` when there is one.
    pub fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }

    /// Wraps a TOML parse error, keeping the line it points at.
    pub fn from_toml(file: &str, text: &str, error: &toml::de::Error) -> Self {
        let line = error.span().map(|span| line_of_offset(text, span.start));
        Self::new(file, line, error.message().trim().to_owned())
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ContentError {}

/// 1-based line number of a byte offset.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// 1-based line of the first line containing `needle`, used to point semantic errors (which
/// serde cannot locate) at the entry they are about.
pub fn line_containing(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}
