//! Command-line flags, each with an environment-variable fallback (flags win).

use std::net::SocketAddr;
use std::path::PathBuf;

pub const USAGE: &str = "usage:
  booking-api [serve] [--listen ADDR] [--database FILE] [--site DIR] [--cors-origin URL]...
                      [--retention-days N] [--rate-limit N] [--trust-proxy yes]
  booking-api requests [--database FILE]

  --listen ADDR        address to listen on (env BOOKING_API_LISTEN; default 127.0.0.1:8080)
  --database FILE      SQLite file, created if missing (env BOOKING_API_DATABASE;
                       default var/bookings.sqlite)
  --site DIR           also serve the built site from DIR, with the single-page-app fallback
                       (env BOOKING_API_SITE; default: API only)
  --cors-origin URL    a site on another origin allowed to post requests; repeatable
                       (env BOOKING_API_CORS_ORIGINS, comma-separated)
  --retention-days N   delete requests this many days after they arrive
                       (env BOOKING_API_RETENTION_DAYS; default 90)
  --rate-limit N       new requests accepted per client per hour (env BOOKING_API_RATE_LIMIT;
                       default 20)
  --trust-proxy yes    behind a reverse proxy: identify clients by the address the proxy
                       appends to X-Forwarded-For (env BOOKING_API_TRUST_PROXY; default no)

  requests             print the stored requests as JSON lines, oldest first

E-mail notifications: set SMTP_HOST and NOTIFY_TO (and SMTP_PORT, SMTP_USERNAME,
SMTP_PASSWORD, SMTP_FROM, SMTP_TLS=none|starttls|tls); see docs/booking-api.md.";

#[derive(Debug, PartialEq)]
pub enum Command {
    Serve(Config),
    PrintRequests { database: PathBuf },
}

#[derive(Debug, PartialEq, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: PathBuf,
    pub site: Option<PathBuf>,
    pub cors_origins: Vec<String>,
    pub retention_days: u32,
    pub rate_limit_per_hour: u32,
    pub trust_proxy: bool,
}

pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, String> {
    let mut args: Vec<String> = args.into_iter().collect();
    let command = match args.first().map(String::as_str) {
        Some("requests") => Some("requests"),
        Some("serve") => Some("serve"),
        _ => None,
    };
    if command.is_some() {
        args.remove(0);
    }
    let mut listen = env("BOOKING_API_LISTEN");
    let mut database = env("BOOKING_API_DATABASE");
    let mut site = env("BOOKING_API_SITE");
    let mut retention = env("BOOKING_API_RETENTION_DAYS");
    let mut rate_limit = env("BOOKING_API_RATE_LIMIT");
    let mut trust_proxy = env("BOOKING_API_TRUST_PROXY");
    let mut origins: Vec<String> = env("BOOKING_API_CORS_ORIGINS")
        .map(|list| {
            list.split(',')
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut from_flags = Vec::new();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err("help".into());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--listen" => listen = Some(value),
            "--database" => database = Some(value),
            "--site" => site = Some(value),
            "--retention-days" => retention = Some(value),
            "--rate-limit" => rate_limit = Some(value),
            "--trust-proxy" => trust_proxy = Some(value),
            "--cors-origin" => from_flags.push(value),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if !from_flags.is_empty() {
        origins = from_flags;
    }
    if let Some(bad) = origins
        .iter()
        .find(|o| !(o.starts_with("https://") || o.starts_with("http://")) || o.ends_with('/'))
    {
        return Err(format!(
            "--cors-origin `{bad}` must be an origin like https://site.example (no path)"
        ));
    }
    let database = PathBuf::from(
        database
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "var/bookings.sqlite".into()),
    );
    if command == Some("requests") {
        return Ok(Command::PrintRequests { database });
    }
    let listen = listen.as_deref().unwrap_or("127.0.0.1:8080");
    let listen = listen
        .parse()
        .map_err(|_| format!("--listen `{listen}` is not an address like 127.0.0.1:8080"))?;
    let number = |name: &str, value: Option<String>, default: u32| -> Result<u32, String> {
        match value {
            None => Ok(default),
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name} `{v}` must be a whole number above 0")),
        }
    };
    Ok(Command::Serve(Config {
        listen,
        database,
        site: site.filter(|s| !s.is_empty()).map(PathBuf::from),
        cors_origins: origins,
        retention_days: number("--retention-days", retention, 90)?,
        rate_limit_per_hour: number("--rate-limit", rate_limit, 20)?,
        trust_proxy: match trust_proxy.as_deref() {
            None | Some("no" | "false" | "0" | "") => false,
            Some("yes" | "true" | "1") => true,
            Some(other) => return Err(format!("--trust-proxy `{other}` must be yes or no")),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn serve(list: &[&str], env: impl Fn(&str) -> Option<String>) -> Config {
        match parse(args(list), env).unwrap() {
            Command::Serve(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let c = serve(&[], |_| None);
        assert_eq!(c.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(c.database, PathBuf::from("var/bookings.sqlite"));
        assert_eq!(
            (c.site, c.retention_days, c.rate_limit_per_hour),
            (None, 90, 20)
        );
        assert!(c.cors_origins.is_empty());
    }

    #[test]
    fn flags_win_over_environment() {
        let env = |k: &str| match k {
            "BOOKING_API_LISTEN" => Some("127.0.0.1:9000".to_string()),
            "BOOKING_API_CORS_ORIGINS" => Some("https://a.example, https://b.example".to_string()),
            _ => None,
        };
        let from_env = serve(&[], env);
        assert_eq!(from_env.listen.port(), 9000);
        assert_eq!(
            from_env.cors_origins,
            ["https://a.example", "https://b.example"]
        );
        let c = serve(
            &[
                "serve",
                "--listen",
                "127.0.0.1:9100",
                "--site",
                "dist",
                "--cors-origin",
                "https://c.example",
            ],
            env,
        );
        assert_eq!(c.listen.port(), 9100);
        assert_eq!(c.site, Some(PathBuf::from("dist")));
        assert_eq!(c.cors_origins, ["https://c.example"]);
        assert!(!c.trust_proxy);
        assert!(serve(&["--trust-proxy", "yes"], |_| None).trust_proxy);
    }

    #[test]
    fn the_requests_command_takes_a_database() {
        let c = parse(args(&["requests", "--database", "x.sqlite"]), |_| None).unwrap();
        assert_eq!(
            c,
            Command::PrintRequests {
                database: PathBuf::from("x.sqlite")
            }
        );
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let err = |a: &[&str]| parse(args(a), |_| None).unwrap_err();
        assert!(err(&["--listen"]).contains("--listen needs a value"));
        assert!(err(&["--listen", "localhost"]).contains("not an address"));
        assert!(err(&["--port", "1"]).contains("unknown argument `--port`"));
        assert!(err(&["--retention-days", "0"]).contains("above 0"));
        assert!(err(&["--cors-origin", "https://a.example/path/"]).contains("must be an origin"));
        assert!(err(&["--trust-proxy", "maybe"]).contains("yes or no"));
    }
}
