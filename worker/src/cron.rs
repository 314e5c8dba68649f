//! The scheduled handler: moves time-driven work forward (reminders, holds, deletions,
//! transfer approvals, auto-renewals), then retries e-mail and DNS pushes. Each step is bounded per run so
//! one invocation stays within the Workers CPU limit; the next run picks up the rest.

use coopreg_shared::lifecycle::{self, Outcome};
use worker::{D1Database, Env, Result};

use crate::{apply, clock, mail, store};

/// Records handled per kind and run.
const BATCH: u32 = 200;

pub async fn run(env: &Env) -> Result<()> {
    let db = store::db(env)?;
    let now = clock::now(&db).await?;

    // The domains whose delegation the steps changed: pushed together after the steps.
    let mut dns = Vec::new();
    // Contacts first: a timeout holds the contact's domains together with it.
    for contact in store::due_contacts(&db, now, BATCH).await? {
        let domains = store::domains_owned_by(&db, &contact.handle).await?;
        let outcome = lifecycle::tick(std::slice::from_ref(&contact), &domains, now);
        dns.extend(store_tick(env, &db, &outcome, now).await?);
    }
    // A domain's own steps need no contact; passing its owner without the owner's other
    // domains would let a due owner timeout hold only this one.
    for domain in store::due_domains(&db, now, BATCH).await? {
        let outcome = lifecycle::tick(&[], std::slice::from_ref(&domain), now);
        dns.extend(store_tick(env, &db, &outcome, now).await?);
    }
    crate::dns::push_now(env, &db, &dns, now).await;
    mail::send_due(env, &db, now, 100).await?;
    // Expired sessions and aged-out failed logins.
    crate::throttle_store::prune(&db, now).await?;
    // DNS pushes that failed or were never sent (the request's own attempt is first).
    if let Err(error) = crate::dns::send_due(env, &db, now).await {
        worker::console_warn!("cron: DNS push: {error}");
    }
    // Domains stored before migration 0010 get their auth code's lookup index.
    backfill_auth_index(&db).await?;
    // The zone file, then the escrow deposit: each once a day, one per run.
    crate::outputs::daily(env, &db, now).await?;
    Ok(())
}

/// Writes up to [`BATCH`] domains that have no `auth_index` again, unchanged but for the
/// index (the next revision; one another request wrote meanwhile is left for the next run).
async fn backfill_auth_index(db: &D1Database) -> Result<()> {
    for domain in store::domains_without_auth_index(db, BATCH).await? {
        match db.batch(vec![store::put_domain(db, &domain)?]).await {
            Ok(_) => {}
            Err(error) if store::is_write_conflict(&error) => {
                worker::console_warn!("cron: auth index of {}: {error}", domain.name.ascii);
            }
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Stores one record's time-driven steps and sends the e-mails they owe; returns the names
/// owed a DNS push. A record another request wrote since it was read is left for the next
/// run, which reads it again.
async fn store_tick(
    env: &Env,
    db: &D1Database,
    outcome: &Outcome,
    now: i64,
) -> Result<Vec<String>> {
    if outcome.is_empty() {
        return Ok(Vec::new());
    }
    let writes = apply::statements(env, db, outcome, None, now)?;
    match db.batch(writes.statements).await {
        Ok(_) => {
            mail::send_queued(env, db, &writes.mail, now).await?;
            Ok(writes.dns)
        }
        Err(error) if store::is_write_conflict(&error) => {
            worker::console_warn!("cron: {error}; retried next run");
            Ok(Vec::new())
        }
        Err(error) => Err(error),
    }
}
