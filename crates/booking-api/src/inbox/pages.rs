//! The inbox's HTML, rendered on the server with `maud` (every value is escaped as text).
//! Plain forms that work without JavaScript; no script at all on these pages.

use crate::client_mail::{for_people, treatment};
use crate::store::{HistoryEntry, InboxRequest, Show, Status};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, Location};
use massage_core::calendar::utc_seconds;
use massage_core::services::Catalog;
use maud::{DOCTYPE, Markup, html};

/// The stylesheet every inbox page links to (served at `/inbox/inbox.css`).
pub(crate) const STYLESHEET: &str = include_str!("inbox.css");

/// The inbox's icon, so the browser does not ask for a missing `/favicon.ico`.
pub(crate) const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">\
<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#1f5f55\"/></svg>";

/// A page: `csrf` is given when signed in (for the sign-out button).
pub(crate) fn layout(title: &str, csrf: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                meta name="color-scheme" content="light dark";
                title { (title) " – Inbox" }
                link rel="icon" href="/inbox/icon.svg";
                link rel="stylesheet" href="/inbox/inbox.css";
            }
            body {
                header class="bar" {
                    nav class="sections" aria-label="Inbox" {
                        a href="/inbox" class="home" { "Booking requests" }
                        a href="/inbox/articles" class="home" { "Articles" }
                    }
                    @if let Some(csrf) = csrf {
                        form method="post" action="/inbox/sign-out" {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" class="quiet" { "Sign out" }
                        }
                    }
                }
                main { (body) }
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

/// A stored UTC moment as a London time for people.
pub(crate) fn london(utc: &str) -> String {
    utc_seconds(utc).map_or_else(
        || utc.to_owned(),
        |s| LondonDateTime::from_utc_seconds(s).for_people(),
    )
}

fn place(request: &BookingRequest) -> String {
    match request.location {
        Location::InCall => "In-call".into(),
        Location::Outcall => format!("Outcall, {}", request.postcode.trim()),
    }
}

fn status_label(stored: &InboxRequest, now: i64) -> (&'static str, String) {
    match stored.status {
        Status::New => ("new", "New".into()),
        Status::Confirmed => {
            let time = stored.confirmed_time.as_deref().unwrap_or_default();
            let past = LondonDateTime::parse(time).is_some_and(|t| t.minutes_after(now) < 0);
            (
                if past { "past" } else { "confirmed" },
                format!("Confirmed: {}", for_people(time)),
            )
        }
        Status::Declined => ("declined", "Declined".into()),
        Status::ByPhone => ("phone", "Arranged by phone".into()),
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
    }
}

pub(crate) fn list(
    catalog: &Catalog,
    requests: &[InboxRequest],
    listing: &Listing<'_>,
    now: i64,
    csrf: &str,
) -> Markup {
    let pages = listing.pages();
    layout(
        "Booking requests",
        Some(csrf),
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
                                (request.preferred_times.first().map(|t| for_people(t)).unwrap_or_default())
                                " (London)"
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
    /// Preferred times that clash with her diary, and what each clashes with.
    pub(crate) clashes: Vec<(String, Vec<String>)>,
}

pub(crate) fn request_page(
    catalog: &Catalog,
    stored: &InboxRequest,
    history: &[HistoryEntry],
    now: i64,
    csrf: &str,
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
    let other_error = feedback.time_error.as_ref().filter(|(f, _)| *f == "other");
    let choice_error = feedback.time_error.as_ref().filter(|(f, _)| *f == "time");
    layout(
        &format!("Request {reference}"),
        Some(csrf),
        html! {
            p { a href="/inbox" { "← All requests" } }
            h1 { "Request " (reference) }
            @if let Some((kind, text)) = &feedback.notice {
                p class={ "notice " (kind) } role=(if *kind == "error" { "alert" } else { "status" }) { (text) }
            }
            p class={ "status " (class) } { (label) }
            @if email.is_empty() && stored.status == Status::New {
                p class="notice warn" {
                    "No e-mail address: call or text to confirm, on "
                    a href=(phone_link(phone)) { (phone) } "."
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
            @if stored.status == Status::New {
                h2 { "Decide" }
                form method="post" action=(action("confirm")) class="stack decision" {
                    input type="hidden" name="csrf" value=(csrf);
                    fieldset aria-describedby=[choice_error.map(|_| "time-error")] {
                        legend { "Confirm a time (London)" }
                        @if let Some((_, text)) = choice_error {
                            p class="field-error" id="time-error" { (text) }
                        }
                        @for (i, t) in request.preferred_times.iter().enumerate() {
                            @let clash = feedback.clashes.iter().find(|(time, _)| time == t);
                            div class="choice" {
                                input type="radio" name="time" id={ "time-" (i) } value=(t)
                                    aria-describedby=[clash.map(|_| format!("time-{i}-clash"))]
                                    checked[feedback.chosen == Some(t.as_str()) || (feedback.chosen.is_none() && i == 0)];
                                label for={ "time-" (i) } { (for_people(t)) }
                                @if let Some((_, what)) = clash {
                                    p class="clash" id={ "time-" (i) "-clash" } {
                                        "Taken: it " (what.join("; it ")) "."
                                    }
                                }
                            }
                        }
                        div class="choice" {
                            input type="radio" name="time" id="time-other" value="other"
                                checked[feedback.chosen == Some("other")];
                            label for="time-other" { "Another time" }
                        }
                        div class="other" {
                            @if let Some((_, text)) = other_error {
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
                h3 { "Decline" }
                form method="post" action=(action("decline")) class="stack decision" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="decline-message" { "Message to the client (optional)" }
                    textarea id="decline-message" name="message" rows="3" maxlength="1000" {}
                    button type="submit" class="secondary" { "Decline" }
                }
                h3 { "Arranged by phone" }
                form method="post" action=(action("phone")) class="stack decision" {
                    input type="hidden" name="csrf" value=(csrf);
                    p class="muted" { "Settled with the client on the phone: nothing is e-mailed." }
                    button type="submit" class="secondary" { "Mark as arranged by phone" }
                }
            }
            h2 { "History" }
            ol class="history" {
                li { (london(&stored.received_at)) ": request received" }
                @for entry in history {
                    li { (london(&entry.at)) ": " (entry.what) }
                }
            }
        },
    )
}
