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
    // Boxed: the server's settings dwarf every other command's.
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
    /// How old the newest backup may be before /healthz fails and the therapist is e-mailed
    /// (once): set it when backups are made outside the receiver (a systemd timer running
    /// `booking-api backup`). Default: twice --backup-every with --backup-dir, else unchecked.
    #[arg(long, env = "BOOKING_API_BACKUP_MAX_AGE", value_name = "TIME", value_parser = parse_every)]
    pub(crate) backup_max_age: Option<Duration>,
    /// Her own calendar's secret ICS address (Google, iCloud, Outlook; webcal:// too): its
    /// busy times hold her diary. A secret: only its host is ever logged or shown.
    #[arg(long, env = "BOOKING_API_CALENDAR_FEED", value_name = "URL", hide_env_values = true,
          value_parser = FeedUrlParser)]
    pub(crate) calendar_feed: Option<FeedUrl>,
    /// How often to fetch --calendar-feed: a number and s, m, h or d (at least 1m).
    #[arg(long, env = "BOOKING_API_CALENDAR_FEED_EVERY", value_name = "TIME", default_value = "10m",
          value_parser = parse_every)]
    pub(crate) calendar_feed_every: Duration,
    /// Her e-mail addresses in that calendar, comma-separated, when not the practice's own
    /// (services.toml) or NOTIFY_TO: an invitation she declined there holds no time.
    #[arg(
        long,
        env = "BOOKING_API_CALENDAR_FEED_OWNER",
        value_name = "EMAILS",
        value_delimiter = ','
    )]
    pub(crate) calendar_feed_owner: Vec<String>,
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
    /// The freshly built site (a deployed build's `dist/`), when --site is a live copy of
    /// it kept across restarts: at start, and whenever the live site is not from this build,
    /// her content is published onto a copy of it that then replaces the live site (if that
    /// is refused, the live site stays). Default: publish onto --site itself.
    #[arg(
        long,
        env = "BOOKING_API_SITE_BUILD",
        value_name = "DIR",
        requires = "content"
    )]
    pub(crate) site_build: Option<PathBuf>,
}

/// The shortest --calendar-feed-every for a real calendar: providers refresh their feeds
/// every few minutes at best, and asking more often only costs them (and may get refused).
/// A feed on this machine (the tests') may be asked every second.
const MIN_FEED_EVERY: Duration = Duration::from_secs(60);

impl Config {
    /// What the flags cannot say one by one: a feed asked for more often than allowed.
    fn check(&self) -> Result<(), String> {
        match &self.calendar_feed {
            Some(feed) if !feed.is_loopback() && self.calendar_feed_every < MIN_FEED_EVERY => {
                Err("--calendar-feed-every: at least 1m for a calendar on another machine".into())
            }
            _ => Ok(()),
        }
    }
}

/// Her calendar's secret address. Its `Debug` (and anything that prints it) shows only the
/// host: whoever has the whole address can read her calendar.
#[derive(Clone, PartialEq)]
pub(crate) struct FeedUrl(reqwest::Url);

impl FeedUrl {
    /// The whole address, to fetch it.
    pub(crate) fn secret(&self) -> &reqwest::Url {
        &self.0
    }

    /// The host (and port) alone, `calendar.google.com`: what logs and pages may say.
    pub(crate) fn host(&self) -> String {
        let host = self.0.host_str().unwrap_or_default();
        match self.0.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    /// Whether it is on this machine (`127.0.0.1`, `[::1]`, `localhost`): only then may it
    /// be plain http.
    pub(crate) fn is_loopback(&self) -> bool {
        is_loopback(&self.0)
    }
}

/// Whether `url`'s host is this machine.
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl std::fmt::Debug for FeedUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FeedUrl({}/…)", self.host())
    }
}

/// Reads `--calendar-feed` without ever repeating it: clap's own message for a value it
/// refuses quotes the value, and this one is a secret.
#[derive(Clone)]
struct FeedUrlParser;

impl TypedValueParser for FeedUrlParser {
    type Value = FeedUrl;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FeedUrl, clap::Error> {
        value
            .to_str()
            .ok_or_else(|| "the calendar feed must be an https:// address".to_owned())
            .and_then(parse_feed_url)
            .map_err(|e| {
                clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!("--calendar-feed: {e}\n"),
                )
            })
    }
}

/// An `https://` address (`webcal://`, as Google and iCloud write their subscription links,
/// is the same address over https); plain `http://` only on this machine, since the address
/// is a secret and the calendar private.
fn parse_feed_url(text: &str) -> Result<FeedUrl, String> {
    let text = text.trim();
    let whole = || {
        "the calendar feed must be a whole address, like https://calendar.example/…/basic.ics"
            .to_owned()
    };
    let text = match text.split_once("://") {
        Some(("webcal" | "webcals", rest)) => format!("https://{rest}"),
        Some(("https" | "http", _)) => text.to_owned(),
        _ => return Err("the calendar feed must be an https:// (or webcal://) address".into()),
    };
    let authority = text.split_once("://").map_or("", |(_, rest)| rest);
    if authority.starts_with('/') || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(whole());
    }
    let url = reqwest::Url::parse(&text).map_err(|_| whole())?;
    if url.host_str().is_none_or(str::is_empty) || !url.username().is_empty() {
        return Err(whole());
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err("the calendar feed must be an https:// address: over http its secret address and your calendar travel unencrypted".into());
    }
    Ok(FeedUrl(url))
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
    let command = match cli.command {
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
    };
    if let Command::Serve(config) = &command {
        config.check().map_err(|e| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("{e}\n"))
        })?;
    }
    Ok(command)
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
        assert_eq!(c.site_build, None, "the live site is the build");
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
        assert!(err(&["--site", "site", "--site-build", "dist"]).contains("--content"));
        let c = serve(&[
            "--site",
            "/var/lib/booking-api/site",
            "--site-build",
            "/opt/booking-api/current/dist",
            "--content",
            "content",
            "--prerender",
            "p",
        ]);
        assert_eq!(
            c.site_build,
            Some(PathBuf::from("/opt/booking-api/current/dist"))
        );
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
        assert_eq!(c.backup_max_age, None);
        assert_eq!(
            serve(&["--backup-max-age", "36h"]).backup_max_age,
            Some(Duration::from_secs(36 * 3600))
        );
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
    fn her_calendar_feed_is_off_until_given_and_its_address_is_never_printed() {
        if std::env::vars().any(|(k, _)| k.starts_with("BOOKING_API_")) {
            return;
        }
        let c = serve(&[]);
        assert_eq!(c.calendar_feed, None);
        assert_eq!(c.calendar_feed_every, Duration::from_secs(600));
        assert!(c.calendar_feed_owner.is_empty());
        let c = serve(&[
            "--calendar-feed",
            "webcal://p01-caldav.icloud.com/published/2/SECRET",
            "--calendar-feed-every",
            "2m",
            "--calendar-feed-owner",
            "me@icloud.com,Me@Example.com",
        ]);
        let feed = c.calendar_feed.unwrap();
        assert_eq!(
            feed.secret().as_str(),
            "https://p01-caldav.icloud.com/published/2/SECRET"
        );
        assert_eq!(feed.host(), "p01-caldav.icloud.com");
        assert!(!feed.is_loopback());
        assert_eq!(c.calendar_feed_every, Duration::from_secs(120));
        assert_eq!(c.calendar_feed_owner, ["me@icloud.com", "Me@Example.com"]);
        assert!(!format!("{feed:?}").contains("SECRET"));
        let err = |a: &[&str]| parse(args(a)).unwrap_err().to_string();
        for bad in [
            "calendar.google.com/SECRET",
            "ftp://a.example/SECRET",
            "https:///SECRET",
            "https://user:SECRET@a.example/x.ics",
            "https://a.example/SECRET two.ics",
        ] {
            let message = err(&["--calendar-feed", bad]);
            assert!(
                message.contains("calendar feed must be"),
                "{bad}: {message}"
            );
            assert!(!message.contains("SECRET"), "{message}");
        }
        // Plain http carries the secret unencrypted: only on this machine.
        let message = err(&["--calendar-feed", "http://calendar.example/SECRET.ics"]);
        assert!(message.contains("must be an https:// address"), "{message}");
        assert!(!message.contains("SECRET"), "{message}");
        let local = serve(&[
            "--calendar-feed",
            "http://127.0.0.1:8999/SECRET.ics",
            "--calendar-feed-every",
            "1s",
        ]);
        let feed = local.calendar_feed.unwrap();
        assert!(feed.is_loopback());
        assert_eq!(feed.host(), "127.0.0.1:8999");
        // Every second only on this machine.
        let message = err(&[
            "--calendar-feed",
            "https://calendar.example/SECRET.ics",
            "--calendar-feed-every",
            "30s",
        ]);
        assert!(message.contains("at least 1m"), "{message}");
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
