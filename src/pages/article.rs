//! `/articles/:slug`: one article. The header and table of contents come from the library
//! index; the body is fetched as the HTML the one pipeline in massage-core rendered at build
//! time (`content/articles/<slug>.json`).

use crate::components::article_card::ArticleCard;
use crate::components::page_meta::PageMeta;
use crate::components::status::LoadFailed;
use crate::content::practice;
use crate::dom::reveal_and_focus;
use crate::library_client::{LoadError, cached_article, load_article, use_library};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Script;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map};
use massage_core::articles::markdown::{ArticleBody, Heading};
use massage_core::articles::{
    ArticleMeta, LibraryIndex, display_date, library_href, structured_data,
};
use std::rc::Rc;
use wasm_bindgen::JsCast;

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let library = use_library();
    // A body rendered already (at build time, before takeover, or earlier in this visit)
    // shows in the first pass: no "Loading" between the page and its text. Others are
    // fetched; only articles in the index, so an unknown address never asks the server for a
    // file that is not there.
    let fetched = RwSignal::new_local(None::<(String, Result<Rc<ArticleBody>, LoadError>)>);
    Effect::new(move |_| {
        let slug = slug.get();
        let known = matches!(library.get(), Some(Ok(index)) if index.article(&slug).is_some());
        if known && cached_article(&slug).is_none() {
            leptos::task::spawn_local(async move {
                let result = load_article(slug.clone()).await;
                fetched.set(Some((slug, result)));
            });
        }
    });
    let body: Body = Signal::derive_local(move || {
        let slug = slug.get();
        if let Some(rendered) = cached_article(&slug) {
            return Some(Ok(rendered));
        }
        fetched
            .get()
            .filter(|(fetched_for, _)| *fetched_for == slug)
            .map(|(_, result)| result)
    });

    move || match library.get() {
        None => {
            view! { <p class="muted" role="status">"Loading the article\u{2026}"</p> }.into_any()
        }
        Some(Err(error)) => view! { <LoadFailed error=error /> }.into_any(),
        Some(Ok(index)) => match index.article(&slug.get()).cloned() {
            None => view! { <NotFound /> }.into_any(),
            Some(meta) => view! { <Article meta=meta index=index body=body /> }.into_any(),
        },
    }
}

type Body = Signal<Option<Result<Rc<ArticleBody>, LoadError>>, LocalStorage>;

#[component]
fn Article(meta: ArticleMeta, index: Rc<LibraryIndex>, body: Body) -> impl IntoView {
    let path = format!("/articles/{}", meta.slug);
    let article_ld = structured_data::article(
        &meta,
        &practice().site_url,
        &practice().therapist,
        &practice().name,
    );
    let breadcrumbs_ld =
        structured_data::breadcrumbs(&meta, &practice().site_url, &practice().name);
    let related: Vec<ArticleMeta> = index.related(&meta.slug, 3).into_iter().cloned().collect();
    let copied = RwSignal::new(String::new());
    let location = use_location();

    // Once the body is on the page, go to the section named in the address (#section), on
    // first load and after in-app navigation alike.
    Effect::new(move |_| {
        let rendered = matches!(body.get(), Some(Ok(_)));
        let hash = location.hash.get();
        if rendered && let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) {
            let id = id.to_owned();
            request_animation_frame(move || {
                reveal_and_focus(&id);
            });
        }
    });

    let updated = meta.updated.clone().filter(|u| *u != meta.date);
    let category_href = library_href("", Some(&meta.category), None);
    let tags: Vec<(String, String)> = meta
        .tags
        .iter()
        .map(|t| (library_href("", None, Some(t)), t.clone()))
        .collect();
    view! {
        <PageMeta path=path.clone() title=meta.title.clone() description=meta.summary.clone() kind="article" photo=meta.photo.clone() />
        <Script type_="application/ld+json">{article_ld}</Script>
        <Script type_="application/ld+json">{breadcrumbs_ld}</Script>
        <article class="article">
            <header class="article__header">
                <p class="article__category">
                    <a href=category_href>{meta.category.clone()}</a>
                </p>
                <h1>{meta.title.clone()}</h1>
                <p class="muted article__meta">
                    <time datetime=meta.date.clone()>{display_date(&meta.date)}</time>
                    {updated.map(|u| view! {
                        " \u{b7} updated " <time datetime=u.clone()>{display_date(&u)}</time>
                    })}
                    {format!(" \u{b7} {} min read", meta.reading_minutes)}
                </p>
                <ul class="tags" aria-label="Topics">
                    // Plain links (the router still handles them): <A> would mark every link to
                    // /articles?… as the current page.
                    {tags.into_iter().map(|(href, tag)| view! { <li><a href=href>{tag}</a></li> }).collect_view()}
                </ul>
            </header>
            <TableOfContents sections=meta.sections.clone() />
            {move || match body.get() {
                None => view! { <p class="muted" role="status">"Loading the article\u{2026}"</p> }.into_any(),
                Some(Err(error)) => view! { <LoadFailed error=error /> }.into_any(),
                Some(Ok(rendered)) => {
                    let faq_ld = structured_data::faq_page(&rendered.faq);
                    view! {
                        {faq_ld.map(|json| view! { <Script type_="application/ld+json">{json}</Script> })}
                        <div class="prose" inner_html=rendered.html.clone() on:click=move |ev| copy_section_link(ev, copied) />
                    }
                    .into_any()
                }
            }}
            <p class="visually-hidden" role="status" aria-live="polite">{move || copied.get()}</p>
        </article>
        // Shown once the body is in place, below it: were they on the page before, the body
        // arriving would push them down (a layout shift).
        {move || matches!(body.get(), Some(Ok(_))).then(|| view! { <ArticleEnd related=related.clone() /> })}
    }
}

/// What comes after an article: where to go next, and related articles.
#[component]
fn ArticleEnd(related: Vec<ArticleMeta>) -> impl IntoView {
    view! {
        <aside class="next-steps" aria-labelledby="next-steps">
            <h2 id="next-steps">"What next?"</h2>
            <ul class="cards">
                <li class="card">
                    <h3><A href="/self-check">"Check whether massage suits your back pain"</A></h3>
                    <p>"A few questions, warning signs first. Your answers stay on this device."</p>
                </li>
                <li class="card">
                    <h3><A href="/book">"Request a booking"</A></h3>
                    <p>{format!("In-call or at your home, every day {}.", practice().hours())}</p>
                </li>
            </ul>
        </aside>
        {(!related.is_empty()).then(|| view! {
            <section aria-labelledby="related">
                <h2 id="related">"Related articles"</h2>
                <ul class="article-list">
                    {related.into_iter().map(|meta| view! { <ArticleCard meta=meta level=3 /> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The h2/h3 outline as links to each section: collapsed on phones (a disclosure), always
/// open on wide screens. Both are in the markup and CSS shows one, so the page looks the
/// same when prerendered and when the app takes over, whatever the screen.
#[component]
fn TableOfContents(sections: Vec<Heading>) -> impl IntoView {
    if sections.is_empty() {
        return None;
    }
    let mut items: Vec<(Heading, Vec<Heading>)> = Vec::new();
    for heading in sections {
        match (heading.level, items.last_mut()) {
            (3, Some((_, children))) => children.push(heading),
            _ => items.push((heading, Vec::new())),
        }
    }
    let outline = move || {
        let link = |h: &Heading| view! { <a href=format!("#{}", h.id)>{h.text.clone()}</a> };
        view! {
            <nav aria-label="Contents">
                <ol>
                    {items.iter().map(|(h2, children)| view! {
                        <li>
                            {link(h2)}
                            {(!children.is_empty()).then(|| view! {
                                <ol>{children.iter().map(|h3| view! { <li>{link(h3)}</li> }).collect_view()}</ol>
                            })}
                        </li>
                    }).collect_view()}
                </ol>
            </nav>
        }
    };
    Some(view! {
        <details class="toc toc--narrow">
            <summary>"Contents"</summary>
            {outline()}
        </details>
        <div class="toc toc--wide">
            <p class="toc__title">"Contents"</p>
            {outline()}
        </div>
    })
}

/// A click on a section's "#" link copies the section's address, so it can be pasted into a
/// message. Where the clipboard is unavailable the link simply goes to the section.
fn copy_section_link(ev: web_sys::MouseEvent, copied: RwSignal<String>) {
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("a.section-link").ok().flatten())
    else {
        return;
    };
    let clipboard = window().navigator().clipboard();
    if clipboard.is_undefined() {
        return;
    }
    let (Some(hash), Ok(origin), Ok(path)) = (
        link.get_attribute("href"),
        window().location().origin(),
        window().location().pathname(),
    ) else {
        return;
    };
    ev.prevent_default();
    let address = format!("{origin}{path}{hash}");
    let _ = clipboard.write_text(&address);
    // Show the section's address in the address bar too, without a new history entry.
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
    let heading = link
        .previous_element_sibling()
        .and_then(|h| h.text_content())
        .unwrap_or_default();
    copied.set(format!("Link to \u{201c}{heading}\u{201d} copied"));
    link.set_attribute("data-copied", "true").ok();
}
