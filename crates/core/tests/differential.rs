//! Hand-written code that the visitor's wasm keeps for its size, checked natively against
//! the crates that do the same job properly (dev-dependencies only, never in the wasm):
//! London time and the calendar against `jiff` and the time zone database, heading ids
//! against `deunicode`, and the Markdown pipeline's link and image policy against `ammonia`
//! with the same allow-list.

use massage_core::articles::{markdown, slug::slugify};
use massage_core::booking::london_time::{LondonDateTime, is_bst_at_utc_minutes};
use massage_core::calendar::Date;
use massage_core::clock::ClockTime;

mod london_time {
    use super::*;
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").expect("the bundled time zone database has London")
    }

    fn ours_from_jiff(dt: jiff::civil::DateTime) -> LondonDateTime {
        LondonDateTime {
            date: Date::new(i32::from(dt.year()), dt.month() as u8, dt.day() as u8).unwrap(),
            time: ClockTime::from_hm(dt.hour() as u16, dt.minute() as u16).unwrap(),
        }
    }

    /// Every UK clock change from 1996 to 2100, as the time zone database has them.
    fn clock_changes(tz: &TimeZone) -> Vec<i64> {
        let from = Timestamp::from_second(820_454_400).unwrap(); // 1996-01-01T00:00Z
        let until = 4_133_980_800; // 2101-01-01T00:00Z
        tz.following(from)
            .map(|t| t.timestamp().as_second())
            .take_while(|&s| s < until)
            .collect()
    }

    #[test]
    fn there_are_two_clock_changes_a_year_from_1996_to_2100() {
        assert_eq!(clock_changes(&london()).len(), 2 * 105);
    }

    #[test]
    fn every_minute_around_every_clock_change_agrees_with_the_time_zone_database() {
        let tz = london();
        for change in clock_changes(&tz) {
            // Three hours either side, minute by minute: both conversions, both ways.
            for minute in -180..=180 {
                let utc = change + minute * 60;
                let ts = Timestamp::from_second(utc).unwrap();
                let offset = tz.to_offset(ts).seconds();
                assert_eq!(
                    is_bst_at_utc_minutes(utc / 60),
                    offset == 3600,
                    "summer time at {ts}"
                );
                let local = ours_from_jiff(tz.to_datetime(ts));
                assert_eq!(
                    LondonDateTime::from_utc_seconds(utc),
                    local,
                    "London at {ts}"
                );
                // A London wall-clock time back to UTC: jiff's "compatible" reading of the
                // hour that is skipped (as GMT) and the hour that repeats (the first, BST)
                // is the one london_time documents.
                let expected = tz.to_timestamp(tz.to_datetime(ts)).unwrap().as_second() / 60;
                assert_eq!(local.to_utc_minutes(), expected, "{local} to UTC");
            }
        }
    }

    #[test]
    fn every_wall_clock_minute_of_each_change_day_reads_as_the_database_reads_it() {
        // Including the hour that never happens in spring and the one that happens twice
        // in autumn, which no UTC instant above names directly.
        let tz = london();
        for change in clock_changes(&tz) {
            let day = tz
                .to_datetime(Timestamp::from_second(change).unwrap())
                .date();
            for minute in 0..(4 * 60) {
                let wall = day.at((minute / 60) as i8, (minute % 60) as i8, 0, 0);
                let expected = tz.to_timestamp(wall).unwrap().as_second() / 60;
                assert_eq!(ours_from_jiff(wall).to_utc_minutes(), expected, "{wall}");
            }
        }
    }

    #[test]
    fn noon_every_day_from_1996_to_2100_is_in_the_right_season() {
        let tz = london();
        let first = Date::new(1996, 1, 1).unwrap().days_since_epoch();
        let last = Date::new(2100, 12, 31).unwrap().days_since_epoch();
        for day in first..=last {
            let utc = day * 86_400 + 12 * 3600;
            let ts = Timestamp::from_second(utc).unwrap();
            assert_eq!(
                is_bst_at_utc_minutes(utc / 60),
                tz.to_offset(ts).seconds() == 3600,
                "{ts}"
            );
        }
    }

    #[test]
    fn the_calendar_agrees_with_jiff_every_day_from_1900_to_2100() {
        let mut expected = jiff::civil::date(1900, 1, 1);
        let first = Date::new(1900, 1, 1).unwrap().days_since_epoch();
        let last = Date::new(2100, 12, 31).unwrap().days_since_epoch();
        for day in first..=last {
            let date = Date::from_days_since_epoch(day);
            assert_eq!(
                (date.year, date.month, date.day),
                (
                    i32::from(expected.year()),
                    expected.month() as u8,
                    expected.day() as u8
                ),
                "day {day}"
            );
            assert_eq!(date.days_since_epoch(), day);
            assert_eq!(
                date.weekday(),
                expected.weekday().to_monday_zero_offset() as u8,
                "{date}"
            );
            assert_eq!(Date::parse_iso(&expected.to_string()), Some(date));
            expected = expected.tomorrow().unwrap();
        }
    }
}

mod heading_ids {
    use super::*;

    /// The id a heading gets with `deunicode` folding its letters, and this site's rule for
    /// the rest: letters and digits kept, apostrophes dropped, anything else one hyphen.
    fn reference(heading: &str) -> String {
        let mut id = String::new();
        let mut hyphen = false;
        for c in heading.chars() {
            let folded = if c.is_alphabetic() {
                deunicode::deunicode_char(c)
                    .unwrap_or_default()
                    .to_lowercase()
            } else {
                c.to_string()
            };
            for c in folded.chars() {
                // (The same apostrophe rule as the site's: `search::is_apostrophe`.)
                if c.is_alphanumeric() {
                    if hyphen && !id.is_empty() {
                        id.push('-');
                    }
                    hyphen = false;
                    id.push(c);
                } else if c != '\'' && c != '\u{2019}' {
                    hyphen = true;
                }
            }
        }
        if id.is_empty() { "section".into() } else { id }
    }

    #[test]
    fn every_latin_letter_folds_as_deunicode_folds_it() {
        for c in ('\u{c0}'..='\u{17f}').filter(|c| c.is_alphabetic()) {
            let heading = format!("x {c}{c} x");
            assert_eq!(
                slugify(&heading),
                reference(&heading),
                "{c} (U+{:04X})",
                c as u32
            );
        }
    }

    #[test]
    fn a_corpus_of_headings_gets_the_ids_deunicode_gives() {
        for heading in [
            "What results to expect?",
            "Don't ignore these warning signs",
            "Aftercare: water, rest & gentle movement",
            "Café-style chair massage — 15 minutes",
            "Schulter- und Nackenverspannungen lösen",
            "Größe, Übungen und Straße",
            "Massage suédoise ou « deep tissue » ?",
            "Ćwiczenia na ból pleców: część druga",
            "Bolest zad: co dělat a čemu se vyhnout",
            "Masaj pentru spate: ce ajută și ce nu",
            "Hátfájás: mikor segít a masszázs?",
            "Sırt ağrısı için masaj",
            "Ryggsmärta och återhämtning",
            "Þjálfun og slökun",
            "Masaža in sproščanje mišic",
            "¿Qué esperar de tu primera sesión?",
            "L’été, l’œdème et les jambes lourdes",
            "IJsselmeer-fietsen en spierpijn",
            "Step 1 … step 2 — 50% done",
            "'Quoted' and \"double\" and ‘curly’",
            "   ",
            "!!!",
        ] {
            assert_eq!(slugify(heading), reference(heading), "{heading}");
        }
    }
}

mod url_policy {
    use super::*;
    use std::collections::HashSet;

    /// ammonia configured with the pipeline's allow-list: web links, e-mail and telephone,
    /// and addresses on this site (relative ones, passed through).
    fn ammonia_keeps(html: &str, attribute: &str) -> bool {
        let cleaned = ammonia::Builder::default()
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .clean(html)
            .to_string();
        cleaned.contains(&format!("{attribute}=\""))
    }

    /// Whether the pipeline kept the one link or image of `markdown`, and whether it told the
    /// author it refused one.
    fn pipeline_keeps(markdown: &str, attribute: &str) -> (bool, bool) {
        let rendered =
            markdown::render(markdown, &massage_core::articles::photos::Photos::default());
        let kept = rendered.html.contains(&format!("{attribute}=\""));
        let refused = rendered
            .problems
            .iter()
            .any(|p| p.message.contains("is not allowed"));
        (kept, refused)
    }

    fn raw_html(markdown: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
        html
    }

    const HOSTILE: [&str; 34] = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        " javascript:alert(1)",
        "\u{1}javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "file:///etc/passwd",
        "blob:https://example.com/x",
        "ftp://example.com/x",
        "chrome://settings",
        "jar:http://example.com!/x",
        "intent://x#Intent;end",
        "view-source:https://example.com",
        "https://example.com/ok",
        "HTTPS://EXAMPLE.COM/OK",
        "http://example.com",
        "//example.com/protocol-relative",
        "mailto:someone@example.com",
        "tel:+442079460321",
        "/articles/back-pain#acute",
        "#faq",
        "?q=massage",
        "../up",
        "relative/path",
        "/path:with:colons",
        "%6Aavascript:alert(1)",
        "https://example.com/javascript:alert(1)",
        "",
        "javascript",
    ];

    /// Where the pipeline refuses what ammonia lets through: text before a colon that is
    /// not an allowed scheme, even where browsers (and ammonia) would read a relative path
    /// because pulldown-cmark wrote whitespace or a control character as `%09`, `%20`, `%01`,
    /// or the author wrote `%6A`. The pipeline ignores whitespace and controls, as browsers
    /// do in an unencoded address, and refuses any unknown scheme. Stricter, never looser.
    const STRICTER: [&str; 5] = [
        "java\tscript:alert(1)",
        "java&#x09;script:alert(1)",
        " javascript:alert(1)",
        "\u{1}javascript:alert(1)",
        "%6Aavascript:alert(1)",
    ];

    #[test]
    fn links_and_images_are_kept_or_refused_as_ammonia_with_the_same_allow_list_decides() {
        for url in HOSTILE {
            for (markdown, attribute) in [
                (format!("[a link](<{url}>)"), "href"),
                (format!("[a link][r]\n\n[r]: <{url}>"), "href"),
                (format!("![a picture](<{url}>)"), "src"),
            ] {
                let theirs = ammonia_keeps(&raw_html(&markdown), attribute);
                let (ours, refused) = pipeline_keeps(&markdown, attribute);
                assert!(!ours || theirs, "kept what ammonia refuses: {markdown:?}");
                if !STRICTER.contains(&url) {
                    assert_eq!(ours, theirs, "{markdown:?}");
                }
                // Nothing is dropped silently: the author is told, and the build stops.
                assert_eq!(refused, !ours, "{markdown:?}");
            }
        }
    }

    #[test]
    fn autolinks_are_held_to_the_same_policy() {
        for url in [
            "javascript:alert(1)",
            "https://example.com",
            "mailto:a@example.com",
            "data:text/html,x",
        ] {
            let markdown = format!("<{url}>");
            let theirs = ammonia_keeps(&raw_html(&markdown), "href");
            let (ours, _) = pipeline_keeps(&markdown, "href");
            assert_eq!(ours, theirs, "{markdown}");
        }
    }
}
