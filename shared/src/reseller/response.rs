//! Writing a reseller response in the exact plain-text grammar clients parse.
//!
//! Emission rules (reseller-api.md §3.1, §3.3):
//! - `[RESPONSE]`, `code = N`, `description = …`, then `queuetime = 0` and `runtime = S`
//!   (never for syntax errors 500–509, as the real API does), then
//!   `property[name][i] = value` lines, then `EOF`;
//! - LF line ends only, no blank lines, ` = ` as separator, a final LF after `EOF`;
//! - properties sorted by name, each name's indices contiguous from 0 in ascending order (the
//!   official SDK ignores the index and appends in order of appearance);
//! - property names use only `[A-Za-z0-9_ -]`: lower-case words with spaces, as the live API
//!   writes them (see [`prop`]); values and the description never contain a line break or
//!   another control character (replaced by a space).
//!
//! Errors become responses through [`Response::from_problems`]: the code and standard
//! description come from [`crate::error::ErrorCode::reseller_result`], the first problem adds
//! its detail — `Invalid attribute name; LIMIT`, `Missing required attribute; DOMAIN`,
//! `Invalid attribute value syntax; DOMAIN: (…)`.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::Timestamp;

/// The `Content-Type` of every response. Always send it with HTTP status 200: the official
/// SDK treats any other status as a transport failure.
pub const CONTENT_TYPE: &str = "text/plain; charset=UTF-8";

/// Property names as the live API writes them (SDK clients read them upper-cased with the
/// spaces removed: `registration expiration date` → `REGISTRATIONEXPIRATIONDATE`).
pub mod prop {
    pub const ADMIN_CONTACT: &str = "admin contact";
    pub const AUTH: &str = "auth";
    pub const BILLING_CONTACT: &str = "billing contact";
    pub const CITY: &str = "city";
    pub const COLUMN: &str = "column";
    pub const CONTACT: &str = "contact";
    pub const COUNT: &str = "count";
    pub const COUNTRY: &str = "country";
    pub const CREATED_BY: &str = "created by";
    pub const CREATED_DATE: &str = "created date";
    pub const DELETION_DATE: &str = "deletion date";
    pub const DOMAIN: &str = "domain";
    pub const DOMAIN_CHECK: &str = "domaincheck";
    pub const DOMAIN_CHECK_TIME: &str = "domainchecktime";
    pub const DOMAIN_CREATED_DATE: &str = "domain created date";
    pub const DOMAIN_IDN: &str = "domain idn";
    pub const DOMAIN_REGISTRATION_EXPIRATION_DATE: &str = "domain registration expiration date";
    pub const DOMAIN_STATUS: &str = "domain status";
    pub const DOMAIN_UPDATED_DATE: &str = "domain updated date";
    pub const DOMAIN_ZONE: &str = "domain zone";
    pub const EMAIL: &str = "email";
    pub const EXECUTE_DATE: &str = "execute date";
    pub const EXPIRATION_DATE: &str = "expiration date";
    pub const FAX: &str = "fax";
    pub const FIRST: &str = "first";
    pub const FIRST_NAME: &str = "first name";
    pub const LAST: &str = "last";
    pub const LAST_NAME: &str = "last name";
    pub const LIMIT: &str = "limit";
    pub const NAMESERVER: &str = "nameserver";
    /// One DS record per value, `<keytag> <alg> <digestType> <digest>` (as `DNSSECDSDATA#`).
    pub const DNSSEC_DS_DATA: &str = "dnssecdsdata";
    pub const ORGANIZATION: &str = "organization";
    pub const OWNER_CONTACT: &str = "owner contact";
    pub const PAIDUNTIL_DATE: &str = "paiduntil date";
    pub const PHONE: &str = "phone";
    pub const REGISTRAR: &str = "registrar";
    pub const REGISTRATION_EXPIRATION_DATE: &str = "registration expiration date";
    pub const RENEWAL_DATE: &str = "renewal date";
    pub const REQUEST_DATE: &str = "request date";
    pub const REQUESTING_REGISTRAR: &str = "requesting registrar";
    pub const RGP_STATUS: &str = "rgp status";
    pub const SESSIONID: &str = "sessionid";
    pub const STATE: &str = "state";
    pub const STATUS: &str = "status";
    pub const STREET: &str = "street";
    pub const TECH_CONTACT: &str = "tech contact";
    pub const TOTAL: &str = "total";
    pub const TRANSFER_LOCK: &str = "transfer lock";
    pub const TRANSFER_STATUS: &str = "transfer status";
    pub const UPDATED_BY: &str = "updated by";
    pub const UPDATED_DATE: &str = "updated date";
    pub const VALIDATED: &str = "validated";
    pub const VERIFIED: &str = "verified";
    pub const VERIFICATION_REQUESTED: &str = "verification requested";
    pub const ZIP: &str = "zip";
    pub const ZONE: &str = "zone";
    /// `.coop` registrant verification: 1 when the owner is verified, 0 otherwise (seed 000).
    /// Lower case like the 2024 captures (`x-domain-roid`); the SDK upper-cases it.
    pub const X_COOP_VERIFICATION: &str = "x-coop-verification";
    pub const X_IDN_LANGUAGE: &str = "x-idn-language";
}

/// The standard description of a result code (reseller-api.md §4), `None` for codes not in
/// the published table.
pub fn standard_description(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Command completed successfully",
        210 => "Domain name available",
        211 => "Domain name not available",
        212 => "Name server available",
        213 => "Name server not available",
        214 => "Contact available",
        215 => "Contact not available",
        218 => "Request is available",
        219 => "Request is not available",
        220 => "Command completed successfully. Server closing connection",
        420 => "Command failed due to server error. Server closing connection",
        421 => "Command failed due to server error. Client should try again",
        422 => {
            "Abuse detected! The account has been temporarily locked! Please standby some minutes."
        }
        423 => "error (socket error)",
        500 => "Invalid command name",
        501 => "Invalid command option",
        502 => "Invalid entity value",
        503 => "Invalid attribute name",
        504 => "Missing required attribute",
        505 => "Invalid attribute value syntax",
        506 => "Invalid option value",
        507 => "Invalid command format",
        508 => "Missing required entity",
        509 => "Missing command option",
        520 => "Server closing connection. Client should try opening new connection",
        521 => "Too many sessions open. Server closing connection",
        530 => "Authentication failed",
        531 => "Authorization failed",
        532 => "Domain names linked with name server",
        533 => "Domain name has active name servers",
        534 => "Domain name has not been flagged for transfer",
        535 => "Restricted IP address",
        536 => "Domain already flagged for transfer",
        540 => "Attribute value is not unique",
        541 => "Invalid attribute value",
        542 => "Invalid old value for an attribute",
        543 => "Final or implicit attribute cannot be updated",
        544 => "Entity on hold",
        545 => "Entity reference not found",
        546 => "Credit limit exceeded",
        547 => "Invalid command sequence",
        548 => "Domain is not up for renewal",
        549 => "Command failed",
        550 => "Parent domain not registered",
        551 => "Parent domain status does not allow for operation",
        552 => "Domain status does not allow for operation",
        553 => "Operation not allowed. Domain pending transfer",
        554 => "Domain already registered",
        555 => "Domain already renewed",
        556 => "Maximum registration period exceeded",
        557 => "Object status prohibits operation",
        560 => "Resource is disabled",
        561 => "Resource still in use",
        562 => "Email address already uses forwarding",
        563 => "Email address already uses mailspace",
        564 => "Email domain already linked to a different mailspace",
        _ => return None,
    })
}

/// `YYYY-MM-DD HH:MM:SS.0` in UTC, the form of the live API's domain dates.
pub fn format_datetime(at: Timestamp) -> String {
    match chrono::DateTime::from_timestamp(at, 0) {
        Some(moment) => moment.format("%Y-%m-%d %H:%M:%S.0").to_string(),
        // Outside chrono's range (±262,000 years): no real date gets here.
        None => String::new(),
    }
}

/// One response, built up and then written with [`Response::to_text`] (or `Display`).
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    code: u16,
    description: String,
    /// `None` leaves out `queuetime`/`runtime`; `Some(seconds)` writes both unless the code
    /// is a syntax error (see [`Response::is_timed`]).
    runtime: Option<f64>,
    properties: BTreeMap<String, Vec<String>>,
}

impl Response {
    /// A response with `code`, its standard description (or `Command failed` for a code not in
    /// the table) and timing lines (`runtime = 0.000` until [`Response::runtime`] sets it).
    pub fn new(code: u16) -> Self {
        Response::with_description(code, standard_description(code).unwrap_or("Command failed"))
    }

    /// `200 Command completed successfully`.
    pub fn success() -> Self {
        Response::new(200)
    }

    /// A response with a description of the caller's choosing.
    pub fn with_description(code: u16, description: impl Into<String>) -> Self {
        Response {
            code,
            description: clean_value(&description.into()),
            runtime: Some(0.0),
            properties: BTreeMap::new(),
        }
    }

    /// The answer to a failed request: code and description of the first problem's
    /// [`ErrorCode::reseller_result`], with that problem's detail appended. An empty list
    /// (which no rule returns) answers as an internal error.
    pub fn from_problems(problems: &Problems) -> Self {
        match problems.errors.first() {
            Some(problem) => Response::from_problem(problem),
            None => Response::from_problem(&Problem::new(ErrorCode::Internal, "", "")),
        }
    }

    /// The answer for one problem; see [`Response::from_problems`].
    pub fn from_problem(problem: &Problem) -> Self {
        let (code, description) = problem.code.reseller_result();
        let response = Response::with_description(code, description);
        match problem_detail(problem) {
            Some(detail) => response.detail(&detail),
            None => response,
        }
    }

    /// Appends `; detail` to the description.
    pub fn detail(mut self, detail: &str) -> Self {
        self.description.push_str("; ");
        self.description.push_str(&clean_value(detail));
        self
    }

    /// Sets the `runtime` line (seconds, written with three decimals); negative or non-finite
    /// values are written as 0. Safe to call on every response: syntax errors stay untimed.
    pub fn runtime(mut self, seconds: f64) -> Self {
        self.runtime = Some(if seconds.is_finite() && seconds > 0.0 {
            seconds
        } else {
            0.0
        });
        self
    }

    /// Leaves out the `queuetime` and `runtime` lines.
    pub fn without_timing(mut self) -> Self {
        self.runtime = None;
        self
    }

    /// Adds `value` as the next index of property `name` (builder form of [`Response::push`]).
    pub fn property(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.push(name, value);
        self
    }

    /// Adds `value` as the next index of property `name`. The name is reduced to
    /// `[A-Za-z0-9_ -]` (a name with nothing left is not written); control characters in the
    /// value become spaces.
    pub fn push(&mut self, name: &str, value: impl AsRef<str>) {
        let name = clean_name(name);
        if !name.is_empty() {
            self.properties
                .entry(name)
                .or_default()
                .push(clean_value(value.as_ref()));
        }
    }

    pub fn code(&self) -> u16 {
        self.code
    }

    /// Whether `queuetime`/`runtime` lines are written: not for syntax errors (500–509, which
    /// the real API answers before running anything), nor after [`Response::without_timing`].
    pub fn is_timed(&self) -> bool {
        self.runtime.is_some() && !(500..510).contains(&self.code)
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    /// The values of one property, in index order.
    pub fn values(&self, name: &str) -> &[String] {
        self.properties
            .get(&clean_name(name))
            .map_or(&[], Vec::as_slice)
    }

    /// The response body.
    pub fn to_text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[RESPONSE]\n")?;
        writeln!(f, "code = {}", self.code)?;
        writeln!(f, "description = {}", self.description)?;
        if let Some(runtime) = self.runtime.filter(|_| self.is_timed()) {
            f.write_str("queuetime = 0\n")?;
            writeln!(f, "runtime = {runtime:.3}")?;
        }
        for (name, values) in &self.properties {
            for (index, value) in values.iter().enumerate() {
                writeln!(f, "property[{name}][{index}] = {value}")?;
            }
        }
        f.write_str("EOF\n")
    }
}

/// The detail the real API appends: the bare attribute name for 503/504, none for 530,
/// `NAME: (message)` otherwise.
fn problem_detail(problem: &Problem) -> Option<String> {
    let field = problem.field.trim();
    let message = problem.message.trim();
    match problem.code {
        // The live API says no more (cassette `login-creds-ok`/`logout-fail`), and the reason a
        // login failed is no business of the caller.
        ErrorCode::AuthenticationFailed => None,
        ErrorCode::UnknownField | ErrorCode::Required if !field.is_empty() => {
            Some(field.to_string())
        }
        _ => match (field.is_empty(), message.is_empty()) {
            (true, true) => None,
            (true, false) => Some(message.to_string()),
            (false, true) => Some(field.to_string()),
            (false, false) => Some(format!("{field}: ({message})")),
        },
    }
}

/// A value on one line: control characters (and the Unicode line/paragraph separators some
/// parsers split on) become spaces; trailing blanks go, as the SDK would drop them anyway.
fn clean_value(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect();
    cleaned.trim_end().to_string()
}

/// A property name within `[A-Za-z0-9_ -]`, the set every known client parses.
fn clean_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-'))
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_start_success_bytes() {
        let response = Response::success()
            .runtime(0.027)
            .property(prop::SESSIONID, "6cc52071518eb990c3a85cb4530417a4")
            .property(prop::EXPIRATION_DATE, format_datetime(1_716_934_664));
        assert_eq!(
            response.to_text(),
            "[RESPONSE]\n\
             code = 200\n\
             description = Command completed successfully\n\
             queuetime = 0\n\
             runtime = 0.027\n\
             property[expiration date][0] = 2024-05-28 22:17:44.0\n\
             property[sessionid][0] = 6cc52071518eb990c3a85cb4530417a4\n\
             EOF\n"
        );
    }

    #[test]
    fn unknown_attribute_bytes_match_the_real_api() {
        let problem = Problem::new(ErrorCode::UnknownField, "LIMIT", "not an attribute");
        assert_eq!(
            Response::from_problem(&problem).to_text(),
            "[RESPONSE]\ncode = 503\ndescription = Invalid attribute name; LIMIT\nEOF\n"
        );
    }

    #[test]
    fn missing_attribute_names_only_the_attribute() {
        let problems = Problems::one(Problem::new(ErrorCode::Required, "DOMAIN", "needed"));
        assert_eq!(
            Response::from_problems(&problems).to_text(),
            "[RESPONSE]\ncode = 504\ndescription = Missing required attribute; DOMAIN\nEOF\n"
        );
    }

    #[test]
    fn value_errors_carry_field_and_message() {
        let problem = Problem::new(
            ErrorCode::MalformedInput,
            "DOMAIN",
            "the label must not start with a hyphen",
        );
        assert_eq!(
            Response::from_problem(&problem).to_text(),
            "[RESPONSE]\ncode = 505\ndescription = Invalid attribute value syntax; DOMAIN: (the label must not start with a hyphen)\nEOF\n"
        );
    }

    #[test]
    fn state_errors_keep_timing_lines() {
        let problem = Problem::new(
            ErrorCode::NotFound,
            "DOMAIN",
            "no such domain in your account",
        );
        assert_eq!(
            Response::from_problem(&problem).runtime(0.0123).to_text(),
            "[RESPONSE]\ncode = 545\ndescription = Entity reference not found; DOMAIN: (no such domain in your account)\nqueuetime = 0\nruntime = 0.012\nEOF\n"
        );
    }

    #[test]
    fn error_codes_map_to_the_documented_results() {
        let cases = [
            (ErrorCode::Required, 504),
            (ErrorCode::UnknownField, 503),
            (ErrorCode::UnknownCommand, 500),
            (ErrorCode::MalformedInput, 505),
            (ErrorCode::InvalidValue, 541),
            (ErrorCode::NotFound, 545),
            (ErrorCode::NotYours, 531),
            (ErrorCode::StatusProhibits, 552),
            (ErrorCode::PeriodExceeded, 556),
            (ErrorCode::AuthenticationFailed, 530),
        ];
        for (code, expected) in cases {
            let response = Response::from_problem(&Problem::new(code, "", ""));
            assert_eq!(response.code(), expected, "{code}");
        }
    }

    #[test]
    fn authentication_failures_carry_no_detail() {
        let problem = Problem::new(
            ErrorCode::AuthenticationFailed,
            "s_pw",
            "the login or password is wrong",
        );
        let response = Response::from_problem(&problem);
        assert_eq!(
            response.to_text(),
            "[RESPONSE]\ncode = 530\ndescription = Authentication failed\nqueuetime = 0\nruntime = 0.000\nEOF\n"
        );
    }

    #[test]
    fn every_error_description_is_the_standard_one() {
        let all = [
            ErrorCode::MalformedInput,
            ErrorCode::BodyTooLarge,
            ErrorCode::Required,
            ErrorCode::UnknownField,
            ErrorCode::UnknownCommand,
            ErrorCode::WrongType,
            ErrorCode::TooLong,
            ErrorCode::ControlCharacter,
            ErrorCode::NotNormalized,
            ErrorCode::InvalidValue,
            ErrorCode::NotFound,
            ErrorCode::NotYours,
            ErrorCode::NameTaken,
            ErrorCode::StatusProhibits,
            ErrorCode::PeriodExceeded,
            ErrorCode::AuthenticationFailed,
            ErrorCode::RateLimited,
            ErrorCode::TokenInvalid,
            ErrorCode::TokenExpired,
            ErrorCode::SignatureInvalid,
            ErrorCode::IdempotencyConflict,
            ErrorCode::Internal,
            ErrorCode::WriteConflict,
        ];
        for code in all {
            let (number, description) = code.reseller_result();
            assert_eq!(standard_description(number), Some(description), "{code}");
        }
    }

    #[test]
    fn problem_without_field_uses_the_message() {
        let problem = Problem::new(ErrorCode::MalformedInput, "", "the body is not valid UTF-8");
        assert_eq!(
            Response::from_problem(&problem).description(),
            "Invalid attribute value syntax; the body is not valid UTF-8"
        );
        let empty = Response::from_problems(&Problems::default());
        assert_eq!(empty.code(), 421);
    }

    #[test]
    fn first_problem_decides() {
        let mut problems = Problems::one(Problem::new(ErrorCode::UnknownField, "LAST", "x"));
        problems.push(Problem::new(ErrorCode::Required, "DOMAIN", "y"));
        let response = Response::from_problems(&problems);
        assert_eq!(response.code(), 503);
        assert_eq!(response.description(), "Invalid attribute name; LAST");
    }

    #[test]
    fn properties_sorted_by_name_indices_ascending() {
        let mut response = Response::success().runtime(0.021);
        for (name, value) in [
            (prop::COLUMN, "domaincheck"),
            (prop::COLUMN, "domainchecktime"),
            (prop::DOMAIN_CHECK, "211 Domain name not available"),
            (prop::DOMAIN_CHECK_TIME, "0"),
            (prop::DOMAIN_CHECK, "210 Domain name available"),
            (prop::DOMAIN_CHECK_TIME, "0"),
        ] {
            response.push(name, value);
        }
        assert_eq!(
            response.to_text(),
            "[RESPONSE]\n\
             code = 200\n\
             description = Command completed successfully\n\
             queuetime = 0\n\
             runtime = 0.021\n\
             property[column][0] = domaincheck\n\
             property[column][1] = domainchecktime\n\
             property[domaincheck][0] = 211 Domain name not available\n\
             property[domaincheck][1] = 210 Domain name available\n\
             property[domainchecktime][0] = 0\n\
             property[domainchecktime][1] = 0\n\
             EOF\n"
        );
        assert_eq!(
            response.values(prop::DOMAIN_CHECK),
            ["211 Domain name not available", "210 Domain name available"]
        );
    }

    #[test]
    fn empty_values_keep_the_separator() {
        let response = Response::success().property(prop::AUTH, "");
        assert!(response.to_text().contains("\nproperty[auth][0] = \nEOF\n"));
    }

    #[test]
    fn line_breaks_never_reach_the_wire() {
        let response = Response::with_description(549, "Command failed\r\nEOF")
            .detail("a\nb")
            .property("bad]\n[name=", "x\r\ny\u{2028}z\u{85}w\t ")
            .property("\n", "skipped");
        let text = response.to_text();
        assert_eq!(
            text,
            "[RESPONSE]\ncode = 549\ndescription = Command failed  EOF; a b\nqueuetime = 0\nruntime = 0.000\nproperty[badname][0] = x  y z w\nEOF\n"
        );
        assert!(!text.contains('\r'));
        assert!(!text.contains("\n\n"));
        assert_eq!(text.matches("EOF\n").count(), 1);
    }

    #[test]
    fn code_and_description_come_first_and_eof_last() {
        for code in [200, 210, 211, 503, 530, 545] {
            let text = Response::new(code).property("status", "ACTIVE").to_text();
            let lines: Vec<&str> = text.split('\n').collect();
            assert_eq!(lines[0], "[RESPONSE]");
            assert_eq!(lines[1], format!("code = {code}"));
            assert!(lines[2].starts_with("description = "));
            assert_eq!(lines[lines.len() - 2], "EOF");
            assert_eq!(lines[lines.len() - 1], "", "ends with one LF");
            assert!(lines[..lines.len() - 1].iter().all(|line| !line.is_empty()));
            let timed = text.contains("\nqueuetime = 0\nruntime = 0.000\n");
            assert_eq!(timed, !(500..510).contains(&code), "{code}");
        }
    }

    #[test]
    fn runtime_is_never_negative_or_nan() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(Response::success()
                .runtime(bad)
                .to_text()
                .contains("runtime = 0.000\n"));
        }
        assert!(!Response::success()
            .without_timing()
            .to_text()
            .contains("runtime"));
    }

    #[test]
    fn standard_descriptions() {
        assert_eq!(standard_description(210), Some("Domain name available"));
        assert_eq!(
            standard_description(545),
            Some("Entity reference not found")
        );
        assert_eq!(standard_description(299), None);
        assert_eq!(Response::new(299).description(), "Command failed");
    }

    #[test]
    fn dates() {
        assert_eq!(format_datetime(0), "1970-01-01 00:00:00.0");
        assert_eq!(format_datetime(1_716_934_664), "2024-05-28 22:17:44.0");
        assert_eq!(format_datetime(i64::MAX), "");
    }
}
