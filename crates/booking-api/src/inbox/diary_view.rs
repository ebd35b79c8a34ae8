//! The inbox's diary: a day or a week of her diary (`/inbox/diary?date=…&view=day|week`),
//! laid out by the core (`massage_core::diary::plan`), and the time she blocks there
//! (`POST /inbox/blocked`, `POST /inbox/blocked/{id}/remove`). Blocking over a confirmed
//! booking asks first, naming it; the booking itself is not touched.

use super::access::{Checked, Refusal, SignedIn};
use super::diary_page::{self, BlockFormView, DiaryView, Period, span_key};
use super::{Inbox, page};
use crate::api::now_seconds;
use crate::diary::{self, Calendar};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::{Date, utc_timestamp};
use massage_core::diary::blocking::{BlockForm, REACH_DAYS};
use massage_core::diary::plan::{plan, week_of};
use massage_core::diary::{EntryKind, Span};
use serde::Deserialize;
use std::sync::Arc;

pub(super) fn routes() -> Router<Arc<Inbox>> {
    Router::new()
        .route("/inbox/diary", get(view))
        .route("/inbox/blocked", post(block))
        .route("/inbox/blocked/{id}/remove", post(unblock))
}

#[derive(Deserialize)]
struct DiaryQuery {
    date: Option<String>,
    view: Option<String>,
    done: Option<String>,
}

/// The day the diary shows and how much of it.
#[derive(Clone, Copy)]
struct At {
    date: Date,
    period: Period,
}

impl At {
    /// `date` when it reads and lies within a year of today; else today, and why.
    fn read(date: Option<&str>, view: Option<&str>, now: i64) -> (Self, Option<String>) {
        let period = Period::from_name(view.unwrap_or_default());
        let today = LondonDateTime::from_utc_seconds(now).date;
        let (date, problem) = match date.map(str::trim).filter(|d| !d.is_empty()) {
            None => (today, None),
            Some(text) => match Date::parse_iso(text) {
                None => (
                    today,
                    Some("That date could not be read: here is today.".to_owned()),
                ),
                Some(date)
                    if (date.days_since_epoch() - today.days_since_epoch()).abs() > REACH_DAYS =>
                {
                    (
                        today,
                        Some(
                            "The diary goes a year either way from today: here is today."
                                .to_owned(),
                        ),
                    )
                }
                Some(date) => (date, None),
            },
        };
        (Self { date, period }, problem)
    }

    fn days(self) -> (Date, u16) {
        match self.period {
            Period::Day => (self.date, 1),
            Period::Week => (week_of(self.date), 7),
        }
    }

    fn href(self, done: &str) -> String {
        format!("{}&done={done}", diary_page::href(self.date, self.period))
    }
}

async fn view(
    State(inbox): State<Arc<Inbox>>,
    session: SignedIn,
    Query(query): Query<DiaryQuery>,
) -> Result<Response, Refusal> {
    let now = now_seconds();
    let (at, problem) = At::read(query.date.as_deref(), query.view.as_deref(), now);
    let notice = match (problem, query.done.as_deref()) {
        (Some(problem), _) => Some(("warn", problem)),
        (None, Some("blocked")) => Some((
            "ok",
            "Blocked: those times are no longer offered.".to_owned(),
        )),
        (None, Some("removed")) => Some(("ok", "Removed: those times are free again.".to_owned())),
        (None, Some("already")) => Some((
            "warn",
            "That blocked time had already been removed.".to_owned(),
        )),
        _ => None,
    };
    let form = BlockForm {
        date: at.date.to_string(),
        ..BlockForm::default()
    };
    let block = BlockFormView {
        fields: &form,
        errors: &[],
        covers: &[],
        checked: None,
    };
    render(&inbox, &session, at, &block, notice, StatusCode::OK).await
}

async fn render(
    inbox: &Inbox,
    session: &SignedIn,
    at: At,
    block: &BlockFormView<'_>,
    notice: Option<(&str, String)>,
    status: StatusCode,
) -> Result<Response, Refusal> {
    let now = now_seconds();
    let (first, days) = at.days();
    let last = Date::from_days_since_epoch(first.days_since_epoch() + i64::from(days) - 1);
    let loaded = diary::between(&inbox.api, first, last, "", Calendar::Beyond).await?;
    let plan = plan(
        &loaded.diary,
        &inbox.api.catalog.practice.scheduling,
        first,
        days,
    );
    let view = DiaryView {
        catalog: &inbox.api.catalog,
        requests: &loaded.requests,
        days: &plan,
        calendar: loaded.calendar,
        date: at.date,
        period: at.period,
        today: LondonDateTime::from_utc_seconds(now).date,
        notice,
    };
    Ok(page(status, diary_page::page(&view, block, session)))
}

#[derive(Deserialize)]
struct BlockFields {
    #[serde(default)]
    date: String,
    #[serde(default)]
    last_date: String,
    whole_day: Option<String>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    note: String,
    /// Block even over the confirmed bookings the page named: the time it checked
    /// (`diary_page::span_key`), so a time changed since is checked again.
    anyway: Option<String>,
    /// The view to come back to.
    #[serde(default)]
    view: String,
}

async fn block(
    State(inbox): State<Arc<Inbox>>,
    Checked { session, form }: Checked<BlockFields>,
) -> Result<Response, Refusal> {
    let now = now_seconds();
    let fields = BlockForm {
        date: form.date,
        last_date: form.last_date,
        whole_day: form.whole_day.is_some(),
        from: form.from,
        to: form.to,
        note: form.note,
    };
    let (at, _) = At::read(Some(&fields.date), Some(&form.view), now);
    let block = match fields.check(now) {
        Ok(block) => block,
        Err(errors) => {
            let view = BlockFormView {
                fields: &fields,
                errors: &errors,
                covers: &[],
                checked: None,
            };
            return render(
                &inbox,
                &session,
                at,
                &view,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if form.anyway.as_deref() != Some(span_key(block.span).as_str()) {
        let covers = covered_bookings(&inbox, block.span).await?;
        if !covers.is_empty() {
            let view = BlockFormView {
                fields: &fields,
                errors: &[],
                covers: &covers,
                checked: Some(block.span),
            };
            return render(&inbox, &session, at, &view, None, StatusCode::OK).await;
        }
    }
    let (span, note, created) = (block.span, block.note, utc_timestamp(now));
    let id = inbox
        .store()
        .call(move |s| s.add_blocked(span, &note, &created))
        .await?;
    tracing::info!(id, "inbox blocked time added");
    let start = LondonDateTime::from_utc_seconds(span.start * 60).date;
    let back = At { date: start, ..at };
    Ok(Redirect::to(&back.href("blocked")).into_response())
}

/// The confirmed bookings `span` shares time with, as the page names them: a link to the
/// request and the words for it.
async fn covered_bookings(inbox: &Inbox, span: Span) -> Result<Vec<(String, String)>, Refusal> {
    let (first, last) = span.london();
    let loaded = diary::between(&inbox.api, first.date, last.date, "", Calendar::Ready).await?;
    Ok(loaded
        .diary
        .overlapping(span)
        .filter_map(|entry| match &entry.kind {
            EntryKind::Booking {
                reference,
                client,
                session,
            } => Some((
                format!("/inbox/requests/{reference}"),
                format!(
                    "{}, {}, {} minutes ({reference})",
                    if client.is_empty() {
                        "a client"
                    } else {
                        client
                    },
                    session.start.for_people(),
                    session.minutes
                ),
            )),
            _ => None,
        })
        .collect())
}

#[derive(Deserialize)]
struct Back {
    #[serde(default)]
    date: String,
    #[serde(default)]
    view: String,
}

async fn unblock(
    State(inbox): State<Arc<Inbox>>,
    Path(id): Path<String>,
    Checked { form, .. }: Checked<Back>,
) -> Result<Response, Refusal> {
    let id: i64 = id.parse().map_err(|_| Refusal::NotFound)?;
    let removed = inbox.store().call(move |s| s.remove_blocked(id)).await?;
    if removed {
        tracing::info!(id, "inbox blocked time removed");
    }
    let (at, _) = At::read(Some(&form.date), Some(&form.view), now_seconds());
    Ok(Redirect::to(&at.href(if removed { "removed" } else { "already" })).into_response())
}
