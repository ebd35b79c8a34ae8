//! Build time: reads `content/articles/*.md`, checks every article (front matter, Markdown,
//! links between articles) and produces what the site serves: the small index, the search
//! index and each article's body. Every problem is reported as `file:line: message`, all of
//! them at once, so an author can fix a batch in one go.

use super::front_matter;
use super::markdown::{self, RenderedArticle};
use super::photos::Photos;
use super::search::SearchDoc;
use super::{ArticleMeta, LibraryIndex};
use crate::calendar::Date;
use crate::content_error::{ContentError, line_of_offset};
use crate::services::is_slug;
use std::collections::HashMap;
use std::path::Path;

/// Whether an article is on the site on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// On the site: not a draft, dated today or before.
    Published,
    /// Not a draft, dated after today: it goes on the site on its date.
    Scheduled,
    /// Marked `draft: true`: checked, never published.
    Draft,
}

/// One checked article.
#[derive(Clone, Debug)]
pub struct Article {
    /// What the index and the article header show.
    pub meta: ArticleMeta,
    /// Checked but not published.
    pub draft: bool,
    /// The Markdown after the front matter: what the browser fetches and renders.
    pub body: String,
    /// The file's line number of the body's first line, to report body problems.
    pub body_first_line: usize,
    /// The body rendered, with its headings, FAQ and problems.
    pub rendered: RenderedArticle,
    /// Front matter the site does not use (written by another blog engine, say): the build
    /// reports each, naming the file and line, and goes on.
    pub warnings: Vec<ContentError>,
}

impl Standing {
    /// Where an article marked `draft` (or not) and dated `date` (`YYYY-MM-DD`) stands on
    /// `today` (London's date): the one rule the build, the receiver's catch-up and the
    /// editor's pages all follow.
    pub fn of(draft: bool, date: &str, today: Date) -> Self {
        if draft {
            Self::Draft
        } else if date.trim() > today.to_string().as_str() {
            Self::Scheduled
        } else {
            Self::Published
        }
    }
}

impl Article {
    /// Whether it is on the site on `today` (London's date).
    pub fn standing(&self, today: Date) -> Standing {
        Standing::of(self.draft, &self.meta.date, today)
    }
}

/// Every article in the content folder, loaded and checked.
#[derive(Clone, Debug)]
pub struct Library {
    /// Published, scheduled and draft articles, newest first.
    pub articles: Vec<Article>,
    /// The day it was checked for (London's date): articles dated after it are scheduled.
    pub today: Date,
}

impl Library {
    /// Reads every `*.md` file in `dir` (not subfolders). `display_dir` is how the folder is
    /// named in error messages, e.g. `content/articles`. `photos` are the files in
    /// `content/images/`; `today` is London's date, which decides what is published.
    pub fn load(
        dir: &Path,
        display_dir: &str,
        photos: &Photos,
        today: Date,
    ) -> Result<Self, Vec<ContentError>> {
        Self::from_files(&Self::read_files(dir, display_dir)?, photos, today)
    }

    /// Every `*.md` file in `dir` (not subfolders) as `(path as shown, text)`, by name.
    pub fn read_files(
        dir: &Path,
        display_dir: &str,
    ) -> Result<Vec<(String, String)>, Vec<ContentError>> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| vec![ContentError::new(display_dir, None, e.to_string())])?;
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let shown = format!("{display_dir}/{name}");
            if !name.to_lowercase().ends_with(".md") {
                continue;
            }
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => files.push((shown, text)),
                Err(e) => errors.push(ContentError::new(&shown, None, format!("cannot read: {e}"))),
            }
        }
        files.sort();
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(errors)
        }
    }

    /// Builds the library from `(path, text)` pairs; the slug is the file name without `.md`.
    pub fn from_files(
        files: &[(String, String)],
        photos: &Photos,
        today: Date,
    ) -> Result<Self, Vec<ContentError>> {
        let mut errors = Vec::new();
        let mut articles: Vec<(String, Article)> = Vec::new();
        for (path, text) in files {
            match read_article(path, text, photos) {
                Ok(article) => {
                    if let Some((other, _)) = articles
                        .iter()
                        .find(|(_, a)| a.meta.slug == article.meta.slug)
                    {
                        errors.push(ContentError::new(
                            path,
                            None,
                            format!(
                                "the slug `{}` is already used by {other}",
                                article.meta.slug
                            ),
                        ));
                    } else {
                        articles.push((path.clone(), article));
                    }
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        check_links(&articles, today, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut articles: Vec<Article> = articles.into_iter().map(|(_, a)| a).collect();
        articles.sort_by(|a, b| {
            b.meta
                .date
                .cmp(&a.meta.date)
                .then_with(|| a.meta.slug.cmp(&b.meta.slug))
        });
        Ok(Self { articles, today })
    }

    /// The articles on the site today (neither drafts nor scheduled), newest first.
    pub fn published(&self) -> impl Iterator<Item = &Article> {
        self.articles
            .iter()
            .filter(|a| a.standing(self.today) == Standing::Published)
    }

    /// The small index the app fetches: published articles, newest first.
    pub fn index(&self) -> LibraryIndex {
        LibraryIndex {
            articles: self.published().map(|a| a.meta.clone()).collect(),
        }
    }

    /// The full-text search index, fetched when search is first used.
    pub fn search_docs(&self) -> Vec<SearchDoc> {
        self.published()
            .map(|a| SearchDoc {
                slug: a.meta.slug.clone(),
                title: a.meta.title.clone(),
                summary: a.meta.summary.clone(),
                body: a.rendered.plain_text.clone(),
            })
            .collect()
    }
}

fn read_article(path: &str, text: &str, photos: &Photos) -> Result<Article, Vec<ContentError>> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let slug = name.strip_suffix(".md").unwrap_or(name);
    if !is_slug(slug) {
        let msg = format!(
            "the file name must be lowercase words joined by hyphens, ending in .md (like back-pain.md), not `{name}`"
        );
        return Err(vec![ContentError::new(path, None, msg)]);
    }
    let (fm, body_start) = front_matter::parse(text)
        .map_err(|e| vec![ContentError::new(path, Some(e.line), e.message)])?;
    let body = &text[body_start..];
    let rendered = markdown::render(body, photos);
    let errors: Vec<ContentError> = rendered
        .problems
        .iter()
        .map(|p| {
            ContentError::new(
                path,
                Some(line_of_offset(text, body_start + p.offset)),
                p.message.clone(),
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    if rendered.word_count() < 50 {
        return Err(vec![ContentError::new(
            path,
            None,
            "the article has fewer than 50 words",
        )]);
    }
    let meta = ArticleMeta {
        slug: slug.to_owned(),
        title: fm.title,
        summary: fm.summary,
        date: fm.date,
        updated: fm.updated,
        category: fm.category,
        tags: fm.tags,
        reading_minutes: rendered.reading_minutes(),
        sections: rendered.toc.clone(),
        photo: rendered.lead_photo.clone(),
    };
    let body_first_line = line_of_offset(text, body_start);
    let warnings = fm
        .warnings
        .iter()
        .map(|w| ContentError::new(path, Some(w.line), w.message.clone()))
        .collect();
    Ok(Article {
        meta,
        draft: fm.draft,
        body: body.to_owned(),
        body_first_line,
        rendered,
        warnings,
    })
}

/// Every link to `/articles/slug` or `#section` must lead to an article and section that
/// exist, so renaming a heading's id cannot silently break a link; and an article that is
/// (or is scheduled to be) on the site may only link to one that is there by then, never to
/// a draft.
fn check_links(articles: &[(String, Article)], today: Date, errors: &mut Vec<ContentError>) {
    let sections: HashMap<&str, (&Article, Vec<&str>)> = articles
        .iter()
        .map(|(_, a)| {
            (
                a.meta.slug.as_str(),
                (a, a.meta.sections.iter().map(|s| s.id.as_str()).collect()),
            )
        })
        .collect();
    let today = today.to_string();
    for (path, article) in articles {
        for (href, offset) in &article.rendered.local_links {
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (href.as_str(), None),
            };
            let slug = if target.is_empty() {
                Some(article.meta.slug.as_str())
            } else {
                target
                    .strip_prefix("/articles/")
                    .map(|s| s.trim_end_matches('/'))
            };
            let Some(slug) = slug else { continue };
            // The day this article is on the site from (a draft: never, so any link will do).
            let live_from = (!article.draft).then(|| article.meta.date.as_str().max(&today));
            let problem = match (sections.get(slug), fragment) {
                (None, _) => Some(format!(
                    "the link `{href}` leads to no article (there is no content/articles/{slug}.md)"
                )),
                (Some((target, _)), _) if live_from.is_some() && target.draft => Some(format!(
                    "the link `{href}` leads to a draft, which is not on the site: publish {slug} first"
                )),
                (Some((target, _)), _)
                    if live_from.is_some_and(|day| target.meta.date.as_str() > day) =>
                {
                    Some(format!(
                        "the link `{href}` leads to an article that is not on the site until {}: schedule this one for then or later",
                        target.meta.date
                    ))
                }
                (Some((_, ids)), Some(f)) if !f.is_empty() && !ids.contains(&f) => Some(format!(
                    "the link `{href}` leads to no section: {slug} has no heading with the id `{f}`"
                )),
                _ => None,
            };
            if let Some(message) = problem {
                let line = article.body_first_line + line_of_offset(&article.body, *offset) - 1;
                errors.push(ContentError::new(path, Some(line), message));
            }
        }
    }
}

#[cfg(test)]
mod tests;
