//! coopreg's Cloudflare Worker: a thin shell around `coopreg-shared`.
//!
//! Each route loads what it needs from D1, calls the core, stores what the core returns and
//! translates the result into HTTP. No business rule lives here. Map:
//! - [`routes`]: the HTTP router, one module per area.
//! - [`reseller`]: the reseller command API (`/api/call.cgi`, CentralNic Reseller protocol).
//! - [`store`]: D1 access (the only place that writes SQL).
//! - [`clock`]: "now" (movable only in the dev-tools build).
//! - [`http`]: JSON responses and the core's error shape.

use worker::{event, Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent};

mod apply;
mod auth;
mod clock;
mod console;
mod cron;
mod crypto;
mod http;
mod letters;
mod mail;
mod outputs;
mod pages;
mod registry_store;
mod reseller;
mod routes;
mod seal;
mod store;

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    seal::init(&env)?;
    // Browsers (page loads and form posts) get a page, other clients the JSON error shape.
    let wants_html = req
        .headers()
        .get("accept")?
        .is_some_and(|accept| accept.contains("text/html"));
    match routes::handle(req, env, ctx).await {
        // Another request wrote a record this one read; its batch was refused whole.
        Err(error) if store::is_write_conflict(&error) => http::write_conflict(&error, wants_html),
        answer => answer,
    }
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if let Err(error) = seal::init(&env) {
        worker::console_error!("cron cannot start: {error}");
        return;
    }
    if let Err(error) = cron::run(&env).await {
        worker::console_error!("cron run failed: {error}");
    }
}
