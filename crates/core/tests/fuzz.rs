//! Fuzzing on stable Rust (proptest): the parsers that read what others write must never
//! panic, whatever they are given. The booking request as the receiver reads it (JSON, then
//! every rule), the front matter parser, the Markdown pipeline, and a whole article through
//! the library (index, search index, search, highlights).
//!
//! `make test-native` runs a few cases (PROPTEST_CASES); `make fuzz` runs many more. A failing
//! input is shrunk and saved in `tests/fuzz.regressions` (commit it), so it is tried first on
//! every later run.
#![cfg(feature = "content")]

use massage_core::articles::front_matter;
use massage_core::articles::library::Library;
use massage_core::articles::markdown;
use massage_core::articles::search::{self, SearchIndex};
use massage_core::booking::{BookingRequest, plain_form, validate};
use massage_core::services::Catalog;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn catalog() -> Catalog {
    let text = include_str!("../../../content/services.toml");
    Catalog::from_toml("content/services.toml", text).expect("the services file is valid")
}

/// Strings made of the pieces each format gives meaning to, plus any character at all, so
/// that cases reach deep into a parser instead of failing on the first byte.
fn pieces(tokens: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(tokens).prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
            1 => "[ \\t\\r\\n]{1,3}",
        ],
        0..48,
    )
    .prop_map(|parts| parts.concat())
}

const MARKDOWN: &[&str] = &[
    "\n",
    "\n\n",
    "# ",
    "## ",
    "### ",
    "#### ",
    "{#",
    "}",
    "{#id}",
    "{.class}",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "\"",
    "'",
    "`",
    "```",
    "~~~",
    "*",
    "**",
    "_",
    "~~",
    "> ",
    "- ",
    "1. ",
    "| ",
    " |",
    "|---|",
    "[^1]",
    "[^1]: ",
    "<",
    ">",
    "</",
    "<b>",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "\\",
    "javascript:",
    "data:",
    "https://",
    "//",
    "/articles/",
    "#",
    "mailto:",
    "tel:",
    "?",
    "=",
    "Frequently asked questions {#faq}",
    "    ",
    "\t",
    "\u{0}",
    "\u{202e}",
    "é",
    "👍🏽",
    "--",
    "...",
];

const FRONT_MATTER: &[&str] = &[
    "---\n",
    "---",
    "title:",
    "summary:",
    "date:",
    "updated:",
    "category:",
    "tags:",
    "draft:",
    "description:",
    "author:",
    "read_minutes:",
    ": ",
    ":",
    "\"",
    "'",
    "\\\"",
    "[",
    "]",
    ",",
    "true",
    "false",
    "2026-01-01",
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "\n",
    "\r\n",
    "#",
    "- ",
    "\u{feff}",
    "\u{0}",
    "x",
];

const JSON: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\\"",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "65535",
    "65536",
    "1e999",
    "\"service_id\"",
    "\"minutes\"",
    "\"location\"",
    "\"in_call\"",
    "\"outcall\"",
    "\"address\"",
    "\"postcode\"",
    "\"preferred_times\"",
    "\"time_zone\"",
    "\"name\"",
    "\"email\"",
    "\"phone\"",
    "\"notes\"",
    "\"health\"",
    "\"summary\"",
    "\"consent\"",
    "\"given\"",
    "\"text_version\"",
    "\"given_at\"",
    "\"website\"",
    "\"2026-12-01T18:00\"",
    "\"Europe/London\"",
    "\"deep-tissue\"",
    "\"SW4 7AA\"",
];

/// A request as a client could send it: every text field any string (control characters,
/// other scripts, huge or empty), times that look almost right, any length and location.
fn any_request() -> impl Strategy<Value = BookingRequest> {
    let text = || prop_oneof![".*", pieces(MARKDOWN), "[0-9 +()@.a-zA-Z-]{0,30}"];
    let time = prop_oneof![
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}",
        "20[0-9]{2}-(0[0-9]|1[0-3])-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]",
        ".*",
    ];
    (
        (text(), any::<u16>(), any::<bool>(), text(), text()),
        (
            prop::collection::vec(time, 0..5),
            text(),
            text(),
            text(),
            text(),
        ),
        (
            text(),
            proptest::option::of((text(), any::<bool>(), text(), text())),
        ),
    )
        .prop_map(
            |(
                (service_id, minutes, outcall, address, postcode),
                (times, zone, name, email, phone),
                (notes, health),
            )| {
                let mut request = BookingRequest {
                    service_id,
                    minutes,
                    address,
                    postcode,
                    preferred_times: times,
                    name,
                    email,
                    phone,
                    notes,
                    ..Default::default()
                };
                if outcall {
                    request.location = massage_core::booking::Location::Outcall;
                }
                if !zone.is_empty() && zone.len() % 2 == 0 {
                    request.time_zone = zone;
                }
                request.health = health.map(|(summary, given, text_version, given_at)| {
                    massage_core::booking::HealthSummary {
                        summary,
                        consent: massage_core::booking::Consent {
                            given,
                            text_version,
                            given_at,
                        },
                    }
                });
                request
            },
        )
}

proptest! {
    // A failing input is kept beside this file (tests/fuzz.regressions) and tried first.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_receiver_reads_any_body_without_panicking(
        body in prop_oneof![pieces(JSON), ".*"],
        now in any::<i64>(),
    ) {
        if let Ok(request) = serde_json::from_str::<BookingRequest>(&body) {
            let _ = validate(&request, &catalog(), now);
        }
    }

    #[test]
    fn any_request_is_judged_without_panicking(
        request in any_request(),
        now in prop_oneof![any::<i64>(), 1_700_000_000i64..2_100_000_000],
    ) {
        let json = serde_json::to_string(&request).unwrap();
        let read: BookingRequest = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&read, &request);
        if let Err(errors) = validate(&read, &catalog(), now) {
            prop_assert!(errors.iter().all(|e| !e.message.is_empty()));
        }
    }

    #[test]
    fn a_plain_form_post_is_read_without_panicking(
        pairs in prop::collection::vec(
            (
                prop_oneof![
                    prop::sample::select(vec![
                        "service_id", "minutes", "location", "address", "postcode", "date",
                        "time", "name", "email", "phone", "notes", "website", "form-name",
                    ])
                    .prop_map(str::to_owned),
                    ".*",
                ],
                prop_oneof![".*", pieces(JSON)],
            ),
            0..24,
        ),
        now in any::<i64>(),
    ) {
        let request = plain_form::from_pairs(&pairs);
        let _ = validate(&request, &catalog(), now);
        let _ = plain_form::encode(&plain_form::to_pairs(&request));
    }

    #[test]
    fn front_matter_never_panics(text in prop_oneof![pieces(FRONT_MATTER), ".*"]) {
        if let Err(error) = front_matter::parse(&text) {
            prop_assert!(error.line >= 1);
        }
    }

    #[test]
    fn the_markdown_pipeline_never_panics(text in prop_oneof![pieces(MARKDOWN), ".*"]) {
        let rendered = markdown::render(&text, &massage_core::articles::photos::Photos::default());
        let _ = (rendered.reading_minutes(), rendered.word_count());
    }

    #[test]
    fn a_whole_article_goes_through_the_library_without_panicking(
        head in pieces(FRONT_MATTER),
        body in pieces(MARKDOWN),
        query in prop_oneof![pieces(MARKDOWN), ".*"],
    ) {
        let valid_head = "---\ntitle: T\nsummary: S.\ndate: 2026-01-01\ncategory: C\ntags: a, b\n---\n";
        for text in [format!("{head}{body}"), format!("{valid_head}{body}")] {
            let files = [("content/articles/a.md".to_owned(), text)];
            if let Ok(library) = Library::from_files(&files, &massage_core::articles::photos::Photos::default(), massage_core::calendar::Date::new(2100, 1, 1).unwrap()) {
                let index = library.index();
                let _ = (index.related("a", 3), index.categories(), index.tags());
                let docs = library.search_docs();
                let hits = SearchIndex::new(&docs).search(&query);
                let terms = search::query_terms(&query);
                for doc in &docs {
                    let _ = search::highlight(&doc.body, &terms);
                    let _ = search::snippet(&doc.body, &terms, 160);
                }
                prop_assert!(hits.len() <= 1);
            }
        }
    }
}
