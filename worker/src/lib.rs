//! coopreg's Cloudflare Worker: a thin shell around `coopreg-shared`.
//!
//! Each route loads what it needs from D1, calls the core, stores what the core returns and
//! translates the result into HTTP. No business rule lives here. Map:
//! - [`routes`]: the HTTP router, one module per area.
//! - [`reseller`]: the reseller command API (`/api/call.cgi`, CentralNic Reseller protocol).
//! - [`store`]: D1 access (the only place that writes SQL; with `registry_store` and
//!   `rdap_store`).
//! - [`clock`]: "now" (movable only in the dev-tools build).
//! - [`http`]: JSON responses and the core's error shape.

use worker::{event, Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent};

mod apply;
mod auth;
mod body;
mod clock;
mod console;
mod cron;
mod crypto;
mod dns;
mod dns_store;
mod http;
mod letters;
mod limits;
mod mail;
mod outputs;
mod pages;
mod production_guard;
mod rdap_store;
mod registry_store;
mod reseller;
mod routes;
mod seal;
mod store;
mod throttle_store;

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    install_panic_notice();
    // Tests of the safety net in worker/entry.mjs: a request with this header panics, on any
    // path. Only in the dev-tools build.
    #[cfg(feature = "dev-tools")]
    if req.headers().get("x-coopreg-test-panic")?.is_some() {
        panic!("deliberate panic (x-coopreg-test-panic)");
    }
    #[cfg(not(feature = "dev-tools"))]
    if let Some(reason) = production_guard::unfit(&env) {
        production_guard::log_once(&reason);
        return production_guard::refusal();
    }
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
    install_panic_notice();
    #[cfg(not(feature = "dev-tools"))]
    if let Some(reason) = production_guard::unfit(&env) {
        production_guard::log_once(&reason);
        return;
    }
    if let Err(error) = seal::init(&env) {
        worker::console_error!("cron cannot start: {error}");
        return;
    }
    if let Err(error) = cron::run(&env).await {
        worker::console_error!("cron run failed: {error}");
    }
}

/// A panic aborts the wasm instance while requests may be waiting on it, and their promises
/// would never settle (the runtime cancels them as hung). This hook runs after the worker
/// crate's own (which logs the panic and schedules a fresh instance) and tells
/// `worker/entry.mjs` (`globalThis.__coopregPanicked`), which answers them. Installed once per
/// instance: a fresh instance starts with fresh memory and installs it again.
fn install_panic_notice() {
    use wasm_bindgen::JsCast;
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            previous(info);
            let notice = js_sys::Reflect::get(&js_sys::global(), &"__coopregPanicked".into());
            if let Ok(notice) = notice.and_then(|value| value.dyn_into::<js_sys::Function>()) {
                let _ = notice.call1(&wasm_bindgen::JsValue::NULL, &info.to_string().into());
            }
        }));
    });
}

/// The answers `worker/entry.mjs` gives to a request the worker could not answer itself (a
/// panic aborts the wasm instance mid-request), as JSON text: `json` (the API error shape),
/// `html` (a page), `csp` (its policy), `reseller` (a protocol answer, HTTP 200) with
/// `reseller_content_type` and the `reseller_paths` it is for. Built once at start-up from the
/// same mappings as every other error, so the shapes stay the core's.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn failure_answers() -> String {
    use coopreg_shared::{ErrorCode, Problem, Problems};
    // A panic may come after a write, so this does not promise that nothing changed.
    const MESSAGE: &str = "Something went wrong on our side. Please try again.";
    let problem = Problem::new(ErrorCode::Internal, "", MESSAGE);
    serde_json::json!({
        "json": serde_json::to_string(&Problems::one(problem)).unwrap_or_default(),
        "html": pages::html(
            "Something went wrong",
            &format!(
                "<section class=\"card\"><h1>Something went wrong</h1><p>{}</p></section>",
                pages::escape(MESSAGE)
            ),
        ),
        "csp": pages::CSP,
        // What the reseller dispatcher answers for any failure of its own.
        "reseller": coopreg_shared::reseller::Response::new(421).to_text(),
        "reseller_content_type": coopreg_shared::reseller::response::CONTENT_TYPE,
        "reseller_paths": reseller::API_PATHS,
    })
    .to_string()
}
