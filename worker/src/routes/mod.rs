//! The HTTP router: matches method and path, hands over to one module per area.
//! Anything not matched here is served from the static assets (the web UI).

use worker::{Env, Method, Request, Response, Result};

use crate::http;

#[cfg(feature = "dev-tools")]
mod dev;
mod health;

pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method, segments.as_slice()) {
        (Method::Get, ["health"]) => health::get(&env).await,
        #[cfg(feature = "dev-tools")]
        (_, ["dev", ..]) => dev::handle(req, &env).await,
        (_, ["staff", ..]) => crate::console::handle(req, &env).await,
        (_, ["api", ..]) => http::not_found(),
        _ => env.assets("ASSETS")?.fetch_request(req).await,
    }
}
