//! Certain fixes: edits that facts attach to their witnesses, applied by `check --fix` or shown
//! by `check --fix --diff`. A fix never touches a file modelgate could not parse.

use crate::facts::{Witness, WitnessFix};
use std::collections::BTreeMap;
use std::path::Path;

pub use crate::finding::Edit;

/// The edit a witness's fix makes. A replacement needs the witness's file and range: without
/// them there is no certain place to edit, so no fix.
pub fn from_witness(w: &Witness) -> Option<Edit> {
    match w.fix.as_ref()? {
        WitnessFix::Replace(text) => {
            let (path, r) = (w.path.as_ref()?, w.range.as_ref()?);
            Some(Edit::Replace {
                path: path.clone(),
                start: r.start,
                end: r.end,
                text: text.clone(),
            })
        }
        WitnessFix::Create { path, content } => Some(Edit::Create {
            path: path.clone(),
            content: content.clone(),
        }),
        WitnessFix::Append { path, text } => Some(Edit::Append {
            path: path.clone(),
            text: text.clone(),
        }),
    }
}

/// The files a set of edits changes: path → (text before, text after). `current` gives a
/// parsed document's text (`None` for a file that is not a parsed document: its `Replace`
/// edits are dropped). Overlapping edits keep the first.
pub fn plan(
    edits: &[Edit],
    root: &Path,
    current: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, (Option<String>, String)> {
    let mut by_file: BTreeMap<String, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        by_file.entry(e.path().to_string()).or_default().push(e);
    }
    let mut out = BTreeMap::new();
    for (path, mut list) in by_file {
        list.sort();
        list.dedup();
        // read inside the root only, never through a link the repository holds
        let on_disk = crate::fsys::read_inside(root, &path, MAX_FIXED)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        let mut replaces: Vec<(usize, usize, &str)> = Vec::new();
        let mut text: Option<String> = None;
        for e in list {
            match e {
                Edit::Replace {
                    start,
                    end,
                    text: t,
                    ..
                } => {
                    let Some(doc) = current(&path) else { continue };
                    // the file changed since it was read, or was read only in part: leave it
                    if on_disk.as_deref() != Some(doc.as_str())
                        || *end > doc.len()
                        || !doc.is_char_boundary(*start)
                        || !doc.is_char_boundary(*end)
                    {
                        continue;
                    }
                    if replaces
                        .iter()
                        .any(|(s, e2, _)| *start < *e2 && *s < *end || *start == *s)
                    {
                        continue;
                    }
                    replaces.push((*start, *end, t));
                    text.get_or_insert(doc);
                }
                Edit::Create { content, .. } => {
                    if on_disk.is_none() && std::fs::symlink_metadata(root.join(&path)).is_err() {
                        text = Some(content.clone());
                    }
                }
                Edit::Append { text: add, .. } => {
                    let base = text.take().or_else(|| on_disk.clone()).unwrap_or_default();
                    if add
                        .lines()
                        .all(|l| base.lines().any(|b| b.trim() == l.trim()))
                    {
                        text = Some(base);
                        continue;
                    }
                    let mut t = base;
                    if !t.is_empty() && !t.ends_with('\n') {
                        t.push('\n');
                    }
                    t.push_str(add);
                    if !t.ends_with('\n') {
                        t.push('\n');
                    }
                    text = Some(t);
                }
            }
        }
        let Some(mut new) = text else { continue };
        replaces.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (s, e, t) in replaces {
            new.replace_range(s..e, t);
        }
        if on_disk.as_deref() != Some(new.as_str()) {
            out.insert(path, (on_disk, new));
        }
    }
    out
}

/// Files `--fix` reads and writes are at most this large.
const MAX_FIXED: u64 = 16 << 20;

/// Writes the planned files, each atomically and inside the root only (`fsys::write_inside`: a
/// new temporary file in the same folder, renamed over a regular file). A file that cannot be
/// written safely (a link, a FIFO, a folder on the way that is a link) is left alone and named
/// in the second list; the others are written.
pub fn apply(
    root: &Path,
    planned: &BTreeMap<String, (Option<String>, String)>,
) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut refused = Vec::new();
    for (path, (_, new)) in planned {
        match crate::fsys::write_inside(root, path, new.as_bytes()) {
            Ok(()) => n += 1,
            Err(e) => refused.push(format!("`{path}`: {e}")),
        }
    }
    (n, refused)
}

/// A unified diff of one file (`a/` and `b/` prefixes, three lines of context).
pub fn unified_diff(path: &str, old: Option<&str>, new: &str) -> String {
    let a: Vec<&str> = old.map(|o| o.lines().collect()).unwrap_or_default();
    let b: Vec<&str> = new.lines().collect();
    let ops = line_diff(&a, &b);
    let mut out = String::new();
    out.push_str(&format!(
        "--- {}\n+++ b/{path}\n",
        if old.is_some() {
            format!("a/{path}")
        } else {
            "/dev/null".into()
        }
    ));
    // group operations into hunks with three lines of context
    let changes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    let mut i = 0;
    while i < changes.len() {
        let start = changes[i].saturating_sub(3);
        let mut end = (changes[i] + 4).min(ops.len());
        let mut j = i + 1;
        while j < changes.len() && changes[j] <= end + 3 {
            end = (changes[j] + 4).min(ops.len());
            j += 1;
        }
        let (mut a0, mut b0) = (0, 0);
        for o in &ops[..start] {
            match o {
                Op::Same(..) => {
                    a0 += 1;
                    b0 += 1;
                }
                Op::Del(_) => a0 += 1,
                Op::Add(_) => b0 += 1,
            }
        }
        let (mut an, mut bn) = (0, 0);
        let mut body = String::new();
        for o in &ops[start..end] {
            match o {
                Op::Same(x, _) => {
                    an += 1;
                    bn += 1;
                    body.push_str(&format!(" {}\n", a[*x]));
                }
                Op::Del(x) => {
                    an += 1;
                    body.push_str(&format!("-{}\n", a[*x]));
                }
                Op::Add(y) => {
                    bn += 1;
                    body.push_str(&format!("+{}\n", b[*y]));
                }
            }
        }
        let a_start = if an == 0 { a0 } else { a0 + 1 };
        let b_start = if bn == 0 { b0 } else { b0 + 1 };
        out.push_str(&format!("@@ -{a_start},{an} +{b_start},{bn} @@\n{body}"));
        i = j;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    Del(usize),
    Add(usize),
}

/// Longest-common-subsequence line diff; files larger than the table allows become one hunk.
fn line_diff(a: &[&str], b: &[&str]) -> Vec<Op> {
    // trim the common head and tail, which is most of a file for small fixes
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<Op> = (0..head).map(|i| Op::Same(i, i)).collect();
    if am.len().saturating_mul(bm.len()) > 4_000_000 {
        ops.extend((0..am.len()).map(|i| Op::Del(head + i)));
        ops.extend((0..bm.len()).map(|j| Op::Add(head + j)));
    } else {
        let (n, m) = (am.len(), bm.len());
        let mut t = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                t[i][j] = if am[i] == bm[j] {
                    t[i + 1][j + 1] + 1
                } else {
                    t[i + 1][j].max(t[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same(head + i, head + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || t[i + 1][j] >= t[i][j + 1]) {
                ops.push(Op::Del(head + i));
                i += 1;
            } else {
                ops.push(Op::Add(head + j));
                j += 1;
            }
        }
    }
    let (a_off, b_off) = (a.len() - tail, b.len() - tail);
    ops.extend((0..tail).map(|k| Op::Same(a_off + k, b_off + k)));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_of_a_one_line_change() {
        let old = "---\nlicense: Apache-2.0\nlanguage: [en]\n---\n# M\n";
        let new = "---\nlicense: apache-2.0\nlanguage: [en]\n---\n# M\n";
        assert_eq!(
            unified_diff("README.md", Some(old), new),
            "--- a/README.md\n+++ b/README.md\n@@ -1,5 +1,5 @@\n ---\n-license: Apache-2.0\n+license: apache-2.0\n language: [en]\n ---\n # M\n"
        );
    }

    #[test]
    fn a_replacement_needs_a_file_and_a_range() {
        let fix = WitnessFix::Replace("license: mit\n".into());
        let placed = Witness::span("README.md", 4..4).with_fix(fix.clone());
        assert_eq!(
            from_witness(&placed),
            Some(Edit::Replace {
                path: "README.md".into(),
                start: 4,
                end: 4,
                text: "license: mit\n".into()
            })
        );
        // a whole-file witness has no certain place to put the text: no fix
        assert_eq!(
            from_witness(&Witness::file("README.md").with_fix(fix)),
            None
        );
        // control data is never a template variable a rule's message could print
        let created = Witness::file("LICENSE").with_fix(WitnessFix::Create {
            path: "NOTICE".into(),
            content: "x\n".into(),
        });
        assert!(created.vars.is_empty());
        assert!(matches!(from_witness(&created), Some(Edit::Create { .. })));
    }

    #[test]
    fn diff_of_a_new_file() {
        assert_eq!(
            unified_diff("NOTICE", None, "a\nb\n"),
            "--- /dev/null\n+++ b/NOTICE\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        );
    }
}
