//! `GET /api/availability`: the start times still free for a treatment, length and place,
//! day by day (`massage_core::booking::availability`), from her diary. The booking page asks
//! it so a visitor only picks times she has; a time picked anyway is checked again when the
//! request arrives (`diary::taken_times`). Days her own calendar is not known for (before
//! its first reading, or past what it reaches) are left out of the answer, never said to be
//! free: the page then offers every start there, and she checks when she answers.

use crate::api::{Api, now_seconds};
use crate::diary;
use axum::extract::{Query, State, rejection::QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use massage_core::booking::FieldError;
use massage_core::booking::availability::{Availability, AvailabilityQuery};
use massage_core::booking::request::ErrorBody;
use std::sync::Arc;

pub(crate) use massage_core::booking::availability::PATH;

fn refused(status: StatusCode, errors: Vec<FieldError>) -> Response {
    (status, axum::Json(ErrorBody { errors })).into_response()
}

pub(crate) async fn free(
    State(api): State<Arc<Api>>,
    query: Result<Query<AvailabilityQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return refused(
            StatusCode::BAD_REQUEST,
            vec![FieldError::new(
                "request",
                "invalid",
                "Ask with service_id, minutes, location (in_call or outcall) and, for outcall, postcode.",
            )],
        );
    };
    let now = now_seconds();
    if let Err(errors) = query.check(&api.catalog, now) {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, errors);
    }
    let Some(place) = query.place() else {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![FieldError::new(
                "postcode",
                "invalid",
                "Enter a UK postcode, like SW1A 1AA.",
            )],
        );
    };
    let free = match diary::free_days(&api, now, "", query.minutes, &place).await {
        Ok(free) => free,
        Err(e) => return crate::api::server_error(format!("reading the diary: {e}")),
    };
    let practice = &api.catalog.practice;
    match free {
        Ok(days) => (
            // Taken times change with every confirmation: never from a cache.
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(Availability { days }),
        )
            .into_response(),
        Err(_) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![FieldError::new(
                "postcode",
                "outside_area",
                format!(
                    "{} is outside the area I travel to. To ask whether I can come to you, call {} or e-mail {}.",
                    query.postcode.trim(),
                    practice.phone,
                    practice.email
                ),
            )],
        ),
    }
}
