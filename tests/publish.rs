//! Publishing the content again on a built site, without compiling the app (`site-build`'s
//! `publish`, run by `make content`): the real build steps on a fixture site, as Trunk's
//! hook runs them the first time and as `publish` runs them after an edit.
//!
//! Native only, with feature `ssr` (it runs the real prerenderer): `make test-native`.

mod support;

use site_build::publish::publish;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;
use support::{SLUG, trunk_output};

const PRERENDER: &str = env!("CARGO_BIN_EXE_prerender");

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// What the work folder holds besides content/ and site/: a publish leaves nothing behind.
fn leftovers(work: &Path) -> Vec<String> {
    std::fs::read_dir(work)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != "content" && n != "site")
        .collect()
}

fn article(title: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: A short, plain summary of the piece.\ndate: 2026-11-30\n\
         category: Self-care\ntags: back\n---\nMoving a little, often, keeps the back supple.\n\n\
         ## Why it helps {{#why}}\n\n{}\n",
        "Gentle movement brings blood to stiff muscles. ".repeat(20)
    )
}

#[test]
fn an_edit_goes_live_whole_a_removal_leaves_nothing_and_an_error_changes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let (content, site) = trunk_output(work.path());
    // The first build, as Trunk's hook runs it (Trunk.toml).
    site_build::build(&content, &site).unwrap();
    let run = Command::new(PRERENDER).arg(&site).output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    site_build::finish::finish(&content, &site).unwrap();
    let app_copy = site.join("app-0123456789abcdef_bg.wasm.br");
    let app_compressed = modified(&app_copy);
    let privacy_copy = site.join("privacy/index.html.br");
    let privacy_compressed = modified(&privacy_copy);

    // A new article is written: it is live after one publish, everywhere the site lists it.
    let new = content.join("articles/moving-little-and-often.md");
    std::fs::write(&new, article("Moving little and often")).unwrap();
    let done = publish(&content, &site, Path::new(PRERENDER)).unwrap();
    assert!(
        done.library.contains("2 articles published"),
        "{}",
        done.library
    );
    let page = site.join("articles/moving-little-and-often/index.html");
    assert!(read(&page).contains("Moving little and often"));
    assert!(page.with_extension("html.br").is_file());
    assert!(read(&site.join("content/library.json")).contains("moving-little-and-often"));
    assert!(read(&site.join("sitemap.xml")).contains("/articles/moving-little-and-often"));
    assert!(read(&site.join("articles/index.html")).contains("Moving little and often"));
    // The home page is prerendered again, not left as Trunk's shell.
    assert!(!read(&site.join("index.html")).contains("Shell title the page replaces"));
    // The app and a page the article does not appear on did not change, so they were not
    // written or compressed again (brotli at its best level is the slow part of publishing).
    assert_eq!(modified(&app_copy), app_compressed);
    assert_eq!(modified(&privacy_copy), privacy_compressed);
    assert_eq!(leftovers(work.path()), Vec::<String>::new());

    // The article is removed: its page goes too.
    std::fs::remove_file(&new).unwrap();
    publish(&content, &site, Path::new(PRERENDER)).unwrap();
    assert!(!page.exists() && !page.with_extension("html.br").exists());
    assert!(site.join(format!("articles/{SLUG}/index.html")).is_file());

    // A broken article is refused, named like a build names it, and the live site stays.
    std::fs::write(content.join("articles/broken.md"), "no front matter").unwrap();
    let err = publish(&content, &site, Path::new(PRERENDER)).unwrap_err();
    assert!(err.contains("articles/broken.md:1"), "{err}");
    assert!(site.join(format!("articles/{SLUG}/index.html")).is_file());
    assert!(read(&site.join("content/library.json")).contains(SLUG));
    assert_eq!(leftovers(work.path()), Vec::<String>::new());
}
