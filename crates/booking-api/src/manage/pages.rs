//! The client's booking page, rendered with `maud` (every value escaped as text): the
//! booking as it stands, and the forms to cancel it or ask for other times, or, inside the
//! cancellation notice, the policy and her phone number. No health details, no notes.

use crate::client_mail::{for_people, london, treatment};
use crate::private_pages::head;
use crate::store::{InboxRequest, Status};
use massage_core::booking::form::{date_range, start_times};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::validate::MAX_TIMES;
use massage_core::booking::{BookingRequest, Location};
use massage_core::services::{Catalog, Practice};
use maud::{DOCTYPE, Markup, html};

/// What the client has just done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Done {
    Cancelled,
    AskedToMove,
}

/// What the page says besides the booking.
#[derive(Default)]
pub(super) struct Feedback {
    pub(super) done: Option<Done>,
    /// A change was asked for from a page that no longer showed the booking as it stands.
    pub(super) stale: bool,
    /// The move form's rows (date, time) as sent, kept after an error.
    pub(super) rows: Vec<(String, String)>,
    /// Messages next to the rows they are about.
    pub(super) row_errors: Vec<(usize, String)>,
}

impl Feedback {
    pub(super) fn stale() -> Self {
        Self {
            stale: true,
            ..Self::default()
        }
    }
}

/// Everything the page shows.
pub(super) struct View<'a> {
    pub(super) practice: &'a Practice,
    pub(super) catalog: &'a Catalog,
    pub(super) stored: &'a InboxRequest,
    pub(super) request: &'a BookingRequest,
    /// The time the link's e-mail was about: when the booking has moved since, it says so.
    pub(super) link_time: Option<&'a str>,
    pub(super) token: &'a str,
    pub(super) now: i64,
    /// Free starts of the coming days, as people read them.
    pub(super) free: &'a [(String, Vec<String>)],
}

fn layout(title: &str, practice: &Practice, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            (head(&format!("{title} – {}", practice.name)))
            body {
                header class="bar" {
                    a href="/" class="home" { (practice.name) }
                }
                main { (body) }
            }
        }
    }
}

fn call(practice: &Practice) -> Markup {
    html! { a href=(practice.phone_link()) { (practice.phone) } }
}

/// A page that only says something, with her phone number.
fn message(practice: &Practice, title: &str, text: &str) -> Markup {
    layout(
        title,
        practice,
        html! {
            h1 { (title) }
            p { (text) }
            p { "Please call or text " (call(practice)) "." }
        },
    )
}

pub(super) fn not_found(practice: &Practice) -> Markup {
    message(
        practice,
        "This link does not work",
        "It may have been copied only in part, or the booking is older than the time requests are kept.",
    )
}

pub(super) fn too_many(practice: &Practice) -> Markup {
    message(
        practice,
        "Too many attempts",
        "This page has been asked for too often from your network. Try again in a quarter of an hour.",
    )
}

pub(super) fn forbidden(practice: &Practice) -> Markup {
    message(
        practice,
        "Nothing was changed",
        "The form did not come from this site's own page (an old page, or a browser that strips \
         the check). Open the link in your e-mail again and try once more.",
    )
}

pub(super) fn failed(practice: &Practice) -> Markup {
    message(
        practice,
        "Something went wrong",
        "Your booking could not be read just now. Try again in a moment.",
    )
}

fn booked_time(stored: &InboxRequest) -> Option<LondonDateTime> {
    stored
        .confirmed_time
        .as_deref()
        .and_then(LondonDateTime::parse)
}

/// Where the booking stands, in a sentence.
fn standing(view: &View<'_>) -> String {
    let stored = view.stored;
    let therapist = &view.practice.therapist;
    let changed_on = stored.decided_at.as_deref().map(london).unwrap_or_default();
    match stored.status {
        Status::New => format!("Waiting for {therapist} to confirm: nothing is booked yet."),
        Status::Moving => match stored.confirmed_time.as_deref() {
            Some(old) => format!(
                "You asked for new times: nothing is booked until {therapist} confirms one. \
                 Your old time, {}, is no longer held for you.",
                for_people(old)
            ),
            None => format!(
                "You changed the times you asked for: nothing is booked until {therapist} confirms one."
            ),
        },
        Status::Confirmed | Status::ByPhone => {
            let time = stored.confirmed_time.as_deref().unwrap_or_default();
            let now_on = for_people(time);
            if booked_time(stored).is_some_and(|t| t.minutes_after(view.now) <= 0) {
                format!("This session was on {now_on} (London time).")
            } else {
                match view.link_time.filter(|was| *was != time) {
                    Some(was) => format!(
                        "This booking has moved: it is now on {now_on} (London time). It was on {}.",
                        for_people(was)
                    ),
                    None => format!("Booked: {now_on} (London time)."),
                }
            }
        }
        Status::Cancelled => match stored.confirmed_time.as_deref() {
            Some(time) => format!(
                "This booking, {} (London time), was cancelled on {changed_on}.",
                for_people(time)
            ),
            None => format!("This request was withdrawn on {changed_on}."),
        },
        Status::Declined => {
            format!("{therapist} could not take this request ({changed_on}): nothing is booked.")
        }
        Status::Expired => {
            format!("This request was not answered in time ({changed_on}): nothing is booked.")
        }
    }
}

fn place(view: &View<'_>) -> String {
    match view.request.location {
        Location::InCall => view.practice.in_call_location.clone(),
        Location::Outcall => format!(
            "At your address: {}, {}",
            view.request.address.trim(),
            view.request.postcode.trim()
        ),
    }
}

pub(super) fn booking(view: &View<'_>, feedback: &Feedback) -> Markup {
    let stored = view.stored;
    let practice = view.practice;
    let booked = stored.status.is_booked();
    let title = if booked || stored.confirmed_time.is_some() {
        "Your booking"
    } else {
        "Your booking request"
    };
    let future = booked && booked_time(stored).is_some_and(|t| t.minutes_after(view.now) > 0);
    let open_to_change = super::changeable(stored, view.now, practice);
    let notice_began = booked && future && !open_to_change;
    let over = !(stored.status.awaits_answer() || future);
    layout(
        title,
        practice,
        html! {
            h1 { (title) }
            @match feedback.done {
                Some(Done::Cancelled) => p class="notice ok" role="status" {
                    "Done: cancelled. " (practice.therapist) " has been told, and you will have an e-mail."
                },
                Some(Done::AskedToMove) => p class="notice ok" role="status" {
                    "Sent. " (practice.therapist) " will confirm one of your new times by e-mail."
                },
                None => {}
            }
            @if !feedback.row_errors.is_empty() {
                div class="notice error" role="alert" {
                    p { "Nothing was sent. Please check:" }
                    ul {
                        @for (row, message) in &feedback.row_errors {
                            li {
                                a href={ "#date-" (row) } {
                                    (CHOICES.get(*row).map_or("Your times", |c| c.trim_end_matches(" (optional)")))
                                    ": " (message)
                                }
                            }
                        }
                    }
                }
            }
            @if feedback.stale {
                p class="notice warn" role="status" {
                    "Nothing was done: this booking is no longer as the page you sent it from \
                     showed it. Here it is as it stands now."
                }
            }
            p class="standing" { (standing(view)) }
            dl class="details" {
                dt { "Reference" } dd { (stored.reference) }
                dt { "Name" } dd { (view.request.name.trim()) }
                dt { "Treatment" } dd { (treatment(view.catalog, view.request)) }
                dt { "Where" } dd class="pre" { (place(view)) }
                @if stored.status.awaits_answer() || stored.confirmed_time.is_none() {
                    dt { "Times asked for (London)" }
                    dd { ol { @for t in stored.times_asked(view.request) { li { (for_people(t)) } } } }
                }
            }
            @if open_to_change {
                (cancel_form(view))
                (move_form(view, feedback))
            } @else if notice_began {
                h2 { "Changing this booking" }
                p {
                    "It is less than " (crate::client_mail::notice(practice)) " to your session, so it \
                     can no longer be cancelled or moved here."
                }
                p { "Cancellation policy: " (practice.cancellation_policy) }
                p { "Please call or text " (call(practice)) "." }
            } @else if over {
                p {
                    "To book again, "
                    a href="/book" { "send a new request" }
                    ", or call " (call(practice)) "."
                }
            }
        },
    )
}

/// The version of the booking the page shows, sent back with each form.
fn seen(stored: &InboxRequest) -> String {
    stored.version.to_string()
}

fn cancel_form(view: &View<'_>) -> Markup {
    let stored = view.stored;
    let therapist = &view.practice.therapist;
    let (heading, explain, button) = match (stored.status, booked_time(stored)) {
        (Status::Confirmed | Status::ByPhone, Some(time)) => (
            "Cancel",
            format!("Your time becomes free for others at once, and {therapist} is told."),
            format!("Cancel my booking on {}", time.for_people()),
        ),
        (Status::Moving, Some(_)) => (
            "Cancel",
            format!("Nothing will be booked, and {therapist} is told."),
            "Cancel my booking".to_owned(),
        ),
        _ => (
            "Withdraw",
            format!("Nothing will be booked, and {therapist} is told."),
            "Withdraw my request".to_owned(),
        ),
    };
    html! {
        h2 { (heading) }
        form method="post" action={ "/manage/" (view.token) "/cancel" } class="stack" {
            input type="hidden" name="seen" value=(seen(stored));
            p class="muted" { (explain) }
            button type="submit" class="secondary" { (button) }
        }
    }
}

const CHOICES: [&str; MAX_TIMES] = [
    "First choice",
    "Second choice (optional)",
    "Third choice (optional)",
];

fn move_form(view: &View<'_>, feedback: &Feedback) -> Markup {
    let stored = view.stored;
    let therapist = &view.practice.therapist;
    let booked = stored.status.is_booked();
    let (first, last) = date_range(view.practice, view.now);
    // The client's page is the receiver's own: its times keep to the practice's grid.
    let starts = start_times(
        view.practice,
        view.request.minutes,
        view.practice.scheduling.start_every_minutes,
    );
    let heading = if booked || stored.confirmed_time.is_some() {
        "Ask for another time"
    } else {
        "Change the times you asked for"
    };
    html! {
        h2 { (heading) }
        p class="muted" {
            "Choose up to " (MAX_TIMES) " times that suit you (London time). " (therapist)
            " confirms one by e-mail; until then nothing is booked."
            @if booked { " Your current time is given up when you send this." }
        }
        @if !view.free.is_empty() {
            details {
                summary { "Free times in the next two weeks" }
                dl class="details" {
                    @for (day, starts) in view.free {
                        dt { (day) }
                        dd { (starts.join(", ")) }
                    }
                }
            }
        }
        form method="post" action={ "/manage/" (view.token) "/move" } class="stack decision" {
            input type="hidden" name="seen" value=(seen(stored));
            @for (i, label) in CHOICES.iter().enumerate() {
                @let error = feedback.row_errors.iter().find(|(row, _)| *row == i).map(|(_, m)| m);
                @let (date, time) = feedback.rows.get(i).cloned().unwrap_or_default();
                @let described = error.map(|_| format!("row-{i}-error"));
                fieldset aria-describedby=[described.clone()] {
                    legend { (label) }
                    @if let Some(error) = error {
                        p class="field-error" id={ "row-" (i) "-error" } { (error) }
                    }
                    div class="when" {
                        label for={ "date-" (i) } { "Date" }
                        input type="date" id={ "date-" (i) } name={ "date_" (i) } value=(date)
                            min=(first.to_string()) max=(last.to_string()) required[i == 0]
                            aria-invalid=[error.map(|_| "true")];
                        label for={ "time-" (i) } { "Start time" }
                        select id={ "time-" (i) } name={ "time_" (i) } required[i == 0]
                            aria-invalid=[error.map(|_| "true")] {
                            option value="" { "Choose a time" }
                            @for start in &starts {
                                @let start = start.to_string();
                                option value=(start) selected[start == time] { (start) }
                            }
                        }
                    }
                }
            }
            button type="submit" { "Send my new times" }
        }
    }
}
