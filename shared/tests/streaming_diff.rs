//! The streaming comparison equals the in-memory one, and both equal a reference model (the
//! map-based implementation that `diff_deposits` had before the streaming one), on random
//! pairs of deposits fed as lines and as byte chunks of any size; malformed deposits are
//! refused with the deposit, line and field named, never with a panic.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use coopreg_shared::changes::{
    diff_deposit_lines, diff_deposits, ChangeReport, MaterialChange, NewRegistrant, OwnerChange,
    Side, StreamingDiff,
};
use coopreg_shared::error::Problems;
use coopreg_shared::escrow::{parse_deposit, write_deposit, Deposit, EscrowContact, EscrowDomain};
use coopreg_shared::model::ContactInfo;
use coopreg_shared::rfc4180::LineSplitter;
use proptest::prelude::*;

/// The reference model: every rule of `crate::changes` written over whole maps.
fn reference_diff(previous: &Deposit, current: &Deposit) -> ChangeReport {
    let owners = |deposit: &Deposit| {
        let mut owned: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for domain in &deposit.domains {
            owned
                .entry(domain.registrant.clone())
                .or_default()
                .push(domain.name.ascii.clone());
        }
        for domains in owned.values_mut() {
            domains.sort();
        }
        owned
    };
    let by_name = |deposit: &Deposit| -> BTreeMap<String, String> {
        deposit
            .domains
            .iter()
            .map(|d| (d.name.ascii.clone(), d.registrant.clone()))
            .collect()
    };
    let (previous_owned, current_owned) = (owners(previous), owners(current));
    let (previous_domains, current_domains) = (by_name(previous), by_name(current));
    let mut report = ChangeReport::default();
    let mut review: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, owner) in &current_domains {
        match previous_domains.get(name) {
            None => report.new_domains.push(name.clone()),
            Some(before) if before != owner => {
                report.owner_changes.push(OwnerChange {
                    domain: name.clone(),
                    previous_owner: before.clone(),
                    current_owner: owner.clone(),
                });
                review
                    .entry(owner.clone())
                    .or_default()
                    .insert(name.clone());
            }
            Some(_) => {}
        }
    }
    report.deleted_domains = previous_domains
        .keys()
        .filter(|name| !current_domains.contains_key(*name))
        .cloned()
        .collect();
    for (handle, domains) in &current_owned {
        if !previous_owned.contains_key(handle) {
            review
                .entry(handle.clone())
                .or_default()
                .extend(domains.iter().cloned());
        }
    }
    report.new_registrants = review
        .iter()
        .map(|(handle, domains)| NewRegistrant {
            handle: handle.clone(),
            domains: domains.iter().cloned().collect(),
        })
        .collect();
    let previous_info: BTreeMap<&str, &ContactInfo> = previous
        .contacts
        .iter()
        .map(|c| (c.handle.as_str(), &c.info))
        .collect();
    for contact in &current.contacts {
        let (Some(domains), Some(before)) = (
            current_owned.get(&contact.handle),
            previous_info.get(contact.handle.as_str()),
        ) else {
            continue;
        };
        if review.contains_key(&contact.handle) {
            continue;
        }
        let fields = before.material_differences(&contact.info);
        if !fields.is_empty() {
            report.material_changes.push(MaterialChange {
                handle: contact.handle.clone(),
                fields,
                domains: domains.clone(),
            });
        }
    }
    report
        .material_changes
        .sort_by(|a, b| a.handle.cmp(&b.handle));
    report
}

const HANDLES: usize = 8;
const NAMES: usize = 12;

/// Small pools, so that random pairs share contacts, domains and values often.
const FIRST: [&str; 3] = ["Ann", "Zoë", "Line\nbreak"];
const LAST: [&str; 2] = ["O'Brien, Jr.", "\"Quoted\""];
const ORGANIZATION: [Option<&str>; 3] = [None, Some("Co-op, Ltd."), Some("#hash")];
const COUNTRY: [&str; 2] = ["GB", "FR"];
const EMAIL: [&str; 3] = ["ann@example.coop", "ANN@EXAMPLE.coop", "zoe@example.coop"];
const CITY: [&str; 2] = ["Manchester", "Paris"];

/// Indices into the pools above.
type ContactChoice = (usize, usize, usize, usize, usize, usize);

fn contact_choice() -> impl Strategy<Value = ContactChoice> {
    (
        0..3usize,
        0..2usize,
        0..3usize,
        0..2usize,
        0..3usize,
        0..2usize,
    )
}

/// A registry: which handles exist with what data, which names exist with which owner.
fn registry() -> impl Strategy<Value = (Vec<Option<ContactChoice>>, Vec<Option<usize>>)> {
    (
        prop::collection::vec(prop::option::of(contact_choice()), HANDLES),
        prop::collection::vec(prop::option::of(0..HANDLES), NAMES),
    )
}

fn handle(index: usize) -> String {
    format!("C-{index}")
}

fn deposit_text(
    (contact_choices, domain_owners): &(Vec<Option<ContactChoice>>, Vec<Option<usize>>),
    id: &str,
) -> String {
    let mut contact_choices = contact_choices.clone();
    // An owner must be a contact of the deposit.
    for owner in domain_owners.iter().flatten() {
        if let Some(slot @ None) = contact_choices.get_mut(*owner) {
            *slot = Some((0, 0, 0, 0, 0, 0));
        }
    }
    let contacts: Vec<EscrowContact> = contact_choices
        .iter()
        .enumerate()
        .filter_map(|(index, choice)| {
            let (first, last, organization, country, email, city) = (*choice)?;
            let mut data = info(
                FIRST[first],
                LAST[last],
                ORGANIZATION[organization],
                COUNTRY[country],
                EMAIL[email],
            );
            data.city = CITY[city].to_string();
            Some(contact(&handle(index), data, "R-1", "verified"))
        })
        .collect();
    let domains: Vec<EscrowDomain> = domain_owners
        .iter()
        .enumerate()
        .filter_map(|(index, owner)| {
            let name = format!("d{index:02}.coop");
            let mut domain = domain(&name, &name, None, &handle((*owner)?));
            domain.admin = None;
            domain.tech = None;
            Some(domain)
        })
        .collect();
    write_deposit(&header(id), &resellers(), &contacts, &domains).expect("valid registry")
}

/// Feeds both texts through [`LineSplitter`] in chunks of `chunk` bytes, as the worker does
/// with R2 body streams.
fn diff_in_chunks(previous: &str, current: &str, chunk: usize) -> Result<ChangeReport, Problems> {
    struct Source<'a> {
        chunks: std::slice::Chunks<'a, u8>,
        lines: LineSplitter,
        done: bool,
    }
    impl Source<'_> {
        fn next_line(&mut self) -> Result<Option<String>, Problems> {
            loop {
                if let Some(line) = self.lines.next_line() {
                    return Ok(Some(line?));
                }
                if self.done {
                    return Ok(self.lines.finish().transpose()?);
                }
                match self.chunks.next() {
                    Some(bytes) => self.lines.push(bytes),
                    None => self.done = true,
                }
            }
        }
    }
    fn source(text: &str, chunk: usize) -> Source<'_> {
        Source {
            chunks: text.as_bytes().chunks(chunk),
            lines: LineSplitter::new(),
            done: false,
        }
    }
    let (mut previous, mut current) = (source(previous, chunk), source(current, chunk));
    let mut diff = StreamingDiff::new();
    while let Some(side) = diff.wants() {
        let source = match side {
            Side::Previous => &mut previous,
            Side::Current => &mut current,
        };
        match source.next_line()? {
            Some(line) => diff.feed_line(side, &line)?,
            None => diff.end_of_input(side)?,
        }
    }
    diff.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn streaming_equals_in_memory_and_the_reference(
        before in registry(),
        after in registry(),
        chunk in 1..64usize,
    ) {
        let previous_text = deposit_text(&before, "day-1");
        let current_text = deposit_text(&after, "day-2");
        let previous = parse_deposit(&previous_text).expect("own output parses");
        let current = parse_deposit(&current_text).expect("own output parses");
        let expected = reference_diff(&previous, &current);
        prop_assert_eq!(&diff_deposits(&previous, &current), &expected);
        let streamed = diff_deposit_lines(
            previous_text.split_inclusive('\n'),
            current_text.split_inclusive('\n'),
        );
        prop_assert_eq!(streamed.as_ref(), Ok(&expected));
        let chunked = diff_in_chunks(&previous_text, &current_text, chunk);
        prop_assert_eq!(chunked.as_ref(), Ok(&expected));
    }
}

#[test]
fn the_random_pairs_exercise_every_kind_of_change() {
    // The property above is only as good as its inputs: these two registries from its
    // pools give each list of the report at least one entry.
    let before = (
        vec![Some((0, 0, 0, 0, 0, 0)), Some((0, 0, 0, 0, 0, 0)), None],
        vec![Some(0), Some(1), Some(1), None],
    );
    let after = (
        vec![
            Some((1, 0, 0, 0, 1, 1)),
            Some((0, 0, 0, 0, 0, 0)),
            Some((0, 0, 0, 0, 0, 0)),
        ],
        vec![Some(0), Some(2), None, Some(1)],
    );
    let (previous_text, current_text) = (deposit_text(&before, "a"), deposit_text(&after, "b"));
    let report = diff_deposit_lines(
        previous_text.split_inclusive('\n'),
        current_text.split_inclusive('\n'),
    )
    .expect("valid");
    assert_eq!(
        report.new_registrants,
        [NewRegistrant {
            handle: "C-2".into(),
            domains: vec!["d01.coop".into()]
        }]
    );
    assert_eq!(report.material_changes.len(), 1, "{report:?}");
    assert_eq!(report.owner_changes.len(), 1);
    assert_eq!(report.new_domains, ["d03.coop"]);
    assert_eq!(report.deleted_domains, ["d02.coop"]);
}

fn fixture_texts() -> (String, String) {
    let mut contacts = contacts();
    contacts.sort_by(|a, b| a.handle.cmp(&b.handle));
    let mut domains = domains();
    domains.sort_by(|a, b| a.name.ascii.cmp(&b.name.ascii));
    let previous = write_deposit(&header("a"), &resellers(), &contacts, &domains).expect("valid");
    domains.pop();
    let current = write_deposit(&header("b"), &resellers(), &contacts, &domains).expect("valid");
    (previous, current)
}

#[test]
fn malformed_deposits_are_refused_naming_the_deposit() {
    let (previous, current) = fixture_texts();
    // `C-A` sorts before the contact above it, `C-AWKWARD`.
    let out_of_order = current.replacen("\nC-CYRL,", "\nC-A,", 1);
    assert_ne!(out_of_order, current);
    let cases: Vec<(String, &str, &str)> = vec![
        (
            current.replacen("#end\r\n", "", 1),
            "current.line",
            "truncated",
        ),
        (out_of_order, "current.contacts.handle", "comes after"),
        (
            current.replacen(",C-OWNER,C-ADMIN", ",C-NOBODY,C-ADMIN", 1),
            "current.domains.registrant",
            "not in the deposit",
        ),
        ("garbage".to_string(), "current.line", "data row"),
        (String::new(), "current.line", "truncated"),
    ];
    for (text, field, needle) in cases {
        let problems =
            diff_deposit_lines(previous.split_inclusive('\n'), text.split_inclusive('\n'))
                .expect_err(needle);
        let problem = problems.errors.first().expect("one problem");
        assert!(problem.field.starts_with(field), "{needle}: {problem:?}");
        assert!(problem.message.contains(needle), "{needle}: {problem:?}");
    }
    // The same on the other side names the previous deposit.
    let problems = diff_deposit_lines(
        "garbage".split_inclusive('\n'),
        current.split_inclusive('\n'),
    )
    .expect_err("garbage");
    assert!(
        problems.errors[0].field.starts_with("previous."),
        "{problems:?}"
    );
}

#[test]
fn every_truncation_is_refused_and_no_corruption_panics() {
    let (previous, current) = fixture_texts();
    let complete = current.len() - 2;
    for (cut, _) in current.char_indices().filter(|(i, _)| *i < complete) {
        let prefix = current.get(..cut).unwrap_or_default();
        assert!(
            diff_deposit_lines(previous.split_inclusive('\n'), prefix.split_inclusive('\n'))
                .is_err(),
            "a prefix of {cut} bytes was accepted"
        );
    }
    let characters: Vec<char> = current.chars().collect();
    for index in (0..characters.len()).step_by(5) {
        for replacement in ['"', ',', '\n', '\r', '#', 'x'] {
            let mut corrupted = characters.clone();
            corrupted[index] = replacement;
            let corrupted: String = corrupted.into_iter().collect();
            let streamed = diff_deposit_lines(
                previous.split_inclusive('\n'),
                corrupted.split_inclusive('\n'),
            );
            // Whatever the whole-file reader accepts, the streaming one accepts alike.
            assert_eq!(
                streamed.is_ok(),
                parse_deposit(&corrupted).is_ok(),
                "corruption at {index} with {replacement:?}"
            );
        }
    }
}

#[test]
fn input_must_follow_wants() {
    let (previous, _) = fixture_texts();
    let mut diff = StreamingDiff::new();
    let mut lines = previous.split_inclusive('\n');
    // The previous deposit is read up to its first contact, which then waits for the
    // current deposit's first contact.
    while diff.wants() == Some(Side::Previous) {
        diff.feed_line(Side::Previous, lines.next().expect("a line"))
            .expect("valid");
    }
    assert_eq!(diff.wants(), Some(Side::Current));
    let problems = diff
        .feed_line(Side::Previous, lines.next().expect("a line"))
        .expect_err("not asked for");
    assert_eq!(problems.errors[0].field, "previous.input");
    assert_eq!(
        diff.wants(),
        None,
        "a failed comparison asks for nothing more"
    );
    assert!(diff.finish().is_err());
    // A line holding two records is refused rather than half read.
    let mut diff = StreamingDiff::new();
    let two_lines: String = previous.split_inclusive('\n').take(2).collect();
    assert!(diff.feed_line(Side::Previous, &two_lines).is_err());
}

#[test]
fn line_splitter_carries_partial_lines_and_multibyte_characters() {
    let text = "a,Коопрег\r\nb,\"x\ny\"\r\nlast";
    for chunk in 1..text.len() {
        let mut splitter = LineSplitter::new();
        let mut lines = Vec::new();
        for bytes in text.as_bytes().chunks(chunk) {
            splitter.push(bytes);
            while let Some(line) = splitter.next_line() {
                lines.push(line.expect("utf-8"));
            }
        }
        if let Some(line) = splitter.finish() {
            lines.push(line.expect("utf-8"));
        }
        assert_eq!(
            lines,
            ["a,Коопрег\r\n", "b,\"x\n", "y\"\r\n", "last"],
            "chunk {chunk}"
        );
    }
    let mut splitter = LineSplitter::new();
    splitter.push(&[0xff, b'\n']);
    assert!(splitter.next_line().expect("a line").is_err());
}
