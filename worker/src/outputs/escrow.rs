//! The daily escrow deposit and its change report.
//!
//! The deposit (`shared::escrow`) declares its counts first, so the registry is read in
//! passes: a counting pass over the domains (projected to the watermark; names freed by then
//! are left out), then resellers, contacts, domains and name servers, each paged from D1 in
//! key order and streamed into R2. The writer checks every count; a deposit whose data moved
//! while it was written is refused and its object aborted (the next run tries again).
//!
//! Then the new deposit is read back from R2 as a stream, line by line, and compared with the
//! previous one read the same way ([`StreamingDiff`]): neither file is held in memory, and
//! reading the new one through [`DepositLines`] proves it reads (every rule of the format,
//! counts included). The report is kept with the deposit and its new registrants and
//! material changes go into the staff review queue. The first deposit has nothing to compare
//! with: it is only read back, and reports nothing.

use coopreg_shared::changes::{ChangeReport, Side, StreamingDiff};
use coopreg_shared::escrow::{
    DepositHeader, DepositLines, DepositType, DepositWriter, EscrowContact, EscrowDomain,
    EscrowReseller, ObjectCounts,
};
use coopreg_shared::lifecycle::{project_domain, ContactRecord, DomainRecord};
use coopreg_shared::model::Timestamp;
use coopreg_shared::rfc4180::LineSplitter;
use futures_util::StreamExt;
use worker::{D1Database, Env, Result};

use super::sink::R2Sink;
use crate::registry_store::{self, DepositRow};

/// Records read per D1 query.
const PAGE: u32 = 500;

/// What a deposit run did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DepositSummary {
    pub id: String,
    pub counts: Counts,
    pub bytes: u64,
    pub previous_id: Option<String>,
    pub report: Option<ChangeReport>,
}

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub resellers: u64,
    pub contacts: u64,
    pub domains: u64,
    pub nameservers: u64,
}

fn problem(context: &str, problem: coopreg_shared::Problem) -> worker::Error {
    worker::Error::RustError(format!(
        "escrow {context}: {} ({})",
        problem.message, problem.field
    ))
}

fn escrow_domain(domain: &DomainRecord) -> EscrowDomain {
    let optional = |handle: &str| (!handle.is_empty()).then(|| handle.to_string());
    EscrowDomain {
        name: domain.name.clone(),
        roid: domain.roid(),
        statuses: domain
            .epp_statuses()
            .into_iter()
            .map(str::to_string)
            .collect(),
        registrant: domain.owner.clone(),
        admin: optional(&domain.admin),
        tech: optional(&domain.tech),
        billing: optional(&domain.billing),
        reseller: domain.reseller.clone(),
        created: domain.created,
        expires: domain.expires,
        certification: domain.certification.clone(),
        nameservers: domain.nameservers.clone(),
        ds_records: domain.ds_records.clone(),
    }
}

fn escrow_contact(contact: ContactRecord) -> EscrowContact {
    EscrowContact {
        verification: contact.verification.word().to_string(),
        handle: contact.handle,
        info: contact.info,
        reseller: contact.reseller,
    }
}

/// One page of domains as they are at `now`, freed names left out.
async fn projected_page(
    db: &D1Database,
    after: &str,
    now: Timestamp,
) -> Result<(Vec<EscrowDomain>, Option<String>)> {
    let domains = registry_store::domain_page(db, after, PAGE).await?;
    let owners = registry_store::owners_of_domain_page(db, after, PAGE).await?;
    let next = (domains.len() == PAGE as usize)
        .then(|| domains.last().map(|d| d.name.ascii.clone()))
        .flatten();
    let page = domains
        .iter()
        .filter_map(|stored| {
            let owner = owners.iter().find(|c| c.handle == stored.owner);
            project_domain(stored, owner, now)
        })
        .map(|domain| escrow_domain(&domain))
        .collect();
    Ok((page, next))
}

/// Writes today's deposit and its change report.
pub async fn deposit(env: &Env, db: &D1Database, now: Timestamp) -> Result<DepositSummary> {
    let day = super::day_of(now);
    let sequence = registry_store::deposits_on(db, &day).await?;
    let id = format!("coop_{day}_full_S1_R{sequence}");
    let object_key = format!("escrow/{id}.csv");
    let resellers: Vec<EscrowReseller> = registry_store::resellers(db)
        .await?
        .into_iter()
        .map(|row| EscrowReseller {
            id: row.id,
            name: row.name,
        })
        .collect();

    // Counting pass.
    let mut counts = ObjectCounts {
        resellers: resellers.len() as u64,
        contacts: registry_store::count_contacts(db).await?,
        ..ObjectCounts::default()
    };
    let mut after = String::new();
    loop {
        let (page, next) = projected_page(db, &after, now).await?;
        counts.domains += page.len() as u64;
        counts.nameservers += page.iter().map(|d| d.nameservers.len() as u64).sum::<u64>();
        match next {
            Some(next) => after = next,
            None => break,
        }
    }

    let header = DepositHeader {
        tld: "coop".to_string(),
        id: id.clone(),
        deposit_type: DepositType::Full,
        watermark: now,
        counts,
    };
    let (mut writer, first) = DepositWriter::new(&header).map_err(|p| problem("header", p))?;
    let mut sink = R2Sink::new(super::bucket(env)?, object_key.clone());
    sink.write(&first).await?;
    let written = write_sections(db, now, &resellers, &mut writer, &mut sink).await;
    let finished = match written {
        Ok(()) => writer.finish().map_err(|p| problem("counts", p)),
        Err(error) => Err(error),
    };
    let tail = match finished {
        Ok(tail) => tail,
        Err(error) => {
            sink.abort().await;
            return Err(error);
        }
    };
    sink.write(&tail).await?;
    let bytes = sink.finish().await?;

    // The change report against the previous deposit.
    let previous = registry_store::deposits(db, 1).await?.into_iter().next();
    let bucket = super::bucket(env)?;
    let report = match &previous {
        Some(previous) => Some(compare(&bucket, &previous.object_key, &object_key).await?),
        None => {
            read_back(&bucket, &object_key).await?;
            None
        }
    };
    let report_json = report
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|error| worker::Error::RustError(error.to_string()))?;

    let row = DepositRow {
        id: id.clone(),
        day,
        watermark: now,
        object_key,
        bytes: bytes as i64,
        resellers: counts.resellers as i64,
        contacts: counts.contacts as i64,
        domains: counts.domains as i64,
        nameservers: counts.nameservers as i64,
        previous_id: previous.as_ref().map(|p| p.id.clone()),
        report: report_json,
    };
    let mut statements = vec![registry_store::insert_deposit(db, &row)?];
    if let Some(report) = &report {
        for registrant in &report.new_registrants {
            let detail = serde_json::json!({ "domains": registrant.domains }).to_string();
            statements.push(registry_store::add_review(
                db,
                &registrant.handle,
                "new_registrant",
                &detail,
                &id,
                now,
            )?);
        }
        for change in &report.material_changes {
            let fields: Vec<&str> = change.fields.iter().map(|f| f.as_str()).collect();
            let detail =
                serde_json::json!({ "fields": fields, "domains": change.domains }).to_string();
            statements.push(registry_store::add_review(
                db,
                &change.handle,
                "material_change",
                &detail,
                &id,
                now,
            )?);
        }
    }
    db.batch(statements).await?;
    Ok(DepositSummary {
        id,
        counts: Counts {
            resellers: counts.resellers,
            contacts: counts.contacts,
            domains: counts.domains,
            nameservers: counts.nameservers,
        },
        bytes,
        previous_id: row.previous_id,
        report,
    })
}

async fn write_sections(
    db: &D1Database,
    now: Timestamp,
    resellers: &[EscrowReseller],
    writer: &mut DepositWriter,
    sink: &mut R2Sink,
) -> Result<()> {
    let mut chunk = String::new();
    for reseller in resellers {
        chunk.push_str(
            &writer
                .write_reseller(reseller)
                .map_err(|p| problem("reseller", p))?,
        );
    }
    sink.write(&chunk).await?;

    let mut after = String::new();
    loop {
        let contacts = registry_store::contact_page(db, &after, PAGE).await?;
        let full = contacts.len() == PAGE as usize;
        let mut chunk = String::new();
        for contact in contacts {
            after = contact.handle.clone();
            chunk.push_str(
                &writer
                    .write_contact(&escrow_contact(contact))
                    .map_err(|p| problem("contact", p))?,
            );
        }
        sink.write(&chunk).await?;
        if !full {
            break;
        }
    }

    // Domains, then the same pages again for their name servers.
    for nameservers in [false, true] {
        let mut after = String::new();
        loop {
            let (page, next) = projected_page(db, &after, now).await?;
            let mut chunk = String::new();
            for domain in &page {
                let text = if nameservers {
                    writer.write_nameservers(domain)
                } else {
                    writer.write_domain(domain)
                };
                chunk.push_str(&text.map_err(|p| problem("domain", p))?);
            }
            sink.write(&chunk).await?;
            match next {
                Some(next) => after = next,
                None => break,
            }
        }
    }
    Ok(())
}

/// A stored object's lines, read from its body stream chunk by chunk (a partial line is
/// carried to the next chunk), so the object is never held whole.
struct ObjectLines {
    key: String,
    body: worker::ByteStream,
    lines: LineSplitter,
    ended: bool,
}

impl ObjectLines {
    async fn open(bucket: &worker::Bucket, key: &str) -> Result<ObjectLines> {
        let object = bucket
            .get(key)
            .execute()
            .await?
            .ok_or_else(|| worker::Error::RustError(format!("{key} is missing from R2")))?;
        let body = object
            .body()
            .ok_or_else(|| worker::Error::RustError(format!("{key} has no content")))?
            .stream()?;
        Ok(ObjectLines {
            key: key.to_string(),
            body,
            lines: LineSplitter::new(),
            ended: false,
        })
    }

    /// The next line with its line feed (the last may lack one); None at the end.
    async fn next_line(&mut self) -> Result<Option<String>> {
        loop {
            if let Some(line) = self.lines.next_line() {
                return line.map(Some).map_err(|p| problem(&self.key, p));
            }
            if self.ended {
                return self
                    .lines
                    .finish()
                    .transpose()
                    .map_err(|p| problem(&self.key, p));
            }
            match self.body.next().await {
                Some(chunk) => self.lines.push(&chunk?),
                None => self.ended = true,
            }
        }
    }
}

/// Reads a deposit back from R2 and checks it, without holding it.
async fn read_back(bucket: &worker::Bucket, key: &str) -> Result<()> {
    let mut object = ObjectLines::open(bucket, key).await?;
    let mut deposit = DepositLines::new();
    while let Some(line) = object.next_line().await? {
        deposit
            .push_line(&line)
            .map_err(|p| problem("read back", p))?;
    }
    deposit.finish().map_err(|p| problem("read back", p))?;
    Ok(())
}

/// The change report between two stored deposits, both read as streams in lockstep.
async fn compare(
    bucket: &worker::Bucket,
    previous_key: &str,
    current_key: &str,
) -> Result<ChangeReport> {
    let mut previous = ObjectLines::open(bucket, previous_key).await?;
    let mut current = ObjectLines::open(bucket, current_key).await?;
    let mut diff = StreamingDiff::new();
    let refused = |problems: coopreg_shared::Problems| {
        let detail: Vec<String> = problems
            .errors
            .iter()
            .map(|p| format!("{} ({})", p.message, p.field))
            .collect();
        worker::Error::RustError(format!("escrow comparison: {}", detail.join("; ")))
    };
    while let Some(side) = diff.wants() {
        let object = match side {
            Side::Previous => &mut previous,
            Side::Current => &mut current,
        };
        match object.next_line().await? {
            Some(line) => diff.feed_line(side, &line).map_err(refused)?,
            None => diff.end_of_input(side).map_err(refused)?,
        }
    }
    diff.finish().map_err(refused)
}

/// A deposit's bytes as a download.
pub async fn download(env: &Env, row: &DepositRow) -> Result<worker::Response> {
    let object = super::bucket(env)?
        .get(&row.object_key)
        .execute()
        .await?
        .ok_or_else(|| {
            worker::Error::RustError(format!("{} is missing from R2", row.object_key))
        })?;
    let body = object
        .body()
        .ok_or_else(|| worker::Error::RustError("deposit without content".into()))?
        .response_body()?;
    let mut response = worker::Response::from_body(body)?;
    let headers = response.headers_mut();
    headers.set("content-type", "text/csv; charset=utf-8")?;
    headers.set(
        "content-disposition",
        &format!("attachment; filename=\"{}.csv\"", row.id),
    )?;
    headers.set("cache-control", "no-store")?;
    Ok(response)
}

/// The deposit as a spreadsheet-safe copy (`coopreg_shared::spreadsheet`): cells a
/// spreadsheet would run as formulas get a leading apostrophe. Streamed from R2 chunk by
/// chunk; the deposit itself is untouched. Staff only (the console).
pub async fn download_safe(env: &Env, row: &DepositRow) -> Result<worker::Response> {
    use coopreg_shared::spreadsheet::SafeCsv;
    let object = super::bucket(env)?
        .get(&row.object_key)
        .execute()
        .await?
        .ok_or_else(|| {
            worker::Error::RustError(format!("{} is missing from R2", row.object_key))
        })?;
    let body = object
        .body()
        .ok_or_else(|| worker::Error::RustError("deposit without content".into()))?
        .stream()?;
    let converted = futures_util::stream::unfold(
        (body, SafeCsv::new(), false),
        |(mut body, mut converter, ended)| async move {
            if ended {
                return None;
            }
            let to_error = |problem: coopreg_shared::Problem| {
                worker::Error::RustError(format!("spreadsheet copy: {}", problem.message))
            };
            match body.next().await {
                Some(Ok(chunk)) => {
                    let text = converter.push(&chunk).map_err(to_error);
                    Some((text.map(String::into_bytes), (body, converter, false)))
                }
                Some(Err(error)) => Some((Err(error), (body, converter, true))),
                None => {
                    let text = converter.finish().map_err(to_error);
                    Some((text.map(String::into_bytes), (body, converter, true)))
                }
            }
        },
    );
    let mut response = worker::Response::from_stream(converted)?;
    let headers = response.headers_mut();
    headers.set("content-type", "text/csv; charset=utf-8")?;
    headers.set(
        "content-disposition",
        &format!("attachment; filename=\"{}.spreadsheet-safe.csv\"", row.id),
    )?;
    headers.set("cache-control", "no-store")?;
    Ok(response)
}
