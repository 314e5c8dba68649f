//! Server-rendered HTML pages (the verification page and its outcomes, the no-JavaScript
//! form fallback). They use the classes of `web-ui/static/style.css`.

use worker::{Response, Result};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A complete page: `body` is trusted HTML built with [`escape`]d values.
pub fn page(status: u16, title: &str, body: &str) -> Result<Response> {
    let mut response = Response::from_html(html(title, body))?.with_status(status);
    let headers = response.headers_mut();
    headers.set("cache-control", "no-store")?;
    headers.set("content-security-policy", CSP)?;
    security_headers(headers, "no-referrer")?;
    Ok(response)
}

/// A page saying, in words, that a limit was reached (429 with `Retry-After`).
pub fn over_limit(over: &coopreg_shared::limits::OverLimit) -> Result<Response> {
    let items: String = over
        .problems
        .errors
        .iter()
        .map(|problem| format!("<li>{}</li>", escape(&problem.message)))
        .collect();
    let mut response = page(
        429,
        "Please wait",
        &format!(
            "<section class=\"card\"><h1>Please wait a little</h1>\
             <div class=\"summary\" role=\"alert\"><ul>{items}</ul></div>\
             <p>Nothing was registered or sent. Go back and try again later.</p></section>"
        ),
    )?;
    response
        .headers_mut()
        .set("retry-after", &over.retry_after.to_string())?;
    Ok(response)
}

/// What every server-rendered page allows: its own styles and forms, no scripts, no framing.
pub const CSP: &str = "default-src 'self'; style-src 'self'; script-src 'none'; form-action 'self'; frame-ancestors 'none'";

/// The headers every page carries besides its CSP, the same for the worker's pages, the
/// console and the static assets (`web-ui/static/_headers`): no framing, no MIME sniffing, and
/// `referrer` as the Referrer-Policy (`no-referrer`; the console's `same-origin`, see
/// `console::view::page`).
pub fn security_headers(headers: &mut worker::Headers, referrer: &str) -> Result<()> {
    headers.set("x-frame-options", "DENY")?;
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("referrer-policy", referrer)?;
    Ok(())
}

/// The HTML of a complete page (see [`page`]).
pub fn html(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title} — .coop registration</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n\
         <body>\n<header class=\"site\"><div class=\"wrap\"><a class=\"brand\" href=\"/\">\
         <span class=\"logo\" aria-hidden=\"true\">.coop</span> registration</a></div></header>\n\
         <main id=\"main\" class=\"wrap\">\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    )
}
