//! Times a full order validation natively: `cargo run --release -p coopreg-shared --example
//! bench_order [iterations]`. Prints ns per order for a parsed JSON value and for JSON text.

use coopreg_shared::validate::{validate_order, validate_order_json};
use serde_json::json;
use std::hint::black_box;
use std::time::Instant;

/// CPU time of this process in ns (Linux `/proc/self/schedstat`), which a loaded machine
/// inflates less than wall-clock time; `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let order = json!({
        "domain": "müller.coop", "idn_language": "DE", "period": 2,
        "contacts": {
            "owner": {
                "first_name": "Anna", "last_name": "Müller", "organization": "Müller Wohnungsgenossenschaft eG",
                "street": ["Hauptstraße 1", "Hinterhaus"], "city": "Berlin", "state": "", "postcode": "10115",
                "country": "DE", "phone": "+49.301234567", "fax": "", "email": "info@müller.coop"
            },
            "tech": {
                "first_name": "Tom", "last_name": "Tech", "street": ["Rue 5"], "city": "Paris",
                "postcode": "75001", "country": "FR", "phone": "+33.142000000", "email": "tech@example.fr"
            }
        },
        "nameservers": [
            {"host": "ns1.example.net", "addresses": []},
            {"host": "ns1.müller.coop", "addresses": ["192.0.2.1", "2001:db8::1"]}
        ],
        "eligibility": {"criterion": "cooperative_under_local_law", "certified": true}
    });
    let text = order.to_string();
    assert!(
        validate_order(&order).is_ok(),
        "the benchmark order must be valid"
    );

    let warm = iterations / 10 + 1;
    for _ in 0..warm {
        black_box(validate_order(black_box(&order)).is_ok());
    }
    let per_order = |run: &dyn Fn()| {
        let (start, cpu_start) = (Instant::now(), cpu_ns());
        for _ in 0..iterations {
            run();
        }
        let wall = start.elapsed().as_nanos() as f64 / f64::from(iterations);
        let cpu = match (cpu_start, cpu_ns()) {
            (Some(a), Some(b)) => b.saturating_sub(a) as f64 / f64::from(iterations),
            _ => wall,
        };
        (wall, cpu)
    };
    let (value_wall, value_cpu) = per_order(&|| {
        black_box(validate_order(black_box(&order)).is_ok());
    });
    let (text_wall, text_cpu) = per_order(&|| {
        black_box(validate_order_json(black_box(&text)).is_ok());
    });

    println!("iterations {iterations}");
    println!("order_value_ns {value_wall:.0}");
    println!("order_value_cpu_ns {value_cpu:.0}");
    println!("order_json_ns {text_wall:.0}");
    println!("order_json_cpu_ns {text_cpu:.0}");
}
