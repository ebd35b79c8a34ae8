//! Writes every route people land on as real HTML into the built site: the app's own
//! components, rendered natively (feature `ssr`) from the same library files the browser
//! fetches, inside Trunk's page shell. The browser shows the page at once; the app then
//! takes it over (see `massage_site::takeover`).
//!
//! Usage: `prerender <built site>` (Trunk's post_build hook runs it after `site-build`).

use futures::StreamExt;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use leptos_meta::ServerMetaContext;
use leptos_router::location::RequestUrl;
use massage_core::articles::LibraryIndex;
use massage_core::pages;
use massage_site::library_client::{remember_article, remember_library};
use massage_site::takeover::ROOT_ID;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(site) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: prerender <built site folder>");
        return ExitCode::from(2);
    };
    match prerender(&site) {
        Ok(count) => {
            eprintln!("prerender: wrote {count} pages into {}", site.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("prerender: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, html: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, html).map_err(|e| format!("{}: {e}", path.display()))
}

fn prerender(site: &Path) -> Result<usize, String> {
    let shell = read(&site.join("index.html"))?;
    if shell.contains(&format!("id=\"{ROOT_ID}\"")) {
        return Err("index.html is prerendered already: run on a fresh Trunk build".into());
    }
    let page = Template::new(&shell)?;
    // The bare shell stays available for addresses that are the app's but not prerendered.
    write(&site.join("shell.html"), &shell)?;

    let index: LibraryIndex = serde_json::from_str(&read(&site.join("content/library.json"))?)
        .map_err(|e| format!("content/library.json: {e}"))?;
    let slugs: Vec<String> = index.articles.iter().map(|a| a.slug.clone()).collect();
    for slug in &slugs {
        let markdown = read(&site.join(format!("content/articles/{slug}.md")))?;
        remember_article(slug, &markdown);
    }
    remember_library(index);

    any_spawner::Executor::init_futures_executor().map_err(|e| format!("{e:?}"))?;
    let article_routes = slugs.iter().map(|slug| format!("/articles/{slug}"));
    let routes: Vec<String> = pages::STATIC
        .iter()
        .map(|r| r.to_string())
        .chain(article_routes)
        .collect();
    for route in &routes {
        write(
            &site.join(pages::prerendered_file(route)),
            &page.render(route),
        )?;
    }
    // Hosts answer unknown addresses with this page (and a 404 status).
    write(&site.join("404.html"), &page.render("/404"))?;
    Ok(routes.len() + 1)
}

/// Trunk's index.html, ready to take a rendered route.
struct Template {
    /// Everything up to and including `<body>`, without the shell's own <title>.
    head: String,
}

impl Template {
    fn new(shell: &str) -> Result<Self, String> {
        let (head, _) = shell
            .split_once("</body>")
            .and_then(|(head, _)| head.split_once("<body>"))
            .ok_or("index.html has no <body>")?;
        // Each page brings its own title (leptos_meta adds it); a second one would win.
        let without_title = match (head.find("<title>"), head.find("</title>")) {
            (Some(start), Some(end)) => {
                format!("{}{}", &head[..start], &head[end + "</title>".len()..])
            }
            _ => head.to_owned(),
        };
        Ok(Self {
            head: format!("{without_title}<body>"),
        })
    }

    fn render(&self, route: &str) -> String {
        let owner = Owner::new();
        owner.with(|| {
            provide_context(RequestUrl::new(route));
            let (meta, output) = ServerMetaContext::new();
            provide_context(meta);
            let app = view! { <massage_site::App /> }.to_html();
            let page = format!(
                "{}<div id=\"{ROOT_ID}\">{app}</div></body>\n</html>\n",
                self.head
            );
            futures::executor::block_on(async move {
                output
                    .inject_meta_context(futures::stream::iter([page]))
                    .await
                    .collect::<String>()
                    .await
            })
        })
    }
}
