//! The HTTP router: matches method and path, hands over to one module per area.
//! Anything not matched here is served from the static assets (the web UI).

use worker::{Context, Env, Method, Request, Response, Result};

use crate::http;

mod approve;
mod callback;
#[cfg(feature = "dev-tools")]
mod dev;
mod health;
mod orders;
mod rdap;
mod register_form;
mod staff_api;
mod transfer;
mod verify;

const OPENAPI: &str = include_str!("../../openapi.json");

/// The methods of a JSON API path, for a `405` with `Allow` when another method is used.
fn allowed_methods(rest: &[&str]) -> Option<&'static str> {
    match rest {
        ["openapi.json"] | ["orders", _] | ["availability"] => Some("GET"),
        ["orders"]
        | ["orders", _, "resend"]
        | ["staff", "contacts", _, "decision"]
        | ["staff", "domains", _, "lock"]
        | ["callbacks", "verification"] => Some("POST"),
        _ => None,
    }
}

pub async fn handle(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method, segments.as_slice()) {
        // The trivial route: the baseline of the benchmarks.
        (Method::Get, ["ping"]) => Response::ok("pong"),
        (Method::Get, ["health"]) => health::get(&env).await,
        _ if crate::reseller::API_PATHS.contains(&path.trim_end_matches('/')) => {
            crate::reseller::handle(req, &env, &ctx).await
        }
        (Method::Get, ["transfer", token]) => transfer::show(&env, token).await,
        (Method::Post, ["transfer", token, choice]) => {
            transfer::answer(&env, &ctx, token, choice).await
        }

        (Method::Get, ["api", "v1", "openapi.json"]) => {
            let mut response = Response::ok(OPENAPI)?;
            response
                .headers_mut()
                .set("content-type", "application/json")?;
            Ok(response)
        }
        (Method::Post, ["api", "v1", "orders"]) => orders::create(req, &env, &ctx).await,
        (Method::Get, ["api", "v1", "orders", id]) => orders::status(id, &env).await,
        (Method::Post, ["api", "v1", "orders", id, "resend"]) => {
            orders::resend(&req, id, &env, &ctx).await
        }
        (Method::Get, ["api", "v1", "availability"]) => orders::availability(&req, &env).await,
        (Method::Post, ["api", "v1", "staff", "contacts", handle, "decision"]) => {
            staff_api::decision(req, handle, &env, &ctx).await
        }
        (Method::Post, ["api", "v1", "staff", "domains", name, "lock"]) => {
            staff_api::lock(req, name, &env, &ctx).await
        }
        (Method::Post, ["api", "v1", "callbacks", "verification"]) => {
            callback::verification(req, &env, &ctx).await
        }
        (_, ["api", "v1", rest @ ..]) => match allowed_methods(rest) {
            Some(allow) => http::method_not_allowed(allow),
            None => http::not_found(),
        },
        (_, ["api", ..]) => http::not_found(),

        (Method::Post, ["register"]) => register_form::submit(req, &env, &ctx).await,
        (Method::Get, ["verify", token]) => verify::show(token, &env).await,
        (Method::Post, ["verify", token, "confirm"]) => {
            verify::answer(token, verify::Answer::Confirm, &env, &ctx).await
        }
        (Method::Post, ["verify", token, "decline"]) => {
            verify::answer(token, verify::Answer::Decline, &env, &ctx).await
        }
        (Method::Post, ["verify", token, "resend"]) => {
            verify::resend(&req, token, &env, &ctx).await
        }
        (Method::Get, ["approve", token]) => approve::show(token, &env).await,
        (Method::Post, ["approve", token, "approve"]) => {
            approve::answer(token, approve::Answer::Approve, &env, &ctx).await
        }
        (Method::Post, ["approve", token, "decline"]) => {
            approve::answer(token, approve::Answer::Decline, &env, &ctx).await
        }
        (Method::Post, ["approve", token, "resend"]) => {
            approve::resend(&req, token, &env, &ctx).await
        }
        // The order page's stable URL serves the status page; it reads the id from the path.
        (Method::Get, ["orders", _]) => {
            let assets = env.assets("ASSETS")?;
            let url = req.url()?.join("/order.html")?;
            assets.fetch(url.to_string(), None).await
        }

        // RDAP answers every method itself (GET, HEAD, OPTIONS; 405 otherwise).
        (_, ["rdap", rest @ ..]) => rdap::handle(req, &env, rest).await,
        #[cfg(feature = "dev-tools")]
        (_, ["dev", ..]) => dev::handle(req, &env).await,
        (_, ["staff", ..]) => crate::console::handle(req, &env).await,
        _ => env.assets("ASSETS")?.fetch_request(req).await,
    }
}
