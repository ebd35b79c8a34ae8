//! What the client is told, by e-mail when they gave an address: a receipt at once, then the
//! confirmation (with a calendar invite) or the decline. Written from the stored request,
//! never from its health summary, which no e-mail carries.

use crate::ics::Invite;
use crate::store::InboxRequest;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, Location};
use massage_core::services::Catalog;

/// Settings the e-mails need beyond the request.
pub(crate) struct Context<'a> {
    pub(crate) catalog: &'a Catalog,
    /// The site's public address (`https://www.example.com`), for links; else none are given.
    pub(crate) public_url: Option<&'a str>,
    /// The treatment room's address, given only in a confirmation.
    pub(crate) in_call_address: Option<&'a str>,
    /// The address e-mails come from, the invite's organiser.
    pub(crate) from_email: &'a str,
}

pub(crate) struct ClientMessage {
    pub(crate) to: String,
    pub(crate) subject: String,
    pub(crate) body: String,
    /// A confirmation's calendar invite.
    pub(crate) ics: Option<String>,
}

/// A time as people read it, or as written when it cannot be read.
pub(crate) fn for_people(time: &str) -> String {
    LondonDateTime::parse(time).map_or_else(|| time.to_owned(), LondonDateTime::for_people)
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

/// `kind` is `receipt`, `confirmed` or `declined` (as queued by the store); `None` when the
/// client gave no e-mail address or the request cannot be read.
pub(crate) fn compose(
    context: &Context<'_>,
    kind: &str,
    stored: &InboxRequest,
    message: Option<&str>,
) -> Option<ClientMessage> {
    let request: BookingRequest = serde_json::from_str(&stored.request_json).ok()?;
    let to = request.email.trim().to_owned();
    if to.is_empty() {
        return None;
    }
    let practice = &context.catalog.practice;
    let reference = &stored.reference;
    let treatment = treatment(context.catalog, &request);
    let contact = format!(
        "To change or cancel, reply to this e-mail or call {}, quoting {reference}.",
        practice.phone
    );
    let signature = format!("{}\n{}", practice.therapist, practice.name);
    let (subject, body, ics) = match kind {
        "receipt" => {
            let times: Vec<String> = request
                .preferred_times
                .iter()
                .map(|t| format!("  - {}", for_people(t)))
                .collect();
            (
                format!("Booking request {reference} received"),
                format!(
                    "Dear {name},\n\n\
                     Thank you: your booking request {reference} has arrived.\n\n\
                     {treatment}\n\
                     Times you asked for (London time):\n{times}\n\n\
                     Nothing is booked yet. I will confirm one of these times, or suggest \
                     another, as soon as I can.\n\n{contact}\n\n{signature}\n",
                    name = request.name.trim(),
                    times = times.join("\n"),
                ),
                None,
            )
        }
        "confirmed" => {
            let time = LondonDateTime::parse(stored.confirmed_time.as_deref()?)?;
            let place = match request.location {
                Location::InCall => context
                    .in_call_address
                    .unwrap_or(&practice.in_call_location)
                    .to_owned(),
                Location::Outcall => {
                    format!("{}, {}", request.address.trim(), request.postcode.trim())
                }
            };
            let ics = Invite {
                reference,
                domain: crate::ics::uid_domain(context.public_url),
                start: time,
                minutes: request.minutes,
                summary: &format!(
                    "{} ({})",
                    treatment_name(context.catalog, &request),
                    practice.name
                ),
                location: &place,
                description: &format!("Booking {reference}. {contact}"),
                organizer_email: context.from_email,
                attendee_email: &to,
            }
            .to_ics();
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
                     A calendar invite is attached.\n\n{contact}\n\n{signature}\n",
                    name = request.name.trim(),
                    when = time.for_people(),
                    policy = practice.cancellation_policy,
                ),
                Some(ics),
            )
        }
        "declined" => {
            let note = message
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(|m| format!("{m}\n\n"))
                .unwrap_or_default();
            let again = context.public_url.map_or_else(
                || format!("call {} or reply to this e-mail", practice.phone),
                |url| format!("send a new request at {url}/book"),
            );
            (
                format!("Booking request {reference}: not available"),
                format!(
                    "Dear {name},\n\n\
                     I am sorry: I cannot take your booking request {reference} ({treatment}) \
                     at the times you asked for.\n\n{note}\
                     To ask for another time, {again}.\n\n{signature}\n",
                    name = request.name.trim(),
                ),
                None,
            )
        }
        _ => return None,
    };
    Some(ClientMessage {
        to,
        subject,
        body,
        ics,
    })
}

fn treatment_name(catalog: &Catalog, request: &BookingRequest) -> String {
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
        };
        let request = stored(
            outcall("sam@example.com"),
            Status::Confirmed,
            Some("2026-12-01T18:00"),
        );
        let mail = compose(&context, "confirmed", &request, None).unwrap();
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
        assert!(mail.ics.unwrap().contains("UID:AM-7K3Q-9XPD@booking-api"));
    }

    #[test]
    fn a_client_without_an_email_address_gets_no_email() {
        let catalog = catalog();
        let context = Context {
            catalog: &catalog,
            public_url: Some("https://www.example.com"),
            in_call_address: None,
            from_email: "bookings@example.com",
        };
        let request = stored(outcall(""), Status::New, None);
        assert!(compose(&context, "receipt", &request, None).is_none());
        let request = stored(outcall("sam@example.com"), Status::Declined, None);
        let decline = compose(&context, "declined", &request, Some("  ")).unwrap();
        assert!(decline.body.contains("https://www.example.com/book"));
        assert!(
            !decline.body.contains("\n\n\n"),
            "a blank message adds no gap"
        );
    }
}
