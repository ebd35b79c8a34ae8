//! Journeys for home visits, from the therapist's own table in `content/services.toml` (no
//! map service: her table is what she knows of London traffic), and the gap two things in
//! her diary need between them.

use super::{DiaryEntry, Place, Session};
use crate::booking::contact::postcode_area;
use crate::services::Scheduling;

impl Scheduling {
    /// Minutes from the studio to `postcode` (`SW1A 1AA`, or a district alone, `SW11`): the
    /// table's district entry (`SW1A`, then `SW1` for a sub-district), else its area's
    /// (`SW`). `None` where she does not travel.
    pub fn travel_from_studio(&self, postcode: &str) -> Option<u16> {
        let outward = postcode.split(' ').next().unwrap_or_default();
        let area = postcode_area(outward);
        // `SW1A` falls under `SW1`, but `SW11` does not: only a final letter is dropped.
        let district = outward
            .strip_suffix(|c: char| c.is_ascii_alphabetic())
            .filter(|d| d.len() > area.len());
        [Some(outward), district, Some(area)]
            .into_iter()
            .flatten()
            .find_map(|key| self.travel_minutes.get(key).copied())
    }

    /// Minutes from the studio to `place`. A booking confirmed somewhere the table does not
    /// know (arranged by phone) counts as the longest journey in it, never as no journey.
    pub fn journey(&self, place: &Place) -> u16 {
        match place {
            Place::Studio => 0,
            Place::Home { postcode } => self
                .travel_from_studio(postcode)
                .unwrap_or_else(|| self.longest_journey()),
        }
    }

    /// The longest journey in the table.
    pub fn longest_journey(&self) -> u16 {
        self.travel_minutes.values().copied().max().unwrap_or(0)
    }

    /// Minutes kept free next to a session at `place`.
    pub fn buffer(&self, place: &Place) -> u16 {
        match place {
            Place::Studio => self.in_call_buffer_minutes,
            Place::Home { .. } => self.outcall_buffer_minutes,
        }
    }

    /// Minutes between two places. Without a map, between two homes: the longer of the two
    /// journeys from the studio in the same postcode area, and both added up otherwise (as
    /// if across town by way of the centre): never less than either journey, so a clash is
    /// never missed for a shorter guess.
    pub fn travel_between(&self, a: &Place, b: &Place) -> u16 {
        match (a, b) {
            (Place::Studio, other) | (other, Place::Studio) => self.journey(other),
            (Place::Home { postcode: pa }, Place::Home { postcode: pb }) => {
                let (ja, jb) = (self.journey(a), self.journey(b));
                if postcode_area(pa) == postcode_area(pb) {
                    ja.max(jb)
                } else {
                    ja + jb
                }
            }
        }
    }

    /// The most a session at `place` can need between it and any diary entry: how far
    /// around a start the diary must be looked at.
    pub(crate) fn widest_gap(&self, place: &Place) -> u16 {
        let buffer = self.in_call_buffer_minutes.max(self.outcall_buffer_minutes);
        buffer + self.journey(place) + self.longest_journey()
    }
}

/// What must lie between a session and a diary entry next to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Gap {
    /// The journey from one place to the other.
    pub travel_minutes: u16,
    /// Time kept free between two sessions (none next to blocked time or her own events).
    pub buffer_minutes: u16,
}

impl Gap {
    /// The gap between `session` and `entry`, whichever comes first: the journey between
    /// their places and, when the entry is a session too, the larger of the two buffers.
    /// The same both ways round, so one number answers "before" and "after".
    pub fn between(rules: &Scheduling, session: &Session, entry: &DiaryEntry) -> Self {
        let buffer_minutes = entry.session().map_or(0, |other| {
            rules.buffer(&session.place).max(rules.buffer(&other.place))
        });
        Self {
            travel_minutes: rules.travel_between(&session.place, entry.place()),
            buffer_minutes,
        }
    }

    /// The whole gap in minutes.
    pub fn minutes(self) -> i64 {
        i64::from(self.travel_minutes) + i64::from(self.buffer_minutes)
    }
}

/// A key the travel table may use: a postcode area (`SW`) or a district (`SW11`, `SW1A`),
/// in capitals.
pub fn is_travel_key(key: &str) -> bool {
    let letters = postcode_area(key).len();
    let rest = &key.as_bytes()[letters..];
    let upper_alnum = |b: &u8| b.is_ascii_digit() || b.is_ascii_uppercase();
    key.bytes().all(|b| upper_alnum(&b))
        && (1..=2).contains(&letters)
        && (rest.is_empty() || (rest.len() <= 2 && rest[0].is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diary::fixtures::{home, rules};

    #[test]
    fn the_most_specific_entry_wins() {
        let r = rules();
        assert_eq!(r.travel_from_studio("SW11 1AA"), Some(25));
        assert_eq!(
            r.travel_from_studio("SW1A 1AA"),
            Some(20),
            "SW1A falls under SW1"
        );
        assert_eq!(r.travel_from_studio("SW1 2AB"), Some(20));
        assert_eq!(
            r.travel_from_studio("SW19 2AB"),
            Some(40),
            "SW19 is not SW1"
        );
        assert_eq!(r.travel_from_studio("SW11"), Some(25), "a district alone");
        assert_eq!(r.travel_from_studio("E1 6AN"), Some(45));
        assert_eq!(
            r.travel_from_studio("M1 1AE"),
            None,
            "she does not travel there"
        );
    }

    #[test]
    fn between_two_homes_the_journey_is_never_shorter_than_either() {
        let r = rules();
        let (sw11, sw19, e1) = (home("SW11 1AA"), home("SW19 2AB"), home("E1 6AN"));
        assert_eq!(r.travel_between(&sw11, &sw19), 40, "same area: the longer");
        assert_eq!(r.travel_between(&sw11, &e1), 25 + 45, "across town");
        assert_eq!(r.travel_between(&Place::Studio, &e1), 45);
        assert_eq!(r.travel_between(&e1, &Place::Studio), 45);
        assert_eq!(r.travel_between(&Place::Studio, &Place::Studio), 0);
        // Confirmed by phone somewhere the table does not list: the longest journey.
        assert_eq!(r.journey(&home("M1 1AE")), 60);
    }

    #[test]
    fn travel_keys_are_areas_or_districts() {
        for good in ["SW", "E", "SW11", "SW1A", "W1", "EC1V"] {
            assert!(is_travel_key(good), "{good}");
        }
        for bad in [
            "", "sw11", "SW 11", "S11W", "SWA", "SW111", "1", "SW1AA", "É",
        ] {
            assert!(!is_travel_key(bad), "{bad}");
        }
    }
}
