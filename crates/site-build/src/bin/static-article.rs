//! `static-article SLUG CSS_FILE`: prints one article as one self-contained HTML file, rendered
//! by the same Markdown pipeline, with the stylesheet inline and nothing else to fetch (no
//! JavaScript, no icon). The benchmark (scripts/bench.sh) compares every page with it: how
//! fast could this article paint at best?

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [slug, css] = args.as_slice() else {
        eprintln!("usage: static-article SLUG CSS_FILE");
        std::process::exit(2);
    };
    let library = site_build::load_library(Path::new("content")).unwrap_or_else(|e| {
        e.iter().for_each(|e| eprintln!("error: {e}"));
        std::process::exit(1)
    });
    let Some(article) = library.articles.iter().find(|a| &a.meta.slug == slug) else {
        eprintln!("error: no article {slug}");
        std::process::exit(1)
    };
    let css = std::fs::read_to_string(css).unwrap_or_else(|e| {
        eprintln!("error: {css}: {e}");
        std::process::exit(1)
    });
    let mut title = String::new();
    pulldown_cmark_escape::escape_html(&mut title, &article.meta.title)
        .expect("writing to a String");
    println!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><meta name=\"description\" content=\"{title}\"><link rel=\"icon\" href=\"data:,\"><style>{}</style></head>\
         <body><main id=\"main\"><article class=\"article\"><h1>{title}</h1><div class=\"prose\">{}</div></article></main></body></html>",
        css.trim_end(),
        article.rendered.html
    );
}
