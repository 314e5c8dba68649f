//! The HTTP router: matches method and path, hands over to one module per area.
//! Anything not matched here is served from the static assets (the web UI).

use worker::{Context, Env, Method, Request, Response, Result};

use crate::http;

#[cfg(feature = "dev-tools")]
mod dev;
mod health;
mod transfer;

pub async fn handle(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method, segments.as_slice()) {
        (Method::Get, ["health"]) => health::get(&env).await,
        // Liveness without storage: the baseline of the reseller API benchmark.
        (Method::Get, ["ping"]) => Response::ok("pong"),
        (_, ["api", "call.cgi"] | ["api", "call"]) => {
            crate::reseller::handle(req, &env, &ctx).await
        }
        (Method::Get, ["transfer", token]) => transfer::show(&env, token).await,
        (Method::Post, ["transfer", token, choice]) => {
            transfer::answer(&env, &ctx, token, choice).await
        }
        #[cfg(feature = "dev-tools")]
        (_, ["dev", ..]) => dev::handle(req, &env).await,
        (_, ["api", ..]) => http::not_found(),
        _ => env.assets("ASSETS")?.fetch_request(req).await,
    }
}
