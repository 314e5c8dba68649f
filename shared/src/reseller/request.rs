//! Reading a reseller request: socket fields, command name and parameters.
//!
//! Rules (reseller-api.md §1.3–§1.6):
//! - Fields come from the query string and the form body (both
//!   `application/x-www-form-urlencoded`), merged.
//! - Socket fields: `s_login` (`account` or `account:role`), `s_pw`, `s_sessionid`,
//!   `s_opmode`, `s_command`, and `persistent` (no `s_` prefix). Other `s_*` fields (HEXONET's
//!   `s_entity`, `s_user`, …) are accepted and ignored.
//! - Form A: `s_command` holds `KEY=VALUE` lines (`\n` or `\r\n`); each line is split on its
//!   first `=`, key and value are trimmed; empty lines and the `[COMMAND]` / `EOF` framing
//!   lines of the e-mail gateway are skipped.
//! - Form B: every other field is a parameter.
//! - Parameter names are case-insensitive and kept upper-cased (`NAMESERVER0`, `STREET1` stay
//!   flat, indexed keys). `COMMAND` becomes [`ResellerRequest::command`] (lower case) and
//!   `PERSISTENT` the [`ResellerRequest::persistent`] flag.
//! - A name given twice with different values is an error, except that an `s_command` line
//!   wins over a flat field of the same name.
//!
//! Errors (all reported at once, nothing panics):
//! - `body_too_large` (505) for more than [`MAX_REQUEST_BYTES`];
//! - `malformed_input` (505) for a broken `%` escape, invalid UTF-8, an `s_command` line without
//!   `=`, a field without a name, or a name repeated with a different value;
//! - `control_character` (505) for a control character inside a name or a value;
//! - `invalid_value` (541) for a `persistent` other than `0`/`1` or an empty role in `s_login`.

use std::collections::BTreeMap;

use crate::error::{ErrorCode, Problem, Problems};

/// The largest query string plus body accepted. A CheckDomains with 32 long IDN names, or an
/// AddContact with every field at its limit, stays far below this.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// One request to the reseller API, decoded but not yet checked against a command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResellerRequest {
    /// `s_login` up to the first `:`.
    pub login: Option<String>,
    /// The role user after `:` in `s_login` (`account:role`).
    pub role: Option<String>,
    /// `s_pw`. A secret: never log it.
    pub password: Option<String>,
    /// `s_sessionid`. A secret: never log it.
    pub session_id: Option<String>,
    /// `persistent=1`: start a session (with no command, or with `StartSession`).
    pub persistent: bool,
    /// `s_opmode` as sent (`OTE`); informational.
    pub opmode: Option<String>,
    /// The command name in lower case (`adddomain`); `None` when absent or empty.
    pub command: Option<String>,
    /// Parameters by upper-cased name, `COMMAND` and `PERSISTENT` removed.
    pub params: BTreeMap<String, String>,
}

/// Who a request claims to be, as far as the request says; the worker checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials<'a> {
    /// `s_login` + `s_sessionid` (takes precedence over a password if both are sent).
    Session {
        login: &'a str,
        role: Option<&'a str>,
        session_id: &'a str,
    },
    /// `s_login` + `s_pw`; for `StartSession` also the `LOGIN` / `PASSWORD` parameters of older
    /// clients.
    Password {
        login: &'a str,
        role: Option<&'a str>,
        password: &'a str,
    },
    /// Nothing usable: answer `530 Authentication failed`.
    Missing,
}

impl ResellerRequest {
    /// The value of a parameter (name in any case), or `None` when absent or empty: clients
    /// send an empty attribute to mean "not given".
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_uppercase())
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    /// The non-empty entries of a flattened list (`NAMESERVER0`, `NAMESERVER1`, …) with their
    /// indices, in index order. A bare `BASE` (e.g. `STREET`) counts as index 0 when `BASE0`
    /// is absent.
    pub fn indexed(&self, base: &str) -> Vec<(u32, &str)> {
        let base = base.to_ascii_uppercase();
        let mut entries: Vec<(u32, &str)> = self
            .params
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .filter_map(|(name, value)| {
                let suffix = name.strip_prefix(base.as_str())?;
                let index = if suffix.is_empty() {
                    0
                } else {
                    canonical_index(suffix)?
                };
                Some((index, value.as_str()))
            })
            .collect();
        entries.sort_by_key(|(index, _)| *index);
        // `BASE` and `BASE0` both present: `BASE0` wins (it sorts after `BASE` in the map).
        entries.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                *earlier = *later;
                true
            } else {
                false
            }
        });
        entries
    }

    /// The values of [`Self::indexed`], in index order.
    pub fn list(&self, base: &str) -> Vec<&str> {
        self.indexed(base)
            .into_iter()
            .map(|(_, value)| value)
            .collect()
    }

    /// The credentials the request carries. A session id takes precedence over a password.
    pub fn credentials(&self) -> Credentials<'_> {
        if let Some(login) = self.login.as_deref() {
            let role = self.role.as_deref();
            if let Some(session_id) = self.session_id.as_deref() {
                return Credentials::Session {
                    login,
                    role,
                    session_id,
                };
            }
            if let Some(password) = self.password.as_deref() {
                return Credentials::Password {
                    login,
                    role,
                    password,
                };
            }
        }
        // Older clients start a session with `COMMAND=StartSession`, `LOGIN` and `PASSWORD`.
        if self.command.as_deref() == Some("startsession") {
            if let (Some(full_login), Some(password)) =
                (self.param("LOGIN"), self.param("PASSWORD"))
            {
                let (login, role) = match full_login.split_once(':') {
                    Some((login, role)) => (login, Some(role)),
                    None => (full_login, None),
                };
                if !login.is_empty() && role != Some("") {
                    return Credentials::Password {
                        login,
                        role,
                        password,
                    };
                }
            }
        }
        Credentials::Missing
    }
}

/// Parses a request from its raw query string (without or with the leading `?`) and its form
/// body. Pass an empty body for GET, or when the body is not
/// `application/x-www-form-urlencoded`.
pub fn parse_request(query: &str, body: &[u8]) -> Result<ResellerRequest, Problems> {
    if query.len().saturating_add(body.len()) > MAX_REQUEST_BYTES {
        return Err(Problems::one(Problem::new(
            ErrorCode::BodyTooLarge,
            "",
            format!("the request is larger than {MAX_REQUEST_BYTES} bytes"),
        )));
    }
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut problems = Problems::default();
    let mut fields = decode_form(query.as_bytes(), "query string", &mut problems);
    fields.extend(decode_form(body, "body", &mut problems));

    let mut socket = Socket::default();
    let mut flat = BTreeMap::new();
    let mut s_command: Option<String> = None;
    for (raw_name, value) in fields {
        let name = raw_name.trim();
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "s_command" => set_once(&mut s_command, value, "s_command", &mut problems),
            "s_login" => set_once(&mut socket.login, value, "s_login", &mut problems),
            "s_pw" => set_once(&mut socket.password, value, "s_pw", &mut problems),
            "s_sessionid" => set_once(&mut socket.session_id, value, "s_sessionid", &mut problems),
            "s_opmode" => set_once(&mut socket.opmode, value, "s_opmode", &mut problems),
            "persistent" => set_once(&mut socket.persistent, value, "persistent", &mut problems),
            _ if lower.starts_with("s_") => {}
            "" if value.trim().is_empty() => {}
            "" => problems.push(Problem::new(
                ErrorCode::MalformedInput,
                "",
                "a field has a value but no name; send NAME=VALUE",
            )),
            _ => insert_param(&mut flat, name, value.trim(), &mut problems),
        }
    }

    let mut params = flat;
    if let Some(lines) = s_command.as_deref() {
        for (name, value) in parse_command_lines(lines, &mut problems) {
            params.insert(name, value);
        }
    }

    let command = params
        .remove("COMMAND")
        .filter(|name| !name.is_empty())
        .map(|name| name.to_ascii_lowercase());
    let persistent = match (socket.persistent.as_deref(), params.remove("PERSISTENT")) {
        (Some(socket_value), _) => parse_flag(socket_value, "persistent", &mut problems),
        (None, Some(param_value)) => parse_flag(&param_value, "PERSISTENT", &mut problems),
        (None, None) => false,
    };

    for (name, value) in &params {
        if has_control(name) {
            problems.push(Problem::new(
                ErrorCode::ControlCharacter,
                name.clone(),
                "the attribute name contains a control character",
            ));
        } else if has_control(value) {
            problems.push(Problem::new(
                ErrorCode::ControlCharacter,
                name.clone(),
                "the value contains a control character (line break, tab, …); send it on one line",
            ));
        }
    }
    for (field, value) in [
        ("s_login", &socket.login),
        ("s_pw", &socket.password),
        ("s_sessionid", &socket.session_id),
        ("s_opmode", &socket.opmode),
    ] {
        if value.as_deref().is_some_and(has_control) {
            problems.push(Problem::new(
                ErrorCode::ControlCharacter,
                field,
                "the value contains a control character",
            ));
        }
    }

    let (login, role) = match socket.login.map(|login| login.trim().to_string()) {
        None => (None, None),
        Some(login) if login.is_empty() => (None, None),
        Some(login) => match login.split_once(':') {
            Some((account, role)) if account.is_empty() || role.is_empty() => {
                problems.push(Problem::new(
                    ErrorCode::InvalidValue,
                    "s_login",
                    "a role login is written account:role, with neither part empty",
                ));
                (None, None)
            }
            Some((account, role)) => (Some(account.to_string()), Some(role.to_string())),
            None => (Some(login), None),
        },
    };

    problems.into_result(ResellerRequest {
        login,
        role,
        password: socket.password.filter(|value| !value.is_empty()),
        session_id: socket
            .session_id
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty()),
        persistent,
        opmode: socket
            .opmode
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty()),
        command,
        params,
    })
}

/// The socket fields as sent, before interpretation.
#[derive(Default)]
struct Socket {
    login: Option<String>,
    password: Option<String>,
    session_id: Option<String>,
    opmode: Option<String>,
    persistent: Option<String>,
}

/// Decodes one `application/x-www-form-urlencoded` string. `form_urlencoded` is lenient (it
/// keeps a broken `%` escape literally and replaces invalid UTF-8), so the input is checked
/// first and refused instead of being silently altered.
fn decode_form(raw: &[u8], source: &str, problems: &mut Problems) -> Vec<(String, String)> {
    for segment in raw.split(|byte| *byte == b'&') {
        if let Some(position) = broken_escape(segment) {
            problems.push(Problem::new(
                ErrorCode::MalformedInput,
                "",
                format!(
                    "the {source} has a '%' at byte {position} of a field that is not followed \
                     by two hexadecimal digits; encode '%' as %25"
                ),
            ));
            return Vec::new();
        }
        if percent_encoding::percent_decode(segment)
            .decode_utf8()
            .is_err()
        {
            problems.push(Problem::new(
                ErrorCode::MalformedInput,
                "",
                format!("the {source} is not valid UTF-8 once percent-decoded; send UTF-8 text"),
            ));
            return Vec::new();
        }
    }
    form_urlencoded::parse(raw).into_owned().collect()
}

/// The offset of the first `%` not followed by two hex digits, if any.
fn broken_escape(segment: &[u8]) -> Option<usize> {
    segment
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'%')
        .map(|(position, _)| position)
        .find(|position| {
            let hex = |offset: usize| {
                segment
                    .get(position + offset)
                    .is_some_and(|byte| byte.is_ascii_hexdigit())
            };
            !(hex(1) && hex(2))
        })
}

/// Splits an `s_command` value into upper-cased `(NAME, value)` pairs.
fn parse_command_lines(lines: &str, problems: &mut Problems) -> Vec<(String, String)> {
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    for (number, line) in lines.split('\n').enumerate() {
        let line = line.trim_matches(|c| c == ' ' || c == '\t' || c == '\r');
        if line.is_empty() || line.eq_ignore_ascii_case("[COMMAND]") || line == "EOF" {
            continue;
        }
        match line.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                insert_param(&mut params, name.trim(), value.trim(), problems);
            }
            _ => problems.push(Problem::new(
                ErrorCode::MalformedInput,
                "s_command",
                format!(
                    "line {} is not of the form NAME=VALUE: {}",
                    number + 1,
                    shorten(line)
                ),
            )),
        }
    }
    params.into_iter().collect()
}

/// Adds a parameter under its upper-cased name; a repeat must carry the same value.
fn insert_param(
    params: &mut BTreeMap<String, String>,
    name: &str,
    value: &str,
    problems: &mut Problems,
) {
    let name = name
        .trim_matches(|c| c == ' ' || c == '\t')
        .to_ascii_uppercase();
    match params.get(&name) {
        Some(existing) if existing != value => problems.push(Problem::new(
            ErrorCode::MalformedInput,
            name,
            "the attribute is given twice with different values; send it once",
        )),
        Some(_) => {}
        None => {
            params.insert(name, value.to_string());
        }
    }
}

/// Records a socket field; a repeat must carry the same value.
fn set_once(slot: &mut Option<String>, value: String, field: &str, problems: &mut Problems) {
    match slot {
        Some(existing) if *existing != value => problems.push(Problem::new(
            ErrorCode::MalformedInput,
            field,
            "the field is given twice with different values; send it once",
        )),
        Some(_) => {}
        None => *slot = Some(value),
    }
}

fn parse_flag(value: &str, field: &str, problems: &mut Problems) -> bool {
    match value.trim() {
        "1" => true,
        "0" | "" => false,
        _ => {
            problems.push(Problem::new(
                ErrorCode::InvalidValue,
                field,
                "must be 1 (start a session) or 0",
            ));
            false
        }
    }
}

/// The index of a list entry: decimal digits without a leading zero (`0`, `1`, `12`).
pub(crate) fn canonical_index(suffix: &str) -> Option<u32> {
    let canonical = !suffix.is_empty()
        && suffix.len() <= 4
        && suffix.bytes().all(|byte| byte.is_ascii_digit())
        && (suffix == "0" || !suffix.starts_with('0'));
    if canonical {
        suffix.parse().ok()
    } else {
        None
    }
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
}

/// A line quoted in an error message, cut to a readable length.
fn shorten(line: &str) -> String {
    const LIMIT: usize = 40;
    let mut short: String = line
        .chars()
        .take(LIMIT)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if line.chars().count() > LIMIT {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    fn body(text: &str) -> ResellerRequest {
        parse_request("", text.as_bytes()).expect("request parses")
    }

    fn error_of(query: &str, body: &[u8]) -> Problems {
        parse_request(query, body).expect_err("request is refused")
    }

    // --- Form A: the official SDK's bodies, verbatim (reseller-api.md §1.4) -------------------

    #[test]
    fn sdk_password_login() {
        let request = body("s_login=myaccountid&s_pw=mypassword&s_command=COMMAND%3DStatusAccount");
        assert_eq!(
            request,
            ResellerRequest {
                login: Some("myaccountid".into()),
                password: Some("mypassword".into()),
                command: Some("statusaccount".into()),
                ..ResellerRequest::default()
            }
        );
        assert_eq!(
            request.credentials(),
            Credentials::Password {
                login: "myaccountid",
                role: None,
                password: "mypassword"
            }
        );
    }

    #[test]
    fn sdk_role_login() {
        let request = body(
            "s_login=myaccountid%3Amyroleid&s_pw=mypassword&s_command=COMMAND%3DStatusAccount",
        );
        assert_eq!(request.login.as_deref(), Some("myaccountid"));
        assert_eq!(request.role.as_deref(), Some("myroleid"));
        assert_eq!(
            request.credentials(),
            Credentials::Password {
                login: "myaccountid",
                role: Some("myroleid"),
                password: "mypassword"
            }
        );
    }

    #[test]
    fn sdk_session_use() {
        let request =
            body("s_login=myaccountid&s_sessionid=12345678&s_command=COMMAND%3DStatusAccount");
        assert_eq!(
            request.credentials(),
            Credentials::Session {
                login: "myaccountid",
                role: None,
                session_id: "12345678"
            }
        );
        assert_eq!(request.password, None);
    }

    #[test]
    fn sdk_auth_code_with_special_characters() {
        let request = body("s_command=AUTH%3Dgwrgwqg%25%26%5C44t3%2A%0ACOMMAND%3DModifyDomain");
        assert_eq!(request.command.as_deref(), Some("modifydomain"));
        assert_eq!(request.params, params(&[("AUTH", "gwrgwqg%&\\44t3*")]));
        assert_eq!(request.credentials(), Credentials::Missing);
    }

    #[test]
    fn sdk_add_domain_capture() {
        let request = body(
            "s_login=myreseller&s_pw=s3cret&s_command=ADMINCONTACT0%3DP-ABC1%0ABILLINGCONTACT0%3DP-ABC1%0ACOMMAND%3DAddDomain%0ADOMAIN%3Dexample-shop.coop%0ANAMESERVER0%3Dns1.example.net%0ANAMESERVER1%3Dns2.example.net%0AOWNERCONTACT0%3DP-ABC1%0APERIOD%3D1%0ATECHCONTACT0%3DP-ABC1%0AX-COOP-ELIGIBILITY%3D1",
        );
        assert_eq!(request.login.as_deref(), Some("myreseller"));
        assert_eq!(request.password.as_deref(), Some("s3cret"));
        assert_eq!(request.command.as_deref(), Some("adddomain"));
        assert_eq!(
            request.params,
            params(&[
                ("ADMINCONTACT0", "P-ABC1"),
                ("BILLINGCONTACT0", "P-ABC1"),
                ("DOMAIN", "example-shop.coop"),
                ("NAMESERVER0", "ns1.example.net"),
                ("NAMESERVER1", "ns2.example.net"),
                ("OWNERCONTACT0", "P-ABC1"),
                ("PERIOD", "1"),
                ("TECHCONTACT0", "P-ABC1"),
                ("X-COOP-ELIGIBILITY", "1"),
            ])
        );
        assert_eq!(
            request.list("NAMESERVER"),
            vec!["ns1.example.net", "ns2.example.net"]
        );
    }

    #[test]
    fn session_start_without_command() {
        let request = body("s_login=X&s_pw=Y&persistent=1");
        assert!(request.persistent);
        assert_eq!(request.command, None);
        assert!(request.params.is_empty());
    }

    #[test]
    fn persistent_inside_s_command_is_the_flag_not_a_parameter() {
        let request = body("s_login=X&s_pw=Y&s_command=COMMAND%3DStartSession%0APERSISTENT%3D1");
        assert!(request.persistent);
        assert_eq!(request.command.as_deref(), Some("startsession"));
        assert!(request.params.is_empty());
    }

    #[test]
    fn start_session_with_login_and_password_parameters() {
        let request = body("command=StartSession&login=acct%3Arole&password=pw&persistent=1");
        assert_eq!(
            request.credentials(),
            Credentials::Password {
                login: "acct",
                role: Some("role"),
                password: "pw"
            }
        );
        // Only StartSession reads credentials from parameters.
        let other = body("command=StatusAccount&login=acct&password=pw");
        assert_eq!(other.credentials(), Credentials::Missing);
    }

    #[test]
    fn session_id_takes_precedence_over_password() {
        let request = body("s_login=a&s_pw=p&s_sessionid=s&command=StatusAccount");
        assert!(matches!(
            request.credentials(),
            Credentials::Session {
                session_id: "s",
                ..
            }
        ));
    }

    // --- Form B: flat fields (GET clients) ----------------------------------------------------

    #[test]
    fn kb_get_example() {
        let request = parse_request(
            "s_login=[mregname]&s_pw=[pw]&command=CheckDomain&domain=example.com",
            b"",
        )
        .unwrap();
        assert_eq!(request.login.as_deref(), Some("[mregname]"));
        assert_eq!(request.password.as_deref(), Some("[pw]"));
        assert_eq!(request.command.as_deref(), Some("checkdomain"));
        assert_eq!(request.params, params(&[("DOMAIN", "example.com")]));
    }

    #[test]
    fn community_get_client_example() {
        let request = parse_request(
            "?s_login=myreseller&s_pw=s3cret&s_opmode=OTE&domain=example-shop.coop&period=1&ownercontact0=P-ABC1&admincontact0=P-ABC1&techcontact0=P-ABC1&billingcontact0=P-ABC1&nameserver0=ns1.example.net&command=AddDomain",
            b"",
        )
        .unwrap();
        assert_eq!(request.opmode.as_deref(), Some("OTE"));
        assert_eq!(request.command.as_deref(), Some("adddomain"));
        assert_eq!(
            request.params,
            params(&[
                ("ADMINCONTACT0", "P-ABC1"),
                ("BILLINGCONTACT0", "P-ABC1"),
                ("DOMAIN", "example-shop.coop"),
                ("NAMESERVER0", "ns1.example.net"),
                ("OWNERCONTACT0", "P-ABC1"),
                ("PERIOD", "1"),
                ("TECHCONTACT0", "P-ABC1"),
            ])
        );
    }

    #[test]
    fn names_and_command_are_case_insensitive() {
        for text in [
            "COMMAND=CheckDomain&DOMAIN=a.coop",
            "Command=checkdomain&Domain=a.coop",
            "command=CHECKDOMAIN&dOmAiN=a.coop",
            "s_command=command%20%3D%20checkDomain%0Adomain%20%3D%20a.coop",
        ] {
            let request = body(text);
            assert_eq!(request.command.as_deref(), Some("checkdomain"), "{text}");
            assert_eq!(request.params, params(&[("DOMAIN", "a.coop")]), "{text}");
        }
    }

    #[test]
    fn socket_field_names_are_case_insensitive_and_unknown_ones_ignored() {
        let request = body("S_LOGIN=a&S_PW=p&s_entity=54cd&s_user=sub&Persistent=1");
        assert_eq!(request.login.as_deref(), Some("a"));
        assert_eq!(request.password.as_deref(), Some("p"));
        assert!(request.persistent);
        assert!(request.params.is_empty());
    }

    // --- mixed and merged ---------------------------------------------------------------------

    #[test]
    fn credentials_in_query_command_in_body() {
        let request = parse_request(
            "s_opmode=OTE&s_login=acct&s_pw=pw",
            b"command=CheckDomain&domain=a.coop",
        )
        .unwrap();
        assert_eq!(request.login.as_deref(), Some("acct"));
        assert_eq!(request.command.as_deref(), Some("checkdomain"));
        assert_eq!(request.params, params(&[("DOMAIN", "a.coop")]));
    }

    #[test]
    fn s_command_lines_win_over_flat_fields() {
        let request = parse_request(
            "domain=flat.coop&period=2",
            b"s_command=COMMAND%3DRenewDomain%0ADOMAIN%3Dline.coop",
        )
        .unwrap();
        assert_eq!(request.command.as_deref(), Some("renewdomain"));
        assert_eq!(
            request.params,
            params(&[("DOMAIN", "line.coop"), ("PERIOD", "2")])
        );
    }

    // --- s_command line syntax ----------------------------------------------------------------

    #[test]
    fn values_keep_equals_signs() {
        let request = body("s_command=AUTH%3Da%3Db%3D%3D%0ACOMMAND%3DModifyDomain");
        assert_eq!(request.param("auth"), Some("a=b=="));
    }

    #[test]
    fn framing_lines_crlf_blanks_and_tabs() {
        let lines = "[COMMAND]\r\ncommand = AddContact\r\n\r\n\tfirstname\t=\tAnna \r\nstreet0 = Main St 1\nEOF\n";
        let encoded: String = form_urlencoded::byte_serialize(lines.as_bytes()).collect();
        let request = body(&format!("s_command={encoded}"));
        assert_eq!(request.command.as_deref(), Some("addcontact"));
        assert_eq!(
            request.params,
            params(&[("FIRSTNAME", "Anna"), ("STREET0", "Main St 1")])
        );
    }

    #[test]
    fn plus_and_percent_20_are_both_spaces() {
        let plus = body("command=AddContact&street0=Main+St+1");
        let percent = body("command=AddContact&street0=Main%20St%201");
        assert_eq!(plus.param("STREET0"), Some("Main St 1"));
        assert_eq!(plus, percent);
    }

    #[test]
    fn utf8_domain_values_are_decoded() {
        let request = body("s_command=DOMAIN%3Dm%C3%BCller.coop%0ACOMMAND%3DCheckDomain");
        assert_eq!(request.param("DOMAIN"), Some("müller.coop"));
    }

    #[test]
    fn empty_command_is_no_command() {
        let request = body("command=&domain=a.coop");
        assert_eq!(request.command, None);
    }

    #[test]
    fn the_same_value_twice_is_accepted() {
        let request = body("domain=a.coop&DOMAIN=a.coop&s_login=x&s_login=x");
        assert_eq!(request.param("DOMAIN"), Some("a.coop"));
        assert_eq!(request.login.as_deref(), Some("x"));
    }

    // --- list helpers -------------------------------------------------------------------------

    #[test]
    fn indexed_lists_are_in_numeric_order() {
        let request = body(
            "nameserver10=k&nameserver2=c&nameserver0=a&nameserver1=b&nameserver01=bad&nameserverx=bad&nameserver3=",
        );
        assert_eq!(
            request.indexed("NAMESERVER"),
            vec![(0, "a"), (1, "b"), (2, "c"), (10, "k")]
        );
    }

    #[test]
    fn bare_name_is_entry_zero_unless_entry_zero_is_given() {
        let bare = body("street=Main+St&street1=Floor+2");
        assert_eq!(bare.list("street"), vec!["Main St", "Floor 2"]);
        let both = body("street=Old&street0=New");
        assert_eq!(both.list("STREET"), vec!["New"]);
    }

    #[test]
    fn param_treats_empty_as_absent() {
        let request = body("auth=&domain=a.coop");
        assert_eq!(request.param("AUTH"), None);
        assert_eq!(request.params.get("AUTH").map(String::as_str), Some(""));
        assert_eq!(request.param("domain"), Some("a.coop"));
    }

    // --- bad input ----------------------------------------------------------------------------

    fn assert_refused(query: &str, body: &[u8], code: ErrorCode, field: &str) {
        let problems = error_of(query, body);
        assert!(
            problems
                .errors
                .iter()
                .any(|problem| problem.code == code && problem.field == field),
            "{query:?} {:?}: expected {code} on {field:?}, got {problems:?}",
            String::from_utf8_lossy(body)
        );
    }

    #[test]
    fn bad_input_is_refused_with_the_reason() {
        let cases: &[(&str, &[u8], ErrorCode, &str)] = &[
            ("domain=%zz", b"", ErrorCode::MalformedInput, ""),
            ("", b"domain=abc%4", ErrorCode::MalformedInput, ""),
            ("", b"domain=%", ErrorCode::MalformedInput, ""),
            ("", b"domain=%FF", ErrorCode::MalformedInput, ""),
            ("", b"domain=%C3", ErrorCode::MalformedInput, ""),
            ("", b"domain=\xff\xfe", ErrorCode::MalformedInput, ""),
            ("", b"=value", ErrorCode::MalformedInput, ""),
            (
                "",
                b"s_command=COMMAND%3DCheckDomain%0Ajunk",
                ErrorCode::MalformedInput,
                "s_command",
            ),
            (
                "",
                b"s_command=%3Dvalue",
                ErrorCode::MalformedInput,
                "s_command",
            ),
            (
                "domain=a.coop",
                b"DOMAIN=b.coop",
                ErrorCode::MalformedInput,
                "DOMAIN",
            ),
            (
                "",
                b"s_command=DOMAIN%3Da%0ADOMAIN%3Db",
                ErrorCode::MalformedInput,
                "DOMAIN",
            ),
            (
                "s_login=a",
                b"s_login=b",
                ErrorCode::MalformedInput,
                "s_login",
            ),
            ("", b"domain=a%01b", ErrorCode::ControlCharacter, "DOMAIN"),
            ("", b"domain=a%0Ab", ErrorCode::ControlCharacter, "DOMAIN"),
            (
                "",
                b"domain=a%E2%80%A8b",
                ErrorCode::ControlCharacter,
                "DOMAIN",
            ),
            ("", b"dom%09ain=a", ErrorCode::ControlCharacter, "DOM\tAIN"),
            ("", b"s_pw=a%00b", ErrorCode::ControlCharacter, "s_pw"),
            ("", b"persistent=2", ErrorCode::InvalidValue, "persistent"),
            (
                "",
                b"s_command=PERSISTENT%3Dyes",
                ErrorCode::InvalidValue,
                "PERSISTENT",
            ),
            ("", b"s_login=%3Arole", ErrorCode::InvalidValue, "s_login"),
            ("", b"s_login=acct%3A", ErrorCode::InvalidValue, "s_login"),
        ];
        for (query, body, code, field) in cases {
            assert_refused(query, body, *code, field);
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let problems = error_of("", b"domain=a%01&period=1%0A2&persistent=x");
        assert_eq!(problems.errors.len(), 3, "{problems:?}");
    }

    #[test]
    fn oversized_requests_are_refused() {
        let big = vec![b'a'; MAX_REQUEST_BYTES + 1];
        let problems = error_of("", &big);
        assert_eq!(problems.errors[0].code, ErrorCode::BodyTooLarge);
        assert!(parse_request("", &big[..MAX_REQUEST_BYTES - 2]).is_ok());
    }

    #[test]
    fn odd_input_never_panics() {
        let inputs: &[&[u8]] = &[
            b"",
            b"&",
            b"&&&=&=",
            b"=",
            b"%",
            b"%%%",
            b"+",
            b"s_command=",
            b"s_command=%0A%0A%0D%0A",
            b"s_command==",
            b"s_command=%3D%3D%3D",
            b"s_login=%3A",
            b"s_login=",
            b"command=%E2%82%AC",
            b"\xe2\x82",
            b"n\xc3\xa4me=v\xc3\xa4lue",
            b"nameserver99999999999999999999=x",
        ];
        for input in inputs {
            let _ = parse_request("", input);
            let _ = parse_request(&String::from_utf8_lossy(input), b"");
        }
        // Spot-check two of them.
        assert_eq!(body("&&&").params.len(), 0);
        assert_eq!(
            body("n\u{e4}me=v\u{e4}lue").param("N\u{e4}ME"),
            Some("v\u{e4}lue")
        );
    }
}
