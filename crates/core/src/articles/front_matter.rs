//! Article front matter: the YAML block between two `---` lines, as Jekyll, Hugo, Eleventy
//! and most blog engines write it, read with a real YAML parser (serde_yaml), so quoting and
//! escapes mean what YAML says (`"a \" b"` is `a " b`). An article pasted from another
//! engine builds: the fields those engines write are understood (`description` is the
//! summary, `lastmod` the update, `categories` the category) or, when the site has no use
//! for them (`author`, `layout`, `image`, `read_minutes`...), ignored with a warning naming
//! the file and line. Mistakes in the fields the site uses fail the build, naming the line.

use crate::calendar::Date;
use serde_yaml::{Mapping, Value};

/// The fields of an article's front matter that the site uses, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// The article's heading and page title.
    pub title: String,
    /// One or two sentences for the library card and the meta description.
    pub summary: String,
    /// The publication date, ISO (`2025-10-22`).
    pub date: String,
    /// When the article was last revised, ISO, if it has been.
    pub updated: Option<String>,
    /// The one category the library filters by.
    pub category: String,
    /// Topics the library can filter by.
    pub tags: Vec<String>,
    /// A draft is checked like any article but never published.
    pub draft: bool,
    /// Fields the site does not use: the build says so, and goes on.
    pub warnings: Vec<LineError>,
}

/// A problem at a 1-based line of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong, for the author.
    pub message: String,
}

const FIELDS: &str = "title, summary, date, updated, category, tags, draft";
/// Search results and link previews cut descriptions longer than this.
pub const MAX_SUMMARY_CHARS: usize = 200;

/// Each field the site reads, with the other names engines give it (first one wins when a
/// file has two).
const NAMES: [(&str, &[&str]); 7] = [
    ("title", &["title"]),
    ("summary", &["summary", "description", "excerpt"]),
    ("date", &["date"]),
    (
        "updated",
        &["updated", "lastmod", "last_modified_at", "modified"],
    ),
    ("category", &["category", "categories"]),
    ("tags", &["tags", "keywords"]),
    ("draft", &["draft", "published"]),
];

/// Splits a file into its front matter and body. Returns the body's byte offset too, so
/// problems found in the body can be reported at the right line of the file.
pub fn parse(text: &str) -> Result<(FrontMatter, usize), LineError> {
    let err = |line: usize, message: String| Err(LineError { line, message });
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        return err(
            1,
            "the file must start with a `---` line, then the front matter (see docs/authoring.md)"
                .into(),
        );
    }
    let start = first.len();
    let mut offset = start;
    let mut line_no = 1;
    let mut end = None;
    for raw in lines {
        line_no += 1;
        if raw.trim_end() == "---" {
            end = Some(offset);
            offset += raw.len();
            break;
        }
        offset += raw.len();
    }
    let Some(end) = end else {
        return err(
            line_no,
            "the front matter is not closed with a `---` line".into(),
        );
    };
    let yaml = &text[start..end];
    let fields = Fields::parse(yaml)?;
    let fm = fields.front_matter()?;
    Ok((fm, offset))
}

/// The YAML mapping with where each key is, for messages.
struct Fields<'a> {
    yaml: &'a str,
    map: Mapping,
}

impl<'a> Fields<'a> {
    fn parse(yaml: &'a str) -> Result<Self, LineError> {
        let value: Value = serde_yaml::from_str(yaml).map_err(|e| LineError {
            // The YAML starts on the file's second line. The parser places a key given twice
            // at the start of the block: point at the second one instead.
            line: duplicate_line(yaml, &e)
                .or(e.location().map(|l| l.line() + 1))
                .unwrap_or(1),
            message: yaml_message(&e),
        })?;
        let map = match value {
            Value::Mapping(map) => map,
            Value::Null => Mapping::new(),
            _ => {
                return Err(LineError {
                    line: 2,
                    message: "the front matter must be `field: value` lines".into(),
                });
            }
        };
        Ok(Self { yaml, map })
    }

    /// The file line of top-level `key:` (the first line of the block if it is not found).
    fn line(&self, key: &str) -> usize {
        self.yaml
            .lines()
            .position(|l| {
                let l = l.trim_start_matches(['"', '\'']);
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
            })
            .map_or(2, |i| i + 2)
    }

    /// The value for `field`, under whichever of its names the file uses, with that name.
    fn get(&self, field: &str) -> Option<(&'static str, &Value)> {
        let (_, names) = NAMES.iter().find(|(f, _)| *f == field)?;
        names
            .iter()
            .find_map(|name| self.map.get(*name).map(|v| (*name, v)))
    }

    fn error(&self, key: &str, message: String) -> LineError {
        LineError {
            line: self.line(key),
            message,
        }
    }

    /// A required or optional text field: a string (or a number or date YAML read as one).
    fn text(
        &self,
        field: &str,
        required: bool,
    ) -> Result<Option<(&'static str, String)>, LineError> {
        let Some((key, value)) = self.get(field) else {
            return if required {
                Err(LineError {
                    line: 1,
                    message: format!("missing field `{field}`"),
                })
            } else {
                Ok(None)
            };
        };
        let text = match value {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            Value::Null => String::new(),
            // `categories: [Back pain]`: the site files an article under one category.
            Value::Sequence(items) if field == "category" => match items.first() {
                Some(Value::String(s)) => s.trim().to_owned(),
                _ => String::new(),
            },
            _ => return Err(self.error(key, format!("`{key}` must be text"))),
        };
        if text.is_empty() {
            return Err(self.error(key, format!("`{key}` is empty")));
        }
        Ok(Some((key, text)))
    }

    fn date(&self, field: &str, required: bool) -> Result<Option<String>, LineError> {
        let Some((key, text)) = self.text(field, required)? else {
            return Ok(None);
        };
        // Engines write a date, or a date and time (`2025-10-22T10:00:00+01:00`,
        // `2025-10-22 10:00:00 +0100`): the site shows the day.
        let day = match text.get(10..11) {
            Some("T" | " ") => &text[..10],
            _ => text.as_str(),
        };
        match Date::parse_iso(day) {
            Some(d) => Ok(Some(d.to_string())),
            None => Err(self.error(key, format!("`{text}` is not a date like 2025-10-22"))),
        }
    }

    /// `tags: a, b` or `tags: [a, b]` or a `- a` list; lowercase, blanks dropped.
    fn tags(&self) -> Result<Vec<String>, LineError> {
        let Some((key, value)) = self.get("tags") else {
            return Err(LineError {
                line: 1,
                message: "missing field `tags`".into(),
            });
        };
        let items: Vec<String> = match value {
            Value::String(s) => s.split(',').map(str::to_owned).collect(),
            Value::Sequence(items) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(self.error(key, format!("each of `{key}` must be text"))),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(self.error(key, format!("`{key}` must be a list or text"))),
        };
        let tags: Vec<String> = items
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.is_empty() {
            return Err(self.error(key, format!("`{key}` is empty")));
        }
        Ok(tags)
    }

    fn draft(&self) -> Result<bool, LineError> {
        match self.get("draft") {
            None => Ok(false),
            Some((key, Value::Bool(b))) => Ok(if key == "published" { !b } else { *b }),
            Some((key, other)) => Err(self.error(
                key,
                format!(
                    "{key} must be true or false, not `{}`",
                    serde_yaml::to_string(other).unwrap_or_default().trim()
                ),
            )),
        }
    }

    /// Keys the site does not read: a warning each, at its line.
    fn unused(&self) -> Vec<LineError> {
        let used: Vec<&str> = NAMES
            .iter()
            .filter_map(|(field, _)| self.get(field).map(|(key, _)| key))
            .collect();
        self.map
            .keys()
            .filter_map(|key| {
                let name = match key {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
                };
                (!used.contains(&name.as_str())).then(|| {
                    let message = match NAMES.iter().find(|(_, names)| names.contains(&name.as_str())) {
                        Some((field, _)) => format!("`{name}` is ignored: `{field}` is given already"),
                        None => format!("`{name}` is not used by this site and is ignored (the fields are: {FIELDS})"),
                    };
                    self.error(&name, message)
                })
            })
            .collect()
    }

    fn front_matter(&self) -> Result<FrontMatter, LineError> {
        let text = |field| {
            self.text(field, true)
                .map(|t| t.map(|(_, t)| t).unwrap_or_default())
        };
        let fm = FrontMatter {
            title: text("title")?,
            summary: text("summary")?,
            date: self.date("date", true)?.unwrap_or_default(),
            updated: self.date("updated", false)?,
            category: text("category")?,
            tags: self.tags()?,
            draft: self.draft()?,
            warnings: self.unused(),
        };
        let summary_chars = fm.summary.chars().count();
        if summary_chars > MAX_SUMMARY_CHARS {
            let (key, _) = self.get("summary").expect("read above");
            return Err(self.error(
                key,
                format!("{key} is {summary_chars} characters; keep it under {MAX_SUMMARY_CHARS}"),
            ));
        }
        if let Some(updated) = &fm.updated
            && updated < &fm.date
        {
            let (key, _) = self.get("updated").expect("read above");
            return Err(self.error(
                key,
                format!("{key} ({updated}) is before date ({})", fm.date),
            ));
        }
        Ok(fm)
    }
}

/// The file line of the second `key:` when the parser refused a key given twice.
fn duplicate_line(yaml: &str, e: &serde_yaml::Error) -> Option<usize> {
    let message = e.to_string();
    let key = message
        .split_once("duplicate entry with key \"")?
        .1
        .split_once('"')?
        .0;
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
        .nth(1)
        .map(|(i, _)| i + 2)
}

/// The parser's message, without its position (the caller reports the line), with a hint
/// for the mistake people make most: a `: ` or ` #` inside an unquoted value.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let message = e.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    if message.contains("mapping values are not allowed")
        || message.contains("did not find expected key")
    {
        format!(
            "{message}: a value with `: ` or ` #` in it needs quotes, like title: \"Massage: what helps\""
        )
    } else if message.contains("duplicate entry") {
        format!("{message}: a field is given twice")
    } else {
        message
    }
}

#[cfg(test)]
mod tests;
