//! Starts the real `booking-api` binary on a free loopback port for a test.
#![allow(dead_code)] // each test file uses a different part of this

pub(crate) mod inbox;
pub(crate) mod smtp;

use massage_core::booking::london_time::LondonDateTime;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    /// Everything the receiver has logged so far.
    log: Arc<Mutex<String>>,
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    pub(crate) async fn start(args: &[&str]) -> Self {
        Self::start_with_env(args, &[]).await
    }

    /// Starts the receiver on port 0 and reads the address it reports. Choosing a free
    /// port here and passing it on would race: tests run in parallel, and two of them
    /// could be handed the same port between its release and the child's bind.
    pub(crate) async fn start_with_env(args: &[&str], env: &[(&str, String)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_booking-api"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .stderr(Stdio::piped())
            .spawn()
            .expect("start booking-api");
        let stderr = child.stderr.take().expect("piped stderr");
        let (found, address) = std::sync::mpsc::channel();
        let log = Arc::new(Mutex::new(String::new()));
        let kept = log.clone();
        // The thread keeps draining stderr after the address line so that the
        // receiver never blocks on a full pipe, and keeps it for `logged`.
        std::thread::spawn(move || {
            let mut seen = String::new();
            let mut found = Some(found);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = kept.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
                drop(log);
                if let Some(sender) = found.as_ref() {
                    // The log line is `<time>  INFO serving on http://...`.
                    if let Some((_, base)) = line.split_once(" serving on ") {
                        let _ = sender.send(Ok(base.to_owned()));
                        found = None;
                    } else {
                        seen.push_str(&line);
                        seen.push('\n');
                    }
                }
            }
            if let Some(sender) = found {
                let _ = sender.send(Err(seen));
            }
        });
        let base =
            tokio::task::spawn_blocking(move || address.recv_timeout(Duration::from_secs(20)))
                .await
                .unwrap();
        match base {
            Ok(Ok(base)) => Self {
                child,
                base,
                // Answers as sent: the receiver's own reqwest decompresses (her calendar's
                // feed), and Cargo shares that feature with the tests' reqwest.
                client: reqwest::Client::builder().no_gzip().build().unwrap(),
                log,
            },
            Ok(Err(stderr)) => panic!("booking-api exited before listening:\n{stderr}"),
            Err(_) => panic!("booking-api did not report its address within 20 s"),
        }
    }

    /// The log so far.
    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The log lines holding every one of `parts`, once there are `count` of them (waiting
    /// for them up to 20 s: the receiver logs after it answers).
    pub(crate) async fn logged(&self, parts: &[&str], count: usize) -> Vec<String> {
        for _ in 0..400 {
            let lines: Vec<String> = self
                .log()
                .lines()
                .filter(|l| parts.iter().all(|p| l.contains(p)))
                .map(str::to_owned)
                .collect();
            if lines.len() >= count {
                return lines;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{count} log lines with {parts:?} expected in:\n{}",
            self.log()
        );
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// POSTs a booking request body with an idempotency key.
    pub(crate) async fn post(&self, key: &str, body: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/booking-requests", self.base))
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .header("idempotency-key", key)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// Stops the server the way a service manager does (SIGTERM) and waits for it.
    pub(crate) fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The stored requests, as `booking-api requests` prints them.
pub(crate) fn stored_requests(database: &Path) -> Vec<serde_json::Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_booking-api"))
        .args(["requests", "--database"])
        .arg(database)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A London time at noon, `days` from now.
pub(crate) fn noon_in(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    format!(
        "{}T12:00",
        LondonDateTime::from_utc_seconds(now + days * 86_400).date
    )
}

/// A valid in-call request body.
pub(crate) fn valid_body(name: &str) -> serde_json::Value {
    serde_json::json!({
        "service_id": "deep-tissue",
        "minutes": 60,
        "location": "in_call",
        "preferred_times": [noon_in(7)],
        "time_zone": "Europe/London",
        "name": name,
        "email": "sam@example.com",
    })
}

pub(crate) fn database(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("bookings.sqlite")
}

/// Copies a folder and everything in it (the repository's `content/`, into a test's own).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}
