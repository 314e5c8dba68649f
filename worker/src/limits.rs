//! The limits on the public paths, as the worker applies them. The decisions are the core's
//! (`coopreg_shared::limits`); here are only the counters and the configuration:
//! - bursts per client IP address (`CF-Connecting-IP`), counted by Cloudflare's Rate Limiting
//!   binding: one binding per limited route, declared in `wrangler.toml` (`[[ratelimits]]`,
//!   each `simple = { limit = N, period = 60 }`). The binding is per location and approximate:
//!   a speed bump, not a quota;
//! - the durable quotas' numbers, from `[vars]` (`LINK_EMAILS_PER_ADDRESS_PER_DAY`,
//!   `UNCONFIRMED_WEB_ORDERS_PER_ADDRESS`); the counts come from D1 (`store::address_usage*`).
//!
//! Bursts are checked before anything is read or written, so a refused request stores
//! nothing. A route whose binding is missing from the configuration is not limited (logged):
//! a configuration error must not take the registry down.

use coopreg_shared::limits::{burst_refused, Burst, Limits, OverLimit};
use worker::{Env, Request, Result};

/// The `period` of every `[[ratelimits]]` binding in `wrangler.toml`, in seconds.
pub const BURST_PERIOD: u32 = 60;

/// The binding that counts `route`.
fn binding(route: Burst) -> &'static str {
    match route {
        Burst::Orders => "ORDERS_RATE_LIMITER",
        Burst::Resend => "RESEND_RATE_LIMITER",
        Burst::Availability => "AVAILABILITY_RATE_LIMITER",
        Burst::ResellerLogin => "RESELLER_LOGIN_RATE_LIMITER",
        Burst::StaffLogin => "STAFF_LOGIN_RATE_LIMITER",
        Burst::Rdap => "RDAP_RATE_LIMITER",
    }
}

/// The client's IP address as Cloudflare's edge reports it (`CF-Connecting-IP`; clients
/// cannot set it in production). `None` outside Cloudflare's edge without the header.
pub fn client_ip(req: &Request) -> Option<String> {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .map(|ip| ip.trim().to_string())
        .filter(|ip| !ip.is_empty())
}

/// Counts one request of `route` for the client's IP address; `Some` is the refusal when the
/// burst limit is passed.
pub async fn burst(env: &Env, req: &Request, route: Burst) -> Result<Option<OverLimit>> {
    let name = binding(route);
    let limiter = match env.rate_limiter(name) {
        Ok(limiter) => limiter,
        Err(error) => {
            worker::console_error!("rate limit binding {name} is not configured: {error}");
            return Ok(None);
        }
    };
    let key = client_ip(req).unwrap_or_else(|| "unknown".to_string());
    let outcome = limiter.limit(key).await?;
    Ok((!outcome.success).then(|| burst_refused(route, BURST_PERIOD)))
}

/// The durable quotas' numbers: `[vars]`, or the core's defaults where a var is absent. A
/// var that is not a whole number is logged and the default used.
pub fn configured(env: &Env) -> Limits {
    let defaults = Limits::default();
    let read = |name: &str, default: u32| -> u32 {
        let Ok(var) = env.var(name) else {
            return default;
        };
        let text = var.to_string();
        text.trim().parse::<u32>().unwrap_or_else(|_| {
            worker::console_error!("{name} = {text:?} is not a whole number; using {default}");
            default
        })
    };
    Limits {
        link_emails_per_address: read(
            "LINK_EMAILS_PER_ADDRESS_PER_DAY",
            defaults.link_emails_per_address,
        ),
        unconfirmed_web_orders_per_address: read(
            "UNCONFIRMED_WEB_ORDERS_PER_ADDRESS",
            defaults.unconfirmed_web_orders_per_address,
        ),
    }
}
