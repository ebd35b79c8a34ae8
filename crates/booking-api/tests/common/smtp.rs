//! A minimal SMTP server on loopback that keeps each message's data, for the e-mail tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

pub(crate) type Messages = Arc<Mutex<Vec<String>>>;

/// Mail to an address with this in it is refused at RCPT.
pub(crate) const REFUSED: &str = "refused.invalid";

/// Accepts SMTP sessions on `listener` and keeps each message's data.
pub(crate) async fn serve(listener: TcpListener, messages: Messages) {
    loop {
        let (socket, _) = listener.accept().await.unwrap();
        let messages = messages.clone();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 test ESMTP\r\n").await.unwrap();
            let mut data: Option<String> = None;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(body) = data.as_mut() {
                    if line == "." {
                        messages.lock().unwrap().push(data.take().unwrap());
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else {
                        body.push_str(&line);
                        body.push('\n');
                    }
                    continue;
                }
                let reply: &[u8] = match line
                    .get(..4)
                    .unwrap_or_default()
                    .to_ascii_uppercase()
                    .as_str()
                {
                    "EHLO" | "HELO" => b"250 test\r\n",
                    // A mailbox that does not exist, as a relay would refuse it for good.
                    "RCPT" if line.contains(REFUSED) => b"550 no such mailbox\r\n",
                    "DATA" => {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    }
                    _ => b"250 ok\r\n",
                };
                write.write_all(reply).await.unwrap();
            }
        });
    }
}

/// Starts a server on a free loopback port: its port and what it receives.
pub(crate) async fn start() -> (u16, Messages) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = Messages::default();
    tokio::spawn(serve(listener, messages.clone()));
    (port, messages)
}

/// The receiver's settings for sending to this server.
pub(crate) fn env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("SMTP_HOST", "127.0.0.1".into()),
        ("SMTP_PORT", port.to_string()),
        ("SMTP_TLS", "none".into()),
        ("NOTIFY_TO", "therapist@example.com".into()),
        ("SMTP_FROM", "site@example.com".into()),
        ("NOTIFY_RETRY_SECONDS", "1".into()),
    ]
}

/// Waits until `count` messages have arrived (or fails after 10 s).
pub(crate) async fn wait_for(messages: &Messages, count: usize) {
    for _ in 0..100 {
        if messages.lock().unwrap().len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "expected {count} e-mails, got {}",
        messages.lock().unwrap().len()
    );
}
