//! The inbox as a browser uses it (cookies kept by hand, no redirects followed), and the
//! e-mails it sends read as their reader sees them: shared by the inbox's tests and those of
//! what happens after a request.

use super::smtp::Messages;
use super::{Server, database};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use serde_json::Value;
use std::path::Path;

pub(crate) const PASSWORD: &str = "a long test password";

pub(crate) fn set_password(db: &Path, password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_booking-api"))
        .args(["set-password", "--database"])
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

/// A browser-like client for the inbox: keeps its cookies by hand and never follows
/// redirects, so each answer can be checked.
pub(crate) struct Browser<'a> {
    pub(crate) server: &'a Server,
    pub(crate) http: reqwest::Client,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) origin: String,
    /// The client address a trusted proxy would report (`--trust-proxy yes`).
    pub(crate) forwarded_for: Option<String>,
}

pub(crate) fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let value: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of a hidden field in a page.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

impl<'a> Browser<'a> {
    pub(crate) fn new(server: &'a Server) -> Self {
        Self {
            server,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Vec::new(),
            origin: server.base.clone(),
            forwarded_for: None,
        }
    }

    pub(crate) fn keep_cookies(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (name, rest) = text.split_once('=').unwrap();
            let value = rest.split(';').next().unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !text.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    pub(crate) fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends `request` as this browser does: its cookies and client address on the way out,
    /// the cookies it is given kept.
    async fn send(&mut self, request: reqwest::RequestBuilder) -> (StatusCode, HeaderMap, String) {
        let response = request
            .header("cookie", self.cookie_header())
            .header(
                "x-forwarded-for",
                self.forwarded_for.as_deref().unwrap_or("127.0.0.1"),
            )
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        self.keep_cookies(&headers);
        (status, headers, response.text().await.unwrap())
    }

    pub(crate) async fn get(&mut self, path: &str) -> (StatusCode, HeaderMap, String) {
        let request = self.http.get(format!("{}{path}", self.server.base));
        self.send(request).await
    }

    pub(crate) async fn post(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, String) {
        let request = self
            .http
            .post(format!("{}{path}", self.server.base))
            .header("origin", &self.origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(fields));
        self.send(request).await
    }

    /// Sends a `multipart/form-data` form (the article editor's), with a file when given as
    /// (field, file name, bytes).
    pub(crate) async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, Vec<u8>)>,
    ) -> (StatusCode, HeaderMap, String) {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        if let Some((name, file_name, bytes)) = file {
            form = form.part(
                name.to_owned(),
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
            );
        }
        let request = self
            .http
            .post(format!("{}{path}", self.server.base))
            .header("origin", &self.origin)
            .multipart(form);
        self.send(request).await
    }

    /// Opens the sign-in page (for `next`) and sends `password`.
    pub(crate) async fn sign_in(
        &mut self,
        next: &str,
        password: &str,
    ) -> (StatusCode, HeaderMap, String) {
        let (status, _, page) = self.get(&format!("/inbox/sign-in?next={next}")).await;
        assert_eq!(status, 200, "{page}");
        let token = hidden(&page, "token");
        let next = hidden(&page, "next");
        self.post(
            "/inbox/sign-in",
            &[("token", &token), ("next", &next), ("password", password)],
        )
        .await
    }

    /// The CSRF token on an inbox page.
    pub(crate) async fn csrf(&mut self, path: &str) -> String {
        let (status, _, page) = self.get(path).await;
        assert_eq!(status, 200, "{page}");
        hidden(&page, "csrf")
    }

    /// The CSRF token and the request's version (`seen`) on a request's page: what each of
    /// its forms sends.
    pub(crate) async fn form_tokens(&mut self, path: &str) -> (String, String) {
        let (status, _, page) = self.get(path).await;
        assert_eq!(status, 200, "{page}");
        (hidden(&page, "csrf"), hidden(&page, "seen"))
    }
}

pub(crate) fn location(headers: &HeaderMap) -> &str {
    headers.get(LOCATION).unwrap().to_str().unwrap()
}

pub(crate) async fn start(dir: &tempfile::TempDir, env: &[(&str, String)]) -> Server {
    start_with(dir, &[], env).await
}

/// The receiver on `dir`'s database, with the inbox password set, and `args` besides.
pub(crate) async fn start_with(
    dir: &tempfile::TempDir,
    args: &[&str],
    env: &[(&str, String)],
) -> Server {
    let db = database(dir);
    let output = set_password(&db, PASSWORD);
    assert!(output.status.success(), "{output:?}");
    let mut all = vec!["--database", db.to_str().unwrap()];
    all.extend_from_slice(args);
    Server::start_with_env(&all, env).await
}

pub(crate) async fn send_request(server: &Server, key: &str, body: &Value) -> String {
    let response = server.post(key, &body.to_string()).await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) fn status_of(db: &Path, reference: &str) -> (String, Option<String>) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT status, confirmed_time FROM booking_requests WHERE reference = ?1",
        [reference],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// The calendar invite in an e-mail, as sent (7bit or base64).
pub(crate) fn ics_of(mail: &str) -> String {
    let start = mail.find("BEGIN:VCALENDAR");
    let text = match start {
        Some(start) => {
            let end = mail.find("END:VCALENDAR").unwrap() + "END:VCALENDAR".len();
            mail[start..end].to_owned()
        }
        None => {
            use base64::Engine;
            let part = mail
                .split("invite.ics")
                .nth(1)
                .expect("an invite.ics attachment");
            let encoded: String = part
                .split("\n\n")
                .nth(1)
                .unwrap()
                .lines()
                .take_while(|l| !l.starts_with("--"))
                .collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .unwrap(),
            )
            .unwrap()
        }
    };
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

pub(crate) fn utc_start(ics: &str) -> String {
    let calendar: Calendar = ics.parse().unwrap();
    let event = calendar.events().next().unwrap();
    match event.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t.to_rfc3339(),
        other => panic!("{other:?}"),
    }
}

/// An e-mail as its reader sees it: quoted-printable text decoded.
pub(crate) fn readable(mail: &str) -> String {
    if !mail.contains("quoted-printable") {
        return mail.to_owned();
    }
    let joined = mail.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find_mail(messages: &[String], to: &str, about: &str) -> Option<(String, String)> {
    messages
        .iter()
        .find(|m| m.contains(&format!("To: {to}")) && readable(m).contains(about))
        .map(|m| (readable(m), m.clone()))
}

/// The e-mail to `to` whose text mentions `about`, as its reader sees it, and as sent.
pub(crate) fn mail_to(messages: &[String], to: &str, about: &str) -> (String, String) {
    find_mail(messages, to, about)
        .unwrap_or_else(|| panic!("no e-mail to {to} about {about}: {messages:#?}"))
}

/// Waits until an e-mail to `to` mentioning `about` has arrived (or fails after 10 s): it as
/// read, and as sent.
pub(crate) async fn mail(messages: &Messages, to: &str, about: &str) -> (String, String) {
    for _ in 0..100 {
        if let Some(found) = find_mail(&messages.lock().unwrap(), to, about) {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    mail_to(&messages.lock().unwrap(), to, about)
}

/// `/api/availability`'s answer for a 60-minute in-call deep tissue: each day it gives,
/// with its free starts.
pub(crate) async fn availability(server: &Server) -> Vec<(String, Vec<String>)> {
    let response = reqwest::get(format!(
        "{}/api/availability?service_id=deep-tissue&minutes=60&location=in_call",
        server.base
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let answer: Value = response.json().await.unwrap();
    answer["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let starts = d["starts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect();
            (d["date"].as_str().unwrap().to_owned(), starts)
        })
        .collect()
}

/// The starts `/api/availability` offers on `day` for a 60-minute in-call deep tissue; the
/// day must be in the answer.
pub(crate) async fn free_starts_on(server: &Server, day: &str) -> Vec<String> {
    availability(server)
        .await
        .into_iter()
        .find(|(date, _)| date == day)
        .map(|(_, starts)| starts)
        .unwrap_or_else(|| panic!("{day} is not in the availability answer"))
}
