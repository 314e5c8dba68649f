//! `GET /health`: version, build information, a D1 round trip and the DNS push: whether a
//! hidden primary is configured (`DNS_API_URL`), and how many pushes are pending or failing.

use serde::Serialize;
use worker::{Env, Response, Result};

use crate::{clock, http, store};

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    build: Build,
    storage: store::StorageHealth,
    dns: Dns,
    now: String,
}

#[derive(Serialize)]
struct Dns {
    configured: bool,
    /// "pushing to <url>" or "DNS is not configured (DNS_API_URL is not set)".
    status: String,
    #[serde(flatten)]
    outbox: crate::dns_store::OutboxState,
}

#[derive(Serialize)]
struct Build {
    commit: &'static str,
    built_at: &'static str,
    dev_tools: bool,
}

pub async fn get(env: &Env) -> Result<Response> {
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    let storage = match store::health_round_trip(&db, now).await {
        Ok(storage) => storage,
        Err(error) => return http::internal("health", &error),
    };
    let dns = match crate::dns::api(env) {
        Some(_) => Dns {
            configured: true,
            // Where the hidden primary is stays out of this public answer.
            status: "pushing changes to the hidden primary".to_string(),
            outbox: crate::dns_store::outbox_state(&db)
                .await
                .unwrap_or_default(),
        },
        None => Dns {
            configured: false,
            status: "DNS is not configured (DNS_API_URL is not set): the zone reaches name \
                     servers only through the daily zone file"
                .to_string(),
            outbox: crate::dns_store::OutboxState::default(),
        },
    };
    let body = Health {
        dns,
        status: if storage.ok { "ok" } else { "degraded" },
        version: env!("CARGO_PKG_VERSION"),
        build: Build {
            commit: option_env!("COOPREG_GIT_COMMIT").unwrap_or("unknown"),
            built_at: option_env!("COOPREG_BUILT_AT").unwrap_or("unknown"),
            dev_tools: cfg!(feature = "dev-tools"),
        },
        storage,
        now: chrono::DateTime::from_timestamp(now, 0)
            .map(|at| at.to_rfc3339())
            .unwrap_or_default(),
    };
    http::json(if body.storage.ok { 200 } else { 503 }, &body)
}
