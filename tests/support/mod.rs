//! A fixture site as Trunk would leave it, and the content it is built from: a Trunk-like
//! shell, the site's stylesheet and the apps' files as stand-ins, the real services file and
//! one fixture article. Shared by the native tests that run the real build steps on it.

use std::path::{Path, PathBuf};

pub(crate) const FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/prerender-site");
pub(crate) const SLUG: &str = "stretching-at-your-desk";

pub(crate) fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("{} -> {}: {e}", from.display(), to.display()));
}

/// Writes `content/` (the fixture article, the real services file) and `site/` (what Trunk
/// writes) under `work`, and returns their paths. The content steps have not run yet.
pub(crate) fn trunk_output(work: &Path) -> (PathBuf, PathBuf) {
    let (content, site) = (work.join("content"), work.join("site"));
    std::fs::create_dir_all(content.join("articles")).unwrap();
    std::fs::create_dir_all(&site).unwrap();
    let fixture = Path::new(FIXTURE);
    copy(
        &fixture.join(format!("articles/{SLUG}.md")),
        &content.join(format!("articles/{SLUG}.md")),
    );
    // The practice's details are the real ones: the page's layout shows them.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(
        &root.join("content/services.toml"),
        &content.join("services.toml"),
    );
    for file in ["index.html", "main-0123456789abcdef.css"] {
        copy(&fixture.join(file), &site.join(file));
    }
    copy(
        &root.join("public/favicon.svg"),
        &site.join("favicon-0123456789abcdef.svg"),
    );
    // The site's app, hashed by Trunk; the page apps' files unhashed (the prerenderer names
    // them by content).
    std::fs::write(site.join("app-0123456789abcdef.js"), "// glue").unwrap();
    std::fs::write(
        site.join("app-0123456789abcdef_bg.wasm"),
        "wasm".repeat(100),
    )
    .unwrap();
    for app in massage_core::pages::PageApp::PAGE_APPS {
        std::fs::write(site.join(format!("{}.js", app.bin())), "// glue").unwrap();
        std::fs::write(site.join(format!("{}_bg.wasm", app.bin())), "wasm").unwrap();
    }
    (content, site)
}
