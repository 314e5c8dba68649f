//! The zone export: pages through D1 in `ORDER BY name` order, projects each domain to now,
//! feeds [`ZoneWriter`] and streams the body into R2. The header (SOA serial) comes last, from
//! the content hash: the same content keeps its serial and its stored body (the new body is
//! deleted), a change gets [`next_serial`] and a new `zone_exports` row. The file served is
//! the stored header followed by the stored body, so two exports of one state are identical.
//!
//! Domains the writer refuses (bad stored data) are left out and logged by name; they never
//! stop the export.

use coopreg_shared::lifecycle::{project_domain, ContactRecord};
use coopreg_shared::model::{Nameserver, Timestamp};
use coopreg_shared::zone::{next_serial, ZoneConfig, ZoneDomain, ZoneWriter};
use futures_util::StreamExt;
use worker::{D1Database, Env, Response, Result};

use super::sink::R2Sink;
use crate::registry_store::{self, ZoneExportRow};

/// Domains read per D1 query.
const PAGE: u32 = 500;

/// What an export did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ZoneExport {
    pub serial: u32,
    pub content_hash: String,
    pub changed: bool,
    pub published: u64,
    pub skipped: u64,
    pub refused: Vec<String>,
}

/// The zone parameters: [`ZoneConfig::default`] with the apex name servers of the
/// `ZONE_APEX_NAMESERVERS` variable (`host=addr,addr host=addr`), when set.
pub fn config(env: &Env) -> Result<ZoneConfig> {
    let mut config = ZoneConfig::default();
    if let Ok(var) = env.var("ZONE_APEX_NAMESERVERS") {
        let text = var.to_string();
        let apex: Vec<Nameserver> = text
            .split_whitespace()
            .map(|entry| {
                let (host, addresses) = entry.split_once('=').unwrap_or((entry, ""));
                Nameserver {
                    host: host.to_ascii_lowercase(),
                    addresses: addresses
                        .split(',')
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect(),
                }
            })
            .collect();
        if !apex.is_empty() {
            config.apex_nameservers = apex;
        }
    }
    config.check().map_err(|problem| {
        worker::Error::RustError(format!("zone configuration: {}", problem.message))
    })?;
    Ok(config)
}

fn yyyymmdd(now: Timestamp) -> u32 {
    super::day_of(now).replace('-', "").parse().unwrap_or(0)
}

/// Exports the zone as it is at `now`.
pub async fn export(env: &Env, db: &D1Database, now: Timestamp) -> Result<ZoneExport> {
    let config = config(env)?;
    let publish_processing = crate::store::setting(db, "publish_processing")
        .await?
        .is_some_and(|value| value == "true");
    let mut writer = ZoneWriter::new(config.clone())
        .map_err(|problem| worker::Error::RustError(problem.message))?;
    let body_key = format!(
        "zone/body-{now}-{}.txt",
        hex::encode(crate::crypto::random_bytes::<4>()?)
    );
    let mut sink = R2Sink::new(super::bucket(env)?, body_key.clone());
    let mut refused = Vec::new();
    let written = write_body(
        db,
        now,
        publish_processing,
        &mut writer,
        &mut sink,
        &mut refused,
    )
    .await;
    if let Err(error) = written {
        sink.abort().await;
        return Err(error);
    }
    let body_bytes = sink.finish().await?;
    let summary = writer.finish();

    let previous = registry_store::latest_zone(db).await?;
    let (previous_serial, previous_hash) = previous.as_ref().map_or((0, ""), |row| {
        (row.serial as u32, row.content_hash.as_str())
    });
    let serial = next_serial(
        previous_serial,
        previous_hash,
        &summary.content_hash,
        yyyymmdd(now),
    );
    let changed = previous.is_none() || previous_hash != summary.content_hash;
    if changed {
        let header = config
            .header(serial)
            .map_err(|problem| worker::Error::RustError(problem.message))?;
        registry_store::insert_zone(
            db,
            &ZoneExportRow {
                serial: i64::from(serial),
                content_hash: summary.content_hash.clone(),
                header,
                body_key,
                body_bytes: body_bytes as i64,
                published: summary.published_domains as i64,
                skipped: summary.skipped_domains as i64,
                created_at: now,
                checked_at: now,
            },
        )
        .await?;
    } else {
        // Same content: the stored body is the same bytes; keep it and drop the new one.
        super::bucket(env)?.delete(&body_key).await?;
        registry_store::touch_zone(db, i64::from(serial), now).await?;
    }
    Ok(ZoneExport {
        serial,
        content_hash: summary.content_hash,
        changed,
        published: summary.published_domains,
        skipped: summary.skipped_domains,
        refused,
    })
}

async fn write_body(
    db: &D1Database,
    now: Timestamp,
    publish_processing: bool,
    writer: &mut ZoneWriter,
    sink: &mut R2Sink,
    refused: &mut Vec<String>,
) -> Result<()> {
    let mut after = String::new();
    loop {
        let domains = registry_store::domain_page(db, &after, PAGE).await?;
        let owners = registry_store::owners_of_domain_page(db, &after, PAGE).await?;
        let Some(last) = domains.last() else {
            return Ok(());
        };
        after = last.name.ascii.clone();
        let mut chunk = String::new();
        for stored in &domains {
            let owner: Option<&ContactRecord> = owners.iter().find(|c| c.handle == stored.owner);
            // A name freed by now is simply not in the zone.
            let Some(domain) = project_domain(stored, owner, now) else {
                continue;
            };
            let entry = ZoneDomain {
                published: domain.is_published(publish_processing),
                ds: domain.ds_records,
                name: domain.name,
                nameservers: domain.nameservers,
            };
            if let Err(problem) = writer.write_domain_into(&entry, &mut chunk) {
                worker::console_error!(
                    "zone: {} left out: {} ({})",
                    entry.name.ascii,
                    problem.message,
                    problem.field
                );
                refused.push(entry.name.ascii.clone());
            }
        }
        sink.write(&chunk).await?;
        if domains.len() < PAGE as usize {
            return Ok(());
        }
    }
}

/// The latest zone file: its stored header, then its body streamed from R2.
pub async fn download(env: &Env, db: &D1Database) -> Result<Option<Response>> {
    let Some(latest) = registry_store::latest_zone(db).await? else {
        return Ok(None);
    };
    let Some(object) = super::bucket(env)?.get(&latest.body_key).execute().await? else {
        return Err(worker::Error::RustError(format!(
            "zone body {} is missing from R2",
            latest.body_key
        )));
    };
    let body = object
        .body()
        .ok_or_else(|| worker::Error::RustError("zone body without content".into()))?
        .stream()?;
    let header = futures_util::stream::once(async move {
        Ok::<Vec<u8>, worker::Error>(latest.header.into_bytes())
    });
    let mut response = Response::from_stream(header.chain(body))?;
    let headers = response.headers_mut();
    headers.set("content-type", "text/plain; charset=utf-8")?;
    headers.set(
        "content-disposition",
        &format!("attachment; filename=\"coop.zone.{}.txt\"", latest.serial),
    )?;
    headers.set("cache-control", "no-store")?;
    headers.set("x-zone-serial", &latest.serial.to_string())?;
    Ok(Some(response))
}
