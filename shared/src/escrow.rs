//! The daily escrow deposit: a FULL deposit in the spirit of RFC 8909 (container: watermark,
//! id, type, counts) with RFC 9022's CSV model for the objects, written as a stream and read
//! back for checking and for [`crate::changes`].
//!
//! Format: RFC 9022 puts each object type in its own CSV file inside an archive; we write one
//! UTF-8 text file of sections instead, so the worker can stream it as one object. Each
//! section is a `#name` line, a CSV header row naming the fields (RFC 9022's `<rdeCsv:fields>`;
//! the reader checks it, so a format change cannot be misread), then RFC 4180 records (CRLF,
//! quoting as in [`crate::rfc4180`]). Sections, in this order:
//!
//! ```text
//! #deposit      tld,id,type,watermark,version        (one row; type FULL)
//! #counts       object,count                          (reseller, contact, domain, nameserver)
//! #resellers    id,name
//! #contacts     handle,first_name,last_name,organization,street1,street2,street3,city,state,
//!               postcode,country,phone,fax,email,reseller,verification
//! #domains      name,uname,idn_language,roid,status,registrant,admin,tech,billing,reseller,
//!               created,expires,certified_criterion,certified_at,certified_channel,
//!               certified_ip,ds_records
//! #nameservers  domain,host,addresses
//! #end
//! ```
//!
//! Values: times are RFC 3339 UTC (`2026-11-26T00:00:00Z`); `status` and `addresses` are
//! space-separated lists; an empty optional field (organization, state, fax, admin, tech,
//! billing, idn_language) reads back as `None`, and empty street lines are dropped. `#end`
//! marks a complete file: a truncated deposit is refused.
//!
//! The `certified_*` columns keep the registrant's eligibility certification for audit
//! (product.md): the criterion's code (empty when a reseller named none), when, through which
//! channel (`web` or `reseller:<id>`) and, for a web order, the client's IP address. All four
//! are empty for a domain registered before certifications were kept. They came with format
//! 1.1; the reader also reads 1.0 deposits (without them), so the change report compares
//! across the upgrade.
//!
//! `ds_records` (format 1.2, issue 12) holds the domain's DNSSEC DS records in presentation
//! form (`<key tag> <algorithm> <digest type> <hex digest>`), separated by `;`, empty when
//! the delegation is unsigned; the reader checks each with [`crate::dns::parse_ds`] and reads
//! 1.1 and 1.0 deposits with none.
//!
//! Counts come first, as in RFC 8909's header, so the caller supplies them up front
//! (`SELECT COUNT(*)` per table) and [`DepositWriter`] checks each section against its
//! declared count when the section ends; [`DepositWriter::finish`] refuses a deposit whose
//! counts do not match (the data changed while it was being paged: run it again).
//! Keys must come in strictly increasing byte order within a section (`ORDER BY` key), which
//! makes the output deterministic and refuses duplicates without a memory cost; nameserver
//! rows come in order of domain, a domain's hosts in their own order, each host once.
//! Domains are thus paged twice: once for `#domains`, once for `#nameservers`.
//!
//! The writer holds only the header, the section state and the last key, so its memory does
//! not grow with the registry. Reading goes record by record through [`DepositReader`]
//! (`escrow/reader.rs`), which refuses malformed input with the line and field: wrong
//! section order or header row, a count that does not match, a key out of order or
//! repeated, a reference to a contact, reseller or domain that is not in the deposit, a bad
//! time, language tag or verification state, text after `#end`, or a missing `#end`. It
//! keeps only what checking references needs (a few MiB at 100k domains), so
//! [`DepositLines`] can check a deposit as it streams in; [`parse_deposit`] collects the
//! objects it hands back (about four times the size of the file, see `docs/benchmarks.md`).

use chrono::{DateTime, SecondsFormat};

use crate::dns::DsRecord;
use crate::error::{ErrorCode, Problem};
use crate::lifecycle::Certification;
use crate::model::{ContactInfo, DomainName, IdnLanguage, Nameserver, Timestamp};
use crate::rfc4180;

/// The version of this file format, written in `#deposit`.
pub const FORMAT_VERSION: &str = "1.2";
/// The earlier version with the certification but without `ds_records`.
pub const FORMAT_VERSION_1_1: &str = "1.1";
/// The earlier version the reader still reads: `#domains` without the `certified_*` columns.
pub const FORMAT_VERSION_1_0: &str = "1.0";

/// The verification states a contact may be in (product.md), as written in `#contacts`.
pub const VERIFICATION_STATES: [&str; 4] = ["unverified", "pending", "verified", "rejected"];

const DEPOSIT_FIELDS: [&str; 5] = ["tld", "id", "type", "watermark", "version"];
const COUNT_FIELDS: [&str; 2] = ["object", "count"];
const RESELLER_FIELDS: [&str; 2] = ["id", "name"];
const CONTACT_FIELDS: [&str; 16] = [
    "handle",
    "first_name",
    "last_name",
    "organization",
    "street1",
    "street2",
    "street3",
    "city",
    "state",
    "postcode",
    "country",
    "phone",
    "fax",
    "email",
    "reseller",
    "verification",
];
const DOMAIN_FIELDS: [&str; 17] = [
    "name",
    "uname",
    "idn_language",
    "roid",
    "status",
    "registrant",
    "admin",
    "tech",
    "billing",
    "reseller",
    "created",
    "expires",
    "certified_criterion",
    "certified_at",
    "certified_channel",
    "certified_ip",
    "ds_records",
];
/// `#domains` of format 1.1: without `ds_records`.
const DOMAIN_FIELDS_1_1: [&str; 16] = [
    "name",
    "uname",
    "idn_language",
    "roid",
    "status",
    "registrant",
    "admin",
    "tech",
    "billing",
    "reseller",
    "created",
    "expires",
    "certified_criterion",
    "certified_at",
    "certified_channel",
    "certified_ip",
];
/// `#domains` of format 1.0: the fields before the certification's.
const DOMAIN_FIELDS_1_0: [&str; 12] = [
    "name",
    "uname",
    "idn_language",
    "roid",
    "status",
    "registrant",
    "admin",
    "tech",
    "billing",
    "reseller",
    "created",
    "expires",
];
const NAMESERVER_FIELDS: [&str; 3] = ["domain", "host", "addresses"];

/// RFC 8909 deposit types; only FULL is produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepositType {
    Full,
}

impl DepositType {
    pub fn as_str(self) -> &'static str {
        match self {
            DepositType::Full => "FULL",
        }
    }
}

/// Objects per type, as declared in `#counts`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObjectCounts {
    pub resellers: u64,
    pub contacts: u64,
    pub domains: u64,
    /// Nameserver rows: (domain, host) pairs.
    pub nameservers: u64,
}

/// The deposit's header (RFC 8909 `<rde:deposit>` and RFC 9022 rdeHeader).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepositHeader {
    pub tld: String,
    /// Unique per deposit, e.g. `coop_2026-11-26_full_S1_R0`.
    pub id: String,
    pub deposit_type: DepositType,
    /// The point in time the data reflects.
    pub watermark: Timestamp,
    pub counts: ObjectCounts,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscrowReseller {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscrowContact {
    pub handle: String,
    pub info: ContactInfo,
    /// The sponsoring reseller's id.
    pub reseller: String,
    /// One of [`VERIFICATION_STATES`].
    pub verification: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscrowDomain {
    /// A-label, U-label and IDN language.
    pub name: DomainName,
    /// Repository object id.
    pub roid: String,
    /// EPP status values (`ok`, `serverHold`, …).
    pub statuses: Vec<String>,
    /// The owner contact's handle.
    pub registrant: String,
    pub admin: Option<String>,
    pub tech: Option<String>,
    pub billing: Option<String>,
    /// The sponsoring reseller's id.
    pub reseller: String,
    pub created: Timestamp,
    pub expires: Timestamp,
    /// The eligibility certification given with the registration, when it was kept.
    pub certification: Option<Certification>,
    /// Written in `#nameservers`, one row per host.
    pub nameservers: Vec<Nameserver>,
    /// DNSSEC DS records (format 1.2; empty when read from older deposits).
    pub ds_records: Vec<DsRecord>,
}

/// A whole deposit, as [`parse_deposit`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deposit {
    pub header: DepositHeader,
    pub resellers: Vec<EscrowReseller>,
    pub contacts: Vec<EscrowContact>,
    pub domains: Vec<EscrowDomain>,
}

/// The object sections, in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Resellers,
    Contacts,
    Domains,
    Nameservers,
}

impl Section {
    const ALL: [Section; 4] = [
        Section::Resellers,
        Section::Contacts,
        Section::Domains,
        Section::Nameservers,
    ];

    fn name(self) -> &'static str {
        match self {
            Section::Resellers => "resellers",
            Section::Contacts => "contacts",
            Section::Domains => "domains",
            Section::Nameservers => "nameservers",
        }
    }

    /// The object name in `#counts`.
    fn object(self) -> &'static str {
        match self {
            Section::Resellers => "reseller",
            Section::Contacts => "contact",
            Section::Domains => "domain",
            Section::Nameservers => "nameserver",
        }
    }

    fn fields(self) -> &'static [&'static str] {
        match self {
            Section::Resellers => &RESELLER_FIELDS,
            Section::Contacts => &CONTACT_FIELDS,
            Section::Domains => &DOMAIN_FIELDS,
            Section::Nameservers => &NAMESERVER_FIELDS,
        }
    }

    fn declared(self, counts: &ObjectCounts) -> u64 {
        match self {
            Section::Resellers => counts.resellers,
            Section::Contacts => counts.contacts,
            Section::Domains => counts.domains,
            Section::Nameservers => counts.nameservers,
        }
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem::new(ErrorCode::InvalidValue, field, message)
}

fn format_time(field: &str, time: Timestamp) -> Result<String, Problem> {
    DateTime::from_timestamp(time, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .ok_or_else(|| invalid(field, format!("{time} is outside the range of dates")))
}

fn parse_time(field: &str, text: &str) -> Result<Timestamp, Problem> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp())
        .map_err(|_| {
            invalid(
                field,
                format!("`{text}` is not an RFC 3339 time such as 2026-11-26T00:00:00Z"),
            )
        })
}

/// A value written into a space-separated list must be one non-empty word.
fn check_word(field: &str, value: &str) -> Result<(), Problem> {
    if value.is_empty() || value.chars().any(char::is_whitespace) {
        return Err(invalid(
            field,
            format!(
                "`{value}` must be one non-empty word (it is written in a space-separated list)"
            ),
        ));
    }
    Ok(())
}

fn check_key(field: &str, value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::new(
            ErrorCode::Required,
            field,
            "a key may not be empty",
        ));
    }
    Ok(())
}

fn optional(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

/// Writes a deposit section by section, handing back text chunks.
pub struct DepositWriter {
    counts: ObjectCounts,
    /// The section rows are being written to.
    section: Section,
    written: u64,
    /// The last key of the current section (for nameservers: the domain).
    last_key: Option<String>,
    /// Hosts already written for the current nameserver domain (at most 13).
    hosts_of_domain: Vec<String>,
    finished: bool,
}

impl DepositWriter {
    /// Checks the header and returns the writer and the first chunk (`#deposit`, `#counts`,
    /// and the opening of `#resellers`).
    pub fn new(header: &DepositHeader) -> Result<(DepositWriter, String), Problem> {
        check_key("deposit.tld", &header.tld)?;
        check_key("deposit.id", &header.id)?;
        let watermark = format_time("deposit.watermark", header.watermark)?;
        let mut out = String::from("#deposit\r\n");
        rfc4180::write_record(&mut out, &DEPOSIT_FIELDS);
        rfc4180::write_record(
            &mut out,
            &[
                &header.tld,
                &header.id,
                header.deposit_type.as_str(),
                &watermark,
                FORMAT_VERSION,
            ],
        );
        out.push_str("#counts\r\n");
        rfc4180::write_record(&mut out, &COUNT_FIELDS);
        for section in Section::ALL {
            let count = section.declared(&header.counts).to_string();
            rfc4180::write_record(&mut out, &[section.object(), &count]);
        }
        let writer = DepositWriter {
            counts: header.counts,
            section: Section::Resellers,
            written: 0,
            last_key: None,
            hosts_of_domain: Vec::new(),
            finished: false,
        };
        open_section(&mut out, Section::Resellers);
        Ok((writer, out))
    }

    /// Closes sections up to `target`, checking their counts, and opens `target`.
    fn enter(&mut self, target: Section, out: &mut String) -> Result<(), Problem> {
        if self.finished {
            return Err(invalid("deposit", "the deposit is already finished"));
        }
        if target < self.section {
            return Err(invalid(
                format!("deposit.{}", target.name()),
                format!(
                    "{} must be written before {}: sections go resellers, contacts, domains, \
                     nameservers",
                    target.name(),
                    self.section.name()
                ),
            ));
        }
        while self.section < target {
            self.close_section()?;
            let next = Section::ALL
                .into_iter()
                .find(|s| *s > self.section)
                .unwrap_or(target);
            self.section = next;
            self.written = 0;
            self.last_key = None;
            self.hosts_of_domain.clear();
            open_section(out, next);
        }
        Ok(())
    }

    fn close_section(&self) -> Result<(), Problem> {
        let declared = self.section.declared(&self.counts);
        if self.written != declared {
            return Err(invalid(
                format!("deposit.counts.{}", self.section.object()),
                format!(
                    "{} {} rows were written but the header declares {declared}; the data \
                     changed while it was paged, so write the deposit again",
                    self.written,
                    self.section.object()
                ),
            ));
        }
        Ok(())
    }

    /// Checks `key` comes strictly after the previous key of the section.
    fn check_order(&self, field: &str, key: &str) -> Result<(), Problem> {
        check_key(field, key)?;
        if let Some(last) = &self.last_key {
            if key <= last.as_str() {
                return Err(invalid(
                    field,
                    format!(
                        "`{key}` comes after `{last}`: {} must be given once each, in byte \
                         order of their key",
                        self.section.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Runs `render` for a row of `section`; the writer changes only if it succeeds.
    fn row(
        &mut self,
        section: Section,
        render: impl FnOnce(&Self, &mut String) -> Result<(), Problem>,
    ) -> Result<String, Problem> {
        let mut out = String::new();
        let saved = (
            self.section,
            self.written,
            self.last_key.clone(),
            self.hosts_of_domain.clone(),
        );
        let result = self
            .enter(section, &mut out)
            .and_then(|()| render(self, &mut out));
        match result {
            Ok(()) => {
                self.written += 1;
                Ok(out)
            }
            Err(problem) => {
                // Entering may have moved on to a later section: undo it.
                (
                    self.section,
                    self.written,
                    self.last_key,
                    self.hosts_of_domain,
                ) = saved;
                Err(problem)
            }
        }
    }

    pub fn write_reseller(&mut self, reseller: &EscrowReseller) -> Result<String, Problem> {
        let chunk = self.row(Section::Resellers, |writer, out| {
            writer.check_order("reseller.id", &reseller.id)?;
            rfc4180::write_record(out, &[&reseller.id, &reseller.name]);
            Ok(())
        })?;
        self.last_key = Some(reseller.id.clone());
        Ok(chunk)
    }

    pub fn write_contact(&mut self, contact: &EscrowContact) -> Result<String, Problem> {
        let chunk = self.row(Section::Contacts, |writer, out| {
            writer.check_order("contact.handle", &contact.handle)?;
            let info = &contact.info;
            if info.street.len() > 3 {
                return Err(invalid(
                    "contact.street",
                    format!(
                        "{} street lines; a contact has at most 3",
                        info.street.len()
                    ),
                ));
            }
            check_verification("contact.verification", &contact.verification)?;
            let street = |index: usize| info.street.get(index).map_or("", String::as_str);
            rfc4180::write_record(
                out,
                &[
                    &contact.handle,
                    &info.first_name,
                    &info.last_name,
                    optional(&info.organization),
                    street(0),
                    street(1),
                    street(2),
                    &info.city,
                    optional(&info.state),
                    &info.postcode,
                    &info.country,
                    &info.phone,
                    optional(&info.fax),
                    &info.email,
                    &contact.reseller,
                    &contact.verification,
                ],
            );
            Ok(())
        })?;
        self.last_key = Some(contact.handle.clone());
        Ok(chunk)
    }

    /// The domain's row in `#domains` (its nameservers go in [`Self::write_nameservers`]).
    pub fn write_domain(&mut self, domain: &EscrowDomain) -> Result<String, Problem> {
        let chunk = self.row(Section::Domains, |writer, out| {
            writer.check_order("domain.name", &domain.name.ascii)?;
            check_key("domain.registrant", &domain.registrant)?;
            for (index, status) in domain.statuses.iter().enumerate() {
                check_word(&format!("domain.statuses[{index}]"), status)?;
            }
            let created = format_time("domain.created", domain.created)?;
            let expires = format_time("domain.expires", domain.expires)?;
            let language = domain.name.language.map_or("", IdnLanguage::tag);
            let certification = domain.certification.as_ref();
            let certified_at = match certification {
                Some(certification) => format_time("domain.certified_at", certification.at)?,
                None => String::new(),
            };
            let criterion = certification
                .and_then(|c| c.criterion)
                .map_or("", |criterion| criterion.code());
            let channel = certification.map(|c| c.channel.label()).unwrap_or_default();
            let client_ip = certification
                .and_then(|c| c.client_ip.as_deref())
                .unwrap_or("");
            let ds_records = domain
                .ds_records
                .iter()
                .map(DsRecord::to_text)
                .collect::<Vec<_>>()
                .join(";");
            rfc4180::write_record(
                out,
                &[
                    &domain.name.ascii,
                    &domain.name.unicode,
                    language,
                    &domain.roid,
                    &domain.statuses.join(" "),
                    &domain.registrant,
                    optional(&domain.admin),
                    optional(&domain.tech),
                    optional(&domain.billing),
                    &domain.reseller,
                    &created,
                    &expires,
                    criterion,
                    &certified_at,
                    &channel,
                    client_ip,
                    &ds_records,
                ],
            );
            Ok(())
        })?;
        self.last_key = Some(domain.name.ascii.clone());
        Ok(chunk)
    }

    /// One `#nameservers` row; domains in byte order, each host once per domain.
    pub fn write_nameserver(
        &mut self,
        domain: &str,
        nameserver: &Nameserver,
    ) -> Result<String, Problem> {
        let same_domain =
            self.section == Section::Nameservers && self.last_key.as_deref() == Some(domain);
        let chunk = self.row(Section::Nameservers, |writer, out| {
            check_key("nameserver.domain", domain)?;
            if same_domain {
                if writer.hosts_of_domain.contains(&nameserver.host) {
                    return Err(invalid(
                        "nameserver.host",
                        format!(
                            "`{}` is already a name server of `{domain}`",
                            nameserver.host
                        ),
                    ));
                }
            } else {
                writer.check_order("nameserver.domain", domain)?;
            }
            check_word("nameserver.host", &nameserver.host)?;
            for (index, address) in nameserver.addresses.iter().enumerate() {
                check_word(&format!("nameserver.addresses[{index}]"), address)?;
            }
            rfc4180::write_record(
                out,
                &[domain, &nameserver.host, &nameserver.addresses.join(" ")],
            );
            Ok(())
        })?;
        if !same_domain {
            self.last_key = Some(domain.to_string());
            self.hosts_of_domain.clear();
        }
        self.hosts_of_domain.push(nameserver.host.clone());
        Ok(chunk)
    }

    /// All `#nameservers` rows of one domain, in its own order.
    pub fn write_nameservers(&mut self, domain: &EscrowDomain) -> Result<String, Problem> {
        let mut chunk = String::new();
        for nameserver in &domain.nameservers {
            chunk.push_str(&self.write_nameserver(&domain.name.ascii, nameserver)?);
        }
        Ok(chunk)
    }

    /// Closes the remaining sections (checking every count) and writes `#end`.
    pub fn finish(mut self) -> Result<String, Problem> {
        let mut out = String::new();
        self.enter(Section::Nameservers, &mut out)?;
        self.close_section()?;
        self.finished = true;
        out.push_str("#end\r\n");
        Ok(out)
    }
}

fn open_section(out: &mut String, section: Section) {
    out.push('#');
    out.push_str(section.name());
    out.push_str("\r\n");
    rfc4180::write_record(out, section.fields());
}

fn check_verification(field: &str, state: &str) -> Result<(), Problem> {
    if VERIFICATION_STATES.contains(&state) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!(
                "`{state}` is not a verification state; one of {}",
                VERIFICATION_STATES.join(", ")
            ),
        ))
    }
}

/// Writes a whole deposit in memory (tests, small registries). `header.counts` is computed.
pub fn write_deposit(
    header: &DepositHeader,
    resellers: &[EscrowReseller],
    contacts: &[EscrowContact],
    domains: &[EscrowDomain],
) -> Result<String, Problem> {
    let mut header = header.clone();
    header.counts = ObjectCounts {
        resellers: resellers.len() as u64,
        contacts: contacts.len() as u64,
        domains: domains.len() as u64,
        nameservers: domains.iter().map(|d| d.nameservers.len() as u64).sum(),
    };
    let (mut writer, mut text) = DepositWriter::new(&header)?;
    for reseller in resellers {
        text.push_str(&writer.write_reseller(reseller)?);
    }
    for contact in contacts {
        text.push_str(&writer.write_contact(contact)?);
    }
    for domain in domains {
        text.push_str(&writer.write_domain(domain)?);
    }
    for domain in domains {
        text.push_str(&writer.write_nameservers(domain)?);
    }
    text.push_str(&writer.finish()?);
    Ok(text)
}

// --- reading ------------------------------------------------------------------------------

mod reader;

pub use reader::{DepositItem, DepositLines, DepositReader};

/// Reads a deposit written by [`DepositWriter`] into memory; refuses anything malformed
/// (never panics), with the rules of [`DepositReader`].
pub fn parse_deposit(text: &str) -> Result<Deposit, Problem> {
    let mut reader = DepositReader::new();
    let mut header = None;
    let mut resellers = Vec::new();
    let mut contacts = Vec::new();
    let mut domains: Vec<EscrowDomain> = Vec::new();
    // Name server rows come in domain order, so a cursor finds their domain.
    let mut owner = 0;
    for row in rfc4180::Reader::new(text) {
        match reader.read_row(row?)? {
            None => {}
            Some(DepositItem::Header(found)) => header = Some(found),
            Some(DepositItem::Reseller(reseller)) => resellers.push(reseller),
            Some(DepositItem::Contact(contact)) => contacts.push(contact),
            Some(DepositItem::Domain(domain)) => domains.push(domain),
            Some(DepositItem::Nameserver { domain, nameserver }) => {
                while domains
                    .get(owner)
                    .is_some_and(|d| d.name.ascii.as_str() < domain.as_str())
                {
                    owner += 1;
                }
                if let Some(found) = domains.get_mut(owner) {
                    found.nameservers.push(nameserver);
                }
            }
        }
    }
    reader.finish()?;
    let header = header.ok_or_else(|| invalid("deposit", "the deposit has no header"))?;
    Ok(Deposit {
        header,
        resellers,
        contacts,
        domains,
    })
}
