//! What the self-check advised in this tab, said before the booking form: the header's and
//! footer's booking links stay on every page, so a visitor can reach `/book` straight from
//! "call 999". The form stays usable (they may have been seen since); the therapist learns
//! what the check said only if the visitor attaches their answers.

use super::form::now_seconds;
use crate::components::layout::NavLink;
use crate::state::self_check;
use leptos::prelude::*;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::self_check::{Advice, Level};

/// The notice for the outcome the self-check reached in this tab, if it needs one.
#[component]
pub(crate) fn SelfCheckNotice() -> impl IntoView {
    self_check::advice().and_then(notice)
}

fn notice(advice: Advice) -> Option<AnyView> {
    let heading = format!("Your self-check result: {}", advice.title);
    let what = match advice.level {
        Level::Emergency => view! {
            <p>"Massage is not safe until a doctor has seen you. Call 999 or go to your nearest A&E now."</p>
            <p><a class="button button--danger" href="tel:999">"Call 999"</a></p>
        }
        .into_any(),
        Level::Urgent => view! {
            <p>"Please ask your GP practice for an urgent appointment, or call NHS 111, before any massage."</p>
            <p><a class="button button--danger" href="tel:111">"Call NHS 111"</a></p>
        }
        .into_any(),
        Level::CheckFirst => {
            let step = advice.next_steps.first().cloned().unwrap_or_default();
            view! { <p>"Please get checked before your massage. " {step}</p> }.into_any()
        }
        Level::Wait => {
            let today = LondonDateTime::from_utc_seconds(now_seconds()).date;
            let first = advice.earliest_booking_day(today).unwrap_or(today);
            let days = advice.wait_days.unwrap_or(0);
            return Some(
                view! {
                    <section class="notice self-check-notice self-check-notice--wait" aria-labelledby="self-check-notice">
                        <h2 id="self-check-notice">{heading}</h2>
                        <p>{format!("Wait until after the first {days} days: the earliest day you can choose below is {}.", first.long())}</p>
                    </section>
                }
                .into_any(),
            );
        }
        Level::Suitable => return None,
    };
    Some(
        view! {
            <section class=format!("notice self-check-notice self-check-notice--{}", advice.level.slug()) aria-labelledby="self-check-notice">
                <h2 id="self-check-notice">{heading}</h2>
                {what}
                <p>
                    "If a doctor has seen you since and said massage is fine, you can still send a request below. "
                    "You can attach your self-check answers to it, so your therapist knows what the check said."
                </p>
                <p><NavLink href="/self-check/result">"See your self-check result again"</NavLink></p>
            </section>
        }
        .into_any(),
    )
}
