//! A browser-like client for the inbox over real HTTP: cookies kept by hand, redirects not
//! followed (so each answer can be checked), plain and multipart forms with the site's
//! `Origin`.

use super::Server;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use std::path::Path;

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

    fn keep_cookies(&mut self, headers: &HeaderMap) {
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

    pub(crate) async fn get(&mut self, path: &str) -> (StatusCode, HeaderMap, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.server.base))
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

    pub(crate) async fn post(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, String) {
        let response = self
            .http
            .post(format!("{}{path}", self.server.base))
            .header("cookie", self.cookie_header())
            .header(
                "x-forwarded-for",
                self.forwarded_for.as_deref().unwrap_or("127.0.0.1"),
            )
            .header("origin", &self.origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(fields))
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        self.keep_cookies(&headers);
        (status, headers, response.text().await.unwrap())
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
        let response = self
            .http
            .post(format!("{}{path}", self.server.base))
            .header("cookie", self.cookie_header())
            .header("origin", &self.origin)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        self.keep_cookies(&headers);
        (status, headers, response.text().await.unwrap())
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
}

pub(crate) fn location(headers: &HeaderMap) -> &str {
    headers.get(LOCATION).unwrap().to_str().unwrap()
}
