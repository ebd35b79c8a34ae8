//! The inbox's HTML, rendered on the server with `maud` (every value is escaped as text).
//! Plain forms that work without JavaScript; no script at all on these pages.

use super::access::SignedIn;
use crate::client_mail::{for_people, london, treatment};
use crate::private_pages::head;
use crate::store::{
    CONSENT_WITHDRAWN, Happened, HistoryEntry, InboxRequest, Show, Status, times_from_db,
};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, Location};
use massage_core::calendar::utc_seconds;
use massage_core::services::{Catalog, Practice};
use maud::{DOCTYPE, Markup, html};

/// The stylesheet every inbox page links to (served at `/inbox/inbox.css`).
pub(crate) const STYLESHEET: &str = include_str!("inbox.css");

/// The inbox's icon, so the browser does not ask for a missing `/favicon.ico`.
pub(crate) const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">\
<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#1f5f55\"/></svg>";

/// Which of the header's links is the page itself.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Requests,
    Diary,
    Articles,
    /// A page under one of them (a request): neither is the page itself.
    Within,
}

/// A page; `signed_in` (with the section it is in) for the header's links, the sign-out
/// button and the banners about her calendar.
pub(super) fn layout(title: &str, signed_in: Option<(&SignedIn, Section)>, body: Markup) -> Markup {
    let current = |section| {
        signed_in
            .is_some_and(|(_, here)| here == section)
            .then_some("page")
    };
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            (head(&format!("{title} – Inbox")))
            body {
                header class="bar" {
                    nav aria-label="Inbox" {
                        a href="/inbox" aria-current=[current(Section::Requests)] { "Booking requests" }
                        @if let Some((session, _)) = signed_in {
                            a href="/inbox/diary" aria-current=[current(Section::Diary)] { "Diary" }
                            @if session.editor {
                                a href="/inbox/articles" aria-current=[current(Section::Articles)] { "Articles" }
                            }
                        }
                    }
                    @if let Some((session, _)) = signed_in {
                        form method="post" action="/inbox/sign-out" {
                            input type="hidden" name="csrf" value=(session.csrf);
                            button type="submit" class="quiet" { "Sign out" }
                        }
                    }
                }
                main {
                    @for banner in signed_in.iter().flat_map(|(session, _)| &session.banners) {
                        p class="notice warn" role="status" { (banner) }
                    }
                    (body)
                }
            }
        }
    }
}

/// A page that only says something: not found, forbidden, no password yet.
pub(crate) fn message(title: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> Markup {
    layout(
        title,
        None,
        html! {
            h1 { (title) }
            @for p in paragraphs { p { (p) } }
            @if let Some((href, text)) = link { p { a href=(href) { (text) } } }
        },
    )
}

pub(crate) fn no_password() -> Markup {
    layout(
        "Set a password first",
        None,
        html! {
            h1 { "Set a password first" }
            p { "The inbox has no password yet. On the server, run:" }
            pre { code { "booking-api set-password --database var/bookings.sqlite" } }
            p { "(with the same database file the receiver uses), then reload this page." }
        },
    )
}

pub(crate) fn sign_in(token: &str, next: &str, error: Option<&str>) -> Markup {
    layout(
        "Sign in",
        None,
        html! {
            h1 { "Sign in" }
            @if let Some(error) = error {
                p class="notice error" role="alert" id="password-error" { (error) }
            }
            form method="post" action="/inbox/sign-in" class="stack" {
                input type="hidden" name="token" value=(token);
                input type="hidden" name="next" value=(next);
                label for="password" { "Password" }
                input id="password" name="password" type="password" autocomplete="current-password"
                    required autofocus aria-describedby=[error.map(|_| "password-error")];
                button type="submit" { "Sign in" }
            }
        },
    )
}

fn request_of(stored: &InboxRequest) -> Option<BookingRequest> {
    serde_json::from_str(&stored.request_json).ok()
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago".
fn ago(received_at: &str, now: i64) -> String {
    let Some(then) = utc_seconds(received_at) else {
        return received_at.to_owned();
    };
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match now - then {
        s if s < 60 => "just now".into(),
        s if s < 3600 => plural(s / 60, "minute"),
        s if s < 86_400 => plural(s / 3600, "hour"),
        s => plural(s / 86_400, "day"),
    }
}

fn place(request: &BookingRequest) -> String {
    match request.location {
        Location::InCall => "In-call".into(),
        Location::Outcall => format!("Outcall, {}", request.postcode.trim()),
    }
}

fn status_label(stored: &InboxRequest, now: i64) -> (&'static str, String) {
    let time = stored.confirmed_time.as_deref().unwrap_or_default();
    let past = LondonDateTime::parse(time).is_some_and(|t| t.minutes_after(now) < 0);
    match stored.status {
        Status::New => ("new", "New".into()),
        Status::Moving => ("new", "Asks to move".into()),
        Status::Confirmed => (
            if past { "past" } else { "confirmed" },
            format!("Confirmed: {}", for_people(time)),
        ),
        Status::ByPhone if time.is_empty() => ("phone", "Arranged by phone".into()),
        Status::ByPhone => (
            if past { "past" } else { "confirmed" },
            format!("By phone: {}", for_people(time)),
        ),
        Status::Declined => ("declined", "Declined".into()),
        Status::Cancelled => ("cancelled", "Cancelled".into()),
        Status::Expired => ("expired", "Expired unanswered".into()),
    }
}

/// What a form sent from a page that no longer shows the request as it stands is told.
pub(crate) const CHANGED_SINCE: &str = "This request changed since the page was opened (here it is as it stands). Nothing was changed.";

/// How a decision made before is told, when another comes too late.
pub(crate) fn already(status: Status, time: Option<&str>) -> String {
    let time = for_people(time.unwrap_or_default());
    match status {
        Status::Confirmed => format!("already confirmed for {time}"),
        Status::ByPhone => format!("already arranged by phone for {time}"),
        Status::Declined => "already declined".into(),
        Status::Cancelled => "cancelled".into(),
        Status::Expired => "not answered in time and has expired".into(),
        Status::New | Status::Moving => "already decided".into(),
    }
}

/// "Expires in 3 h": how long a request waiting for her has before it expires.
fn expires_in(
    stored: &InboxRequest,
    request: &BookingRequest,
    practice: &Practice,
    now: i64,
) -> String {
    let left = crate::expiry::deadline(stored, request, practice) - now;
    match left {
        s if s <= 60 => "Expires now".to_owned(),
        s if s < 3600 => format!("Expires in {} min", s / 60),
        s if s < 3 * 86_400 => format!("Expires in {} h", s / 3600),
        s => format!("Expires in {} days", s / 86_400),
    }
}

/// Requests on one page of the list.
pub(crate) const PAGE_SIZE: u32 = 50;

/// Which part of the list a page shows, and how many requests each part has.
pub(crate) struct Listing<'a> {
    pub(crate) show: Show,
    /// From 1.
    pub(crate) page: u32,
    /// For each of `Show::EVERY`.
    pub(crate) counts: &'a [u32],
}

impl Listing<'_> {
    fn count(&self, show: Show) -> u32 {
        Show::EVERY
            .iter()
            .position(|s| *s == show)
            .and_then(|i| self.counts.get(i))
            .copied()
            .unwrap_or(0)
    }

    fn pages(&self) -> u32 {
        self.count(self.show).div_ceil(PAGE_SIZE).max(1)
    }

    fn href(&self, show: Show, page: u32) -> String {
        match (show, page) {
            (Show::All, 1) => "/inbox".to_owned(),
            (_, 1) => format!("/inbox?show={}", show.name()),
            _ => format!("/inbox?show={}&page={page}", show.name()),
        }
    }
}

fn show_label(show: Show) -> &'static str {
    match show {
        Show::All => "All",
        Show::New => "New",
        Show::Upcoming => "Upcoming",
        Show::Past => "Past",
        Show::Declined => "Declined",
        Show::ByPhone => "By phone",
        Show::Cancelled => "Cancelled",
        Show::Expired => "Expired",
    }
}

pub(super) fn list(
    catalog: &Catalog,
    requests: &[InboxRequest],
    listing: &Listing<'_>,
    now: i64,
    session: &SignedIn,
) -> Markup {
    let pages = listing.pages();
    layout(
        "Booking requests",
        Some((session, Section::Requests)),
        html! {
            h1 { "Booking requests" }
            nav class="filters" aria-label="Show" {
                @for show in Show::EVERY {
                    @let label = format!("{} ({})", show_label(show), listing.count(show));
                    @if show == listing.show {
                        a href=(listing.href(show, 1)) aria-current="page" { (label) }
                    } @else {
                        a href=(listing.href(show, 1)) { (label) }
                    }
                }
            }
            @if requests.is_empty() {
                p { @if listing.count(Show::All) == 0 { "No requests yet." } @else { "None here." } }
            }
            ul class="requests" {
                @for stored in requests {
                    @if let Some(request) = request_of(stored) {
                        @let (class, label) = status_label(stored, now);
                        li class={ "request " (class) } {
                            a href={ "/inbox/requests/" (stored.reference) } {
                                span class="who" { (request.name.trim()) }
                                span class="ref" { (stored.reference) }
                            }
                            span class={ "status " (class) } { (label) }
                            span { (treatment(catalog, &request)) }
                            span { (place(&request)) }
                            span {
                                "First choice: "
                                (stored.times_asked(&request).first().map(|t| for_people(t)).unwrap_or_default())
                                " (London)"
                            }
                            @if stored.status.awaits_answer() {
                                span class="expires" { (expires_in(stored, &request, &catalog.practice, now)) }
                            }
                            span class="muted" {
                                "Arrived " (ago(&stored.received_at, now))
                                @if request.health.is_some() { " · health details included" }
                                @else { " · no health details" }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav class="pager" aria-label="Pages" {
                    @if listing.page > 1 {
                        a href=(listing.href(listing.show, listing.page - 1)) rel="prev" { "Previous page" }
                    }
                    span { "Page " (listing.page.min(pages)) " of " (pages) }
                    @if listing.page < pages {
                        a href=(listing.href(listing.show, listing.page + 1)) rel="next" { "Next page" }
                    }
                }
            }
        },
    )
}

/// What the request page shows besides the request: a form error, or a notice.
#[derive(Clone, Default)]
pub(crate) struct Feedback<'a> {
    /// A problem with the chosen time, shown next to the field it is about.
    pub(crate) time_error: Option<(&'a str, String)>,
    /// A sentence at the top (saved; already decided).
    pub(crate) notice: Option<(&'a str, String)>,
    /// What she chose, kept after an error.
    pub(crate) chosen: Option<&'a str>,
    pub(crate) other_date: &'a str,
    pub(crate) other_time: &'a str,
    /// The time agreed by phone, kept after an error.
    pub(crate) phone_date: &'a str,
    pub(crate) phone_time: &'a str,
    /// The time a booking is being moved to, kept after an error.
    pub(crate) move_date: &'a str,
    pub(crate) move_time: &'a str,
    /// Preferred times that clash with her diary, and what each clashes with.
    pub(crate) clashes: Vec<(String, Vec<String>)>,
    /// Preferred times on days her own calendar is not known for.
    pub(crate) calendar_not_known: Vec<String>,
}

/// A date and time field pair (`<name>_date`, `<name>_time`) for a time she enters, with
/// its error next to it.
fn time_fields(name: &str, legend: &str, values: (&str, &str), error: Option<&str>) -> Markup {
    let error_id = format!("{name}-error");
    html! {
        fieldset aria-describedby=[error.map(|_| error_id.clone())] {
            legend { (legend) }
            @if let Some(text) = error {
                p class="field-error" id=(error_id) { (text) }
            }
            div class="other" {
                label for={ (name) "-date" } { "Date" }
                input type="date" id={ (name) "-date" } name={ (name) "_date" } value=(values.0) required
                    aria-invalid=[error.map(|_| "true")];
                label for={ (name) "-time" } { "Start time" }
                input type="time" id={ (name) "-time" } name={ (name) "_time" } step="900" value=(values.1) required
                    aria-invalid=[error.map(|_| "true")];
            }
        }
    }
}

pub(super) fn request_page(
    catalog: &Catalog,
    stored: &InboxRequest,
    history: &[HistoryEntry],
    now: i64,
    session: &SignedIn,
    feedback: &Feedback<'_>,
) -> Markup {
    let Some(request) = request_of(stored) else {
        return message(
            "Unreadable request",
            &["This request could not be read."],
            None,
        );
    };
    let reference = &stored.reference;
    let csrf = session.csrf.as_str();
    let (class, label) = status_label(stored, now);
    let action = |what: &str| format!("/inbox/requests/{reference}/{what}");
    let phone_link = |phone: &str| {
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{digits}")
    };
    let (email, phone) = (request.email.trim(), request.phone.trim());
    let error_for = |field: &str| {
        feedback
            .time_error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, text)| text.as_str())
    };
    let (other_error, choice_error) = (error_for("other"), error_for("time"));
    let times = stored.times_asked(&request);
    let moving_from = stored
        .confirmed_time
        .as_deref()
        .filter(|_| stored.status == Status::Moving);
    let booked_ahead = stored.status.is_booked()
        && stored
            .confirmed_time
            .as_deref()
            .and_then(LondonDateTime::parse)
            .is_some_and(|t| t.minutes_after(now) > 0);
    let seen = stored.version.to_string();
    // Arranged by phone: empty until she types the time agreed (one tap must never hold a
    // time nobody agreed to).
    let (phone_date, phone_time) = (feedback.phone_date, feedback.phone_time);
    layout(
        &format!("Request {reference}"),
        Some((session, Section::Within)),
        html! {
            p { a href="/inbox" { "← All requests" } }
            h1 { "Request " (reference) }
            @if let Some((kind, text)) = &feedback.notice {
                p class={ "notice " (kind) } role=(if *kind == "error" { "alert" } else { "status" }) { (text) }
            }
            p class={ "status " (class) } { (label) }
            @if let Some(old) = moving_from {
                p class="notice warn" {
                    "The client asks to move this booking from " (for_people(old))
                    " (London) to one of the times below. That time is free again until you answer."
                }
            }
            @if stored.status.awaits_answer() {
                p class="expires" {
                    (expires_in(stored, &request, &catalog.practice, now))
                    ": unanswered, the client is then e-mailed to call you."
                }
            }
            @if email.is_empty() && stored.status.awaits_answer() {
                p class="notice warn" {
                    "No e-mail address: call or text to confirm, on "
                    a href=(phone_link(phone)) { (phone) } "."
                }
            }
            @if stored.status == Status::Expired {
                p class="notice warn" {
                    @if email.is_empty() {
                        "Nobody answered in time. The client gave no e-mail address and has not \
                         been told: call or text them on "
                        a href=(phone_link(phone)) { (phone) } "."
                    } @else {
                        "Nobody answered in time: the client was e-mailed that nothing is booked, \
                         and asked to call you."
                    }
                    " If you agree a time, confirm it or mark it as arranged by phone below."
                }
            }
            h2 { "The request" }
            dl class="details" {
                dt { "Name" } dd { (request.name.trim()) }
                dt { "Treatment" } dd { (treatment(catalog, &request)) }
                dt { "Where" }
                dd {
                    @match request.location {
                        Location::InCall => { "In-call (the treatment room)" }
                        Location::Outcall => {
                            "Outcall: " span class="pre" { (request.address.trim()) } ", " (request.postcode.trim())
                        }
                    }
                }
                dt { "Preferred times (London)" }
                dd { ol { @for t in &request.preferred_times { li { (for_people(t)) } } } }
                @if !stored.move_times.is_empty() {
                    dt { "Asked to move to (London)" }
                    dd { ol { @for t in &stored.move_times { li { (for_people(t)) } } } }
                }
                @if !email.is_empty() {
                    dt { "E-mail" } dd { a href={ "mailto:" (email) } { (email) } }
                }
                @if !phone.is_empty() {
                    dt { "Phone" } dd { a href=(phone_link(phone)) { (phone) } }
                }
                @if !request.notes.trim().is_empty() {
                    dt { "Notes" } dd class="pre" { (request.notes.trim()) }
                }
                dt { "Received" } dd { (london(&stored.received_at)) " (London)" }
            }
            h2 { "Health summary" }
            @match &request.health {
                Some(health) => {
                    p class="muted" {
                        "Shared with consent (wording " (stored.consent_version.as_deref().unwrap_or("?"))
                        ", given " (stored.consent_given_at.as_deref().map(london).unwrap_or_default())
                        " London time). Shown only here: never in e-mails."
                    }
                    div class="health pre" { (health.summary.trim()) }
                }
                None => { p { "No health details were sent." } }
            }
            @if stored.status.may_book() {
                h2 { @if stored.status.awaits_answer() { "Decide" } @else { "Give it a time" } }
                form method="post" action=(action("confirm")) class="stack decision" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="seen" value=(&seen);
                    fieldset aria-describedby=[choice_error.map(|_| "time-error")] {
                        legend { "Confirm a time (London)" }
                        @if let Some(text) = choice_error {
                            p class="field-error" id="time-error" { (text) }
                        }
                        @for (i, t) in times.iter().enumerate() {
                            @let clash = feedback.clashes.iter().find(|(time, _)| time == t);
                            @let unknown = feedback.calendar_not_known.contains(t);
                            @let notes = [clash.map(|_| format!("time-{i}-clash")), unknown.then(|| format!("time-{i}-calendar"))];
                            @let described = notes.into_iter().flatten().collect::<Vec<_>>().join(" ");
                            div class="choice" {
                                input type="radio" name="time" id={ "time-" (i) } value=(t)
                                    aria-describedby=[(!described.is_empty()).then_some(described.as_str())]
                                    checked[feedback.chosen == Some(t.as_str()) || (feedback.chosen.is_none() && i == 0)];
                                label for={ "time-" (i) } { (for_people(t)) }
                                @if let Some((_, what)) = clash {
                                    p class="clash" id={ "time-" (i) "-clash" } {
                                        "Taken: it " (what.join("; it ")) "."
                                    }
                                }
                                @if unknown {
                                    p class="clash" id={ "time-" (i) "-calendar" } { (super::calendar_words::NOT_KNOWN_FOR_TIME) }
                                }
                            }
                        }
                        @if let Some(old) = moving_from {
                            div class="choice" {
                                input type="radio" name="time" id="time-original" value=(old)
                                    checked[feedback.chosen == Some(old)];
                                label for="time-original" { "Keep the original time: " (for_people(old)) }
                            }
                        }
                        div class="choice" {
                            input type="radio" name="time" id="time-other" value="other"
                                checked[feedback.chosen == Some("other")];
                            label for="time-other" { "Another time" }
                        }
                        div class="other" {
                            @if let Some(text) = other_error {
                                p class="field-error" id="other-error" { (text) }
                            }
                            label for="other-date" { "Date" }
                            input type="date" id="other-date" name="other_date" value=(feedback.other_date)
                                aria-describedby=[other_error.map(|_| "other-error")]
                                aria-invalid=[other_error.map(|_| "true")];
                            label for="other-time" { "Start time" }
                            input type="time" id="other-time" name="other_time" step="900" value=(feedback.other_time)
                                aria-describedby=[other_error.map(|_| "other-error")]
                                aria-invalid=[other_error.map(|_| "true")];
                        }
                    }
                    button type="submit" {
                        @if email.is_empty() { "Confirm" } @else { "Confirm and e-mail the client" }
                    }
                }
                @if stored.status.awaits_answer() {
                    h3 { "Decline" }
                    form method="post" action=(action("decline")) class="stack decision" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="seen" value=(&seen);
                        label for="decline-message" { "Message to the client (optional)" }
                        textarea id="decline-message" name="message" rows="3" maxlength="1000" {}
                        button type="submit" class="secondary" {
                            @if moving_from.is_some() { "Decline (the booking is cancelled)" } @else { "Decline" }
                        }
                    }
                }
                h3 { "Arranged by phone" }
                form method="post" action=(action("phone")) class="stack decision" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="seen" value=(&seen);
                    p class="muted" {
                        "Settled with the client on the phone: the time is held in your diary, \
                         and nothing is e-mailed now (a client with an e-mail address gets the \
                         reminder the day before)."
                    }
                    (time_fields("phone", "The time agreed (London)", (phone_date, phone_time), error_for("phone")))
                    button type="submit" class="secondary" { "Mark as arranged by phone" }
                }
            }
            @if booked_ahead {
                h2 { "Change this booking" }
                form method="post" action=(action("move")) class="stack decision" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="seen" value=(&seen);
                    (time_fields("move", "Move it to (London)", (feedback.move_date, feedback.move_time), error_for("move")))
                    button type="submit" class="secondary" {
                        @if email.is_empty() { "Move" } @else { "Move and e-mail the client" }
                    }
                }
                h3 { "Cancel" }
                form method="post" action=(action("cancel")) class="stack decision" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="seen" value=(&seen);
                    label for="cancel-message" { "Message to the client (optional)" }
                    textarea id="cancel-message" name="message" rows="3" maxlength="1000" {}
                    button type="submit" class="secondary" {
                        @if email.is_empty() { "Cancel this booking" } @else { "Cancel this booking and e-mail the client" }
                    }
                }
            }
            h2 { "History" }
            ol class="history" {
                li { (london(&stored.received_at)) ": request received" }
                @for entry in history {
                    li { (london(&entry.at)) ": " (in_words(&entry.what)) }
                }
            }
        },
    )
}

/// A line of a request's history.
fn in_words(what: &Happened) -> String {
    match what {
        Happened::Change { what, detail } => change_in_words(what, detail.as_deref()),
        Happened::Emailed { kind } => email_in_words(kind).to_owned(),
    }
}

/// A decision or change, from its row of `decisions`.
fn change_in_words(what: &str, detail: Option<&str>) -> String {
    let detail = detail.unwrap_or_default();
    match what {
        "confirmed" => format!("Confirmed for {}", for_people(detail)),
        "declined" => "Declined".to_owned(),
        "phone" if detail.is_empty() => "Marked as arranged by phone".to_owned(),
        "phone" => format!("Arranged by phone for {}", for_people(detail)),
        "moved" => format!("Moved by you to {}", for_people(detail)),
        "cancelled" => "Cancelled by you".to_owned(),
        "client_cancelled" => "Cancelled by the client (with the link in their e-mail)".to_owned(),
        "move_asked" => {
            let times: Vec<String> = times_from_db(Some(detail))
                .iter()
                .map(|t| for_people(t))
                .collect();
            format!("The client asked to move to: {}", times.join("; "))
        }
        "expired" => "Expired: not answered in time".to_owned(),
        CONSENT_WITHDRAWN => "Health summary deleted: consent withdrawn".to_owned(),
        other => other.to_owned(),
    }
}

/// An e-mail sent to the client, by its kind.
fn email_in_words(kind: &str) -> &'static str {
    match kind {
        "receipt" => "Receipt e-mailed to the client",
        "confirmed" => "Confirmation and calendar invite e-mailed to the client",
        "declined" => "Decline e-mailed to the client",
        "moved" => "New time and updated calendar invite e-mailed to the client",
        "cancelled" => "Cancellation e-mailed to the client",
        "client_cancelled" => "Cancellation acknowledged to the client by e-mail",
        "move_asked" => "Request to move acknowledged to the client by e-mail",
        "reminder" => "Reminder e-mailed to the client",
        "expired" => "Expiry e-mailed to the client, with your phone number",
        _ => "E-mailed to the client",
    }
}
