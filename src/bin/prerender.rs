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
    /// Everything up to `</head>`, without the shell's own <title> and without Trunk's loader
    /// and its preloads: a prerendered page starts the app with `start.js` instead, after
    /// its first paint (see `public/start.js`).
    head: String,
    /// The app's JavaScript and WebAssembly, as Trunk named them.
    app_js: String,
    app_wasm: String,
    /// Between `</head>` and `<body>`'s content.
    body_open: String,
}

impl Template {
    fn new(shell: &str) -> Result<Self, String> {
        let (head, body) = shell
            .split_once("</head>")
            .ok_or("index.html has no </head>")?;
        let body_open = body
            .split_once("</body>")
            .and_then(|(before, _)| before.split_once("<body>"))
            .map(|(between, _)| format!("</head>{between}<body>"))
            .ok_or("index.html has no <body>")?;
        // Each page brings its own title (leptos_meta adds it); a second one would win.
        let (head, _title) = cut(head, "<title>", "</title>")?;
        let (head, loader) = cut(&head, "<script type=\"module\">", "</script>")?;
        let app_js = quoted_after(&loader, "from ")?;
        let app_wasm = quoted_after(&loader, "module_or_path: ")?;
        let (head, _) = cut(&head, "<link rel=\"modulepreload\"", ">")?;
        let (head, _) = cut(&head, "<link rel=\"preload\"", ">")?;
        Ok(Self {
            head,
            app_js,
            app_wasm,
            body_open,
        })
    }

    /// The script that starts the app on the page for `route`.
    fn start_script(&self, route: &str) -> String {
        format!(
            "<script type=\"module\" src=\"/start.js\" data-app-js=\"{}\" data-app-wasm=\"{}\" \
             data-start=\"{}\" data-params=\"{}\" data-outbox-key=\"{}\"></script>",
            self.app_js,
            self.app_wasm,
            pages::start(route).as_str(),
            pages::params_read_by(route).join(" "),
            massage_site::booking::outbox::KEY,
        )
    }

    fn render(&self, route: &str) -> String {
        let owner = Owner::new();
        owner.with(|| {
            provide_context(RequestUrl::new(route));
            let (meta, output) = ServerMetaContext::new();
            provide_context(meta);
            let app = view! { <massage_site::App /> }.to_html();
            let page = format!(
                "{}{}{}<div id=\"{ROOT_ID}\">{app}</div></body>\n</html>\n",
                self.head,
                self.start_script(route),
                self.body_open
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

/// `html` without the first element from `start` to the `end` after it, and what was cut.
fn cut(html: &str, start: &str, end: &str) -> Result<(String, String), String> {
    let from = html
        .find(start)
        .ok_or_else(|| format!("index.html has no {start}"))?;
    let to = html[from..]
        .find(end)
        .map(|i| from + i + end.len())
        .ok_or_else(|| format!("index.html: {start} has no {end}"))?;
    Ok((
        format!("{}{}", &html[..from], &html[to..]),
        html[from..to].to_owned(),
    ))
}

/// The quoted string after `marker` in Trunk's loader (`from '/app-1a2b.js'`).
fn quoted_after(loader: &str, marker: &str) -> Result<String, String> {
    let rest = &loader[loader
        .find(marker)
        .ok_or_else(|| format!("Trunk's loader has no {marker}"))?
        + marker.len()..];
    let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'));
    quote
        .and_then(|q| rest[1..].split_once(q))
        .map(|(name, _)| name.to_owned())
        .filter(|name| name.starts_with('/') && !name.contains(['"', '<', '>']))
        .ok_or_else(|| format!("Trunk's loader: no file name after {marker}"))
}
