//! Fetches the article library's static files (written by `site-build`) and keeps them for
//! the rest of the visit: the index once, each article body once, the search index only when
//! search is first used.

use gloo_net::http::Request;
use leptos::prelude::*;
use massage_core::articles::LibraryIndex;
use massage_core::articles::markdown::{self, RenderedArticle};
use massage_core::articles::search::{SearchDoc, SearchIndex};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

/// Why something could not be loaded, in words a visitor can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    NotFound,
    /// Offline, or the server did not answer.
    Network,
    /// The server answered with an error or with something unreadable.
    Server,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotFound => "This page could not be found.",
            Self::Network => "This could not be loaded. Check your connection and try again.",
            Self::Server => "Something went wrong on our side. Please try again in a moment.",
        })
    }
}

async fn get_text(url: &str) -> Result<String, LoadError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|_| LoadError::Network)?;
    match response.status() {
        200 => response.text().await.map_err(|_| LoadError::Network),
        404 => Err(LoadError::NotFound),
        _ => Err(LoadError::Server),
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, LoadError> {
    let text = get_text(url).await?;
    serde_json::from_str(&text).map_err(|_| LoadError::Server)
}

/// The library index, shared by every page through context (see `provide_library`).
pub type LibraryResource = LocalResource<Result<Rc<LibraryIndex>, LoadError>>;

/// Starts loading the index once for the whole visit and makes it available to all pages.
pub fn provide_library() {
    let resource: LibraryResource = LocalResource::new(|| async {
        get_json::<LibraryIndex>("/content/library.json")
            .await
            .map(Rc::new)
    });
    provide_context(resource);
}

pub fn use_library() -> LibraryResource {
    expect_context::<LibraryResource>()
}

thread_local! {
    static ARTICLES: RefCell<HashMap<String, Rc<RenderedArticle>>> = RefCell::new(HashMap::new());
    static SEARCH: RefCell<Option<Rc<Search>>> = const { RefCell::new(None) };
}

/// An article's body, rendered by the one Markdown pipeline. `slug` must come from the
/// index, so it is a plain slug and safe in a URL.
pub async fn load_article(slug: String) -> Result<Rc<RenderedArticle>, LoadError> {
    if let Some(cached) = ARTICLES.with(|a| a.borrow().get(&slug).cloned()) {
        return Ok(cached);
    }
    let body = get_text(&format!("/content/articles/{slug}.md")).await?;
    let rendered = Rc::new(markdown::render(&body));
    ARTICLES.with(|a| a.borrow_mut().insert(slug, rendered.clone()));
    Ok(rendered)
}

/// The full-text search index with the documents it was built from (for snippets).
pub struct Search {
    pub index: SearchIndex,
    pub docs: HashMap<String, SearchDoc>,
}

pub async fn load_search() -> Result<Rc<Search>, LoadError> {
    if let Some(cached) = SEARCH.with(|s| s.borrow().clone()) {
        return Ok(cached);
    }
    let docs: Vec<SearchDoc> = get_json("/content/search.json").await?;
    let search = Rc::new(Search {
        index: SearchIndex::new(&docs),
        docs: docs.into_iter().map(|d| (d.slug.clone(), d)).collect(),
    });
    SEARCH.with(|s| *s.borrow_mut() = Some(search.clone()));
    Ok(search)
}
