//! Whether a session fits the diary: every entry it overlaps, or comes too close to once the
//! journey and buffer between them are counted, worded so the inbox can say what is in the
//! way ("overlaps with Jane's 18:00 outcall in SW11 (travel 35 min)").

use super::{Diary, DiaryEntry, EntryKind, Gap, Session, Span};
use crate::services::Scheduling;
use std::fmt;

/// A diary entry a session clashes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict<'a> {
    /// What is in the way.
    pub entry: &'a DiaryEntry,
    /// What must lie between the two.
    pub gap: Gap,
    /// Whether the session itself overlaps the entry (not only the gap around it).
    pub overlaps: bool,
}

impl Diary {
    /// The entries `session` clashes with, by start; empty when it fits. A clash is an
    /// overlap, or less time between the two than the journey between their places plus,
    /// when both are sessions, the buffer. Opening hours and notice are checked apart
    /// (`availability::fits_opening_hours`, `validate::check_start`).
    pub fn conflicts(&self, session: &Session, rules: &Scheduling) -> Vec<Conflict<'_>> {
        let span = session.span();
        self.entries
            .iter()
            .filter_map(|entry| clash(rules, session, span, entry))
            .collect()
    }
}

/// The clash between `session` (at `span`) and `entry`, if any: the one rule both the
/// conflict check and availability apply.
pub(crate) fn clash<'a>(
    rules: &Scheduling,
    session: &Session,
    span: Span,
    entry: &'a DiaryEntry,
) -> Option<Conflict<'a>> {
    let gap = Gap::between(rules, session, entry);
    let around = Span {
        start: span.start - gap.minutes(),
        end: span.end + gap.minutes(),
    };
    around.overlaps(entry.span).then(|| Conflict {
        entry,
        gap,
        overlaps: span.overlaps(entry.span),
    })
}

impl fmt::Display for Conflict<'_> {
    /// "overlaps with Jane's 18:00 outcall in SW11 (travel 35 min)", "is too close to time
    /// you blocked, 14:00–17:00 (travel 20 min)": how the inbox explains a refusal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.overlaps {
            "overlaps with"
        } else {
            "is too close to"
        };
        write!(f, "{verb} {}", Described(self.entry))?;
        let mut needs = Vec::new();
        if self.gap.travel_minutes > 0 {
            needs.push(format!("travel {} min", self.gap.travel_minutes));
        }
        if self.gap.buffer_minutes > 0 {
            needs.push(format!("buffer {} min", self.gap.buffer_minutes));
        }
        if !needs.is_empty() {
            write!(f, " ({})", needs.join(", "))?;
        }
        Ok(())
    }
}

/// An entry as the therapist would name it.
struct Described<'a>(&'a DiaryEntry);

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The day is left out when the entry is within one day: the inbox shows the
        // request's.
        let when = self.0.span.in_words();
        match &self.0.kind {
            EntryKind::Booking {
                client, session, ..
            } => {
                let name = if client.trim().is_empty() {
                    "a client"
                } else {
                    client.trim()
                };
                match session.place.district() {
                    Some(district) => {
                        write!(f, "{name}'s {} outcall in {district}", session.start.time)
                    }
                    None => write!(f, "{name}'s {} in-call session", session.start.time),
                }
            }
            EntryKind::Blocked { note, .. } if note.trim().is_empty() => {
                write!(f, "time you blocked, {when}")
            }
            EntryKind::Blocked { note, .. } => {
                write!(f, "time you blocked, {when} ({})", note.trim())
            }
            EntryKind::Calendar { summary } if summary.trim().is_empty() => {
                write!(f, "a busy time in your calendar, {when}")
            }
            EntryKind::Calendar { summary } => {
                write!(
                    f,
                    "\u{201c}{}\u{201d} in your calendar, {when}",
                    summary.trim()
                )
            }
        }
    }
}
