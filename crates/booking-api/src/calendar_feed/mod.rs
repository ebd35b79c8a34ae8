//! Her own calendar in her diary: the secret ICS address Google, iCloud or Outlook give her
//! (`--calendar-feed`), fetched in the background every `--calendar-feed-every`
//! (`fetch.rs`), read by `massage_core::diary::feed` (calcard: RRULE, EXDATE,
//! RECURRENCE-ID, TZID) into busy times kept ready from a week back to a few days past the
//! booking window (`kept.rs`). Its busy times hold her diary (`crate::diary`) like time she
//! blocks.
//!
//! Only the background task reads the feed, once per new text and once per London day (the
//! range moves on); a question (`busy`) is a lookup, so visitors never make the server
//! parse. A feed that fails is never read as free: the last reading still holds, and once no
//! answer has come for three periods the feed is stale (a banner in the inbox, a problem in
//! `/healthz`). Dates the reading does not reach are *not known*, never free: the booking
//! page is not told they are free, and the inbox says so. The reading (start, end and title)
//! is saved so a restart holds it; the feed's text stays in memory, for the diary's days
//! beyond the range. The address is a secret: only its host is logged or shown.

mod fetch;
mod kept;

pub(crate) use fetch::Failure;
pub(crate) use kept::{Busy, Known};

use crate::api::now_seconds;
use crate::config::{Config, FeedUrl};
use crate::store::{SavedBusy, Store};
use crate::{diary, ics};
use fetch::{Answer, Fetcher, Validators};
use kept::Kept;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::Date;
use massage_core::diary::feed::{FeedTimes, HeldBack, NotACalendar, Owner, busy_times};
use massage_core::services::Catalog;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Periods without an answer before the feed is stale: one failure may be a blip.
const STALE_AFTER_PERIODS: u32 = 3;
/// Days kept ready past what availability asks for, so the reading made before midnight
/// still covers the next day's questions until the background task reads it again.
const MARGIN_DAYS: i64 = 3;
/// Days kept ready before today: the diary's view of this week.
const DAYS_BACK: i64 = 7;
/// How often the background task looks whether the London day (and so the range) moved on.
const LOOK_EVERY: Duration = Duration::from_secs(15 * 60);

pub(crate) struct CalendarFeed {
    fetcher: Fetcher,
    every: Duration,
    owner: Arc<Owner>,
    /// How many days after today availability asks about (`diary::days_ahead`).
    days_ahead: i64,
    /// When the receiver started: a feed never read is stale once its first fetch had time.
    started_at: i64,
    state: Mutex<State>,
    /// One reading at a time of days beyond the range (the diary's far-off weeks).
    beyond: tokio::sync::Semaphore,
}

#[derive(Default)]
struct State {
    /// The last good feed's text, in memory only.
    text: Option<Text>,
    /// Its busy times over the range, or those saved before a restart.
    kept: Option<Kept>,
    /// A text (by generation) that could not be read for the range from this date: not
    /// tried again until either changes.
    unreadable: Option<(u64, Date)>,
    /// When the feed last answered, seconds since 1970.
    fetched_at: Option<i64>,
    /// Why the last fetch failed; `None` once one works.
    failure: Option<Failure>,
    /// Texts taken so far.
    generations: u64,
}

struct Text {
    body: Arc<String>,
    fingerprint: [u8; 32],
    validators: Validators,
    generation: u64,
}

/// How the feed stands, for the inbox's banner and `/healthz`.
pub(crate) struct FeedStatus {
    /// The address's host: all of it that may be shown.
    pub(crate) host: String,
    /// When the feed last answered, seconds since 1970.
    pub(crate) fetched_at: Option<i64>,
    /// Why the last fetch failed, if it did.
    pub(crate) failure: Option<Failure>,
    /// No answer for three periods, or none ever after the first fetch had its time.
    pub(crate) stale: bool,
    /// The titles of the series held back because they cannot be read.
    pub(crate) held_back: Vec<String>,
}

impl CalendarFeed {
    /// The feed at `url`, fetched as `config` says, holding the reading saved in the store
    /// until the first fetch.
    pub(crate) async fn open(
        store: &Arc<Store>,
        url: FeedUrl,
        config: &Config,
        catalog: &Catalog,
    ) -> Result<Arc<Self>, String> {
        let notify_to = std::env::var("NOTIFY_TO").ok();
        let owner = Owner {
            emails: her_emails(
                &catalog.practice.email,
                notify_to.as_deref(),
                &config.calendar_feed_owner,
            ),
            uid_domain: ics::uid_domain(config.public_url.as_deref()).to_owned(),
        };
        let saved = store
            .call(|s| s.saved_busy())
            .await
            .map_err(|e| format!("reading her calendar's saved busy times: {e}"))?;
        let mut state = State::default();
        if let Some(saved) = saved {
            state.fetched_at = Some(saved.fetched_at);
            state.kept = Some(Kept {
                from: saved.first,
                to: saved.last,
                busy: Arc::new(saved.busy),
                held_back: Arc::default(),
                generation: 0,
            });
        }
        Ok(Arc::new(Self {
            fetcher: Fetcher::new(url)?,
            every: config.calendar_feed_every,
            owner: Arc::new(owner),
            days_ahead: diary::days_ahead(&catalog.practice.scheduling),
            started_at: now_seconds(),
            state: Mutex::new(state),
            beyond: tokio::sync::Semaphore::new(1),
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn host(&self) -> String {
        self.fetcher.url().host()
    }

    /// The London dates kept ready at `now`: from a week back to `MARGIN_DAYS` after the
    /// last date availability asks about.
    fn range(&self, now: i64) -> (Date, Date) {
        let today = LondonDateTime::from_utc_seconds(now)
            .date
            .days_since_epoch();
        (
            Date::from_days_since_epoch(today - DAYS_BACK),
            Date::from_days_since_epoch(today + self.days_ahead + MARGIN_DAYS),
        )
    }

    /// Her calendar's busy times over the London dates `from` to `to`, as far as the
    /// reading kept ready covers them. A lookup: nothing is fetched or parsed.
    pub(crate) fn busy(&self, from: Date, to: Date) -> Busy {
        self.lock()
            .kept
            .as_ref()
            .map_or_else(Busy::not_known, |kept| kept.over(from, to))
    }

    /// The same, reading the feed's text for days beyond the range (the diary's far-off
    /// weeks: only her inbox asks, one reading at a time). Days it cannot read are not
    /// known.
    pub(crate) async fn busy_beyond(&self, from: Date, to: Date) -> Busy {
        let ready = self.busy(from, to);
        if ready.known == Known::Between(from, to) {
            return ready;
        }
        let Some(body) = self.lock().text.as_ref().map(|t| t.body.clone()) else {
            return ready;
        };
        let Ok(_one_at_a_time) = self.beyond.acquire().await else {
            return ready;
        };
        match self.read(body, from, to).await {
            Ok(times) => Busy {
                times: times.busy,
                known: Known::Between(from, to),
            },
            Err(error) => {
                tracing::warn!(host = self.host(), %error, %from, %to, "her calendar cannot be read for these days");
                ready
            }
        }
    }

    /// `body`'s busy times over `from` to `to`, read off the async threads.
    async fn read(
        &self,
        body: Arc<String>,
        from: Date,
        to: Date,
    ) -> Result<FeedTimes, NotACalendar> {
        let owner = self.owner.clone();
        tokio::task::spawn_blocking(move || busy_times(&body, from, to, &owner))
            .await
            .unwrap_or(Err(NotACalendar))
    }

    /// Fetches the feed every period (longer when it asks with `Retry-After`), and reads it
    /// again whenever the London day moves the range on, for ever.
    pub(crate) async fn run(self: Arc<Self>, store: Arc<Store>) {
        let mut next_fetch = Instant::now();
        loop {
            if Instant::now() >= next_fetch {
                let wait = self.fetch(&store).await;
                next_fetch = Instant::now() + wait;
            }
            self.refresh(&store).await;
            let until = next_fetch.saturating_duration_since(Instant::now());
            tokio::time::sleep(until.min(LOOK_EVERY)).await;
        }
    }

    /// One fetch: a new text is read and kept; the same text again (or "not modified") only
    /// notes the answer; a failure keeps the last reading, and is noted. How long to wait
    /// before the next.
    async fn fetch(&self, store: &Arc<Store>) -> Duration {
        let host = self.host();
        let validators = self.lock().text.as_ref().map(|t| t.validators.clone());
        let failure = match self.fetcher.get(validators.as_ref()).await {
            Ok(Answer::NotModified) => {
                tracing::debug!(host, "calendar feed unchanged");
                self.answered(store, None).await;
                return self.every;
            }
            Ok(Answer::Text(text, validators)) => match self.take(store, text, validators).await {
                Ok(()) => return self.every,
                Err(failure) => failure,
            },
            Err(failure) => failure,
        };
        tracing::warn!(
            host,
            reason = failure.reason,
            error = failure.detail,
            "calendar feed failed"
        );
        let wait = failure
            .retry_after
            .map_or(self.every, |w| w.max(self.every));
        self.lock().failure = Some(failure);
        wait
    }

    /// A text the feed answered with: the same as the one held (but for its `DTSTAMP`s) is
    /// not read again; a new one is read over the range and kept, unless it is not a
    /// calendar at all (a sign-in page for a reset address).
    async fn take(
        &self,
        store: &Arc<Store>,
        text: String,
        validators: Validators,
    ) -> Result<(), Failure> {
        let host = self.host();
        let body = Arc::new(text);
        let hashed = body.clone();
        let fingerprint = tokio::task::spawn_blocking(move || fetch::fingerprint(&hashed))
            .await
            .map_err(|e| Failure::new("not read", format!("hashing the feed stopped: {e}")))?;
        let same = {
            let mut state = self.lock();
            match state.text.as_mut() {
                Some(held) if held.fingerprint == fingerprint => {
                    held.validators = validators.clone();
                    true
                }
                _ => false,
            }
        };
        if same {
            tracing::debug!(host, "calendar feed unchanged");
            self.answered(store, None).await;
            return Ok(());
        }
        let (from, to) = self.range(now_seconds());
        let times = self
            .read(body.clone(), from, to)
            .await
            .map_err(|e| Failure::new("not a calendar", e.to_string()))?;
        tracing::info!(
            host,
            busy_times = times.busy.len(),
            held_back = times.held_back.len(),
            "calendar feed updated"
        );
        log_held_back(&host, &times.held_back);
        let generation = {
            let mut state = self.lock();
            state.generations += 1;
            let generation = state.generations;
            state.text = Some(Text {
                body,
                fingerprint,
                validators,
                generation,
            });
            state.unreadable = None;
            state.kept = Some(Kept {
                from,
                to,
                busy: Arc::new(times.busy),
                held_back: Arc::new(times.held_back),
                generation,
            });
            generation
        };
        self.answered(store, Some(generation)).await;
        Ok(())
    }

    /// The feed answered at `now`: noted in memory, then saved (with the reading of text
    /// `generation` when there is a new one). A save that fails is logged: the feed itself
    /// did answer, and memory holds the reading.
    async fn answered(&self, store: &Arc<Store>, generation: Option<u64>) {
        let now = now_seconds();
        let saved = {
            let mut state = self.lock();
            state.fetched_at = Some(now);
            if state.failure.take().is_some() {
                tracing::info!(host = self.host(), "calendar feed answers again");
            }
            generation.and_then(|generation| Self::to_save(&state, generation, now))
        };
        let result = match saved {
            Some(saved) => store.call(move |s| s.save_busy(&saved)).await,
            None => store.call(move |s| s.feed_answered(now)).await,
        };
        if let Err(e) = result {
            tracing::error!(host = self.host(), error = %e, "could not save her calendar's busy times");
        }
    }

    /// The reading of text `generation` as it is saved, if it is still the one kept.
    fn to_save(state: &State, generation: u64, fetched_at: i64) -> Option<SavedBusy> {
        let kept = state.kept.as_ref().filter(|k| k.generation == generation)?;
        Some(SavedBusy {
            first: kept.from,
            last: kept.to,
            busy: kept.busy.as_ref().clone(),
            fetched_at,
        })
    }

    /// Reads the text again when the range has moved on (a new London day) since the
    /// reading kept; a text that cannot be read for the new range is remembered, not tried
    /// at every look.
    async fn refresh(&self, store: &Arc<Store>) {
        let (from, to) = self.range(now_seconds());
        let (body, generation) = {
            let state = self.lock();
            let Some(text) = &state.text else {
                return;
            };
            let current = state
                .kept
                .as_ref()
                .is_some_and(|k| k.generation == text.generation && k.from == from && k.to == to);
            if current || state.unreadable == Some((text.generation, from)) {
                return;
            }
            (text.body.clone(), text.generation)
        };
        let read = self.read(body, from, to).await;
        let saved = {
            let mut state = self.lock();
            if state.text.as_ref().map(|t| t.generation) != Some(generation) {
                // A newer text came meanwhile, read over its own range.
                return;
            }
            match read {
                Ok(times) => {
                    log_held_back(&self.host(), &times.held_back);
                    state.kept = Some(Kept {
                        from,
                        to,
                        busy: Arc::new(times.busy),
                        held_back: Arc::new(times.held_back),
                        generation,
                    });
                    let fetched_at = state.fetched_at.unwrap_or_else(now_seconds);
                    Self::to_save(&state, generation, fetched_at)
                }
                Err(error) => {
                    tracing::error!(host = self.host(), %error, %from, "her calendar's last text cannot be read for the days ahead");
                    state.unreadable = Some((generation, from));
                    None
                }
            }
        };
        if let Some(saved) = saved
            && let Err(e) = store.call(move |s| s.save_busy(&saved)).await
        {
            tracing::error!(host = self.host(), error = %e, "could not save her calendar's busy times");
        }
    }

    /// How the feed stands at `now`.
    pub(crate) fn status(&self, now: i64) -> FeedStatus {
        let state = self.lock();
        let limit = i64::try_from((self.every * STALE_AFTER_PERIODS).as_secs()).unwrap_or(i64::MAX);
        let first_fetch = i64::try_from(fetch::FETCH_TIMEOUT.as_secs()).unwrap_or(i64::MAX);
        let stale = match state.fetched_at {
            Some(at) => now - at > limit,
            None => state.failure.is_some() || now - self.started_at > first_fetch,
        };
        FeedStatus {
            host: self.host(),
            fetched_at: state.fetched_at,
            failure: state.failure.clone(),
            stale,
            held_back: state
                .kept
                .iter()
                .flat_map(|k| k.held_back.iter())
                .map(|h| h.summary.clone())
                .collect(),
        }
    }
}

/// Each series held back, in the log: its title and UID, to find and fix it.
fn log_held_back(host: &str, held_back: &[HeldBack]) {
    for series in held_back {
        tracing::warn!(host, "her calendar: {series}; its times are not held");
    }
}

/// Her e-mail addresses, as her calendar may name her on an invitation: the practice's,
/// NOTIFY_TO's (`Name <address>` or an address), and any given with
/// `--calendar-feed-owner`.
pub(crate) fn her_emails(practice: &str, notify_to: Option<&str>, given: &[String]) -> Vec<String> {
    let notify = notify_to.map(|to| {
        to.rsplit_once('<')
            .map_or(to, |(_, rest)| rest.trim_end().trim_end_matches('>'))
    });
    [practice]
        .into_iter()
        .chain(notify)
        .chain(given.iter().map(String::as_str))
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| e.contains('@'))
        .collect()
}
