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
    Ok(response)
}

/// What every server-rendered page allows: its own styles and forms, no scripts, no framing.
pub const CSP: &str = "default-src 'self'; style-src 'self'; script-src 'none'; form-action 'self'; frame-ancestors 'none'";

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
