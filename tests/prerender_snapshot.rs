//! One prerendered page as a reviewed snapshot (`insta`): the prerenderer (src/bin/prerender.rs)
//! runs natively on a fixture site (a Trunk-like shell and one fixture article, through the
//! real `site-build`), and the article's page must match `tests/snapshots/`. Any change to
//! what a visitor gets before the app runs (layout, meta tags, the start script, the CSP)
//! shows up as a diff to accept (`cargo insta review`) or to fix.
//!
//! Native only, with feature `ssr`: `make test-native` runs it.

mod support;

use std::process::Command;
use support::{SLUG, trunk_output};

/// The page with the start script's text (inline, `public/start.js`) and its hash in the
/// CSP's `script-src` shown as placeholders: the snapshot is the page, and the script's own
/// behaviour is tested in the browser (tests/e2e).
fn without_start_script(page: &str) -> String {
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/public/start.js"))
        .expect("public/start.js");
    assert!(page.contains(&script), "the start script is inline");
    let page = page.replace(&script, "/* public/start.js */");
    // The policy's directives in their order: script-src's sources end where style-src starts.
    let (before, rest) = page.split_once("script-src ").expect("a CSP");
    let (sources, after) = rest.split_once(" style-src ").expect("style-src follows");
    let sources: Vec<&str> = sources
        .split(' ')
        .map(|s| {
            if s.contains("sha256-") {
                "&#39;sha256-(start.js)&#39;;"
            } else {
                s
            }
        })
        .collect();
    format!("{before}script-src {} style-src {after}", sources.join(" "))
}

#[test]
fn an_article_page_as_prerendered() {
    let work = tempfile::tempdir().expect("a temporary folder");
    let (content, site) = trunk_output(work.path());
    site_build::build(&content, &site).expect("the fixture library builds");

    let run = Command::new(env!("CARGO_BIN_EXE_prerender"))
        .arg(&site)
        .output()
        .expect("run the prerenderer");
    assert!(
        run.status.success(),
        "prerender failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );

    let page = std::fs::read_to_string(site.join(format!("articles/{SLUG}/index.html")))
        .expect("the article's page was written");
    insta::assert_snapshot!("article_page", without_start_script(&page));
}
