//! Article front matter: a small, strict `key: value` block between two `---` lines.
//! Strict so that a typo fails the build (naming the file and line) instead of silently
//! dropping a field; small so that authors need to learn nothing beyond the example in
//! docs/authoring.md.

use crate::calendar::Date;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: String,
    pub summary: String,
    pub date: String,
    pub updated: Option<String>,
    pub category: String,
    pub tags: Vec<String>,
    pub draft: bool,
}

/// A problem at a 1-based line of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

const FIELDS: &str = "title, summary, date, updated, category, tags, draft";
/// Search results and link previews cut descriptions longer than this.
pub const MAX_SUMMARY_CHARS: usize = 200;

/// Splits a file into its front matter and body. Returns the body's byte offset too, so
/// problems found in the body can be reported at the right line of the file.
pub fn parse(text: &str) -> Result<(FrontMatter, usize), LineError> {
    let err = |line: usize, message: String| Err(LineError { line, message });
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return err(
            1,
            "the file must start with a `---` line, then the front matter (see docs/authoring.md)"
                .into(),
        );
    }
    let mut fm = FrontMatter::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut offset = text.split_inclusive('\n').next().map_or(0, str::len);
    let mut line_no = 1;
    let mut closed = false;
    for raw in lines {
        line_no += 1;
        offset += raw.len();
        let line = raw.trim_end();
        if line == "---" {
            closed = true;
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return err(line_no, format!("expected `key: value`, found `{line}`"));
        };
        let key = key.trim();
        let value = unquote(value.trim());
        if seen.contains(&key) {
            return err(line_no, format!("`{key}` is given twice"));
        }
        match key {
            "title" => fm.title = value.to_owned(),
            "summary" => fm.summary = value.to_owned(),
            "category" => fm.category = value.to_owned(),
            "date" => fm.date = date(value, line_no)?,
            "updated" => fm.updated = Some(date(value, line_no)?),
            "tags" => {
                fm.tags = value
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .split(',')
                    .map(|t| unquote(t.trim()).to_lowercase())
                    .filter(|t| !t.is_empty())
                    .collect();
            }
            "draft" => {
                fm.draft = match value {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return err(
                            line_no,
                            format!("draft must be true or false, not `{value}`"),
                        );
                    }
                }
            }
            _ => {
                return err(
                    line_no,
                    format!("unknown field `{key}` (the fields are: {FIELDS})"),
                );
            }
        }
        if value.is_empty() {
            return err(line_no, format!("`{key}` is empty"));
        }
        seen.push(key);
    }
    if !closed {
        return err(
            line_no,
            "the front matter is not closed with a `---` line".into(),
        );
    }
    for required in ["title", "summary", "date", "category", "tags"] {
        if !seen.contains(&required) {
            return err(1, format!("missing field `{required}`"));
        }
    }
    if fm.summary.chars().count() > MAX_SUMMARY_CHARS {
        let line = line_of_key(text, "summary");
        return err(
            line,
            format!(
                "summary is {} characters; keep it under {MAX_SUMMARY_CHARS}",
                fm.summary.chars().count()
            ),
        );
    }
    if let Some(updated) = &fm.updated
        && updated < &fm.date
    {
        return err(
            line_of_key(text, "updated"),
            format!("updated ({updated}) is before date ({})", fm.date),
        );
    }
    Ok((fm, offset))
}

fn date(value: &str, line: usize) -> Result<String, LineError> {
    match Date::parse_iso(value) {
        Some(d) => Ok(d.to_string()),
        None => Err(LineError {
            line,
            message: format!("`{value}` is not a date like 2025-10-22"),
        }),
    }
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: Massage: what helps\nsummary: \"A short summary.\"\ndate: 2025-10-22\nupdated: 2026-11-20\ncategory: Back pain\ntags: Back Pain, sciatica\n---\n## Body\n";

    #[test]
    fn reads_fields_and_finds_the_body() {
        let (fm, body) = parse(GOOD).unwrap();
        assert_eq!(fm.title, "Massage: what helps");
        assert_eq!(fm.summary, "A short summary.");
        assert_eq!(fm.updated.as_deref(), Some("2026-11-20"));
        assert_eq!(fm.tags, ["back pain", "sciatica"]);
        assert!(!fm.draft);
        assert_eq!(&GOOD[body..], "## Body\n");
    }

    fn fails(text: &str) -> (usize, String) {
        let e = parse(text).unwrap_err();
        (e.line, e.message)
    }

    #[test]
    fn each_kind_of_mistake_names_its_line() {
        let (line, msg) = fails(&GOOD.replace("title: Massage: what helps\n", ""));
        assert_eq!((line, msg.as_str()), (1, "missing field `title`"));
        let (line, msg) = fails(&GOOD.replace("date: 2025-10-22", "date: 22/10/2025"));
        assert_eq!(line, 4);
        assert!(msg.contains("not a date"), "{msg}");
        let (line, msg) = fails(&GOOD.replace("category:", "categry:"));
        assert_eq!(line, 6);
        assert!(msg.contains("unknown field `categry`"), "{msg}");
        let (line, msg) = fails(&GOOD.replace("updated: 2026-11-20", "updated: 2024-01-01"));
        assert_eq!(line, 5);
        assert!(msg.contains("before date"), "{msg}");
        let (_, msg) = fails(&GOOD.replace("---\n## Body\n", ""));
        assert!(msg.contains("not closed"), "{msg}");
        let (line, _) = fails(&GOOD.replacen("---\n", "", 1));
        assert_eq!(line, 1);
        let (line, msg) =
            fails(&GOOD.replace("category: Back pain", "category: Back pain\ncategory: Neck"));
        assert_eq!(line, 7);
        assert!(msg.contains("twice"), "{msg}");
        let (_, msg) = fails(&GOOD.replace("A short summary.", &"x".repeat(201)));
        assert!(msg.contains("under 200"), "{msg}");
        let (_, msg) =
            fails(&GOOD.replace("category: Back pain", "draft: maybe\ncategory: Back pain"));
        assert!(msg.contains("true or false"), "{msg}");
        let (_, msg) = fails(&GOOD.replace("category: Back pain", "category:"));
        assert!(msg.contains("`category` is empty"), "{msg}");
    }
}
