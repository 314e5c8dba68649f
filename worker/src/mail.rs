//! E-mail: MIME rendering with lettre, the outbox, and sending through the `send_email`
//! binding.
//!
//! Nothing is lost: a message is written to `outbox` in the same D1 batch as the change that
//! owes it ([`enqueue`]), sent right after ([`send_queued`]), and retried by cron
//! ([`send_due`]) with exponential backoff until it is sent. A message is marked sent only
//! after the binding accepted it, and every attempt holds a claim on the row (the attempt
//! counted, the next one pushed out) before it sends, so a retry never sends a message
//! twice. The first claim is written with the message itself: the request that enqueued it
//! sends it without reading it back, and cron takes over only when that claim lapses.

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use worker::{D1Database, D1PreparedStatement, Env, Result};

use crate::crypto;

/// A message ready to render: plain text and HTML alternatives of the same content.
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Gives up after this many failed attempts (about two days of backoff); the row stays for
/// staff to see.
const MAX_ATTEMPTS: i64 = 12;

/// Renders `letter` as a multipart/alternative MIME message with Date, Message-ID and From.
pub fn render(env: &Env, letter: &Letter, id: &str, now: i64) -> Result<String> {
    let from_address = sender(env);
    let from: Mailbox = format!("coop registry <{from_address}>")
        .parse()
        .map_err(|error| worker::Error::RustError(format!("MAIL_FROM: {error}")))?;
    let to: Mailbox = letter
        .to
        .parse()
        .map_err(|error| worker::Error::RustError(format!("recipient: {error}")))?;
    let domain = from_address.rsplit('@').next().unwrap_or("localhost");
    let boundary = format!("coopreg-{}", crypto::random_id()?);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(letter.subject.as_str())
        .message_id(Some(format!("<{id}@{domain}>")))
        // The Date is given, not read: workerd has no system time for lettre to read.
        .date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(now.max(0) as u64))
        .multipart(
            MultiPart::alternative()
                .boundary(boundary)
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(letter.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(letter.html.clone()),
                ),
        )
        .map_err(|error| worker::Error::RustError(format!("message: {error}")))?;
    String::from_utf8(message.formatted())
        .map_err(|error| worker::Error::RustError(format!("message encoding: {error}")))
}

fn sender(env: &Env) -> String {
    env.var("MAIL_FROM")
        .map(|var| var.to_string())
        .unwrap_or_else(|_| "verify@registry.coop.test".to_string())
}

/// A message this request wrote to the outbox, claimed for it: send it with [`send_queued`]
/// once the batch that holds it has committed.
pub struct Queued {
    id: String,
    to_addr: String,
    raw: String,
}

/// The delay before another attempt after attempt number `attempts` (1, 2, …): one minute,
/// doubling up to about 34 hours.
fn backoff(attempts: i64) -> i64 {
    60i64 << (attempts - 1).clamp(0, 11)
}

/// The statement that stores `letter` in the outbox, already claimed for its first attempt;
/// run it in the same batch as the change, then send the [`Queued`] message. `quota_key` is
/// the recipient in its quota form when the letter counts toward the link e-mail quota
/// (`coopreg_shared::limits`): the outbox is where that quota is counted.
pub fn enqueue(
    env: &Env,
    db: &D1Database,
    letter: &Letter,
    quota_key: Option<&str>,
    now: i64,
) -> Result<(D1PreparedStatement, Queued)> {
    let id = crypto::random_id()?;
    let raw = render(env, letter, &id, now)?;
    let statement = db
        .prepare(
            "INSERT INTO outbox (id, created_at, to_addr, subject, raw, status, attempts, next_attempt_at, quota_key)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 1, ?6, ?7)",
        )
        .bind(&[
            id.as_str().into(),
            (now as f64).into(),
            letter.to.as_str().into(),
            letter.subject.as_str().into(),
            raw.as_str().into(),
            ((now + backoff(1)) as f64).into(),
            quota_key.map_or(wasm_bindgen::JsValue::NULL, |key| key.into()),
        ])?;
    let queued = Queued {
        id,
        to_addr: letter.to.clone(),
        raw,
    };
    Ok((statement, queued))
}

/// Sends messages this request enqueued, after their batch has committed. Returns how many
/// were sent; a failure is recorded on the row for cron to retry.
pub async fn send_queued(env: &Env, db: &D1Database, queued: &[Queued], now: i64) -> Result<u32> {
    let mut sent = 0;
    for message in queued {
        if attempt(env, db, message, 1, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// A message cron found due, with the attempts made so far.
#[derive(serde::Deserialize)]
struct Pending {
    id: String,
    to_addr: String,
    raw: String,
    attempts: i64,
}

/// Sends the messages that are due, at most `limit`. Returns how many were sent.
pub async fn send_due(env: &Env, db: &D1Database, now: i64, limit: u32) -> Result<u32> {
    let due: Vec<Pending> = db
        .prepare(
            "SELECT id, to_addr, raw, attempts FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= ?1 AND raw IS NOT NULL
             ORDER BY next_attempt_at LIMIT ?2",
        )
        .bind(&[(now as f64).into(), limit.into()])?
        .all()
        .await?
        .results()?;
    let mut sent = 0;
    for pending in due {
        // Claim the row: count the attempt and push the next one out first, so a concurrent
        // run skips it.
        let attempts = pending.attempts + 1;
        let claimed = db
            .prepare(
                "UPDATE outbox SET attempts = ?3, next_attempt_at = ?2
                 WHERE id = ?1 AND status = 'pending' AND attempts = ?4",
            )
            .bind(&[
                pending.id.as_str().into(),
                ((now + backoff(attempts)) as f64).into(),
                (attempts as f64).into(),
                (pending.attempts as f64).into(),
            ])?
            .run()
            .await?;
        if claimed.meta()?.and_then(|meta| meta.changes).unwrap_or(0) != 1 {
            continue;
        }
        let message = Queued {
            id: pending.id,
            to_addr: pending.to_addr,
            raw: pending.raw,
        };
        if attempt(env, db, &message, attempts, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// One claimed attempt (number `attempts`) at sending a message: marks it sent, or records
/// the failure (giving up after [`MAX_ATTEMPTS`]). Returns whether it was sent.
async fn attempt(
    env: &Env,
    db: &D1Database,
    message: &Queued,
    attempts: i64,
    now: i64,
) -> Result<bool> {
    let id = message.id.as_str();
    match deliver(env, &message.to_addr, &message.raw).await {
        Ok(()) => {
            // Production keeps no copy of a sent message (its links carry tokens); the
            // dev-tools build keeps it for the local outbox page.
            let clear_raw = if cfg!(feature = "dev-tools") {
                "raw"
            } else {
                "NULL"
            };
            db.prepare(format!(
                "UPDATE outbox SET status = 'sent', sent_at = ?2, last_error = NULL, raw = {clear_raw} WHERE id = ?1"
            ))
            .bind(&[id.into(), (now as f64).into()])?
            .run()
            .await?;
            Ok(true)
        }
        Err(error) => {
            let status = if attempts >= MAX_ATTEMPTS {
                "failed"
            } else {
                "pending"
            };
            worker::console_warn!("e-mail {id} not sent (attempt {attempts}): {error}");
            db.prepare("UPDATE outbox SET status = ?2, last_error = ?3 WHERE id = ?1")
                .bind(&[id.into(), status.into(), error.to_string().into()])?
                .run()
                .await?;
            Ok(false)
        }
    }
}

async fn deliver(env: &Env, to_addr: &str, raw: &str) -> Result<()> {
    let binding = env.send_email("MAIL")?;
    let email = worker::EmailMessage::new(&sender(env), to_addr, raw)
        .map_err(|error| worker::Error::RustError(format!("EmailMessage: {error:?}")))?;
    binding.send(&email).await?;
    Ok(())
}
