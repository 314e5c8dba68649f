//! The console's HTML: a page shell and the pieces every page shows. Values are escaped with
//! [`crate::pages::escape`]; pages work without JavaScript (CSP allows none).

use coopreg_shared::lifecycle::{Certification, ContactRecord, DomainRecord};
use worker::{Response, Result};

use crate::pages::escape;
use crate::store::EventRow;

/// A console page. `staff` is the signed-in member's name (shown with the logout button).
/// The referrer policy is `same-origin`, not `no-referrer`: with `no-referrer` browsers send
/// `Origin: null` on form posts and the CSRF check could not tell the console's own forms.
pub fn page(status: u16, title: &str, staff: Option<&str>, body: &str) -> Result<Response> {
    let nav = match staff {
        Some(name) => format!(
            "<nav class=\"staff-nav\"><a href=\"/staff/\">Review queue</a> \
             <a href=\"/staff/search\">Search</a> <a href=\"/staff/outputs\">Zone &amp; escrow</a> \
             <a href=\"/staff/reserved\">Reserved names</a> \
             <span class=\"muted\">Signed in as {}</span> \
             <form method=\"post\" action=\"/staff/logout\" class=\"inline\">\
             <button class=\"btn btn-secondary\" type=\"submit\">Log out</button></form></nav>",
            escape(name)
        ),
        None => String::new(),
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"same-origin\">\n\
         <title>{title} — .coop registry console</title>\n\
         <link rel=\"stylesheet\" href=\"/style.css\">\n<link rel=\"stylesheet\" href=\"/staff.css\">\n</head>\n\
         <body class=\"staff\">\n<header class=\"site-header\"><a href=\"/staff/\" class=\"brand\">.coop registry console</a>\
         {nav}</header>\n<main id=\"main\" class=\"staff-main\">\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    );
    let mut response = Response::from_html(html)?.with_status(status);
    let headers = response.headers_mut();
    headers.set("cache-control", "no-store")?;
    headers.set("content-security-policy", crate::pages::CSP)?;
    crate::pages::security_headers(headers, "same-origin")?;
    Ok(response)
}

/// A `303 See Other` to `location` (a path of the console).
pub fn see_other(location: &str, cookie: Option<&str>) -> Result<Response> {
    let mut response = Response::empty()?.with_status(303);
    let headers = response.headers_mut();
    headers.set("location", location)?;
    headers.set("cache-control", "no-store")?;
    if let Some(cookie) = cookie {
        headers.set("set-cookie", cookie)?;
    }
    Ok(response)
}

pub fn notice(text: &str) -> String {
    format!("<p class=\"notice\" role=\"status\">{}</p>", escape(text))
}

/// Where a page of the review queue is: how many contacts the queue holds, which of them this
/// page shows, and links to the newer and older pages.
pub fn queue_position(total: u32, page: u32, per_page: u32, max_page: u32) -> String {
    let first = per_page * (page - 1) + 1;
    let last = (per_page * page).min(total);
    let noun = if total == 1 { "contact" } else { "contacts" };
    let shown = if first > total {
        "none on this page".to_string()
    } else {
        format!("showing {first}–{last}, newest first")
    };
    let mut links = Vec::new();
    if page > 1 {
        let newer = page - 1;
        links.push(format!(
            "<a href=\"/staff/?page={newer}\" rel=\"prev\">← Newer</a>"
        ));
    }
    if per_page * page < total {
        if page < max_page {
            let older = page + 1;
            links.push(format!(
                "<a href=\"/staff/?page={older}\" rel=\"next\">Older →</a>"
            ));
        } else {
            links.push("<span>Older ones appear as these are decided.</span>".to_string());
        }
    }
    format!(
        "<nav class=\"pager\" aria-label=\"Review queue pages\"><p>{total} {noun} to review; {shown}.</p>{}</nav>",
        links.join(" ")
    )
}

pub fn error(text: &str) -> String {
    format!("<p class=\"error\" role=\"alert\">{}</p>", escape(text))
}

/// Percent-encodes a path segment.
pub fn segment(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub fn time(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| at.to_string())
}

/// A domain's name as staff read it: the Unicode form, with the A-label after an IDN.
pub fn domain_name(domain: &DomainRecord) -> String {
    if domain.name.unicode == domain.name.ascii {
        escape(&domain.name.ascii)
    } else {
        format!(
            "{} <span class=\"muted\">({})</span>",
            escape(&domain.name.unicode),
            escape(&domain.name.ascii)
        )
    }
}

pub fn domain_link(domain: &DomainRecord) -> String {
    format!(
        "<a href=\"/staff/domains/{}\">{}</a>",
        segment(&domain.name.ascii),
        domain_name(domain)
    )
}

pub fn contact_link(handle: &str) -> String {
    format!(
        "<a href=\"/staff/contacts/{}\">{}</a>",
        segment(handle),
        escape(handle)
    )
}

pub fn status(domain: &DomainRecord) -> String {
    format!(
        "<span class=\"status status-{}\">{}</span>",
        domain.status_word().to_ascii_lowercase(),
        escape(&domain.state.describe())
    )
}

/// The eligibility certification kept with a registration: criterion (with its text), when,
/// through which channel and, for a web order, from which IP address.
pub fn certification(certification: Option<&Certification>) -> String {
    let Some(certification) = certification else {
        return "<span class=\"muted\">not recorded (registered before certifications were kept)</span>"
            .to_string();
    };
    let criterion = match certification.criterion {
        Some(criterion) => format!(
            "<code>{}</code> — {}",
            escape(criterion.code()),
            escape(criterion.text())
        ),
        None => "<span class=\"muted\">no criterion named</span>".to_string(),
    };
    let from = certification
        .client_ip
        .as_deref()
        .map(|ip| format!(" from <code>{}</code>", escape(ip)))
        .unwrap_or_default();
    format!(
        "<span class=\"certification\">{criterion}<br>on {} through <code>{}</code>{from}</span>",
        escape(&time(certification.at)),
        escape(&certification.channel.label())
    )
}

pub fn verification(contact: &ContactRecord) -> String {
    let word = contact.verification.word();
    format!("<span class=\"status status-{word}\">{word}</span>")
}

/// A table of domains with their state and EPP statuses.
pub fn domains_table(domains: &[DomainRecord]) -> String {
    if domains.is_empty() {
        return "<p class=\"muted\">No domains.</p>".to_string();
    }
    let mut rows = String::new();
    for domain in domains {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            domain_link(domain),
            status(domain),
            escape(&domain.epp_statuses().join(" ")),
            contact_link(&domain.owner),
            escape(&domain.reseller),
        ));
    }
    format!(
        "<table class=\"staff-table\"><thead><tr><th>Domain</th><th>State</th><th>EPP status</th>\
         <th>Owner</th><th>Reseller</th></tr></thead><tbody>{rows}</tbody></table>"
    )
}

pub fn history(events: &[EventRow]) -> String {
    if events.is_empty() {
        return "<p class=\"muted\">No history.</p>".to_string();
    }
    let mut rows = String::new();
    for event in events.iter().rev() {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            escape(&time(event.at)),
            escape(&event.object),
            escape(&event.actor),
            escape(&event.from_state),
            escape(&event.to_state),
            match &event.note {
                // Staff-only: a staff member's note, the web client's address.
                Some(note) => format!(
                    "{} <span class=\"muted\">({})</span>",
                    escape(&event.reason),
                    escape(note)
                ),
                None => escape(&event.reason),
            },
        ));
    }
    format!(
        "<table class=\"staff-table history\"><thead><tr><th>When</th><th>Object</th><th>Who</th>\
         <th>Change</th><th>Why</th></tr></thead><tbody>{rows}</tbody></table>"
    )
}

/// A POST form with one button and an optional note field.
pub fn action_form(action: &str, label: &str, danger: bool, note: Option<&str>) -> String {
    let field = note.map_or_else(String::new, |placeholder| {
        format!(
            "<label class=\"inline-label\">Reason <input name=\"note\" type=\"text\" maxlength=\"500\" \
             placeholder=\"{}\"></label> ",
            escape(placeholder)
        )
    });
    let class = if danger { "btn btn-danger" } else { "btn" };
    format!(
        "<form method=\"post\" action=\"{}\" class=\"action\">{field}<button class=\"{class}\" type=\"submit\">{}</button></form>",
        escape(action),
        escape(label)
    )
}

/// The delete form: a reason and a required confirmation box (the server checks it too).
pub fn delete_form(action: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}\" class=\"action\">\
         <label class=\"inline-label\">Reason <input name=\"note\" type=\"text\" maxlength=\"500\" \
         placeholder=\"why it is deleted\"></label> \
         <label class=\"inline-label\"><input name=\"confirm\" type=\"checkbox\" value=\"yes\" required> \
         Delete this domain</label> \
         <button class=\"btn btn-danger\" type=\"submit\">Delete domain</button></form>",
        escape(action)
    )
}
