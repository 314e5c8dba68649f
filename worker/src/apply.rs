//! Storing what the core returned: one D1 batch (a transaction) with the changed records,
//! the freed names, the history, the e-mails owed and the DNS pushes owed (`dns_outbox`, one
//! row per changed or freed domain), then sending those e-mails and pushing those
//! delegations after the response. Every route that runs a lifecycle command ends here.

use coopreg_shared::lifecycle::{self, Actor, Decision, Effect, Outcome};
use coopreg_shared::limits::quota_address;
use coopreg_shared::Problems;
use worker::{Context, D1Database, D1PreparedStatement, Env, Result};

use crate::{letters, mail, store};

/// The public origin for links in e-mails.
pub fn origin(env: &Env) -> String {
    env.var("PUBLIC_ORIGIN")
        .map(|var| var.to_string().trim_end_matches('/').to_string())
        .unwrap_or_else(|_| "http://127.0.0.1:8787".to_string())
}

/// What storing an outcome writes: the statements of one batch, and the e-mails among them
/// (claimed for this request) to send once the batch has committed.
pub struct Writes {
    pub statements: Vec<D1PreparedStatement>,
    pub mail: Vec<mail::Queued>,
    /// The domains whose delegation is owed a push (empty when DNS is not configured).
    pub dns: Vec<String>,
}

impl Writes {
    /// Adds a statement of the caller's own (an order row) to the same batch.
    pub fn push(&mut self, statement: D1PreparedStatement) {
        self.statements.push(statement);
    }
}

/// The statements for `outcome` plus its e-mails, so callers can add their own to the same
/// batch.
pub fn statements(
    env: &Env,
    db: &D1Database,
    outcome: &Outcome,
    new_name: Option<&str>,
    now: i64,
) -> Result<Writes> {
    let mut statements = store::outcome_statements(db, outcome, new_name)?;
    for effect in &outcome.effects {
        if let Effect::AllocationTokenUsed { token_hash, name } = effect {
            statements.push(store::use_allocation_token(
                db,
                token_hash,
                &format!("domain:{name}"),
                now,
            )?);
        }
    }
    let mut dns_names: Vec<String> = outcome
        .domains
        .iter()
        .map(|domain| domain.name.ascii.clone())
        .chain(outcome.freed.iter().cloned())
        .collect();
    dns_names.sort();
    dns_names.dedup();
    let dns_statements = crate::dns::owe(env, db, &dns_names, now)?;
    if dns_statements.is_empty() {
        dns_names.clear();
    }
    statements.extend(dns_statements);
    let mut queued = Vec::new();
    let origin = origin(env);
    for email in outcome.emails() {
        let quota_key = email
            .kind
            .counts_toward_link_quota()
            .then(|| quota_address(&email.to));
        let (statement, message) = mail::enqueue(
            env,
            db,
            &letters::letter(&origin, email),
            quota_key.as_deref(),
            now,
        )?;
        statements.push(statement);
        queued.push(message);
    }
    Ok(Writes {
        statements,
        mail: queued,
        dns: dns_names,
    })
}

/// Runs the writes as one transaction and sends their e-mails after the response.
pub async fn commit(
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    writes: Writes,
    now: i64,
) -> Result<()> {
    if writes.statements.is_empty() {
        return Ok(());
    }
    db.batch(writes.statements).await?;
    send_soon(env, ctx, writes.mail, now);
    crate::dns::push_soon(env, ctx, writes.dns, now);
    Ok(())
}

/// Stores `outcome` as one transaction; e-mails follow after the response.
pub async fn outcome(
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    outcome: &Outcome,
    now: i64,
) -> Result<()> {
    let writes = statements(env, db, outcome, None, now)?;
    commit(env, ctx, db, writes, now).await
}

/// Sends e-mails whose batch has committed in the background of this request (cron retries
/// what fails).
pub fn send_soon(env: &Env, ctx: &Context, mail: Vec<mail::Queued>, now: i64) {
    if mail.is_empty() {
        return;
    }
    let env = env.clone();
    ctx.wait_until(async move {
        let result = async {
            let db = store::db(&env)?;
            mail::send_queued(&env, &db, &mail, now).await
        }
        .await;
        if let Err(error) = result {
            worker::console_warn!("sending e-mail after the response failed: {error}");
        }
    });
}

/// What a stored registry decision owes: e-mails (claimed) and DNS pushes.
pub type Decided = (Outcome, Vec<mail::Queued>, Vec<String>);

/// A registry decision on a contact, by any path (staff console, staff API, signed callback):
/// the core's `staff_decision` on the contact and the domains it owns, stored in one batch
/// with the closing of the contact's open review items. `None` when there is no such contact.
/// The caller sends the e-mails the outcome owes (returned with it, claimed) and pushes the
/// delegations it owes (the names returned).
pub async fn registry_decision(
    env: &Env,
    db: &D1Database,
    handle: &str,
    decision: Decision,
    actor: Actor,
    now: i64,
) -> Result<Option<std::result::Result<Decided, Problems>>> {
    let Some(contact) = store::contact(db, handle).await? else {
        return Ok(None);
    };
    let domains = store::domains_owned_by(db, handle).await?;
    let outcome = match lifecycle::staff_decision(&contact, &domains, decision, actor.clone(), now)
    {
        Ok(outcome) => outcome,
        Err(problems) => return Ok(Some(Err(problems))),
    };
    let word = match decision {
        Decision::Approve => "approved",
        Decision::Reject => "rejected",
    };
    let mut writes = statements(env, db, &outcome, None, now)?;
    let decided_by = match &actor {
        Actor::Staff(id) => id.clone(),
        other => store::actor_label(other),
    };
    writes.push(crate::registry_store::resolve_reviews(
        db,
        handle,
        &decided_by,
        word,
        now,
    )?);
    db.batch(writes.statements).await?;
    Ok(Some(Ok((outcome, writes.mail, writes.dns))))
}
