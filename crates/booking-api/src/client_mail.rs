//! What the client is told, by e-mail when they gave an address: a receipt at once, then the
//! confirmation (with a calendar invite) or the decline; after that, the letters about a
//! booking's changes (`change_mail.rs`). Written from the stored request, never from its
//! health summary, which no e-mail carries. Every letter about a request still to come holds
//! the link to the page where the client cancels or moves it (`crate::manage`).

use crate::change_mail;
use crate::ics::{Invite, Method};
use crate::store::{About, InboxRequest};
use massage_core::booking::deadlines::change_online_until;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, Location};
use massage_core::calendar::utc_seconds;
use massage_core::services::{Catalog, Practice};

/// Settings the e-mails need beyond the request.
pub(crate) struct Context<'a> {
    pub(crate) catalog: &'a Catalog,
    /// The site's public address (`https://www.example.com`), for links; else none are given.
    pub(crate) public_url: Option<&'a str>,
    /// The treatment room's address, given only in a confirmation.
    pub(crate) in_call_address: Option<&'a str>,
    /// The address e-mails come from, the invite's organiser.
    pub(crate) from_email: &'a str,
    /// When it is written (seconds since 1970, UTC): a reminder too late to help is not sent.
    pub(crate) now: i64,
}

/// One queued e-mail to write.
pub(crate) struct Letter<'a> {
    /// `receipt`, `confirmed`, `declined`, or a change (`change_mail::compose`).
    pub(crate) kind: &'a str,
    /// The therapist's message (a decline, a cancellation), or the times asked to move to.
    pub(crate) message: Option<&'a str>,
    /// The booking as it was when the e-mail was queued.
    pub(crate) about: &'a About,
    /// The page where the client cancels or moves it, for the letters that offer it.
    pub(crate) manage: Option<&'a str>,
}

impl Letter<'_> {
    /// The therapist's own words, as a paragraph of the letter (empty when she wrote none).
    pub(crate) fn note(&self) -> String {
        self.message
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(|m| format!("{m}\n\n"))
            .unwrap_or_default()
    }
}

pub(crate) struct ClientMessage {
    pub(crate) to: String,
    pub(crate) subject: String,
    pub(crate) body: String,
    /// A calendar invite (a confirmation, a move) or its cancellation.
    pub(crate) ics: Option<(String, Method)>,
}

/// Whether letters of this kind hold the link to manage the booking (those about a request
/// or booking still to come).
pub(crate) fn offers_link(kind: &str) -> bool {
    matches!(
        kind,
        "receipt" | "confirmed" | "moved" | "move_asked" | "reminder"
    )
}

/// A time as people read it, or as written when it cannot be read.
pub(crate) fn for_people(time: &str) -> String {
    LondonDateTime::parse(time).map_or_else(|| time.to_owned(), LondonDateTime::for_people)
}

/// A stored UTC moment (RFC 3339) as a London time for people, or as written when it cannot
/// be read.
pub(crate) fn london(utc: &str) -> String {
    utc_seconds(utc).map_or_else(
        || utc.to_owned(),
        |s| LondonDateTime::from_utc_seconds(s).for_people(),
    )
}

/// The treatment's name, length and price (with the outcall surcharge), as one line.
pub(crate) fn treatment(catalog: &Catalog, request: &BookingRequest) -> String {
    let Some(service) = catalog.service(&request.service_id) else {
        return format!("{}, {} minutes", request.service_id, request.minutes);
    };
    let price = service
        .lengths
        .iter()
        .find(|l| l.minutes == request.minutes)
        .map(|l| {
            l.price_gbp
                + match request.location {
                    Location::Outcall => catalog.practice.outcall_surcharge_gbp,
                    Location::InCall => 0,
                }
        });
    match price {
        Some(price) => format!("{}, {} minutes, £{price}", service.name, request.minutes),
        None => format!("{}, {} minutes", service.name, request.minutes),
    }
}

/// Where the session is: the treatment room's address (or, without one, how services.toml
/// describes it), or the client's own.
pub(crate) fn place(context: &Context<'_>, request: &BookingRequest) -> String {
    match request.location {
        Location::InCall => context
            .in_call_address
            .unwrap_or(&context.catalog.practice.in_call_location)
            .to_owned(),
        Location::Outcall => format!("{}, {}", request.address.trim(), request.postcode.trim()),
    }
}

/// "24 hours", "1 hour": the notice clients give to cancel or move online.
pub(crate) fn notice(practice: &Practice) -> String {
    match practice.cancellation_notice_hours {
        1 => "1 hour".to_owned(),
        hours => format!("{hours} hours"),
    }
}

/// How to change or cancel: the link, when the letter has one (for a booking, until when it
/// works), else by reply or phone.
pub(crate) fn how_to_change(
    context: &Context<'_>,
    reference: &str,
    letter: &Letter<'_>,
    booked: bool,
) -> String {
    let practice = &context.catalog.practice;
    let until = letter
        .about
        .time
        .as_deref()
        .and_then(LondonDateTime::parse)
        .map(|time| LondonDateTime::from_utc_seconds(change_online_until(time, practice)));
    match letter.manage {
        Some(link) if booked => format!(
            "To cancel or move this booking, open this link ({}; after that, please call {}, \
             quoting {reference}):\n{link}",
            until.map_or_else(
                || format!("up to {} before it", notice(practice)),
                |until| format!("until {} London time", until.for_people())
            ),
            practice.phone
        ),
        Some(link) => format!(
            "To change the times you asked for, or to withdraw the request, open this link (or \
             call {}, quoting {reference}):\n{link}",
            practice.phone
        ),
        None => format!(
            "To change or cancel, reply to this e-mail or call {}, quoting {reference}.",
            practice.phone
        ),
    }
}

pub(crate) fn signature(practice: &Practice) -> String {
    format!("{}\n{}", practice.therapist, practice.name)
}

/// The calendar invite for the booking at `time` (or its cancellation), with `sequence`.
pub(crate) fn invite(
    context: &Context<'_>,
    stored: &InboxRequest,
    request: &BookingRequest,
    time: LondonDateTime,
    (method, sequence): (Method, u32),
) -> String {
    let practice = &context.catalog.practice;
    let reference = &stored.reference;
    Invite {
        method,
        sequence,
        reference,
        domain: crate::ics::uid_domain(context.public_url),
        start: time,
        minutes: request.minutes,
        summary: &format!(
            "{} ({})",
            treatment_name(context.catalog, request),
            practice.name
        ),
        location: &place(context, request),
        description: &format!(
            "Booking {reference}. To change or cancel, call {} quoting {reference}.",
            practice.phone
        ),
        organizer_email: context.from_email,
        attendee_email: request.email.trim(),
    }
    .to_ics()
}

/// The e-mail `letter` about `stored`; `None` when the client gave no e-mail address, the
/// request cannot be read, or there is nothing to say (a reminder of a time no longer held).
pub(crate) fn compose(
    context: &Context<'_>,
    stored: &InboxRequest,
    letter: &Letter<'_>,
) -> Option<ClientMessage> {
    let request: BookingRequest = serde_json::from_str(&stored.request_json).ok()?;
    let to = request.email.trim().to_owned();
    if to.is_empty() {
        return None;
    }
    let practice = &context.catalog.practice;
    let reference = &stored.reference;
    let treatment = treatment(context.catalog, &request);
    let signature = signature(practice);
    let name = request.name.trim();
    let (subject, body, ics) = match letter.kind {
        "receipt" => {
            let times: Vec<String> = request
                .preferred_times
                .iter()
                .map(|t| format!("  - {}", for_people(t)))
                .collect();
            let lapses = LondonDateTime::from_utc_seconds(crate::expiry::deadline(
                stored, &request, practice,
            ));
            (
                format!("Booking request {reference} received"),
                format!(
                    "Dear {name},\n\n\
                     Thank you: your booking request {reference} has arrived.\n\n\
                     {treatment}\n\
                     Times you asked for (London time):\n{times}\n\n\
                     Nothing is booked yet. I will confirm one of these times, or suggest \
                     another, as soon as I can. If I have not answered by {lapses} (London \
                     time), the request lapses: nothing is booked, and I will e-mail you to say so, \
                     with my number to call.\n\n{change}\n\n{signature}\n",
                    times = times.join("\n"),
                    lapses = lapses.for_people(),
                    change = how_to_change(context, reference, letter, false),
                ),
                None,
            )
        }
        "confirmed" => {
            let time = letter
                .about
                .time
                .as_deref()
                .or(stored.confirmed_time.as_deref())?;
            let time = LondonDateTime::parse(time)?;
            let sequence = letter.about.sequence.unwrap_or(0);
            let ics = invite(context, stored, &request, time, (Method::Request, sequence));
            (
                format!("Booking {reference} confirmed: {}", time.for_people()),
                format!(
                    "Dear {name},\n\n\
                     Your booking is confirmed.\n\n\
                     When: {when} (London time)\n\
                     Where: {place}\n\
                     What: {treatment}\n\
                     Reference: {reference}\n\n\
                     Cancellation policy: {policy}\n\n\
                     A calendar invite is attached.\n\n{change}\n\n{signature}\n",
                    when = time.for_people(),
                    place = place(context, &request),
                    policy = practice.cancellation_policy,
                    change = how_to_change(context, reference, letter, true),
                ),
                Some((ics, Method::Request)),
            )
        }
        "declined" => {
            let note = letter.note();
            let again = ask_again(context);
            // A client who asked to move a booking they held: that booking is off too (and
            // off their calendar, when it is there).
            let held = letter.about.time.as_deref().and_then(LondonDateTime::parse);
            let (opening, ics) = match held {
                Some(time) => {
                    let ics = letter.about.sequence.map(|sequence| {
                        let ics =
                            invite(context, stored, &request, time, (Method::Cancel, sequence));
                        (ics, Method::Cancel)
                    });
                    let calendar = if ics.is_some() {
                        " The calendar invite attached takes it off your calendar."
                    } else {
                        ""
                    };
                    let opening = format!(
                        "I am sorry: I cannot move your booking {reference} ({treatment}) to the \
                         times you asked for, and its time, {}, has been given up, so the booking \
                         is cancelled.{calendar}",
                        time.for_people()
                    );
                    (opening, ics)
                }
                None => (
                    format!(
                        "I am sorry: I cannot take your booking request {reference} ({treatment}) \
                         at the times you asked for."
                    ),
                    None,
                ),
            };
            (
                format!("Booking request {reference}: not available"),
                format!(
                    "Dear {name},\n\n{opening}\n\n{note}\
                     To ask for another time, {again}.\n\n{signature}\n"
                ),
                ics,
            )
        }
        _ => {
            return change_mail::compose(context, stored, &request, letter).map(
                |(subject, body, ics)| ClientMessage {
                    to: to.clone(),
                    subject,
                    body,
                    ics,
                },
            );
        }
    };
    Some(ClientMessage {
        to,
        subject,
        body,
        ics,
    })
}

/// How to ask for another time: a new request on the site, or by phone.
pub(crate) fn ask_again(context: &Context<'_>) -> String {
    let practice = &context.catalog.practice;
    context.public_url.map_or_else(
        || format!("call {} or reply to this e-mail", practice.phone),
        |url| {
            format!(
                "send a new request at {url}/book, or call {}",
                practice.phone
            )
        },
    )
}

pub(crate) fn treatment_name(catalog: &Catalog, request: &BookingRequest) -> String {
    catalog
        .service(&request.service_id)
        .map_or_else(|| request.service_id.clone(), |s| s.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Status;

    fn catalog() -> Catalog {
        Catalog::from_toml("content/services.toml", crate::SERVICES_TOML).unwrap()
    }

    fn stored(request: serde_json::Value, status: Status, time: Option<&str>) -> InboxRequest {
        InboxRequest {
            id: 1,
            reference: "AM-7K3Q-9XPD".into(),
            received_at: "2026-11-24T09:15:02Z".into(),
            request_json: request.to_string(),
            consent_version: None,
            consent_given_at: None,
            status,
            confirmed_time: time.map(str::to_owned),
            decided_at: None,
            move_times: Vec::new(),
            version: 0,
        }
    }

    fn letter<'a>(kind: &'a str, message: Option<&'a str>) -> Letter<'a> {
        static NOTHING: About = About {
            time: None,
            previous_time: None,
            sequence: None,
        };
        Letter {
            kind,
            message,
            about: &NOTHING,
            manage: None,
        }
    }

    fn outcall(email: &str) -> serde_json::Value {
        serde_json::json!({
            "service_id": "deep-tissue", "minutes": 90, "location": "outcall",
            "address": "Flat 2, 14 Example Road", "postcode": "SW4 7AA",
            "preferred_times": ["2026-12-01T18:00"], "name": "Sam", "email": email,
            "phone": "07700 900123",
            "health": { "summary": "SECRET", "consent": { "given": true, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } }
        })
    }

    #[test]
    fn an_outcall_confirmation_has_their_address_the_surcharged_price_and_no_health() {
        let catalog = catalog();
        let context = Context {
            catalog: &catalog,
            public_url: None,
            in_call_address: Some("1 Example Mews"),
            from_email: "bookings@example.com",
            now: 0,
        };
        let request = stored(
            outcall("sam@example.com"),
            Status::Confirmed,
            Some("2026-12-01T18:00"),
        );
        let mail = compose(&context, &request, &letter("confirmed", None)).unwrap();
        assert_eq!(mail.to, "sam@example.com");
        assert!(
            mail.body
                .contains("When: Tuesday 1 December 2026, 18:00 (London time)"),
            "{}",
            mail.body
        );
        assert!(
            mail.body
                .contains("Where: Flat 2, 14 Example Road, SW4 7AA"),
            "{}",
            mail.body
        );
        assert!(
            mail.body.contains("90 minutes, £135"),
            "£110 and the £25 outcall surcharge"
        );
        assert!(!mail.body.contains("Example Mews") && !mail.body.contains("SECRET"));
        assert!(mail.ics.unwrap().0.contains("UID:AM-7K3Q-9XPD@booking-api"));
    }

    #[test]
    fn a_client_without_an_email_address_gets_no_email() {
        let catalog = catalog();
        let context = Context {
            catalog: &catalog,
            public_url: Some("https://www.example.com"),
            in_call_address: None,
            from_email: "bookings@example.com",
            now: 0,
        };
        let request = stored(outcall(""), Status::New, None);
        assert!(compose(&context, &request, &letter("receipt", None)).is_none());
        let request = stored(outcall("sam@example.com"), Status::Declined, None);
        let decline = compose(&context, &request, &letter("declined", Some("  "))).unwrap();
        assert!(decline.body.contains("https://www.example.com/book"));
        assert!(
            !decline.body.contains("\n\n\n"),
            "a blank message adds no gap"
        );
    }
}
