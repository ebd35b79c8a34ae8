//! Command-line flags, each with an environment-variable fallback (flags win).

use std::net::SocketAddr;
use std::path::PathBuf;

pub const USAGE: &str = "usage: booking-api [--listen ADDR] [--site DIR]
  --listen ADDR  address to listen on (env BOOKING_API_LISTEN; default 127.0.0.1:8080)
  --site DIR     serve the built site from DIR, with the single-page-app fallback
                 (env BOOKING_API_SITE; default: serve no site)";

#[derive(Debug, PartialEq)]
pub struct Config {
    pub listen: SocketAddr,
    pub site: Option<PathBuf>,
}

impl Config {
    pub fn from_args(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let mut listen = env("BOOKING_API_LISTEN");
        let mut site = env("BOOKING_API_SITE");
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let slot = match flag.as_str() {
                "--listen" => &mut listen,
                "--site" => &mut site,
                "-h" | "--help" => return Err("help".into()),
                other => return Err(format!("unknown argument `{other}`")),
            };
            *slot = Some(args.next().ok_or_else(|| format!("{flag} needs a value"))?);
        }
        let listen = listen.as_deref().unwrap_or("127.0.0.1:8080");
        let listen = listen
            .parse()
            .map_err(|_| format!("--listen `{listen}` is not an address like 127.0.0.1:8080"))?;
        Ok(Self {
            listen,
            site: site.filter(|s| !s.is_empty()).map(PathBuf::from),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_to_loopback_8080_and_no_site() {
        let c = Config::from_args(args(&[]), |_| None).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(c.site, None);
    }

    #[test]
    fn flags_win_over_environment() {
        let env = |k: &str| (k == "BOOKING_API_LISTEN").then(|| "127.0.0.1:9000".to_string());
        let from_env = Config::from_args(args(&[]), env).unwrap();
        assert_eq!(from_env.listen.port(), 9000);
        let c = Config::from_args(args(&["--listen", "127.0.0.1:9100", "--site", "dist"]), env)
            .unwrap();
        assert_eq!(c.listen.port(), 9100);
        assert_eq!(c.site, Some(PathBuf::from("dist")));
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let err = |a: &[&str]| Config::from_args(args(a), |_| None).unwrap_err();
        assert!(err(&["--listen"]).contains("--listen needs a value"));
        assert!(err(&["--listen", "localhost"]).contains("not an address"));
        assert!(err(&["--port", "1"]).contains("unknown argument `--port`"));
    }
}
