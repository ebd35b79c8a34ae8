use super::*;

/// The day the tests' libraries are checked on: after every article's date, so all of them
/// are published unless a test says otherwise.
fn today() -> Date {
    Date::new(2100, 1, 1).unwrap()
}

fn from_files(files: &[(String, String)]) -> Result<Library, Vec<ContentError>> {
    Library::from_files(files, &Photos::default(), today())
}

fn article(title: &str, date: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsummary: About {title}.\ndate: {date}\ncategory: Test\ntags: one, two\n---\n{body}"
    )
}

fn words(n: usize) -> String {
    "word ".repeat(n)
}

fn errors(files: &[(&str, String)]) -> Vec<String> {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.clone()))
        .collect();
    from_files(&files)
        .expect_err("should fail")
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn builds_index_newest_first_with_sections_and_reading_time() {
    let files = vec![
        (
            "content/articles/older.md".to_string(),
            article(
                "Older",
                "2025-01-01",
                &format!("## One {{#one}}\n\n{}", words(450)),
            ),
        ),
        (
            "content/articles/newer.md".to_string(),
            article("Newer", "2026-01-01", &format!("## Two\n\n{}", words(60))),
        ),
    ];
    let lib = from_files(&files).unwrap();
    let index = lib.index();
    let slugs: Vec<&str> = index.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(slugs, ["newer", "older"]);
    assert_eq!(index.articles[1].reading_minutes, 3);
    assert_eq!(index.articles[1].sections[0].id, "one");
    assert_eq!(lib.search_docs()[0].body.split_whitespace().count(), 61);
}

#[test]
fn drafts_are_checked_but_not_published() {
    let draft = article("Draft", "2026-01-01", &words(60)).replace("tags:", "draft: true\ntags:");
    let files = vec![("content/articles/draft.md".to_string(), draft)];
    let lib = from_files(&files).unwrap();
    assert_eq!(lib.articles.len(), 1);
    assert!(lib.index().articles.is_empty());
    assert!(lib.search_docs().is_empty());
}

#[test]
fn an_article_dated_after_today_is_scheduled_checked_and_published_on_its_day() {
    let files = vec![(
        "content/articles/soon.md".to_string(),
        article("Soon", "2026-12-10", &words(60)),
    )];
    let on = |day: u8| {
        Library::from_files(
            &files,
            &Photos::default(),
            Date::new(2026, 12, day).unwrap(),
        )
        .unwrap()
    };
    assert_eq!(on(9).articles[0].standing(on(9).today), Standing::Scheduled);
    assert!(on(9).index().articles.is_empty() && on(9).search_docs().is_empty());
    assert_eq!(on(10).index().articles[0].slug, "soon");
    let broken = vec![(
        "content/articles/soon.md".to_string(),
        article("Soon", "2026-12-10", "Too short."),
    )];
    assert!(
        Library::from_files(&broken, &Photos::default(), Date::new(2026, 12, 9).unwrap()).is_err(),
        "a scheduled article is checked when it is written, not when it goes live"
    );
}

#[test]
fn an_article_on_the_site_links_only_to_articles_on_the_site_by_then() {
    let linking = |date: &str| {
        article(
            "Live",
            date,
            &format!(
                "See [the draft](/articles/draft) and [soon](/articles/soon).\n\n{}",
                words(60)
            ),
        )
    };
    let draft = article("Draft", "2026-01-01", &words(60)).replace("tags:", "draft: true\ntags:");
    let soon = article("Soon", "2026-12-10", &words(60));
    let files = |date: &str| {
        vec![
            ("content/articles/live.md".to_string(), linking(date)),
            ("content/articles/draft.md".to_string(), draft.clone()),
            ("content/articles/soon.md".to_string(), soon.clone()),
        ]
    };
    let today = Date::new(2026, 12, 4).unwrap();
    let e: Vec<String> = Library::from_files(&files("2026-01-01"), &Photos::default(), today)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].starts_with("content/articles/live.md:8: the link `/articles/draft` leads to a draft"),
        "{e:?}"
    );
    assert!(
        e[1].contains(
            "`/articles/soon` leads to an article that is not on the site until 2026-12-10"
        ),
        "{e:?}"
    );
    // Scheduled on or after the day the other goes live: only the draft is a problem.
    let e = Library::from_files(&files("2026-12-10"), &Photos::default(), today).unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].message.contains("leads to a draft"), "{e:?}");
}

#[test]
fn front_matter_errors_name_file_and_line() {
    let e = errors(&[(
        "content/articles/a.md",
        article("A", "2026-02-30", &words(60)),
    )]);
    assert_eq!(
        e,
        ["content/articles/a.md:4: `2026-02-30` is not a date like 2025-10-22"]
    );
}

#[test]
fn front_matter_the_site_does_not_use_builds_with_a_warning_naming_file_and_line() {
    let text = article("A", "2026-02-03", &words(60)).replace(
        "category: Test\n",
        "category: Test\nauthor: Anastasia\nread_minutes: 4\n",
    );
    let library = from_files(&[("content/articles/a.md".to_owned(), text)]).unwrap();
    let warnings: Vec<String> = library.articles[0]
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(warnings.len(), 2);
    assert!(
        warnings[0].starts_with("content/articles/a.md:6: `author` is not used"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("content/articles/a.md:7: `read_minutes`"),
        "{warnings:?}"
    );
}

#[test]
fn markdown_problems_name_the_line_in_the_file() {
    let body = format!(
        "{}\n\n# A second title\n\n<script>alert(1)</script>\n",
        words(60)
    );
    let e = errors(&[("content/articles/a.md", article("A", "2026-01-01", &body))]);
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].starts_with("content/articles/a.md:10: use ##"),
        "{e:?}"
    );
    assert!(
        e[1].starts_with("content/articles/a.md:12: raw HTML"),
        "{e:?}"
    );
}

#[test]
fn bad_file_names_and_duplicate_slugs_are_refused() {
    let good = article("A", "2026-01-01", &words(60));
    let e = errors(&[("content/articles/Back Pain.md", good.clone())]);
    assert!(e[0].contains("lowercase words joined by hyphens"), "{e:?}");
    let e = errors(&[
        ("content/articles/a.md", good.clone()),
        ("content/drafts/a.md", good),
    ]);
    assert_eq!(
        e,
        ["content/drafts/a.md: the slug `a` is already used by content/articles/a.md"]
    );
}

#[test]
fn links_between_articles_must_lead_somewhere() {
    let a = article(
        "A",
        "2026-01-01",
        &format!(
            "## Here {{#here}}\n\n{}\n\n[ok](/articles/b#there) [ok](#here) [bad](/articles/b#nowhere)\n\n[gone](/articles/zzz)\n",
            words(60)
        ),
    );
    let b = article(
        "B",
        "2026-01-01",
        &format!("## There {{#there}}\n\n{}\n\n[self](#missing)\n", words(60)),
    );
    let e = errors(&[("content/articles/a.md", a), ("content/articles/b.md", b)]);
    assert_eq!(
        e,
        [
            "content/articles/a.md:12: the link `/articles/b#nowhere` leads to no section: b has no heading with the id `nowhere`",
            "content/articles/a.md:14: the link `/articles/zzz` leads to no article (there is no content/articles/zzz.md)",
            "content/articles/b.md:12: the link `#missing` leads to no section: b has no heading with the id `missing`",
        ]
    );
}

#[test]
fn too_short_articles_are_refused() {
    let e = errors(&[(
        "content/articles/a.md",
        article("A", "2026-01-01", "Just a line."),
    )]);
    assert!(e[0].contains("fewer than 50 words"), "{e:?}");
}

/// The real library: every article loads, and the back-pain article keeps the section ids
/// that the self-check and other articles link to.
#[test]
fn the_real_library_is_valid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/articles");
    let lib = Library::load(
        Path::new(dir),
        "content/articles",
        &Photos::default(),
        today(),
    )
    .unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(lib.index().articles.len() >= 5);
    let back = lib
        .index()
        .article("back-pain")
        .cloned()
        .expect("back-pain.md");
    let ids: Vec<&str> = back.sections.iter().map(|s| s.id.as_str()).collect();
    for id in [
        "understanding",
        "acute",
        "chronic",
        "structural",
        "where-it-comes-from",
        "session",
        "results",
        "faq",
    ] {
        assert!(
            ids.contains(&id),
            "back-pain.md lost the section id `{id}`: {ids:?}"
        );
    }
    for a in lib.published() {
        assert!(
            !a.rendered.faq.is_empty() || a.meta.slug == "outcall-massage-at-home-london",
            "{} has no FAQ",
            a.meta.slug
        );
    }
}
