//! Full-text search over the library: case- and accent-insensitive, prefix matching (so
//! results appear while a word is still being typed), ranked title > summary > body.
//!
//! The index is a separate static file fetched on first use; `SearchIndex::new` prepares it
//! once (sorted word lists per field), so each keystroke is a few binary searches per article.

use serde::{Deserialize, Serialize};

/// One article as stored in the search index file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The article's address name: `/articles/{slug}`.
    pub slug: String,
    /// Weighted highest in ranking.
    pub title: String,
    /// Weighted between the title and the body.
    pub summary: String,
    /// The article's text without Markdown syntax.
    pub body: String,
}

/// Field weights: a word in the title says far more about an article than one in its body.
const TITLE: u32 = 100;
const SUMMARY: u32 = 30;
const BODY: u32 = 10;

/// The search index prepared for querying: each field's words, sorted.
pub struct SearchIndex {
    docs: Vec<PreparedDoc>,
}

struct PreparedDoc {
    slug: String,
    title: Words,
    summary: Words,
    body: Words,
}

/// The distinct normalised words of a field, sorted, with how often each occurs.
struct Words(Vec<(String, u32)>);

impl Words {
    fn new(text: &str) -> Self {
        let mut words: Vec<String> = words(text).map(|(_, w)| w).collect();
        words.sort_unstable();
        let mut counted: Vec<(String, u32)> = Vec::new();
        for w in words {
            match counted.last_mut() {
                Some((last, n)) if *last == w => *n += 1,
                _ => counted.push((w, 1)),
            }
        }
        Self(counted)
    }

    /// Occurrences of words starting with `prefix`.
    fn count_prefix(&self, prefix: &str) -> u32 {
        let start = self.0.partition_point(|(w, _)| w.as_str() < prefix);
        self.0[start..]
            .iter()
            .take_while(|(w, _)| w.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }
}

/// An article that matches a query, and how well.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The matching article.
    pub slug: String,
    /// Higher is a better match; results are sorted by it.
    pub score: u32,
}

impl SearchIndex {
    /// Prepares the index once, when the file is fetched.
    pub fn new(docs: &[SearchDoc]) -> Self {
        let docs = docs
            .iter()
            .map(|d| PreparedDoc {
                slug: d.slug.clone(),
                title: Words::new(&d.title),
                summary: Words::new(&d.summary),
                body: Words::new(&d.body),
            })
            .collect();
        Self { docs }
    }

    /// Articles containing every word of the query (the last one may be unfinished), best
    /// first. Ties keep the index's order, which is newest first.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let terms = query_terms(query);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .docs
            .iter()
            .filter_map(|doc| {
                let mut score = 0;
                for term in &terms {
                    let in_title = doc.title.count_prefix(term);
                    let in_summary = doc.summary.count_prefix(term);
                    let in_body = doc.body.count_prefix(term);
                    if in_title + in_summary + in_body == 0 {
                        return None;
                    }
                    // Where a word appears matters most; how often, a little (capped so a
                    // long article cannot outrank a title match by repetition).
                    score += TITLE * u32::from(in_title > 0)
                        + SUMMARY * u32::from(in_summary > 0)
                        + BODY * u32::from(in_body > 0)
                        + in_body.min(5);
                }
                Some(Hit {
                    slug: doc.slug.clone(),
                    score,
                })
            })
            .collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        hits
    }
}

/// The normalised words of a query, in order, without repeats.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for (_, w) in words(query) {
        if !terms.contains(&w) {
            terms.push(w);
        }
    }
    terms
}

/// Lowercases and folds accents, so "Épaule" and "epaule" match.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold(c) {
            Some(ascii) => out.push_str(ascii),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether `c` is an apostrophe (straight or curly). Apostrophes join the letters around
/// them ("don't" is one word, `dont`), in search words and in heading ids alike.
pub fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// The words of `text` with their byte ranges in `text`, each normalised. A word is a run of
/// letters and digits; apostrophes inside a word are dropped ("don't" → "dont").
pub fn words(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, String)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                break;
            }
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut end = start;
        let mut word = String::new();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                word.push_str(&normalize(c.encode_utf8(&mut [0; 4])));
            } else if !is_apostrophe(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some((start..end, word))
    })
}

/// `text` cut into runs, each marked whether it is a word matching one of `terms`, for
/// highlighting without building HTML (the UI wraps matched runs in <mark>).
pub fn highlight(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut last = 0;
    for (range, word) in words(text) {
        if terms.iter().any(|t| word.starts_with(t.as_str())) {
            if range.start > last {
                parts.push((text[last..range.start].to_owned(), false));
            }
            parts.push((text[range.clone()].to_owned(), true));
            last = range.end;
        }
    }
    if last < text.len() {
        parts.push((text[last..].to_owned(), false));
    }
    parts
}

/// About `max_chars` of `text` around the first word matching a term, cut at word
/// boundaries, with ellipses where it was cut. `None` when no word matches.
pub fn snippet(text: &str, terms: &[String], max_chars: usize) -> Option<String> {
    let (hit, _) = words(text).find(|(_, w)| terms.iter().any(|t| w.starts_with(t.as_str())))?;
    let before = max_chars / 3;
    let mut start = text[..hit.start]
        .char_indices()
        .rev()
        .nth(before)
        .map(|(i, _)| i)
        .unwrap_or(0);
    if start > 0 {
        // Move forward to the start of a word.
        start = text[start..]
            .find(char::is_whitespace)
            .map(|i| start + i + 1)
            .unwrap_or(start);
    }
    let mut end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map(|(i, _)| start + i)
        .unwrap_or(text.len());
    if end < text.len() {
        end = text[..end]
            .rfind(char::is_whitespace)
            .filter(|&i| i > hit.end)
            .unwrap_or(end);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('\u{2026}');
    }
    out.push_str(text[start..end].trim());
    if end < text.len() {
        out.push('\u{2026}');
    }
    Some(out)
}

/// Latin letters with accents, U+00C0 to U+017F, as the ASCII letter they are written
/// with (`é` is `e`, `ł` is `l`); `*` for the few written with two letters (`fold`), a space
/// for what is not a letter (`×`, `÷`). Checked against `deunicode` in tests/differential.rs.
const LATIN: &[u8; 192] = b"aaaaaa*ceeeeiiiidnooooo ouuuuy**aaaaaa*ceeeeiiiidnooooo ouuuuy*yaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnn***oooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";

/// The lowercase ASCII a Latin letter with an accent is folded to, so that "cafe" finds
/// "Café" and heading ids stay ASCII.
fn fold(c: char) -> Option<&'static str> {
    // Romanian's s and t with a comma below, the two Latin Extended-B letters UK visitors
    // are likely to write.
    if let '\u{218}'..='\u{21b}' = c {
        return Some(if c < '\u{21a}' { "s" } else { "t" });
    }
    let at = (c as usize).checked_sub(0xC0)?;
    match *LATIN.get(at)? {
        b' ' => None,
        b'*' => Some(match c {
            '\u{c6}' | '\u{e6}' => "ae",
            '\u{de}' | '\u{fe}' => "th",
            '\u{df}' => "ss",
            '\u{132}' | '\u{133}' => "ij",
            '\u{14a}' | '\u{14b}' => "ng",
            '\u{152}' | '\u{153}' => "oe",
            // U+0149, an apostrophe and n: apostrophes join the letters around them.
            _ => "n",
        }),
        letter => {
            let at = usize::from(letter - b'a');
            Some(&LETTERS[at..=at])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(slug: &str, title: &str, summary: &str, body: &str) -> SearchDoc {
        SearchDoc {
            slug: slug.into(),
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
        }
    }

    fn slugs(index: &SearchIndex, q: &str) -> Vec<String> {
        index.search(q).into_iter().map(|h| h.slug).collect()
    }

    #[test]
    fn ranks_title_above_summary_above_body() {
        let index = SearchIndex::new(&[
            doc(
                "body",
                "Desk work",
                "Posture",
                "Your shoulders and sciatica sciatica sciatica sciatica sciatica sciatica.",
            ),
            doc("summary", "Running", "Sciatica and running", "Legs."),
            doc("title", "Sciatica explained", "Nerves", "Legs."),
        ]);
        assert_eq!(slugs(&index, "sciatica"), ["title", "summary", "body"]);
    }

    #[test]
    fn matching_ignores_case_and_accents_and_completes_the_last_word() {
        let index = SearchIndex::new(&[doc("a", "Épaule raide", "", "Piriformis stretches")]);
        assert_eq!(slugs(&index, "EPAULE"), ["a"]);
        assert_eq!(slugs(&index, "épaulé"), ["a"]);
        assert_eq!(slugs(&index, "pirif"), ["a"]);
        assert_eq!(slugs(&index, "iformis"), Vec::<String>::new());
    }

    #[test]
    fn every_word_of_the_query_must_match() {
        let index = SearchIndex::new(&[
            doc("both", "Neck", "", "shoulder tension"),
            doc("one", "Neck", "", "headache"),
        ]);
        assert_eq!(slugs(&index, "neck shoulder"), ["both"]);
        assert!(index.search("   ").is_empty());
        assert!(index.search("?!").is_empty());
    }

    #[test]
    fn equal_scores_keep_index_order() {
        let index = SearchIndex::new(&[
            doc("newer", "Massage", "", ""),
            doc("older", "Massage", "", ""),
        ]);
        assert_eq!(slugs(&index, "massage"), ["newer", "older"]);
    }

    #[test]
    fn words_keep_apostrophes_inside_and_report_ranges() {
        let text = "Don't – stop, café!";
        let found: Vec<_> = words(text).collect();
        assert_eq!(
            found.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>(),
            ["dont", "stop", "cafe"]
        );
        assert_eq!(&text[found[2].0.clone()], "café");
    }

    #[test]
    fn highlight_marks_matching_words_only() {
        let terms = query_terms("back pai");
        let parts = highlight("Back pain, backache and a painting.", &terms);
        let marked: Vec<&str> = parts
            .iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(marked, ["Back", "pain", "backache", "painting"]);
        let joined: String = parts.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, "Back pain, backache and a painting.");
    }

    #[test]
    fn snippets_show_the_match_in_context() {
        let text = "One two three four five six seven eight nine ten piriformis eleven twelve thirteen fourteen fifteen sixteen";
        let s = snippet(text, &query_terms("piri"), 40).unwrap();
        assert!(s.contains("piriformis"), "{s}");
        assert!(s.starts_with('\u{2026}') && s.ends_with('\u{2026}'), "{s}");
        assert!(s.chars().count() <= 44, "{s}");
        assert_eq!(snippet(text, &query_terms("zzz"), 40), None);
        assert_eq!(
            snippet("short piriformis", &query_terms("piri"), 40).unwrap(),
            "short piriformis"
        );
    }
}
