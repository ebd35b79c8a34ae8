//! `/articles`: every article, newest first, with filters and instant search. The query and
//! filters live in the URL (`?q=&category=&tag=`) so back, reload and shared links keep them.

use crate::components::article_card::ArticleCard;
use crate::components::page_meta::{FeedLink, PageMeta};
use crate::components::status::LoadFailed;
use crate::library_client::{self, Search, load_search, use_library};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use massage_core::articles::search::{query_terms, snippet};
use massage_core::articles::{
    ArticleMeta, CATEGORY_PARAM, LibraryIndex, SEARCH_PARAM, TAG_PARAM, library_href,
};
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// What the list shows: the words typed, the filters from the URL, and the search box (which
/// "Show all articles" focuses again).
#[derive(Clone, Copy)]
struct Filters {
    query: RwSignal<String>,
    category: Memo<Option<String>>,
    tag: Memo<Option<String>>,
    input: NodeRef<leptos::html::Input>,
}

#[component]
pub fn Library() -> impl IntoView {
    let library = use_library();
    let params = use_query_map();
    let url_query = Memo::new(move |_| params.read().get(SEARCH_PARAM).unwrap_or_default());
    let category = Memo::new(move |_| params.read().get(CATEGORY_PARAM).filter(|c| !c.is_empty()));
    let tag = Memo::new(move |_| params.read().get(TAG_PARAM).filter(|t| !t.is_empty()));

    // What the visitor has typed. The URL follows it (replacing the history entry, so typing
    // does not fill the back button); it follows the URL only when the URL changes for another
    // reason (back/forward) while the box is not being typed in.
    let query = RwSignal::new(url_query.get_untracked());
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let from_url = url_query.get();
        let typing = input
            .get_untracked()
            .is_some_and(|i| document().active_element() == Some(i.unchecked_into()));
        if !typing && from_url != query.get_untracked() {
            query.set(from_url);
        }
    });
    let filters = Filters {
        query,
        category,
        tag,
        input,
    };

    view! {
        <PageMeta
            path="/articles"
            title="Articles"
            description="Plain-English guides to back pain, neck and shoulder tension, sports massage, choosing a massage and what to expect."
        />
        <FeedLink />
        <h1>"Articles"</h1>
        <p class="lead">"Guides to back pain, tension, recovery and what to expect from a massage."</p>
        <SearchForm library=library filters=filters />
        <LibraryResults library=library filters=filters />
    }
}

/// Goes to the library with these words and filters, keeping the scroll position; `replace`
/// replaces the history entry instead of adding one.
fn library_navigator() -> impl Fn(String, Option<String>, Option<String>, bool) + Clone {
    let navigate = use_navigate();
    move |q: String, category: Option<String>, tag: Option<String>, replace: bool| {
        let href = library_href(&q, category.as_deref(), tag.as_deref());
        navigate(
            &href,
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    }
}

/// The search box, and the category and topic filters once the index is there.
#[component]
fn SearchForm(library: library_client::Library, filters: Filters) -> impl IntoView {
    let Filters {
        query,
        category,
        tag,
        input,
    } = filters;
    let go = library_navigator();
    let on_input = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        query.set(value.clone());
        go(value, category.get_untracked(), tag.get_untracked(), true);
    };

    view! {
        <form class="library-filters needs-js" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="article-search">"Search the articles"</label>
                <input
                    id="article-search"
                    type="search"
                    name="q"
                    autocomplete="off"
                    enterkeyhint="search"
                    node_ref=input
                    prop:value=move || query.get()
                    on:input=on_input
                />
            </div>
            {move || {
                library
                    .get()
                    .and_then(Result::ok)
                    .map(|index| view! { <FilterSelects index=index filters=filters /> })
            }}
        </form>
    }
}

/// The category and topic drop-downs; choosing one adds a history entry.
#[component]
fn FilterSelects(index: Rc<LibraryIndex>, filters: Filters) -> impl IntoView {
    let Filters {
        query,
        category,
        tag,
        ..
    } = filters;
    let categories: Vec<String> = index.categories().into_iter().map(str::to_owned).collect();
    let tags: Vec<String> = index.tags().into_iter().map(str::to_owned).collect();
    let go = library_navigator();
    let on_category = {
        let go = go.clone();
        move |ev: web_sys::Event| {
            let value = event_target_value(&ev);
            go(
                query.get_untracked(),
                Some(value).filter(|v| !v.is_empty()),
                tag.get_untracked(),
                false,
            );
        }
    };
    let on_tag = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        go(
            query.get_untracked(),
            category.get_untracked(),
            Some(value).filter(|v| !v.is_empty()),
            false,
        );
    };

    view! {
        <div class="field-row">
            <div class="field">
                <label for="article-category">"Category"</label>
                <select id="article-category" on:change=on_category prop:value=move || category.get().unwrap_or_default()>
                    <option value="">"All categories"</option>
                    {categories.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="article-tag">"Topic"</label>
                <select id="article-tag" on:change=on_tag prop:value=move || tag.get().unwrap_or_default()>
                    <option value="">"All topics"</option>
                    {tags.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
            </div>
        </div>
    }
}

/// The list under the form: loading, searching, a load error, or the articles found.
#[component]
fn LibraryResults(library: library_client::Library, filters: Filters) -> impl IntoView {
    let Filters {
        query,
        category,
        tag,
        ..
    } = filters;
    // The search index is fetched the first time there is something to search for.
    let searching = Memo::new(move |_| !query.get().trim().is_empty());
    let search = LocalResource::new(move || {
        let needed = searching.get();
        async move {
            if needed {
                Some(load_search().await)
            } else {
                None
            }
        }
    });

    let results = move || {
        let index = match library.get()? {
            Ok(index) => index,
            Err(error) => return Some(Err(error)),
        };
        let q = query.get();
        let found = if q.trim().is_empty() {
            Some(filtered(
                &index,
                category.get().as_deref(),
                tag.get().as_deref(),
                &q,
                None,
            ))
        } else {
            match search.get().flatten() {
                Some(Ok(search)) => Some(filtered(
                    &index,
                    category.get().as_deref(),
                    tag.get().as_deref(),
                    &q,
                    Some(&search),
                )),
                Some(Err(error)) => return Some(Err(error)),
                None => None,
            }
        };
        Some(Ok((index, found)))
    };

    move || match results() {
        None => {
            view! { <p class="muted" role="status">"Loading the articles\u{2026}"</p> }.into_any()
        }
        Some(Err(error)) => view! { <LoadFailed error=error /> }.into_any(),
        Some(Ok((_, None))) => {
            view! { <p class="muted" role="status">"Searching\u{2026}"</p> }.into_any()
        }
        Some(Ok((index, Some(found)))) => {
            view! { <FoundArticles found=found total=index.articles.len() filters=filters /> }
                .into_any()
        }
    }
}

/// How many articles were found, a way back to all of them when none were, and the list.
#[component]
fn FoundArticles(found: Found, total: usize, filters: Filters) -> impl IntoView {
    let Filters {
        query,
        category,
        tag,
        input,
    } = filters;
    let go = library_navigator();
    let clear = move |_| {
        query.set(String::new());
        go(String::new(), None, None, false);
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };
    // Read once: `LibraryResults` renders this again when any of them changes.
    let filtering =
        !query.get().trim().is_empty() || category.get().is_some() || tag.get().is_some();
    let status = result_status(found.len(), total, &query.get(), filtering);
    let empty = found.is_empty();
    let terms = query_terms(&query.get());

    view! {
        <p class="results-status" role="status" aria-live="polite">{status}</p>
        {empty.then(|| view! {
            <div class="empty-state">
                <p>"Try fewer or different words, or another category or topic."</p>
                <button type="button" class="button" on:click=clear>"Show all articles"</button>
            </div>
        })}
        <ul class="article-list">
            {found
                .into_iter()
                .map(|(meta, snippet)| view! { <ArticleCard meta=meta terms=terms.clone() snippet=snippet /> })
                .collect_view()}
        </ul>
    }
}

type Found = Vec<(ArticleMeta, Option<String>)>;

/// The articles to list: all (filtered) newest first, or the search hits best first. A
/// snippet is added when the words are only in an article's text.
fn filtered(
    index: &LibraryIndex,
    category: Option<&str>,
    tag: Option<&str>,
    q: &str,
    search: Option<&Rc<Search>>,
) -> Found {
    let Some(search) = search else {
        return index
            .filtered(category, tag)
            .map(|a| (a.clone(), None))
            .collect();
    };
    let allowed: Vec<&ArticleMeta> = index.filtered(category, tag).collect();
    let terms = query_terms(q);
    search
        .index
        .search(q)
        .into_iter()
        .filter_map(|hit| {
            let meta = allowed.iter().find(|a| a.slug == hit.slug)?;
            let doc = search.docs.get(&hit.slug);
            let in_heading = |text: &str| {
                massage_core::articles::search::highlight(text, &terms)
                    .iter()
                    .any(|(_, matched)| *matched)
            };
            let snippet = doc
                .filter(|_| !in_heading(&meta.title) && !in_heading(&meta.summary))
                .and_then(|d| snippet(&d.body, &terms, 160));
            Some(((*meta).clone(), snippet))
        })
        .collect()
}

fn result_status(found: usize, total: usize, q: &str, filtering: bool) -> String {
    let q = q.trim();
    let articles = |n: usize| {
        if n == 1 {
            "1 article".to_owned()
        } else {
            format!("{n} articles")
        }
    };
    match (found, q.is_empty(), filtering) {
        (_, _, false) => articles(total),
        (0, true, _) => "No articles in this category and topic.".to_owned(),
        (0, false, _) => format!("No articles match \u{201c}{q}\u{201d}."),
        (n, true, _) => format!("{} of {total}", articles(n)),
        (1, false, _) => format!("1 article matches \u{201c}{q}\u{201d}"),
        (n, false, _) => format!("{n} articles match \u{201c}{q}\u{201d}"),
    }
}
