use super::*;

const GOOD: &str = "---\ntitle: \"Massage: what helps\"\nsummary: A short summary.\ndate: 2025-10-22\nupdated: 2026-11-20\ncategory: Back pain\ntags: Back Pain, sciatica\n---\n## Body\n";

#[test]
fn reads_fields_and_finds_the_body() {
    let (fm, body) = parse(GOOD).unwrap();
    assert_eq!(fm.title, "Massage: what helps");
    assert_eq!(fm.summary, "A short summary.");
    assert_eq!(fm.date, "2025-10-22");
    assert_eq!(fm.updated.as_deref(), Some("2026-11-20"));
    assert_eq!(fm.category, "Back pain");
    assert_eq!(fm.tags, ["back pain", "sciatica"]);
    assert!(!fm.draft);
    assert_eq!(fm.warnings, []);
    assert_eq!(&GOOD[body..], "## Body\n");
}

fn fails(text: &str) -> (usize, String) {
    let e = parse(text).unwrap_err();
    (e.line, e.message)
}

#[test]
fn each_kind_of_mistake_names_its_line() {
    for (from, to, line, says) in [
        (
            "title: \"Massage: what helps\"\n",
            "",
            1,
            "missing field `title`",
        ),
        ("date: 2025-10-22", "date: 22/10/2025", 4, "not a date"),
        (
            "updated: 2026-11-20",
            "updated: 2024-01-01",
            5,
            "before date",
        ),
        ("---\n## Body\n", "", 7, "not closed"),
        (
            "category: Back pain",
            "category: Back pain\ncategory: Neck",
            7,
            "given twice",
        ),
        (
            "category: Back pain",
            "draft: maybe\ncategory: Back pain",
            6,
            "true or false",
        ),
        ("category: Back pain", "category:", 6, "`category` is empty"),
        (
            "tags: Back Pain, sciatica",
            "tags: []",
            7,
            "`tags` is empty",
        ),
        (
            "title: \"Massage: what helps\"",
            "title: Massage: what helps",
            2,
            "needs quotes",
        ),
        (
            "title: \"Massage: what helps\"",
            "title: [a, b]",
            2,
            "must be text",
        ),
    ] {
        let text = GOOD.replace(from, to);
        assert_ne!(text, GOOD, "{from}");
        let (got_line, message) = fails(&text);
        assert!(message.contains(says), "{from:?}: {message}");
        assert_eq!(got_line, line, "{from:?}: {message}");
    }
    let (line, _) = fails(&GOOD.replacen("---\n", "", 1));
    assert_eq!(line, 1);
    let (line, message) = fails(&GOOD.replace("A short summary.", &"x".repeat(201)));
    assert!(message.contains("under 200"), "{message}");
    assert_eq!(line, 3);
}

#[test]
fn quoting_and_escapes_follow_yaml() {
    for (written, read) in [
        (r#""a \" b""#, r#"a " b"#),
        (r#"'it''s here'"#, "it's here"),
        (r#""caf\u00e9 \\ back""#, r"café \ back"),
        ("plain: no, a colon needs quotes", ""),
        ("Pain # not a comment? it is", "Pain"),
    ] {
        let text = GOOD.replace("\"Massage: what helps\"", written);
        match parse(&text) {
            Ok((fm, _)) => assert_eq!(fm.title, read, "{written}"),
            Err(e) => assert_eq!(read, "", "{written}: {}", e.message),
        }
    }
}

#[test]
fn another_engines_front_matter_builds_with_a_warning_for_each_field_not_used() {
    // As the therapist's current blog (Jekyll-style) writes it.
    let pasted = "---\nlayout: post\ntitle: \"Desk work and your neck\"\ndescription: >-\n  Why desk work tightens the neck,\n  and what helps.\nauthor: Anastasia\ndate: 2024-05-02 09:30:00 +0100\nlastmod: 2024-06-01T10:00:00Z\ncategories: [Neck and shoulders, Work]\ntags:\n  - Desk Work\n  - neck\nimage: /images/desk.jpg\nread_minutes: 6\npublished: true\n---\nBody\n";
    let (fm, body) = parse(pasted).unwrap();
    assert_eq!(fm.title, "Desk work and your neck");
    assert_eq!(
        fm.summary,
        "Why desk work tightens the neck, and what helps."
    );
    assert_eq!(
        (fm.date.as_str(), fm.updated.as_deref()),
        ("2024-05-02", Some("2024-06-01"))
    );
    assert_eq!(fm.category, "Neck and shoulders");
    assert_eq!(fm.tags, ["desk work", "neck"]);
    assert!(!fm.draft);
    assert_eq!(&pasted[body..], "Body\n");
    let warned: Vec<(usize, &str)> = fm
        .warnings
        .iter()
        .map(|w| (w.line, w.message.split('`').nth(1).unwrap_or_default()))
        .collect();
    assert_eq!(
        warned,
        [
            (2, "layout"),
            (7, "author"),
            (14, "image"),
            (15, "read_minutes")
        ]
    );
    assert!(fm.warnings[0].message.contains("ignored"));
}

#[test]
fn a_second_name_for_a_field_is_ignored_with_a_warning() {
    let text = GOOD.replace(
        "summary: A short summary.",
        "summary: A short summary.\ndescription: Another.",
    );
    let (fm, _) = parse(&text).unwrap();
    assert_eq!(fm.summary, "A short summary.");
    assert_eq!(fm.warnings.len(), 1);
    assert_eq!(fm.warnings[0].line, 4);
    assert!(
        fm.warnings[0]
            .message
            .contains("`summary` is given already")
    );
}

#[test]
fn drafts_are_marked_either_way_engines_write_it() {
    for (field, draft) in [
        ("draft: true", true),
        ("draft: false", false),
        ("published: false", true),
        ("published: true", false),
    ] {
        let text = GOOD.replace("category:", &format!("{field}\ncategory:"));
        assert_eq!(parse(&text).unwrap().0.draft, draft, "{field}");
    }
}
