//! Data compiled into the app by `build.rs` from `content/`, parsed once on first use.

use massage_core::self_check::SelfCheckRules;
use massage_core::services::{Catalog, Practice};
use std::sync::OnceLock;

const SERVICES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/services.json"));
const SELF_CHECK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/self-check.json"));

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    // build.rs wrote this JSON from a validated Catalog, so it always parses.
    CATALOG
        .get_or_init(|| serde_json::from_str(SERVICES_JSON).expect("services.json from build.rs"))
}

pub fn practice() -> &'static Practice {
    &catalog().practice
}

/// The self-check's questions and outcomes, checked at build time (every path ends in an
/// outcome, every link exists).
pub fn self_check_rules() -> &'static SelfCheckRules {
    static RULES: OnceLock<SelfCheckRules> = OnceLock::new();
    RULES.get_or_init(|| {
        serde_json::from_str(SELF_CHECK_JSON).expect("self-check.json from build.rs")
    })
}
