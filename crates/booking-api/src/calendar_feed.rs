//! Her own calendar in her diary: the secret ICS address Google, iCloud or Outlook give her
//! (`--calendar-feed`), fetched in the background every `--calendar-feed-every` with the
//! validators of the last answer (`If-None-Match`, `If-Modified-Since`), a timeout and a
//! size cap, read by `massage_core::diary::feed` (calcard: RRULE, EXDATE, RECURRENCE-ID,
//! TZID). Its busy times hold her diary (`crate::diary`) like time she blocks.
//!
//! A feed that fails is never read as free: the last good copy (kept in SQLite too, so a
//! restart does not forget it) still holds, and once no answer has come for three periods
//! the feed is stale: a banner on every inbox page and a problem in `/healthz`. The address
//! is a secret (whoever has it reads her calendar): only its host is logged or shown.

use crate::api::now_seconds;
use crate::config::FeedUrl;
use crate::store::{SavedFeed, Store};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::Date;
use massage_core::diary::feed::{BusyTime, FeedError, busy_times};
use massage_core::diary::plan::day_span;
use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The largest feed read: years of a busy calendar are a few megabytes.
const MAX_FEED_BYTES: usize = 20 * 1024 * 1024;
/// How long one fetch may take, from connecting to the last byte.
const FETCH_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Periods without an answer before the feed is stale: one failure may be a blip.
const STALE_AFTER_PERIODS: u32 = 3;

pub(crate) struct CalendarFeed {
    url: FeedUrl,
    every: Duration,
    /// How many days ahead busy times are kept ready: the booking window and a day.
    days_ahead: i64,
    http: reqwest::Client,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The last good feed's text.
    body: Option<Arc<str>>,
    /// Its busy times over `ready_range(today)`, parsed once per London day.
    ready: Option<Ready>,
    /// The validators to send back, when the last good copy came from this address.
    etag: Option<String>,
    last_modified: Option<String>,
    /// When the feed last answered, seconds since 1970.
    fetched_at: Option<i64>,
    /// Why the last attempt failed; `None` once one works.
    failure: Option<String>,
}

struct Ready {
    from: Date,
    to: Date,
    busy: Arc<Vec<BusyTime>>,
}

/// How the feed stands, for the inbox's banner and `/healthz`.
pub(crate) struct FeedStatus {
    /// The address's host: all of it that may be shown.
    pub(crate) host: String,
    /// When the feed last answered, seconds since 1970.
    pub(crate) fetched_at: Option<i64>,
    /// Why the last attempt failed, if it did.
    pub(crate) failure: Option<String>,
    /// No answer for three periods, or none ever after an attempt failed.
    pub(crate) stale: bool,
}

impl FeedStatus {
    /// What the therapist is told while the feed is stale.
    pub(crate) fn banner(&self) -> Option<String> {
        if !self.stale {
            return None;
        }
        let why = self
            .failure
            .as_deref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default();
        Some(match self.fetched_at {
            Some(at) => format!(
                "Your calendar feed ({}) has not answered since {} (London time){why}. \
                 The busy times it gave then still hold here; anything added to your calendar since is not known.",
                self.host,
                LondonDateTime::from_utc_seconds(at).for_people(),
            ),
            None => format!(
                "Your calendar feed ({}) has not been read yet{why}. Until it is, the busy times in your calendar are not in this diary.",
                self.host,
            ),
        })
    }
}

fn url_hash(url: &str) -> String {
    format!("{:x}", Sha256::digest(url.as_bytes()))
}

impl CalendarFeed {
    /// The feed at `url`, holding the last good copy in the store (when it parses) until
    /// the first fetch.
    pub(crate) async fn open(
        store: &Arc<Store>,
        url: FeedUrl,
        every: Duration,
        booking_window_days: u16,
    ) -> Result<Arc<Self>, String> {
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!(
                "booking-api/",
                env!("CARGO_PKG_VERSION"),
                " (calendar feed)"
            ))
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(|e| format!("the calendar feed's HTTP client: {e}"))?;
        let feed = Arc::new(Self {
            url,
            every,
            days_ahead: i64::from(booking_window_days) + 1,
            http,
            state: Mutex::new(State::default()),
        });
        let saved = store
            .call(|s| s.saved_feed())
            .await
            .map_err(|e| format!("reading the saved calendar feed: {e}"))?;
        if let Some(saved) = saved {
            let body: Arc<str> = saved.body.into();
            // Validators belong to the address that gave them; her busy times are hers
            // whichever address she now uses, until the new one answers.
            let same = saved.url_hash == url_hash(feed.url.secret());
            match feed.parse(body.clone(), now_seconds()).await {
                Ok(ready) => {
                    let mut state = feed.lock();
                    state.body = Some(body);
                    state.ready = Some(ready);
                    state.fetched_at = Some(saved.fetched_at);
                    if same {
                        state.etag = saved.etag;
                        state.last_modified = saved.last_modified;
                    }
                }
                Err(e) => {
                    tracing::warn!(host = feed.url.host(), error = %e, "the saved calendar feed cannot be read")
                }
            }
        }
        Ok(feed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The London dates busy times are kept ready for on `today`: from a week back (the
    /// diary's view of this week, and an event over midnight into today) to the end of the
    /// booking window.
    fn ready_range(&self, now: i64) -> (Date, Date) {
        let today = LondonDateTime::from_utc_seconds(now)
            .date
            .days_since_epoch();
        (
            Date::from_days_since_epoch(today - 7),
            Date::from_days_since_epoch(today + self.days_ahead),
        )
    }

    /// `body`'s busy times over `ready_range`, parsed off the async threads.
    async fn parse(&self, body: Arc<str>, now: i64) -> Result<Ready, FeedError> {
        let (from, to) = self.ready_range(now);
        let busy = tokio::task::spawn_blocking(move || busy_times(&body, from, to))
            .await
            .unwrap_or(Err(FeedError::NotACalendar))?;
        Ok(Ready {
            from,
            to,
            busy: Arc::new(busy),
        })
    }

    /// Fetches the feed every period, for ever.
    pub(crate) async fn run(self: Arc<Self>, store: Arc<Store>) {
        loop {
            self.fetch(&store).await;
            tokio::time::sleep(self.every).await;
        }
    }

    /// One fetch: a new copy is parsed, kept and saved; "not modified" keeps the copy; a
    /// failure keeps it too, and is noted.
    async fn fetch(&self, store: &Arc<Store>) {
        let host = self.url.host();
        match self.fetch_new(store).await {
            Ok(Fetched::Unchanged) => {
                tracing::debug!(host, "calendar feed unchanged");
            }
            Ok(Fetched::New(count)) => {
                tracing::info!(host, busy_times = count, "calendar feed updated");
            }
            Err(failure) => {
                tracing::warn!(host, error = %failure, "calendar feed failed");
                self.lock().failure = Some(failure);
                return;
            }
        }
        let mut state = self.lock();
        if state.failure.take().is_some() {
            tracing::info!(host, "calendar feed answers again");
        }
    }

    async fn fetch_new(&self, store: &Arc<Store>) -> Result<Fetched, String> {
        let (etag, last_modified, have_copy) = {
            let state = self.lock();
            (
                state.etag.clone(),
                state.last_modified.clone(),
                state.body.is_some(),
            )
        };
        let mut request = self.http.get(self.url.secret());
        if have_copy {
            if let Some(etag) = &etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(at) = &last_modified {
                request = request.header(IF_MODIFIED_SINCE, at);
            }
        }
        // reqwest's errors name the whole address: `why` leaves it out.
        let mut response = request
            .send()
            .await
            .map_err(|e| format!("no answer: {}", why(e)))?;
        let now = now_seconds();
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED && have_copy {
            store
                .call(move |s| s.feed_unchanged(now))
                .await
                .map_err(|e| format!("saving the feed: {e}"))?;
            self.lock().fetched_at = Some(now);
            return Ok(Fetched::Unchanged);
        }
        if !status.is_success() {
            return Err(format!("the feed answered {status}"));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let (etag, last_modified) = (header(ETAG), header(LAST_MODIFIED));
        if response
            .content_length()
            .is_some_and(|n| n > MAX_FEED_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("the answer broke off: {}", why(e)))?
        {
            if bytes.len() + chunk.len() > MAX_FEED_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        let body: Arc<str> = String::from_utf8(bytes)
            .map_err(|_| "the feed is not UTF-8 text".to_owned())?
            .into();
        let ready = self
            .parse(body.clone(), now)
            .await
            .map_err(|e| format!("the feed cannot be read: {e}"))?;
        let count = ready.busy.len();
        let saved = SavedFeed {
            url_hash: url_hash(self.url.secret()),
            body: body.to_string(),
            etag: etag.clone(),
            last_modified: last_modified.clone(),
            fetched_at: now,
        };
        store
            .call(move |s| s.save_feed(&saved))
            .await
            .map_err(|e| format!("saving the feed: {e}"))?;
        let mut state = self.lock();
        state.body = Some(body);
        state.ready = Some(ready);
        state.etag = etag;
        state.last_modified = last_modified;
        state.fetched_at = Some(now);
        Ok(Fetched::New(count))
    }

    /// Her calendar's busy times over the London dates `from` to `to`, from the last good
    /// copy. Never fewer than the feed last gave: a copy that no longer parses (a series
    /// grown past its limit as the days moved on) keeps the busy times it gave before.
    pub(crate) async fn busy(&self, from: Date, to: Date, now: i64) -> Vec<BusyTime> {
        let wanted = massage_core::diary::Span {
            start: day_span(from).start,
            end: day_span(to).end,
        };
        let within = |busy: &[BusyTime]| -> Vec<BusyTime> {
            busy.iter()
                .filter(|b| b.span.overlaps(wanted))
                .cloned()
                .collect()
        };
        let (ready_from, ready_to) = self.ready_range(now);
        let (body, ready) = {
            let state = self.lock();
            let ready = state
                .ready
                .as_ref()
                .filter(|r| r.from == ready_from && r.to == ready_to)
                .map(|r| r.busy.clone());
            (state.body.clone(), ready)
        };
        let Some(body) = body else {
            return Vec::new();
        };
        if from < ready_from || to > ready_to {
            // Days in the diary view far from today: parsed for that view alone. Nothing is
            // offered or confirmed from them, so a failure here leaves the feed's state be.
            let parsed = tokio::task::spawn_blocking(move || busy_times(&body, from, to))
                .await
                .unwrap_or(Err(FeedError::NotACalendar));
            return parsed.unwrap_or_else(|error| {
                tracing::warn!(host = self.url.host(), %error, %from, %to, "her calendar cannot be read for these days");
                Vec::new()
            });
        }
        if let Some(busy) = ready {
            return within(&busy);
        }
        // A new London day: the ready range moves on.
        match self.parse(body, now).await {
            Ok(ready) => {
                let busy = within(&ready.busy);
                self.lock().ready = Some(ready);
                busy
            }
            Err(error) => self.unreadable(error, within),
        }
    }

    /// The busy times last made ready, when the copy can no longer be read.
    fn unreadable(
        &self,
        error: FeedError,
        within: impl Fn(&[BusyTime]) -> Vec<BusyTime>,
    ) -> Vec<BusyTime> {
        let mut state = self.lock();
        let failure = format!("the saved feed cannot be read: {error}");
        if state.failure.as_deref() != Some(failure.as_str()) {
            tracing::error!(host = self.url.host(), %error, "the saved calendar feed cannot be read");
        }
        state.failure = Some(failure);
        state
            .ready
            .as_ref()
            .map_or_else(Vec::new, |r| within(&r.busy))
    }

    /// How the feed stands at `now`.
    pub(crate) fn status(&self, now: i64) -> FeedStatus {
        let state = self.lock();
        let limit = i64::try_from((self.every * STALE_AFTER_PERIODS).as_secs()).unwrap_or(i64::MAX);
        let stale = match state.fetched_at {
            Some(at) => now - at > limit,
            None => state.failure.is_some(),
        };
        FeedStatus {
            host: self.url.host().to_owned(),
            fetched_at: state.fetched_at,
            failure: state.failure.clone(),
            stale,
        }
    }
}

enum Fetched {
    Unchanged,
    New(usize),
}

/// What went wrong, with its causes ("error sending request: client error (Connect):
/// received corrupt message"), without the address: reqwest's own words name it whole.
fn why(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut words = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(e) = cause {
        words.push_str(": ");
        words.push_str(&e.to_string());
        cause = e.source();
    }
    words
}

fn too_large() -> String {
    format!(
        "the feed is larger than {} MB",
        MAX_FEED_BYTES / (1024 * 1024)
    )
}
