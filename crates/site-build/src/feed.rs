//! The Atom feed of articles (`feed.xml`), newest first, so readers and feed services learn
//! of a new article without visiting: each entry has the summary and the article as the page
//! shows it (the one Markdown pipeline's HTML, escaped as Atom's `type="html"` wants).

use massage_core::articles::library::Library;
use massage_core::services::Practice;
use pulldown_cmark_escape::escape_html;

/// How many articles the feed carries: the newest; older ones stay in the library.
const ENTRIES: usize = 20;

/// Atom's time for a day in the front matter (`2026-03-02`): that day's start, UTC.
fn atom_time(day: &str) -> String {
    format!("{day}T00:00:00Z")
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// The feed for the library's published articles, at `{site_url}/feed.xml`.
pub fn atom(practice: &Practice, library: &Library) -> String {
    let site = &practice.site_url;
    let articles: Vec<_> = library.published().take(ENTRIES).collect();
    // The feed changed when its newest change did.
    let updated = articles
        .iter()
        .map(|a| a.meta.updated.as_deref().unwrap_or(&a.meta.date))
        .max()
        .map_or_else(|| "1970-01-01".to_owned(), str::to_owned);
    // xml:base: the articles' HTML links photos and other articles as `/images/…` and
    // `/articles/…`; a reader that does not resolve them against the feed's own address
    // resolves them against this.
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"{site}/\">\n  \
         <title>{name}: articles</title>\n  \
         <subtitle>{tagline}</subtitle>\n  \
         <id>{site}/articles</id>\n  \
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{site}/feed.xml\"/>\n  \
         <link rel=\"alternate\" type=\"text/html\" href=\"{site}/articles\"/>\n  \
         <updated>{updated}</updated>\n  \
         <author><name>{author}</name></author>\n",
        name = escaped(&practice.name),
        tagline = escaped(&practice.tagline),
        site = escaped(site),
        updated = atom_time(&updated),
        author = escaped(&practice.therapist),
    );
    for article in articles {
        let m = &article.meta;
        let url = escaped(&format!("{site}/articles/{}", m.slug));
        let body = article.rendered.body();
        xml.push_str(&format!(
            "  <entry>\n    \
             <title>{title}</title>\n    \
             <id>{url}</id>\n    \
             <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    \
             <published>{published}</published>\n    \
             <updated>{updated}</updated>\n    \
             <category term=\"{category}\"/>\n    \
             <summary>{summary}</summary>\n    \
             <content type=\"html\">{content}</content>\n  \
             </entry>\n",
            title = escaped(&m.title),
            published = atom_time(&m.date),
            updated = atom_time(m.updated.as_deref().unwrap_or(&m.date)),
            category = escaped(&m.category),
            summary = escaped(&m.summary),
            content = escaped(&body.html),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}
