//! The one Markdown pipeline: turns an article body into safe HTML plus what the page needs
//! around it (table of contents, FAQ entries, plain text for search, word count). Used by the
//! app in the browser and by the build to check content, so nothing is rendered two ways.

use super::photos::{LeadPhoto, Photos, is_photo_src};
use super::slug::{UniqueIds, slugify};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The id of the frequently-asked-questions section; its `###` questions become disclosures.
pub const FAQ_ID: &str = "faq";

/// A heading listed in the table of contents (levels 2 and 3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// The heading level: 2 or 3.
    pub level: u8,
    /// The anchor, unique within the article: `#id`.
    pub id: String,
    /// The heading as plain text.
    pub text: String,
}

/// A question and answer from the article's FAQ section, for the page and its FAQPage
/// structured data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqEntry {
    /// The question heading's anchor.
    pub id: String,
    /// The question, as plain text.
    pub question: String,
    /// The answer, as plain text.
    pub answer: String,
}

/// Something an author should fix, found while rendering; the build refuses the article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the Markdown where the problem is.
    pub offset: usize,
    /// What to fix, for the author.
    pub message: String,
}

/// One article's Markdown rendered and taken apart: everything the build needs from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderedArticle {
    /// The body as HTML.
    pub html: String,
    /// The table of contents.
    pub toc: Vec<Heading>,
    /// The FAQ entries, if the article has an FAQ section.
    pub faq: Vec<FaqEntry>,
    /// The text without markup, for the search index and reading time.
    pub plain_text: String,
    /// Links within this site (`/articles/x#y`, `#y`), so the build can check they lead
    /// somewhere; each with its byte offset.
    pub local_links: Vec<(String, usize)>,
    /// What the author must fix; any one refuses the article.
    pub problems: Vec<Problem>,
    /// The first photo, for link previews and search engines.
    pub lead_photo: Option<LeadPhoto>,
}

/// What an article's page shows of its body, rendered at build time: the browser fetches this
/// (`content/articles/<slug>.json`, written by site-build) instead of the Markdown, so the
/// app carries no Markdown parser (pulldown-cmark and its entity tables are about a tenth of
/// the wasm).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleBody {
    /// The body as HTML.
    pub html: String,
    /// The FAQ entries, for the page's structured data.
    pub faq: Vec<FaqEntry>,
}

impl RenderedArticle {
    /// The part of the article its page shows (see `ArticleBody`).
    pub fn body(&self) -> ArticleBody {
        ArticleBody {
            html: self.html.clone(),
            faq: self.faq.clone(),
        }
    }

    /// Words in the plain text, for the reading time.
    pub fn word_count(&self) -> usize {
        self.plain_text.split_whitespace().count()
    }

    /// Minutes at an unhurried 200 words a minute, never less than one.
    pub fn reading_minutes(&self) -> u32 {
        (self.word_count() as u32).div_ceil(200).max(1)
    }
}

/// The Markdown dialect of the articles, decided in one place.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders an article's Markdown body, collecting what the build checks (links, problems).
/// `photos` are the files in `content/images/` the body may show (`![…](/images/x.jpg)`).
pub fn render(markdown: &str, photos: &Photos) -> RenderedArticle {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, parser_options())
        .into_offset_iter()
        .collect();
    let mut out = Renderer::new(heading_ids(&events), photos);
    out.run(events);
    out.finish()
}

/// Every heading's id, in document order: explicit `{#id}`s first (reserved so generated ids
/// never take them), then slugs of the heading text, made unique with -1, -2, ...
fn heading_ids(events: &[(Event<'_>, Range<usize>)]) -> Vec<HeadingId> {
    let mut ids = UniqueIds::default();
    let mut found = Vec::new();
    let mut text: Option<String> = None;
    let mut explicit: Option<String> = None;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                text = Some(String::new());
                explicit = id.as_ref().map(|id| id.to_string());
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = text.take().unwrap_or_default();
                let duplicate = explicit.as_deref().is_some_and(|id| !ids.reserve(id));
                found.push(HeadingId {
                    explicit: explicit.take(),
                    text,
                    duplicate,
                });
            }
            _ => {}
        }
    }
    for heading in found.iter_mut().filter(|h| h.explicit.is_none()) {
        heading.explicit = Some(ids.unique(slugify(&heading.text)));
    }
    found
}

struct HeadingId {
    /// After `heading_ids`, always the final id.
    explicit: Option<String>,
    text: String,
    duplicate: bool,
}

struct Renderer<'a, 'p> {
    ids: std::vec::IntoIter<HeadingId>,
    photos: &'p Photos,
    lead_photo: Option<LeadPhoto>,
    events: Vec<Event<'a>>,
    toc: Vec<Heading>,
    faq: Vec<FaqEntry>,
    plain: String,
    local_links: Vec<(String, usize)>,
    problems: Vec<Problem>,
    in_faq: bool,
    /// The FAQ answer being collected (its question is the last entry in `faq`).
    answer: Option<String>,
    /// For each open link, whether its start was emitted (an unsafe link's is dropped, so
    /// its end must be too, keeping only the link text).
    link_stack: Vec<bool>,
    image_alt: Option<(String, String, usize)>,
    heading: Option<OpenHeading>,
    /// How many lists, quotes and footnotes enclose the current event: only top-level `###`
    /// headings become FAQ disclosures, so the markup always nests.
    depth: usize,
}

struct OpenHeading {
    level: u8,
    /// Already escaped for HTML.
    id: String,
    text: String,
    /// An FAQ question, rendered as a disclosure's summary.
    question: bool,
}

impl<'a, 'p> Renderer<'a, 'p> {
    fn new(ids: Vec<HeadingId>, photos: &'p Photos) -> Self {
        Self {
            ids: ids.into_iter(),
            photos,
            lead_photo: None,
            events: Vec::new(),
            toc: Vec::new(),
            faq: Vec::new(),
            plain: String::new(),
            local_links: Vec::new(),
            problems: Vec::new(),
            in_faq: false,
            answer: None,
            link_stack: Vec::new(),
            image_alt: None,
            heading: None,
            depth: 0,
        }
    }

    fn problem(&mut self, offset: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            offset,
            message: message.into(),
        });
    }

    fn html(&mut self, html: String) {
        self.events.push(Event::Html(CowStr::from(html)));
    }

    fn text(&mut self, text: &str) {
        self.plain.push_str(text);
        if let Some(answer) = self.answer.as_mut() {
            answer.push_str(text);
        }
    }

    fn block_break(&mut self) {
        if !self.plain.ends_with(char::is_whitespace) && !self.plain.is_empty() {
            self.plain.push('\n');
        }
        if let Some(answer) = self
            .answer
            .as_mut()
            .filter(|a| !a.is_empty() && !a.ends_with(' '))
        {
            answer.push(' ');
        }
    }

    fn close_faq_item(&mut self) {
        if let Some(answer) = self.answer.take() {
            if let Some(entry) = self.faq.last_mut() {
                entry.answer = answer.trim().to_owned();
            }
            self.html("</div></details>\n".to_owned());
        }
    }

    fn run(&mut self, events: Vec<(Event<'a>, Range<usize>)>) {
        for (event, range) in events {
            if let Some((alt, _, _)) = self.image_alt.as_mut() {
                match event {
                    Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                    Event::End(TagEnd::Image) => self.finish_image(),
                    // Refused as everywhere else, not silently left out of the description.
                    Event::Html(_) | Event::InlineHtml(_) => self.problem(
                        range.start,
                        "raw HTML is not allowed in articles (it would be shown as text)",
                    ),
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) => self.start_heading(level, range.start),
                Event::Start(
                    tag @ (Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)),
                ) => {
                    self.depth += 1;
                    self.events.push(Event::Start(tag));
                }
                Event::End(end @ (TagEnd::List(_) | TagEnd::FootnoteDefinition)) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.events.push(Event::End(end));
                }
                Event::End(TagEnd::Heading(_)) => self.end_heading(),
                Event::Html(raw) | Event::InlineHtml(raw) => {
                    // Never executed: shown as text, and refused at build time.
                    self.problem(
                        range.start,
                        "raw HTML is not allowed in articles (it would be shown as text)",
                    );
                    self.text(&raw);
                    self.events.push(Event::Text(raw));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    self.start_link(link_type, dest_url, title, id, range.start);
                }
                Event::End(TagEnd::Link) => {
                    if self.link_stack.pop() != Some(false) {
                        self.events.push(Event::End(TagEnd::Link));
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    self.image_alt = Some((String::new(), dest_url.to_string(), range.start));
                }
                Event::Start(Tag::Table(alignments)) => {
                    // Wide tables scroll inside their own box instead of widening the page.
                    self.html("<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">".to_owned());
                    self.events.push(Event::Start(Tag::Table(alignments)));
                }
                Event::End(TagEnd::Table) => {
                    self.events.push(Event::End(TagEnd::Table));
                    self.html("</div>\n".to_owned());
                    self.block_break();
                }
                Event::Text(t) => {
                    self.text(&t);
                    self.events.push(Event::Text(t));
                }
                Event::Code(t) => {
                    self.text(&t);
                    self.events.push(Event::Code(t));
                }
                Event::SoftBreak | Event::HardBreak => {
                    self.text(" ");
                    self.events.push(event);
                }
                Event::End(TagEnd::BlockQuote(kind)) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.events.push(Event::End(TagEnd::BlockQuote(kind)));
                    self.block_break();
                }
                Event::End(
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableCell,
                ) => {
                    self.events.push(event);
                    self.block_break();
                }
                other => self.events.push(other),
            }
        }
        self.close_faq_item();
    }

    /// Opens a heading with its id; in the FAQ section, `###` questions open a disclosure.
    /// The heading's inline content then goes through the main loop like any other text.
    fn start_heading(&mut self, level: HeadingLevel, offset: usize) {
        let HeadingId {
            explicit,
            text,
            duplicate,
        } = self.ids.next().expect("one id per heading");
        let id = explicit.expect("heading_ids assigns every id");
        if duplicate {
            self.problem(offset, format!("the heading id `{id}` is used twice"));
        }
        let n = level as u8;
        if n == 1 {
            self.problem(
                offset,
                "use ## for sections: the article's title is its only top-level heading",
            );
        }
        if n <= 2 {
            self.close_faq_item();
            self.in_faq = id == FAQ_ID || slugify(&text) == "frequently-asked-questions";
        }
        if (2..=3).contains(&n) {
            self.toc.push(Heading {
                level: n,
                id: id.clone(),
                text: text.clone(),
            });
        }
        self.block_break();
        let mut escaped_id = String::new();
        escape_html(&mut escaped_id, &id).expect("writing to a String");
        let question = self.in_faq && n == 3 && self.depth == 0;
        if question {
            self.close_faq_item();
            self.faq.push(FaqEntry {
                id: id.clone(),
                question: text.clone(),
                answer: String::new(),
            });
            self.html(format!(
                "<details class=\"faq\"><summary><h3 id=\"{escaped_id}\">"
            ));
        } else {
            self.html(format!(
                "<div class=\"section-heading\"><h{n} id=\"{escaped_id}\">"
            ));
        }
        self.heading = Some(OpenHeading {
            level: n,
            id: escaped_id,
            text,
            question,
        });
    }

    fn end_heading(&mut self) {
        let Some(OpenHeading {
            level: n,
            id,
            text,
            question,
        }) = self.heading.take()
        else {
            return;
        };
        self.plain.push('\n');
        if question {
            self.html("</h3></summary><div class=\"faq__answer\">\n".to_owned());
            self.answer = Some(String::new());
            return;
        }
        let mut label = String::new();
        escape_html(&mut label, &text).expect("writing to a String");
        // A plain link to the section works everywhere; the app upgrades it to copy the link.
        self.html(format!(
            "</h{n}><a class=\"section-link\" href=\"#{id}\" aria-label=\"Link to the section {label}\">#</a></div>\n"
        ));
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        offset: usize,
    ) {
        match classify_url(&dest) {
            UrlKind::Unsafe => {
                self.problem(offset, format!("the link target `{dest}` is not allowed"));
                self.link_stack.push(false);
            }
            UrlKind::OtherSite => {
                let mut href = String::new();
                escape_href(&mut href, &dest).expect("writing to a String");
                let mut html =
                    format!("<a href=\"{href}\" rel=\"noopener noreferrer\" target=\"_blank\"");
                if !title.is_empty() {
                    html.push_str(" title=\"");
                    escape_html(&mut html, &title).expect("writing to a String");
                    html.push('"');
                }
                html.push('>');
                self.html(html);
                self.link_stack.push(true);
            }
            UrlKind::Plain => {
                if dest.starts_with('/') || dest.starts_with('#') {
                    self.local_links.push((dest.to_string(), offset));
                }
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
                self.link_stack.push(true);
            }
        }
    }

    fn finish_image(&mut self) {
        let Some((alt, src, offset)) = self.image_alt.take() else {
            return;
        };
        if alt.trim().is_empty() {
            self.problem(
                offset,
                format!("the image `{src}` needs alt text: ![what it shows]({src})"),
            );
        }
        if classify_url(&src) == UrlKind::Unsafe {
            self.problem(offset, format!("the image source `{src}` is not allowed"));
            return;
        }
        if is_photo_src(&src) {
            match self.photos.at(&src) {
                Some(photo) => {
                    let html = photo.picture(alt.trim(), self.lead_photo.is_none());
                    if self.lead_photo.is_none() {
                        self.lead_photo = Some(LeadPhoto::of(photo, alt.trim()));
                    }
                    self.html(html);
                    return;
                }
                None => self.problem(
                    offset,
                    format!(
                        "the photo `{src}` is not in content/images/ (add the file there, or upload it in the editor)"
                    ),
                ),
            }
        }
        let mut html = String::from("<img src=\"");
        escape_href(&mut html, &src).expect("writing to a String");
        html.push_str("\" alt=\"");
        escape_html(&mut html, alt.trim()).expect("writing to a String");
        html.push_str("\" loading=\"lazy\" decoding=\"async\">");
        self.html(html);
    }

    fn finish(self) -> RenderedArticle {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        RenderedArticle {
            html,
            toc: self.toc,
            faq: self.faq,
            plain_text: self.plain.trim().to_owned(),
            local_links: self.local_links,
            problems: self.problems,
            lead_photo: self.lead_photo,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum UrlKind {
    /// This site (`/articles/x`, `#section`), e-mail and telephone links.
    Plain,
    /// Another site: opens in a new tab without giving that site a handle on this one.
    OtherSite,
    /// Anything a browser could execute or that hides content: `javascript:`, `data:`, ...
    Unsafe,
}

fn classify_url(url: &str) -> UrlKind {
    // Browsers ignore ASCII whitespace and control characters inside a scheme
    // ("java\tscript:"), so compare without them.
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .flat_map(char::to_lowercase)
        .collect();
    let scheme_end = compact.find(':');
    let path_start = compact.find(['/', '?', '#']);
    match scheme_end {
        // A colon before any slash, query or fragment means a scheme.
        Some(colon) if path_start.is_none_or(|p| colon < p) => match &compact[..colon] {
            "http" | "https" => UrlKind::OtherSite,
            "mailto" | "tel" => UrlKind::Plain,
            _ => UrlKind::Unsafe,
        },
        _ if compact.starts_with("//") => UrlKind::OtherSite,
        _ => UrlKind::Plain,
    }
}

#[cfg(test)]
mod tests;
