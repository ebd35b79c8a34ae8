//! The banner on the editor's list of articles when an automatic publish (at start, after
//! midnight, hourly) failed: otherwise she would never learn that a scheduled article did
//! not go live, or that the site still shows her articles as they were.

use crate::publishing::Failure;
use massage_core::booking::london_time::LondonDateTime;
use maud::{Markup, html};

/// Nothing when the last automatic publish worked.
pub(super) fn banner(failure: Option<&Failure>) -> Markup {
    let Some(failure) = failure else {
        return html! {};
    };
    let when = LondonDateTime::from_utc_seconds(failure.at).for_people();
    html! {
        div class="notice error" role="alert" id="publish-failed" {
            p { strong { "The site could not be updated." } }
            p {
                "At " (when) " (London) publishing your articles automatically failed, so the site "
                "shows them as they were before (a scheduled article is not on it yet):"
            }
            ul { @for line in failure.message.lines() { li { (line) } } }
            p {
                "Fix the article it names, then publish it: the site is brought up to date "
                "(also on its own, within the hour)."
            }
        }
    }
}
