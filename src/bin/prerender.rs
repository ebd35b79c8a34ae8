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
use massage_core::inline_style::{with_inline_icon, with_inline_stylesheet};
use massage_core::pages;
use massage_core::pages::PageApp;
use massage_core::site_html::{
    Shell, escape_text, hashed_assets, name_by_content, site_hashes, with_policy_meta,
};
use massage_core::site_policy::{Delivery, content_security_policy, netlify_headers};
use massage_site::booking::ENDPOINT;
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

/// A page that is already as it would be is left alone, so `publish` compresses again only
/// the pages that changed.
fn write(path: &Path, html: &str) -> Result<(), String> {
    massage_core::site_files::write_if_changed(path, html)
        .map(drop)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Removes the page of every article no longer published (`publish` prerenders on a copy of
/// the last site): each `articles/<slug>/` whose slug is not in `slugs`.
fn remove_old_articles(site: &Path, slugs: &[String]) -> Result<(), String> {
    let dir = site.join("articles");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = entry.file_name();
        let is_page = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_page && !slugs.iter().any(|s| name == s.as_str()) {
            std::fs::remove_dir_all(entry.path())
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn prerender(site: &Path) -> Result<usize, String> {
    let trunk_html = read(&site.join("index.html"))?;
    // Pages carry the stylesheet and the icon inline; the bare shell below keeps Trunk's links.
    let page_html = with_inline_stylesheet(&trunk_html, |href| read(&site.join(&href[1..])))?;
    let page_html = with_inline_icon(&page_html, |href| {
        let path = site.join(&href[1..]);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    })?;
    let shell = Shell::parse(&page_html)
        .map_err(|e| format!("{e} (run prerender on a fresh Trunk build)"))?;
    // The bare shell stays available for addresses that are the app's but not prerendered.
    write(
        &site.join("shell.html"),
        &with_policy_meta(&trunk_html, ENDPOINT)?,
    )?;
    // The self-check's result depends on answers kept in the tab: any static host serves it
    // the shell, from its own file.
    write(
        &site.join(pages::prerendered_file(pages::SELF_CHECK_RESULT)),
        &with_policy_meta(&trunk_html, ENDPOINT)?,
    )?;
    // The booking page and the self-check start their own, smaller apps.
    let mut apps = Vec::new();
    for app in PageApp::PAGE_APPS {
        apps.push((app, name_by_content(site, app.bin())?));
    }
    let page = Template { shell, apps };

    let index: LibraryIndex = serde_json::from_str(&read(&site.join("content/library.json"))?)
        .map_err(|e| format!("content/library.json: {e}"))?;
    let slugs: Vec<String> = index.articles.iter().map(|a| a.slug.clone()).collect();
    for slug in &slugs {
        let file = format!("content/articles/{slug}.json");
        let body =
            serde_json::from_str(&read(&site.join(&file))?).map_err(|e| format!("{file}: {e}"))?;
        remember_article(slug, body);
    }
    remember_library(index);

    any_spawner::Executor::init_futures_executor().map_err(|e| format!("{e:?}"))?;
    let article_routes = slugs.iter().map(|slug| format!("/articles/{slug}"));
    // Each self-check step, with its question and options: a reload paints the question at
    // once, and the app then fills in the answers kept in the tab.
    let step_routes = massage_site::content::self_check_rules()
        .questions
        .iter()
        .map(|q| pages::self_check_step(&q.id));
    let routes: Vec<String> = pages::STATIC
        .iter()
        .map(|r| r.to_string())
        .chain(article_routes)
        .chain(step_routes)
        .collect();
    for route in &routes {
        let html = page.render(route)?;
        // The page list is massage_core::pages'; the router must have a route for each.
        if html.contains(&format!(
            "<title>{} |",
            massage_site::pages::not_found::TITLE
        )) {
            return Err(format!(
                "{route} is listed in massage_core::pages (or the library) but the router in src/app.rs shows it as not found"
            ));
        }
        write(&site.join(pages::prerendered_file(route)), &html)?;
    }
    // Hosts answer unknown addresses with this page (and a 404 status).
    remove_old_articles(site, &slugs)?;
    write(&site.join("404.html"), &page.render("/404")?)?;
    // The service worker shows this for a page not saved on the phone when there is no
    // connection. Plain HTML: at that address the app would try to load the missing page.
    let offline = page.render_with(massage_site::pages::offline::PATH, "")?;
    write(&site.join("offline.html"), &offline)?;
    // Netlify reads its headers from this file: the policy the receiver sends too.
    let policy = content_security_policy(&site_hashes(site)?, ENDPOINT, Delivery::Header);
    let assets = hashed_assets(site)?;
    write(
        &site.join("_headers"),
        &netlify_headers(&policy, assets.iter().map(String::as_str)),
    )?;
    Ok(routes.len() + 2)
}

/// What starts the app on a prerendered page, written into each page: one request fewer
/// before the first paint than a script file (the page's CSP carries its hash).
const START_JS: &str = include_str!("../../public/start.js");

/// Trunk's page shell, ready to take a rendered route.
struct Template {
    shell: Shell,
    /// Each page app's script and wasm, as named in the built site.
    apps: Vec<(PageApp, (String, String))>,
}

impl Template {
    /// The script that starts the app on the page for `route`, in place of Trunk's loader:
    /// `public/start.js`, inline, with the app's files and when to start it as data.
    fn start_script(&self, route: &str) -> String {
        let app = PageApp::for_page(route);
        let site = (&self.shell.app_js, &self.shell.app_wasm);
        let (js, wasm) = self
            .apps
            .iter()
            .find(|(a, _)| *a == app)
            .map_or(site, |(_, (js, wasm))| (js, wasm));
        // An app without the outbox names the site's app too, for start.js to start instead
        // when a booking request waits on the phone.
        let site_app = if app.has_outbox() {
            String::new()
        } else {
            format!(
                " data-site-js=\"{}\" data-site-wasm=\"{}\"",
                escape_text(site.0),
                escape_text(site.1)
            )
        };
        format!(
            "<script type=\"module\" data-app-js=\"{}\" data-app-wasm=\"{}\"{site_app} \
             data-start=\"{}\" data-params=\"{}\" data-outbox-key=\"{}\">{START_JS}</script>",
            escape_text(js),
            escape_text(wasm),
            pages::start(route).as_str(),
            escape_text(&pages::params_read_by(route).join(" ")),
            escape_text(massage_site::booking::outbox::KEY),
        )
    }

    /// The page for `route`: the app's HTML in the shell, its title and meta tags (added by
    /// leptos_meta), and its Content-Security-Policy for exactly the inline code it has.
    fn render(&self, route: &str) -> Result<String, String> {
        self.render_with(route, &self.start_script(route))
    }

    /// The page for `route` with `start_script` (none: a page that never starts the app).
    fn render_with(&self, route: &str, start_script: &str) -> Result<String, String> {
        let owner = Owner::new();
        let page = owner.with(|| {
            provide_context(RequestUrl::new(route));
            let (meta, output) = ServerMetaContext::new();
            provide_context(meta);
            let app = view! { <massage_site::App /> }.to_html();
            let page = self
                .shell
                .page(start_script, &format!("<div id=\"{ROOT_ID}\">{app}</div>"))?;
            Ok::<_, String>(futures::executor::block_on(async move {
                output
                    .inject_meta_context(futures::stream::iter([page]))
                    .await
                    .collect::<String>()
                    .await
            }))
        })?;
        with_policy_meta(&page, ENDPOINT).map_err(|e| format!("{route}: {e}"))
    }
}
