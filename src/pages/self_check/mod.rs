//! The back-pain self-check: `/self-check` (what it is), `/self-check/:step` (one question
//! per screen, the step in the address so the back button works) and
//! `/self-check/result`. The rules live in content/self-check.toml and are walked by
//! massage_core::self_check; these components only show them.

// Leptos' #[component] gives each props builder `pub` items whatever the component's own
// visibility, which `unreachable_pub` reports; these modules hold components.
#[allow(unreachable_pub)]
mod intro;
#[allow(unreachable_pub)]
mod result;
#[allow(unreachable_pub)]
mod step;

use leptos::prelude::*;

pub use intro::SelfCheckIntro;
pub use step::SelfCheckStep;

/// The address of a step, or of the result.
fn step_href(step: &str) -> String {
    massage_core::pages::self_check_step(step)
}

const RESULT: &str = "result";

/// Said with JavaScript off: the check cannot be sent without it, and where the same warning
/// signs are listed instead.
#[component]
fn NeedsJavaScript() -> impl IntoView {
    view! {
        <noscript>
            <p class="notice">
                "The check needs JavaScript, which is off in this browser. The back-pain guide lists the same "
                <a href="/articles/back-pain#see-a-doctor-first">"warning signs that need a doctor first"</a> "."
            </p>
        </noscript>
    }
}
