//! Secrets that open something by being in an address: a client's link to their booking
//! (`crate::manage`) and her diary feed (`crate::diary_feed`). Each is 32 random bytes; only
//! its hash is stored, so a copy of the database opens nothing.

use base64::Engine;
use sha2::{Digest, Sha256};

/// A new secret (base64url, for an address) and the hash to store.
pub(crate) fn new() -> (String, String) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&secret);
    (secret, hash)
}

/// The hash a secret is stored as (SHA-256, hex).
pub(crate) fn hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}
