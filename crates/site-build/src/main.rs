//! `site-build --content DIR --out DIR`: run by Trunk after it has built the app (a
//! post_build hook, see Trunk.toml). Checks every article and writes the files the app
//! fetches at run time, so the wasm stays the same size however many articles there are:
//!
//! - `content/library.json`: the small index (titles, summaries, dates, tags, section ids)
//! - `content/search.json`: the full-text search index, fetched when search is first used
//! - `content/articles/<slug>.json`: each article's body as the page shows it (HTML rendered
//!   by the one Markdown pipeline, and its FAQ), fetched when it is opened; beside it the
//!   Markdown (`<slug>.md`), for readers and tools
//! - `sitemap.xml` and `robots.txt`, from the library and the site's address

use site_build::build;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut content = PathBuf::from("content");
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().map(PathBuf::from);
        match (flag.as_str(), value) {
            ("--content", Some(v)) => content = v,
            ("--out", Some(v)) => out = Some(v),
            _ => {
                eprintln!("usage: site-build [--content DIR] --out DIR");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: site-build [--content DIR] --out DIR");
        return ExitCode::from(2);
    };
    match build(&content, &out) {
        Ok(summary) => {
            eprintln!("site-build: {summary}");
            ExitCode::SUCCESS
        }
        Err(messages) => {
            for m in messages {
                eprintln!("error: {m}");
            }
            ExitCode::FAILURE
        }
    }
}
