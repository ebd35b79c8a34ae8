//! `publish [--content DIR] [--prerender PATH] SITE`: publishes the content again on the
//! built site in SITE without compiling the app (see `site_build::publish`): `make content`
//! runs it, and it is what the receiver will run when the therapist publishes from the inbox.
//! The prerenderer defaults to the one the build uses (`target/debug/prerender`).

use site_build::publish::publish;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: publish [--content DIR] [--prerender PATH] SITE";

fn main() -> ExitCode {
    let mut content = PathBuf::from("content");
    let mut prerender = PathBuf::from("target/debug/prerender");
    let mut site = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match (arg.to_str(), site.is_none()) {
            (Some("--content"), _) => match args.next() {
                Some(v) => content = v.into(),
                None => return usage(),
            },
            (Some("--prerender"), _) => match args.next() {
                Some(v) => prerender = v.into(),
                None => return usage(),
            },
            (_, true) => site = Some(PathBuf::from(arg)),
            (_, false) => return usage(),
        }
    }
    let Some(site) = site else {
        return usage();
    };
    match publish(&content, &site, &prerender) {
        Ok(done) => {
            eprintln!("site-build: {}", done.library);
            eprintln!("finish-site: {}", done.finished);
            eprintln!(
                "publish: {} is live ({} ms)",
                site.display(),
                done.took.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            for line in message.lines() {
                eprintln!("error: {line}");
            }
            eprintln!("publish: nothing changed on {}", site.display());
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}
