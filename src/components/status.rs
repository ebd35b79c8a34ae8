//! Messages for things that could not be loaded.

use crate::library_client::LoadError;
use leptos::prelude::*;

/// A load failure, said plainly, with a way to try again (a reload refetches everything).
#[component]
pub fn LoadFailed(error: LoadError) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.to_string()}</p>
            <button type="button" class="button" on:click=|_| { let _ = window().location().reload(); }>
                "Try again"
            </button>
        </div>
    }
}
