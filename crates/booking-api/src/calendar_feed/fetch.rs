//! One fetch of her calendar's feed over HTTP: a GET with the last answer's validators
//! (`If-None-Match`, `If-Modified-Since`), gzip, a timeout and a size cap (by
//! `Content-Length`, and while reading, after decompression). No `Referer` is ever sent
//! (it would carry the secret address to wherever a redirect points), and a redirect is only
//! followed over https within the same site (iCloud hops between its `pNN-caldav` hosts).
//! A `429` or `503` with `Retry-After` is waited out.

use crate::config::{FeedUrl, is_loopback};
use reqwest::header::{
    ACCEPT, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::{StatusCode, Url, redirect};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The largest feed read: years of a busy calendar are a few megabytes.
pub(super) const MAX_FEED_BYTES: usize = 20 * 1024 * 1024;
/// How long one fetch may take, from connecting to the last byte.
pub(super) const FETCH_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
const MAX_REDIRECTS: usize = 5;
/// The longest `Retry-After` obeyed: a provider asking for days is read as a failure
/// sooner.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(6 * 3600);

/// The validators of the copy held, sent back so an unchanged feed answers `304`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Validators {
    pub(super) etag: Option<String>,
    pub(super) last_modified: Option<String>,
}

/// What the feed answered.
pub(super) enum Answer {
    /// `304`: the copy held is still the feed.
    NotModified,
    /// The feed's text, and its validators.
    Text(String, Validators),
}

/// Why a fetch gave nothing: a few words to show (`/healthz`), and the whole story for the
/// log (reqwest's own words, without the address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    /// "no answer", "answered 404 Not Found", "not a calendar", ...
    pub(crate) reason: String,
    pub(crate) detail: String,
    /// How long the feed asked to be left alone (`Retry-After`).
    pub(super) retry_after: Option<Duration>,
}

impl Failure {
    pub(super) fn new(reason: &str, detail: impl Into<String>) -> Self {
        Self {
            reason: reason.to_owned(),
            detail: detail.into(),
            retry_after: None,
        }
    }
}

pub(super) struct Fetcher {
    url: FeedUrl,
    http: reqwest::Client,
}

impl Fetcher {
    pub(super) fn new(url: FeedUrl) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!(
                "booking-api/",
                env!("CARGO_PKG_VERSION"),
                " (calendar feed)"
            ))
            .referer(false)
            .redirect(same_site_redirects(url.secret().clone()))
            .build()
            .map_err(|e| format!("the calendar feed's HTTP client: {e}"))?;
        Ok(Self { url, http })
    }

    pub(super) fn url(&self) -> &FeedUrl {
        &self.url
    }

    /// One GET, sending `validators` when a copy is held.
    pub(super) async fn get(&self, validators: Option<&Validators>) -> Result<Answer, Failure> {
        let mut request = self
            .http
            .get(self.url.secret().clone())
            .header(ACCEPT, "text/calendar, */*;q=0.5");
        if let Some(held) = validators {
            if let Some(etag) = &held.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(at) = &held.last_modified {
                request = request.header(IF_MODIFIED_SINCE, at);
            }
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| Failure::new("no answer", why(e)))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED && validators.is_some() {
            return Ok(Answer::NotModified);
        }
        if !status.is_success() {
            let mut failure = Failure::new(
                &format!("answered {status}"),
                format!("the feed answered {status}"),
            );
            if matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            ) {
                failure.retry_after = retry_after(response.headers());
            }
            return Err(failure);
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let validators = Validators {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        if response
            .content_length()
            .is_some_and(|n| n > MAX_FEED_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Failure::new("the answer broke off", why(e)))?
        {
            if bytes.len() + chunk.len() > MAX_FEED_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| Failure::new("not a calendar", "the feed is not UTF-8 text"))?;
        Ok(Answer::Text(text, validators))
    }
}

/// Follows a redirect only to https (or plain http on this machine, as in tests) within the
/// same site as `original`, at most `MAX_REDIRECTS` times.
fn same_site_redirects(original: Url) -> redirect::Policy {
    redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if may_follow(&original, attempt.url()) {
            attempt.follow()
        } else {
            attempt.error("a redirect to another site, or to plain http, was not followed")
        }
    })
}

/// Whether a redirect from the feed's address to `next` may be followed.
pub(super) fn may_follow(original: &Url, next: &Url) -> bool {
    let secure = next.scheme() == "https" || (next.scheme() == "http" && is_loopback(next));
    let (Some(from), Some(to)) = (original.host_str(), next.host_str()) else {
        return false;
    };
    secure && site(&from.to_ascii_lowercase()) == site(&to.to_ascii_lowercase())
}

/// The site a host belongs to, for redirects: `icloud.com` for `p01-caldav.icloud.com`; the
/// host itself for an address, for `localhost`, or where the rest looks like a public
/// suffix (`bbc.co.uk`: a short second-level label such as `co`, `com` or `org`), so a
/// redirect never reaches another owner's site.
fn site(host: &str) -> &str {
    let labels: Vec<&str> = host.split('.').collect();
    let numeric = host.starts_with('[') || labels.iter().all(|l| l.parse::<u8>().is_ok());
    match labels.as_slice() {
        [.., second, top] if !numeric && labels.len() >= 3 && second.len() > 3 => {
            &host[host.len() - second.len() - top.len() - 1..]
        }
        _ => host,
    }
}

/// `Retry-After` as a wait: seconds, or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// What went wrong, with its causes ("error sending request: client error (Connect):
/// received corrupt message"), without the address: reqwest's own words name it whole.
fn why(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut words = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(e) = cause {
        words.push_str(": ");
        words.push_str(&e.to_string());
        cause = e.source();
    }
    words
}

fn too_large() -> Failure {
    let words = format!("larger than {} MB", MAX_FEED_BYTES / (1024 * 1024));
    Failure::new(&words, format!("the feed is {words}"))
}

/// A hash of the feed's text without its `DTSTAMP` lines, which Google rewrites to the
/// time of each fetch: an unchanged calendar then hashes the same, and is neither read
/// again nor saved.
pub(super) fn fingerprint(text: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    let mut in_stamp = false;
    for line in text.split('\n') {
        let folded = line.starts_with([' ', '\t']);
        if !folded {
            in_stamp = line
                .get(..7)
                .is_some_and(|name| name.eq_ignore_ascii_case("DTSTAMP"))
                && line[7..].starts_with([':', ';']);
        }
        if !in_stamp {
            hash.update(line.trim_end_matches('\r').as_bytes());
            hash.update(b"\n");
        }
    }
    hash.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn redirects_stay_on_https_within_the_site() {
        let icloud = url("https://p01-caldav.icloud.com/published/2/SECRET");
        for ok in [
            "https://p02-caldav.icloud.com/published/2/SECRET",
            "https://icloud.com/x",
            "https://P01-CALDAV.icloud.com/y",
        ] {
            assert!(may_follow(&icloud, &url(ok)), "{ok}");
        }
        for refused in [
            "http://p02-caldav.icloud.com/published/2/SECRET",
            "https://evil.example/collect",
            "https://icloud.com.evil.example/x",
        ] {
            assert!(!may_follow(&icloud, &url(refused)), "{refused}");
        }
        let bbc = url("https://calendar.bbc.co.uk/x.ics");
        assert!(!may_follow(&bbc, &url("https://evil.co.uk/x")));
        assert!(may_follow(&bbc, &url("https://calendar.bbc.co.uk/y")));
        let local = url("http://127.0.0.1:8000/x.ics");
        assert!(may_follow(&local, &url("http://127.0.0.1:9000/y.ics")));
        assert!(!may_follow(&local, &url("http://127.0.0.2:9000/y.ics")));
        assert!(!may_follow(&local, &url("http://localhost:9000/y.ics")));
    }

    #[test]
    fn only_dtstamp_lines_are_left_out_of_the_fingerprint() {
        let at = |stamp: &str, summary: &str| {
            format!(
                "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTAMP:{stamp}\r\n \r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            )
        };
        let first = fingerprint(&at("20261203T100000Z", "Dentist"));
        assert_eq!(first, fingerprint(&at("20261203T101000Z", "Dentist")));
        assert_ne!(first, fingerprint(&at("20261203T100000Z", "Dentist 2")));
        assert_ne!(
            fingerprint("DTSTAMPED:1\r\n"),
            fingerprint("DTSTAMPED:2\r\n")
        );
    }

    #[test]
    fn retry_after_is_read_in_seconds_or_as_a_date_and_capped() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));
        headers.insert(RETRY_AFTER, "999999".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(MAX_RETRY_AFTER));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
