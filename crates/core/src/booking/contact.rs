//! Formats people type: e-mail addresses, UK phone numbers and postcodes. Deliberately
//! forgiving about spacing and case, strict about what cannot work.

/// The longest e-mail address that can be delivered to (RFC 5321's path limit, in bytes).
pub const MAX_EMAIL: usize = 254;

/// A plausible e-mail address: one `@`, something before it, a dotted domain after it, no
/// spaces. (Only sending a message proves more.)
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && text.len() <= MAX_EMAIL
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A UK number, written with or without spaces, brackets and dashes: `020 7946 0321`,
/// `07700 900123`, `+44 7700 900123`, `+44 (0)20 7946 0321`. Returns it as `+44…` digits.
pub fn uk_phone(text: &str) -> Option<String> {
    if text
        .chars()
        .any(|c| !(c.is_ascii_digit() || " ()-+.".contains(c)))
    {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let plus = text.trim_start().starts_with('+');
    let national = if plus {
        let rest = digits.strip_prefix("44")?;
        // "+44 (0)20 ..." keeps a trunk 0 that must go.
        rest.strip_prefix('0').unwrap_or(rest).to_owned()
    } else {
        digits.strip_prefix('0')?.to_owned()
    };
    (national.len() == 10 && !national.starts_with('0')).then(|| format!("+44{national}"))
}

/// A UK postcode, normalised to upper case with one space (`SW1A 1AA`).
pub fn uk_postcode(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    // Outward code: 1-2 letters, a digit, then an optional letter or digit.
    let letters = outward.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &outward.as_bytes()[letters..];
    let outward_ok = (1..=2).contains(&letters)
        && !rest.is_empty()
        && rest.len() <= 2
        && rest[0].is_ascii_digit()
        && rest.iter().all(u8::is_ascii_alphanumeric);
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

/// The postcode area: the letters at the start (`SW1A 1AA` → `SW`).
pub fn postcode_area(postcode: &str) -> &str {
    let end = postcode.bytes().take_while(u8::is_ascii_alphabetic).count();
    &postcode[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["a@example.com", "first.last+tag@sub.example.co.uk"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "@example.com",
            "a@",
            "a@example",
            "a@@example.com",
            "a b@example.com",
            "a@.example.com",
            "a@example..com",
            "a@example.com.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn uk_phone_numbers() {
        assert_eq!(uk_phone("020 7946 0321").as_deref(), Some("+442079460321"));
        assert_eq!(uk_phone("07700 900123").as_deref(), Some("+447700900123"));
        assert_eq!(
            uk_phone("+44 7700 900123").as_deref(),
            Some("+447700900123")
        );
        assert_eq!(
            uk_phone("+44 (0)20 7946 0321").as_deref(),
            Some("+442079460321")
        );
        assert_eq!(
            uk_phone("(020) 7946-0321").as_deref(),
            Some("+442079460321")
        );
        for bad in [
            "",
            "12345",
            "7700 900123",
            "+1 202 555 0100",
            "020 7946 032",
            "020 7946 03210",
            "0800 call me",
            "00 7700 900123",
        ] {
            assert_eq!(uk_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn uk_postcodes() {
        assert_eq!(uk_postcode("sw1a1aa").as_deref(), Some("SW1A 1AA"));
        assert_eq!(uk_postcode(" W1 1AA ").as_deref(), Some("W1 1AA"));
        assert_eq!(uk_postcode("EC1V 9HX").as_deref(), Some("EC1V 9HX"));
        assert_eq!(uk_postcode("M1 1AE").as_deref(), Some("M1 1AE"));
        assert_eq!(uk_postcode("CR2 6XH").as_deref(), Some("CR2 6XH"));
        for bad in [
            "",
            "SW1A",
            "1AA SW1",
            "SW1A 1A",
            "SWA1 1AA",
            "ABC1 1AA",
            "SW1A 1AAA",
            "SW1Ä 1AA",
        ] {
            assert_eq!(uk_postcode(bad), None, "{bad}");
        }
        assert_eq!(postcode_area("SW1A 1AA"), "SW");
        assert_eq!(postcode_area("E1 6AN"), "E");
    }
}
