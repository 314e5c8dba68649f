//! E-mail: MIME rendering with lettre, the outbox, and sending through the `send_email`
//! binding.
//!
//! Nothing is lost: a message is written to `outbox` in the same D1 batch as the change that
//! owes it ([`enqueue`]), sent right after, and retried by cron with exponential backoff until
//! it is sent. A message is marked sent only after the binding accepted it, and each attempt
//! first claims the row, so a retry never sends a message twice.

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

/// The statement that stores `letter` in the outbox; run it in the same batch as the change.
pub fn enqueue(
    env: &Env,
    db: &D1Database,
    letter: &Letter,
    now: i64,
) -> Result<D1PreparedStatement> {
    let id = crypto::random_id()?;
    let raw = render(env, letter, &id, now)?;
    db.prepare(
        "INSERT INTO outbox (id, created_at, to_addr, subject, raw, status, attempts, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?2)",
    )
    .bind(&[
        id.into(),
        (now as f64).into(),
        letter.to.as_str().into(),
        letter.subject.as_str().into(),
        raw.into(),
    ])
}

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
    for message in due {
        // Claim the row: push its next attempt out first, so a concurrent run skips it.
        let backoff = 60i64 << message.attempts.clamp(0, 11);
        let claimed = db
            .prepare(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2
                 WHERE id = ?1 AND status = 'pending' AND attempts = ?3",
            )
            .bind(&[
                message.id.as_str().into(),
                ((now + backoff) as f64).into(),
                (message.attempts as f64).into(),
            ])?
            .run()
            .await?;
        if claimed.meta()?.and_then(|meta| meta.changes).unwrap_or(0) != 1 {
            continue;
        }
        match deliver(env, &message).await {
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
                .bind(&[message.id.as_str().into(), (now as f64).into()])?
                .run()
                .await?;
                sent += 1;
            }
            Err(error) => {
                let status = if message.attempts + 1 >= MAX_ATTEMPTS {
                    "failed"
                } else {
                    "pending"
                };
                worker::console_warn!(
                    "e-mail {} not sent (attempt {}): {error}",
                    message.id,
                    message.attempts + 1
                );
                db.prepare("UPDATE outbox SET status = ?2, last_error = ?3 WHERE id = ?1")
                    .bind(&[
                        message.id.as_str().into(),
                        status.into(),
                        error.to_string().into(),
                    ])?
                    .run()
                    .await?;
            }
        }
    }
    Ok(sent)
}

async fn deliver(env: &Env, message: &Pending) -> Result<()> {
    let binding = env.send_email("MAIL")?;
    let email = worker::EmailMessage::new(&sender(env), &message.to_addr, &message.raw)
        .map_err(|error| worker::Error::RustError(format!("EmailMessage: {error:?}")))?;
    binding.send(&email).await?;
    Ok(())
}
