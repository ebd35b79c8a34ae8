//! Fetches the article library's static files (written by `site-build`) and keeps them for
//! the rest of the visit: the index once, each article body once (rendered at build time, so
//! the app has no Markdown parser), the search index only when search is first used.

use gloo_net::http::Request;
use leptos::prelude::*;
use massage_core::articles::LibraryIndex;
use massage_core::articles::markdown::ArticleBody;
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

/// The library index for the whole visit, shared by every page through context (see
/// `provide_library`). `None` while it loads.
#[derive(Clone, Copy)]
pub struct Library(RwSignal<Option<Result<Rc<LibraryIndex>, LoadError>>, LocalStorage>);

impl Library {
    pub fn get(&self) -> Option<Result<Rc<LibraryIndex>, LoadError>> {
        self.0.get()
    }
}

thread_local! {
    static INDEX: RefCell<Option<Rc<LibraryIndex>>> = const { RefCell::new(None) };
    static ARTICLES: RefCell<HashMap<String, Rc<ArticleBody>>> = RefCell::new(HashMap::new());
    static SEARCH: RefCell<Option<Rc<Search>>> = const { RefCell::new(None) };
}

/// Makes the index known before the app renders, so pages that need it render complete on
/// their first pass: the prerenderer reads it from the built site, and the browser fetches
/// it before taking over a prerendered page (see `takeover`).
pub fn remember_library(index: LibraryIndex) {
    INDEX.with(|i| *i.borrow_mut() = Some(Rc::new(index)));
}

/// Makes an article's body known before the app renders (see `remember_library`).
pub fn remember_article(slug: &str, body: ArticleBody) -> Rc<ArticleBody> {
    let rendered = Rc::new(body);
    ARTICLES.with(|a| a.borrow_mut().insert(slug.to_owned(), rendered.clone()));
    rendered
}

/// The body of an article already rendered in this visit, if any.
pub fn cached_article(slug: &str) -> Option<Rc<ArticleBody>> {
    ARTICLES.with(|a| a.borrow().get(slug).cloned())
}

/// Provides the index to all pages: at once when it is known already, else fetched once.
pub fn provide_library() {
    let known = INDEX.with(|i| i.borrow().clone());
    let state = RwSignal::new_local(known.clone().map(Ok));
    if known.is_none() && !cfg!(feature = "ssr") {
        leptos::task::spawn_local(async move {
            state.set(Some(fetch_library().await.map(Rc::new)));
        });
    }
    provide_context(Library(state));
}

pub async fn fetch_library() -> Result<LibraryIndex, LoadError> {
    get_json::<LibraryIndex>("/content/library.json").await
}

pub fn use_library() -> Library {
    expect_context::<Library>()
}

/// An article's body, rendered by the one Markdown pipeline at build time. `slug` must come
/// from the index, so it is a plain slug and safe in a URL.
pub async fn load_article(slug: String) -> Result<Rc<ArticleBody>, LoadError> {
    if let Some(cached) = cached_article(&slug) {
        return Ok(cached);
    }
    let body = fetch_article(&slug).await?;
    Ok(remember_article(&slug, body))
}

/// An article's body as `site-build` wrote it into the built site.
pub async fn fetch_article(slug: &str) -> Result<ArticleBody, LoadError> {
    get_json(&format!("/content/articles/{slug}.json")).await
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
