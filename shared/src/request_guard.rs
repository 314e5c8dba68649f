//! Cross-site request checks for APIs that browsers may hold credentials for (the staff
//! decision API takes HTTP Basic, which a browser caches and sends with any form post).
//!
//! Rules ([`json_from_own_origin`]):
//! - the body must be declared `Content-Type: application/json` (parameters such as
//!   `charset` allowed): a cross-site HTML form can only send `text/plain`, form encoding or
//!   multipart without a preflight, so it can never pass;
//! - an `Origin` header, when present, must be the API's own origin (`scheme://host[:port]`);
//!   clients that are not browsers send none.
//!
//! Errors: `unsupported_media_type` (415, field `Content-Type`), `cross_origin` (403, field
//! `Origin`).

use crate::error::{ErrorCode, Problem};

/// Checks the request's `Content-Type` and `Origin` against `own_origin`.
pub fn json_from_own_origin(
    content_type: Option<&str>,
    origin: Option<&str>,
    own_origin: &str,
) -> Result<(), Problem> {
    let media = content_type
        .and_then(|value| value.split(';').next())
        .map(|media| media.trim().to_ascii_lowercase());
    if media.as_deref() != Some("application/json") {
        return Err(Problem::new(
            ErrorCode::UnsupportedMediaType,
            "Content-Type",
            format!(
                "Send the body as JSON with Content-Type: application/json (got {}).",
                content_type.map_or("none".to_string(), |value| format!("\"{value}\""))
            ),
        ));
    }
    if let Some(origin) = origin {
        if origin != own_origin {
            return Err(Problem::new(
                ErrorCode::CrossOrigin,
                "Origin",
                format!(
                    "Requests from pages of another site ({origin}) are refused; call this API from the registry's own pages or from a program without an Origin header."
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "https://registry.coop";

    #[test]
    fn only_json_from_no_or_the_own_origin() {
        assert!(json_from_own_origin(Some("application/json"), None, OWN).is_ok());
        assert!(
            json_from_own_origin(Some("Application/JSON; charset=utf-8"), Some(OWN), OWN).is_ok()
        );
        for content_type in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonx"),
        ] {
            let problem = json_from_own_origin(content_type, None, OWN).unwrap_err();
            assert_eq!(
                problem.code,
                ErrorCode::UnsupportedMediaType,
                "{content_type:?}"
            );
            assert_eq!(problem.code.http_status(), 415);
        }
        for origin in [
            "https://evil.example",
            "null",
            "https://registry.coop.evil.example",
        ] {
            let problem =
                json_from_own_origin(Some("application/json"), Some(origin), OWN).unwrap_err();
            assert_eq!(problem.code, ErrorCode::CrossOrigin, "{origin}");
            assert_eq!(problem.code.http_status(), 403);
        }
    }
}
