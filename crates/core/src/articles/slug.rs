//! Heading ids: one function makes an id from a heading's text, one keeps ids unique within
//! an article. Explicit `{#id}`s win over both (the Markdown pipeline applies them first).

use std::collections::HashSet;

/// `"What results to expect?"` → `"what-results-to-expect"`: lowercase, letters and digits
/// (accents folded), one hyphen between words, no punctuation.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in crate::articles::search::normalize(text).chars() {
        {
            if c.is_alphanumeric() {
                if pending_hyphen && !slug.is_empty() {
                    slug.push('-');
                }
                pending_hyphen = false;
                slug.push(c);
            } else if !crate::articles::search::is_apostrophe(c) {
                // Apostrophes join ("don't" → "dont"); everything else separates words.
                pending_hyphen = true;
            }
        }
    }
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

/// Hands out ids that are unique within one article: the second "Aftercare" becomes
/// "aftercare-1", the third "aftercare-2".
#[derive(Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
}

impl UniqueIds {
    /// Reserves ids chosen explicitly by the author, so generated ids never collide with them.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_owned())
    }

    /// `base` if it is free, else `base-1`, `base-2`, ...; the id returned is taken from now on.
    pub fn unique(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unused suffix exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_hyphenated_words() {
        assert_eq!(slugify("What results to expect?"), "what-results-to-expect");
        assert_eq!(slugify("  Heat, or ice?  "), "heat-or-ice");
        assert_eq!(slugify("Don't push through pain"), "dont-push-through-pain");
        assert_eq!(
            slugify("DOMS: the soreness that comes later"),
            "doms-the-soreness-that-comes-later"
        );
        assert_eq!(slugify("Café à la crème"), "cafe-a-la-creme");
        assert_eq!(slugify("6–12 weeks"), "6-12-weeks");
        assert_eq!(slugify("?!"), "section");
    }

    #[test]
    fn duplicates_get_numbered_suffixes() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("aftercare".into()), "aftercare");
        assert_eq!(ids.unique("aftercare".into()), "aftercare-1");
        assert_eq!(ids.unique("aftercare".into()), "aftercare-2");
    }

    #[test]
    fn generated_ids_avoid_reserved_explicit_ids() {
        let mut ids = UniqueIds::default();
        assert!(ids.reserve("faq"));
        assert_eq!(ids.unique("faq".into()), "faq-1");
        assert!(!ids.reserve("faq"));
    }
}
