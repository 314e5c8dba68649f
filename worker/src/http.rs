//! JSON in and out, and the one mapping from the core's `Problems` to an HTTP response.

use coopreg_shared::{ErrorCode, Problem, Problems};
use serde::Serialize;
use worker::{Response, Result};

pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    let mut response = Response::from_json(body)?.with_status(status);
    response.headers_mut().set("cache-control", "no-store")?;
    Ok(response)
}

/// The core's error shape, `{"errors": [...]}`, with the status of its first problem.
pub fn problems(problems: &Problems) -> Result<Response> {
    json(problems.http_status(), problems)
}

pub fn problem(code: ErrorCode, field: &str, message: &str) -> Result<Response> {
    problems(&Problems::one(Problem::new(code, field, message)))
}

/// Over a limit (`coopreg_shared::limits`): 429 with `Retry-After` and the error shape.
pub fn over_limit(over: &coopreg_shared::limits::OverLimit) -> Result<Response> {
    let mut response = problems(&over.problems)?;
    response
        .headers_mut()
        .set("retry-after", &over.retry_after.to_string())?;
    Ok(response)
}

pub fn not_found() -> Result<Response> {
    problem(ErrorCode::NotFound, "", "No such page or resource.")
}

/// A known path used with a method it does not answer.
pub fn method_not_allowed(allow: &str) -> Result<Response> {
    let mut response = problem(
        ErrorCode::InvalidValue,
        "",
        &format!("This resource answers {allow} only."),
    )?
    .with_status(405);
    response.headers_mut().set("allow", allow)?;
    Ok(response)
}

/// A server-side failure: logged (without request data) and answered without details.
/// A batch refused because a record changed since it was read (`store::is_write_conflict`):
/// the JSON error shape, or a page for a browser.
pub fn write_conflict(error: &worker::Error, html: bool) -> Result<Response> {
    worker::console_warn!("write conflict: {error}");
    if html {
        return crate::pages::page(
            409,
            "Please try again",
            &format!(
                "<section class=\"card\"><h1>Please try again</h1><p>{}</p>\
                 <p>Go back and send it once more.</p></section>",
                crate::pages::escape(WRITE_CONFLICT)
            ),
        );
    }
    problem(ErrorCode::WriteConflict, "", WRITE_CONFLICT)
}

/// What a write conflict tells the client, on every interface.
pub const WRITE_CONFLICT: &str =
    "Another change to the same record was saved a moment ago; nothing was changed. Please try again.";

pub fn internal(context: &str, error: &worker::Error) -> Result<Response> {
    worker::console_error!("internal error in {context}: {error}");
    problem(
        ErrorCode::Internal,
        "",
        "Something went wrong on our side; nothing was changed. Please try again.",
    )
}
