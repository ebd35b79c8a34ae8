//! The browser's storage, as JSON values. Two lifetimes, chosen deliberately for each thing
//! kept: `Tab` (sessionStorage: survives a reload, forgotten when the tab closes; the only
//! place health answers may go) and `Device` (localStorage: kept until removed).

use leptos::prelude::window;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    Tab,
    Device,
}

fn storage(lifetime: Lifetime) -> Option<web_sys::Storage> {
    // Prerendering at build time has no visitor, so nothing is stored: pages render as a
    // first visit would.
    if cfg!(feature = "ssr") {
        return None;
    }
    let w = window();
    match lifetime {
        Lifetime::Tab => w.session_storage(),
        Lifetime::Device => w.local_storage(),
    }
    .ok()
    .flatten()
}

/// The value under `key`, if there is one and it still reads as a `T`.
pub fn load<T: DeserializeOwned>(lifetime: Lifetime, key: &str) -> Option<T> {
    let json = storage(lifetime)?.get_item(key).ok().flatten()?;
    serde_json::from_str(&json).ok()
}

/// Stores `value`; where storage is unavailable (some private modes) the site still works,
/// it just forgets sooner.
pub fn save<T: Serialize>(lifetime: Lifetime, key: &str, value: &T) {
    if let (Some(s), Ok(json)) = (storage(lifetime), serde_json::to_string(value)) {
        let _ = s.set_item(key, &json);
    }
}

pub fn remove(lifetime: Lifetime, key: &str) {
    if let Some(s) = storage(lifetime) {
        let _ = s.remove_item(key);
    }
}
