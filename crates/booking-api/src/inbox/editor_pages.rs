//! The editor's pages, rendered with `maud` (every value escaped as text) as plain forms that
//! work without JavaScript, on a phone: the list of articles, the article form with its
//! problems next to each field, the preview, and a kept version.

use super::access::SignedIn;
use super::pages::{Section, layout};
use crate::content_folder::{Listed, is_kept_draft};
use massage_core::articles::article_form::{ArticleForm, Field};
use massage_core::articles::display_date;
use massage_core::articles::front_matter;
use massage_core::articles::library::Standing;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::{Date, utc_seconds};
use maud::{Markup, PreEscaped, html};

/// Where an article stands, for the line at the top of its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// Not saved yet.
    New,
    /// Saved, never published.
    Draft { saved: i64 },
    /// On the site (since `date`), with changes saved since, if any.
    Published { date: String, changes: Option<i64> },
    /// Goes on the site on `date`.
    Scheduled { date: String, changes: Option<i64> },
    /// Its file says `draft: true` (written by hand): not on the site.
    MarkedDraft { changes: Option<i64> },
}

impl Status {
    /// From the published file (if any) and when changes were saved (if any).
    pub(super) fn of(live: Option<&str>, changes: Option<i64>, today: Date) -> Self {
        let Some(live) = live else {
            return match changes {
                Some(saved) => Self::Draft { saved },
                None => Self::New,
            };
        };
        let Ok((fm, _)) = front_matter::parse(live) else {
            return Self::MarkedDraft { changes };
        };
        match Standing::of(fm.draft, &fm.date, today) {
            Standing::Draft => Self::MarkedDraft { changes },
            Standing::Scheduled => Self::Scheduled {
                date: fm.date,
                changes,
            },
            Standing::Published => Self::Published {
                date: fm.date,
                changes,
            },
        }
    }

    /// Whether she has saved work not on the site.
    pub(super) fn has_draft(&self) -> bool {
        match self {
            Self::New => false,
            Self::Draft { .. } => true,
            Self::Published { changes, .. }
            | Self::Scheduled { changes, .. }
            | Self::MarkedDraft { changes } => changes.is_some(),
        }
    }

    /// The date it would leave the site until, when it is on the site now and `date` is
    /// later than today.
    pub(super) fn takes_off_until<'d>(&self, date: &'d str, today: Date) -> Option<&'d str> {
        let date = date.trim();
        (matches!(self, Self::Published { .. })
            && Standing::of(false, date, today) == Standing::Scheduled)
            .then_some(date)
    }
}

/// A sentence at the top of the page: `kind` is `ok`, `warn` or `error`.
#[derive(Clone, Debug)]
pub(super) struct Notice {
    kind: &'static str,
    text: String,
}

impl Notice {
    pub(super) fn error(text: &str) -> Self {
        Self {
            kind: "error",
            text: text.to_owned(),
        }
    }

    /// What the page says after a button did its work (`?done=...`).
    pub(super) fn after(done: &str, status: &Status) -> Option<Self> {
        let ok = |text: String| Some(Self { kind: "ok", text });
        match (done, status) {
            ("published", Status::Scheduled { date, .. }) => ok(format!(
                "Scheduled: it goes on the site on {} (London time).",
                display_date(date)
            )),
            ("published", _) => ok("Published: it is on the site now.".into()),
            ("saved", Status::Published { changes: None, .. }) => {
                ok("Saved: no changes from what is on the site.".into())
            }
            ("saved", _) => ok("Saved as a draft: not on the site until you publish it.".into()),
            ("same", _) => ok(
                "That version is what the site shows already: there are no changes to publish."
                    .into(),
            ),
            ("discarded", _) => ok(
                "Draft deleted: the editor shows what is on the site again.".into(),
            ),
            ("restored", _) => ok(
                "That version is in the editor as your draft. Publish it to put it back on the site."
                    .into(),
            ),
            _ => None,
        }
    }
}

/// What is wrong, by field; and with the photo.
#[derive(Clone, Debug, Default)]
pub(super) struct Problems {
    by_field: Vec<(Field, String)>,
    /// With the photo's file (too large, not a photo, not kept).
    pub(super) photo: Option<String>,
    /// With its description (missing, or given without a photo).
    pub(super) photo_alt: Option<String>,
}

impl Problems {
    pub(super) fn placed(placed: &[(Field, String)]) -> Self {
        Self {
            by_field: placed.to_vec(),
            ..Self::default()
        }
    }

    pub(super) fn add(&mut self, field: Field, message: String) {
        self.by_field.push((field, message));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.by_field.is_empty() && !self.only_this_answer_knows()
    }

    /// Problems with the photo: only the answer to the form that sent it knows them (they
    /// are not in any file to work out again).
    pub(super) fn only_this_answer_knows(&self) -> bool {
        self.photo.is_some() || self.photo_alt.is_some()
    }

    fn of(&self, field: Field) -> Vec<&str> {
        self.by_field
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .collect()
    }

    /// Every problem with the id of the field it is about, in the form's order.
    fn in_order(&self) -> Vec<(&'static str, &str)> {
        let mut all: Vec<(&'static str, &str)> = FIELDS
            .iter()
            .flat_map(|(field, id, _)| self.of(*field).into_iter().map(move |m| (*id, m)))
            .collect();
        if let Some(alt) = &self.photo_alt {
            all.push(("form_photo-alt", alt));
        }
        if let Some(photo) = &self.photo {
            all.push(("form_photo", photo));
        }
        all
    }
}

/// Each field, its id, and its label. The page's own ids have an underscore, which the ids
/// the Markdown pipeline makes from headings never have: a section called "Summary" in the
/// preview cannot take the summary field's label.
const FIELDS: [(Field, &str, &str); 8] = [
    (Field::Address, "form_address", "Address"),
    (Field::Title, "form_title", "Title"),
    (Field::Summary, "form_summary", "Summary"),
    (Field::Category, "form_category", "Category"),
    (Field::Tags, "form_tags", "Topics"),
    (Field::Date, "form_date", "Publish date"),
    (Field::Updated, "form_updated", "Last updated"),
    (Field::Body, "form_body", "Text"),
];

/// Everything the article's page shows.
pub(super) struct EditPage<'a> {
    /// `None` for a new article.
    pub(super) slug: Option<&'a str>,
    pub(super) form: &'a ArticleForm,
    /// The address typed for a new article.
    pub(super) address: &'a str,
    pub(super) photo_alt: &'a str,
    pub(super) categories: &'a [String],
    pub(super) status: Status,
    pub(super) notice: Option<Notice>,
    pub(super) problems: &'a Problems,
    /// The body as the site will show it (the one pipeline's HTML).
    pub(super) preview: Option<&'a str>,
    /// Kept versions, newest first.
    pub(super) history: &'a [String],
    pub(super) session: &'a SignedIn,
    pub(super) today: Date,
    /// Whether "Take it off the site until then" is ticked.
    pub(super) take_off: bool,
}

fn london(seconds: i64) -> String {
    LondonDateTime::from_utc_seconds(seconds).for_people()
}

/// What a kept version was: a published file, or her draft kept when another version was
/// put in the editor.
fn version_label(name: &str) -> String {
    if is_kept_draft(name) {
        format!("Your draft as it was at {}", version_time(name))
    } else {
        format!("As published until {}", version_time(name))
    }
}

/// A version's name (`20261204T181336Z`) as a London time.
fn version_time(name: &str) -> String {
    let stamp = name.get(..16).unwrap_or(name);
    let iso = |from: usize, to: usize| stamp.get(from..to).unwrap_or("00");
    let utc = format!(
        "{}-{}-{}T{}:{}:{}Z",
        iso(0, 4),
        iso(4, 6),
        iso(6, 8),
        iso(9, 11),
        iso(11, 13),
        iso(13, 15)
    );
    utc_seconds(&utc).map_or_else(|| stamp.to_owned(), london)
}

fn status_line(status: &Status, slug: Option<&str>) -> Markup {
    let changes = |saved: &Option<i64>| {
        html! {
            @if let Some(saved) = saved {
                " You have changes saved " (london(*saved)) " (London) that are not on the site yet: the site shows the version published before."
            }
        }
    };
    let link = slug.map(|s| format!("/articles/{s}"));
    html! {
        p class="status-line" id="page_status" {
            @match status {
                Status::New => { "New article: not on the site until you publish it." }
                Status::Draft { saved } => { "Draft, saved " (london(*saved)) " (London): not on the site." }
                Status::Published { date, changes: saved } => {
                    "On the site since " (display_date(date)) ": "
                    @if let Some(link) = &link { a href=(link) { (link) } }
                    "." (changes(saved))
                }
                Status::Scheduled { date, changes: saved } => {
                    "Scheduled: goes on the site on " (display_date(date)) " (London time)." (changes(saved))
                }
                Status::MarkedDraft { changes: saved } => {
                    "Its file marks it as a draft: not on the site. Publishing it puts it on the site." (changes(saved))
                }
            }
        }
    }
}

/// A field's label, hint, problems and the ids that tie them to the input.
struct FieldParts<'a> {
    id: &'static str,
    problems: Vec<&'a str>,
    hint: Option<&'a str>,
}

impl FieldParts<'_> {
    fn described_by(&self) -> Option<String> {
        let mut ids = Vec::new();
        if !self.problems.is_empty() {
            ids.push(format!("{}-error", self.id));
        }
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn invalid(&self) -> Option<&'static str> {
        (!self.problems.is_empty()).then_some("true")
    }

    fn notes(&self) -> Markup {
        html! {
            @if let Some(hint) = self.hint { p class="hint" id={ (self.id) "-hint" } { (hint) } }
            @if !self.problems.is_empty() {
                div class="field-error" id={ (self.id) "-error" } {
                    @for p in &self.problems { p { (p) } }
                }
            }
        }
    }
}

pub(super) fn edit(view: &EditPage<'_>) -> Markup {
    let form = view.form;
    let problems = view.problems;
    let part = |field: Field, hint: Option<&'static str>| {
        let id = FIELDS
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, id, _)| *id)
            .expect("every field has an id");
        FieldParts {
            id,
            problems: problems.of(field),
            hint,
        }
    };
    let action = match view.slug {
        Some(slug) => format!("/inbox/articles/{slug}"),
        None => "/inbox/articles/new".to_owned(),
    };
    let title = match view.slug {
        Some(_) if !form.title.trim().is_empty() => format!("Edit: {}", form.title.trim()),
        Some(slug) => format!("Edit: {slug}"),
        None => "New article".to_owned(),
    };
    let known = view.categories.contains(&form.category);
    let address = part(
        Field::Address,
        Some(
            "Lowercase words joined by hyphens, after /articles/. Leave it empty to make it from the title. It cannot change once published.",
        ),
    );
    let title_part = part(Field::Title, None);
    let summary = part(
        Field::Summary,
        Some("One or two sentences for the library and search results, under 200 characters."),
    );
    let category = part(Field::Category, None);
    let tags = part(
        Field::Tags,
        Some("A few topics separated by commas, like: back pain, desk work."),
    );
    let date = part(
        Field::Date,
        Some("A later date schedules it: it goes on the site that day (London time)."),
    );
    let updated = part(
        Field::Updated,
        Some("Optional: when you last changed it meaningfully."),
    );
    let body = part(
        Field::Body,
        Some("Markdown: ## for a section, **bold**, *italics*, - for a list, [link text](/book)."),
    );
    let photo_problems: Vec<&str> = problems.photo.as_deref().into_iter().collect();
    let alt_problems: Vec<&str> = problems.photo_alt.as_deref().into_iter().collect();
    // Without JavaScript the title is what a screen reader announces as the page comes back.
    let page_title = if problems.is_empty() {
        title.clone()
    } else {
        format!("Error: {title}")
    };
    layout(
        &page_title,
        Some((view.session, Section::Articles)),
        html! {
            p { a href="/inbox/articles" { "← All articles" } }
            h1 { (title) }
            (status_line(&view.status, view.slug))
            @if let Some(notice) = &view.notice {
                p class={ "notice " (notice.kind) } role=(if notice.kind == "error" { "alert" } else { "status" }) { (notice.text) }
            }
            @if !problems.is_empty() {
                div class="notice warn" id="page_problems" role="region" aria-labelledby="page_problems-title" {
                    h2 id="page_problems-title" { "Before it can be published" }
                    ul {
                        @for (id, message) in problems.in_order() {
                            li { a href={ "#" (id) } { (message) } }
                        }
                    }
                }
            }
            @if let Some(preview) = view.preview {
                section class="preview" id="page_preview" aria-labelledby="page_preview-title" {
                    h2 id="page_preview-title" { "Preview" }
                    p class="muted" { "As the article's page will show it. " a href="#page_editor" { "Back to the text" } }
                    div class="preview-page" {
                        p class="preview-category" { (form.category.trim()) }
                        p class="preview-title" { (form.title.trim()) }
                        p class="muted" { (form.summary.trim()) }
                        // The body as the site shows it: HTML written by the one Markdown
                        // pipeline, which escapes every value and refuses raw HTML (the page
                        // also allows no script at all).
                        div class="prose" { (PreEscaped(preview)) }
                    }
                }
            }
            form method="post" action=(action) enctype="multipart/form-data" class="stack editor" id="page_editor" {
                input type="hidden" name="csrf" value=(view.session.csrf);
                @match view.slug {
                    None => {
                        label for="form_address" { "Address (optional)" }
                        (address.notes())
                        input type="text" id="form_address" name="address" value=(view.address)
                            autocapitalize="none" autocomplete="off" spellcheck="false"
                            aria-describedby=[address.described_by()] aria-invalid=[address.invalid()];
                    }
                    Some(slug) => {
                        p class="muted" { "Address: /articles/" (slug) }
                    }
                }
                label for="form_title" { "Title" }
                (title_part.notes())
                input type="text" id="form_title" name="title" value=(form.title)
                    aria-describedby=[title_part.described_by()] aria-invalid=[title_part.invalid()];
                label for="form_summary" { "Summary" }
                (summary.notes())
                textarea id="form_summary" name="summary" rows="3"
                    aria-describedby=[summary.described_by()] aria-invalid=[summary.invalid()] { (form.summary) }
                label for="form_category" { "Category" }
                (category.notes())
                select id="form_category" name="category"
                    aria-describedby=[category.described_by()] aria-invalid=[category.invalid()] {
                    option value="" { "Choose one, or type a new one below" }
                    @for c in view.categories {
                        option value=(c) selected[*c == form.category] { (c) }
                    }
                }
                label for="form_new-category" { "Or a new category" }
                input type="text" id="form_new-category" name="new_category"
                    value=(if known { "" } else { form.category.as_str() })
                    aria-describedby=[category.described_by()] aria-invalid=[category.invalid()];
                label for="form_tags" { "Topics" }
                (tags.notes())
                input type="text" id="form_tags" name="tags" value=(form.tags) autocapitalize="none"
                    aria-describedby=[tags.described_by()] aria-invalid=[tags.invalid()];
                label for="form_date" { "Publish date" }
                (date.notes())
                input type="date" id="form_date" name="date" value=(form.date)
                    aria-describedby=[date.described_by()] aria-invalid=[date.invalid()];
                @if let Some(until) = view.status.takes_off_until(&form.date, view.today) {
                    label class="check" for="form_take-off" {
                        input type="checkbox" id="form_take-off" name="take_off" value="yes" checked[view.take_off];
                        " Take it off the site until " (display_date(until))
                    }
                }
                label for="form_updated" { "Last updated" }
                (updated.notes())
                input type="date" id="form_updated" name="updated" value=(form.updated)
                    aria-describedby=[updated.described_by()] aria-invalid=[updated.invalid()];
                label for="form_body" { "Text" }
                (body.notes())
                textarea id="form_body" name="body" rows="18" class="body"
                    aria-describedby=[body.described_by()] aria-invalid=[body.invalid()] { (form.body) }
                fieldset class="photo" aria-describedby="form_photo-hint" {
                    legend { "Add a photo" }
                    p class="hint" id="form_photo-hint" {
                        "It is added at the end of the text, as a line starting with ![: move that line to where the photo belongs."
                    }
                    // The description comes before the file: a photo too large to take stops
                    // the form being read, and what she typed before it still arrives.
                    label for="form_photo-alt" { "What it shows, for people who cannot see it" }
                    @if !alt_problems.is_empty() {
                        div class="field-error" id="form_photo-alt-error" { @for p in &alt_problems { p { (p) } } }
                    }
                    input type="text" id="form_photo-alt" name="photo_alt" value=(view.photo_alt)
                        aria-describedby=[(!alt_problems.is_empty()).then_some("form_photo-alt-error")]
                        aria-invalid=[(!alt_problems.is_empty()).then_some("true")];
                    label for="form_photo" { "Photo (JPEG, PNG or WebP, up to 20 MB)" }
                    @if !photo_problems.is_empty() {
                        div class="field-error" id="form_photo-error" { @for p in &photo_problems { p { (p) } } }
                    }
                    input type="file" id="form_photo" name="photo" accept="image/jpeg,image/png,image/webp"
                        aria-describedby=[(!photo_problems.is_empty()).then_some("form_photo-error")]
                        aria-invalid=[(!photo_problems.is_empty()).then_some("true")];
                }
                div class="actions" {
                    button type="submit" name="action" value="draft" class="secondary" { "Save draft" }
                    button type="submit" name="action" value="preview" class="secondary" { "Preview" }
                    button type="submit" name="action" value="publish" { "Publish" }
                }
            }
            @if let Some(slug) = view.slug.filter(|_| view.status.has_draft()) {
                p { a href={ "/inbox/articles/" (slug) "/discard" } { "Delete this draft…" } }
            }
            @if !view.history.is_empty() {
                h2 { "Earlier versions" }
                p class="muted" { "Each time it was published again, the version before was kept; and your draft, when an earlier version replaced it." }
                ul class="versions" {
                    @for name in view.history {
                        li { a href={ "/inbox/articles/" (view.slug.unwrap_or_default()) "/versions/" (name) } {
                            (version_label(name)) " (London)"
                        } }
                    }
                }
            }
        },
    )
}

/// The list of articles: work not on the site first, then scheduled, then published.
pub(super) fn list(
    articles: &[Listed],
    discarded: bool,
    session: &SignedIn,
    failure: Option<&crate::publishing::Failure>,
) -> Markup {
    layout(
        "Articles",
        Some((session, Section::Articles)),
        html! {
            h1 { "Articles" }
            (super::publish_alert::banner(failure))
            @if discarded {
                p class="notice ok" role="status" { "Draft deleted: it was never on the site." }
            }
            p { a class="button" href="/inbox/articles/new" { "Write a new article" } }
            @if articles.is_empty() { p { "No articles yet." } }
            ul class="articles" {
                @for a in articles {
                    @let (class, label) = article_label(a);
                    li class={ "article " (class) } {
                        a href={ "/inbox/articles/" (a.slug) } { (a.title) }
                        span class={ "status " (class) } { (label) }
                        @if let Some(saved) = a.draft_saved {
                            span class="muted" { "Saved " (london(saved)) " (London)" }
                        }
                    }
                }
            }
        },
    )
}

fn article_label(a: &Listed) -> (&'static str, String) {
    let date = display_date(&a.date);
    match (a.live, a.draft_saved) {
        (None, _) => ("draft", "Draft: not on the site".into()),
        (Some(Standing::Published), Some(_)) => (
            "changed",
            format!("On the site since {date}, with changes not published"),
        ),
        (Some(Standing::Published), None) => ("live", format!("On the site since {date}")),
        (Some(Standing::Scheduled), _) => ("scheduled", format!("Scheduled for {date}")),
        (Some(Standing::Draft), _) => ("draft", "Marked as a draft in its file".into()),
    }
}

/// A kept version, to read, and to put back in the editor.
pub(super) fn version(slug: &str, name: &str, text: &str, session: &SignedIn) -> Markup {
    layout(
        &format!("{slug}: earlier version"),
        Some((session, Section::Articles)),
        html! {
            p { a href={ "/inbox/articles/" (slug) } { "← Back to the article" } }
            h1 { (version_label(name)) }
            p class="muted" { "The file as it was, front matter and text." }
            form method="post" action={ "/inbox/articles/" (slug) "/versions/" (name) } enctype="multipart/form-data" class="stack" {
                input type="hidden" name="csrf" value=(session.csrf);
                button type="submit" { "Put this version in the editor" }
                p class="hint" { "It becomes your draft; the site changes only when you publish it." }
            }
            pre class="version" { code { (text) } }
        },
    )
}

/// "Delete your draft?", with what deleting it does, before anything goes.
pub(super) fn confirm_discard(
    slug: &str,
    title: &str,
    published: bool,
    session: &SignedIn,
) -> Markup {
    let name = if title.trim().is_empty() {
        slug
    } else {
        title.trim()
    };
    layout(
        &format!("Delete the draft of {name}?"),
        Some((session, Section::Articles)),
        html! {
            p { a href={ "/inbox/articles/" (slug) } { "← Back to the article" } }
            h1 { "Delete the draft of “" (name) "”?" }
            @if published {
                p { "The site keeps showing the published version. Your changes since then leave the editor." }
            } @else {
                p { "It was never published: it leaves your list of articles." }
            }
            p class="muted" { "A copy is kept in the content folder's history (history/" (slug) "/)." }
            form method="post" action={ "/inbox/articles/" (slug) "/discard" } enctype="multipart/form-data" class="stack" {
                input type="hidden" name="csrf" value=(session.csrf);
                button type="submit" { "Delete the draft" }
            }
            p { a href={ "/inbox/articles/" (slug) } { "Keep it" } }
        },
    )
}
