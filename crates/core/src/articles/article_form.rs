//! An article as the inbox's editor holds it: one text per field, as typed. The editor never
//! checks an article its own way: it writes the file an author would write (`to_file`), the
//! build's own front-matter and library checks read that file, and each problem they report
//! is placed next to the field its line belongs to (`place`). So the editor and a file
//! written by hand get the same checks, the same messages and the same escaping.

use super::front_matter;
use super::slug::slugify;
use crate::content_error::ContentError;
use crate::services::is_slug;

/// The editor's fields, each as typed (line breaks already `\n`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleForm {
    /// The article's heading.
    pub title: String,
    /// One or two sentences for the library and search engines.
    pub summary: String,
    /// The publication date, `YYYY-MM-DD`: a later day than today schedules the article.
    pub date: String,
    /// When it last changed meaningfully, `YYYY-MM-DD`, or empty.
    pub updated: String,
    /// The one category the library files it under.
    pub category: String,
    /// Topics, separated by commas.
    pub tags: String,
    /// The Markdown body.
    pub body: String,
}

/// Which part of the form a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The article's address (its file name).
    Address,
    /// `title`.
    Title,
    /// `summary`.
    Summary,
    /// `date`.
    Date,
    /// `updated`.
    Updated,
    /// `category`.
    Category,
    /// `tags`.
    Tags,
    /// The body, and anything the article breaks elsewhere (a link to one of its sections).
    Body,
}

/// The longest address the editor makes from a title.
const MAX_ADDRESS: usize = 80;

impl ArticleForm {
    /// The fields of an article file, as the build reads them. A file whose front matter
    /// cannot be read gives the reason, and its body (or the whole text) so nothing is lost.
    pub fn from_file(text: &str) -> (Self, Option<String>) {
        let text = text.replace("\r\n", "\n");
        match front_matter::parse(&text) {
            Ok((fm, body_start)) => (
                Self {
                    title: fm.title,
                    summary: fm.summary,
                    date: fm.date,
                    updated: fm.updated.unwrap_or_default(),
                    category: fm.category,
                    tags: fm.tags.join(", "),
                    body: text[body_start..].to_owned(),
                },
                None,
            ),
            Err(e) => {
                let body = text
                    .strip_prefix("---\n")
                    .and_then(|rest| rest.split_once("\n---\n"))
                    .map_or(text.as_str(), |(_, body)| body);
                (
                    Self {
                        body: body.to_owned(),
                        ..Self::default()
                    },
                    Some(format!("line {}: {}", e.line, e.message)),
                )
            }
        }
    }

    /// The article file: front matter with every value quoted (so any text means itself,
    /// whatever it holds), then the body.
    pub fn to_file(&self) -> String {
        let mut text = String::from("---\n");
        for (key, value) in self.front_matter() {
            text.push_str(key);
            text.push_str(": ");
            text.push_str(&yaml_quoted(value));
            text.push('\n');
        }
        text.push_str("---\n");
        let body = self.body.replace("\r\n", "\n");
        text.push_str(&body);
        if !body.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    /// The front matter's lines, in the order `to_file` writes them (no `updated` when empty).
    fn front_matter(&self) -> Vec<(&'static str, &str)> {
        let mut fields = vec![
            ("title", self.title.as_str()),
            ("summary", self.summary.as_str()),
            ("date", self.date.as_str()),
        ];
        if !self.updated.trim().is_empty() {
            fields.push(("updated", self.updated.as_str()));
        }
        fields.push(("category", self.category.as_str()));
        fields.push(("tags", self.tags.as_str()));
        fields
    }

    /// The line of `to_file`'s text where the body starts.
    pub fn body_first_line(&self) -> usize {
        self.front_matter().len() + 3
    }

    /// The field a problem at `line` of `to_file`'s text is about.
    pub fn field_at(&self, line: usize) -> Field {
        let fields = self.front_matter();
        match line.checked_sub(2).and_then(|i| fields.get(i)) {
            Some(("title", _)) => Field::Title,
            Some(("summary", _)) => Field::Summary,
            Some(("date", _)) => Field::Date,
            Some(("updated", _)) => Field::Updated,
            Some(("category", _)) => Field::Category,
            Some(("tags", _)) => Field::Tags,
            _ => Field::Body,
        }
    }

    /// Each of the build's problems next to the field it is about: those in this article's
    /// file (`path`) at their field, the body's with their line in the body; problems this
    /// article causes elsewhere (another article's link to a section it no longer has, the
    /// self-check's) next to the body, as the build words them.
    pub fn place(&self, path: &str, errors: &[ContentError]) -> Vec<(Field, String)> {
        errors
            .iter()
            .map(|e| match e.line {
                Some(line) if e.file == path => match self.field_at(line) {
                    Field::Body if line >= self.body_first_line() => (
                        Field::Body,
                        format!("Line {}: {}", line + 1 - self.body_first_line(), e.message),
                    ),
                    field => (field, e.message.clone()),
                },
                None if e.file == path => (Field::Body, e.message.clone()),
                _ => (Field::Body, in_content_folder(path, e)),
            })
            .collect()
    }
}

/// A problem in another file, named as she knows it: `self-check.toml:40: ...` or
/// `articles/other.md:5: ...`, not by the server's path to the content folder. `path` is this
/// article's file as the build names it (`<content>/articles/<slug>.md`).
fn in_content_folder(path: &str, e: &ContentError) -> String {
    let root = path.rsplit_once("/articles/").map(|(root, _)| root);
    let file = root
        .and_then(|root| e.file.strip_prefix(root))
        .map(|rest| rest.trim_start_matches('/'))
        .unwrap_or(&e.file);
    match (file.is_empty(), e.line) {
        (true, _) => e.message.clone(),
        (false, Some(line)) => format!("{file}:{line}: {}", e.message),
        (false, None) => format!("{file}: {}", e.message),
    }
}

/// The address (file name, without `.md`) the editor gives a new article: `chosen` when she
/// typed one, else made from the title. `Err` says what to change.
pub fn address_for(chosen: &str, title: &str) -> Result<String, String> {
    let chosen = chosen.trim();
    let slug = address_typed_or_made(chosen, title)?;
    if RESERVED_ADDRESSES.contains(&slug.as_str()) {
        return Err(if chosen.is_empty() {
            format!(
                "The address made from the title, {slug}, is the editor's own: type another, like {slug}-treatments."
            )
        } else {
            format!("{slug} is the editor's own address: choose another, like {slug}-treatments.")
        });
    }
    Ok(slug)
}

/// Whether `slug` can be an article's address: what the editor asks of a new one. A longer
/// name is no article (and never reaches the file system, which would refuse it).
pub fn is_address(slug: &str) -> bool {
    is_slug(slug) && slug.len() <= MAX_ADDRESS
}

/// Addresses the editor's pages use for themselves (`/inbox/articles/new` is the new-article
/// form): an article there could never be opened.
const RESERVED_ADDRESSES: &[&str] = &["new"];

fn address_typed_or_made(chosen: &str, title: &str) -> Result<String, String> {
    if !chosen.is_empty() {
        return if is_address(chosen) {
            Ok(chosen.to_owned())
        } else {
            Err(format!(
                "Use lowercase letters a to z, digits and single hyphens, at most {MAX_ADDRESS} characters, like back-pain-at-work."
            ))
        };
    }
    if title.trim().is_empty() {
        return Err("Give the article a title first: its address is made from it.".into());
    }
    let mut slug = String::new();
    for word in slugify(title).split('-') {
        if slug.len() + word.len() + 1 > MAX_ADDRESS {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if is_slug(&slug) {
        Ok(slug)
    } else {
        Err("The title has no letters a to z to make an address from: type one, like back-pain-at-work.".into())
    }
}

/// A YAML double-quoted scalar holding exactly `text`: quotes and backslashes escaped, and
/// every character YAML does not allow as it is, or reads as a line break, as `\uXXXX`.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form() -> ArticleForm {
        ArticleForm {
            title: "Massage: what \"helps\" # really".into(),
            summary: "A short summary.".into(),
            date: "2026-12-01".into(),
            updated: String::new(),
            category: "Back pain".into(),
            tags: "Back Pain, sciatica".into(),
            body: "## Why {#why}\r\n\r\nText.".into(),
        }
    }

    #[test]
    fn the_file_reads_back_as_the_build_reads_it() {
        let text = form().to_file();
        assert_eq!(
            text,
            "---\ntitle: \"Massage: what \\\"helps\\\" # really\"\nsummary: \"A short summary.\"\n\
             date: \"2026-12-01\"\ncategory: \"Back pain\"\ntags: \"Back Pain, sciatica\"\n---\n\
             ## Why {#why}\n\nText.\n"
        );
        let (fm, body) = front_matter::parse(&text).unwrap();
        assert_eq!(fm.title, "Massage: what \"helps\" # really");
        assert_eq!(fm.tags, ["back pain", "sciatica"]);
        assert_eq!(&text[body..], "## Why {#why}\n\nText.\n");
        let (back, problem) = ArticleForm::from_file(&text);
        assert_eq!(problem, None);
        assert_eq!(back.title, form().title);
        assert_eq!(back.tags, "back pain, sciatica");
        assert_eq!(back.body, "## Why {#why}\n\nText.\n");
    }

    #[test]
    fn problems_land_next_to_their_field_and_body_lines_count_from_the_body() {
        let mut f = form();
        f.updated = "2026-12-02".into();
        assert_eq!(f.body_first_line(), 9);
        let path = "/var/lib/booking-api/content/articles/x.md";
        let errors = [
            ContentError::new(path, Some(2), "`title` is empty"),
            ContentError::new(path, Some(5), "updated is wrong"),
            ContentError::new(path, Some(7), "`tags` is empty"),
            ContentError::new(path, Some(10), "the link leads nowhere"),
            ContentError::new(path, None, "the article has fewer than 50 words"),
            ContentError::new(
                "/var/lib/booking-api/content/self-check.toml",
                Some(40),
                "links to x#why",
            ),
            ContentError::new("", None, "a photo cannot be read"),
        ];
        assert_eq!(
            f.place(path, &errors),
            [
                (Field::Title, "`title` is empty".to_owned()),
                (Field::Updated, "updated is wrong".to_owned()),
                (Field::Tags, "`tags` is empty".to_owned()),
                (Field::Body, "Line 2: the link leads nowhere".to_owned()),
                (
                    Field::Body,
                    "the article has fewer than 50 words".to_owned()
                ),
                // Other files are named within her content folder, not by the server's path.
                (Field::Body, "self-check.toml:40: links to x#why".to_owned()),
                (Field::Body, "a photo cannot be read".to_owned()),
            ]
        );
    }

    #[test]
    fn a_file_with_broken_front_matter_opens_with_its_body_and_the_reason() {
        let (f, problem) = ArticleForm::from_file("---\ntitle: [\n---\nThe text.\n");
        assert_eq!(f.body, "The text.\n");
        assert!(problem.unwrap().starts_with("line "));
        let (f, _) = ArticleForm::from_file("no front matter");
        assert_eq!(f.body, "no front matter");
    }

    #[test]
    fn addresses_are_made_from_the_title_or_checked_when_typed() {
        assert_eq!(
            address_for("", "Sports massage: what it can't do"),
            Ok("sports-massage-what-it-cant-do".into())
        );
        assert_eq!(address_for(" my-piece ", "Anything"), Ok("my-piece".into()));
        assert!(address_for("My Piece", "x").is_err());
        assert!(address_for("", " ").unwrap_err().contains("title first"));
        assert!(
            address_for("", "Массаж")
                .unwrap_err()
                .contains("no letters a to z")
        );
        // The editor's own address would make an article she could never open.
        assert!(
            address_for("new", "x")
                .unwrap_err()
                .contains("editor's own")
        );
        assert!(
            address_for("", "New")
                .unwrap_err()
                .contains("made from the title")
        );
        assert_eq!(
            address_for("", "New treatments"),
            Ok("new-treatments".into())
        );
        let long = address_for("", &"word ".repeat(40)).unwrap();
        assert!(long.len() <= MAX_ADDRESS && is_slug(&long), "{long}");
    }

    proptest! {
        /// Whatever is typed into a field, the build reads back exactly that (trimmed), or
        /// names the field's line: a value can never spill into another field.
        #[test]
        fn any_text_in_a_field_reads_back_as_itself(title in "\\PC*", summary in ".{0,40}", control in "[\\x00-\\x1f\\x7f-\\x9f\u{2028}\u{2029}\u{feff}]{0,3}") {
            let f = ArticleForm {
                title: format!("{title}{control}x"),
                summary: format!("{summary}{control}s"),
                category: "C".into(),
                tags: "t".into(),
                date: "2026-01-01".into(),
                ..ArticleForm::default()
            };
            let text = f.to_file();
            match front_matter::parse(&text) {
                Ok((fm, _)) => {
                    prop_assert_eq!(fm.title, f.title.trim());
                    prop_assert_eq!(fm.summary, f.summary.trim());
                    prop_assert_eq!(fm.category, "C");
                }
                Err(e) => prop_assert!(
                    matches!(f.field_at(e.line), Field::Title | Field::Summary),
                    "{e:?}"
                ),
            }
        }
    }
}
