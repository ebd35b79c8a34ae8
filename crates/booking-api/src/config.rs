//! Command-line flags, each with an environment-variable fallback (flags win), parsed by
//! `clap` so `--help` and every error message come from one description.

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The reference receiver for booking requests; also serves the built site and the
/// therapist's inbox. See docs/booking-api.md and docs/inbox.md.
#[derive(Parser, Debug)]
#[command(
    name = "booking-api",
    args_conflicts_with_subcommands = true,
    after_help = "E-mail: set SMTP_HOST and NOTIFY_TO (and SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, \
                  SMTP_FROM, SMTP_TLS=none|starttls|tls); see docs/booking-api.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    serve: Config,
}

#[derive(Subcommand, Debug)]
enum Sub {
    /// Receive requests (the default when no command is given).
    Serve(Box<Config>),
    /// Print the stored requests as JSON lines, oldest first.
    Requests(DatabaseArg),
    /// Set the inbox password: read from standard input (asked twice on a terminal).
    SetPassword(DatabaseArg),
    /// Copy the database into a folder, checked, keeping the newest N copies.
    Backup(BackupArgs),
    /// Put a backup in place of the database (checked first; the old one is kept aside).
    Restore(RestoreArgs),
    /// Print everything stored about one client, as JSON (a subject access request).
    Export(ClientArgs),
    /// Delete everything stored about one client.
    Erase(ClientArgs),
    /// Delete one client's health summaries, keeping their bookings (consent withdrawn).
    WithdrawConsent(ClientArgs),
    /// Make a new secret address for her bookings as a calendar feed (the old one stops
    /// working), or end it with --revoke.
    DiaryFeed(DiaryFeedArgs),
}

#[derive(Args, Debug, PartialEq, Clone)]
struct DiaryFeedArgs {
    #[command(flatten)]
    database: DatabaseArg,
    /// End the feed: its address stops working, and no new one is made.
    #[arg(long)]
    revoke: bool,
}

#[derive(Args, Debug, PartialEq, Clone)]
struct BackupArgs {
    #[command(flatten)]
    database: DatabaseArg,
    /// The folder for the backups (created, readable by its owner only).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    /// How many backups to keep in the folder, newest first.
    #[arg(long, value_name = "N", default_value_t = crate::backup::DEFAULT_KEEP,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    keep: usize,
}

#[derive(Args, Debug, PartialEq, Clone)]
struct RestoreArgs {
    #[command(flatten)]
    database: DatabaseArg,
    /// The backup to restore.
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
}

#[derive(Args, Debug, PartialEq, Clone)]
struct ClientArgs {
    #[command(flatten)]
    database: DatabaseArg,
    /// The client's e-mail address, as they gave it (case and spaces do not matter).
    #[arg(long, value_name = "ADDRESS")]
    email: String,
}

#[derive(Args, Debug, PartialEq, Clone)]
struct DatabaseArg {
    /// SQLite file.
    #[arg(
        long,
        env = "BOOKING_API_DATABASE",
        value_name = "FILE",
        default_value = "var/bookings.sqlite"
    )]
    database: PathBuf,
}

#[derive(Debug, PartialEq)]
pub(crate) enum Command {
    Serve(Box<Config>),
    PrintRequests {
        database: PathBuf,
    },
    SetPassword {
        database: PathBuf,
    },
    Backup {
        database: PathBuf,
        to: PathBuf,
        keep: usize,
    },
    Restore {
        database: PathBuf,
        from: PathBuf,
    },
    /// A new address for her diary feed, or the end of it.
    DiaryFeed {
        database: PathBuf,
        revoke: bool,
    },
    /// `export`, `erase` or `withdraw-consent` for one client.
    Client {
        database: PathBuf,
        email: String,
        action: ClientAction,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ClientAction {
    Export,
    Erase,
    WithdrawConsent,
}

#[derive(Args, Debug, PartialEq, Clone)]
pub(crate) struct Config {
    /// Address to listen on.
    #[arg(long, env = "BOOKING_API_LISTEN", value_name = "ADDR", default_value = "127.0.0.1:8080",
          value_parser = parse_address)]
    pub(crate) listen: SocketAddr,
    /// SQLite file for the stored requests, created if missing.
    #[arg(
        long,
        env = "BOOKING_API_DATABASE",
        value_name = "FILE",
        default_value = "var/bookings.sqlite"
    )]
    pub(crate) database: PathBuf,
    /// Also serve the built site from DIR, like a static host (default: API only).
    #[arg(long, env = "BOOKING_API_SITE", value_name = "DIR")]
    pub(crate) site: Option<PathBuf>,
    /// A site on another origin allowed to post requests; repeatable (env: comma-separated).
    #[arg(long = "cors-origin", env = "BOOKING_API_CORS_ORIGINS", value_name = "URL",
          value_delimiter = ',', value_parser = parse_origin)]
    pub(crate) cors_origins: Vec<String>,
    /// Delete requests, their decisions and e-mails this many days after the appointment (a
    /// confirmed booking) or after they arrived (any other). Default: `retention_days` in
    /// content/services.toml, the number the privacy page states.
    #[arg(long, env = "BOOKING_API_RETENTION_DAYS", value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) retention_days: Option<u32>,
    /// New requests accepted per client per hour (IPv6 clients counted per /64).
    #[arg(long = "rate-limit", env = "BOOKING_API_RATE_LIMIT", value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) rate_limit_per_hour: u32,
    /// Behind a reverse proxy: identify clients by the address it appends to X-Forwarded-For.
    #[arg(long, env = "BOOKING_API_TRUST_PROXY", value_name = "yes|no", default_value = "no",
          action = clap::ArgAction::Set, value_parser = parse_yes_no)]
    pub(crate) trust_proxy: bool,
    /// The address people reach the site at, e.g. https://www.example.com: links in e-mails,
    /// the inbox's same-origin check, and (when https) Secure cookies.
    #[arg(long, env = "BOOKING_API_PUBLIC_URL", value_name = "URL", value_parser = parse_origin)]
    pub(crate) public_url: Option<String>,
    /// The treatment room's address, sent to a client only in the confirmation e-mail.
    #[arg(long, env = "BOOKING_API_IN_CALL_ADDRESS", value_name = "TEXT")]
    pub(crate) in_call_address: Option<String>,
    /// Back the database up into DIR on a schedule (default: no scheduled backups).
    #[arg(long, env = "BOOKING_API_BACKUP_DIR", value_name = "DIR")]
    pub(crate) backup_dir: Option<PathBuf>,
    /// How often to back up into --backup-dir: a number and s, m, h or d.
    #[arg(long, env = "BOOKING_API_BACKUP_EVERY", value_name = "TIME", default_value = "1d",
          value_parser = parse_every)]
    pub(crate) backup_every: Duration,
    /// How many backups to keep in --backup-dir, newest first.
    #[arg(long, env = "BOOKING_API_BACKUP_KEEP", value_name = "N", default_value_t = crate::backup::DEFAULT_KEEP,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub(crate) backup_keep: usize,
    /// The content folder (articles, photos): the inbox offers the article editor, which
    /// writes here and publishes into --site (default: no editor). Needs --site and --prerender.
    #[arg(long, env = "BOOKING_API_CONTENT", value_name = "DIR", requires_all = ["site", "prerender"])]
    pub(crate) content: Option<PathBuf>,
    /// The prerenderer the site was built with (`prerender`, built with the app), run when
    /// the editor publishes.
    #[arg(
        long,
        env = "BOOKING_API_PRERENDER",
        value_name = "PATH",
        requires = "content"
    )]
    pub(crate) prerender: Option<PathBuf>,
}

/// `90s`, `30m`, `12h`, `1d`.
fn parse_every(text: &str) -> Result<Duration, String> {
    let wrong = || format!("`{text}` must be a number and s, m, h or d, like 12h");
    let trimmed = text.trim();
    let unit = trimmed.chars().last().ok_or_else(wrong)?;
    let n: u64 = trimmed[..trimmed.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| wrong())?;
    let seconds = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(wrong()),
    };
    match n.checked_mul(seconds) {
        Some(s) if s > 0 => Ok(Duration::from_secs(s)),
        _ => Err(wrong()),
    }
}

fn parse_address(text: &str) -> Result<SocketAddr, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not an address like 127.0.0.1:8080"))
}

fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    if (text.starts_with("https://") || text.starts_with("http://"))
        && !text.ends_with('/')
        && text.splitn(4, '/').count() == 3
    {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "`{text}` must be an origin like https://site.example (no path)"
        ))
    }
}

fn parse_yes_no(text: &str) -> Result<bool, String> {
    match text {
        "no" | "false" | "0" | "" => Ok(false),
        "yes" | "true" | "1" => Ok(true),
        other => Err(format!("`{other}` must be yes or no")),
    }
}

/// The command to run, or clap's message (help, or what is wrong) with its exit code.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, clap::Error> {
    let cli = Cli::try_parse_from(std::iter::once("booking-api".to_owned()).chain(args))?;
    Ok(match cli.command {
        None => Command::Serve(Box::new(cli.serve)),
        Some(Sub::Serve(config)) => Command::Serve(config),
        Some(Sub::Requests(d)) => Command::PrintRequests {
            database: d.database,
        },
        Some(Sub::SetPassword(d)) => Command::SetPassword {
            database: d.database,
        },
        Some(Sub::Backup(b)) => Command::Backup {
            database: b.database.database,
            to: b.to,
            keep: b.keep,
        },
        Some(Sub::Restore(r)) => Command::Restore {
            database: r.database.database,
            from: r.from,
        },
        Some(Sub::Export(c)) => client(c, ClientAction::Export),
        Some(Sub::Erase(c)) => client(c, ClientAction::Erase),
        Some(Sub::WithdrawConsent(c)) => client(c, ClientAction::WithdrawConsent),
        Some(Sub::DiaryFeed(d)) => Command::DiaryFeed {
            database: d.database.database,
            revoke: d.revoke,
        },
    })
}

fn client(args: ClientArgs, action: ClientAction) -> Command {
    Command::Client {
        database: args.database.database,
        email: args.email,
        action,
    }
}

#[cfg(test)]
mod tests {
    //! Flags only: the environment fallbacks are clap's own `env` feature, exercised over
    //! the real binary in tests/cli.rs (setting variables here would race other tests).
    use super::*;
    use clap::CommandFactory;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn serve(list: &[&str]) -> Config {
        match parse(args(list)).unwrap() {
            Command::Serve(c) => *c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_description_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults() {
        if std::env::vars().any(|(k, _)| k.starts_with("BOOKING_API_")) {
            return; // a developer's own settings would change the defaults
        }
        let c = serve(&[]);
        assert_eq!(c.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(c.database, PathBuf::from("var/bookings.sqlite"));
        assert_eq!(
            (c.site, c.retention_days, c.rate_limit_per_hour),
            (None, None, 20)
        );
        assert!(c.cors_origins.is_empty() && !c.trust_proxy && c.public_url.is_none());
        assert_eq!((c.content, c.prerender), (None, None), "no editor");
    }

    #[test]
    fn the_editor_needs_the_site_and_the_prerenderer() {
        let c = serve(&[
            "--site",
            "dist",
            "--content",
            "content",
            "--prerender",
            "target/release/prerender",
        ]);
        assert_eq!(c.content, Some(PathBuf::from("content")));
        assert_eq!(c.prerender, Some(PathBuf::from("target/release/prerender")));
        let err = |a: &[&str]| parse(args(a)).unwrap_err().to_string();
        assert!(err(&["--content", "content", "--prerender", "p"]).contains("--site"));
        assert!(err(&["--site", "dist", "--content", "content"]).contains("--prerender"));
    }

    #[test]
    fn flags_with_or_without_the_serve_command() {
        let c = serve(&[
            "serve",
            "--listen",
            "127.0.0.1:9100",
            "--site",
            "dist",
            "--cors-origin",
            "https://c.example",
            "--cors-origin",
            "https://d.example",
            "--public-url",
            "https://www.example.com",
        ]);
        assert_eq!(c.listen.port(), 9100);
        assert_eq!(c.site, Some(PathBuf::from("dist")));
        assert_eq!(c.cors_origins, ["https://c.example", "https://d.example"]);
        assert_eq!(c.public_url.as_deref(), Some("https://www.example.com"));
        assert!(serve(&["--trust-proxy", "yes"]).trust_proxy);
        assert_eq!(serve(&["--rate-limit", "3"]).rate_limit_per_hour, 3);
    }

    #[test]
    fn backups_are_off_until_given_a_folder_then_daily() {
        if std::env::vars().any(|(k, _)| k.starts_with("BOOKING_API_")) {
            return;
        }
        let c = serve(&[]);
        assert_eq!((c.backup_dir, c.backup_keep), (None, 14));
        assert_eq!(c.backup_every, Duration::from_secs(86_400));
        let c = serve(&["--backup-dir", "var/backups", "--backup-every", "90m"]);
        assert_eq!(c.backup_dir, Some(PathBuf::from("var/backups")));
        assert_eq!(c.backup_every, Duration::from_secs(5400));
        assert_eq!(
            parse(args(&[
                "backup",
                "--database",
                "x.sqlite",
                "--to",
                "b",
                "--keep",
                "3"
            ]))
            .unwrap(),
            Command::Backup {
                database: PathBuf::from("x.sqlite"),
                to: PathBuf::from("b"),
                keep: 3
            }
        );
        assert_eq!(
            parse(args(&["erase", "--email", "Sam@Example.com"])).unwrap(),
            Command::Client {
                database: PathBuf::from("var/bookings.sqlite"),
                email: "Sam@Example.com".into(),
                action: ClientAction::Erase
            }
        );
    }

    #[test]
    fn the_other_commands_take_a_database() {
        assert_eq!(
            parse(args(&["requests", "--database", "x.sqlite"])).unwrap(),
            Command::PrintRequests {
                database: PathBuf::from("x.sqlite")
            }
        );
        assert_eq!(
            parse(args(&["set-password", "--database", "y.sqlite"])).unwrap(),
            Command::SetPassword {
                database: PathBuf::from("y.sqlite")
            }
        );
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let err = |a: &[&str]| parse(args(a)).unwrap_err().to_string();
        assert!(
            err(&["--listen"]).contains("--listen"),
            "{}",
            err(&["--listen"])
        );
        assert!(err(&["--listen", "localhost"]).contains("not an address"));
        assert!(err(&["--port", "1"]).contains("--port"));
        assert!(err(&["--retention-days", "0"]).contains("0 is not in 1.."));
        assert!(err(&["--cors-origin", "https://a.example/path/"]).contains("must be an origin"));
        assert!(err(&["--public-url", "https://a.example/inbox"]).contains("must be an origin"));
        assert!(err(&["--trust-proxy", "maybe"]).contains("yes or no"));
        assert!(err(&["--backup-every", "daily"]).contains("like 12h"));
        assert!(err(&["--backup-every", "0h"]).contains("like 12h"));
        assert!(err(&["backup", "--to", "b", "--keep", "0"]).contains("0 is not in 1.."));
    }
}
