//! The inbox password: only its Argon2id hash is stored (in the database's settings), set
//! with `booking-api set-password` on the server.

use crate::store::Store;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::io::{BufRead, IsTerminal};
use std::path::Path;

/// Shorter passwords are refused: the hash protects only a password worth guessing for long.
pub(crate) const MIN_LENGTH: usize = 10;

/// Argon2id with the crate's recommended memory and time costs.
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

pub(crate) fn hash(password: &str) -> Result<String, String> {
    // A random salt per hash, from the system's random source.
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub(crate) fn verify(password: &str, stored_hash: &str) -> bool {
    // The parameters come from the stored hash, so hashes made with other costs still work.
    argon2()
        .verify_password(password.as_bytes(), stored_hash)
        .is_ok()
}

/// Reads the new password (asked twice, without echo, on a terminal; one line when piped)
/// and stores its hash. Signed-in sessions end, so a changed password locks out old ones.
pub(crate) fn set_from_stdin(database: &Path) -> Result<(), String> {
    let password = if std::io::stdin().is_terminal() {
        let first =
            rpassword::prompt_password("New inbox password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Once more: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ; nothing was changed".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if password.chars().count() < MIN_LENGTH {
        return Err(format!(
            "the password must be at least {MIN_LENGTH} characters; nothing was changed"
        ));
    }
    let store = Store::open(database).map_err(|e| format!("{}: {e}", database.display()))?;
    store
        .set_password_hash(&hash(&password)?)
        .map_err(|e| e.to_string())?;
    eprintln!("booking-api: the inbox password is set; sign in at /inbox");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_right_password_matches_its_argon2id_hash() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("correct horse"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("anything", "not a hash"));
        assert_ne!(hash("same").unwrap(), hash("same").unwrap(), "salted");
    }
}
