//! Reading and rewriting built HTML pages with an HTML rewriter (`lol_html`), never by
//! searching the text: Trunk's page shell, taken apart for the prerenderer, and the hashes of
//! the inline scripts and styles a page runs, for its Content-Security-Policy (see
//! `site_policy`). Native only (feature `html`): the visitor's wasm never carries it.

use crate::site_policy::{Delivery, InlineHashes, content_security_policy, is_hashed_asset};
use base64::Engine;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str, text};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The script that starts the app on a prerendered page (`public/start.js`, written inline by
/// the prerenderer with the app's file names as data attributes): pages that must not start
/// the app (the receiver's answers to a plain form post) remove what this selects.
pub const START_SCRIPT: &str = "script[data-app-js]";

/// `text` as HTML text: it can never start or end an element.
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Trunk's `index.html`: the page every prerendered route is written into.
pub struct Shell {
    html: String,
    /// The app's JavaScript and WebAssembly, as Trunk named them (`/massage-site-1a2b….js`).
    pub app_js: String,
    /// The app's WebAssembly file name.
    pub app_wasm: String,
}

impl Shell {
    /// Reads Trunk's page: the app's file names come from the preloads Trunk writes for them.
    pub fn parse(trunk_html: &str) -> Result<Self, String> {
        let (js, wasm) = (RefCell::new(None), RefCell::new(None));
        rewrite_str(
            trunk_html,
            RewriteStrSettings {
                element_content_handlers: vec![
                    element!("link[rel=modulepreload][href]", |el| {
                        js.borrow_mut()
                            .get_or_insert(el.get_attribute("href").unwrap_or_default());
                        Ok(())
                    }),
                    element!("link[rel=preload][href$='.wasm']", |el| {
                        wasm.borrow_mut()
                            .get_or_insert(el.get_attribute("href").unwrap_or_default());
                        Ok(())
                    }),
                ],
                ..RewriteStrSettings::default()
            },
        )
        .map_err(|e| format!("index.html: {e}"))?;
        let file = |name: Option<String>, what: &str| {
            name.filter(|n| n.starts_with('/'))
                .ok_or_else(|| format!("index.html has no preload for the app's {what}"))
        };
        Ok(Self {
            html: trunk_html.to_owned(),
            app_js: file(js.into_inner(), "JavaScript")?,
            app_wasm: file(wasm.into_inner(), "WebAssembly")?,
        })
    }

    /// A page: the shell with `head_end` at the end of its `<head>` and `body` as its body.
    /// The shell's own `<title>` goes (each page brings its own; a second would win), and so
    /// do Trunk's loader (inline module scripts) and its preloads: a prerendered page starts
    /// the app after its first paint, from `head_end` (`public/start.js`, inline).
    pub fn page(&self, head_end: &str, body: &str) -> Result<String, String> {
        rewrite_str(
            &self.html,
            RewriteStrSettings {
                element_content_handlers: vec![
                    element!("head > title", |el| {
                        el.remove();
                        Ok(())
                    }),
                    element!("script[type=module]:not([src])", |el| {
                        el.remove();
                        Ok(())
                    }),
                    element!(
                        "link[rel=modulepreload], link[rel=preload][href$='.wasm']",
                        |el| {
                            el.remove();
                            Ok(())
                        }
                    ),
                    element!("head", |el| {
                        el.append(head_end, ContentType::Html);
                        Ok(())
                    }),
                    element!("body", |el| {
                        el.set_inner_content(body, ContentType::Html);
                        Ok(())
                    }),
                ],
                ..RewriteStrSettings::default()
            },
        )
        .map_err(|e| format!("index.html: {e}"))
    }
}

/// The hashes of the inline scripts that run and the inline styles in `html`: what its
/// Content-Security-Policy must allow. Data blocks (JSON-LD) do not run and need nothing.
pub fn inline_hashes(html: &str) -> Result<InlineHashes, String> {
    // Each inline element's text, as the parser sees it; None for those that need no hash.
    let found: RefCell<Vec<(bool, Option<String>)>> = RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("script", |el| {
                    let kind = el
                        .get_attribute("type")
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let runs = kind.is_empty() || kind == "module" || kind.contains("javascript");
                    let inline = runs && !el.has_attribute("src");
                    found.borrow_mut().push((true, inline.then(String::new)));
                    Ok(())
                }),
                element!("style", |_| {
                    found.borrow_mut().push((false, Some(String::new())));
                    Ok(())
                }),
                text!("script, style", |chunk| {
                    if let Some((_, Some(body))) = found.borrow_mut().last_mut() {
                        body.push_str(chunk.as_str());
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let mut hashes = InlineHashes::default();
    for (script, body) in found.into_inner() {
        let Some(body) = body else { continue };
        let hash = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes()))
        );
        if script {
            hashes.scripts.insert(hash);
        } else {
            hashes.styles.insert(hash);
        }
    }
    Ok(hashes)
}

/// `html` with its Content-Security-Policy as a `<meta>` tag right after `<meta charset>`
/// (a policy covers only what comes after it; the charset must stay in the first bytes),
/// allowing exactly the inline code the page has (and the booking `endpoint` the site was
/// built with). A policy tag already there is replaced, so a later build step that changes
/// the page can run this again.
pub fn with_policy_meta(html: &str, endpoint: &str) -> Result<String, String> {
    let policy = content_security_policy(&inline_hashes(html)?, endpoint, Delivery::Meta);
    let tag = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        escape_text(&policy)
    );
    let placed = RefCell::new(false);
    let page = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("meta[http-equiv]", |el| {
                    let name = el.get_attribute("http-equiv").unwrap_or_default();
                    if name.eq_ignore_ascii_case("content-security-policy") {
                        el.remove();
                    }
                    Ok(())
                }),
                element!("head > meta[charset]", |el| {
                    if !placed.replace(true) {
                        el.after(&tag, ContentType::Html);
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        },
    )
    .map_err(|e| e.to_string())?;
    if placed.into_inner() {
        Ok(page)
    } else {
        Err("the page has no <meta charset> to put its Content-Security-Policy after".into())
    }
}

/// Every `.html` file under `dir`, and every file named after its content, as site paths.
fn site_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        let entries =
            std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|e| format!("{}: {e}", folder.display()))?
                .path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// What the whole built site in `dir` needs its header policy to allow: every page's inline
/// code (a header and a page's own `<meta>` policy both apply; each page stays limited by
/// its own).
pub fn site_hashes(dir: &Path) -> Result<InlineHashes, String> {
    let mut hashes = InlineHashes::default();
    for file in site_files(dir)? {
        if file.extension().is_some_and(|e| e == "html") {
            let html =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            hashes.extend(inline_hashes(&html).map_err(|e| format!("{}: {e}", file.display()))?);
        }
    }
    Ok(hashes)
}

/// The site paths (`/app-1a2b….js`) of the files in `dir` named after their content.
pub fn hashed_assets(dir: &Path) -> Result<Vec<String>, String> {
    Ok(site_files(dir)?
        .iter()
        .filter_map(|file| file.strip_prefix(dir).ok())
        .map(|rel| format!("/{}", rel.to_string_lossy().replace('\\', "/")))
        .filter(|path| is_hashed_asset(path))
        .collect())
}

/// Gives a page app's files (Trunk builds them as `<bin>.js` and `<bin>_bg.wasm`, unhashed)
/// names that change with their content, `<bin>-<hash>.js` and `<bin>-<hash>_bg.wasm`, as
/// Trunk names the site's app: hosts and the service worker keep such files for good
/// (`is_hashed_asset`). A site already named (the build's content steps run again on a copy
/// of it) keeps its names. Returns the two addresses.
pub fn name_by_content(dir: &Path, bin: &str) -> Result<(String, String), String> {
    let (js, wasm) = (
        dir.join(format!("{bin}.js")),
        dir.join(format!("{bin}_bg.wasm")),
    );
    if !js.exists()
        && let Some(named) = already_named(dir, bin)?
    {
        return Ok(named);
    }
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| {
            format!(
                "{}: {e} (the page apps come from a fresh Trunk build)",
                path.display()
            )
        })
    };
    let mut digest = Sha256::new();
    digest.update(read(&js)?);
    digest.update(read(&wasm)?);
    let hash: String = digest.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let named = (format!("{bin}-{hash}.js"), format!("{bin}-{hash}_bg.wasm"));
    for (from, to) in [(&js, &named.0), (&wasm, &named.1)] {
        std::fs::rename(from, dir.join(to)).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    Ok((format!("/{}", named.0), format!("/{}", named.1)))
}

/// The page app's files as `name_by_content` named them, if it has.
fn already_named(dir: &Path, bin: &str) -> Result<Option<(String, String)>, String> {
    let prefix = format!("{bin}-");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let name = entry
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(hash) = name
            .strip_prefix(&prefix)
            .and_then(|n| n.strip_suffix(".js"))
            && hash.len() == 16
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && dir.join(format!("{bin}-{hash}_bg.wasm")).exists()
        {
            found.push((format!("/{name}"), format!("/{bin}-{hash}_bg.wasm")));
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(format!(
            "{}: more than one {bin} app; build into an empty folder",
            dir.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "<!DOCTYPE html>\n<html lang=\"en-GB\"><head>\n<meta charset=\"utf-8\" />\n\
        <title>Shell title</title>\n\
        <link rel=\"modulepreload\" href=\"/app-0123456789abcdef.js\" crossorigin=\"anonymous\">\n\
        <link rel=\"preload\" href=\"/app-0123456789abcdef_bg.wasm\" as=\"fetch\" type=\"application/wasm\">\n\
        <link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\">\n\
        <script type=\"module\">import init from '/app-0123456789abcdef.js';\n\
        await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });</script>\n\
        </head>\n<body>\n<noscript><p>Needs JavaScript.</p></noscript>\n</body>\n</html>\n";

    fn sha(text: &str) -> String {
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
        )
    }

    #[test]
    fn a_page_app_is_named_by_its_content_like_trunks_own() {
        let dir = tempfile::tempdir().unwrap();
        let names = |js: &str| {
            std::fs::write(dir.path().join("page-app.js"), js).unwrap();
            std::fs::write(dir.path().join("page-app_bg.wasm"), "wasm").unwrap();
            name_by_content(dir.path(), "page-app").unwrap()
        };
        let (js, wasm) = names("one");
        assert!(
            is_hashed_asset(&js) && is_hashed_asset(&wasm),
            "{js} {wasm}"
        );
        assert_eq!(wasm, js.replace(".js", "_bg.wasm"));
        assert!(dir.path().join(&js[1..]).exists() && !dir.path().join("page-app.js").exists());
        assert_eq!(
            name_by_content(dir.path(), "page-app").unwrap(),
            (js.clone(), wasm),
            "named again: the same names"
        );
        assert_ne!(names("two").0, js, "a change of content is a new name");
        let missing = name_by_content(dir.path(), "nowhere").unwrap_err();
        assert!(missing.contains("nowhere.js"), "{missing}");
    }

    #[test]
    fn a_page_is_the_shell_without_its_loader_with_the_route_in_it() {
        let shell = Shell::parse(TRUNK).unwrap();
        assert_eq!(shell.app_js, "/app-0123456789abcdef.js");
        assert_eq!(shell.app_wasm, "/app-0123456789abcdef_bg.wasm");
        let page = shell
            .page(
                "<script data-app-js=\"/a.js\">start()</script>",
                "<div id=\"app\">Hello</div>",
            )
            .unwrap();
        for gone in [
            "<title>",
            "modulepreload",
            "rel=\"preload\"",
            "import init",
            "Needs JavaScript",
        ] {
            assert!(!page.contains(gone), "{gone} is left in {page}");
        }
        assert!(
            page.contains("<script data-app-js=\"/a.js\">start()</script></head>"),
            "{page}"
        );
        assert!(
            page.contains("<body><div id=\"app\">Hello</div></body>"),
            "{page}"
        );
        assert!(page.contains("/main-0123456789abcdef.css"), "{page}");
    }

    #[test]
    fn a_shell_without_the_apps_preloads_is_refused() {
        let error = Shell::parse("<html><head></head><body></body></html>")
            .err()
            .unwrap();
        assert!(
            error.contains("no preload for the app's JavaScript"),
            "{error}"
        );
    }

    #[test]
    fn hashes_cover_the_inline_code_that_runs_and_nothing_else() {
        let html = "<head><script type=\"module\">import x from '/a.js';</script>\
            <script src=\"/b.js\"></script><script type=\"application/ld+json\">{\"a\":1}</script>\
            <script>plain()</script><style>p{color:red}</style></head><body><p>x</p></body>";
        let hashes = inline_hashes(html).unwrap();
        assert_eq!(hashes.scripts.into_iter().collect::<Vec<_>>(), {
            let mut v = vec![sha("import x from '/a.js';"), sha("plain()")];
            v.sort();
            v
        });
        assert_eq!(
            hashes.styles.into_iter().collect::<Vec<_>>(),
            [sha("p{color:red}")]
        );
    }

    #[test]
    fn every_page_carries_its_own_policy_after_the_charset() {
        let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>b{}</style>\
            <script>go()</script></head><body></body></html>";
        let page = with_policy_meta(html, "/api").unwrap();
        let expected = format!(
            "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;self&#39;; \
             script-src &#39;self&#39; &#39;wasm-unsafe-eval&#39; {}; style-src &#39;self&#39; {};",
            escape_text(&sha("go()")),
            escape_text(&sha("b{}"))
        );
        assert!(page.contains(&expected), "{page}");
        assert!(!page.contains("frame-ancestors"), "{page}");
        // Run again (a later step changed the page): still one policy, for the new content.
        let again = with_policy_meta(&page.replace("go()", "went()"), "/api").unwrap();
        assert_eq!(again.matches("http-equiv").count(), 1, "{again}");
        assert!(again.contains(&escape_text(&sha("went()"))), "{again}");
        assert!(with_policy_meta("<p>no head</p>", "/api").is_err());
    }

    #[test]
    fn text_is_escaped_so_it_cannot_close_an_element() {
        assert_eq!(
            escape_text("</title><img src=x onerror=\"alert('1')\">&"),
            "&lt;/title&gt;&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn the_site_needs_every_pages_inline_code_and_caches_hashed_files() {
        let dir = std::env::temp_dir().join(format!("site-html-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("articles/a")).unwrap();
        std::fs::write(dir.join("shell.html"), "<script>one()</script>").unwrap();
        std::fs::write(dir.join("articles/a/index.html"), "<style>two{}</style>").unwrap();
        std::fs::write(dir.join("app-0123456789abcdef.js"), "").unwrap();
        std::fs::write(dir.join("noscript.css"), "").unwrap();
        let hashes = site_hashes(&dir).unwrap();
        let assets = hashed_assets(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(hashes.scripts.contains(&sha("one()")));
        assert!(hashes.styles.contains(&sha("two{}")));
        assert_eq!(assets, ["/app-0123456789abcdef.js"]);
    }
}
