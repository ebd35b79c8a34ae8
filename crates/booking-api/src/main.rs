//! `booking-api`: the reference receiver for booking requests (docs/booking-api.md), which
//! also serves the built site so that one process runs the whole product on one machine.

mod api;
mod availability;
mod backup;
mod calendar_feed;
mod change_mail;
mod client_mail;
mod commands;
mod config;
mod content_folder;
mod diary;
mod diary_feed;
mod endpoint;
mod expiry;
mod health;
mod ics;
mod inbox;
mod logging;
mod manage;
mod notify;
mod password;
mod plain_form;
mod private_pages;
mod publishing;
mod rate_limit;
mod secret;
mod site;
mod site_files;
mod store;

use api::Api;
use axum::Router;
use axum::routing::{get, post};
use axum::serve::{Listener, ListenerExt};
use config::{Command, Config};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::utc_timestamp;
use massage_core::services::Catalog;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use store::Store;

/// The services the site was built with: the receiver checks requests against the same file.
const SERVICES_TOML: &str = include_str!("../../../content/services.toml");

#[tokio::main]
async fn main() -> ExitCode {
    let command = match config::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(e) => {
            // Help and version go to stdout with success; mistakes to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match command {
        Command::PrintRequests { database } => commands::print_requests(&database),
        Command::SetPassword { database } => password::set_from_stdin(&database),
        Command::Backup { database, to, keep } => commands::backup(&database, &to, keep),
        Command::Restore { database, from } => commands::restore(&database, &from),
        Command::DiaryFeed { database, revoke } => commands::diary_feed(&database, revoke),
        Command::Client {
            database,
            email,
            action,
        } => commands::client(&database, &email, action),
        Command::Serve(config) => {
            logging::init();
            serve(*config).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("booking-api: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let catalog =
        Catalog::from_toml("content/services.toml", SERVICES_TOML).map_err(|e| e.to_string())?;
    let mailer = notify::Mailer::from_env(|k| std::env::var(k).ok())?.map(Arc::new);
    // The article editor: with a content folder, the inbox writes articles there and
    // publishes them into the site (publishing.rs). Caught up before the site is read, so
    // the first visitor sees her articles (and, deployed, so there is a site at all).
    let publisher = match (&config.content, &config.site, &config.prerender) {
        (Some(content), Some(site), Some(prerender)) => {
            let publisher = Arc::new(publishing::Publisher::new(
                content,
                site,
                prerender,
                config.site_build.as_deref(),
                mailer.clone(),
            )?);
            publishing::start(&publisher).await?;
            Some(publisher)
        }
        _ => None,
    };
    // Read the site before touching the database, so a wrong --site fails fast.
    let site_files = config
        .site
        .as_deref()
        .map(site_files::SiteFiles::load)
        .transpose()
        .map_err(|e| e.to_string())?
        .map(Arc::new);
    let store = Arc::new(
        Store::open(&config.database).map_err(|e| format!("{}: {e}", config.database.display()))?,
    );
    let calendar = match config.calendar_feed.clone() {
        Some(url) => {
            let feed = calendar_feed::CalendarFeed::open(&store, url, &config, &catalog).await?;
            tokio::spawn(feed.clone().run(store.clone()));
            Some(feed)
        }
        None => None,
    };
    let api = Arc::new(Api {
        store,
        catalog,
        limiter: rate_limit::RateLimiter::new(config.rate_limit_per_hour),
        in_flight: Default::default(),
        stored: Default::default(),
        trust_proxy: config.trust_proxy,
        public_url: config.public_url.clone(),
        in_call_address: config.in_call_address.clone(),
        site: config.site.clone(),
        calendar,
    });
    let health = Arc::new(health::Health {
        store: api.store.clone(),
        mail_attempts: mailer.as_ref().map(|m| m.max_attempts),
        backup_every: config.backup_dir.as_ref().map(|_| config.backup_every),
        // Two runs of the schedule missed in a row, unless told.
        backup_max_age: config
            .backup_max_age
            .or(config.backup_dir.as_ref().map(|_| 2 * config.backup_every)),
        started_at: api::now_seconds(),
        backup_failure: Default::default(),
        calendar: api.calendar.clone(),
        publisher: publisher.clone(),
    });
    let inbox = Arc::new(inbox::Inbox::new(api.clone(), publisher.is_some()));
    if let Some(publisher) = &publisher {
        tokio::spawn(publishing::publish_when_due(publisher.clone()));
    }
    // The privacy page states services.toml's period; a different one set here is allowed
    // (a stricter one, say) but said, since the page would then be wrong.
    let stated = u32::from(api.catalog.practice.retention_days);
    let retention_days = config.retention_days.unwrap_or(stated);
    if retention_days != stated {
        tracing::warn!(
            retention_days,
            stated,
            "--retention-days differs from retention_days in content/services.toml, which the privacy page states"
        );
    }
    tokio::spawn(purge_regularly(api.clone(), retention_days));
    tokio::spawn(expiry::run(api.clone()));
    let manage = Arc::new(manage::Manage::new(api.clone()));
    match &mailer {
        Some(mailer) => {
            tokio::spawn(notify::run(api.clone(), mailer.clone()));
        }
        None => tracing::warn!(
            "e-mail notifications are off (set SMTP_HOST and NOTIFY_TO to turn them on)"
        ),
    }
    if config.backup_dir.is_none() && health.backup_max_age.is_some() {
        // Backups made outside (a timer): only their age can tell that they stopped.
        tokio::spawn(backup::watch_age(health.clone(), mailer.clone()));
    }
    if let Some(dir) = &config.backup_dir {
        tokio::spawn(backup::on_schedule(
            backup::Schedule {
                database: config.database.clone(),
                dir: dir.clone(),
                every: config.backup_every,
                keep: config.backup_keep,
            },
            health.clone(),
            mailer.clone(),
        ));
    }

    let endpoint = Router::new()
        .route(
            api::PATH,
            post(endpoint::submit).fallback(api::method_not_allowed),
        )
        .route(
            availability::PATH,
            get(availability::free).fallback(api::method_not_allowed),
        )
        .layer(site::cors(&config.cors_origins))
        .with_state(api.clone())
        .merge(diary_feed::router(api.clone()))
        .merge(plain_form::router(api))
        .merge(inbox::router(inbox, publisher))
        .merge(manage::router(manage))
        .merge(health::router(health));
    let app = site::router(config.site.as_deref().zip(site_files), endpoint)
        .layer(axum::middleware::from_fn(logging::request_log));
    // Every accepted socket gets TCP_NODELAY: a response is written as headers, then body,
    // and with Nagle's algorithm on, the body waits for the client's (delayed, ~40 ms) ACK of
    // the headers, so each keep-alive request stalled about 44 ms (issue 21).
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("{}: {e}", config.listen))?
        .tap_io(|socket| {
            if let Err(e) = socket.set_nodelay(true) {
                tracing::warn!(error = %e, "could not set TCP_NODELAY");
            }
        });
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!("serving on http://{address}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())
}

/// Deletes requests past the retention period (kept from the appointment for a confirmed
/// booking, else from its last change: see `Store::purge`), and the answers to their
/// idempotency keys with them, and time she blocked that ended over a year ago (beyond the
/// diary's reach): at start, then every six hours.
async fn purge_regularly(api: Arc<Api>, retention_days: u32) {
    loop {
        let now = api::now_seconds();
        let cutoff = now - i64::from(retention_days) * 86_400;
        let (arrived, appointment) = (
            utc_timestamp(cutoff),
            LondonDateTime::from_utc_seconds(cutoff).to_string(),
        );
        let blocked_before = now / 60 - massage_core::diary::blocking::REACH_DAYS * 1440;
        match api
            .store
            .call(move |s| {
                Ok((
                    s.purge(&arrived, &appointment)?,
                    s.forget_blocked_before(blocked_before)?,
                ))
            })
            .await
        {
            Ok((requests, blocked)) => {
                if requests > 0 {
                    tracing::info!(
                        deleted = requests,
                        retention_days,
                        "deleted requests past the retention period"
                    );
                }
                if blocked > 0 {
                    tracing::info!(deleted = blocked, "deleted time blocked over a year ago");
                }
            }
            Err(e) => tracing::error!(error = %e, "could not delete old requests"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(6 * 3600)).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM. axum then stops accepting connections and lets requests
/// in progress finish (each is committed before it is answered), so none is lost.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down");
}
