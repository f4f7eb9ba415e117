//! Reporters: one finding model, several renderings.

pub mod human;
pub mod json;

use crate::finding::Finding;

/// The line and column a finding is shown at: its region, or 1:1 for a file, or none for the
/// repository.
pub fn position(f: &Finding) -> Option<(usize, usize, usize, usize)> {
    match (&f.path, &f.region) {
        (None, _) => None,
        (Some(_), Some(r)) => Some((r.line, r.column, r.end_line, r.end_column)),
        (Some(_), None) => Some((1, 1, 1, 1)),
    }
}
