//! The commands the reseller API serves, and the attributes each accepts.
//!
//! Rules (reseller-api.md §1.5, §5; seed 000; product.md):
//! - a request without a command but with `persistent=1` is a session start;
//! - command names are case-insensitive;
//! - every attribute must belong to the command (`SUBUSER`, which the official SDK adds to
//!   every command after `setUserView`, belongs to all); lists are flattened as `NAME0…NAMEn`
//!   with a per-command maximum;
//! - required attributes must be present and non-empty; `TransferDomain` with `ACTION=REQUEST`
//!   (the default) also needs `AUTH`;
//! - a few attributes have a fixed form checked here: flags `0|1`, whole numbers, option
//!   lists, `X-IDN-LANGUAGE` tags, client statuses, `X-COOP-ELIGIBILITY=1` and no privacy
//!   service. Everything else (names, contacts, periods, state) is checked by the core's
//!   validation and lifecycle rules.
//!
//! Errors: `unknown_command` (500 Invalid command name; NAME), `required` (504 Missing required
//! attribute; NAME), `unknown_field` (503 Invalid attribute name; NAME), `wrong_type` (505) for
//! a number that is not one, `invalid_value` (541) for a value outside its option list.

use crate::error::{ErrorCode, Problem, Problems};
use crate::model::IdnLanguage;

use super::request::{canonical_index, Credentials, ResellerRequest};

/// A command of the reseller API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    StartSession,
    StopSession,
    StatusAccount,
    CheckDomain,
    CheckDomains,
    AddContact,
    ModifyContact,
    StatusContact,
    AddDomain,
    StatusDomain,
    ModifyDomain,
    RenewDomain,
    DeleteDomain,
    RestoreDomain,
    TransferDomain,
    StatusDomainTransfer,
    QueryDomainList,
}

/// The credentials a command needs (see [`ResellerRequest::credentials`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Login and password: starting a session.
    Password,
    /// Login and session id: ending that session.
    Session,
    /// Either a password or a live session.
    PasswordOrSession,
}

impl Auth {
    /// Whether the kind of credentials fits (the worker still checks that they are valid);
    /// `false` answers `530 Authentication failed`.
    pub fn accepts(self, credentials: &Credentials<'_>) -> bool {
        matches!(
            (self, credentials),
            (
                Auth::Password | Auth::PasswordOrSession,
                Credentials::Password { .. }
            ) | (
                Auth::Session | Auth::PasswordOrSession,
                Credentials::Session { .. }
            )
        )
    }
}

impl Command {
    pub const ALL: [Command; 17] = [
        Command::StartSession,
        Command::StopSession,
        Command::StatusAccount,
        Command::CheckDomain,
        Command::CheckDomains,
        Command::AddContact,
        Command::ModifyContact,
        Command::StatusContact,
        Command::AddDomain,
        Command::StatusDomain,
        Command::ModifyDomain,
        Command::RenewDomain,
        Command::DeleteDomain,
        Command::RestoreDomain,
        Command::TransferDomain,
        Command::StatusDomainTransfer,
        Command::QueryDomainList,
    ];

    /// The name as the documentation writes it (`AddDomain`).
    pub fn name(self) -> &'static str {
        match self {
            Command::StartSession => "StartSession",
            Command::StopSession => "StopSession",
            Command::StatusAccount => "StatusAccount",
            Command::CheckDomain => "CheckDomain",
            Command::CheckDomains => "CheckDomains",
            Command::AddContact => "AddContact",
            Command::ModifyContact => "ModifyContact",
            Command::StatusContact => "StatusContact",
            Command::AddDomain => "AddDomain",
            Command::StatusDomain => "StatusDomain",
            Command::ModifyDomain => "ModifyDomain",
            Command::RenewDomain => "RenewDomain",
            Command::DeleteDomain => "DeleteDomain",
            Command::RestoreDomain => "RestoreDomain",
            Command::TransferDomain => "TransferDomain",
            Command::StatusDomainTransfer => "StatusDomainTransfer",
            Command::QueryDomainList => "QueryDomainList",
        }
    }

    /// The command of a name in any case.
    pub fn from_name(name: &str) -> Option<Command> {
        let name = name.trim();
        Command::ALL
            .into_iter()
            .find(|command| command.name().eq_ignore_ascii_case(name))
    }

    /// The credentials the command needs.
    pub fn auth(self) -> Auth {
        match self {
            Command::StartSession => Auth::Password,
            Command::StopSession => Auth::Session,
            _ => Auth::PasswordOrSession,
        }
    }

    /// The attributes the command accepts, as documentation: `DOMAIN`, `NAMESERVER0..12`.
    pub fn attribute_names(self) -> Vec<String> {
        self.params().iter().map(Param::describe).collect()
    }

    fn params(self) -> &'static [Param] {
        match self {
            Command::StartSession => START_SESSION,
            Command::StopSession | Command::StatusAccount => NO_ATTRIBUTES,
            Command::CheckDomain => CHECK_DOMAIN,
            Command::CheckDomains => CHECK_DOMAINS,
            Command::AddContact => ADD_CONTACT,
            Command::ModifyContact => MODIFY_CONTACT,
            Command::StatusContact => CONTACT_ONLY,
            Command::AddDomain => ADD_DOMAIN,
            Command::ModifyDomain => MODIFY_DOMAIN,
            Command::RenewDomain => RENEW_DOMAIN,
            Command::StatusDomain
            | Command::DeleteDomain
            | Command::RestoreDomain
            | Command::StatusDomainTransfer => DOMAIN_ONLY,
            Command::TransferDomain => TRANSFER_DOMAIN,
            Command::QueryDomainList => QUERY_DOMAIN_LIST,
        }
    }
}

/// `ACTION` of `TransferDomain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferAction {
    /// The gaining reseller asks for the domain (needs `AUTH`).
    Request,
    /// The losing reseller lets it go now.
    Approve,
    /// The losing reseller refuses.
    Deny,
    /// The gaining reseller withdraws its request.
    Cancel,
}

impl TransferAction {
    /// The action of a checked request; `REQUEST` when `ACTION` is absent.
    pub fn of(request: &ResellerRequest) -> Option<TransferAction> {
        match request.param("ACTION") {
            None => Some(TransferAction::Request),
            Some(action) => match action.to_ascii_uppercase().as_str() {
                "REQUEST" => Some(TransferAction::Request),
                "APPROVE" => Some(TransferAction::Approve),
                "DENY" => Some(TransferAction::Deny),
                "CANCEL" => Some(TransferAction::Cancel),
                _ => None,
            },
        }
    }
}

/// The statuses a reseller may set or clear on a domain (`STATUS#`, `ADDSTATUS#`,
/// `DELSTATUS#`), in their EPP spelling.
pub const CLIENT_STATUSES: [&str; 5] = [
    "clientTransferProhibited",
    "clientRenewProhibited",
    "clientDeleteProhibited",
    "clientUpdateProhibited",
    "clientHold",
];

/// The EPP spelling of a client status written in any case.
pub fn client_status(value: &str) -> Option<&'static str> {
    CLIENT_STATUSES
        .into_iter()
        .find(|status| status.eq_ignore_ascii_case(value.trim()))
}

/// The command a request names: a request without one but with `persistent=1` starts a
/// session.
pub fn resolve(request: &ResellerRequest) -> Result<Command, Problem> {
    match request.command.as_deref() {
        None if request.persistent => Ok(Command::StartSession),
        None => Err(Problem::new(
            ErrorCode::Required,
            "COMMAND",
            "name the command, e.g. COMMAND=StatusAccount",
        )),
        Some(name) => Command::from_name(name).ok_or_else(|| {
            Problem::new(
                ErrorCode::UnknownCommand,
                name,
                format!(
                    "not a command of this API; accepted: {}",
                    Command::ALL.map(Command::name).join(", ")
                ),
            )
        }),
    }
}

/// Checks the attributes of a request against its command: unknown names first, then missing
/// ones, then the forms checked here; every problem is reported.
pub fn check(command: Command, request: &ResellerRequest) -> Result<(), Problems> {
    let params = command.params();
    let mut problems = Problems::default();

    for name in request.params.keys() {
        if let Err(problem) = find_param(params, name, command) {
            problems.push(problem);
        }
    }

    for param in params {
        if let Some(missing) = param.first_missing(request) {
            problems.push(Problem::new(
                ErrorCode::Required,
                missing,
                format!("{} needs this attribute", command.name()),
            ));
        }
    }
    if command == Command::TransferDomain
        && TransferAction::of(request) == Some(TransferAction::Request)
        && request.param("AUTH").is_none()
    {
        problems.push(Problem::new(
            ErrorCode::Required,
            "AUTH",
            "a transfer request needs the domain's auth code from its current reseller",
        ));
    }

    for (name, value) in &request.params {
        if value.is_empty() {
            continue;
        }
        if let Ok(param) = find_param(params, name, command) {
            if let Err(problem) = param.kind.check(name, value) {
                problems.push(problem);
            }
        }
    }

    problems.into_result(())
}

/// [`resolve`] then [`check`].
pub fn validate(request: &ResellerRequest) -> Result<Command, Problems> {
    let command = resolve(request).map_err(Problems::one)?;
    check(command, request)?;
    Ok(command)
}

/// What a value must look like.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Any text; the core's validation decides.
    Text,
    /// `0` or `1`.
    Flag,
    /// A whole number (at most 9 digits).
    Number,
    /// One of these words, any case.
    OneOf(&'static [&'static str]),
    /// Exactly this value; otherwise the message explains why.
    MustBe(&'static str, &'static str),
    /// An `X-IDN-LANGUAGE` tag.
    IdnLanguage,
    /// One of [`CLIENT_STATUSES`], any case.
    ClientStatus,
}

impl Kind {
    fn check(self, name: &str, value: &str) -> Result<(), Problem> {
        let invalid = |message: String| Err(Problem::new(ErrorCode::InvalidValue, name, message));
        match self {
            Kind::Text => Ok(()),
            Kind::Flag if value == "0" || value == "1" => Ok(()),
            Kind::Flag => invalid("must be 0 or 1".to_string()),
            Kind::Number
                if !value.is_empty()
                    && value.len() <= 9
                    && value.bytes().all(|byte| byte.is_ascii_digit()) =>
            {
                Ok(())
            }
            Kind::Number => Err(Problem::new(
                ErrorCode::WrongType,
                name,
                "must be a whole number written with digits only, e.g. 1",
            )),
            Kind::OneOf(options) if options.iter().any(|o| o.eq_ignore_ascii_case(value)) => Ok(()),
            Kind::OneOf(options) => invalid(format!("must be one of {}", options.join(", "))),
            Kind::MustBe(expected, _) if value == expected => Ok(()),
            Kind::MustBe(_, why) => invalid(why.to_string()),
            Kind::IdnLanguage if IdnLanguage::from_tag(value).is_some() => Ok(()),
            Kind::IdnLanguage => invalid(format!(
                "must be one of the .coop IDN language tags {}",
                IdnLanguage::ALL.map(IdnLanguage::tag).join(", ")
            )),
            Kind::ClientStatus if client_status(value).is_some() => Ok(()),
            Kind::ClientStatus => invalid(format!("must be one of {}", CLIENT_STATUSES.join(", "))),
        }
    }
}

/// One attribute, or one flattened list of attributes, of a command.
#[derive(Clone, Copy, Debug)]
struct Param {
    name: &'static str,
    /// 0 for a single attribute; else the list holds `NAME0..NAME{max-1}`.
    max: u32,
    /// How many leading entries (single: 0 or 1) must be present and non-empty.
    min: u32,
    /// A list whose first entry may also be written without index (`STREET`).
    bare: bool,
    kind: Kind,
}

const fn one(name: &'static str) -> Param {
    Param {
        name,
        max: 0,
        min: 0,
        bare: false,
        kind: Kind::Text,
    }
}

const fn list(name: &'static str, max: u32) -> Param {
    Param {
        name,
        max,
        min: 0,
        bare: false,
        kind: Kind::Text,
    }
}

impl Param {
    const fn required(self) -> Param {
        self.at_least(1)
    }

    const fn at_least(mut self, min: u32) -> Param {
        self.min = min;
        self
    }

    const fn or_bare(mut self) -> Param {
        self.bare = true;
        self
    }

    const fn kind(mut self, kind: Kind) -> Param {
        self.kind = kind;
        self
    }

    /// Whether `name` is this attribute: `Ok(true)` it is, `Ok(false)` it is not,
    /// `Err(max)` it is an entry of this list beyond its maximum.
    fn matches(&self, name: &str) -> Result<bool, u32> {
        if (self.max == 0 || self.bare) && name == self.name {
            return Ok(true);
        }
        if self.max == 0 {
            return Ok(false);
        }
        let Some(index) = name.strip_prefix(self.name).and_then(canonical_index) else {
            return Ok(false);
        };
        if index < self.max {
            Ok(true)
        } else {
            Err(self.max)
        }
    }

    /// The name of the first required entry that is missing or empty.
    fn first_missing(&self, request: &ResellerRequest) -> Option<String> {
        if self.max == 0 {
            return (self.min > 0 && request.param(self.name).is_none())
                .then(|| self.name.to_string());
        }
        // `indexed` counts a bare `NAME` as entry 0.
        let present = request.indexed(self.name);
        (0..self.min)
            .find(|index| !present.iter().any(|(found, _)| found == index))
            .map(|index| format!("{}{index}", self.name))
    }

    fn describe(&self) -> String {
        match self.max {
            0 => self.name.to_string(),
            1 => format!("{}0", self.name),
            max => format!("{}0..{}", self.name, max - 1),
        }
    }
}

/// The attribute of `command` that `name` is, or why it is none.
fn find_param(params: &'static [Param], name: &str, command: Command) -> Result<Param, Problem> {
    for param in params {
        match param.matches(name) {
            Ok(true) => return Ok(*param),
            Ok(false) => {}
            Err(max) => {
                return Err(Problem::new(
                    ErrorCode::UnknownField,
                    name,
                    format!(
                        "{} takes at most {max} of these ({})",
                        command.name(),
                        param.describe()
                    ),
                ))
            }
        }
    }
    let accepted = command.attribute_names().join(", ");
    Err(Problem::new(
        ErrorCode::UnknownField,
        name,
        if accepted.is_empty() {
            format!("{} takes no attributes", command.name())
        } else {
            format!(
                "not an attribute of {}; accepted: {accepted}",
                command.name()
            )
        },
    ))
}

// --- the table ---------------------------------------------------------------------------------

/// Set by the official SDK on every command after `setUserView(uid)`.
const SUBUSER: Param = one("SUBUSER");
const DOMAIN: Param = one("DOMAIN").required();
const PERIOD: Param = one("PERIOD").kind(Kind::Number);
const TRANSFERLOCK: Param = one("TRANSFERLOCK").kind(Kind::Flag);
const IDN_LANGUAGE: Param = one("X-IDN-LANGUAGE").kind(Kind::IdnLanguage);
/// .coop allows no privacy/proxy service (seed 001).
const NO_PRIVACY: Param = one("X-WHOISPRIVACY").kind(Kind::MustBe(
    "0",
    "privacy and proxy services are not allowed for .coop: the registrant's own details are \
     published; send X-WHOISPRIVACY=0 or leave it out",
));
/// The most name servers a domain may have (product.md: 2–13).
const MAX_NAMESERVERS: u32 = 13;
/// DNSSEC attributes per command (`DNSSEC0..7`, `DNSSECDSDATA0..7`).
const MAX_DS: u32 = crate::dns::ds::MAX_DS_RECORDS as u32;
const MAX_STATUSES: u32 = CLIENT_STATUSES.len() as u32;

const NO_ATTRIBUTES: &[Param] = &[SUBUSER];

const START_SESSION: &[Param] = &[one("LOGIN"), one("PASSWORD"), SUBUSER];

const DOMAIN_ONLY: &[Param] = &[DOMAIN, SUBUSER];

const CONTACT_ONLY: &[Param] = &[one("CONTACT").required(), SUBUSER];

const CHECK_DOMAIN: &[Param] = &[DOMAIN, IDN_LANGUAGE, one("X-ALLOCATION-TOKEN"), SUBUSER];

const CHECK_DOMAINS: &[Param] = &[
    list("DOMAIN", 32).or_bare().required(),
    IDN_LANGUAGE,
    SUBUSER,
];

const ADD_CONTACT: &[Param] = &[
    one("FIRSTNAME").required(),
    one("LASTNAME").required(),
    one("ORGANIZATION"),
    list("STREET", 3).or_bare().required(),
    one("CITY").required(),
    one("STATE"),
    one("ZIP").required(),
    one("COUNTRY").required(),
    one("PHONE").required(),
    one("FAX"),
    one("EMAIL").required(),
    one("NEW").kind(Kind::Flag),
    SUBUSER,
];

const MODIFY_CONTACT: &[Param] = &[
    one("CONTACT").required(),
    one("FIRSTNAME"),
    one("LASTNAME"),
    one("ORGANIZATION"),
    list("STREET", 3).or_bare(),
    one("CITY"),
    one("STATE"),
    one("ZIP"),
    one("COUNTRY"),
    one("PHONE"),
    one("FAX"),
    one("EMAIL"),
    SUBUSER,
];

const ADD_DOMAIN: &[Param] = &[
    DOMAIN,
    PERIOD.required(),
    list("OWNERCONTACT", 1).or_bare().required(),
    list("ADMINCONTACT", 1).or_bare().required(),
    list("TECHCONTACT", 1).or_bare().required(),
    list("BILLINGCONTACT", 1).or_bare().required(),
    list("NAMESERVER", MAX_NAMESERVERS).at_least(2),
    one("X-COOP-ELIGIBILITY").required().kind(Kind::MustBe(
        "1",
        "the registrant must certify that it meets at least one .coop eligibility criterion: \
         send X-COOP-ELIGIBILITY=1",
    )),
    one("X-COOP-ELIGIBILITY-CRITERION"),
    one("X-ALLOCATION-TOKEN"),
    list("DNSSEC", MAX_DS),
    list("DNSSECDSDATA", MAX_DS),
    IDN_LANGUAGE,
    TRANSFERLOCK,
    NO_PRIVACY,
    SUBUSER,
];

const MODIFY_DOMAIN: &[Param] = &[
    DOMAIN,
    list("NAMESERVER", MAX_NAMESERVERS),
    list("ADDNAMESERVER", MAX_NAMESERVERS),
    list("DELNAMESERVER", MAX_NAMESERVERS),
    list("DNSSEC", MAX_DS),
    list("DNSSECDSDATA", MAX_DS),
    list("OWNERCONTACT", 1).or_bare(),
    list("ADMINCONTACT", 1).or_bare(),
    list("TECHCONTACT", 1).or_bare(),
    list("BILLINGCONTACT", 1).or_bare(),
    list("STATUS", MAX_STATUSES).kind(Kind::ClientStatus),
    list("ADDSTATUS", MAX_STATUSES).kind(Kind::ClientStatus),
    list("DELSTATUS", MAX_STATUSES).kind(Kind::ClientStatus),
    one("AUTH"),
    TRANSFERLOCK,
    NO_PRIVACY,
    SUBUSER,
];

const RENEW_DOMAIN: &[Param] = &[
    DOMAIN,
    PERIOD.required(),
    one("EXPIRATION").required().kind(Kind::Number),
    SUBUSER,
];

const TRANSFER_DOMAIN: &[Param] = &[
    DOMAIN,
    one("ACTION").kind(Kind::OneOf(&["REQUEST", "APPROVE", "DENY", "CANCEL"])),
    one("AUTH"),
    PERIOD,
    // The gaining reseller's own contacts to use after completion (else copies are made).
    list("OWNERCONTACT", 1).or_bare(),
    list("ADMINCONTACT", 1).or_bare(),
    list("TECHCONTACT", 1).or_bare(),
    list("BILLINGCONTACT", 1).or_bare(),
    SUBUSER,
];

const QUERY_DOMAIN_LIST: &[Param] = &[
    one("DOMAIN"),
    one("FIRST").kind(Kind::Number),
    one("LIMIT").kind(Kind::Number),
    one("WIDE").kind(Kind::Flag),
    SUBUSER,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reseller::request::parse_request;
    use crate::reseller::response::Response;

    fn request(text: &str) -> ResellerRequest {
        parse_request("", text.as_bytes()).expect("request parses")
    }

    /// The reseller answer for a request: `200` if it passes the table, else the error.
    fn answer(text: &str) -> (u16, String) {
        match validate(&request(text)) {
            Ok(_) => (200, String::new()),
            Err(problems) => {
                let response = Response::from_problems(&problems);
                (response.code(), response.description().to_string())
            }
        }
    }

    const ADD_DOMAIN_OK: &str = "command=AddDomain&domain=example-shop.coop&period=1\
        &ownercontact0=P-ABC1&admincontact0=P-ABC1&techcontact0=P-ABC1&billingcontact0=P-ABC1\
        &nameserver0=ns1.example.net&nameserver1=ns2.example.net&X-COOP-ELIGIBILITY=1";

    #[test]
    fn names_are_case_insensitive_and_round_trip() {
        for command in Command::ALL {
            assert_eq!(Command::from_name(command.name()), Some(command));
            assert_eq!(
                Command::from_name(&command.name().to_ascii_lowercase()),
                Some(command)
            );
            assert_eq!(
                Command::from_name(&command.name().to_ascii_uppercase()),
                Some(command)
            );
        }
        assert_eq!(Command::from_name("EndSession"), None);
    }

    #[test]
    fn resolving_the_command() {
        let start = request("s_login=a&s_pw=b&persistent=1");
        assert_eq!(resolve(&start), Ok(Command::StartSession));
        let explicit = request("command=startsession&persistent=1");
        assert_eq!(resolve(&explicit), Ok(Command::StartSession));

        assert_eq!(
            answer("s_login=a&s_pw=b"),
            (504, "Missing required attribute; COMMAND".to_string())
        );
        assert_eq!(
            answer("command=DeleteEverything"),
            (500, "Invalid command name; deleteeverything: (not a command of this API; accepted: StartSession, StopSession, StatusAccount, CheckDomain, CheckDomains, AddContact, ModifyContact, StatusContact, AddDomain, StatusDomain, ModifyDomain, RenewDomain, DeleteDomain, RestoreDomain, TransferDomain, StatusDomainTransfer, QueryDomainList)".to_string())
        );
    }

    #[test]
    fn auth_per_command() {
        assert_eq!(Command::StartSession.auth(), Auth::Password);
        assert_eq!(Command::StopSession.auth(), Auth::Session);
        for command in Command::ALL {
            if !matches!(command, Command::StartSession | Command::StopSession) {
                assert_eq!(command.auth(), Auth::PasswordOrSession, "{command:?}");
            }
        }
    }

    #[test]
    fn which_credentials_each_auth_accepts() {
        let requests = [
            request("s_login=a&s_pw=p"),
            request("s_login=a&s_sessionid=s"),
            request("s_pw=p"),
        ];
        let [password, session, missing] = requests.each_ref().map(|r| r.credentials());
        let table = [
            (Auth::Password, [true, false, false]),
            (Auth::Session, [false, true, false]),
            (Auth::PasswordOrSession, [true, true, false]),
        ];
        for (auth, expected) in table {
            let found = [&password, &session, &missing].map(|c| auth.accepts(c));
            assert_eq!(found, expected, "{auth:?}");
        }
    }

    #[test]
    fn real_api_unknown_attribute_examples() {
        assert_eq!(
            answer("command=StatusDomain&domain=a.coop&limit=1"),
            (503, "Invalid attribute name; LIMIT".to_string())
        );
        assert_eq!(
            answer("command=QueryDomainList&first=0&last=1"),
            (503, "Invalid attribute name; LAST".to_string())
        );
        assert_eq!(
            answer("command=AddContact&firstname=A&lastname=B&street0=S&city=C&zip=1&country=DE&phone=%2B49.1&email=a%40b.de&x-wrongargument=1"),
            (503, "Invalid attribute name; X-WRONGARGUMENT".to_string())
        );
    }

    #[test]
    fn the_sdk_add_domain_passes() {
        assert_eq!(validate(&request(ADD_DOMAIN_OK)), Ok(Command::AddDomain));
        let with_extensions = format!(
            "{ADD_DOMAIN_OK}&x-idn-language=de&X-COOP-ELIGIBILITY-CRITERION=1&transferlock=1\
             &x-whoisprivacy=0&nameserver12=ns13.example.net&subuser=sub1"
        );
        assert_eq!(validate(&request(&with_extensions)), Ok(Command::AddDomain));
    }

    #[test]
    fn add_domain_errors() {
        let cases = [
            ("X-COOP-ELIGIBILITY=1", "", 504, "Missing required attribute; X-COOP-ELIGIBILITY"),
            (
                "X-COOP-ELIGIBILITY=1",
                "X-COOP-ELIGIBILITY=0",
                541,
                "Invalid attribute value; X-COOP-ELIGIBILITY: (the registrant must certify that it meets at least one .coop eligibility criterion: send X-COOP-ELIGIBILITY=1)",
            ),
            ("nameserver1=ns2.example.net", "", 504, "Missing required attribute; NAMESERVER1"),
            ("nameserver1=ns2.example.net", "nameserver1=", 504, "Missing required attribute; NAMESERVER1"),
            ("period=1", "period=one", 505, "Invalid attribute value syntax; PERIOD: (must be a whole number written with digits only, e.g. 1)"),
            ("period=1", "period=-1", 505, "Invalid attribute value syntax; PERIOD: (must be a whole number written with digits only, e.g. 1)"),
            ("period=1", "", 504, "Missing required attribute; PERIOD"),
            ("domain=example-shop.coop", "", 504, "Missing required attribute; DOMAIN"),
            ("ownercontact0=P-ABC1", "", 504, "Missing required attribute; OWNERCONTACT0"),
            ("ownercontact0=P-ABC1", "ownercontact=P-ABC1", 200, ""),
            ("ownercontact0=P-ABC1", "ownercontact1=P-ABC1", 503, "Invalid attribute name; OWNERCONTACT1"),
            (
                "period=1",
                "period=1&x-idn-language=xx",
                541,
                "Invalid attribute value; X-IDN-LANGUAGE: (must be one of the .coop IDN language tags CYRL, FR, DE, IT, PT, ES)",
            ),
            ("period=1", "period=1&x-idn-language=cyrl", 200, ""),
            ("period=1", "period=1&transferlock=yes", 541, "Invalid attribute value; TRANSFERLOCK: (must be 0 or 1)"),
            (
                "period=1",
                "period=1&x-whoisprivacy=1",
                541,
                "Invalid attribute value; X-WHOISPRIVACY: (privacy and proxy services are not allowed for .coop: the registrant's own details are published; send X-WHOISPRIVACY=0 or leave it out)",
            ),
            ("period=1", "period=1&nameserver13=ns14.example.net", 503, "Invalid attribute name; NAMESERVER13"),
            ("period=1", "period=1&nameserver02=x", 503, "Invalid attribute name; NAMESERVER02"),
            ("period=1", "period=1&auth=secret", 503, "Invalid attribute name; AUTH"),
        ];
        for (from, to, code, description) in cases {
            assert!(ADD_DOMAIN_OK.contains(from), "{from}");
            let text = ADD_DOMAIN_OK.replacen(from, to, 1);
            assert_eq!(answer(&text), (code, description.to_string()), "{text}");
        }
    }

    #[test]
    fn unknown_names_are_reported_before_missing_ones() {
        let problems =
            validate(&request("command=RenewDomain&domain=a.coop&bogus=1")).expect_err("refused");
        let found: Vec<(ErrorCode, &str)> = problems
            .errors
            .iter()
            .map(|problem| (problem.code, problem.field.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (ErrorCode::UnknownField, "BOGUS"),
                (ErrorCode::Required, "PERIOD"),
                (ErrorCode::Required, "EXPIRATION"),
            ]
        );
    }

    #[test]
    fn subuser_belongs_to_every_command() {
        for command in Command::ALL {
            let request = request(&format!("command={}&subuser=sub", command.name()));
            let problems = check(command, &request).err().unwrap_or_default();
            assert!(
                problems
                    .errors
                    .iter()
                    .all(|problem| problem.field != "SUBUSER"),
                "{command:?}: {problems:?}"
            );
        }
    }

    #[test]
    fn commands_without_attributes() {
        assert_eq!(answer("command=StatusAccount"), (200, String::new()));
        assert_eq!(
            answer("s_command=COMMAND%3DStopSession"),
            (200, String::new())
        );
        assert_eq!(
            answer("command=StatusAccount&domain=a.coop"),
            (503, "Invalid attribute name; DOMAIN".to_string())
        );
    }

    #[test]
    fn transfer_actions() {
        assert_eq!(
            answer("command=TransferDomain&domain=a.coop"),
            (504, "Missing required attribute; AUTH".to_string())
        );
        assert_eq!(
            answer("command=TransferDomain&domain=a.coop&action=request&auth="),
            (504, "Missing required attribute; AUTH".to_string())
        );
        assert_eq!(
            answer("command=TransferDomain&domain=a.coop&auth=x%3Dy"),
            (200, String::new())
        );
        for action in ["APPROVE", "deny", "Cancel"] {
            let text = format!("command=TransferDomain&domain=a.coop&action={action}");
            assert_eq!(answer(&text), (200, String::new()), "{text}");
        }
        assert_eq!(
            answer("command=TransferDomain&domain=a.coop&action=push"),
            (
                541,
                "Invalid attribute value; ACTION: (must be one of REQUEST, APPROVE, DENY, CANCEL)"
                    .to_string()
            )
        );

        let of = |text: &str| TransferAction::of(&request(text));
        assert_eq!(of("domain=a.coop"), Some(TransferAction::Request));
        assert_eq!(of("action=approve"), Some(TransferAction::Approve));
        assert_eq!(of("action=DENY"), Some(TransferAction::Deny));
        assert_eq!(of("action=cancel"), Some(TransferAction::Cancel));
        assert_eq!(of("action=push"), None);
    }

    #[test]
    fn contacts() {
        let base = "command=AddContact&firstname=Anna&lastname=Berg&organization=Coop+eG\
            &city=Berlin&zip=10115&country=DE&phone=%2B49.301234&email=anna%40coop.de";
        for street in [
            "street=Main+St+1",
            "street0=Main+St+1",
            "street0=A&street1=B&street2=C",
        ] {
            let text = format!("{base}&{street}");
            assert_eq!(answer(&text), (200, String::new()), "{text}");
        }
        assert_eq!(
            answer(base),
            (504, "Missing required attribute; STREET0".to_string())
        );
        assert_eq!(
            answer(&format!("{base}&street0=A&street3=D")),
            (503, "Invalid attribute name; STREET3".to_string())
        );
        assert_eq!(
            answer(&format!("{base}&street0=A&new=2")),
            (
                541,
                "Invalid attribute value; NEW: (must be 0 or 1)".to_string()
            )
        );
        assert_eq!(
            answer("command=ModifyContact&contact=P-ABC1&email=new%40coop.de"),
            (200, String::new())
        );
        assert_eq!(
            answer("command=ModifyContact&email=new%40coop.de"),
            (504, "Missing required attribute; CONTACT".to_string())
        );
        assert_eq!(
            answer("command=StatusContact&contact=P-ABC1"),
            (200, String::new())
        );
    }

    #[test]
    fn modify_domain_incremental_and_statuses() {
        assert_eq!(
            answer(
                "command=ModifyDomain&domain=a.coop&addnameserver0=ns3.example.net\
                &delnameserver0=ns1.example.net&addstatus0=clienttransferprohibited\
                &delstatus0=clientHold&transferlock=0&auth=new-code"
            ),
            (200, String::new())
        );
        assert_eq!(
            answer("command=ModifyDomain&domain=a.coop&addstatus0=serverHold"),
            (541, "Invalid attribute value; ADDSTATUS0: (must be one of clientTransferProhibited, clientRenewProhibited, clientDeleteProhibited, clientUpdateProhibited, clientHold)".to_string())
        );
        assert_eq!(client_status("CLIENTHOLD"), Some("clientHold"));
        assert_eq!(client_status("ok"), None);
    }

    #[test]
    fn check_domains_lists() {
        let mut text = "command=CheckDomains".to_string();
        for index in 0..32 {
            text.push_str(&format!("&domain{index}=d{index}.coop"));
        }
        assert_eq!(answer(&text), (200, String::new()));
        text.push_str("&domain32=d32.coop");
        assert_eq!(
            answer(&text),
            (503, "Invalid attribute name; DOMAIN32".to_string())
        );
        assert_eq!(
            answer("command=CheckDomains"),
            (504, "Missing required attribute; DOMAIN0".to_string())
        );
        assert_eq!(
            answer("command=CheckDomain&domain=a.coop"),
            (200, String::new())
        );
    }

    #[test]
    fn renew_and_query() {
        assert_eq!(
            answer("command=RenewDomain&domain=a.coop&period=1&expiration=2027"),
            (200, String::new())
        );
        assert_eq!(
            answer("command=RenewDomain&domain=a.coop&period=1&expiration=next"),
            (505, "Invalid attribute value syntax; EXPIRATION: (must be a whole number written with digits only, e.g. 1)".to_string())
        );
        assert_eq!(
            answer("command=QueryDomainList&domain=*coop*&first=0&limit=2&wide=1"),
            (200, String::new())
        );
        assert_eq!(
            answer("command=QueryDomainList&limit=1234567890"),
            (505, "Invalid attribute value syntax; LIMIT: (must be a whole number written with digits only, e.g. 1)".to_string())
        );
        for command in [
            "DeleteDomain",
            "RestoreDomain",
            "StatusDomainTransfer",
            "StatusDomain",
        ] {
            assert_eq!(
                answer(&format!("command={command}")),
                (504, "Missing required attribute; DOMAIN".to_string())
            );
        }
    }

    #[test]
    fn attribute_names_for_documentation() {
        assert_eq!(
            Command::RenewDomain.attribute_names(),
            vec!["DOMAIN", "PERIOD", "EXPIRATION", "SUBUSER"]
        );
        assert!(Command::AddDomain
            .attribute_names()
            .contains(&"NAMESERVER0..12".to_string()));
        assert!(Command::AddDomain
            .attribute_names()
            .contains(&"OWNERCONTACT0".to_string()));
    }
}
