//! The one error type of coopreg.
//!
//! Every rule reports a [`Problem`]: a stable [`ErrorCode`], the path of the field it concerns
//! (`contacts.owner.email`, `nameservers[1]`), and a message that says what is wrong and what
//! would be accepted. Inputs are checked whole, so a [`Problems`] list carries every problem
//! at once. Each code maps once to an HTTP status, to a CentralNic Reseller result code and
//! (through its message) to the UI; the shells never invent their own errors.

use serde::{Deserialize, Serialize};

/// Stable error codes. The `snake_case` string is the API contract: add codes, never rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    // --- shape of the input -------------------------------------------------------------
    /// The body is not JSON, or not the JSON object expected.
    MalformedInput,
    /// The body is larger than accepted.
    BodyTooLarge,
    /// A field that must be present is missing or empty.
    Required,
    /// A field that is not part of this input.
    UnknownField,
    /// A reseller API command name that is not one we serve.
    UnknownCommand,
    /// A field of the wrong JSON type.
    WrongType,
    /// A value longer than its limit.
    TooLong,
    /// A value that contains control characters.
    ControlCharacter,
    /// A value that contains an invisible character (a format character such as U+200B zero
    /// width space, U+2060 word joiner, U+FEFF, U+00AD soft hyphen, or another default
    /// ignorable code point): two values that look the same must be the same.
    InvisibleCharacter,
    /// A request body of a media type this endpoint does not take (`Content-Type`).
    UnsupportedMediaType,
    /// A request sent from a page of another origin (`Origin`), refused so no other site can
    /// act with a user's stored credentials.
    CrossOrigin,
    /// A value that is not in Unicode NFC.
    NotNormalized,
    /// A value that is syntactically wrong in a way no more specific code covers.
    InvalidValue,

    // --- validation of names, contacts and orders (issue 3) -----------------------------
    /// The name is not under .coop.
    NotCoop,
    /// Only second-level names (`name.coop`) can be registered.
    NotSecondLevel,
    /// A domain or host name with an empty label (`..`, leading dot).
    EmptyLabel,
    /// An ASCII character other than a-z, 0-9 and `-` in a label.
    InvalidCharacter,
    /// A non-ASCII code point that no .coop IDN table (and no IDNA2008 rule) allows.
    IdnDisallowedCodePoint,
    /// A label whose letters fit no single IDN language table (e.g. Cyrillic mixed with Latin).
    IdnMixedTables,
    /// An IDN label without its language tag (`idn_language` / `X-IDN-LANGUAGE`).
    IdnLanguageRequired,
    /// A language tag that is not one of the .coop IDN tables.
    UnknownIdnLanguage,
    /// The label has characters outside the table of the language given.
    IdnLanguageMismatch,
    /// A label longer than 63 octets in its A-label form.
    LabelTooLong,
    /// A name longer than 253 octets in its A-label form.
    NameTooLong,
    /// A hyphen at the start or end of a label, or `--` in positions 3-4 (reserved `??--` labels).
    HyphenPosition,
    /// An `xn--` label that is not valid Punycode or does not decode to a valid U-label.
    InvalidALabel,
    /// Input that is valid only after a mapping other than ASCII case folding (full-width, upper-case non-ASCII, decomposed accents, odd dots); the canonical form is suggested.
    NeedsMapping,
    /// Right-to-left characters (RFC 5893 Bidi rule; no .coop table has any).
    BidiRule,
    /// Zero-width joiner or non-joiner (RFC 5892 CONTEXTJ).
    Contextj,
    /// A CONTEXTO code point (middle dot, keraia, geresh, katakana middle dot, Arabic-Indic digits).
    Contexto,
    /// A label that starts with a combining mark (RFC 5891 4.2.3.2).
    LeadingCombiningMark,
    /// A name server or e-mail host name that is not a valid DNS host name.
    InvalidHostName,
    /// Not an ISO 3166-1 alpha-2 country code.
    InvalidCountry,
    /// A phone or fax number not in `+CC.NUMBER` form with a real country calling code.
    InvalidPhone,
    /// Not a valid e-mail address.
    InvalidEmail,
    /// A privacy or proxy service as registrant; .coop forbids them.
    PrivacyService,
    /// A contact handle of the wrong form.
    InvalidHandle,
    /// Fewer than 2 or more than 13 name servers.
    NameserverCount,
    /// The same name server listed twice.
    DuplicateNameserver,
    /// A name server inside the domain being registered without glue addresses.
    GlueRequired,
    /// Glue addresses for a name server outside the domain being registered.
    GlueNotAllowed,
    /// Not a usable IPv4 or IPv6 address.
    InvalidIp,
    /// A registration period outside 1-10 whole years.
    PeriodRange,
    /// The registrant has not certified its .coop eligibility.
    EligibilityRequired,
    /// An eligibility criterion code that is not in the list.
    UnknownCriterion,
    /// A DNSSEC DS record that is malformed or uses a key tag, algorithm or digest type
    /// .coop does not accept (`dns::ds`; the message carries the precise `ds_*` reason).
    InvalidDsRecord,
    /// A DNSSEC DNSKEY (reseller `DNSSEC#`) that is malformed or not acceptable.
    InvalidDnskey,

    // --- state and permissions --------------------------------------------------------------
    /// The object does not exist.
    NotFound,
    /// The object exists but belongs to someone else.
    NotYours,
    /// The name is already registered or being registered.
    NameTaken,
    /// The name is reserved by the registry (`shared/data/reserved-names.txt`); only an
    /// allocation token that staff issued for it lets it be registered.
    NameReserved,
    /// An allocation token that does not exist, was issued for another name, or was used.
    AllocationTokenInvalid,
    /// The object's current status does not allow this command.
    StatusProhibits,
    /// The resulting registration term would exceed 10 years.
    PeriodExceeded,
    /// Login or session failed.
    AuthenticationFailed,
    /// Too many attempts; try later.
    RateLimited,
    /// The verification link is unknown, used or replaced.
    TokenInvalid,
    /// The verification link has expired.
    TokenExpired,
    /// The order's registration has ended (deleted or freed); the order follows no later
    /// registration of the same name.
    OrderEnded,
    /// A signed request whose signature is wrong, stale or replayed.
    SignatureInvalid,
    /// A request whose Idempotency-Key was used with a different body.
    IdempotencyConflict,
    /// The transfer auth code is wrong.
    AuthCodeInvalid,
    /// A new auth code equal to another domain's current one (auth codes are unique per
    /// domain; which domain is not said).
    AuthCodeInUse,
    /// `EXPIRATION` is not the domain's current expiration year (guards retried renewals).
    ExpirationMismatch,
    /// The domain has a pending transfer, which must be decided first.
    TransferPending,
    /// The domain has no pending transfer to approve, deny or cancel.
    NoTransferPending,
    /// Something went wrong on our side; nothing was changed.
    Internal,
    /// A record changed between reading and writing it (another request wrote it first);
    /// nothing was changed, and trying again works on the new state.
    WriteConflict,
}

impl ErrorCode {
    /// The stable string form, as it appears in JSON (`"name_taken"`).
    pub fn as_str(self) -> &'static str {
        // Mirrors serde's `rename_all`; the test `as_str_matches_serde_name` keeps them equal.
        match self {
            ErrorCode::MalformedInput => "malformed_input",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::Required => "required",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::UnknownCommand => "unknown_command",
            ErrorCode::WrongType => "wrong_type",
            ErrorCode::TooLong => "too_long",
            ErrorCode::ControlCharacter => "control_character",
            ErrorCode::InvisibleCharacter => "invisible_character",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::CrossOrigin => "cross_origin",
            ErrorCode::OrderEnded => "order_ended",
            ErrorCode::NotNormalized => "not_normalized",
            ErrorCode::InvalidValue => "invalid_value",
            ErrorCode::NotFound => "not_found",
            ErrorCode::NotYours => "not_yours",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::NameReserved => "name_reserved",
            ErrorCode::AllocationTokenInvalid => "allocation_token_invalid",
            ErrorCode::StatusProhibits => "status_prohibits",
            ErrorCode::PeriodExceeded => "period_exceeded",
            ErrorCode::AuthenticationFailed => "authentication_failed",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::TokenInvalid => "token_invalid",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::SignatureInvalid => "signature_invalid",
            ErrorCode::IdempotencyConflict => "idempotency_conflict",
            ErrorCode::AuthCodeInvalid => "auth_code_invalid",
            ErrorCode::AuthCodeInUse => "auth_code_in_use",
            ErrorCode::ExpirationMismatch => "expiration_mismatch",
            ErrorCode::TransferPending => "transfer_pending",
            ErrorCode::NoTransferPending => "no_transfer_pending",
            ErrorCode::Internal => "internal",
            ErrorCode::WriteConflict => "write_conflict",
            ErrorCode::NotCoop => "not_coop",
            ErrorCode::NotSecondLevel => "not_second_level",
            ErrorCode::EmptyLabel => "empty_label",
            ErrorCode::InvalidCharacter => "invalid_character",
            ErrorCode::IdnDisallowedCodePoint => "idn_disallowed_code_point",
            ErrorCode::IdnMixedTables => "idn_mixed_tables",
            ErrorCode::IdnLanguageRequired => "idn_language_required",
            ErrorCode::UnknownIdnLanguage => "unknown_idn_language",
            ErrorCode::IdnLanguageMismatch => "idn_language_mismatch",
            ErrorCode::LabelTooLong => "label_too_long",
            ErrorCode::NameTooLong => "name_too_long",
            ErrorCode::HyphenPosition => "hyphen_position",
            ErrorCode::InvalidALabel => "invalid_a_label",
            ErrorCode::NeedsMapping => "needs_mapping",
            ErrorCode::BidiRule => "bidi_rule",
            ErrorCode::Contextj => "contextj",
            ErrorCode::Contexto => "contexto",
            ErrorCode::LeadingCombiningMark => "leading_combining_mark",
            ErrorCode::InvalidHostName => "invalid_host_name",
            ErrorCode::InvalidCountry => "invalid_country",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::PrivacyService => "privacy_service",
            ErrorCode::InvalidHandle => "invalid_handle",
            ErrorCode::NameserverCount => "nameserver_count",
            ErrorCode::DuplicateNameserver => "duplicate_nameserver",
            ErrorCode::GlueRequired => "glue_required",
            ErrorCode::GlueNotAllowed => "glue_not_allowed",
            ErrorCode::InvalidIp => "invalid_ip",
            ErrorCode::PeriodRange => "period_range",
            ErrorCode::EligibilityRequired => "eligibility_required",
            ErrorCode::UnknownCriterion => "unknown_criterion",
            ErrorCode::InvalidDsRecord => "invalid_ds_record",
            ErrorCode::InvalidDnskey => "invalid_dnskey",
        }
    }

    /// The HTTP status of the JSON API for this code.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedInput | Required | UnknownField | UnknownCommand | WrongType | TooLong
            | ControlCharacter | InvisibleCharacter | NotNormalized | InvalidValue
            | PeriodExceeded => 422,
            UnsupportedMediaType => 415,
            CrossOrigin => 403,
            OrderEnded => 410,
            NotCoop
            | NotSecondLevel
            | EmptyLabel
            | InvalidCharacter
            | IdnDisallowedCodePoint
            | IdnMixedTables
            | IdnLanguageRequired
            | UnknownIdnLanguage
            | IdnLanguageMismatch
            | LabelTooLong
            | NameTooLong
            | HyphenPosition
            | InvalidALabel
            | NeedsMapping
            | BidiRule
            | Contextj
            | Contexto
            | LeadingCombiningMark
            | InvalidHostName
            | InvalidCountry
            | InvalidPhone
            | InvalidEmail
            | PrivacyService
            | InvalidHandle
            | NameserverCount
            | DuplicateNameserver
            | GlueRequired
            | GlueNotAllowed
            | InvalidIp
            | PeriodRange
            | EligibilityRequired
            | UnknownCriterion
            | InvalidDsRecord
            | InvalidDnskey => 422,
            BodyTooLarge => 413,
            NotFound => 404,
            NotYours => 403,
            NameTaken | NameReserved | StatusProhibits | IdempotencyConflict
            | ExpirationMismatch | TransferPending | NoTransferPending | AuthCodeInUse => 409,
            AuthCodeInvalid | AllocationTokenInvalid => 403,
            AuthenticationFailed | SignatureInvalid => 401,
            RateLimited => 429,
            TokenInvalid | TokenExpired => 410,
            Internal => 500,
            WriteConflict => 409,
        }
    }

    /// The CentralNic Reseller result code and its standard description.
    pub fn reseller_result(self) -> (u16, &'static str) {
        use ErrorCode::*;
        match self {
            Required => (504, "Missing required attribute"),
            UnknownField => (503, "Invalid attribute name"),
            UnknownCommand => (500, "Invalid command name"),
            MalformedInput | WrongType | ControlCharacter | InvisibleCharacter | NotNormalized
            | UnsupportedMediaType => (505, "Invalid attribute value syntax"),
            TooLong | InvalidValue => (541, "Invalid attribute value"),
            BodyTooLarge => (505, "Invalid attribute value syntax"),
            NotFound => (545, "Entity reference not found"),
            NotYours | CrossOrigin => (531, "Authorization failed"),
            OrderEnded => (545, "Entity reference not found"),
            NameTaken | NameReserved => (549, "Command failed"),
            AllocationTokenInvalid => (531, "Authorization failed"),
            StatusProhibits => (552, "Domain status does not allow for operation"),
            PeriodExceeded => (556, "Maximum registration period exceeded"),
            AuthenticationFailed | SignatureInvalid => (530, "Authentication failed"),
            RateLimited => (
                421,
                "Command failed due to server error. Client should try again",
            ),
            TokenInvalid | TokenExpired => (531, "Authorization failed"),
            IdempotencyConflict => (549, "Command failed"),
            AuthCodeInvalid => (531, "Authorization failed"),
            // The value is refused, not its syntax: "choose another".
            AuthCodeInUse => (541, "Invalid attribute value"),
            // A retried RenewDomain names last year's EXPIRATION; resellers' clients handle
            // 541 as "the attribute is wrong", which it is (542 is for modify commands).
            ExpirationMismatch => (541, "Invalid attribute value"),
            TransferPending => (553, "Operation not allowed. Domain pending transfer"),
            NoTransferPending => (534, "Domain name has not been flagged for transfer"),
            Internal | WriteConflict => (
                421,
                "Command failed due to server error. Client should try again",
            ),
            IdnLanguageRequired | EligibilityRequired => (504, "Missing required attribute"),
            EmptyLabel
            | InvalidCharacter
            | IdnDisallowedCodePoint
            | HyphenPosition
            | InvalidALabel
            | NeedsMapping
            | BidiRule
            | Contextj
            | Contexto
            | LeadingCombiningMark
            | InvalidHostName
            | InvalidPhone
            | InvalidEmail
            | InvalidIp
            | InvalidHandle => (505, "Invalid attribute value syntax"),
            NotCoop | NotSecondLevel | IdnMixedTables | UnknownIdnLanguage
            | IdnLanguageMismatch | LabelTooLong | NameTooLong | InvalidCountry
            | PrivacyService | NameserverCount | DuplicateNameserver | GlueRequired
            | GlueNotAllowed | UnknownCriterion | InvalidDsRecord | InvalidDnskey => {
                (541, "Invalid attribute value")
            }
            PeriodRange => (556, "Maximum registration period exceeded"),
        }
    }
}

impl core::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with an input or a command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: ErrorCode,
    /// Path of the field (`contacts.owner.email`, `nameservers[1]`); empty for the whole input.
    pub field: String,
    /// What is wrong and what is accepted, for a person.
    pub message: String,
    /// The canonical value to use instead, where there is one (e.g. a NFC or A-label form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl Problem {
    pub fn new(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            code,
            field: field.into(),
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// Every problem of one input, in the order found. Serialises as `{"errors": [...]}`, the
/// error body of the JSON API and of the browser's wasm validation alike.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problems {
    pub errors: Vec<Problem>,
}

impl Problems {
    pub fn one(problem: Problem) -> Self {
        Problems {
            errors: vec![problem],
        }
    }

    pub fn push(&mut self, problem: Problem) {
        self.errors.push(problem);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(value)` when nothing was found wrong, else the problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Problems> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// The HTTP status for the whole list: that of its first problem.
    pub fn http_status(&self) -> u16 {
        self.errors
            .first()
            .map_or(500, |problem| problem.code.http_status())
    }
}

impl From<Problem> for Problems {
    fn from(problem: Problem) -> Self {
        Problems::one(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_matches_serde_name() {
        for code in [
            ErrorCode::MalformedInput,
            ErrorCode::NameTaken,
            ErrorCode::PeriodExceeded,
            ErrorCode::IdempotencyConflict,
            ErrorCode::AuthCodeInvalid,
            ErrorCode::AuthCodeInUse,
            ErrorCode::ExpirationMismatch,
            ErrorCode::TransferPending,
            ErrorCode::NoTransferPending,
            ErrorCode::WriteConflict,
            ErrorCode::NameReserved,
            ErrorCode::AllocationTokenInvalid,
            ErrorCode::RateLimited,
            ErrorCode::InvisibleCharacter,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::CrossOrigin,
            ErrorCode::OrderEnded,
            ErrorCode::InvalidDsRecord,
            ErrorCode::InvalidDnskey,
        ] {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().to_string())
            );
        }
    }

    /// The validation codes (issue 3): stable names, 422, and a reseller code of the
    /// attribute family (504 missing, 505 syntax, 541 value, 556 period).
    #[test]
    fn validation_codes_map_consistently() {
        let codes = [
            ErrorCode::NotCoop,
            ErrorCode::NotSecondLevel,
            ErrorCode::EmptyLabel,
            ErrorCode::InvalidCharacter,
            ErrorCode::IdnDisallowedCodePoint,
            ErrorCode::IdnMixedTables,
            ErrorCode::IdnLanguageRequired,
            ErrorCode::UnknownIdnLanguage,
            ErrorCode::IdnLanguageMismatch,
            ErrorCode::LabelTooLong,
            ErrorCode::NameTooLong,
            ErrorCode::HyphenPosition,
            ErrorCode::InvalidALabel,
            ErrorCode::NeedsMapping,
            ErrorCode::BidiRule,
            ErrorCode::Contextj,
            ErrorCode::Contexto,
            ErrorCode::LeadingCombiningMark,
            ErrorCode::InvalidHostName,
            ErrorCode::InvalidCountry,
            ErrorCode::InvalidPhone,
            ErrorCode::InvalidEmail,
            ErrorCode::PrivacyService,
            ErrorCode::InvalidHandle,
            ErrorCode::NameserverCount,
            ErrorCode::DuplicateNameserver,
            ErrorCode::GlueRequired,
            ErrorCode::GlueNotAllowed,
            ErrorCode::InvalidIp,
            ErrorCode::PeriodRange,
            ErrorCode::EligibilityRequired,
            ErrorCode::UnknownCriterion,
        ];
        let mut seen = std::collections::HashSet::new();
        for code in codes {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().to_string())
            );
            assert_eq!(code.http_status(), 422, "{code}");
            assert!(
                [504, 505, 541, 556].contains(&code.reseller_result().0),
                "{code}"
            );
        }
        assert_eq!(ErrorCode::IdnLanguageRequired.reseller_result().0, 504);
        assert_eq!(ErrorCode::InvalidEmail.reseller_result().0, 505);
        assert_eq!(ErrorCode::NotCoop.reseller_result().0, 541);
        assert_eq!(ErrorCode::PeriodRange.reseller_result().0, 556);
    }

    /// The state codes the reseller clients test for (tests/reseller/README.md).
    #[test]
    fn state_codes_map_to_the_reseller_results() {
        let table = [
            (ErrorCode::NotFound, 545),
            (ErrorCode::NotYours, 531),
            (ErrorCode::AuthCodeInvalid, 531),
            (ErrorCode::AuthCodeInUse, 541),
            (ErrorCode::StatusProhibits, 552),
            (ErrorCode::PeriodExceeded, 556),
            (ErrorCode::ExpirationMismatch, 541),
            (ErrorCode::NameTaken, 549),
            (ErrorCode::AuthenticationFailed, 530),
            (ErrorCode::NameReserved, 549),
            (ErrorCode::AllocationTokenInvalid, 531),
            (ErrorCode::RateLimited, 421),
        ];
        for (code, result) in table {
            assert_eq!(code.reseller_result().0, result, "{code}");
        }
    }
}
