//! The booking form's signals, shared by its sections. The decisions (when a message shows,
//! which element an error focuses) are massage-core's `booking::form`; this wires them to
//! signals and the page.

use crate::booking::draft::Draft;
use crate::dom::focus_element;
use leptos::prelude::*;
use massage_core::booking::FieldError;
use massage_core::booking::availability::Availability;
use massage_core::booking::form::{self, Shown};

/// Every handle is a signal, so the state is `Copy` and each section takes it by value.
#[derive(Clone, Copy)]
pub(crate) struct FormState {
    /// What the visitor has typed (kept on the device as the draft).
    pub draft: RwSignal<Draft>,
    /// The receiver's answer to the last request sent, until each field is changed.
    pub server_errors: RwSignal<Vec<FieldError>>,
    /// The form's own checks of the request it would send now.
    pub client_errors: Memo<Vec<FieldError>>,
    /// Which of the form's own messages the visitor sees yet.
    pub shown: RwSignal<Shown>,
    /// The receiver's free starts for the treatment, length and place chosen; `None` until
    /// it has answered (then every start is offered, and checked when the request arrives).
    pub free: RwSignal<Option<Availability>>,
    /// Changed to ask for the free starts again (a time was refused as taken since).
    pub ask_again: RwSignal<u32>,
}

impl FormState {
    /// The message next to `field`, if it shows now.
    pub(crate) fn message(self, field: &str) -> Option<String> {
        self.server_errors.with(|server| {
            self.client_errors.with(|client| {
                self.shown
                    .with(|shown| form::message_for(field, server, client, shown))
            })
        })
    }

    pub(crate) fn error(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.message(field))
    }

    /// Changes the draft; the receiver's messages about `field` are answered by the change.
    pub(crate) fn edit(self, field: &str, change: &dyn Fn(&mut Draft)) {
        self.draft.update(|d| change(d));
        self.server_errors.update(|e| form::forget(e, field));
    }

    /// The visitor has left `field`: its own message may show now.
    pub(crate) fn touch(self, field: &str) {
        self.shown.update(|s| s.left(field));
    }

    /// Moves focus to the element an error on `field` is about.
    pub(crate) fn focus_error(self, field: &str) {
        let id = self.draft.with_untracked(|d| d.element_for(field));
        focus_element(document().get_element_by_id(&id));
    }

    /// A text field of the draft, for a `TextField`'s value.
    pub(crate) fn text(self, get: fn(&Draft) -> &String) -> Signal<String> {
        Signal::derive(move || self.draft.with(|d| get(d).clone()))
    }
}
