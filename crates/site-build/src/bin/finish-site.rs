//! `finish-site [--content DIR] SITE`: the last build step (Trunk's post_build hook, after
//! `site-build` and `prerender`). Writes the PNG icons, the web app manifest and the service
//! worker, which name the files Trunk built, then a brotli and a gzip copy of every text file,
//! so each is compressed once, at the best level, instead of on every request.

use site_build::finish::finish;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (content, site) = match args.as_slice() {
        [site] => (PathBuf::from("content"), PathBuf::from(site)),
        [flag, content, site] if flag == "--content" => {
            (PathBuf::from(content), PathBuf::from(site))
        }
        _ => {
            eprintln!("usage: finish-site [--content DIR] SITE");
            return ExitCode::from(2);
        }
    };
    match finish(&content, &site) {
        Ok(summary) => {
            eprintln!("finish-site: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
