//! The escrow deposit: round trip, streaming, and refusal of bad data and malformed files.

mod common;

use common::*;
use coopreg_shared::error::ErrorCode;
use coopreg_shared::escrow::{
    parse_deposit, write_deposit, Deposit, DepositWriter, EscrowContact, ObjectCounts,
};

fn deposit_text() -> String {
    write_deposit(
        &header("coop_2026-11-26_full_S1_R0"),
        &resellers(),
        &contacts(),
        &domains(),
    )
    .expect("the fixture is valid")
}

#[test]
fn round_trip_gives_back_every_object() {
    let text = deposit_text();
    let deposit = parse_deposit(&text).expect("own output parses");
    let mut expected_header = header("coop_2026-11-26_full_S1_R0");
    expected_header.counts = ObjectCounts {
        resellers: 3,
        contacts: 5,
        domains: 6,
        nameservers: 10,
    };
    assert_eq!(
        deposit,
        Deposit {
            header: expected_header,
            resellers: resellers(),
            contacts: contacts(),
            domains: domains(),
        }
    );
}

#[test]
fn the_file_has_the_documented_shape() {
    let text = deposit_text();
    let sections: Vec<&str> = text.split("\r\n").filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        sections,
        [
            "#deposit",
            "#counts",
            "#resellers",
            "#contacts",
            "#domains",
            "#nameservers",
            "#end"
        ]
    );
    assert!(text.starts_with(
        "#deposit\r\ntld,id,type,watermark,version\r\n\
         coop,coop_2026-11-26_full_S1_R0,FULL,2026-11-26T00:00:00Z,1.2\r\n\
         #counts\r\nobject,count\r\nreseller,3\r\ncontact,5\r\ndomain,6\r\nnameserver,10\r\n"
    ));
    // Awkward values are quoted, a leading `#` included, so no data line starts a section.
    assert!(text.contains(
        "C-AWKWARD,Zoë,\"O'Brien, Jr.\",\"\"\"Quoted\"\" Co-operative, Ltd.\",\
         \"Unit 4,\r\nBlock \"\"B\"\"\",\"#2 Harbour Road\",\"Line\nthree\",Manchester,"
    ));
    assert!(text.contains(
        "glued.coop,glued.coop,,GLUED_COOP-COOP,clientTransferProhibited serverHold,C-OWNER,\
         C-ADMIN,C-TECH,C-OWNER,R-1,2025-10-22T00:00:00Z,2027-10-22T00:00:00Z,\
         cooperative_under_local_law,2025-10-22T00:00:17Z,web,2001:db8::7,\
         2371 13 2 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a;\
         2371 13 4 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b\
         0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b\r\n"
    ));
    // The certification: a reseller's without criterion, and none for an old record.
    assert!(text.contains(",2025-10-22T00:00:00Z,reseller:R-3,,\r\n"));
    assert!(text.contains("no-ns.coop,no-ns.coop,,NO-NS_COOP-COOP,pendingCreate,C-AWKWARD,,,,R-2,2025-10-22T00:00:00Z,2027-10-22T00:00:00Z,,,,,\r\n"));
    assert!(text.contains("glued.coop,ns2.glued.coop,192.0.2.2 2001:db8::2\r\n"));
    assert!(text.ends_with("#end\r\n"));
}

#[test]
fn streaming_chunks_equal_the_whole_and_are_deterministic() {
    let whole = deposit_text();
    let domains = domains();
    let mut header = header("coop_2026-11-26_full_S1_R0");
    header.counts = ObjectCounts {
        resellers: 3,
        contacts: 5,
        domains: 6,
        nameservers: 10,
    };
    let (mut writer, mut streamed) = DepositWriter::new(&header).unwrap();
    let mut largest_chunk = 0;
    let mut push = |chunk: String, streamed: &mut String| {
        largest_chunk = largest_chunk.max(chunk.len());
        streamed.push_str(&chunk);
    };
    for reseller in resellers() {
        push(writer.write_reseller(&reseller).unwrap(), &mut streamed);
    }
    for contact in contacts() {
        push(writer.write_contact(&contact).unwrap(), &mut streamed);
    }
    for domain in &domains {
        push(writer.write_domain(domain).unwrap(), &mut streamed);
    }
    for domain in &domains {
        for nameserver in &domain.nameservers {
            push(
                writer
                    .write_nameserver(&domain.name.ascii, nameserver)
                    .unwrap(),
                &mut streamed,
            );
        }
    }
    push(writer.finish().unwrap(), &mut streamed);
    assert_eq!(streamed, whole);
    assert_eq!(deposit_text(), whole);
    // One row at a time: the longest is `glued.coop`'s with its two DS records (400 bytes),
    // far below the whole deposit.
    assert!(largest_chunk <= 400, "{largest_chunk}");
    assert!(largest_chunk * 4 < whole.len(), "{largest_chunk}");
}

#[test]
fn empty_sections_are_written_and_read() {
    let text = write_deposit(&header("empty"), &[], &[], &[]).unwrap();
    let deposit = parse_deposit(&text).unwrap();
    assert_eq!(deposit.header.counts, ObjectCounts::default());
    assert!(deposit.domains.is_empty() && deposit.contacts.is_empty());
}

#[test]
fn bad_objects_are_refused_and_leave_the_writer_usable() {
    // Each bad contact sorts between C-ADMIN and C-AWKWARD, unless order is what is tested.
    let between = || {
        let mut contact = contacts().remove(0);
        contact.handle = "C-ADMIN2".into();
        contact
    };
    let mut too_many_streets = between();
    too_many_streets.info.street = vec!["a".into(), "b".into(), "c".into(), "d".into()];
    let mut bad_state = between();
    bad_state.verification = "approved".into();
    let mut unordered = contacts().remove(0);
    unordered.handle = "A-BEFORE".into();
    let mut empty_handle = between();
    empty_handle.handle = String::new();
    let cases: Vec<(EscrowContact, &str, &str)> = vec![
        (too_many_streets, "contact.street", "at most 3"),
        (
            bad_state,
            "contact.verification",
            "unverified, pending, verified, rejected",
        ),
        (unordered, "contact.handle", "byte order"),
        (contacts().remove(0), "contact.handle", "byte order"), // a duplicate
        (empty_handle, "contact.handle", "empty"),
    ];
    for (bad, field, needle) in cases {
        let mut header = header("x");
        header.counts = ObjectCounts {
            resellers: 3,
            contacts: 5,
            domains: 0,
            nameservers: 0,
        };
        let (mut writer, mut text) = DepositWriter::new(&header).unwrap();
        for reseller in resellers() {
            text.push_str(&writer.write_reseller(&reseller).unwrap());
        }
        let all = contacts();
        text.push_str(&writer.write_contact(&all[0]).unwrap());
        let problem = writer.write_contact(&bad).unwrap_err();
        assert_eq!(problem.field, field, "{bad:?}");
        assert!(problem.message.contains(needle), "{}", problem.message);
        for contact in &all[1..] {
            text.push_str(&writer.write_contact(contact).unwrap());
        }
        text.push_str(&writer.finish().unwrap());
        let deposit = parse_deposit(&text).unwrap();
        assert_eq!(deposit.contacts, all);
    }
}

#[test]
fn bad_domain_values_are_refused() {
    let mut spaced = domains().remove(0);
    spaced.statuses = vec!["server Hold".into()];
    let mut no_owner = domains().remove(0);
    no_owner.registrant = String::new();
    let mut far_future = domains().remove(0);
    far_future.expires = i64::MAX;
    for (bad, field) in [
        (spaced, "domain.statuses[0]"),
        (no_owner, "domain.registrant"),
        (far_future, "domain.expires"),
    ] {
        let mut header = header("x");
        header.counts = ObjectCounts {
            resellers: 0,
            contacts: 0,
            domains: 1,
            nameservers: 0,
        };
        let (mut writer, _) = DepositWriter::new(&header).unwrap();
        assert_eq!(writer.write_domain(&bad).unwrap_err().field, field);
    }
}

#[test]
fn sections_must_come_in_order_and_match_their_counts() {
    let mut header = header("x");
    header.counts = ObjectCounts {
        resellers: 3,
        contacts: 5,
        domains: 6,
        nameservers: 10,
    };
    let (mut writer, _) = DepositWriter::new(&header).unwrap();
    for reseller in resellers() {
        writer.write_reseller(&reseller).unwrap();
    }
    // Skipping to domains with contacts missing: the contact count is checked.
    let problem = writer.write_domain(&domains()[0]).unwrap_err();
    assert_eq!(problem.field, "deposit.counts.contact");
    assert!(problem
        .message
        .contains("0 contact rows were written but the header declares 5"));
    for contact in contacts() {
        writer.write_contact(&contact).unwrap();
    }
    writer.write_domain(&domains()[0]).unwrap();
    // Going back is refused.
    let problem = writer.write_reseller(&resellers()[0]).unwrap_err();
    assert!(
        problem.message.contains("must be written before"),
        "{}",
        problem.message
    );
    // Finishing early: the domain count is checked.
    let problem = writer.finish().unwrap_err();
    assert_eq!(problem.field, "deposit.counts.domain");
}

#[test]
fn nameserver_rows_follow_domain_order_and_hosts_are_unique() {
    let mut header = header("x");
    header.counts = ObjectCounts {
        resellers: 0,
        contacts: 0,
        domains: 0,
        nameservers: 3,
    };
    let (mut writer, _) = DepositWriter::new(&header).unwrap();
    writer
        .write_nameserver("b.coop", &ns("ns1.example.net", &[]))
        .unwrap();
    let problem = writer
        .write_nameserver("b.coop", &ns("ns1.example.net", &[]))
        .unwrap_err();
    assert!(
        problem.message.contains("already a name server"),
        "{}",
        problem.message
    );
    let problem = writer
        .write_nameserver("a.coop", &ns("ns1.example.net", &[]))
        .unwrap_err();
    assert!(
        problem.message.contains("byte order"),
        "{}",
        problem.message
    );
    writer
        .write_nameserver("b.coop", &ns("ns2.example.net", &[]))
        .unwrap();
    writer
        .write_nameserver("c.coop", &ns("ns1.example.net", &[]))
        .unwrap();
    writer.finish().unwrap();
}

/// Replaces the first occurrence of `from` in the valid deposit.
fn tampered(from: &str, to: &str) -> String {
    let text = deposit_text();
    assert!(text.contains(from), "fixture lacks {from:?}");
    text.replacen(from, to, 1)
}

#[test]
fn malformed_deposits_are_refused_with_a_clear_error() {
    let cases: Vec<(String, &str, &str)> = vec![
        (tampered("#end\r\n", ""), "line", "truncated"),
        (
            tampered("#end\r\n", "#end\r\nmore\r\n"),
            "line",
            "after `#end`",
        ),
        (
            tampered("#contacts\r\n", "#people\r\n"),
            "line",
            "`#people` where `#contacts`",
        ),
        (
            tampered("handle,first_name", "handle,given_name"),
            "line",
            "header row",
        ),
        (
            tampered("domain,6", "domain,7"),
            "counts.domain",
            "declares 7",
        ),
        (
            tampered("nameserver,10", "nameserver,ten"),
            "counts.count",
            "not a count",
        ),
        (tampered(",FULL,", ",INCR,"), "deposit.type", "only FULL"),
        (
            tampered(",1.2\r\n", ",2.0\r\n"),
            "deposit.version",
            "version `2.0`",
        ),
        (
            tampered(",web,2001:db8::7", ",mail,2001:db8::7"),
            "domains.certified_channel",
            "not `web` or `reseller:<id>`",
        ),
        (
            tampered(",web,2001:db8::7", ",web,here"),
            "domains.certified_ip",
            "not an IP address",
        ),
        (
            tampered(
                "cooperative_under_local_law,2025-10-22T00:00:17Z",
                "cooperative,2025-10-22T00:00:17Z",
            ),
            "domains.certified_criterion",
            "not an eligibility criterion",
        ),
        (
            tampered(",2025-10-22T00:00:17Z,web", ",,web"),
            "domains.certified_at",
            "RFC 3339",
        ),
        (tampered(",1.2\r\n", ",1.0\r\n"), "line", "header row"),
        (tampered(",1.2\r\n", ",1.1\r\n"), "line", "header row"),
        (
            tampered(
                &format!("2371 13 2 {}", "0a".repeat(32)),
                &format!("2371 13 1 {}", "0a".repeat(32)),
            ),
            "domains.ds_records",
            "digest type `1`",
        ),
        (
            tampered("glued.coop,glued.coop", "awkward.coop,glued.coop"),
            "domains.name",
            "appears twice",
        ),
        (
            tampered(",C-OWNER,C-ADMIN", ",C-NOBODY,C-ADMIN"),
            "domains.registrant",
            "not in the deposit",
        ),
        (
            tampered("2025-10-22T00:00:00Z", "2025-13-22T00:00:00Z"),
            "domains.created",
            "RFC 3339",
        ),
        (
            tampered(",FR,", ",EN,"),
            "domains.idn_language",
            "not an IDN language",
        ),
        (
            tampered("glued.coop,ns2", "gone.coop,ns2"),
            "nameservers.domain",
            "not in the deposit",
        ),
        (
            tampered("glued.coop,ns2.glued.coop", "glued.coop,ns1.glued.coop"),
            "nameservers.host",
            "appears twice",
        ),
        (
            tampered(",R-3,pending", ",R-9,pending"),
            "contacts.reseller",
            "not in the deposit",
        ),
        (
            tampered(",R-3,pending", ",R-3,maybe"),
            "contacts.verification",
            "not a verification state",
        ),
        (
            tampered("R-1,\"Acme", "R-1,extra,\"Acme"),
            "line",
            "3 fields",
        ),
        (
            tampered("Zoë,", "Zo\"ë,"),
            "line",
            "quote inside an unquoted field",
        ),
        (String::new(), "line", "truncated"),
        ("garbage".to_string(), "line", "data row"),
    ];
    for (text, field, needle) in cases {
        let problem = parse_deposit(&text).expect_err(needle);
        assert!(
            problem.field.starts_with(field),
            "{needle}: field {} message {}",
            problem.field,
            problem.message
        );
        assert!(
            problem.message.contains(needle),
            "{needle}: {}",
            problem.message
        );
        assert!(
            matches!(
                problem.code,
                ErrorCode::MalformedInput | ErrorCode::InvalidValue
            ),
            "{needle}"
        );
    }
}

#[test]
fn every_truncation_is_refused_and_no_corruption_panics() {
    let text = deposit_text();
    // Up to the final CRLF (a missing last terminator is allowed by RFC 4180).
    let complete = text.len() - 2;
    for (cut, _) in text.char_indices().filter(|(i, _)| *i < complete) {
        let prefix = text.get(..cut).unwrap_or_default();
        assert!(
            parse_deposit(prefix).is_err(),
            "a prefix of {cut} bytes was accepted"
        );
    }
    assert!(parse_deposit(text.get(..complete).unwrap_or_default()).is_ok());
    // Single-character corruptions: any outcome but a panic.
    let characters: Vec<char> = text.chars().collect();
    for index in (0..characters.len()).step_by(3) {
        for replacement in ['"', ',', '\n', '\r', '#', 'x'] {
            let mut corrupted = characters.clone();
            corrupted[index] = replacement;
            let corrupted: String = corrupted.into_iter().collect();
            let _ = parse_deposit(&corrupted);
        }
    }
}

/// A deposit of an older format as it would have been written: the version, and `#domains`
/// without its last `dropped` columns (1.1: `ds_records`; 1.0: also the certification's four).
fn older_deposit_text(version: &str, dropped: usize) -> String {
    let text = deposit_text().replacen(",1.2\r\n", &format!(",{version}\r\n"), 1);
    let start = text.find("#domains\r\n").expect("domains") + "#domains\r\n".len();
    let end = text.find("#nameservers\r\n").expect("nameservers");
    let domains: String = text[start..end]
        .split_inclusive("\r\n")
        .map(|line| {
            let row = line.trim_end_matches("\r\n");
            let kept = row.rsplitn(dropped + 1, ',').last().unwrap_or(row);
            format!("{kept}\r\n")
        })
        .collect();
    format!("{}{domains}{}", &text[..start], &text[end..])
}

#[test]
fn deposits_of_format_1_1_and_1_0_are_still_read() {
    let old = older_deposit_text("1.1", 1);
    assert!(old.contains("certified_channel,certified_ip\r\n"));
    let deposit = parse_deposit(&old).expect("a 1.1 deposit reads");
    let mut expected = domains();
    for domain in &mut expected {
        domain.ds_records.clear();
    }
    assert_eq!(deposit.domains, expected);

    let old = older_deposit_text("1.0", 5);
    assert!(old.contains("reseller,created,expires\r\n"));
    let deposit = parse_deposit(&old).expect("a 1.0 deposit reads");
    for domain in &mut expected {
        domain.certification = None;
    }
    assert_eq!(deposit.domains, expected);
    // The change report compares across the upgrade: nothing changed but the format.
    let new = parse_deposit(&deposit_text()).unwrap();
    let report = coopreg_shared::changes::diff_deposits(&deposit, &new);
    assert!(report.is_empty(), "{report:?}");
}
