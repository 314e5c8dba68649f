//! Local-only tools, compiled only with the `dev-tools` feature (never in a production deploy):
//! - `GET /dev/outbox` (HTML) and `GET /dev/outbox.json`: every e-mail the worker wrote, newest
//!   first, with the links it contains — miniflare deletes its own copies when dev stops.
//! - `GET /dev/outbox/<id>.eml`: one message as sent.
//! - `GET /dev/clock`, `POST /dev/clock` `{"advance_days": N}` or `{"advance_seconds": N}`,
//!   `DELETE /dev/clock`: the test clock that product rules (days 5, 7, 15, 30) run on.
//! - `GET /dev/body`: how many bytes the last limited body read took in, and whether it
//!   refused the body (an oversized stream is not read whole).
//! - `GET /dev/pbkdf2`: how many PBKDF2 derivations this instance ran (logins of unknown
//!   accounts must cost the same as of known ones).

use serde::{Deserialize, Serialize};
use worker::{Env, Method, Request, Response, Result};

use crate::{clock, http, store};

pub async fn handle(mut req: Request, env: &Env) -> Result<Response> {
    let db = store::db(env)?;
    let path = req.path();
    match (req.method(), path.as_str()) {
        (Method::Get, "/dev/clock") => clock_state(&db).await,
        (Method::Post, "/dev/clock") => {
            let body: ClockChange = match req.json().await {
                Ok(body) => body,
                Err(_) => {
                    return http::problem(
                        coopreg_shared::ErrorCode::MalformedInput,
                        "",
                        "Send {\"advance_days\": N} or {\"advance_seconds\": N}.",
                    )
                }
            };
            let seconds =
                body.advance_seconds.unwrap_or(0) + body.advance_days.unwrap_or(0) * 86_400;
            clock::advance(&db, seconds).await?;
            clock_state(&db).await
        }
        (Method::Delete, "/dev/clock") => {
            clock::reset(&db).await?;
            clock_state(&db).await
        }
        (Method::Get, "/dev/body") => {
            let (bytes, refused) = crate::body::last_read();
            http::json(
                200,
                &serde_json::json!({ "last_read_bytes": bytes, "last_refused": refused }),
            )
        }
        (Method::Get, "/dev/pbkdf2") => http::json(
            200,
            &serde_json::json!({ "derivations": crate::crypto::pbkdf2_derivations() }),
        ),
        (Method::Get, "/dev/outbox.json") => http::json(200, &outbox(&db).await?),
        (Method::Get, "/dev/outbox") => outbox_page(&db).await,
        (Method::Get, p) if p.starts_with("/dev/outbox/") && p.ends_with(".eml") => {
            let id = &p["/dev/outbox/".len()..p.len() - ".eml".len()];
            match store::outbox_raw(&db, id).await? {
                Some(raw) => {
                    let mut response = Response::ok(raw)?;
                    response
                        .headers_mut()
                        .set("content-type", "message/rfc822")?;
                    Ok(response)
                }
                None => http::not_found(),
            }
        }
        _ => http::not_found(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    advance_days: Option<i64>,
    advance_seconds: Option<i64>,
}

#[derive(Serialize)]
struct ClockState {
    now: i64,
    now_iso: String,
    offset_seconds: i64,
}

async fn clock_state(db: &worker::D1Database) -> Result<Response> {
    let now = clock::now(db).await?;
    http::json(
        200,
        &ClockState {
            now,
            now_iso: chrono::DateTime::from_timestamp(now, 0)
                .map(|at| at.to_rfc3339())
                .unwrap_or_default(),
            offset_seconds: clock::offset(db).await?,
        },
    )
}

#[derive(Serialize)]
struct OutboxEntry {
    id: String,
    to: String,
    subject: String,
    status: String,
    attempts: i64,
    created_at: i64,
    links: Vec<String>,
    raw: String,
}

async fn outbox(db: &worker::D1Database) -> Result<Vec<OutboxEntry>> {
    Ok(store::outbox_recent(db, 200)
        .await?
        .into_iter()
        .map(|row| {
            let raw = row.raw.unwrap_or_default();
            OutboxEntry {
                links: links_in(&raw),
                id: row.id,
                to: row.to_addr,
                subject: row.subject,
                status: row.status,
                attempts: row.attempts,
                created_at: row.created_at,
                raw,
            }
        })
        .collect())
}

/// The http(s) links of a message's text, in order, without duplicates. Quoted-printable
/// soft line breaks are undone first so long links are whole.
fn links_in(raw: &str) -> Vec<String> {
    let text = raw.replace("=\r\n", "").replace("=\n", "");
    let mut links: Vec<String> = Vec::new();
    for start in text.match_indices("http").map(|(at, _)| at) {
        let rest = &text[start..];
        if !(rest.starts_with("http://") || rest.starts_with("https://")) {
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | ')'))
            .unwrap_or(rest.len());
        let link = rest[..end].trim_end_matches(['.', ',']).to_string();
        if !links.contains(&link) {
            links.push(link);
        }
    }
    links
}

async fn outbox_page(db: &worker::D1Database) -> Result<Response> {
    let entries = outbox(db).await?;
    let mut html = String::from(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Local outbox — coopreg</title>\
         <link rel=stylesheet href=/style.css><main class=card><h1>Local outbox</h1>\
         <p>Every e-mail this local worker wrote, newest first (dev only).</p><ul>",
    );
    for entry in &entries {
        html.push_str(&format!(
            "<li><strong>{}</strong> to {} <small>({}, {} attempts)</small> — <a href=\"/dev/outbox/{}.eml\">raw</a><ul>",
            escape(&entry.subject),
            escape(&entry.to),
            escape(&entry.status),
            entry.attempts,
            escape(&entry.id)
        ));
        for link in &entry.links {
            html.push_str(&format!("<li><a href=\"{0}\">{0}</a></li>", escape(link)));
        }
        html.push_str("</ul></li>");
    }
    html.push_str("</ul></main></html>");
    Response::from_html(html)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
