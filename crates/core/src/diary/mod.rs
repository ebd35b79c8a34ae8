//! The therapist's diary: what holds her time (confirmed bookings, time she blocks, her own
//! calendar's busy times), whether a proposed session clashes with it once travel and
//! buffers are counted, and which start times are still free. Plain Rust with no clock and
//! no I/O: the receiver loads the entries and passes "now".
//!
//! - `travel`: journeys from the studio by postcode, and the gap two sessions need
//! - `conflict`: the entries a proposed session clashes with, worded for the inbox
//! - `availability`: the free start times per day for a treatment, place and length
//! - `blocking`: time she blocks in the inbox, checked into a span
//! - `plan`: the diary laid out day by day, with the journeys, for the inbox's diary view
//! - `feed` (feature `feeds`, native only): her calendar's ICS feed as busy times

pub mod availability;
pub mod blocking;
pub mod conflict;
#[cfg(feature = "feeds")]
pub mod feed;
pub mod plan;
pub mod travel;

pub use availability::{FreeDay, NotServed, free_starts};
pub use conflict::Conflict;
pub use travel::Gap;

use crate::booking::contact::uk_postcode;
use crate::booking::london_time::LondonDateTime;
use crate::booking::request::Location;
use crate::calendar::Date;
use crate::clock::ClockTime;

/// A stretch of time in minutes since 1970-01-01 00:00 UTC, end excluded. UTC so that
/// bookings (London wall-clock times), her calendar (any zone) and "now" compare directly,
/// whichever side of a clock change they fall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The first minute.
    pub start: i64,
    /// The minute after the last.
    pub end: i64,
}

impl Span {
    /// From one London time to another (an evening she blocks, a holiday).
    pub fn between(start: LondonDateTime, end: LondonDateTime) -> Self {
        Self {
            start: start.to_utc_minutes(),
            end: end.to_utc_minutes(),
        }
    }

    /// Whether the two share at least a minute.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The London times it starts and ends at.
    pub fn london(self) -> (LondonDateTime, LondonDateTime) {
        (
            LondonDateTime::from_utc_seconds(self.start * 60),
            LondonDateTime::from_utc_seconds(self.end * 60),
        )
    }

    /// How the inbox says when it is, in London time: "18:00–22:00" and "21:00–midnight"
    /// within a day (whose date is said elsewhere), "all day Friday 4 December 2026" for
    /// whole days, else "24 December 2026 10:00 to 27 December 2026 22:00".
    pub fn in_words(self) -> String {
        let (start, end) = self.london();
        let midnight = ClockTime::from_minutes(0);
        let day_after = |d: Date| Date::from_days_since_epoch(d.days_since_epoch() + 1);
        if start.date == end.date {
            return format!("{}\u{2013}{}", start.time, end.time);
        }
        if end.time == midnight && end.date == day_after(start.date) && start.time != midnight {
            return format!("{}\u{2013}midnight", start.time);
        }
        if start.time == midnight && end.time == midnight {
            let last = Date::from_days_since_epoch(end.date.days_since_epoch() - 1);
            return if last == start.date {
                format!("all day {}", start.date.long())
            } else {
                format!("all day, {} to {}", start.date.long(), last.long())
            };
        }
        format!(
            "{} {} to {} {}",
            start.date.short(),
            start.time,
            end.date.short(),
            end.time
        )
    }
}

/// Where the therapist is for a session: at the studio, or at a client's home.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// In-call, at the studio.
    Studio,
    /// Outcall, at this postcode (normalised: `SW11 1AA`).
    Home {
        /// The client's postcode, upper case with one space.
        postcode: String,
    },
}

impl Place {
    /// The place of a booking request's `location` and `postcode`; `None` for an outcall
    /// without a real UK postcode (the journey cannot be known).
    pub fn of(location: Location, postcode: &str) -> Option<Self> {
        match location {
            Location::InCall => Some(Self::Studio),
            Location::Outcall => uk_postcode(postcode).map(|postcode| Self::Home { postcode }),
        }
    }

    /// In-call or outcall.
    pub fn location(&self) -> Location {
        match self {
            Self::Studio => Location::InCall,
            Self::Home { .. } => Location::Outcall,
        }
    }

    /// The postcode district (`SW11` of `SW11 1AA`) of a home visit: what the inbox shows,
    /// precise enough to judge a journey without the client's address.
    pub fn district(&self) -> Option<&str> {
        match self {
            Self::Studio => None,
            Self::Home { postcode } => postcode.split(' ').next(),
        }
    }
}

/// A session at a time and place: one confirmed, or one proposed (a request's time, a
/// start the booking page may offer).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Session {
    /// When it starts, London time.
    pub start: LondonDateTime,
    /// How long the treatment lasts.
    pub minutes: u16,
    /// Where it happens.
    pub place: Place,
}

impl Session {
    /// The time the treatment itself takes (travel and buffers are around it).
    pub fn span(&self) -> Span {
        let start = self.start.to_utc_minutes();
        Span {
            start,
            end: start + i64::from(self.minutes),
        }
    }
}

/// One thing in the diary that holds her time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiaryEntry {
    /// When, in UTC minutes.
    pub span: Span,
    /// What it is.
    pub kind: EntryKind,
}

/// What holds the time, with what the inbox needs to name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A confirmed booking.
    Booking {
        /// The request's reference (`AM-7K3Q-9XPD`), so the receiver can leave out the
        /// request being decided.
        reference: String,
        /// The client's name, as the inbox shows it.
        client: String,
        /// When and where.
        session: Session,
    },
    /// Time she has blocked in the inbox.
    Blocked {
        /// The store's id for it, so the inbox can remove it.
        id: i64,
        /// Her note for it ("holiday"); may be empty.
        note: String,
    },
    /// A busy time from her own calendar's feed.
    Calendar {
        /// The event's title in her calendar; may be empty.
        summary: String,
    },
}

impl DiaryEntry {
    /// A confirmed booking.
    pub fn booking(reference: &str, client: &str, session: Session) -> Self {
        Self {
            span: session.span(),
            kind: EntryKind::Booking {
                reference: reference.to_owned(),
                client: client.to_owned(),
                session,
            },
        }
    }

    /// Time she blocks (`id`: the store's).
    pub fn blocked(id: i64, span: Span, note: &str) -> Self {
        Self {
            span,
            kind: EntryKind::Blocked {
                id,
                note: note.to_owned(),
            },
        }
    }

    /// A busy time from her calendar.
    pub fn calendar(span: Span, summary: &str) -> Self {
        Self {
            span,
            kind: EntryKind::Calendar {
                summary: summary.to_owned(),
            },
        }
    }

    /// The session, when the entry is a booking.
    pub fn session(&self) -> Option<&Session> {
        match &self.kind {
            EntryKind::Booking { session, .. } => Some(session),
            _ => None,
        }
    }

    /// Where she is during the entry. The diary does not know where blocked time or her own
    /// appointments are, so it takes them to be at the studio, her base: a home visit next
    /// to one still needs the journey from the studio.
    pub fn place(&self) -> &Place {
        self.session().map_or(&Place::Studio, |s| &s.place)
    }
}

/// Everything that holds her time, sorted by start: the one input to conflict checks and
/// availability.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diary {
    entries: Vec<DiaryEntry>,
}

impl Diary {
    /// A diary of these entries, in any order. Empty spans (an event that ends as it starts)
    /// hold no time and are dropped.
    pub fn new(entries: impl IntoIterator<Item = DiaryEntry>) -> Self {
        let mut entries: Vec<DiaryEntry> = entries
            .into_iter()
            .filter(|e| e.span.end > e.span.start)
            .collect();
        entries.sort_by_key(|e| e.span);
        Self { entries }
    }

    /// The entries, by start.
    pub fn entries(&self) -> &[DiaryEntry] {
        &self.entries
    }

    /// The entries that share at least a minute with `span`, by start.
    pub fn overlapping(&self, span: Span) -> impl Iterator<Item = &DiaryEntry> {
        self.entries.iter().filter(move |e| e.span.overlaps(span))
    }
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
