//! Data compiled into the app by `build.rs` from `content/`, parsed once on first use.

use massage_core::services::{Catalog, Practice};
use std::sync::OnceLock;

const SERVICES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/services.json"));

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    // build.rs wrote this JSON from a validated Catalog, so it always parses.
    CATALOG
        .get_or_init(|| serde_json::from_str(SERVICES_JSON).expect("services.json from build.rs"))
}

pub fn practice() -> &'static Practice {
    &catalog().practice
}
