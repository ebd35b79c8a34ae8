//! What the inbox says about her own calendar's feed (`crate::calendar_feed`): the banners
//! at the top of every page while it cannot be read, and the note on days it is not known
//! for. Plain words for her phone; the technical detail is in the log and `/healthz`.

use crate::calendar_feed::FeedStatus;
use massage_core::booking::london_time::LondonDateTime;

/// Next to a time on a day her calendar is not known for.
pub(super) const NOT_KNOWN_FOR_TIME: &str =
    "Your calendar is not known for this day: check it before you confirm.";

/// On a diary day her calendar is not known for.
pub(super) const NOT_KNOWN_FOR_DAY: &str =
    "Your calendar is not known for this day: its busy times are not shown.";

/// The banners for the feed as it stands: one while it cannot be read, one naming the
/// events it holds back.
pub(super) fn banners(status: &FeedStatus) -> Vec<String> {
    let mut banners = Vec::new();
    if status.stale {
        banners.push(match status.fetched_at {
            Some(at) => format!(
                "Your calendar ({}) could not be read since {}. Anything added since may be offered to clients.",
                status.host,
                LondonDateTime::from_utc_seconds(at).for_people(),
            ),
            None => format!(
                "Your calendar ({}) has not been read yet. Until it is, times it holds may be offered to clients.",
                status.host,
            ),
        });
    }
    if !status.held_back.is_empty() {
        let names: Vec<String> = status
            .held_back
            .iter()
            .map(|title| {
                if title.is_empty() {
                    "an untitled event".to_owned()
                } else {
                    format!("\u{201c}{title}\u{201d}")
                }
            })
            .collect();
        let (these, it) = if names.len() == 1 {
            ("its", "it")
        } else {
            ("their", "them")
        };
        banners.push(format!(
            "In your calendar, {} cannot be read, so {these} times are not held here: fix {it} there, or block {these} times here.",
            list(&names),
        ));
    }
    banners
}

/// "A", "A and B", "A, B and C".
fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar_feed::FeedStatus;

    fn status(stale: bool, fetched_at: Option<i64>, held_back: &[&str]) -> FeedStatus {
        FeedStatus {
            host: "calendar.google.com".into(),
            fetched_at,
            failure: None,
            stale,
            held_back: held_back.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_calendar_that_cannot_be_read_is_said_in_plain_words() {
        assert!(banners(&status(false, Some(0), &[])).is_empty());
        // 3 December 2026, 14:05 London (GMT).
        let at = 1_796_306_700;
        assert_eq!(
            banners(&status(true, Some(at), &[])),
            [
                "Your calendar (calendar.google.com) could not be read since Thursday 3 December 2026, 14:05. Anything added since may be offered to clients."
            ]
        );
        assert_eq!(
            banners(&status(false, Some(at), &["Yoga", ""])),
            [
                "In your calendar, \u{201c}Yoga\u{201d} and an untitled event cannot be read, so their times are not held here: fix them there, or block their times here."
            ]
        );
        assert_eq!(
            banners(&status(true, None, &["Yoga"]))[1],
            "In your calendar, \u{201c}Yoga\u{201d} cannot be read, so its times are not held here: fix it there, or block its times here."
        );
    }
}
