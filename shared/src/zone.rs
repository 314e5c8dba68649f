//! The `coop.` delegation zone as an RFC 1035 master file, written as a stream.
//!
//! Rules:
//! - The file is `$ORIGIN coop.`, `$TTL`, the SOA, the apex NS records (with glue for apex
//!   name servers inside the zone whose addresses the [`ZoneConfig`] gives), then, per
//!   published domain, its NS records and glue A/AAAA records for its in-domain name servers
//!   only (the host is the domain itself or a name under it), and its DS records (DNSSEC)
//!   after the NS records. Out-of-domain hosts never get glue, even when addresses were
//!   supplied: that is the other zone's business. A domain's records are
//!   [`crate::dns::delegation`], the same rrsets the worker pushes to the hidden primary.
//! - Unpublished domains (`published: false`: held, pending delete, or PROCESSING while the
//!   publish setting is off) produce nothing.
//! - Order: domains in plain byte order of their A-label name, as SQLite's `ORDER BY name`
//!   (BINARY collation) returns them, so the worker can page through D1 and feed each row.
//!   (This is not DNSSEC canonical order: `a-b.coop` sorts before `a.coop` here.) The
//!   writer refuses a name that is not strictly after the previous one, which also refuses
//!   duplicates. Within a domain, NS hosts and glue addresses are sorted and de-duplicated.
//!   Names are written fully qualified and lower case, one record per line, fields separated
//!   by one TAB, no comments: two exports of the same state are byte-identical.
//! - The SOA serial changes only when the content does ([`next_serial`]): the writer hashes
//!   (SHA-256) everything it writes except the serial itself, i.e. the header with the serial
//!   left out, then every record.
//!
//! Streaming: the SOA comes first in the file but its serial depends on the hash of what
//! follows, so the header is produced last. [`ZoneWriter`] writes the body chunk by chunk and
//! [`ZoneWriter::finish`] gives the hash; [`ZoneConfig::header`] then renders the header for
//! the chosen serial. The worker either stores the body and serves `header + body`, or runs
//! the writer twice (once to hash, once to write). Memory held by the writer is the config,
//! the hash state and the last name seen, whatever the zone size.
//!
//! Errors ([`ErrorCode::InvalidValue`]): a name or host that is not lower-case LDH, a domain
//! not directly under the origin or out of order, an unparsable glue address, an in-domain
//! name server without glue (it could never be resolved). A refused domain leaves the writer
//! unchanged, so the caller may log it and go on with the next one.
//!
//! Not checked here (it needs the whole zone): a published domain whose name server lies in
//! another .coop domain that is held gets no glue for it, so that delegation is lame until
//! the other domain is published again.

use core::net::IpAddr;

use sha2::{Digest, Sha256};

use crate::dns::DsRecord;
use crate::error::{ErrorCode, Problem};
use crate::model::{DomainName, Nameserver};

/// The zone's fixed parameters. [`Default`] gives .coop's apex name servers
/// (`a`–`d.nic.coop`, whose glue then comes from the `nic.coop` delegation) and common TTLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneConfig {
    /// The zone apex without trailing dot (`coop`).
    pub origin: String,
    /// SOA MNAME: the primary name server.
    pub primary_ns: String,
    /// SOA RNAME as an e-mail address (`hostmaster@nic.coop`); written in RFC 1035 form.
    pub hostmaster: String,
    pub refresh: u32,
    pub retry: u32,
    pub expire: u32,
    /// SOA MINIMUM: the negative-caching TTL (RFC 2308).
    pub minimum: u32,
    /// The `$TTL` default.
    pub default_ttl: u32,
    pub soa_ttl: u32,
    pub apex_ns_ttl: u32,
    pub delegation_ttl: u32,
    pub glue_ttl: u32,
    /// The apex NS set; addresses are written as glue only for hosts inside the zone. Leave
    /// them empty when the host's own domain (`nic.coop`) is delegated with glue in the zone,
    /// or the glue would appear twice.
    pub apex_nameservers: Vec<Nameserver>,
}

impl Default for ZoneConfig {
    fn default() -> Self {
        let apex = |host: &str| Nameserver {
            host: host.to_string(),
            addresses: Vec::new(),
        };
        ZoneConfig {
            origin: "coop".to_string(),
            primary_ns: "a.nic.coop".to_string(),
            hostmaster: "hostmaster@nic.coop".to_string(),
            refresh: 1_800,
            retry: 900,
            expire: 1_209_600,
            minimum: 3_600,
            default_ttl: 3_600,
            soa_ttl: 3_600,
            apex_ns_ttl: 172_800,
            delegation_ttl: 3_600,
            glue_ttl: 3_600,
            apex_nameservers: vec![
                apex("a.nic.coop"),
                apex("b.nic.coop"),
                apex("c.nic.coop"),
                apex("d.nic.coop"),
            ],
        }
    }
}

/// One domain as the zone needs it; `published` says whether it is delegated at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneDomain {
    pub name: DomainName,
    pub nameservers: Vec<Nameserver>,
    /// The domain's DNSSEC DS records, written after its NS records.
    pub ds: Vec<DsRecord>,
    pub published: bool,
}

/// What [`ZoneWriter::finish`] reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneSummary {
    /// SHA-256, lower-case hex, of everything written except the serial.
    pub content_hash: String,
    pub published_domains: u64,
    pub skipped_domains: u64,
    /// Resource records in the body (NS and glue).
    pub body_records: u64,
    pub body_bytes: u64,
}

/// Writes the body of the zone (everything after the header) domain by domain.
pub struct ZoneWriter {
    config: ZoneConfig,
    hasher: Sha256,
    last_name: Option<String>,
    summary: ZoneSummary,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem::new(ErrorCode::InvalidValue, field, message)
}

/// Checks a host name is lower-case LDH labels (A-label form), without trailing dot. This
/// also keeps anything that could break a line or a field out of the zone file.
pub(crate) fn check_host(field: &str, host: &str) -> Result<(), Problem> {
    let well_formed = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if well_formed {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!(
                "`{host}` is not a host name in A-label form: lower-case labels of a-z, 0-9 and \
                 inner hyphens, 1-63 characters each, 253 in all, no trailing dot"
            ),
        ))
    }
}

/// True when `host` is `domain` itself or a name under it.
pub(crate) fn is_within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

fn push_record(out: &mut String, owner: &str, ttl: u32, kind: &str, data: &str) {
    out.push_str(owner);
    out.push_str(".\t");
    out.push_str(&ttl.to_string());
    out.push_str("\tIN\t");
    out.push_str(kind);
    out.push('\t');
    out.push_str(data);
    out.push('\n');
}

/// Glue A/AAAA records for one host, addresses parsed, sorted (A first) and de-duplicated.
fn push_glue(
    out: &mut String,
    field: &str,
    host: &str,
    addresses: &[String],
    ttl: u32,
) -> Result<u64, Problem> {
    let mut parsed = Vec::with_capacity(addresses.len());
    for (index, address) in addresses.iter().enumerate() {
        let ip: IpAddr = address.parse().map_err(|_| {
            invalid(
                format!("{field}.addresses[{index}]"),
                format!("`{address}` is not an IPv4 (dotted) or IPv6 address"),
            )
        })?;
        parsed.push(ip);
    }
    parsed.sort();
    parsed.dedup();
    for ip in &parsed {
        let kind = if ip.is_ipv4() { "A" } else { "AAAA" };
        push_record(out, host, ttl, kind, &ip.to_string());
    }
    Ok(parsed.len() as u64)
}

/// `user@example.coop` → `user.example.coop.` (dots in the local part escaped).
fn rname(field: &str, email: &str) -> Result<String, Problem> {
    let (local, domain) = email.split_once('@').ok_or_else(|| {
        invalid(
            field,
            format!("`{email}` is not an e-mail address (local@domain)"),
        )
    })?;
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !local_ok {
        return Err(invalid(
            field,
            format!("the local part of `{email}` may hold only a-z, 0-9, `-`, `_` and `.`"),
        ));
    }
    check_host(field, domain)?;
    Ok(format!("{}.{domain}.", local.replace('.', "\\.")))
}

impl ZoneConfig {
    /// Checks every name and address the header will contain.
    pub fn check(&self) -> Result<(), Problem> {
        check_host("zone.origin", &self.origin)?;
        check_host("zone.primary_ns", &self.primary_ns)?;
        rname("zone.hostmaster", &self.hostmaster)?;
        if self.apex_nameservers.is_empty() {
            return Err(invalid(
                "zone.apex_nameservers",
                "the zone needs at least one apex name server",
            ));
        }
        self.render_header(None).map(|_| ())
    }

    /// The header (directives, SOA, apex NS and their glue) for `serial`.
    pub fn header(&self, serial: u32) -> Result<String, Problem> {
        self.render_header(Some(serial))
    }

    /// The header; without a serial it is the text the content hash covers.
    fn render_header(&self, serial: Option<u32>) -> Result<String, Problem> {
        let origin = &self.origin;
        let mut out = format!("$ORIGIN {origin}.\n$TTL {}\n", self.default_ttl);
        let serial_text = serial.map_or_else(|| "serial".to_string(), |s| s.to_string());
        let soa = format!(
            "{}. {} {serial_text} {} {} {} {}",
            self.primary_ns,
            rname("zone.hostmaster", &self.hostmaster)?,
            self.refresh,
            self.retry,
            self.expire,
            self.minimum
        );
        push_record(&mut out, origin, self.soa_ttl, "SOA", &soa);
        let mut apex: Vec<&Nameserver> = self.apex_nameservers.iter().collect();
        apex.sort_by(|a, b| a.host.cmp(&b.host));
        apex.dedup_by(|a, b| a.host == b.host);
        for (index, ns) in apex.iter().enumerate() {
            check_host(&format!("zone.apex_nameservers[{index}]"), &ns.host)?;
            push_record(
                &mut out,
                origin,
                self.apex_ns_ttl,
                "NS",
                &format!("{}.", ns.host),
            );
        }
        for (index, ns) in apex.iter().enumerate() {
            if is_within(&ns.host, origin) {
                let field = format!("zone.apex_nameservers[{index}]");
                push_glue(&mut out, &field, &ns.host, &ns.addresses, self.glue_ttl)?;
            }
        }
        Ok(out)
    }
}

impl ZoneWriter {
    /// A writer for the body of the zone; refuses an invalid configuration.
    pub fn new(config: ZoneConfig) -> Result<ZoneWriter, Problem> {
        config.check()?;
        let mut hasher = Sha256::new();
        hasher.update(config.render_header(None)?.as_bytes());
        Ok(ZoneWriter {
            config,
            hasher,
            last_name: None,
            summary: ZoneSummary {
                content_hash: String::new(),
                published_domains: 0,
                skipped_domains: 0,
                body_records: 0,
                body_bytes: 0,
            },
        })
    }

    pub fn config(&self) -> &ZoneConfig {
        &self.config
    }

    /// The records of one domain (empty when unpublished). Domains must come in strictly
    /// increasing order of `name.ascii`.
    pub fn write_domain(&mut self, domain: &ZoneDomain) -> Result<String, Problem> {
        let mut chunk = String::new();
        self.write_domain_into(domain, &mut chunk)?;
        Ok(chunk)
    }

    /// As [`ZoneWriter::write_domain`], appending to `out`; on error `out` is unchanged.
    pub fn write_domain_into(
        &mut self,
        domain: &ZoneDomain,
        out: &mut String,
    ) -> Result<(), Problem> {
        let name = domain.name.ascii.as_str();
        check_host("domain.name", name)?;
        let under_origin = name
            .strip_suffix(self.config.origin.as_str())
            .and_then(|label| label.strip_suffix('.'))
            .is_some_and(|label| !label.contains('.'));
        if !under_origin {
            return Err(invalid(
                "domain.name",
                format!(
                    "`{name}` is not a name directly under `{}`",
                    self.config.origin
                ),
            ));
        }
        if let Some(last) = &self.last_name {
            if name <= last.as_str() {
                return Err(invalid(
                    "domain.name",
                    format!(
                        "`{name}` comes after `{last}`: domains must be given once each, in \
                         byte order of their A-label name (ORDER BY name)"
                    ),
                ));
            }
        }
        let (text, records) = if domain.published {
            self.render_domain(domain)?
        } else {
            (String::new(), 0)
        };
        // Only now, with nothing left to fail, does the writer change.
        self.last_name = Some(name.to_string());
        if domain.published {
            self.summary.published_domains += 1;
        } else {
            self.summary.skipped_domains += 1;
        }
        self.summary.body_records += records;
        self.summary.body_bytes += text.len() as u64;
        self.hasher.update(text.as_bytes());
        out.push_str(&text);
        Ok(())
    }

    fn render_domain(&self, domain: &ZoneDomain) -> Result<(String, u64), Problem> {
        let mut text = String::new();
        let mut records = 0;
        for set in crate::dns::delegation(domain, &self.config)? {
            for data in &set.records {
                push_record(&mut text, &set.name, set.ttl, &set.rtype, data);
                records += 1;
            }
        }
        Ok((text, records))
    }

    /// Ends the body and reports its hash and counts.
    pub fn finish(self) -> ZoneSummary {
        let digest = self.hasher.finalize();
        ZoneSummary {
            content_hash: to_hex(&digest),
            ..self.summary
        }
    }
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// The SOA serial for a new export, in `YYYYMMDDnn` style.
///
/// Same content hash: the previous serial, unchanged. Otherwise `today * 100` when that is
/// greater, else `previous + 1` (more than 100 changes in a day borrow the next day's
/// numbers, as is usual). At `u32::MAX` it wraps to 0, which RFC 1982 serial arithmetic
/// still reads as "after". A `today` too large for `* 100` counts as not greater.
pub fn next_serial(
    previous_serial: u32,
    previous_content_hash: &str,
    new_content_hash: &str,
    today_yyyymmdd: u32,
) -> u32 {
    if previous_content_hash == new_content_hash {
        return previous_serial;
    }
    match today_yyyymmdd.checked_mul(100) {
        Some(dated) if dated > previous_serial => dated,
        _ => previous_serial.wrapping_add(1),
    }
}

/// The state of the last export, kept by the caller (D1) between exports.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PreviousExport {
    pub serial: u32,
    /// Empty before the first export.
    pub content_hash: String,
}

/// A whole zone rendered in memory, for small zones and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedZone {
    pub text: String,
    pub serial: u32,
    pub summary: ZoneSummary,
}

/// Renders a whole zone at once (header with the right serial, then the body).
pub fn render_zone(
    config: ZoneConfig,
    domains: &[ZoneDomain],
    previous: &PreviousExport,
    today_yyyymmdd: u32,
) -> Result<RenderedZone, Problem> {
    let mut writer = ZoneWriter::new(config)?;
    let mut body = String::new();
    for domain in domains {
        writer.write_domain_into(domain, &mut body)?;
    }
    let config = writer.config().clone();
    let summary = writer.finish();
    let serial = next_serial(
        previous.serial,
        &previous.content_hash,
        &summary.content_hash,
        today_yyyymmdd,
    );
    let mut text = config.header(serial)?;
    text.push_str(&body);
    Ok(RenderedZone {
        text,
        serial,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(ascii: &str) -> DomainName {
        DomainName {
            ascii: ascii.to_string(),
            unicode: ascii.to_string(),
            language: None,
        }
    }

    fn ns(host: &str, addresses: &[&str]) -> Nameserver {
        Nameserver {
            host: host.to_string(),
            addresses: addresses.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn domain(ascii: &str, nameservers: Vec<Nameserver>, published: bool) -> ZoneDomain {
        ZoneDomain {
            name: name(ascii),
            nameservers,
            ds: Vec::new(),
            published,
        }
    }

    fn config() -> ZoneConfig {
        ZoneConfig {
            apex_nameservers: vec![
                ns("ns1.registry.example", &[]),
                ns("b.nic.coop", &["2001:db8::53", "192.0.2.53"]),
            ],
            ..ZoneConfig::default()
        }
    }

    fn body(domains: &[ZoneDomain]) -> Result<(String, ZoneSummary), Problem> {
        let mut writer = ZoneWriter::new(config())?;
        let mut text = String::new();
        for d in domains {
            writer.write_domain_into(d, &mut text)?;
        }
        Ok((text, writer.finish()))
    }

    #[test]
    fn golden_small_zone() {
        let domains = [
            domain(
                "a-b.coop",
                vec![
                    ns("ns2.a-b.coop", &["192.0.2.2", "2001:DB8:0:0::2"]),
                    ns("ns.example.net", &["192.0.2.99"]),
                ],
                true,
            ),
            domain("a.coop", vec![ns("ns.example.net", &[])], true),
            domain(
                "held.coop",
                vec![ns("ns1.held.coop", &["192.0.2.7"])],
                false,
            ),
            domain(
                "self.coop",
                vec![ns("self.coop", &["192.0.2.8"]), ns("ns1.a-b.coop", &[])],
                true,
            ),
        ];
        let zone = render_zone(config(), &domains, &PreviousExport::default(), 20261126).unwrap();
        let expected = "\
$ORIGIN coop.
$TTL 3600
coop.\t3600\tIN\tSOA\ta.nic.coop. hostmaster.nic.coop. 2026112600 1800 900 1209600 3600
coop.\t172800\tIN\tNS\tb.nic.coop.
coop.\t172800\tIN\tNS\tns1.registry.example.
b.nic.coop.\t3600\tIN\tA\t192.0.2.53
b.nic.coop.\t3600\tIN\tAAAA\t2001:db8::53
a-b.coop.\t3600\tIN\tNS\tns.example.net.
a-b.coop.\t3600\tIN\tNS\tns2.a-b.coop.
ns2.a-b.coop.\t3600\tIN\tA\t192.0.2.2
ns2.a-b.coop.\t3600\tIN\tAAAA\t2001:db8::2
a.coop.\t3600\tIN\tNS\tns.example.net.
self.coop.\t3600\tIN\tNS\tns1.a-b.coop.
self.coop.\t3600\tIN\tNS\tself.coop.
self.coop.\t3600\tIN\tA\t192.0.2.8
";
        assert_eq!(zone.text, expected);
        assert_eq!(zone.serial, 2026112600);
        assert_eq!(zone.summary.published_domains, 3);
        assert_eq!(zone.summary.skipped_domains, 1);
        assert_eq!(zone.summary.body_records, 8);
    }

    #[test]
    fn held_names_are_absent_and_do_not_change_the_hash() {
        let published = domain("open.coop", vec![ns("ns1.open.coop", &["192.0.2.1"])], true);
        let (with_held, with_summary) = body(&[
            published.clone(),
            domain(
                "zheld.coop",
                vec![ns("ns1.zheld.coop", &["192.0.2.2"])],
                false,
            ),
        ])
        .unwrap();
        let (without_held, without_summary) = body(&[published]).unwrap();
        assert!(!with_held.contains("zheld"), "{with_held}");
        assert!(with_held.contains("open.coop.\t3600\tIN\tNS\tns1.open.coop.\n"));
        assert_eq!(with_held, without_held);
        assert_eq!(with_summary.content_hash, without_summary.content_hash);
    }

    #[test]
    fn glue_only_for_hosts_inside_the_domain() {
        let (text, _) = body(&[
            domain(
                "owner.coop",
                vec![ns("ns.owner.coop", &["192.0.2.1"])],
                true,
            ),
            domain(
                "user.coop",
                vec![
                    // In the zone but in another domain: its glue belongs to owner.coop.
                    ns("ns.owner.coop", &["192.0.2.1"]),
                    // Outside the zone: never glued even if addresses are given.
                    ns("ns.example.net", &["198.51.100.1"]),
                    // A name that merely ends like the domain is not inside it.
                    ns("ns.xuser.coop", &["192.0.2.9"]),
                ],
                true,
            ),
        ])
        .unwrap();
        let glue: Vec<&str> = text
            .lines()
            .filter(|line| line.contains("\tA\t") || line.contains("\tAAAA\t"))
            .collect();
        assert_eq!(glue, vec!["ns.owner.coop.\t3600\tIN\tA\t192.0.2.1"]);
    }

    #[test]
    fn output_is_deterministic_whatever_the_order_inside_a_domain() {
        let one = domain(
            "x.coop",
            vec![
                ns("ns2.x.coop", &["2001:db8::1", "192.0.2.1"]),
                ns("ns1.example.net", &[]),
            ],
            true,
        );
        let two = domain(
            "x.coop",
            vec![
                ns("ns1.example.net", &[]),
                ns("ns2.x.coop", &["192.0.2.1", "2001:db8::1", "192.0.2.1"]),
            ],
            true,
        );
        assert_eq!(
            body(std::slice::from_ref(&one)).unwrap(),
            body(&[two]).unwrap()
        );
        assert_eq!(
            body(std::slice::from_ref(&one)).unwrap(),
            body(&[one]).unwrap()
        );
    }

    #[test]
    fn refused_domains_leave_the_writer_unchanged() {
        let cases: Vec<(ZoneDomain, &str, &str)> = vec![
            (
                domain("b.coop", vec![ns("ns.b.coop", &[])], true),
                "domain.nameservers[0]",
                "glue",
            ),
            (
                domain("b.coop", vec![ns("ns.b.coop", &["300.1.1.1"])], true),
                "domain.nameservers[0].addresses[0]",
                "IPv4",
            ),
            (
                domain("b.coop", vec![ns("NS.Example.net", &[])], true),
                "domain.nameservers[0]",
                "A-label",
            ),
            (
                domain(
                    "b.coop",
                    vec![ns("ns.example.net\nevil.coop. 1 IN A 1.2.3.4", &[])],
                    true,
                ),
                "domain.nameservers[0]",
                "A-label",
            ),
            (
                domain("b.coop", vec![], true),
                "domain.nameservers",
                "no name servers",
            ),
            (
                domain("b.example", vec![ns("ns.example.net", &[])], true),
                "domain.name",
                "directly under",
            ),
            (
                domain("x.b.coop", vec![ns("ns.example.net", &[])], true),
                "domain.name",
                "directly under",
            ),
            (
                domain("a.coop", vec![ns("ns.example.net", &[])], true),
                "domain.name",
                "byte order",
            ),
            (
                domain("a.coop", vec![ns("ns.example.net", &[])], false),
                "domain.name",
                "byte order",
            ),
        ];
        for (bad, field, needle) in cases {
            let mut writer = ZoneWriter::new(config()).unwrap();
            let mut text = String::new();
            writer
                .write_domain_into(
                    &domain("a.coop", vec![ns("ns.example.net", &[])], true),
                    &mut text,
                )
                .unwrap();
            let before = text.clone();
            let problem = writer.write_domain_into(&bad, &mut text).unwrap_err();
            assert_eq!(problem.code, ErrorCode::InvalidValue);
            assert_eq!(problem.field, field, "{bad:?}");
            assert!(problem.message.contains(needle), "{}", problem.message);
            assert_eq!(text, before);
            // The next valid domain is still accepted, and the refused one left no trace.
            writer
                .write_domain_into(
                    &domain("c.coop", vec![ns("ns.example.net", &[])], true),
                    &mut text,
                )
                .unwrap();
            let summary = writer.finish();
            assert_eq!(summary.published_domains, 2);
            assert_eq!(summary.skipped_domains, 0);
            let (expected, expected_summary) = body(&[
                domain("a.coop", vec![ns("ns.example.net", &[])], true),
                domain("c.coop", vec![ns("ns.example.net", &[])], true),
            ])
            .unwrap();
            assert_eq!(text, expected);
            assert_eq!(summary.content_hash, expected_summary.content_hash);
        }
    }

    #[test]
    fn invalid_configuration_is_refused() {
        let cases: Vec<(ZoneConfig, &str)> = vec![
            (
                ZoneConfig {
                    origin: "Coop".into(),
                    ..config()
                },
                "zone.origin",
            ),
            (
                ZoneConfig {
                    hostmaster: "nobody".into(),
                    ..config()
                },
                "zone.hostmaster",
            ),
            (
                ZoneConfig {
                    hostmaster: "a b@nic.coop".into(),
                    ..config()
                },
                "zone.hostmaster",
            ),
            (
                ZoneConfig {
                    apex_nameservers: vec![],
                    ..config()
                },
                "zone.apex_nameservers",
            ),
            (
                ZoneConfig {
                    apex_nameservers: vec![ns("a.nic.coop", &["not-an-ip"])],
                    ..config()
                },
                "zone.apex_nameservers[0].addresses[0]",
            ),
        ];
        for (bad, field) in cases {
            let problem = ZoneWriter::new(bad).err().expect("refused");
            assert_eq!(problem.field, field);
        }
    }

    #[test]
    fn hostmaster_dots_are_escaped() {
        let header = ZoneConfig {
            hostmaster: "dns.admin@nic.coop".into(),
            ..config()
        }
        .header(1)
        .unwrap();
        assert!(header.contains(" dns\\.admin.nic.coop. 1 "), "{header}");
    }

    #[test]
    fn hash_covers_everything_but_the_serial() {
        let domains = [domain("a.coop", vec![ns("ns.example.net", &[])], true)];
        let base = render_zone(config(), &domains, &PreviousExport::default(), 20261126).unwrap();
        let later = render_zone(
            config(),
            &domains,
            &PreviousExport {
                serial: base.serial,
                content_hash: base.summary.content_hash.clone(),
            },
            20261127,
        )
        .unwrap();
        assert_eq!(later.serial, base.serial, "same content keeps the serial");
        assert_eq!(later.text, base.text);
        let retuned = render_zone(
            ZoneConfig {
                refresh: 3_600,
                ..config()
            },
            &domains,
            &PreviousExport {
                serial: base.serial,
                content_hash: base.summary.content_hash.clone(),
            },
            20261126,
        )
        .unwrap();
        assert_ne!(retuned.summary.content_hash, base.summary.content_hash);
        assert_eq!(retuned.serial, base.serial + 1);
        let changed = body(&[domain("a.coop", vec![ns("ns2.example.net", &[])], true)]).unwrap();
        assert_ne!(changed.1.content_hash, base.summary.content_hash);
        assert_eq!(base.summary.content_hash.len(), 64);
    }

    #[test]
    fn serial_increases_only_on_change() {
        // (previous serial, previous hash, new hash, today, expected)
        let cases = [
            (0, "", "h1", 20261126, 2026112600),
            (2026112600, "h1", "h1", 20261126, 2026112600),
            (2026112600, "h1", "h1", 20261130, 2026112600),
            (2026112600, "h1", "h2", 20261126, 2026112601),
            (2026112601, "h2", "h3", 20261127, 2026112700),
            (2026112699, "h1", "h2", 20261126, 2026112700),
            (2030010100, "h1", "h2", 20261126, 2030010101),
            (u32::MAX, "h1", "h2", 20261126, 0),
            (7, "h1", "h2", 99_999_999, 8),
        ];
        for (previous, old_hash, new_hash, today, expected) in cases {
            assert_eq!(
                next_serial(previous, old_hash, new_hash, today),
                expected,
                "{previous} {today}"
            );
        }
    }
}
