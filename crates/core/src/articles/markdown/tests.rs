use super::*;
use crate::articles::photos::Photo;

/// The pipeline with no photos in `content/images/`.
fn render(markdown: &str) -> RenderedArticle {
    super::render(markdown, &Photos::default())
}

fn photos() -> Photos {
    let mut photos = Photos::default();
    photos.insert(Photo {
        file: "table.jpg".into(),
        stem: "table-0123456789ab".into(),
        width: 3000,
        height: 2000,
    });
    photos
}

#[test]
fn headings_get_explicit_ids_or_unique_slugs() {
    let r = render("## Aftercare\n\ntext\n\n## Aftercare\n\n### Why it matters {#why}\n\n## Why\n");
    let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["aftercare", "aftercare-1", "why", "why-1"]);
    assert!(
        r.html.contains(r#"<h2 id="aftercare">Aftercare</h2>"#),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(r#"<h3 id="why">Why it matters</h3>"#),
        "{}",
        r.html
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn explicit_ids_win_even_when_a_generated_slug_comes_first() {
    let r = render("## FAQ\n\n## Questions {#faq}\n");
    let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["faq-1", "faq"]);
}

#[test]
fn section_ids_do_not_depend_on_other_wording() {
    let before = render("Intro.\n\n## Acute pain {#acute}\n\n## Results\n");
    let after = render(
        "A rewritten intro with **new** words.\n\n## Sudden pain that started this week {#acute}\n\n## Results\n",
    );
    assert_eq!(before.toc[0].id, after.toc[0].id);
    assert_eq!(before.toc[1].id, after.toc[1].id);
}

#[test]
fn toc_lists_h2_and_h3_in_order_with_plain_text() {
    let r = render("## One *emphasis*\n\n### Two `code`\n\n#### Four\n\n## Three\n");
    let toc: Vec<(u8, &str)> = r.toc.iter().map(|h| (h.level, h.text.as_str())).collect();
    assert_eq!(toc, [(2, "One emphasis"), (3, "Two code"), (2, "Three")]);
    assert!(
        r.html
            .contains(r##"<a class="section-link" href="#one-emphasis""##)
    );
}

#[test]
fn duplicate_explicit_ids_and_h1s_are_problems() {
    let r = render("# Title\n\n## A {#x}\n\n## B {#x}\n");
    let messages: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("top-level heading")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("`x` is used twice")),
        "{messages:?}"
    );
    assert_eq!(r.problems[0].offset, 0);
}

#[test]
fn faq_questions_become_disclosures_with_answers() {
    let md = "## Intro\n\nHi.\n\n## Frequently asked questions {#faq}\n\n### Can massage cure back pain? {#faq-cure}\n\nNot a cure.\n\nIt helps **soft tissue**.\n\n### How many sessions?\n\n- One to three.\n- Sometimes more.\n";
    let r = render(md);
    assert_eq!(r.faq.len(), 2);
    assert_eq!(r.faq[0].id, "faq-cure");
    assert_eq!(r.faq[0].question, "Can massage cure back pain?");
    assert_eq!(r.faq[0].answer, "Not a cure. It helps soft tissue.");
    assert_eq!(r.faq[1].id, "how-many-sessions");
    assert_eq!(r.faq[1].answer, "One to three. Sometimes more.");
    assert!(r.html.contains(r#"<details class="faq"><summary><h3 id="faq-cure">Can massage cure back pain?</h3></summary><div class="faq__answer">"#), "{}", r.html);
    assert_eq!(r.html.matches("<details").count(), 2);
    assert_eq!(r.html.matches("</details>").count(), 2);
    // The questions are still in the table of contents, so they can be linked to.
    assert!(r.toc.iter().any(|h| h.id == "faq-cure"));
}

#[test]
fn the_faq_ends_at_the_next_section() {
    let r = render(
        "## Frequently asked questions\n\n### Q?\n\nA.\n\n## After\n\n### Not a question\n\nText.\n",
    );
    assert_eq!(r.faq.len(), 1);
    assert_eq!(r.html.matches("<details").count(), 1);
    let details_end = r.html.find("</details>").unwrap();
    assert!(r.html.find(r#"id="after""#).unwrap() > details_end);
}

#[test]
fn xss_payloads_come_out_inert() {
    let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">",
        "## Heading <script>alert(1)</script>",
        "## Heading {#x\" onmouseover=\"alert(1)}",
        "[x](https://example.com \"t\\\" onmouseover=\\\"alert(1)\")",
        "<details open ontoggle=alert(1)>",
        "`<script>alert(1)</script>`",
        "<!-- <script>alert(1)</script> -->",
        "<style>body{display:none}</style>",
    ];
    for payload in payloads {
        let html = render(payload).html;
        // Text can only contain `<` escaped (&lt;), so every `<` starts a tag we wrote:
        // check each tag's name and attributes.
        for tag in html.to_lowercase().split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or_default();
            let (name, attributes) = split_tag(tag);
            assert!(
                !["script", "iframe", "svg", "style", "object", "embed"].contains(&name),
                "{payload:?} -> {html}"
            );
            for (attribute, value) in attributes {
                assert!(!attribute.starts_with("on"), "{payload:?} -> {html}");
                if attribute == "href" || attribute == "src" {
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        assert!(!value.contains(scheme), "{payload:?} -> {html}");
                    }
                }
            }
        }
    }
}

/// A tag's name and its `name="value"` attributes (the renderer always double-quotes values
/// and escapes `"` inside them, so splitting on quotes is exact).
fn split_tag(tag: &str) -> (&str, Vec<(String, String)>) {
    let tag = tag.trim_start_matches('/');
    let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
    let mut attributes = Vec::new();
    while let Some((attribute, after)) = rest.split_once('=') {
        let after = after.trim_start_matches('"');
        let (value, next) = after.split_once('"').unwrap_or((after, ""));
        attributes.push((attribute.trim().to_owned(), value.to_owned()));
        rest = next;
    }
    assert!(!rest.contains(" on"), "unquoted attribute in <{tag}>");
    (name, attributes)
}

#[test]
fn raw_html_is_shown_as_text_and_reported() {
    let r = render("Before <b>bold</b> after.");
    assert!(r.html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{}", r.html);
    assert!(r.problems.iter().any(|p| p.message.contains("raw HTML")));
}

#[test]
fn raw_html_in_an_image_description_is_reported_too() {
    let r = render("![A table <img src=x onerror=alert(1)> set up](/table.jpg)");
    assert!(
        r.problems.iter().any(|p| p.message.contains("raw HTML")),
        "{:?}",
        r.problems
    );
    assert!(!r.html.contains("onerror"), "{}", r.html);
    let escaped = render("![A table &lt;img&gt; set up](/table.jpg)");
    assert!(escaped.problems.is_empty(), "{:?}", escaped.problems);
    assert!(
        escaped.html.contains("alt=\"A table &lt;img&gt; set up\""),
        "{}",
        escaped.html
    );
}

#[test]
fn unsafe_links_keep_their_text_but_lose_the_link() {
    let r = render("Read [this](javascript:alert(1)) now.");
    assert_eq!(r.html.trim(), "<p>Read this now.</p>");
    assert!(r.problems[0].message.contains("not allowed"));
}

#[test]
fn links_to_other_sites_open_safely_and_local_links_stay_plain() {
    let r = render(
        "[NHS](https://www.nhs.uk/conditions/back-pain/) and [self-check](/self-check) and [mail](mailto:a@example.com)",
    );
    assert!(r.html.contains(r#"<a href="https://www.nhs.uk/conditions/back-pain/" rel="noopener noreferrer" target="_blank">NHS</a>"#), "{}", r.html);
    assert!(
        r.html.contains(r#"<a href="/self-check">self-check</a>"#),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains(r#"<a href="mailto:a@example.com">mail</a>"#),
        "{}",
        r.html
    );
}

#[test]
fn photos_become_pictures_at_every_width_with_their_size_the_first_not_lazy() {
    let r = super::render(
        "Intro.\n\n![A table, set up](/images/table.jpg)\n\nMore.\n\n![The \\<b\\> table](/images/table.jpg)\n",
        &photos(),
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let first = r.html.find("<picture>").expect("a picture");
    let second = r.html[first + 1..].find("<picture>").expect("two pictures") + first + 1;
    assert!(
        r.html[first..second].contains(
            "<img src=\"/images/table-0123456789ab-1200.jpg\" srcset=\"/images/table-0123456789ab-480.jpg 480w, \
             /images/table-0123456789ab-800.jpg 800w, /images/table-0123456789ab-1200.jpg 1200w\""
        ) && r.html[first..second].contains("width=\"1200\" height=\"800\" alt=\"A table, set up\" decoding"),
        "{}",
        r.html
    );
    assert!(
        r.html[second..].contains("alt=\"The &lt;b&gt; table\" loading=\"lazy\""),
        "{}",
        r.html
    );
    let lead = r.lead_photo.expect("the first photo leads");
    assert_eq!(
        (
            lead.src.as_str(),
            lead.width,
            lead.height,
            lead.alt.as_str()
        ),
        (
            "/images/table-0123456789ab-1200.jpg",
            1200,
            800,
            "A table, set up"
        )
    );
}

#[test]
fn a_photo_that_is_not_in_the_images_folder_or_has_no_alt_text_is_refused() {
    let md = "Text.\n\n![A chair](/images/chair.jpg)\n\n![](/images/table.jpg)\n";
    let r = super::render(md, &photos());
    let messages: Vec<(usize, &str)> = r
        .problems
        .iter()
        .map(|p| (p.offset, p.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0]
            .1
            .contains("the photo `/images/chair.jpg` is not in content/images/"),
        "{messages:?}"
    );
    assert_eq!(messages[0].0, md.find("![A chair]").unwrap());
    assert!(messages[1].1.contains("needs alt text"), "{messages:?}");
    assert!(render("![x](/favicon.svg)").problems.is_empty());
}

#[test]
fn images_are_lazy_and_need_alt_text() {
    let r = render("![A therapist's table, set up](/img/table.jpg)");
    assert!(r.html.contains(r#"<img src="/img/table.jpg" alt="A therapist’s table, set up" loading="lazy" decoding="async">"#), "{}", r.html);
    assert!(r.problems.is_empty());
    let r = render("![](/img/table.jpg)");
    assert!(r.problems[0].message.contains("needs alt text"));
}

#[test]
fn tables_scroll_in_their_own_box() {
    let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert!(
        r.html.starts_with(
            r#"<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>"#
        ),
        "{}",
        r.html
    );
    assert!(
        r.html.trim_end().ends_with("</table>\n</div>")
            || r.html.trim_end().ends_with("</table></div>"),
        "{}",
        r.html
    );
}

#[test]
fn dialect_has_smart_punctuation_strikethrough_and_footnotes() {
    let r = render("\"Quotes\" -- and ~~old~~ text.[^1]\n\n[^1]: A note.\n");
    assert!(
        r.html
            .contains("\u{201c}Quotes\u{201d} \u{2013} and <del>old</del>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("footnote-definition"), "{}", r.html);
}

#[test]
fn plain_text_and_reading_time() {
    let r = render("## Title\n\nSome **bold** words.\n\n- one\n- two\n");
    assert_eq!(r.plain_text, "Title\nSome bold words.\none\ntwo");
    assert_eq!(r.word_count(), 6);
    assert_eq!(r.reading_minutes(), 1);
    let long = "word ".repeat(401);
    assert_eq!(render(&long).reading_minutes(), 3);
}

#[test]
fn only_top_level_faq_questions_become_disclosures() {
    let r = render(
        "## Frequently asked questions\n\n> ### Quoted?\n>\n> Answer.\n\n- ### Listed?\n\n### Real?\n\nYes.\n",
    );
    assert_eq!(r.faq.len(), 1, "{}", r.html);
    assert_eq!(r.faq[0].question, "Real?");
    assert_eq!(
        r.html.matches("<details").count(),
        r.html.matches("</details>").count()
    );
    let quote = r.html.find("<blockquote>").unwrap();
    let quote_end = r.html.find("</blockquote>").unwrap();
    assert!(!r.html[quote..quote_end].contains("<details"), "{}", r.html);
}
