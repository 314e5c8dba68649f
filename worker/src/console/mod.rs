//! The registry staff console at `/staff/`: server-rendered pages, usable without JavaScript.
//!
//! - `GET /staff/login`, `POST /staff/login`, `POST /staff/logout`: the staff session
//!   ([`session`]); every other page needs it and redirects to the login form without it.
//! - `GET /staff/`: the review queue — registrants brought up by the change report of the
//!   daily deposits (new registrants, material changes) and contacts still unverified that
//!   own domains, newest first, each with its domains and history and Approve / Reject;
//!   50 contacts a page (`?page=N`), with the queue's total.
//! - `GET /staff/contacts/{handle}`, `POST …/decision` (`decision=approve|reject`):
//!   `lifecycle::staff_decision`; closes the contact's review items.
//! - `GET /staff/domains/{name}`, `POST …/hold|release|delete` (`note`; delete also needs
//!   `confirm=yes`): `staff_hold`, `staff_release`, `staff_delete`; `POST
//!   …/set-<status>|clear-<status>` (`note`) for the registry lock's
//!   `serverTransferProhibited`, `serverDeleteProhibited`, `serverUpdateProhibited`:
//!   `registry_lock`.
//! - `GET /staff/search?q=`: domains by name prefix, contacts by handle, e-mail or
//!   organisation prefix.
//! - `GET /staff/reserved`, `POST /staff/reserved` (`name`): the names the registry keeps,
//!   the allocation tokens issued, and a new token for one reserved name
//!   (`lifecycle::issue_allocation_token`), shown once and stored hashed.
//! - `GET /staff/outputs`: the zone export and the escrow deposits with the change report
//!   between the last two; `GET /staff/zone.txt`, `GET /staff/escrow/{id}.csv`;
//!   `POST /staff/run-daily`: both outputs now.
//!
//! Every POST checks the session and the `Origin` header (no cross-site forms); every change
//! is stored with the outcome's history, which names the staff member (`staff:<id>`).

pub(crate) mod session;
mod view;

use coopreg_shared::changes::ChangeReport;
use coopreg_shared::lifecycle::{
    self, project, project_domain, Actor, ContactRecord, Decision, DomainRecord, Outcome,
};
use coopreg_shared::limits::{Burst, OverLimit};
use coopreg_shared::model::DomainName;
use coopreg_shared::validate::reserved::reserved_labels;
use coopreg_shared::validate::validate_domain_name;
use coopreg_shared::Problems;
use worker::{D1Database, Env, Method, Request, Response, Result};

use crate::auth::{self, Account, AccountKind};
use crate::pages::escape;
use crate::registry_store::{self, ReviewRow};
use crate::{apply, clock, mail, outputs, store};
use view::{action_form, contact_link, page, see_other};

/// Form bodies larger than this are refused.
const MAX_FORM_BYTES: usize = 8 * 1024;
/// Rows shown per list.
const LIST: u32 = 50;
/// The review queue's pages go this deep (newest first); decisions take contacts off it.
const MAX_QUEUE_PAGE: u32 = 40;

pub async fn handle(mut req: Request, env: &Env) -> Result<Response> {
    let db = store::db(env)?;
    let now = clock::now(&db).await?;
    let path = req.path();
    let segments: Vec<String> = path
        .trim_start_matches("/staff")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = req.method();

    if method == Method::Post && !session::same_origin(&req)? {
        return page(
            403,
            "Refused",
            None,
            &view::error("This form was not sent from the registry console (Origin check)."),
        );
    }
    match (&method, segments.as_slice()) {
        (Method::Get, ["login"]) => return login_page(200, None),
        (Method::Post, ["login"]) => {
            if let Some(over) = crate::limits::burst(env, &req, Burst::StaffLogin).await? {
                return login_refused(&over);
            }
            let form = form(&mut req).await?;
            let client_ip = crate::limits::client_ip(&req);
            return login(&db, &form, client_ip.as_deref(), now).await;
        }
        _ => {}
    }
    let Some(staff) = session::staff(&req, &db, now).await? else {
        return match method {
            Method::Get => see_other("/staff/login", None),
            _ => page(
                401,
                "Signed out",
                None,
                &view::error("Your session has ended; log in again."),
            ),
        };
    };
    let query = query(&req)?;
    let done = query_value(&query, "done");
    match (method, segments.as_slice()) {
        (Method::Post, ["logout"]) => {
            if let Some(id) = session::session_id(&req) {
                auth::end_session(&db, &id).await?;
            }
            see_other("/staff/login", Some(&session::clear_cookie()))
        }
        (Method::Get, []) => {
            let page_number = query_value(&query, "page")
                .and_then(|page| page.parse::<u32>().ok())
                .filter(|page| (1..=MAX_QUEUE_PAGE).contains(page))
                .unwrap_or(1);
            queue_page(&db, &staff, now, page_number).await
        }
        (Method::Get, ["contacts", handle]) => {
            contact_page(&db, &staff, handle, now, 200, done.as_deref(), None).await
        }
        (Method::Post, ["contacts", handle, "decision"]) => {
            let form = form(&mut req).await?;
            decide(env, &db, &staff, handle, &form, now).await
        }
        (Method::Get, ["domains", name]) => {
            domain_page(&db, &staff, name, now, 200, done.as_deref(), None).await
        }
        (Method::Post, ["domains", name, action]) => {
            let form = form(&mut req).await?;
            domain_action(env, &db, &staff, name, action, &form, now).await
        }
        (Method::Get, ["search"]) => {
            search_page(
                &db,
                &staff,
                query_value(&query, "q").unwrap_or_default(),
                done,
            )
            .await
        }
        (Method::Get, ["outputs"]) => outputs_page(env, &db, &staff, done.as_deref()).await,
        (Method::Get, ["reserved"]) => reserved_page(&db, &staff, 200, None, None).await,
        (Method::Post, ["reserved"]) => {
            let form = form(&mut req).await?;
            issue_token(&db, &staff, &form, now).await
        }
        (Method::Get, ["zone.txt"]) => match outputs::zone::download(env, &db).await? {
            Some(response) => Ok(response),
            None => page(
                404,
                "No zone yet",
                Some(&staff.name),
                &view::error("No zone has been exported yet; run the daily job."),
            ),
        },
        (Method::Get, ["escrow", file]) => {
            // `<id>.csv` is the deposit byte for byte; `<id>.safe.csv` the spreadsheet-safe copy.
            let (id, safe) = match file.strip_suffix(".safe.csv") {
                Some(id) => (id, true),
                None => (file.strip_suffix(".csv").unwrap_or(file), false),
            };
            match registry_store::deposit(&db, id).await? {
                Some(row) if safe => outputs::escrow::download_safe(env, &row).await,
                Some(row) => outputs::escrow::download(env, &row).await,
                None => page(
                    404,
                    "No such deposit",
                    Some(&staff.name),
                    &view::error("There is no deposit with this id."),
                ),
            }
        }
        (Method::Post, ["dns-reconcile"]) => {
            let run = crate::dns::reconcile::run(env, &db, now).await?;
            let wants_json = req
                .headers()
                .get("accept")?
                .is_some_and(|accept| accept.contains("application/json"));
            if wants_json {
                crate::http::json(200, &run)
            } else {
                see_other("/staff/outputs?done=reconciled", None)
            }
        }
        (Method::Post, ["run-daily"]) => {
            let report = outputs::run_all(env, &db, now).await?;
            let wants_json = req
                .headers()
                .get("accept")?
                .is_some_and(|accept| accept.contains("application/json"));
            if wants_json {
                crate::http::json(200, &report)
            } else {
                see_other("/staff/outputs?done=daily", None)
            }
        }
        _ => page(
            404,
            "Not found",
            Some(&staff.name),
            &view::error("There is no such page in the console."),
        ),
    }
}

// --- request helpers ---------------------------------------------------------------------

fn decode(segment: &str) -> String {
    form_urlencoded::parse(format!("v={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

type Form = Vec<(String, String)>;

/// The form's fields; an oversized body (read no further than [`MAX_FORM_BYTES`]) gives none.
async fn form(req: &mut Request) -> Result<Form> {
    let Ok(bytes) = crate::body::read_limited(req, MAX_FORM_BYTES).await? else {
        return Ok(Vec::new());
    };
    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}

fn query(req: &Request) -> Result<Form> {
    Ok(req
        .url()?
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

fn query_value(form: &Form, key: &str) -> Option<String> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

fn problems_text(problems: &Problems) -> String {
    problems
        .errors
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The notices a redirect may ask for (never free text from the URL).
fn done_notice(done: Option<&str>) -> String {
    let text = match done {
        Some("approved") => "Approved: the registrant is verified and its domains are active.",
        Some("rejected") => {
            "Rejected: the registrant's domains are on hold and will be deleted in 30 days."
        }
        Some("held") => "The domain is on serverHold.",
        Some("released") => "The hold is lifted.",
        Some("locked") => "The registry lock is changed.",
        Some("deleted") => "The domain is deleted.",
        Some("daily") => "The zone and the escrow deposit were produced.",
        Some("reconciled") => "The name server was compared with the registry and repaired.",
        _ => return String::new(),
    };
    view::notice(text)
}

/// Stores an outcome and sends its e-mails now (cron retries what fails).
async fn store_outcome(env: &Env, db: &D1Database, outcome: &Outcome, now: i64) -> Result<()> {
    let writes = apply::statements(env, db, outcome, None, now)?;
    if writes.statements.is_empty() {
        return Ok(());
    }
    db.batch(writes.statements).await?;
    send_mail(env, db, &writes.mail, now).await;
    crate::dns::push_now(env, db, &writes.dns, now).await;
    Ok(())
}

/// Sends what a stored outcome owes now (the console has no request context to send after
/// the response); cron retries what fails.
async fn send_mail(env: &Env, db: &D1Database, mail: &[mail::Queued], now: i64) {
    if let Err(error) = mail::send_queued(env, db, mail, now).await {
        worker::console_warn!("sending e-mail after a staff action failed: {error}");
    }
}

// --- login -------------------------------------------------------------------------------

fn login_page(status: u16, message: Option<&str>) -> Result<Response> {
    let error = message.map(view::error).unwrap_or_default();
    page(
        status,
        "Staff login",
        None,
        &format!(
            "{error}<form method=\"post\" action=\"/staff/login\" class=\"card login\">\
             <div class=\"field\"><label for=\"login\">Login</label>\
             <input id=\"login\" name=\"login\" autocomplete=\"username\" required></div>\
             <div class=\"field\"><label for=\"password\">Password</label>\
             <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></div>\
             <button class=\"btn\" type=\"submit\">Log in</button></form>"
        ),
    )
}

/// The login page saying, in words, that too many logins came from this network (429).
fn login_refused(over: &OverLimit) -> Result<Response> {
    let message = problems_text(&over.problems);
    let mut response = login_page(429, Some(&message))?;
    response
        .headers_mut()
        .set("retry-after", &over.retry_after.to_string())?;
    Ok(response)
}

async fn login(
    db: &D1Database,
    form: &Form,
    client_ip: Option<&str>,
    now: i64,
) -> Result<Response> {
    let login = query_value(form, "login").unwrap_or_default();
    let password = query_value(form, "password").unwrap_or_default();
    match auth::check_password(
        db,
        AccountKind::Staff,
        login.trim(),
        &password,
        client_ip,
        now,
    )
    .await?
    {
        Ok(account) => {
            let (id, _) = auth::start_session(db, AccountKind::Staff, &account, now).await?;
            see_other("/staff/", Some(&session::set_cookie(&id)))
        }
        Err(auth::Refused::Throttled(over)) => login_refused(&over),
        Err(auth::Refused::Failed(problem)) => {
            login_page(problem.code.http_status(), Some(&problem.message))
        }
    }
}

// --- review queue and contacts -----------------------------------------------------------

/// A contact's domains as they are at `now`.
async fn owned_now(
    db: &D1Database,
    contact: &ContactRecord,
    now: i64,
) -> Result<Vec<DomainRecord>> {
    let domains = store::domains_owned_by(db, &contact.handle).await?;
    Ok(project(std::slice::from_ref(contact), &domains, now).domains)
}

async fn history_of(db: &D1Database, contact: &str, domains: &[DomainRecord]) -> Result<String> {
    let mut objects = vec![format!("contact:{contact}")];
    objects.extend(domains.iter().map(DomainRecord::object));
    Ok(view::history(
        &registry_store::history(db, &objects, 200).await?,
    ))
}

fn decision_forms(handle: &str) -> String {
    let action = format!("/staff/contacts/{}/decision", view::segment(handle));
    format!(
        "<div class=\"actions\">\
         <form method=\"post\" action=\"{a}\" class=\"action\"><input type=\"hidden\" name=\"decision\" value=\"approve\">\
         <button class=\"btn\" type=\"submit\">Approve</button></form>\
         <form method=\"post\" action=\"{a}\" class=\"action\"><input type=\"hidden\" name=\"decision\" value=\"reject\">\
         <button class=\"btn btn-danger\" type=\"submit\">Reject</button></form></div>",
        a = escape(&action)
    )
}

fn review_reason(item: &ReviewRow) -> String {
    let detail: serde_json::Value = serde_json::from_str(&item.detail).unwrap_or_default();
    let fields = detail["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    match item.kind.as_str() {
        "material_change" => format!("Material change ({fields}) in deposit {}", item.deposit_id),
        _ => format!("New registrant in deposit {}", item.deposit_id),
    }
}

/// The review queue, `LIST` contacts a page (1-based), newest first.
async fn queue_page(
    db: &D1Database,
    staff: &Account,
    now: i64,
    page_number: u32,
) -> Result<Response> {
    // Each source is read as deep as this page reaches, merged, then the page is cut out.
    let depth = LIST * page_number;
    // Handle → reasons, newest first; deposit items, then contacts still unverified.
    let mut entries: Vec<(String, Vec<String>, i64)> = Vec::new();
    for item in registry_store::open_reviews(db, depth).await? {
        match entries
            .iter_mut()
            .find(|(handle, _, _)| *handle == item.handle)
        {
            Some((_, reasons, _)) => reasons.push(review_reason(&item)),
            None => entries.push((
                item.handle.clone(),
                vec![review_reason(&item)],
                item.created_at,
            )),
        }
    }
    for contact in registry_store::unverified_registrants(db, depth).await? {
        let reason = format!(
            "Verification {} since {}",
            contact.verification.word(),
            view::time(contact.updated)
        );
        match entries
            .iter_mut()
            .find(|(handle, _, _)| *handle == contact.handle)
        {
            Some((_, reasons, _)) => reasons.push(reason),
            None => entries.push((contact.handle.clone(), vec![reason], contact.updated)),
        }
    }
    entries.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let skip = (LIST * (page_number - 1)) as usize;
    let entries: Vec<_> = entries.into_iter().skip(skip).take(LIST as usize).collect();
    let total = registry_store::review_count(db).await?;

    let mut body = String::new();
    if total == 0 {
        body.push_str("<p class=\"notice\">Nothing to review.</p>");
    } else {
        body.push_str(&view::queue_position(
            total,
            page_number,
            LIST,
            MAX_QUEUE_PAGE,
        ));
    }
    for (handle, reasons, _) in &entries {
        let Some(contact) = store::contact(db, handle).await? else {
            continue;
        };
        let domains = owned_now(db, &contact, now).await?;
        let reasons: String = reasons
            .iter()
            .map(|r| format!("<li>{}</li>", escape(r)))
            .collect();
        body.push_str(&format!(
            "<section class=\"card review\" data-handle=\"{h}\"><h2>{link} {org}</h2>\
             <p>{email} · {country} · {verification}</p><ul>{reasons}</ul>{domains}\
             <details><summary>History</summary>{history}</details>{forms}</section>",
            h = escape(handle),
            link = contact_link(handle),
            org = escape(contact.info.organization.as_deref().unwrap_or("")),
            email = escape(&contact.info.email),
            country = escape(&contact.info.country),
            verification = view::verification(&contact),
            domains = view::domains_table(&domains),
            history = history_of(db, handle, &domains).await?,
            forms = decision_forms(handle),
        ));
    }
    page(200, "Review queue", Some(&staff.name), &body)
}

async fn contact_page(
    db: &D1Database,
    staff: &Account,
    handle: &str,
    now: i64,
    status: u16,
    done: Option<&str>,
    error: Option<&str>,
) -> Result<Response> {
    let Some(stored) = store::contact(db, handle).await? else {
        return page(
            404,
            "No such contact",
            Some(&staff.name),
            &view::error("There is no contact with this handle."),
        );
    };
    let domains = store::domains_owned_by(db, handle).await?;
    let projection = project(std::slice::from_ref(&stored), &domains, now);
    let contact = projection.contacts.into_iter().next().unwrap_or(stored);
    let info = &contact.info;
    let body = format!(
        "{notice}{error}<section class=\"card\"><dl class=\"facts\">\
         <dt>Organisation</dt><dd>{org}</dd><dt>Name</dt><dd>{first} {last}</dd>\
         <dt>E-mail</dt><dd>{email}</dd><dt>Country</dt><dd>{country}</dd>\
         <dt>Reseller</dt><dd>{reseller}</dd><dt>Verification</dt><dd>{verification}</dd></dl>{forms}</section>\
         <h2>Domains owned</h2>{domains}<h2>History</h2>{history}",
        notice = done_notice(done),
        error = error.map(view::error).unwrap_or_default(),
        org = escape(info.organization.as_deref().unwrap_or("—")),
        first = escape(&info.first_name),
        last = escape(&info.last_name),
        email = escape(&info.email),
        country = escape(&info.country),
        reseller = escape(&contact.reseller),
        verification = view::verification(&contact),
        forms = decision_forms(handle),
        domains = view::domains_table(&projection.domains),
        history = history_of(db, handle, &projection.domains).await?,
    );
    page(
        status,
        &format!("Contact {handle}"),
        Some(&staff.name),
        &body,
    )
}

async fn decide(
    env: &Env,
    db: &D1Database,
    staff: &Account,
    handle: &str,
    form: &Form,
    now: i64,
) -> Result<Response> {
    let decision = match query_value(form, "decision").as_deref() {
        Some("approve") => Decision::Approve,
        Some("reject") => Decision::Reject,
        _ => {
            return contact_page(
                db,
                staff,
                handle,
                now,
                400,
                None,
                Some("Choose Approve or Reject."),
            )
            .await
        }
    };
    let actor = Actor::Staff(staff.id.clone());
    match apply::registry_decision(env, db, handle, decision, actor, now).await? {
        None => contact_page(db, staff, handle, now, 404, None, None).await,
        Some(Ok((_, mail, dns))) => {
            send_mail(env, db, &mail, now).await;
            crate::dns::push_now(env, db, &dns, now).await;
            let word = match decision {
                Decision::Approve => "approved",
                Decision::Reject => "rejected",
            };
            see_other(
                &format!("/staff/contacts/{}?done={word}", view::segment(handle)),
                None,
            )
        }
        Some(Err(problems)) => {
            contact_page(
                db,
                staff,
                handle,
                now,
                problems.http_status(),
                None,
                Some(&problems_text(&problems)),
            )
            .await
        }
    }
}

// --- domains -----------------------------------------------------------------------------

async fn domain_page(
    db: &D1Database,
    staff: &Account,
    name: &str,
    now: i64,
    status: u16,
    done: Option<&str>,
    error: Option<&str>,
) -> Result<Response> {
    let name = name.to_ascii_lowercase();
    let found = match store::domain(db, &name).await? {
        Some(stored) => {
            let owner = store::contact(db, &stored.owner).await?;
            project_domain(&stored, owner.as_ref(), now)
        }
        None => None,
    };
    let Some(domain) = found else {
        let body = format!(
            "{}{}",
            done_notice(done),
            view::error("This name is not registered.")
        );
        return page(
            if done.is_some() { 200 } else { 404 },
            &name,
            Some(&staff.name),
            &body,
        );
    };
    let base = format!("/staff/domains/{}", view::segment(&domain.name.ascii));
    let held = matches!(domain.state, lifecycle::DomainState::Held { .. });
    let mut forms = String::new();
    if held {
        forms.push_str(&action_form(
            &format!("{base}/release"),
            "Lift serverHold",
            false,
            Some("why it is lifted"),
        ));
    } else {
        forms.push_str(&action_form(
            &format!("{base}/hold"),
            "Place serverHold",
            true,
            Some("why it is held"),
        ));
    }
    for status in lifecycle::ServerStatus::ALL {
        let (verb, label) = if domain.has_server_status(status) {
            ("clear", "Clear")
        } else {
            ("set", "Set")
        };
        forms.push_str(&action_form(
            &format!("{base}/{verb}-{}", status.as_str()),
            &format!("{label} {}", status.as_str()),
            false,
            Some("why (registry lock)"),
        ));
    }
    forms.push_str(&view::delete_form(&format!("{base}/delete")));
    let nameservers: String = domain
        .nameservers
        .iter()
        .map(|ns| {
            format!(
                "<li><code>{}</code> {}</li>",
                escape(&ns.host),
                escape(&ns.addresses.join(" "))
            )
        })
        .collect();
    let ds_records = if domain.ds_records.is_empty() {
        "<span class=\"muted\">none (unsigned)</span>".to_string()
    } else {
        let items: String = domain
            .ds_records
            .iter()
            .map(|ds| {
                format!(
                    "<li><code class=\"ds\">{}</code></li>",
                    escape(&ds.to_text())
                )
            })
            .collect();
        format!("<ul>{items}</ul>")
    };
    let events = registry_store::history(db, &[domain.object()], 200).await?;
    let body = format!(
        "{notice}{error}<section class=\"card\"><dl class=\"facts\">\
         <dt>Name</dt><dd>{shown}</dd>\
         <dt>State</dt><dd>{state}</dd><dt>EPP status</dt><dd><code>{epp}</code></dd>\
         <dt>Owner</dt><dd>{owner}</dd><dt>Reseller</dt><dd>{reseller}</dd>\
         <dt>Expires</dt><dd>{expires}</dd><dt>Name servers</dt><dd><ul>{nameservers}</ul></dd>\
         <dt>DNSSEC DS records</dt><dd>{ds_records}</dd>\
         <dt>Eligibility certified</dt><dd>{certification}</dd></dl>\
         <div class=\"actions\">{forms}</div></section><h2>History</h2>{history}",
        notice = done_notice(done),
        error = error.map(view::error).unwrap_or_default(),
        shown = view::domain_name(&domain),
        state = view::status(&domain),
        epp = escape(&domain.epp_statuses().join(" ")),
        owner = contact_link(&domain.owner),
        reseller = escape(&domain.reseller),
        expires = escape(&view::time(domain.expires)),
        certification = view::certification(domain.certification.as_ref()),
        history = view::history(&events),
    );
    page(status, &domain.name.unicode, Some(&staff.name), &body)
}

async fn domain_action(
    env: &Env,
    db: &D1Database,
    staff: &Account,
    name: &str,
    action: &str,
    form: &Form,
    now: i64,
) -> Result<Response> {
    let name = name.to_ascii_lowercase();
    let Some(domain) = store::domain(db, &name).await? else {
        return domain_page(db, staff, &name, now, 404, None, None).await;
    };
    let note = query_value(form, "note").unwrap_or_default();
    let note: String = note.chars().take(500).collect();
    let actor = Actor::Staff(staff.id.clone());
    let lock = |verb: &str| {
        action
            .strip_prefix(verb)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(lifecycle::ServerStatus::from_epp)
    };
    let (result, done) = match action {
        _ if lock("set").is_some() || lock("clear").is_some() => {
            let set: Vec<_> = lock("set").into_iter().collect();
            let clear: Vec<_> = lock("clear").into_iter().collect();
            (
                lifecycle::registry_lock(&domain, actor, &set, &clear, &note, now),
                "locked",
            )
        }
        "hold" => (lifecycle::staff_hold(&domain, actor, &note, now), "held"),
        "release" => (
            lifecycle::staff_release(&domain, actor, &note, now),
            "released",
        ),
        "delete" if query_value(form, "confirm").as_deref() != Some("yes") => {
            return domain_page(
                db,
                staff,
                &name,
                now,
                400,
                None,
                Some("Tick the confirmation to delete the domain."),
            )
            .await
        }
        "delete" => (
            lifecycle::staff_delete(&domain, actor, &note, now),
            "deleted",
        ),
        _ => return domain_page(db, staff, &name, now, 404, None, Some("No such action.")).await,
    };
    match result {
        Ok(outcome) => {
            store_outcome(env, db, &outcome, now).await?;
            see_other(
                &format!("/staff/domains/{}?done={done}", view::segment(&name)),
                None,
            )
        }
        Err(problems) => {
            domain_page(
                db,
                staff,
                &name,
                now,
                problems.http_status(),
                None,
                Some(&problems_text(&problems)),
            )
            .await
        }
    }
}

// --- reserved names ----------------------------------------------------------------------

/// The reserved names, the tokens issued, and the form to issue one. `issued` is a token just
/// made (name, plain token), shown this once.
async fn reserved_page(
    db: &D1Database,
    staff: &Account,
    status: u16,
    issued: Option<(&DomainName, &str)>,
    error: Option<&str>,
) -> Result<Response> {
    let shown = match issued {
        Some((name, token)) => format!(
            "<section class=\"card notice\" role=\"status\"><h2>Allocation token for {}</h2>\
             <p><code class=\"token\" id=\"allocation-token\">{}</code></p>\
             <p>Give it to the registrant or its reseller: the form's allocation token field, the \
             API's <code>allocation_token</code> or <code>X-ALLOCATION-TOKEN</code> on AddDomain. \
             It registers this one name, once. Copy it now: it is stored only as a hash and is not \
             shown again.</p></section>",
            escape(&name.unicode),
            escape(token)
        ),
        None => String::new(),
    };
    let labels: String = reserved_labels()
        .map(|label| format!("<li><code>{}.coop</code></li>", escape(label)))
        .collect();
    let tokens = store::recent_allocation_tokens(db, LIST).await?;
    let rows: String = tokens
        .iter()
        .map(|token| {
            format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&token.name),
                escape(&token.issued_by),
                escape(&view::time(token.issued_at)),
                token.used_at.map_or_else(
                    || "<span class=\"muted\">not used</span>".to_string(),
                    |at| escape(&view::time(at))
                ),
            )
        })
        .collect();
    let table = if tokens.is_empty() {
        "<p class=\"muted\">No tokens issued yet.</p>".to_string()
    } else {
        format!(
            "<table class=\"staff-table tokens\"><thead><tr><th>Name</th><th>Issued by</th><th>Issued</th>\
             <th>Used</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let body = format!(
        "{error}{shown}<section class=\"card\"><h2>Issue an allocation token</h2>\
         <form method=\"post\" action=\"/staff/reserved\" class=\"action\">\
         <label for=\"reserved-name\">Reserved name</label> \
         <input id=\"reserved-name\" name=\"name\" placeholder=\"nic.coop\" required> \
         <button class=\"btn\" type=\"submit\">Issue token</button></form></section>\
         <section class=\"card\"><h2>Tokens issued</h2>{table}</section>\
         <section class=\"card\"><h2>Names the registry keeps</h2>\
         <p class=\"muted\">From <code>shared/data/reserved-names.txt</code>.</p><ul class=\"columns\">{labels}</ul></section>",
        error = error.map(view::error).unwrap_or_default(),
    );
    page(status, "Reserved names", Some(&staff.name), &body)
}

async fn issue_token(db: &D1Database, staff: &Account, form: &Form, now: i64) -> Result<Response> {
    let input = query_value(form, "name").unwrap_or_default();
    let mut input = input.trim().to_string();
    if !input.is_empty() && !input.contains('.') {
        input.push_str(".coop");
    }
    let language = coopreg_shared::validate::fitting_languages(&input)
        .first()
        .map(|language| language.tag().to_string());
    let name = match validate_domain_name(&input, language.as_deref()) {
        Ok(name) => name,
        Err(problems) => {
            return reserved_page(db, staff, 422, None, Some(&problems_text(&problems))).await
        }
    };
    let random = crate::crypto::random_bytes::<32>()?;
    let actor = Actor::Staff(staff.id.clone());
    match lifecycle::issue_allocation_token(&name, &actor, &random, now) {
        Ok((record, token)) => {
            store::insert_allocation_token(db, &record)?.run().await?;
            reserved_page(db, staff, 201, Some((&name, &token)), None).await
        }
        Err(problems) => {
            reserved_page(
                db,
                staff,
                problems.http_status(),
                None,
                Some(&problems_text(&problems)),
            )
            .await
        }
    }
}

// --- search ------------------------------------------------------------------------------

async fn search_page(
    db: &D1Database,
    staff: &Account,
    q: String,
    done: Option<String>,
) -> Result<Response> {
    let q = q.trim().to_string();
    let mut body = format!(
        "{}<form method=\"get\" action=\"/staff/search\" class=\"card search\">\
         <label for=\"q\">Domain name, contact handle, e-mail or organisation (start of)</label> \
         <input id=\"q\" name=\"q\" value=\"{}\" required> <button class=\"btn\" type=\"submit\">Search</button></form>",
        done_notice(done.as_deref()),
        escape(&q)
    );
    if !q.is_empty() {
        let domains = registry_store::search_domains(db, &q.to_lowercase(), LIST).await?;
        let contacts = registry_store::search_contacts(db, &q, LIST).await?;
        body.push_str("<h2>Domains</h2>");
        body.push_str(&view::domains_table(&domains));
        body.push_str("<h2>Contacts</h2>");
        if contacts.is_empty() {
            body.push_str("<p class=\"muted\">No contacts.</p>");
        } else {
            let rows: String = contacts
                .iter()
                .map(|c| {
                    format!(
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        contact_link(&c.handle),
                        escape(c.info.organization.as_deref().unwrap_or("")),
                        escape(&c.info.email),
                        view::verification(c)
                    )
                })
                .collect();
            body.push_str(&format!(
                "<table class=\"staff-table\"><thead><tr><th>Handle</th><th>Organisation</th><th>E-mail</th>\
                 <th>Verification</th></tr></thead><tbody>{rows}</tbody></table>"
            ));
        }
    }
    page(200, "Search", Some(&staff.name), &body)
}

// --- zone and escrow ---------------------------------------------------------------------

fn report_html(report: &ChangeReport) -> String {
    if report.is_empty() {
        return "<p class=\"muted\">No changes.</p>".to_string();
    }
    let list = |items: Vec<String>| -> String {
        if items.is_empty() {
            "<p class=\"muted\">None.</p>".to_string()
        } else {
            format!(
                "<ul>{}</ul>",
                items
                    .into_iter()
                    .map(|i| format!("<li>{i}</li>"))
                    .collect::<String>()
            )
        }
    };
    format!(
        "<h3>New registrants</h3>{}<h3>Material changes</h3>{}<h3>Owner changes</h3>{}\
         <h3>New domains</h3>{}<h3>Deleted domains</h3>{}",
        list(
            report
                .new_registrants
                .iter()
                .map(|r| format!(
                    "{} — {}",
                    contact_link(&r.handle),
                    escape(&r.domains.join(", "))
                ))
                .collect()
        ),
        list(
            report
                .material_changes
                .iter()
                .map(|c| format!(
                    "{} — {}",
                    contact_link(&c.handle),
                    escape(
                        &c.fields
                            .iter()
                            .map(|f| f.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                ))
                .collect()
        ),
        list(
            report
                .owner_changes
                .iter()
                .map(|c| format!(
                    "{}: {} → {}",
                    escape(&c.domain),
                    contact_link(&c.previous_owner),
                    contact_link(&c.current_owner)
                ))
                .collect()
        ),
        list(report.new_domains.iter().map(|d| escape(d)).collect()),
        list(report.deleted_domains.iter().map(|d| escape(d)).collect()),
    )
}

/// The hidden primary: configuration, pending pushes, the latest reconciliations.
async fn dns_section(env: &Env, db: &D1Database) -> Result<String> {
    let Some(api) = crate::dns::api(env) else {
        return Ok("<section class=\"card\" id=\"dns\"><h2>DNS</h2><p class=\"muted\">DNS is not configured \
                   (<code>DNS_API_URL</code>): domains reach the name servers only through the daily zone file.</p></section>"
            .to_string());
    };
    let outbox = crate::dns_store::outbox_state(db).await?;
    let runs = crate::dns_store::recent_reconciliations(db, 7).await?;
    let rows: String = runs
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{at}</td><td>{e}</td><td>{s}</td><td>{m}</td><td class=\"missing\">{mi}</td>\
                 <td class=\"differing\">{d}</td><td class=\"extra\">{x}</td><td class=\"repaired\">{rep}</td><td>{ms}</td><td>{err}</td></tr>",
                at = escape(&view::time(r.at)),
                e = r.expected,
                s = r.server,
                m = r.matching,
                mi = r.missing,
                d = r.differing,
                x = r.extra,
                rep = r.repaired,
                ms = r.millis,
                err = escape(r.error.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let table = if runs.is_empty() {
        "<p class=\"muted\">No reconciliation yet.</p>".to_string()
    } else {
        format!(
            "<table class=\"staff-table dns-runs\"><thead><tr><th>Run</th><th>Registry rrsets</th><th>Server rrsets</th>\
             <th>Matching</th><th>Missing</th><th>Different</th><th>Extra</th><th>Repaired</th><th>ms</th><th>Error</th></tr></thead>\
             <tbody>{rows}</tbody></table>"
        )
    };
    Ok(format!(
        "<section class=\"card\" id=\"dns\"><h2>DNS (hidden primary)</h2><p>Pushing to <code>{base}</code>: \
         <strong class=\"dns-pending\">{pending}</strong> domain(s) waiting for a push, {failing} after a failure{error}.</p>\
         <h3>Reconciliation</h3>{table}\
         <form method=\"post\" action=\"/staff/dns-reconcile\" class=\"action\"><button class=\"btn\" type=\"submit\">Reconcile now</button></form></section>",
        base = escape(api.base()),
        pending = outbox.pending,
        failing = outbox.failing,
        error = outbox
            .last_error
            .as_deref()
            .map(|e| format!(" (last error: {})", escape(e)))
            .unwrap_or_default(),
    ))
}

async fn outputs_page(
    env: &Env,
    db: &D1Database,
    staff: &Account,
    done: Option<&str>,
) -> Result<Response> {
    let zone = match registry_store::latest_zone(db).await? {
        Some(zone) => format!(
            "<p>Serial <strong>{}</strong>, {} delegated domains ({} left out), content SHA-256 <code>{}</code>, \
             produced {}, last checked {}.</p><p><a class=\"btn\" href=\"/staff/zone.txt\">Download zone file</a></p>",
            zone.serial,
            zone.published,
            zone.skipped,
            escape(&zone.content_hash),
            escape(&view::time(zone.created_at)),
            escape(&view::time(zone.checked_at)),
        ),
        None => "<p class=\"muted\">No zone exported yet.</p>".to_string(),
    };
    let deposits = registry_store::deposits(db, LIST).await?;
    let rows: String = deposits
        .iter()
        .map(|d| {
            format!(
                "<tr><td><a href=\"/staff/escrow/{id}.csv\">{name}</a> \
                 (<a href=\"/staff/escrow/{id}.safe.csv\" title=\"Cells that a spreadsheet would run as formulas start with an apostrophe\">for spreadsheets</a>)</td><td>{at}</td><td>{c}</td><td>{dm}</td>\
                 <td>{ns}</td><td>{r}</td><td>{b}</td></tr>",
                id = view::segment(&d.id),
                name = escape(&d.id),
                at = escape(&view::time(d.watermark)),
                c = d.contacts,
                dm = d.domains,
                ns = d.nameservers,
                r = d.resellers,
                b = d.bytes,
            )
        })
        .collect();
    let report = match deposits.first() {
        Some(latest) => match (&latest.previous_id, &latest.report) {
            (Some(previous), Some(json)) => {
                let report: ChangeReport = serde_json::from_str(json).unwrap_or_default();
                format!(
                    "<h2>Changes from {} to {}</h2>{}",
                    escape(previous),
                    escape(&latest.id),
                    report_html(&report)
                )
            }
            _ => "<h2>Changes</h2><p class=\"muted\">The first deposit has nothing to compare with.</p>".to_string(),
        },
        None => String::new(),
    };
    let body = format!(
        "{notice}<section class=\"card\"><h2>Zone file</h2>{zone}</section>\
         <section class=\"card\"><h2>Escrow deposits</h2>{table}\
         <form method=\"post\" action=\"/staff/run-daily\" class=\"action\"><button class=\"btn\" type=\"submit\">Produce zone and deposit now</button></form>\
         </section>{report}{dns}",
        dns = dns_section(env, db).await?,
        notice = done_notice(done),
        table = if deposits.is_empty() {
            "<p class=\"muted\">No deposits yet.</p>".to_string()
        } else {
            format!(
                "<table class=\"staff-table deposits\"><thead><tr><th>Deposit</th><th>Watermark</th><th>Contacts</th>\
                 <th>Domains</th><th>Name servers</th><th>Resellers</th><th>Bytes</th></tr></thead><tbody>{rows}</tbody></table>"
            )
        },
    );
    page(200, "Zone and escrow", Some(&staff.name), &body)
}
