//! Reading a deposit one record at a time, so a deposit can be checked or compared as it
//! streams in ([`crate::changes::StreamingDiff`]) and [`super::parse_deposit`] shares the
//! same rules.
//!
//! Rules: the sections come in the documented order, each with its header row; every row has
//! the section's number of fields; keys are not empty and come in strictly increasing byte
//! order (a repeated key "appears twice"); name server rows come in domain order with each
//! host once per domain; contacts name a reseller of the deposit, domains name contacts and a
//! reseller of the deposit, name server rows a domain of the deposit; times are RFC 3339,
//! language tags and verification states known; `#counts` matches what the sections hold;
//! `#end` comes last and nothing follows it. Each refusal is a [`Problem`] naming the line
//! and field (`MalformedInput` for structure, `InvalidValue` for values).
//!
//! Memory: what it keeps to check references, not the objects it hands back: the reseller
//! ids, the contact handles (one buffer plus an offset each) and the domain names, front- and
//! back-coded (sorted names share long beginnings and the TLD, so a few bytes each).

use std::collections::{BTreeMap, BTreeSet};

use super::{
    check_verification, invalid, parse_time, DepositHeader, DepositType, EscrowContact,
    EscrowDomain, EscrowReseller, ObjectCounts, Section, COUNT_FIELDS, DEPOSIT_FIELDS,
    DOMAIN_FIELDS_1_0, DOMAIN_FIELDS_1_1, FORMAT_VERSION, FORMAT_VERSION_1_0, FORMAT_VERSION_1_1,
};
use crate::error::{ErrorCode, Problem};
use crate::lifecycle::{Certification, Channel};
use crate::model::{ContactInfo, DomainName, IdnLanguage, Nameserver, Timestamp};
use crate::rfc4180::{RecordLines, Row};
use crate::validate::EligibilityCriterion;

/// One object of the deposit, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DepositItem {
    /// The header with its declared counts, once `#counts` is complete.
    Header(DepositHeader),
    Reseller(EscrowReseller),
    Contact(EscrowContact),
    /// A domain without its name servers (they come later, as [`DepositItem::Nameserver`]).
    Domain(EscrowDomain),
    Nameserver {
        domain: String,
        nameserver: Nameserver,
    },
}

/// The parts of the file, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Deposit,
    Counts,
    Objects(Section),
    End,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Deposit => "deposit",
            Part::Counts => "counts",
            Part::Objects(section) => section.name(),
            Part::End => "end",
        }
    }

    fn fields(self) -> &'static [&'static str] {
        match self {
            Part::Deposit => &DEPOSIT_FIELDS,
            Part::Counts => &COUNT_FIELDS,
            Part::Objects(section) => section.fields(),
            Part::End => &[],
        }
    }

    fn next(self) -> Part {
        match self {
            Part::Deposit => Part::Counts,
            Part::Counts => Part::Objects(Section::Resellers),
            Part::Objects(Section::Resellers) => Part::Objects(Section::Contacts),
            Part::Objects(Section::Contacts) => Part::Objects(Section::Domains),
            Part::Objects(Section::Domains) => Part::Objects(Section::Nameservers),
            Part::Objects(Section::Nameservers) | Part::End => Part::End,
        }
    }
}

/// What the next record must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The `#name` line of this part.
    Opening(Part),
    /// The header row of this part.
    HeaderRow(Part),
    /// Data rows of this part, or the next part's `#name`.
    Rows(Part),
    /// Nothing: `#end` was read.
    Nothing,
}

/// Sorted keys in one buffer, for membership by binary search.
#[derive(Debug, Default)]
struct SortedKeys {
    text: String,
    ends: Vec<u32>,
}

impl SortedKeys {
    fn get(&self, index: usize) -> &str {
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).map_or(0, |&end| end as usize),
            None => 0,
        };
        let end = self.ends.get(index).map_or(start, |&end| end as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// Appends a key greater than every key so far (the caller checked the order).
    fn push(&mut self, key: &str) -> Result<(), Problem> {
        self.text.push_str(key);
        let end = u32::try_from(self.text.len()).map_err(|_| {
            invalid(
                "deposit",
                "more than 4 GiB of keys; the deposit is too large",
            )
        })?;
        self.ends.push(end);
        Ok(())
    }

    fn index_of(&self, key: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.get(middle).cmp(key) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }
}

/// Sorted names, each stored as the lengths of the beginning and the ending it shares with
/// the name before, and the bytes in between; read back in order by a cursor, which is how
/// name server rows look them up.
#[derive(Debug, Default)]
struct FrontCoded {
    bytes: Vec<u8>,
    last: Vec<u8>,
    /// The cursor: the offset of the next entry and the name it decoded last.
    read: usize,
    current: Vec<u8>,
}

fn put_length(bytes: &mut Vec<u8>, mut value: usize) {
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            bytes.push(low);
            return;
        }
        bytes.push(low | 0x80);
    }
}

fn get_length(bytes: &[u8], offset: &mut usize) -> Option<usize> {
    let mut value = 0usize;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*offset)?;
        *offset += 1;
        value |= usize::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
    }
}

impl FrontCoded {
    fn push(&mut self, name: &str) {
        let name = name.as_bytes();
        let prefix = self
            .last
            .iter()
            .zip(name)
            .take_while(|(a, b)| a == b)
            .count();
        // The shared ending (the TLD, mostly), within what the prefix left of both names.
        let room = self.last.len().min(name.len()) - prefix;
        let suffix = self
            .last
            .iter()
            .rev()
            .zip(name.iter().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        let middle = name.get(prefix..name.len() - suffix).unwrap_or_default();
        put_length(&mut self.bytes, prefix);
        put_length(&mut self.bytes, suffix);
        put_length(&mut self.bytes, middle.len());
        self.bytes.extend_from_slice(middle);
        self.last.clear();
        self.last.extend_from_slice(name);
    }

    /// Moves the cursor to the first name not below `name`; true if it is `name`. Calls must
    /// come with non-decreasing names.
    fn seek(&mut self, name: &str) -> bool {
        let name = name.as_bytes();
        while self.current.as_slice() < name {
            let mut offset = self.read;
            let (Some(prefix), Some(suffix), Some(length)) = (
                get_length(&self.bytes, &mut offset),
                get_length(&self.bytes, &mut offset),
                get_length(&self.bytes, &mut offset),
            ) else {
                return false;
            };
            let (Some(middle), Some(ending)) = (
                self.bytes.get(offset..offset + length),
                self.current
                    .len()
                    .checked_sub(suffix)
                    .and_then(|start| self.current.get(start..)),
            ) else {
                return false;
            };
            let mut next = Vec::with_capacity(prefix + length + suffix);
            next.extend_from_slice(self.current.get(..prefix).unwrap_or_default());
            next.extend_from_slice(middle);
            next.extend_from_slice(ending);
            self.current = next;
            self.read = offset + length;
        }
        self.current.as_slice() == name
    }
}

/// A data row with its line, for field access with good errors.
struct Record<'a> {
    line: usize,
    section: &'static str,
    fields: &'a [String],
    names: &'static [&'static str],
}

impl Record<'_> {
    fn problem(&self, column: usize, message: impl Into<String>) -> Problem {
        let name = self.names.get(column).copied().unwrap_or("?");
        invalid(
            format!("{}.{name}", self.section),
            format!("line {}: {}", self.line, message.into()),
        )
    }

    fn text(&self, column: usize) -> &str {
        self.fields.get(column).map_or("", String::as_str)
    }

    fn owned(&self, column: usize) -> String {
        self.text(column).to_string()
    }

    fn optional(&self, column: usize) -> Option<String> {
        Some(self.text(column))
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    }

    fn key(&self, column: usize) -> Result<String, Problem> {
        let value = self.text(column);
        if value.is_empty() {
            return Err(self.problem(column, "may not be empty"));
        }
        Ok(value.to_string())
    }

    fn time(&self, column: usize) -> Result<Timestamp, Problem> {
        parse_time("", self.text(column)).map_err(|p| self.problem(column, p.message))
    }

    fn words(&self, column: usize) -> Vec<String> {
        self.text(column)
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    fn unknown(&self, column: usize, kind: &str, key: &str) -> Problem {
        self.problem(
            column,
            format!("`{key}` names a {kind} that is not in the deposit"),
        )
    }
}

fn malformed(line: usize, message: impl Into<String>) -> Problem {
    Problem::new(ErrorCode::MalformedInput, format!("line {line}"), message)
}

/// Checks a deposit record by record and hands back its objects; see the module rules.
#[derive(Debug)]
pub struct DepositReader {
    expect: Expect,
    last_line: usize,
    header: Option<DepositHeader>,
    declared: BTreeMap<String, u64>,
    found: ObjectCounts,
    reseller_ids: BTreeSet<String>,
    handles: SortedKeys,
    domain_names: FrontCoded,
    /// The last key of the current section (for name servers: the domain).
    last_key: Option<String>,
    hosts_of_domain: Vec<String>,
    /// The minor format version: 0 (`#domains` without the certification), 1 (without
    /// `ds_records`) or 2 (current).
    minor: u8,
}

impl Default for DepositReader {
    fn default() -> Self {
        DepositReader::new()
    }
}

impl DepositReader {
    pub fn new() -> DepositReader {
        DepositReader {
            expect: Expect::Opening(Part::Deposit),
            last_line: 1,
            header: None,
            declared: BTreeMap::new(),
            found: ObjectCounts::default(),
            reseller_ids: BTreeSet::new(),
            handles: SortedKeys::default(),
            domain_names: FrontCoded::default(),
            last_key: None,
            hosts_of_domain: Vec::new(),
            minor: 2,
        }
    }

    /// The fields of `part` in the version being read.
    fn fields_of(&self, part: Part) -> &'static [&'static str] {
        match part {
            Part::Objects(Section::Domains) if self.minor == 0 => &DOMAIN_FIELDS_1_0,
            Part::Objects(Section::Domains) if self.minor == 1 => &DOMAIN_FIELDS_1_1,
            _ => part.fields(),
        }
    }

    /// The position of `handle` among the deposit's contacts read so far (sorted), if any.
    pub fn contact_index(&self, handle: &str) -> Option<usize> {
        self.handles.index_of(handle)
    }

    /// Reads the next record; returns the object it holds, if it is a data row of an object
    /// section (or the header, once complete).
    pub fn read_row(&mut self, row: Row) -> Result<Option<DepositItem>, Problem> {
        match row {
            Row::Section { line, name } => {
                self.last_line = line;
                self.read_opening(line, &name)
            }
            Row::Fields { line, fields } => {
                self.last_line = line;
                self.read_fields(line, &fields)
            }
        }
    }

    fn read_opening(&mut self, line: usize, name: &str) -> Result<Option<DepositItem>, Problem> {
        let mut item = None;
        let part = match self.expect {
            Expect::Opening(part) => part,
            Expect::Rows(part) => {
                item = self.close(part)?;
                part.next()
            }
            Expect::HeaderRow(part) => {
                return Err(malformed(
                    line,
                    format!(
                        "the section `#{}` must start with its header row",
                        part.name()
                    ),
                ))
            }
            Expect::Nothing => return Err(malformed(line, "text after `#end`")),
        };
        if name != part.name() {
            return Err(malformed(
                line,
                format!("section `#{name}` where `#{}` was expected", part.name()),
            ));
        }
        self.last_key = None;
        self.hosts_of_domain.clear();
        self.expect = if part == Part::End {
            Expect::Nothing
        } else {
            Expect::HeaderRow(part)
        };
        Ok(item)
    }

    /// Ends a part: the deposit row must be there; the counts make the header.
    fn close(&mut self, part: Part) -> Result<Option<DepositItem>, Problem> {
        match part {
            Part::Deposit if self.header.is_none() => Err(malformed(
                self.last_line,
                "`#deposit` must have its one row",
            )),
            Part::Counts => {
                let count_of = |section: Section| -> Result<u64, Problem> {
                    self.declared.get(section.object()).copied().ok_or_else(|| {
                        invalid(
                            "counts",
                            format!("`#counts` lacks the count of `{}`", section.object()),
                        )
                    })
                };
                let counts = ObjectCounts {
                    resellers: count_of(Section::Resellers)?,
                    contacts: count_of(Section::Contacts)?,
                    domains: count_of(Section::Domains)?,
                    nameservers: count_of(Section::Nameservers)?,
                };
                Ok(self.header.as_mut().map(|header| {
                    header.counts = counts;
                    DepositItem::Header(header.clone())
                }))
            }
            _ => Ok(None),
        }
    }

    fn read_fields(
        &mut self,
        line: usize,
        fields: &[String],
    ) -> Result<Option<DepositItem>, Problem> {
        let part = match self.expect {
            Expect::Opening(part) => {
                return Err(malformed(
                    line,
                    format!(
                        "a data row where the section `#{}` was expected",
                        part.name()
                    ),
                ))
            }
            Expect::HeaderRow(part) => {
                let expected = self.fields_of(part);
                if fields != expected {
                    let version = match self.minor {
                        0 => FORMAT_VERSION_1_0,
                        1 => FORMAT_VERSION_1_1,
                        _ => FORMAT_VERSION,
                    };
                    return Err(malformed(
                        line,
                        format!(
                            "the `#{}` header row is `{}`; this reader expects `{}` (format {})",
                            part.name(),
                            fields.join(","),
                            expected.join(","),
                            version
                        ),
                    ));
                }
                self.expect = Expect::Rows(part);
                return Ok(None);
            }
            Expect::Rows(part) => part,
            Expect::Nothing => return Err(malformed(line, "text after `#end`")),
        };
        let names = self.fields_of(part);
        if fields.len() != names.len() {
            return Err(malformed(
                line,
                format!(
                    "{} fields in a `#{}` row; it has {} ({})",
                    fields.len(),
                    part.name(),
                    names.len(),
                    names.join(",")
                ),
            ));
        }
        let record = Record {
            line,
            section: part.name(),
            fields,
            names,
        };
        match part {
            Part::Deposit => self.deposit_row(&record).map(|()| None),
            Part::Counts => self.count_row(&record).map(|()| None),
            Part::Objects(Section::Resellers) => self.reseller_row(&record).map(Some),
            Part::Objects(Section::Contacts) => self.contact_row(&record).map(Some),
            Part::Objects(Section::Domains) => self.domain_row(&record).map(Some),
            Part::Objects(Section::Nameservers) => self.nameserver_row(&record).map(Some),
            Part::End => Err(malformed(line, "a data row where `#end` was expected")),
        }
    }

    /// Checks `key` (column `column`) comes strictly after the section's previous key.
    fn check_order(&mut self, record: &Record<'_>, column: usize) -> Result<String, Problem> {
        let key = record.key(column)?;
        if let Some(last) = &self.last_key {
            if key == *last {
                return Err(record.problem(column, format!("`{key}` appears twice")));
            }
            if key < *last {
                return Err(record.problem(
                    column,
                    format!(
                        "`{key}` comes after `{last}`: {} must be given once each, in byte \
                         order of their key",
                        record.section
                    ),
                ));
            }
        }
        self.last_key = Some(key.clone());
        Ok(key)
    }

    fn deposit_row(&mut self, record: &Record<'_>) -> Result<(), Problem> {
        if self.header.is_some() {
            return Err(record.problem(0, "`#deposit` has exactly one row"));
        }
        if record.text(2) != DepositType::Full.as_str() {
            return Err(record.problem(
                2,
                format!("`{}`: only FULL deposits are read", record.text(2)),
            ));
        }
        match record.text(4) {
            FORMAT_VERSION => self.minor = 2,
            FORMAT_VERSION_1_1 => self.minor = 1,
            FORMAT_VERSION_1_0 => self.minor = 0,
            other => {
                return Err(record.problem(
                    4,
                    format!(
                        "version `{other}`; this reader reads {FORMAT_VERSION}, {FORMAT_VERSION_1_1} and {FORMAT_VERSION_1_0}"
                    ),
                ))
            }
        }
        self.header = Some(DepositHeader {
            tld: record.key(0)?,
            id: record.key(1)?,
            deposit_type: DepositType::Full,
            watermark: record.time(3)?,
            counts: ObjectCounts::default(),
        });
        Ok(())
    }

    fn count_row(&mut self, record: &Record<'_>) -> Result<(), Problem> {
        let object = record.key(0)?;
        if !Section::ALL.iter().any(|s| s.object() == object) {
            return Err(record.problem(
                0,
                format!("`{object}` is not an object type of this format"),
            ));
        }
        let count = record
            .text(1)
            .parse::<u64>()
            .map_err(|_| record.problem(1, format!("`{}` is not a count", record.text(1))))?;
        if self.declared.insert(object.clone(), count).is_some() {
            return Err(record.problem(0, format!("`{object}` appears twice")));
        }
        Ok(())
    }

    fn reseller_row(&mut self, record: &Record<'_>) -> Result<DepositItem, Problem> {
        let id = self.check_order(record, 0)?;
        self.reseller_ids.insert(id.clone());
        self.found.resellers += 1;
        Ok(DepositItem::Reseller(EscrowReseller {
            id,
            name: record.owned(1),
        }))
    }

    fn contact_row(&mut self, record: &Record<'_>) -> Result<DepositItem, Problem> {
        let handle = self.check_order(record, 0)?;
        let reseller = record.key(14)?;
        if !self.reseller_ids.contains(&reseller) {
            return Err(record.unknown(14, "reseller", &reseller));
        }
        let verification = record.owned(15);
        check_verification("", &verification).map_err(|p| record.problem(15, p.message))?;
        self.handles.push(&handle)?;
        self.found.contacts += 1;
        Ok(DepositItem::Contact(EscrowContact {
            handle,
            info: ContactInfo {
                first_name: record.owned(1),
                last_name: record.owned(2),
                organization: record.optional(3),
                street: (4..7)
                    .filter_map(|column| record.optional(column))
                    .collect(),
                city: record.owned(7),
                state: record.optional(8),
                postcode: record.owned(9),
                country: record.owned(10),
                phone: record.owned(11),
                fax: record.optional(12),
                email: record.owned(13),
            },
            reseller,
            verification,
        }))
    }

    fn domain_row(&mut self, record: &Record<'_>) -> Result<DepositItem, Problem> {
        let ascii = self.check_order(record, 0)?;
        let language = match record.text(2) {
            "" => None,
            tag => Some(IdnLanguage::from_tag(tag).ok_or_else(|| {
                record.problem(
                    2,
                    format!("`{tag}` is not an IDN language (CYRL, FR, DE, IT, PT, ES)"),
                )
            })?),
        };
        let registrant = record.key(5)?;
        for column in 5..9 {
            let handle = record.text(column);
            if !handle.is_empty() && self.handles.index_of(handle).is_none() {
                return Err(record.unknown(column, "contact", handle));
            }
        }
        let reseller = record.key(9)?;
        if !self.reseller_ids.contains(&reseller) {
            return Err(record.unknown(9, "reseller", &reseller));
        }
        let created = record.time(10)?;
        let expires = record.time(11)?;
        let certification = if self.minor == 0 {
            None
        } else {
            certification(record)?
        };
        let mut ds_records = Vec::new();
        if self.minor >= 2 {
            for text in record.text(16).split(';').filter(|t| !t.trim().is_empty()) {
                let ds = crate::dns::parse_ds(text).map_err(|error| {
                    record.problem(16, format!("`{text}`: {}", error.message()))
                })?;
                ds_records.push(ds);
            }
        }
        self.domain_names.push(&ascii);
        self.found.domains += 1;
        Ok(DepositItem::Domain(EscrowDomain {
            name: DomainName {
                ascii,
                unicode: record.owned(1),
                language,
            },
            roid: record.owned(3),
            statuses: record.words(4),
            registrant,
            admin: record.optional(6),
            tech: record.optional(7),
            billing: record.optional(8),
            reseller,
            created,
            expires,
            certification,
            nameservers: Vec::new(),
            ds_records,
        }))
    }

    fn nameserver_row(&mut self, record: &Record<'_>) -> Result<DepositItem, Problem> {
        let domain = record.key(0)?;
        let host = record.key(1)?;
        if self.last_key.as_deref() == Some(domain.as_str()) {
            if self.hosts_of_domain.contains(&host) {
                return Err(record.problem(1, format!("`{host}` appears twice")));
            }
        } else {
            self.check_order(record, 0)?;
            if !self.domain_names.seek(&domain) {
                return Err(record.unknown(0, "domain", &domain));
            }
            self.hosts_of_domain.clear();
        }
        self.hosts_of_domain.push(host.clone());
        self.found.nameservers += 1;
        Ok(DepositItem::Nameserver {
            domain,
            nameserver: Nameserver {
                host,
                addresses: record.words(2),
            },
        })
    }

    /// The end of the input: `#end` must have been read and the counts must match.
    pub fn finish(&self) -> Result<(), Problem> {
        match self.expect {
            Expect::Nothing => {}
            Expect::Rows(Part::Objects(Section::Nameservers)) => {
                return Err(malformed(
                    self.last_line,
                    "the deposit has no `#end`: it is truncated",
                ))
            }
            Expect::HeaderRow(part) => {
                return Err(malformed(
                    self.last_line + 1,
                    format!(
                        "the section `#{}` must start with its header row",
                        part.name()
                    ),
                ))
            }
            Expect::Opening(part) => {
                return Err(malformed(
                    self.last_line,
                    format!(
                        "the deposit ends before the section `#{}`: it is truncated",
                        part.name()
                    ),
                ))
            }
            Expect::Rows(part) => {
                return Err(malformed(
                    self.last_line,
                    format!(
                        "the deposit ends before the section `#{}`: it is truncated",
                        part.next().name()
                    ),
                ))
            }
        }
        let declared = self.header.as_ref().map(|h| h.counts).unwrap_or_default();
        for section in Section::ALL {
            let (declared, actual) = (section.declared(&declared), section.declared(&self.found));
            if declared != actual {
                return Err(invalid(
                    format!("counts.{}", section.object()),
                    format!(
                        "`#counts` declares {declared} {} rows but the deposit holds {actual}",
                        section.object()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The `certified_*` columns (12 to 15) of a `#domains` row: all empty, or a time and a
/// channel with an optional criterion code and client IP address.
fn certification(record: &Record<'_>) -> Result<Option<Certification>, Problem> {
    if (12..16).all(|column| record.text(column).is_empty()) {
        return Ok(None);
    }
    let criterion = match record.text(12) {
        "" => None,
        code => Some(EligibilityCriterion::from_code(code).ok_or_else(|| {
            record.problem(12, format!("`{code}` is not an eligibility criterion code"))
        })?),
    };
    let at = record.time(13)?;
    let channel = Channel::from_label(record.text(14)).ok_or_else(|| {
        record.problem(
            14,
            format!("`{}` is not `web` or `reseller:<id>`", record.text(14)),
        )
    })?;
    let client_ip = match record.text(15) {
        "" => None,
        ip => Some(
            ip.parse::<std::net::IpAddr>()
                .map_err(|_| record.problem(15, format!("`{ip}` is not an IP address")))?
                .to_string(),
        ),
    };
    Ok(Some(Certification {
        criterion,
        at,
        channel,
        client_ip,
    }))
}

/// A deposit read line by line, as it streams in: [`RecordLines`] assembles the records (a
/// quoted field may span lines), [`DepositReader`] checks them. Holds one record and what
/// the reader keeps.
#[derive(Debug, Default)]
pub struct DepositLines {
    lines: RecordLines,
    reader: DepositReader,
}

impl DepositLines {
    pub fn new() -> DepositLines {
        DepositLines::default()
    }

    /// The next line, with its line feed unless it is the last line; returns the object it
    /// completes, if any (see [`DepositReader::read_row`]).
    pub fn push_line(&mut self, line: &str) -> Result<Option<DepositItem>, Problem> {
        match self.lines.push_line(line)? {
            Some(row) => self.reader.read_row(row),
            None => Ok(None),
        }
    }

    /// The end of the input: reads the last record, if any, and checks the deposit is
    /// complete and its counts match.
    pub fn finish(&mut self) -> Result<Option<DepositItem>, Problem> {
        let item = match self.lines.finish()? {
            Some(row) => self.reader.read_row(row)?,
            None => None,
        };
        self.reader.finish()?;
        Ok(item)
    }

    pub fn reader(&self) -> &DepositReader {
        &self.reader
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_names_read_back_in_order_and_refuse_others() {
        let names = [
            "a.coop",
            "aa.coop",
            "aaa",
            "aaaa",
            "ab.coop",
            "abab.coop",
            "b",
            "bb",
            "xn--caf-dma.coop",
            "Коопрег.coop",
            "Коопрегг.coop",
        ];
        let mut coded = FrontCoded::default();
        for name in names {
            coded.push(name);
        }
        let mut probes: Vec<(&str, bool)> = names.iter().map(|name| (*name, true)).collect();
        probes.extend([("a", false), ("aab", false), ("abc", false), ("zz", false)]);
        probes.sort();
        for (name, member) in probes {
            assert_eq!(coded.seek(name), member, "{name}");
        }
        let mut keys = SortedKeys::default();
        for name in names {
            keys.push(name).unwrap();
        }
        for (index, name) in names.iter().enumerate() {
            assert_eq!(keys.index_of(name), Some(index));
        }
        assert_eq!(keys.index_of("aab"), None);
    }
}
