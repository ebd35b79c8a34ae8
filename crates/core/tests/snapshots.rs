//! What the Markdown pipeline writes, as a reviewed snapshot (`insta`): any change to the
//! HTML articles get shows up as a diff to accept (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test`) or to fix. The sample uses every feature authors have.

use massage_core::articles::markdown::render;
use massage_core::articles::photos::{Photo, Photos};

const SAMPLE: &str = r#"Massage helps "most" back pain -- but not all of it.

## What results to expect {#results}

Most people feel **looser** after one session and *better* after a few. See
[the self-check](/self-check), [acute pain](/articles/back-pain#acute),
[the NHS](https://www.nhs.uk/conditions/back-pain/ "NHS: back pain") or
[e-mail me](mailto:bookings@example.com).

### Aftercare

1. Drink water.
2. Keep moving gently.

| Session | Length |
|---|---|
| Deep tissue | 60 minutes |

![A massage table set up in a living room](/images/outcall-setup.jpg)

~~No pain, no gain~~ is a myth.[^1]

## Frequently asked questions {#faq}

### Does it hurt?

It should never be more than "good pain".

### How often?

Every two to four weeks.

[^1]: Pressure is agreed with you.
"#;

#[test]
fn an_article_with_every_feature_renders_as_reviewed() {
    let mut photos = Photos::default();
    photos.insert(Photo {
        file: "outcall-setup.jpg".into(),
        stem: "outcall-setup-0123456789ab".into(),
        width: 2000,
        height: 1500,
    });
    let rendered = render(SAMPLE, &photos);
    assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    insta::assert_snapshot!("article_html", rendered.html);
    let toc: Vec<String> = rendered
        .toc
        .iter()
        .map(|h| format!("h{} #{} {}", h.level, h.id, h.text))
        .collect();
    insta::assert_snapshot!("article_contents", toc.join("\n"));
}
