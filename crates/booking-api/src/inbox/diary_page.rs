//! The diary page's HTML: a day or a week of what holds her time (bookings, journeys, time
//! she blocked, her calendar's busy times) in London time, links to move through the days,
//! and the form to block time. Plain links and forms; every value escaped by maud.

use super::access::SignedIn;
use super::calendar_words::NOT_KNOWN_FOR_DAY;
use super::pages::{Section, layout};
use crate::calendar_feed::Known;
use crate::client_mail::treatment;
use massage_core::booking::{BookingRequest, FieldError};
use massage_core::calendar::Date;
use massage_core::diary::blocking::{BlockForm, MAX_NOTE};
use massage_core::diary::plan::{DayPlan, PlanItem, Planned};
use massage_core::diary::{DiaryEntry, EntryKind, Place, Span};
use massage_core::services::Catalog;
use maud::{Markup, html};
use std::collections::HashMap;

/// A day or a week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Period {
    Day,
    Week,
}

impl Period {
    /// `day`, else a week.
    pub(crate) fn from_name(name: &str) -> Self {
        if name == "day" { Self::Day } else { Self::Week }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
        }
    }

    fn days(self) -> i64 {
        match self {
            Self::Day => 1,
            Self::Week => 7,
        }
    }
}

/// The diary's address for a day or the week around it.
pub(crate) fn href(date: Date, period: Period) -> String {
    format!("/inbox/diary?date={date}&view={}", period.name())
}

/// What the page shows.
pub(crate) struct DiaryView<'a> {
    pub(crate) catalog: &'a Catalog,
    /// The confirmed requests in view, by reference (for their treatment).
    pub(crate) requests: &'a HashMap<String, BookingRequest>,
    pub(crate) days: &'a [DayPlan<'a>],
    /// The days her own calendar is known for.
    pub(crate) calendar: Known,
    /// The day asked for.
    pub(crate) date: Date,
    pub(crate) period: Period,
    pub(crate) today: Date,
    /// A sentence at the top: (`ok` or `warn`, text).
    pub(crate) notice: Option<(&'a str, String)>,
}

/// The block form as typed, with its errors, or the bookings it would cover (asked about
/// before it is kept).
pub(crate) struct BlockFormView<'a> {
    pub(crate) fields: &'a BlockForm,
    pub(crate) errors: &'a [FieldError],
    /// (link, words) for each confirmed booking in the time.
    pub(crate) covers: &'a [(String, String)],
    /// The time checked when it covers bookings: "Block anyway" blocks that time only.
    pub(crate) checked: Option<Span>,
}

/// How a checked time travels in the "Block anyway" form: `<start>-<end>` in UTC minutes.
pub(crate) fn span_key(span: Span) -> String {
    format!("{}-{}", span.start, span.end)
}

pub(crate) fn page(view: &DiaryView<'_>, block: &BlockFormView<'_>, session: &SignedIn) -> Markup {
    let title = match view.period {
        Period::Day => format!("Diary: {}", view.date.long()),
        Period::Week => {
            let first = view.days.first().map_or(view.date, |d| d.date);
            format!("Diary: week of {}", first.short())
        }
    };
    let step = |days: i64| {
        Date::from_days_since_epoch(view.date.days_since_epoch() + days * view.period.days())
    };
    let unit = view.period.name();
    let csrf = session.csrf.as_str();
    layout(
        &title,
        Some((session, Section::Diary)),
        html! {
            h1 { (title) }
            @if let Some((kind, text)) = &view.notice {
                p class={ "notice " (kind) } role="status" { (text) }
            }
            nav class="filters" aria-label="Show" {
                @for period in [Period::Day, Period::Week] {
                    @let label = if period == Period::Day { "Day" } else { "Week" };
                    a href=(href(view.date, period)) aria-current=[(period == view.period).then_some("page")] { (label) }
                }
            }
            nav class="pager" aria-label="Dates" {
                a href=(href(step(-1), view.period)) rel="prev" { "Previous " (unit) }
                a href=(href(view.today, view.period)) { "Today" }
                a href=(href(step(1), view.period)) rel="next" { "Next " (unit) }
            }
            p class="muted" { "London time. Bookings, time you blocked and your own calendar's busy times, with the journeys to and from home visits." }
            @for day in view.days {
                (day_section(view, day, csrf))
            }
            (block_form(view, block, csrf))
        },
    )
}

fn day_section(view: &DiaryView<'_>, day: &DayPlan<'_>, csrf: &str) -> Markup {
    let id = format!("day-{}", day.date);
    html! {
        section class="day" aria-labelledby=(id) {
            h2 id=(id) {
                (day.date.long())
                @if day.date == view.today { " (today)" }
            }
            @if !view.calendar.covers(day.date) {
                p class="notice warn" { (NOT_KNOWN_FOR_DAY) }
            }
            @if day.items.is_empty() {
                p class="muted" { "Nothing booked or blocked." }
            } @else {
                ul class="diary" {
                    @for item in &day.items {
                        (item_line(view, day.date, item, csrf))
                    }
                }
            }
        }
    }
}

/// "18:00–19:30", "All day", "from 18:00", "until 14:00".
fn when(item: &PlanItem<'_>) -> String {
    let (start, end) = item.times();
    if item.whole_day() {
        return "All day".to_owned();
    }
    match (item.starts_before, item.ends_after) {
        (true, _) => format!("until {end}"),
        (_, true) => format!("from {start}"),
        _ => format!("{start}\u{2013}{end}"),
    }
}

fn place_name(place: &Place) -> String {
    match place.district() {
        Some(district) => district.to_owned(),
        None => "the studio".to_owned(),
    }
}

fn item_line(view: &DiaryView<'_>, date: Date, item: &PlanItem<'_>, csrf: &str) -> Markup {
    let when = when(item);
    match &item.what {
        Planned::Travel { from, to } => html! {
            li class="item travel" {
                span class="when" { (when) }
                span { "Travel, " (item.minutes()) " min: from " (place_name(from)) " to " (place_name(to)) }
            }
        },
        Planned::Entry(entry) => entry_line(view, date, entry, &when, csrf),
    }
}

/// Whether `span` shows on more than one London day (an evening to midnight does not).
fn several_days(span: Span) -> bool {
    let (start, _) = span.london();
    let (last, _) = Span {
        start: span.end - 1,
        end: span.end,
    }
    .london();
    last.date != start.date
}

fn entry_line(
    view: &DiaryView<'_>,
    date: Date,
    entry: &DiaryEntry,
    when: &str,
    csrf: &str,
) -> Markup {
    match &entry.kind {
        EntryKind::Booking {
            reference,
            client,
            session,
        } => {
            let what = view
                .requests
                .get(reference)
                .map(|r| treatment(view.catalog, r))
                .unwrap_or_else(|| format!("{} minutes", session.minutes));
            let place = match session.place.district() {
                Some(district) => format!("Outcall, {district}"),
                None => "In-call".to_owned(),
            };
            html! {
                li class="item booking" {
                    span class="when" { (when) }
                    span {
                        a href={ "/inbox/requests/" (reference) } { @if client.is_empty() { "A client" } @else { (client) } }
                        " · " (what) " · " (place)
                    }
                }
            }
        }
        EntryKind::Blocked { id, note } => {
            // A block over several days shows on each, and Remove takes all of it: said.
            let whole = several_days(entry.span).then(|| entry.span.in_words());
            let label = match &whole {
                Some(span) => format!(" blocked time, {span}"),
                None => format!(" blocked time, {when}, {}", date.long()),
            };
            html! {
                li class="item blocked" {
                    span class="when" { (when) }
                    span {
                        "Blocked"
                        @if let Some(span) = &whole { " (" (span) ")" }
                        @if !note.is_empty() { ": " (note) }
                    }
                    form method="post" action={ "/inbox/blocked/" (id) "/remove" } {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="date" value=(view.date);
                        input type="hidden" name="view" value=(view.period.name());
                        button type="submit" class="secondary" {
                            @if whole.is_some() { "Remove all of it" } @else { "Remove" }
                            span class="visually-hidden" { (label) }
                        }
                    }
                }
            }
        }
        EntryKind::Calendar { summary } => html! {
            li class="item calendar" {
                span class="when" { (when) }
                span { "Your calendar: " @if summary.is_empty() { "busy" } @else { (summary) } }
            }
        },
    }
}

/// The message on `field` among `errors`, if any.
fn error_on<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// The block form's fields, in the order the page shows them: (field, input id, label).
const BLOCK_FIELDS: [(&str, &str, &str); 5] = [
    ("date", "block-date", "Day"),
    ("last_date", "block-last-date", "Last day (optional)"),
    ("from", "block-from", "From"),
    ("to", "block-to", "To"),
    ("note", "block-note", "Note (optional, for you)"),
];

fn block_form(view: &DiaryView<'_>, block: &BlockFormView<'_>, csrf: &str) -> Markup {
    let fields = block.fields;
    let field = |name: &str| {
        let error = error_on(block.errors, name);
        (error, error.map(|_| format!("block-{name}-error")))
    };
    let (date_error, date_described) = field("date");
    let (last_error, last_described) = field("last_date");
    let (from_error, from_described) = field("from");
    let (to_error, to_described) = field("to");
    let (note_error, note_described) = field("note");
    html! {
        section aria-labelledby="block-heading" {
            h2 id="block-heading" { "Block time" }
            @if !block.errors.is_empty() {
                div class="notice error" role="alert" {
                    p { "The time could not be blocked:" }
                    ul {
                        @for (name, id, label) in BLOCK_FIELDS {
                            @if let Some(text) = error_on(block.errors, name) {
                                li { a href={ "#" (id) } { (label) ": " (text) } }
                            }
                        }
                    }
                }
            }
            @if !block.covers.is_empty() {
                div class="notice warn" role="status" id="block-covers" {
                    p { "This time includes confirmed bookings. Blocking it does not cancel them: tell the client if a booking must move." }
                    ul { @for (link, words) in block.covers { li { a href=(link) { (words) } } } }
                }
            }
            p class="muted" {
                "Blocked time is not offered on the booking page, and a confirmation over it is refused. \
                 Bookings already made stay booked."
            }
            // Sent back to the form's heading: on a phone, its messages are in view at once.
            form method="post" action="/inbox/blocked#block-heading" class="stack" novalidate {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="view" value=(view.period.name());
                div class="days" {
                    div class="field" {
                        @if let Some(text) = date_error { p class="field-error" id=[date_described.as_deref()] { (text) } }
                        label for="block-date" { "Day" }
                        input type="date" id="block-date" name="date" value=(fields.date)
                            aria-describedby=[date_described.as_deref()] aria-invalid=[date_error.map(|_| "true")];
                    }
                    div class="field" {
                        @if let Some(text) = last_error { p class="field-error" id=[last_described.as_deref()] { (text) } }
                        label for="block-last-date" { "Last day (optional)" }
                        input type="date" id="block-last-date" name="last_date" value=(fields.last_date)
                            aria-describedby={ "block-last-hint" @if let Some(id) = &last_described { " " (id) } }
                            aria-invalid=[last_error.map(|_| "true")];
                    }
                }
                p class="muted" id="block-last-hint" { "For several days; “To” is then on the last day." }
                div class="choice" {
                    input type="checkbox" id="block-whole-day" name="whole_day" value="yes" checked[fields.whole_day];
                    label for="block-whole-day" { "The whole day" }
                }
                @if let Some(text) = from_error { p class="field-error" id=[from_described.as_deref()] { (text) } }
                label for="block-from" { "From" }
                input type="time" id="block-from" name="from" value=(fields.from)
                    aria-describedby=[from_described.as_deref()] aria-invalid=[from_error.map(|_| "true")];
                @if let Some(text) = to_error { p class="field-error" id=[to_described.as_deref()] { (text) } }
                label for="block-to" { "To" }
                input type="time" id="block-to" name="to" value=(fields.to)
                    aria-describedby={ "block-to-hint" @if let Some(id) = &to_described { " " (id) } }
                    aria-invalid=[to_error.map(|_| "true")];
                p class="muted" id="block-to-hint" { "00:00 is midnight at the end of the day." }
                @if let Some(text) = note_error { p class="field-error" id=[note_described.as_deref()] { (text) } }
                label for="block-note" { "Note (optional, for you)" }
                input type="text" id="block-note" name="note" maxlength=(MAX_NOTE) value=(fields.note)
                    aria-describedby=[note_described.as_deref()] aria-invalid=[note_error.map(|_| "true")];
                @match block.checked.filter(|_| !block.covers.is_empty()) {
                    Some(span) => {
                        input type="hidden" name="anyway" value=(span_key(span));
                        button type="submit" aria-describedby="block-covers" { "Block anyway" }
                    }
                    None => { button type="submit" { "Block this time" } }
                }
            }
        }
    }
}
