//! The article library: Markdown files with front matter in `content/articles/`.
//!
//! - `markdown`: the one rendering pipeline (browser and build alike)
//! - `slug`: heading ids
//! - `search`: the full-text search the library page runs
//! - `library` (build time only): reads the folder, checks every article, writes the index
//! - `photos`: the photos articles show, published at a few widths as `<picture>`s
//! - `article_form` (build time and receiver): the inbox editor's fields as an article file

#[cfg(feature = "content")]
pub mod article_form;
#[cfg(feature = "content")]
pub mod front_matter;
#[cfg(feature = "content")]
pub mod library;
pub mod markdown;
pub mod photos;
pub mod search;
pub mod slug;
pub mod structured_data;

use markdown::Heading;
use photos::LeadPhoto;
use serde::{Deserialize, Serialize};

/// What the library page and the article header need to know about an article, without its
/// body: this is what the small index file (`/content/library.json`) holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// From the file name: `back-pain.md` → `back-pain`.
    pub slug: String,
    /// The article's heading and page title.
    pub title: String,
    /// One or two sentences: the library card and the meta description.
    pub summary: String,
    /// ISO dates (`2025-10-22`), checked at build time.
    pub date: String,
    /// When the article was last revised, if it has been.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The one category the library filters by.
    pub category: String,
    /// Topics the library can filter by.
    pub tags: Vec<String>,
    /// Estimated from the word count (see `RenderedArticle::reading_minutes`).
    pub reading_minutes: u32,
    /// The article's h2/h3 sections, so other pages can link to `/articles/slug#id`.
    pub sections: Vec<Heading>,
    /// Its first photo, for link previews and search engines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<LeadPhoto>,
}

/// The index file: every published article, newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LibraryIndex {
    /// Published articles, newest first.
    pub articles: Vec<ArticleMeta>,
}

impl LibraryIndex {
    /// The article with this slug, if it is published.
    pub fn article(&self, slug: &str) -> Option<&ArticleMeta> {
        self.articles.iter().find(|a| a.slug == slug)
    }

    /// Categories in the order they first appear (newest article first).
    pub fn categories(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for a in &self.articles {
            if !seen.contains(&a.category.as_str()) {
                seen.push(&a.category);
            }
        }
        seen
    }

    /// Every tag, alphabetically.
    pub fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .articles
            .iter()
            .flat_map(|a| a.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    /// Other articles sharing tags with `slug`, most shared tags first, then newest.
    pub fn related(&self, slug: &str, limit: usize) -> Vec<&ArticleMeta> {
        let Some(this) = self.article(slug) else {
            return Vec::new();
        };
        let mut scored: Vec<(usize, &ArticleMeta)> = self
            .articles
            .iter()
            .filter(|a| a.slug != slug)
            .map(|a| (a.tags.iter().filter(|t| this.tags.contains(t)).count(), a))
            .filter(|(shared, _)| *shared > 0)
            .collect();
        // Stable sort: equal scores keep newest-first order.
        scored.sort_by_key(|(shared, _)| std::cmp::Reverse(*shared));
        scored.into_iter().take(limit).map(|(_, a)| a).collect()
    }

    /// Articles in `category` (if any) carrying `tag` (if any), newest first.
    pub fn filtered<'a>(
        &'a self,
        category: Option<&'a str>,
        tag: Option<&'a str>,
    ) -> impl Iterator<Item = &'a ArticleMeta> + 'a {
        self.articles
            .iter()
            .filter(move |a| category.is_none_or(|c| a.category == c))
            .filter(move |a| tag.is_none_or(|t| a.tags.iter().any(|x| x == t)))
    }
}

/// The library page's address parameters (see `library_href`).
pub const SEARCH_PARAM: &str = "q";
/// The category filter.
pub const CATEGORY_PARAM: &str = "category";
/// The tag filter.
pub const TAG_PARAM: &str = "tag";

/// The library page's URL for a search and filters, e.g. `/articles?q=neck&tag=desk%20work`:
/// the query and filters live in the URL so the back button and shared links keep them.
pub fn library_href(query: &str, category: Option<&str>, tag: Option<&str>) -> String {
    let params: Vec<String> = [
        (SEARCH_PARAM, Some(query.trim())),
        (CATEGORY_PARAM, category),
        (TAG_PARAM, tag),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        value
            .filter(|v| !v.is_empty())
            .map(|v| format!("{key}={}", encode_query_value(v)))
    })
    .collect();
    if params.is_empty() {
        "/articles".to_owned()
    } else {
        format!("/articles?{}", params.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), as URLSearchParams reads.
pub(crate) fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `2025-10-22` → `22 October 2025`, how UK readers write dates (anything else as it is).
pub fn display_date(iso: &str) -> String {
    crate::calendar::Date::parse_iso(iso).map_or_else(|| iso.to_owned(), |d| d.short())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(slug: &str, category: &str, tags: &[&str]) -> ArticleMeta {
        ArticleMeta {
            slug: slug.into(),
            title: slug.into(),
            summary: String::new(),
            date: "2026-01-01".into(),
            updated: None,
            category: category.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            reading_minutes: 1,
            sections: Vec::new(),
            photo: None,
        }
    }

    fn index() -> LibraryIndex {
        LibraryIndex {
            articles: vec![
                meta("newest", "Back pain", &["back pain", "desk work"]),
                meta("middle", "Your visit", &["desk work"]),
                meta(
                    "oldest",
                    "Back pain",
                    &["back pain", "desk work", "sciatica"],
                ),
                meta("unrelated", "Sport", &["sports"]),
            ],
        }
    }

    #[test]
    fn related_articles_share_tags_most_first() {
        let idx = index();
        let related: Vec<&str> = idx
            .related("newest", 3)
            .iter()
            .map(|a| a.slug.as_str())
            .collect();
        assert_eq!(related, ["oldest", "middle"]);
        assert!(idx.related("unrelated", 3).is_empty());
        assert!(idx.related("missing", 3).is_empty());
    }

    #[test]
    fn filters_by_category_and_tag() {
        let idx = index();
        let slugs = |c, t| {
            idx.filtered(c, t)
                .map(|a| a.slug.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(slugs(Some("Back pain"), None), ["newest", "oldest"]);
        assert_eq!(
            slugs(None, Some("desk work")),
            ["newest", "middle", "oldest"]
        );
        assert_eq!(slugs(Some("Back pain"), Some("sciatica")), ["oldest"]);
        assert_eq!(slugs(None, None).len(), 4);
        assert_eq!(idx.categories(), ["Back pain", "Your visit", "Sport"]);
        assert_eq!(idx.tags(), ["back pain", "desk work", "sciatica", "sports"]);
    }

    #[test]
    fn library_urls_keep_query_and_filters() {
        assert_eq!(library_href("", None, None), "/articles");
        assert_eq!(library_href("  ", Some(""), None), "/articles");
        assert_eq!(
            library_href("neck & back", None, Some("desk work")),
            "/articles?q=neck%20%26%20back&tag=desk%20work"
        );
        assert_eq!(
            library_href("café", Some("Back pain"), None),
            "/articles?q=caf%C3%A9&category=Back%20pain"
        );
    }

    #[test]
    fn dates_read_the_uk_way() {
        assert_eq!(display_date("2025-10-22"), "22 October 2025");
        assert_eq!(display_date("2026-01-05"), "5 January 2026");
        assert_eq!(display_date("nonsense"), "nonsense");
    }
}
