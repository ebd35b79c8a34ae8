//! The build step behind `site-build`: checks `content/` and writes the article library's
//! static files into the built site (see main.rs for the files).

pub mod feed;
pub mod finish;
pub mod icons;
pub mod images;
pub mod precompress;
pub mod publish;
pub mod service_worker;

use massage_core::ContentError;
use massage_core::articles::library::{Library, Standing};
use massage_core::articles::photos::Photos;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::{Date, unix_seconds};
use massage_core::self_check::rules;
use massage_core::services::Catalog;
use massage_core::site_files::write_if_changed;
use std::path::Path;

use massage_core::pages::STATIC as PAGES;

/// London's date now: articles dated after it are scheduled, not published.
pub fn london_today() -> Date {
    LondonDateTime::from_utc_seconds(unix_seconds(std::time::SystemTime::now())).date
}

/// Checks the content and writes the library's files under `out`, as of today.
pub fn build(content: &Path, out: &Path) -> Result<String, Vec<String>> {
    build_on(content, out, london_today())
}

/// Every article file in `content/articles/`, as `(path as shown, text)`.
pub fn read_articles(content: &Path) -> Result<Vec<(String, String)>, Vec<ContentError>> {
    Library::read_files(
        &content.join("articles"),
        &format!("{}/articles", content.display()),
    )
}

/// The build's checks of the articles in `files` (see `read_articles`): each article, the
/// links between them, and the self-check's links into them. The inbox's editor runs the
/// same on the articles with hers in place, so it refuses exactly what the build would.
pub fn check(
    content: &Path,
    files: &[(String, String)],
    photos: &Photos,
    today: Date,
) -> Result<Library, Vec<ContentError>> {
    let library = Library::from_files(files, photos, today)?;
    check_self_check_links(content, &library).map_err(|e| vec![e])?;
    Ok(library)
}

/// The library in `content` as today's build checks it, for the tools that read it.
pub fn load_library(content: &Path) -> Result<Library, Vec<String>> {
    let strings = |errors: Vec<ContentError>| errors.iter().map(ToString::to_string).collect();
    let photos = images::catalog(&content.join("images"))?;
    let files = read_articles(content).map_err(strings)?;
    check(content, &files, &photos, london_today()).map_err(strings)
}

/// Checks the content and writes the library's files and the photos under `out`, for the
/// London date `today`.
pub fn build_on(content: &Path, out: &Path, today: Date) -> Result<String, Vec<String>> {
    let strings =
        |errors: Vec<ContentError>| errors.iter().map(ToString::to_string).collect::<Vec<_>>();
    let photos = images::publish_photos(&content.join("images"), &out.join("images"))?;
    let files = read_articles(content).map_err(strings)?;
    let library = check(content, &files, &photos.photos, today).map_err(strings)?;
    for warning in library.articles.iter().flat_map(|a| &a.warnings) {
        eprintln!("warning: {warning}");
    }
    let io = |e: std::io::Error| vec![format!("writing to {}: {e}", out.display())];
    let dir = out.join("content");
    std::fs::create_dir_all(dir.join("articles")).map_err(io)?;
    let index = serde_json::to_string(&library.index()).expect("index serialises");
    write_if_changed(&dir.join("library.json"), index).map_err(io)?;
    let search = serde_json::to_string(&library.search_docs()).expect("search index serialises");
    write_if_changed(&dir.join("search.json"), search).map_err(io)?;
    let mut count = 0;
    for article in library.published() {
        let file = dir.join("articles").join(&article.meta.slug);
        write_if_changed(&file.with_extension("md"), &article.body).map_err(io)?;
        // What the page shows, rendered here so the app needs no Markdown parser.
        let body = serde_json::to_string(&article.rendered.body()).expect("body serialises");
        write_if_changed(&file.with_extension("json"), body).map_err(io)?;
        count += 1;
    }
    // An article removed, made a draft or scheduled leaves nothing behind (`publish` builds
    // on a copy of the last site): its files, and their compressed copies, go.
    let published: std::collections::HashSet<&str> =
        library.published().map(|a| a.meta.slug.as_str()).collect();
    for entry in std::fs::read_dir(dir.join("articles")).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let slug = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.split('.').next());
        if slug.is_some_and(|s| !published.contains(s)) {
            std::fs::remove_file(&path).map_err(io)?;
        }
    }
    let services = content.join("services.toml");
    let text = std::fs::read_to_string(&services)
        .map_err(|e| vec![format!("{}: {e}", services.display())])?;
    let catalog = Catalog::from_toml(&services.display().to_string(), &text)
        .map_err(|e| vec![e.to_string()])?;
    let site = &catalog.practice.site_url;
    write_if_changed(&out.join("sitemap.xml"), sitemap(site, &library)).map_err(io)?;
    write_if_changed(
        &out.join("feed.xml"),
        feed::atom(&catalog.practice, &library),
    )
    .map_err(io)?;
    write_if_changed(
        &out.join("robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {site}/sitemap.xml\n"),
    )
    .map_err(io)?;
    let scheduled = library
        .articles
        .iter()
        .filter(|a| a.standing(today) == Standing::Scheduled)
        .count();
    let drafts = library.articles.len() - count - scheduled;
    Ok(format!(
        "{count} articles published ({scheduled} scheduled, {drafts} drafts), {} photos ({} files encoded) into {}",
        photos.photos.iter().count(),
        photos.encoded,
        dir.display()
    ))
}

/// The self-check sends readers to article sections: an article edited or removed must not
/// leave one of its links pointing nowhere. Checked here, where every content build passes,
/// rather than when the app is compiled (articles change without that).
fn check_self_check_links(content: &Path, library: &Library) -> Result<(), ContentError> {
    let path = content.join("self-check.toml");
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // A content folder without the check (a test fixture) has no links to check; the
        // app's own build refuses to compile without it.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(ContentError::new(&shown, None, e.to_string())),
    };
    let index = library.index();
    rules::check_links(&shown, &text, |article, section| {
        index
            .article(article)
            .is_some_and(|a| a.sections.iter().any(|s| s.id == section))
    })
}

/// Whether the site in `site` is behind what `content` holds today: an article written,
/// changed, removed or come due since it was published, or a photo not yet published. The
/// receiver asks at start and after each London midnight, and publishes when it is.
pub fn needs_publishing(content: &Path, site: &Path) -> Result<bool, Vec<String>> {
    let library = load_library(content)?;
    let live = |path: &str| std::fs::read_to_string(site.join(path)).ok();
    let index = serde_json::to_string(&library.index()).expect("index serialises");
    if live("content/library.json").as_ref() != Some(&index) {
        return Ok(true);
    }
    for article in library.published() {
        let body = live(&format!("content/articles/{}.md", article.meta.slug));
        if body.as_ref() != Some(&article.body) {
            return Ok(true);
        }
    }
    let photos = images::catalog(&content.join("images"))?;
    Ok(photos.iter().any(|photo| {
        photo.widths().into_iter().any(|width| {
            massage_core::articles::photos::PhotoFormat::ALL
                .iter()
                .any(|format| {
                    !site
                        .join("images")
                        .join(photo.file_name(width, *format))
                        .is_file()
                })
        })
    }))
}

/// Every page and published article, with when each article last changed.
fn sitemap(site: &str, library: &Library) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in PAGES {
        xml.push_str(&format!("  <url><loc>{site}{page}</loc></url>\n"));
    }
    for article in library.published() {
        let m = &article.meta;
        let changed = m.updated.as_deref().unwrap_or(&m.date);
        xml.push_str(&format!(
            "  <url><loc>{site}/articles/{}</loc><lastmod>{changed}</lastmod></url>\n",
            m.slug
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_index_search_index_and_bodies() {
        let content = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir(content.path().join("articles")).unwrap();
        let body = format!("## Section {{#here}}\n\n{}\n", "word ".repeat(60));
        let text = format!(
            "---\ntitle: T\nsummary: S.\ndate: 2026-01-01\ncategory: C\ntags: a\n---\n{body}"
        );
        std::fs::write(content.path().join("articles/first.md"), text).unwrap();
        let services = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../content/services.toml"
        ))
        .unwrap();
        std::fs::write(content.path().join("services.toml"), services).unwrap();
        build(content.path(), out.path()).unwrap();
        let sitemap = std::fs::read_to_string(out.path().join("sitemap.xml")).unwrap();
        assert!(
            sitemap.contains("/articles/first</loc><lastmod>2026-01-01</lastmod>"),
            "{sitemap}"
        );
        assert!(
            sitemap.contains("<loc>https://www.anastasia-massage.example/privacy</loc>"),
            "{sitemap}"
        );
        let feed = std::fs::read_to_string(out.path().join("feed.xml")).unwrap();
        assert!(
            feed.contains("<id>https://www.anastasia-massage.example/articles/first</id>")
                && feed.contains("<published>2026-01-01T00:00:00Z</published>")
                && feed.contains("&lt;h2 id=&quot;here&quot;"),
            "{feed}"
        );
        // Its HTML's `/images/…` and `/articles/…` resolve against the site, in any reader.
        assert!(
            feed.contains("xml:base=\"https://www.anastasia-massage.example/\""),
            "{feed}"
        );
        let robots = std::fs::read_to_string(out.path().join("robots.txt")).unwrap();
        assert!(
            robots.contains("Sitemap: https://www.anastasia-massage.example/sitemap.xml"),
            "{robots}"
        );
        let index = std::fs::read_to_string(out.path().join("content/library.json")).unwrap();
        assert!(
            index.contains("\"slug\":\"first\"") && index.contains("\"id\":\"here\""),
            "{index}"
        );
        assert!(
            std::fs::read_to_string(out.path().join("content/search.json"))
                .unwrap()
                .contains("word word")
        );
        assert_eq!(
            std::fs::read_to_string(out.path().join("content/articles/first.md")).unwrap(),
            body
        );
        // The page's body, rendered: what the app fetches instead of the Markdown.
        let page: massage_core::articles::markdown::ArticleBody = serde_json::from_str(
            &std::fs::read_to_string(out.path().join("content/articles/first.json")).unwrap(),
        )
        .unwrap();
        assert!(page.html.contains("<h2 id=\"here\""), "{}", page.html);
    }

    #[test]
    fn an_article_edit_that_removes_a_section_the_self_check_links_to_is_refused() {
        let content = tempfile::tempdir().unwrap();
        let real = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content");
        std::fs::create_dir(content.path().join("articles")).unwrap();
        for file in ["services.toml", "self-check.toml"] {
            std::fs::copy(format!("{real}/{file}"), content.path().join(file)).unwrap();
        }
        for entry in std::fs::read_dir(format!("{real}/articles")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                content.path().join("articles").join(entry.file_name()),
            )
            .unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        build(content.path(), out.path()).unwrap();
        let article = content.path().join("articles/back-pain.md");
        let text = std::fs::read_to_string(&article).unwrap();
        std::fs::write(&article, text.replace("{#chronic}", "{#long-term}")).unwrap();
        let errors = build(content.path(), out.path()).unwrap_err();
        assert!(
            errors[0].contains("links to /articles/back-pain#chronic, which does not exist"),
            "{errors:?}"
        );
        assert!(errors[0].contains("self-check.toml:"), "{errors:?}");
    }

    #[test]
    fn hostile_article_fields_are_escaped_in_the_feed() {
        let content = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir(content.path().join("articles")).unwrap();
        let hostile = "<script>alert(1)</script> & ]]> \\\"";
        let text = format!(
            "---\ntitle: \"{hostile}\"\nsummary: \"{hostile}\"\ndate: 2026-01-01\ncategory: \"{hostile}\"\ntags: a\n---\n{}\n",
            "word ".repeat(60)
        );
        std::fs::write(content.path().join("articles/bad.md"), text).unwrap();
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/services.toml"),
            content.path().join("services.toml"),
        )
        .unwrap();
        build(content.path(), out.path()).unwrap();
        let feed = std::fs::read_to_string(out.path().join("feed.xml")).unwrap();
        assert!(!feed.contains("<script") && !feed.contains("]]>"), "{feed}");
        assert!(
            feed.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
            "{feed}"
        );
        assert!(feed.contains("<category term=\"&lt;script&gt;"), "{feed}");
    }

    /// A content folder with the real services file and these articles.
    fn content_with(articles: &[(&str, String)]) -> tempfile::TempDir {
        let content = tempfile::tempdir().unwrap();
        std::fs::create_dir(content.path().join("articles")).unwrap();
        for (slug, text) in articles {
            std::fs::write(content.path().join(format!("articles/{slug}.md")), text).unwrap();
        }
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/services.toml"),
            content.path().join("services.toml"),
        )
        .unwrap();
        content
    }

    fn article(title: &str, date: &str, extra: &str, body: &str) -> String {
        format!(
            "---\ntitle: {title}\nsummary: About {title}.\ndate: {date}\n{extra}category: C\ntags: a\n---\n{body}\n\n{}\n",
            format!("{title}word ").repeat(60)
        )
    }

    #[test]
    fn drafts_and_scheduled_articles_are_in_no_file_until_their_day() {
        let content = content_with(&[
            ("live", article("Live", "2026-12-01", "", "")),
            ("held", article("Held", "2026-12-01", "draft: true\n", "")),
            ("soon", article("Soon", "2026-12-10", "", "")),
        ]);
        let out = tempfile::tempdir().unwrap();
        let day = |d| Date::new(2026, 12, d).unwrap();
        let summary = build_on(content.path(), out.path(), day(4)).unwrap();
        assert!(
            summary.starts_with("1 articles published (1 scheduled, 1 drafts)"),
            "{summary}"
        );
        let every_file = || {
            let mut text = String::new();
            for file in [
                "sitemap.xml",
                "feed.xml",
                "content/library.json",
                "content/search.json",
            ] {
                text.push_str(&std::fs::read_to_string(out.path().join(file)).unwrap());
            }
            for entry in std::fs::read_dir(out.path().join("content/articles")).unwrap() {
                text.push_str(&entry.unwrap().file_name().to_string_lossy());
            }
            text
        };
        let files = every_file();
        assert!(
            files.contains("Liveword") && files.contains("live.json"),
            "{files}"
        );
        for hidden in ["Held", "held", "Soon", "soon"] {
            assert!(!files.contains(hidden), "{hidden} in {files}");
        }
        assert!(!needs_publishing(content.path(), out.path()).unwrap());
        // Its day comes: it is published, everywhere.
        build_on(content.path(), out.path(), day(10)).unwrap();
        let files = every_file();
        assert!(
            files.contains("Soonword") && files.contains("soon.json"),
            "{files}"
        );
        assert!(!files.contains("Held"), "{files}");
    }

    #[test]
    fn an_article_with_a_photo_shows_it_as_a_picture_and_names_it_for_link_previews() {
        let content = content_with(&[(
            "with-photo",
            article(
                "Photo",
                "2026-12-01",
                "",
                "![A table set up by the window](/images/table.jpg)",
            ),
        )]);
        std::fs::create_dir(content.path().join("images")).unwrap();
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&image::RgbImage::from_pixel(
                1000,
                750,
                image::Rgb([90, 120, 100]),
            ))
            .unwrap();
        std::fs::write(content.path().join("images/table.jpg"), jpeg).unwrap();
        let out = tempfile::tempdir().unwrap();
        let summary =
            build_on(content.path(), out.path(), Date::new(2026, 12, 4).unwrap()).unwrap();
        assert!(summary.contains("1 photos (6 files encoded)"), "{summary}");
        let body =
            std::fs::read_to_string(out.path().join("content/articles/with-photo.json")).unwrap();
        assert!(
            body.contains("<picture><source type=\\\"image/webp\\\""),
            "{body}"
        );
        let index: massage_core::articles::LibraryIndex = serde_json::from_str(
            &std::fs::read_to_string(out.path().join("content/library.json")).unwrap(),
        )
        .unwrap();
        let photo = index.articles[0].photo.clone().expect("the lead photo");
        assert!(photo.src.starts_with("/images/table-") && photo.src.ends_with("-1000.jpg"));
        assert_eq!((photo.width, photo.height), (1000, 750));
        assert!(out.path().join(photo.src.trim_start_matches('/')).is_file());
        assert!(!needs_publishing(content.path(), out.path()).unwrap());
        std::fs::remove_file(out.path().join(photo.src.trim_start_matches('/'))).unwrap();
        assert!(
            needs_publishing(content.path(), out.path()).unwrap(),
            "a photo file is missing"
        );
        // The file is gone from content/images/: the article is refused, naming the line.
        std::fs::remove_file(content.path().join("images/table.jpg")).unwrap();
        let errors =
            build_on(content.path(), out.path(), Date::new(2026, 12, 4).unwrap()).unwrap_err();
        assert!(
            errors[0].ends_with("articles/with-photo.md:8: the photo `/images/table.jpg` is not in content/images/ (add the file there, or upload it in the editor)"),
            "{errors:?}"
        );
    }

    #[test]
    fn broken_content_fails_with_every_problem_named() {
        let content = tempfile::tempdir().unwrap();
        std::fs::create_dir(content.path().join("articles")).unwrap();
        std::fs::write(content.path().join("articles/a.md"), "---\ntitle: T\n---\n").unwrap();
        std::fs::write(content.path().join("articles/b.md"), "no front matter").unwrap();
        let errors = build(content.path(), tempfile::tempdir().unwrap().path()).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("articles/a.md:1: missing field `summary`"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("articles/b.md:1: the file must start with"),
            "{errors:?}"
        );
    }
}
