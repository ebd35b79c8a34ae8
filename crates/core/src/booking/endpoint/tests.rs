use super::*;
use crate::booking::request::{Consent, HealthSummary, Location};

const KEY: &str = "0f8e2a9c-1b2d-4c3e-9f4a-5b6c7d8e9f01";

fn request() -> BookingRequest {
    BookingRequest {
        service_id: "swedish".into(),
        minutes: 60,
        location: Location::InCall,
        preferred_times: vec!["2026-12-01T18:00".into()],
        name: "Ann".into(),
        email: "ann@example.com".into(),
        health: Some(HealthSummary {
            summary: "Self-check result: massage can help".into(),
            consent: Consent {
                given: true,
                text_version: "health-2026-11".into(),
                given_at: "2026-11-25T10:00:00Z".into(),
            },
        }),
        ..Default::default()
    }
}

fn status(status: u16, body: &str) -> Answer<'_> {
    Answer::Status {
        status,
        body,
        retry_after: None,
    }
}

#[test]
fn kinds_are_read_from_the_build_setting_and_a_wrong_one_is_named() {
    for (text, kind) in [
        ("", EndpointKind::Receiver),
        ("receiver", EndpointKind::Receiver),
        ("form-service", EndpointKind::FormService),
        (" netlify ", EndpointKind::Netlify),
    ] {
        assert_eq!(EndpointKind::parse(text), Ok(kind));
        assert_eq!(EndpointKind::parse(kind.as_str()), Ok(kind));
    }
    let error = EndpointKind::parse("formspree").unwrap_err();
    assert!(
        error.contains("\"formspree\"") && error.contains("form-service"),
        "{error}"
    );
}

#[test]
fn the_receiver_gets_json_with_its_idempotency_key() {
    let out = EndpointKind::Receiver.encode(&request(), KEY);
    assert_eq!(out.content_type, "application/json");
    assert!(out.headers.contains(&("Idempotency-Key", KEY.to_owned())));
    let sent: BookingRequest = serde_json::from_str(&out.body).unwrap();
    assert_eq!(sent, request());
}

#[test]
fn hosted_kinds_send_simple_headers_only_and_no_health_details() {
    for kind in [EndpointKind::FormService, EndpointKind::Netlify] {
        let out = kind.encode(&request(), KEY);
        // A CORS-safelisted content type and headers: the browser sends no preflight.
        assert_eq!(out.content_type, "application/x-www-form-urlencoded");
        assert!(
            out.headers.iter().all(|(name, _)| *name == "Accept"),
            "{kind:?}"
        );
        assert!(!out.body.contains("Self-check"), "{kind:?}: {}", out.body);
        assert!(!kind.carries_health());
        // The key and the reference travel in the body, so the therapist can spot a repeat.
        assert!(out.body.contains(&format!("idempotency_key={KEY}")));
        assert!(out.body.contains("reference=AM-0F8E-2A9C"));
        // Each service's own spam trap.
        let trap = if kind == EndpointKind::Netlify {
            "&website="
        } else {
            "&_gotcha="
        };
        assert!(out.body.contains(trap), "{}", out.body);
        assert_eq!(
            out.body.starts_with("form-name=booking&"),
            kind == EndpointKind::Netlify
        );
    }
    assert!(EndpointKind::Receiver.carries_health());
}

#[test]
fn what_each_kind_makes_of_each_answer() {
    use EndpointKind::*;
    let accepted = r#"{"reference":"AM-7K3Q-9XPD","received_at":"2026-11-25T10:00:00Z"}"#;
    let hosted = Verdict::Accepted(Accepted {
        reference: "AM-0F8E-2A9C".into(),
        received_at: String::new(),
    });
    let cases: Vec<(EndpointKind, Answer<'_>, Verdict)> = vec![
        (Receiver, Answer::None, Verdict::Retry),
        (
            Receiver,
            status(201, accepted),
            Verdict::Accepted(serde_json::from_str(accepted).unwrap()),
        ),
        // A garbled 201: stored, so the same key fetches the answer again.
        (Receiver, status(201, "<html>"), Verdict::Retry),
        // Any 200 that is not the contract's 201 is not taken as stored.
        (Receiver, status(200, "{}"), Verdict::Retry),
        (Receiver, status(409, ""), Verdict::Retry),
        (Receiver, status(503, ""), Verdict::Retry),
        (
            Receiver,
            Answer::Status {
                status: 429,
                body: "",
                retry_after: Some(7),
            },
            Verdict::RetryAfter(7),
        ),
        (FormService, Answer::None, Verdict::Retry),
        (
            FormService,
            status(200, r#"{"next":"/thanks","ok":true}"#),
            hosted.clone(),
        ),
        (
            Netlify,
            status(200, "<html>Thank you</html>"),
            hosted.clone(),
        ),
        (FormService, status(429, ""), Verdict::RetryAfter(60)),
    ];
    for (kind, answer, expected) in cases {
        assert_eq!(kind.interpret(answer, KEY), expected, "{kind:?} {answer:?}");
    }
}

#[test]
fn a_hosted_service_that_answered_with_an_error_is_never_sent_the_request_again() {
    for kind in [EndpointKind::FormService, EndpointKind::Netlify] {
        for code in [500, 502, 503] {
            let Verdict::Rejected(errors) = kind.interpret(status(code, ""), KEY) else {
                panic!("{kind:?} {code} must not be retried");
            };
            assert_eq!(errors[0].field, WHOLE_FORM);
            assert!(errors[0].message.contains("call or e-mail"));
        }
    }
}

#[test]
fn a_form_services_field_errors_land_next_to_the_form_fields() {
    let body = r#"{"error":"Validation errors","errors":[
        {"code":"TYPE_EMAIL","field":"email","message":"should be an email"},
        {"code":"REQUIRED_FIELD_MISSING","field":"date","message":"is required"},
        {"code":"FORM_DISABLED","message":"This form has been disabled"}]}"#;
    let Verdict::Rejected(errors) = EndpointKind::FormService.interpret(status(422, body), KEY)
    else {
        panic!("422 is a refusal");
    };
    let fields: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("email", "type_email"),
            ("preferred_times", "required_field_missing"),
            (WHOLE_FORM, "form_disabled"),
        ]
    );
    assert!(errors[0].message.contains("should be an email"));
    assert!(errors[2].message.contains("disabled"));
}

#[test]
fn a_refusal_without_details_still_says_what_to_do() {
    for body in ["", "not json", r#"{"error":"Form not found"}"#] {
        let Verdict::Rejected(errors) = EndpointKind::Netlify.interpret(status(404, body), KEY)
        else {
            panic!("404 is a refusal");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, WHOLE_FORM);
        assert!(!errors[0].message.is_empty());
    }
}

#[test]
fn references_from_keys_are_short_and_stable() {
    assert_eq!(reference_from_key(KEY), "AM-0F8E-2A9C");
    assert_eq!(reference_from_key(KEY), reference_from_key(KEY));
    assert_eq!(reference_from_key(""), "AM-0000-0000");
}
