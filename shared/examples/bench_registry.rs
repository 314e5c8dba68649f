//! Streams the zone and the escrow deposit of 10k and 100k synthetic domains to a sink that
//! only counts bytes, and reports time, bytes and the peak heap held while streaming (a
//! counting global allocator; the generated objects are made one at a time, so the peak is
//! what the writer and one chunk hold). Then compares two deposits (day 2 changes every
//! 100th contact's organisation): parsed whole and diffed in memory, and streamed line by
//! line through `StreamingDiff` from 64 KiB chunks, as the worker reads R2 bodies (the two
//! texts stand in for the R2 objects and are not counted).
//!
//! `cargo run --release -p coopreg-shared --example bench_registry`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use coopreg_shared::changes::{diff_deposits, Side, StreamingDiff};
use coopreg_shared::escrow::{
    parse_deposit, DepositHeader, DepositType, DepositWriter, EscrowContact, EscrowDomain,
    EscrowReseller, ObjectCounts,
};
use coopreg_shared::model::{ContactInfo, DomainName, Nameserver, DAY};
use coopreg_shared::rfc4180::LineSplitter;
use coopreg_shared::zone::{ZoneConfig, ZoneDomain, ZoneWriter};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Starts a measurement: returns the heap in use now, and resets the peak to it.
fn start_measure() -> usize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// Peak heap above `baseline` since [`start_measure`].
fn peak_above(baseline: usize) -> usize {
    PEAK.load(Ordering::Relaxed).saturating_sub(baseline)
}

const RESELLERS: usize = 10;
const NOW: i64 = 1_795_651_200;

fn domain_name(index: usize) -> String {
    format!("d{index:07}.coop")
}

/// Domain `index`: every 4th has two in-domain servers with v4+v6 glue, every 10th is held.
fn zone_domain(index: usize) -> ZoneDomain {
    let ascii = domain_name(index);
    let nameservers = if index.is_multiple_of(4) {
        vec![
            Nameserver {
                host: format!("ns1.{ascii}"),
                addresses: vec![format!("192.0.{}.{}", index / 256 % 256, index % 256)],
            },
            Nameserver {
                host: format!("ns2.{ascii}"),
                addresses: vec![
                    format!("198.51.100.{}", index % 256),
                    format!("2001:db8:{:x}::{:x}", index / 65_536, index % 65_536),
                ],
            },
        ]
    } else {
        vec![
            Nameserver {
                host: format!("ns1.host{}.example.net", index % 97),
                addresses: vec![],
            },
            Nameserver {
                host: format!("ns2.host{}.example.net", index % 97),
                addresses: vec![],
            },
        ]
    };
    ZoneDomain {
        name: DomainName {
            unicode: ascii.clone(),
            ascii,
            language: None,
        },
        nameservers,
        ds: Vec::new(),
        published: index % 10 != 9,
    }
}

fn escrow_domain(index: usize, day: u32) -> EscrowDomain {
    let zone = zone_domain(index);
    EscrowDomain {
        roid: format!("D{index}-COOP"),
        statuses: if zone.published {
            vec!["ok".into()]
        } else {
            vec!["serverHold".into()]
        },
        registrant: contact_handle(index / 2),
        admin: Some(contact_handle(index / 2)),
        tech: Some(contact_handle(index / 2)),
        billing: None,
        reseller: format!("R{:02}", index % RESELLERS),
        created: NOW - 400 * DAY + index as i64,
        expires: NOW + 330 * DAY + index as i64 + i64::from(day),
        // A web order's certification, as most domains will carry (the longest rows).
        certification: Some(coopreg_shared::lifecycle::Certification {
            criterion: Some(
                coopreg_shared::validate::EligibilityCriterion::CooperativeUnderLocalLaw,
            ),
            at: NOW - 400 * DAY + index as i64,
            channel: coopreg_shared::lifecycle::Channel::Web,
            client_ip: Some(format!("198.51.100.{}", index % 250)),
        }),
        name: zone.name,
        nameservers: zone.nameservers,
        ds_records: zone.ds,
    }
}

fn contact_handle(index: usize) -> String {
    format!("C{index:07}")
}

/// Contact `index`; on day 2 every 100th changes its organisation.
fn escrow_contact(index: usize, day: u32) -> EscrowContact {
    let changed = day == 2 && index.is_multiple_of(100);
    EscrowContact {
        handle: contact_handle(index),
        info: ContactInfo {
            first_name: format!("First{index}"),
            last_name: format!("Last, \"{index}\""),
            organization: Some(if changed {
                format!("Co-operative {index}, renamed")
            } else {
                format!("Co-operative {index}")
            }),
            street: vec![format!("{index} Main Street"), "Unit 2".into()],
            city: "Manchester".into(),
            state: None,
            postcode: "M60 0AS".into(),
            country: "GB".into(),
            phone: "+44.1612345678".into(),
            fax: None,
            email: format!("contact{index}@example.coop"),
        },
        reseller: format!("R{:02}", index % RESELLERS),
        verification: "verified".into(),
    }
}

struct Run {
    seconds: f64,
    bytes: u64,
    peak: usize,
}

fn stream_zone(domains: usize) -> Run {
    let baseline = start_measure();
    let started = Instant::now();
    let mut writer = ZoneWriter::new(ZoneConfig::default()).expect("default config");
    let mut bytes = 0u64;
    let mut chunk = String::new();
    for index in 0..domains {
        chunk.clear();
        writer
            .write_domain_into(&zone_domain(index), &mut chunk)
            .expect("valid domain");
        bytes += chunk.len() as u64;
    }
    let summary = writer.finish();
    let header = ZoneConfig::default().header(2026112600).expect("header");
    bytes += header.len() as u64;
    let run = Run {
        seconds: started.elapsed().as_secs_f64(),
        bytes,
        peak: peak_above(baseline),
    };
    assert_eq!(summary.body_bytes + header.len() as u64, bytes);
    run
}

fn counts(domains: usize) -> ObjectCounts {
    ObjectCounts {
        resellers: RESELLERS as u64,
        contacts: domains.div_ceil(2) as u64,
        domains: domains as u64,
        nameservers: 2 * domains as u64,
    }
}

/// Streams a deposit; `sink` receives each chunk.
fn stream_escrow(domains: usize, day: u32, mut sink: impl FnMut(&str)) {
    let header = DepositHeader {
        tld: "coop".into(),
        id: format!("coop_day{day}"),
        deposit_type: DepositType::Full,
        watermark: NOW + i64::from(day) * DAY,
        counts: counts(domains),
    };
    let (mut writer, first) = DepositWriter::new(&header).expect("header");
    sink(&first);
    for index in 0..RESELLERS {
        let reseller = EscrowReseller {
            id: format!("R{index:02}"),
            name: format!("Reseller {index}, Ltd."),
        };
        sink(&writer.write_reseller(&reseller).expect("reseller"));
    }
    for index in 0..domains.div_ceil(2) {
        sink(
            &writer
                .write_contact(&escrow_contact(index, day))
                .expect("contact"),
        );
    }
    for index in 0..domains {
        sink(
            &writer
                .write_domain(&escrow_domain(index, day))
                .expect("domain"),
        );
    }
    for index in 0..domains {
        sink(
            &writer
                .write_nameservers(&escrow_domain(index, day))
                .expect("ns"),
        );
    }
    sink(&writer.finish().expect("counts match"));
}

fn measure_escrow(domains: usize) -> Run {
    let baseline = start_measure();
    let started = Instant::now();
    let mut bytes = 0u64;
    stream_escrow(domains, 1, |chunk| bytes += chunk.len() as u64);
    Run {
        seconds: started.elapsed().as_secs_f64(),
        bytes,
        peak: peak_above(baseline),
    }
}

struct DiffRun {
    stream_seconds: f64,
    stream_peak: usize,
    streamed_material_changes: usize,
    parse_seconds: f64,
    parsed_bytes: usize,
    diff_seconds: f64,
    diff_peak: usize,
    material_changes: usize,
}

fn measure_diff(domains: usize) -> DiffRun {
    let mut day1 = String::new();
    stream_escrow(domains, 1, |chunk| day1.push_str(chunk));
    let mut day2 = String::new();
    stream_escrow(domains, 2, |chunk| day2.push_str(chunk));

    let (stream_seconds, stream_peak, streamed) = measure_streaming_diff(&day1, &day2);

    let before = start_measure();
    let started = Instant::now();
    let previous = parse_deposit(&day1).expect("day 1 parses");
    let parse_seconds = started.elapsed().as_secs_f64();
    let parsed_bytes = CURRENT.load(Ordering::Relaxed).saturating_sub(before);
    let current = parse_deposit(&day2).expect("day 2 parses");

    let baseline = start_measure();
    let started = Instant::now();
    let report = diff_deposits(&previous, &current);
    let diff_seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        streamed, report,
        "the streaming diff equals the in-memory one"
    );
    DiffRun {
        stream_seconds,
        stream_peak,
        streamed_material_changes: streamed.material_changes.len(),
        parse_seconds,
        parsed_bytes,
        diff_seconds,
        diff_peak: peak_above(baseline),
        material_changes: report.material_changes.len(),
    }
}

/// A stored object read as the worker reads an R2 body: chunks of 64 KiB split into lines.
struct ChunkedLines<'a> {
    chunks: std::slice::Chunks<'a, u8>,
    lines: LineSplitter,
}

impl ChunkedLines<'_> {
    fn next_line(&mut self) -> Option<String> {
        loop {
            if let Some(line) = self.lines.next_line() {
                return Some(line.expect("utf-8"));
            }
            match self.chunks.next() {
                Some(chunk) => self.lines.push(chunk),
                None => return self.lines.finish().map(|line| line.expect("utf-8")),
            }
        }
    }
}

/// Time, peak heap above the two texts, and the report of the streaming diff.
fn measure_streaming_diff(
    day1: &str,
    day2: &str,
) -> (f64, usize, coopreg_shared::changes::ChangeReport) {
    let baseline = start_measure();
    let started = Instant::now();
    let mut previous = ChunkedLines {
        chunks: day1.as_bytes().chunks(64 * 1024),
        lines: LineSplitter::new(),
    };
    let mut current = ChunkedLines {
        chunks: day2.as_bytes().chunks(64 * 1024),
        lines: LineSplitter::new(),
    };
    let mut diff = StreamingDiff::new();
    while let Some(side) = diff.wants() {
        let source = match side {
            Side::Previous => &mut previous,
            Side::Current => &mut current,
        };
        match source.next_line() {
            Some(line) => diff.feed_line(side, &line),
            None => diff.end_of_input(side),
        }
        .expect("valid deposits");
    }
    let report = diff.finish().expect("complete");
    (
        started.elapsed().as_secs_f64(),
        peak_above(baseline),
        report,
    )
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn main() {
    let sizes = [10_000usize, 100_000];
    let mut zone = Vec::new();
    let mut escrow = Vec::new();
    let mut diffs = Vec::new();
    for &n in &sizes {
        zone.push(stream_zone(n));
        escrow.push(measure_escrow(n));
        diffs.push(measure_diff(n));
    }
    println!("| output | domains | time (s) | bytes | peak heap held while streaming |");
    println!("|---|---:|---:|---:|---:|");
    for (label, runs) in [("zone", &zone), ("escrow", &escrow)] {
        for (n, run) in sizes.iter().zip(runs.iter()) {
            println!(
                "| {label} | {n} | {:.3} | {} | {} B |",
                run.seconds, run.bytes, run.peak
            );
        }
        if let [small, large] = runs.as_slice() {
            println!(
                "| {label} 100k/10k | ×10 | ×{:.1} | ×{:.2} | ×{:.2} |",
                large.seconds / small.seconds,
                large.bytes as f64 / small.bytes as f64,
                large.peak as f64 / small.peak.max(1) as f64
            );
        }
    }
    println!();
    println!("| change detection | domains | parse one deposit (s) | parsed deposit held | diff (s) | diff peak extra | material changes found |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (n, run) in sizes.iter().zip(diffs.iter()) {
        println!(
            "| diff | {n} | {:.3} | {:.1} MiB | {:.3} | {:.1} MiB | {} |",
            run.parse_seconds,
            mib(run.parsed_bytes),
            run.diff_seconds,
            mib(run.diff_peak),
            run.material_changes
        );
    }
    println!();
    println!("| streaming change detection | domains | time (s) | peak heap held | material changes found |");
    println!("|---|---:|---:|---:|---:|");
    for (n, run) in sizes.iter().zip(diffs.iter()) {
        println!(
            "| streaming diff | {n} | {:.3} | {:.2} MiB | {} |",
            run.stream_seconds,
            mib(run.stream_peak),
            run.streamed_material_changes
        );
    }
    if let [small, large] = diffs.as_slice() {
        println!(
            "| streaming diff 100k/10k | ×10 | ×{:.1} | ×{:.2} | |",
            large.stream_seconds / small.stream_seconds,
            large.stream_peak as f64 / small.stream_peak.max(1) as f64
        );
    }
}
