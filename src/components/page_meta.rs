use crate::content::practice;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use massage_core::articles::photos::LeadPhoto;

/// The page's <title>, meta description, canonical URL and link-preview (Open Graph) tags:
/// every route sets them, so search results, shared links and browser tabs say what each
/// page is. `path` is the page's path on the site (e.g. `/services`); pages that are not a
/// real address (not found) have none, and so no canonical URL.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(optional, into)] path: Option<String>,
    /// `article` for articles; `website` otherwise.
    #[prop(default = "website")]
    kind: &'static str,
    /// The photo a link preview shows (an article's first).
    #[prop(default = None)]
    photo: Option<LeadPhoto>,
) -> impl IntoView {
    let url = path.map(|path| format!("{}{path}", practice().site_url));
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content=kind />
        <Meta property="og:site_name" content=practice().name.clone() />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        <Meta property="og:locale" content="en_GB" />
        {url.map(|url| view! {
            <Link rel="canonical" href=url.clone() />
            <Meta property="og:url" content=url />
        })}
        {photo.map(|photo| view! {
            <Meta property="og:image" content=format!("{}{}", practice().site_url, photo.src) />
            <Meta property="og:image:width" content=photo.width.to_string() />
            <Meta property="og:image:height" content=photo.height.to_string() />
            <Meta property="og:image:alt" content=photo.alt />
        })}
    }
}

/// The articles' Atom feed (site-build's `feed.xml`), named where a feed reader looks for
/// it: the home and library pages. Not on every page: Chromium fetches a linked feed with
/// the page, and an article's first visit would carry the whole feed.
#[component]
pub fn FeedLink() -> impl IntoView {
    view! {
        <Link rel="alternate" type_="application/atom+xml" title=format!("{}: articles", practice().name) href="/feed.xml" />
    }
}
