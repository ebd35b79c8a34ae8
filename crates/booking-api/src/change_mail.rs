//! The letters after the first answer: a booking moved (with the updated invite) or
//! cancelled (with the invite's cancellation), a client's cancellation or request to move
//! acknowledged, the reminder the day before, a request that expired unanswered; and the
//! therapist's notice when a client cancels or asks to move. Each is written from what was
//! true when it was queued (`About`), never from a health summary.

use crate::client_mail::{
    Context, Letter, ask_again, for_people, how_to_change, invite, place, signature, treatment,
    treatment_name,
};
use crate::ics::Method;
use crate::store::{InboxRequest, times_from_db};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, Location};

/// A subject, a body, and the calendar attachment, if any.
pub(crate) type Written = (String, String, Option<(String, Method)>);

/// The times asked to move to, as queued (`times_to_db`), one a line.
fn times_listed(message: Option<&str>) -> String {
    times_from_db(message)
        .iter()
        .map(|t| format!("  - {}", for_people(t)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The calendar cancellation to attach when the client's calendar holds the booking.
fn cancellation(
    context: &Context<'_>,
    stored: &InboxRequest,
    request: &BookingRequest,
    letter: &Letter<'_>,
) -> Option<(String, Method)> {
    let sequence = letter.about.sequence?;
    let time = LondonDateTime::parse(letter.about.time.as_deref()?)?;
    let ics = invite(context, stored, request, time, (Method::Cancel, sequence));
    Some((ics, Method::Cancel))
}

const OFF_YOUR_CALENDAR: &str =
    "The calendar update attached takes the booking off your calendar.\n\n";

/// A client's letter of `letter.kind` (not a receipt, confirmation or decline).
pub(crate) fn compose(
    context: &Context<'_>,
    stored: &InboxRequest,
    request: &BookingRequest,
    letter: &Letter<'_>,
) -> Option<Written> {
    let practice = &context.catalog.practice;
    let reference = &stored.reference;
    let treatment = treatment(context.catalog, request);
    let name = request.name.trim();
    let signature = signature(practice);
    let about = letter.about;
    let cancelled = cancellation(context, stored, request, letter);
    let calendar_note = if cancelled.is_some() {
        OFF_YOUR_CALENDAR
    } else {
        ""
    };
    let written = match letter.kind {
        "moved" => {
            let time = LondonDateTime::parse(about.time.as_deref()?)?;
            let ics = invite(
                context,
                stored,
                request,
                time,
                (Method::Request, about.sequence.unwrap_or(0)),
            );
            let (subject, opening) = match about.previous_time.as_deref() {
                Some(before) if before == time.to_string() => (
                    format!("Booking {reference} confirmed: {}", time.for_people()),
                    "I could not offer any of the new times you asked for, so your booking \
                     stays where it was."
                        .to_owned(),
                ),
                Some(before) => (
                    format!("Booking {reference} moved: {}", time.for_people()),
                    format!("Your booking has moved from {}.", for_people(before)),
                ),
                None => (
                    format!("Booking {reference}: {}", time.for_people()),
                    "Here is your booking.".to_owned(),
                ),
            };
            (
                subject,
                format!(
                    "Dear {name},\n\n{opening}\n\n\
                     When: {when} (London time)\n\
                     Where: {place}\n\
                     What: {treatment}\n\
                     Reference: {reference}\n\n\
                     Cancellation policy: {policy}\n\n\
                     The calendar invite attached updates the event in your calendar.\n\n\
                     {change}\n\n{signature}\n",
                    when = time.for_people(),
                    place = place(context, request),
                    policy = practice.cancellation_policy,
                    change = how_to_change(context, reference, letter, true),
                ),
                Some((ics, Method::Request)),
            )
        }
        "cancelled" => {
            let when = for_people(about.time.as_deref()?);
            let note = letter.note();
            (
                format!("Booking {reference} cancelled"),
                format!(
                    "Dear {name},\n\n\
                     I am sorry: I have had to cancel your booking on {when} (London time), \
                     {treatment}.\n\n{note}{calendar_note}\
                     To book another time, {again}.\n\n{signature}\n",
                    again = ask_again(context),
                ),
                cancelled,
            )
        }
        "client_cancelled" => match about.time.as_deref() {
            Some(time) => (
                format!("Booking {reference} cancelled"),
                format!(
                    "Dear {name},\n\n\
                     As you asked, your booking on {when} (London time), {treatment}, is \
                     cancelled.\n\n{calendar_note}\
                     To book another time, {again}.\n\n{signature}\n",
                    when = for_people(time),
                    again = ask_again(context),
                ),
                cancelled,
            ),
            None => (
                format!("Booking request {reference} withdrawn"),
                format!(
                    "Dear {name},\n\n\
                     As you asked, your booking request {reference} ({treatment}) is \
                     withdrawn. Nothing is booked.\n\n\
                     To ask for another time, {again}.\n\n{signature}\n",
                    again = ask_again(context),
                ),
                None,
            ),
        },
        "move_asked" => {
            let times = times_listed(letter.message);
            let opening = match about.time.as_deref() {
                Some(before) => format!(
                    "You asked to move your booking {reference} ({treatment}) from {} to one \
                     of these times (London time):\n{times}\n\n\
                     Its old time is no longer held for you. Nothing is booked until I confirm \
                     one of the new times; your calendar keeps the old one until then.",
                    for_people(before)
                ),
                None => format!(
                    "You changed the times you asked for in your booking request {reference} \
                     ({treatment}). Now (London time):\n{times}\n\n\
                     Nothing is booked yet: I will confirm one of these times, or suggest \
                     another, as soon as I can."
                ),
            };
            (
                format!("Booking {reference}: your new times have arrived"),
                format!(
                    "Dear {name},\n\n{opening}\n\n{change}\n\n{signature}\n",
                    change = how_to_change(context, reference, letter, false),
                ),
                None,
            )
        }
        "reminder" => {
            // Only a booking still held for that time, and not yet begun (a reminder held up
            // by a failing mail server, or a receiver that was down), is reminded of.
            let text = about.time.as_deref()?;
            let time = LondonDateTime::parse(text)?;
            if !stored.status.is_booked()
                || stored.confirmed_time.as_deref() != Some(text)
                || time.minutes_after(context.now) <= 0
            {
                return None;
            }
            (
                format!(
                    "Reminder: {} on {}",
                    treatment_name(context.catalog, request),
                    time.for_people()
                ),
                format!(
                    "Dear {name},\n\n\
                     A reminder of your booking.\n\n\
                     When: {when} (London time)\n\
                     Where: {place}\n\
                     What: {treatment}\n\
                     Reference: {reference}\n\n\
                     Cancellation policy: {policy}\n\n\
                     {change}\n\n\
                     See you then,\n{signature}\n",
                    when = time.for_people(),
                    place = place(context, request),
                    policy = practice.cancellation_policy,
                    change = how_to_change(context, reference, letter, true),
                ),
                None,
            )
        }
        "expired" => {
            let given_up = match about.time.as_deref() {
                Some(time) => format!(
                    "Your booking on {} (London time) was given up when you asked to move \
                     it.\n\n{calendar_note}",
                    for_people(time)
                ),
                None => String::new(),
            };
            (
                format!("Booking request {reference}: I could not answer in time"),
                format!(
                    "Dear {name},\n\n\
                     I am sorry: I could not answer your booking request {reference} \
                     ({treatment}) in time, so nothing is booked.\n\n{given_up}\
                     Please call me on {phone} and we will find a time{again}.\n\n\
                     {signature}\n",
                    phone = practice.phone,
                    again = context.public_url.map_or_else(String::new, |url| {
                        format!(", or send a new request at {url}/book")
                    }),
                ),
                cancelled,
            )
        }
        _ => return None,
    };
    Some(written)
}

/// The therapist's notice of a client's change (`client_cancelled`, `move_asked`), or of a
/// request about to expire or expired unanswered (`expiring`, `expired`): who, which
/// booking, the new times, their phone number, and the link to the request in the inbox.
/// No health details, no notes: those are read in the inbox. Subjects name no client (they
/// show on a locked phone's screen).
pub(crate) fn notice(
    context: &Context<'_>,
    stored: &InboxRequest,
    letter: &Letter<'_>,
) -> Option<(String, String)> {
    let request: BookingRequest = serde_json::from_str(&stored.request_json).ok()?;
    let reference = &stored.reference;
    let name = request.name.trim();
    let what = format!(
        "{}, {}",
        treatment(context.catalog, &request),
        match request.location {
            Location::InCall => "in-call".to_owned(),
            Location::Outcall => format!("outcall, {}", request.postcode.trim()),
        }
    );
    let link = match context.public_url {
        Some(url) => format!("{url}/inbox/requests/{reference}"),
        None => format!("/inbox/requests/{reference} in the inbox"),
    };
    // Their booking's time when the change freed it; the time they had already given up
    // when they asked to move before.
    let booked = letter.about.time.as_deref().map(for_people);
    let given_up = letter.about.previous_time.as_deref().map(for_people);
    let phone = phone_of(&request);
    match letter.kind {
        "client_cancelled" => Some(match (booked, given_up) {
            (Some(when), _) => (
                format!("Cancelled: {reference}, {when}"),
                format!(
                    "{name} cancelled their booking {reference} for {when} (London time): \
                     {what}.\n\nThe time is free again and can be booked.\n\n\
                     Phone: {phone}\nThe request: {link}\n"
                ),
            ),
            (None, Some(old)) => (
                format!("Cancelled: {reference}"),
                format!(
                    "{name} cancelled booking {reference} ({what}) while asking to move it from \
                     {old} (London time). That time was already free; nothing is booked now.\n\n\
                     Phone: {phone}\nThe request: {link}\n"
                ),
            ),
            (None, None) => (
                format!("Withdrawn: request {reference}"),
                format!(
                    "{name} withdrew booking request {reference} ({what}). Nothing was booked.\n\n\
                     Phone: {phone}\nThe request: {link}\n"
                ),
            ),
        }),
        "move_asked" => {
            let times = times_listed(letter.message);
            let (subject, opening) = match (booked, given_up) {
                (Some(when), _) => (
                    format!("Asks to move: {reference}, {when}"),
                    format!(
                        "{name} asks to move their booking {reference} ({what}) from {when} \
                         (London time) to one of these times (London):\n{times}\n\n\
                         The old time is free again until you answer."
                    ),
                ),
                (None, Some(old)) => (
                    format!("New times: {reference}"),
                    format!(
                        "{name}, who asked to move their booking {reference} ({what}) from {old} \
                         (London time), changed the times they ask for. Now (London):\n{times}"
                    ),
                ),
                (None, None) => (
                    format!("New times: request {reference}"),
                    format!(
                        "{name} changed the times asked for in booking request {reference} \
                         ({what}). Now (London):\n{times}"
                    ),
                ),
            };
            Some((
                subject,
                format!("{opening}\n\nPhone: {phone}\nConfirm a time, or decline: {link}\n"),
            ))
        }
        "expiring" => {
            // Answered (or expired) since it was queued: nothing to warn of.
            if !stored.status.awaits_answer() {
                return None;
            }
            let expires = crate::expiry::deadline(stored, &request, &context.catalog.practice);
            let when = LondonDateTime::from_utc_seconds(expires).for_people();
            let then = if request.email.trim().is_empty() {
                "They gave no e-mail address, so they will not be told: call or text them."
            } else {
                "They are then e-mailed that nothing is booked, and asked to call you."
            };
            Some((
                format!("Request {reference} expires {when}"),
                format!(
                    "Booking request {reference} ({what}) from {name} is still waiting for your \
                     answer. It expires at {when} (London time).\n\n{then}\n\n\
                     Phone: {phone}\n\nAnswer it: {link}\n",
                ),
            ))
        }
        "expired" => {
            let given_up = booked
                .map(|when| {
                    format!(" They had asked to move their booking on {when}: it is given up.")
                })
                .unwrap_or_default();
            let told = if request.email.trim().is_empty() {
                "They gave no e-mail address and have not been told: please call or text them."
            } else {
                "They have been e-mailed that nothing is booked, and asked to call you."
            };
            Some((
                format!("Expired unanswered: request {reference}"),
                format!(
                    "Booking request {reference} ({what}) from {name} was not answered in time, \
                     so it has expired: nothing is booked.{given_up}\n\n{told}\n\n\
                     Phone: {phone}\n\n\
                     If you agree a time, confirm it or mark it as arranged by phone on its \
                     page: {link}\n",
                ),
            ))
        }
        _ => None,
    }
}

/// The client's phone number for her notices, or a dash.
fn phone_of(request: &BookingRequest) -> &str {
    match request.phone.trim() {
        "" => "-",
        phone => phone,
    }
}
