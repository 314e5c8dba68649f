//! Allocation tokens: registry staff let one reserved name be registered.
//!
//! Rules ([`issue_allocation_token`]):
//! - only registry staff issue a token, and only for a reserved name
//!   ([`crate::validate::reserved`]); any other name is registered the ordinary way;
//! - the token is 128 random bits, shown once to the staff member who issues it; only its
//!   SHA-256 is stored; it is valid for that one name, once.
//!
//! Rules of a registration ([`check_allocation`], called by [`super::register`]):
//! - a reserved name without a token is refused (`name_reserved`);
//! - a token that is unknown, issued for another name or already used is refused
//!   (`allocation_token_invalid`), whether or not the name is reserved;
//! - a valid token is used up by the registration ([`Effect::AllocationTokenUsed`], stored in
//!   the same transaction; the store refuses a second use as well).
//!
//! Errors: `not_yours` (not registry staff), `invalid_value` (the name is not reserved),
//! `name_reserved`, `allocation_token_invalid`.

use super::effect::{Actor, Effect};
use super::secret::{halves, new_token, token_hash, RandomBytes};
use crate::error::{ErrorCode, Problem, Problems};
use crate::model::{DomainName, Timestamp};
use crate::validate::reserved::{is_reserved, reserved_message};

/// An allocation token as stored: the hash of the secret, the name it is for, who issued it
/// and when, and when it was used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllocationToken {
    pub token_hash: String,
    /// The A-label name it lets be registered.
    pub name: String,
    /// The staff member's login.
    pub issued_by: String,
    pub issued_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// What a registration carries, once the worker looked its token up by hash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Allocation {
    /// No token was given.
    #[default]
    None,
    /// A token was given and no stored token has its hash.
    Unknown,
    /// A token was given; this is the stored token with its hash.
    Token(AllocationToken),
}

/// Issues a token for the reserved `name`: the record to store and the plain token to show
/// once. Random bytes: the first half makes the token.
pub fn issue_allocation_token(
    name: &DomainName,
    actor: &Actor,
    random: &RandomBytes,
    now: Timestamp,
) -> Result<(AllocationToken, String), Problems> {
    let Actor::Staff(staff) = actor else {
        return Err(Problems::one(Problem::new(
            ErrorCode::NotYours,
            "actor",
            "Only registry staff, signed in to the console, issue allocation tokens.",
        )));
    };
    if !is_reserved(name) {
        return Err(Problems::one(Problem::new(
            ErrorCode::InvalidValue,
            "name",
            format!(
                "{} is not a reserved name: anyone may register it without a token.",
                name.unicode
            ),
        )));
    }
    let (bytes, _) = halves(random);
    let token = new_token(&bytes);
    let record = AllocationToken {
        token_hash: token_hash(&token),
        name: name.ascii.clone(),
        issued_by: staff.clone(),
        issued_at: now,
        used_at: None,
    };
    Ok((record, token))
}

/// Checks the token a registration of `name` carries (see the module rules); returns the
/// effect that uses it up, when there is one.
pub(crate) fn check_allocation(
    name: &DomainName,
    allocation: &Allocation,
) -> Result<Option<Effect>, Problems> {
    let invalid = |why: &str| {
        Problems::one(Problem::new(
            ErrorCode::AllocationTokenInvalid,
            "allocation_token",
            format!("This allocation token {why}; nothing was registered."),
        ))
    };
    match allocation {
        Allocation::None if is_reserved(name) => Err(Problems::one(Problem::new(
            ErrorCode::NameReserved,
            "domain",
            reserved_message(name),
        ))),
        Allocation::None => Ok(None),
        Allocation::Unknown => Err(invalid("is not one the registry issued")),
        Allocation::Token(token) if token.name != name.ascii => Err(invalid(&format!(
            "was issued for another name, not {}",
            name.unicode
        ))),
        Allocation::Token(token) if token.used_at.is_some() => Err(invalid(
            "was already used: each token registers its name once",
        )),
        Allocation::Token(token) => Ok(Some(Effect::AllocationTokenUsed {
            token_hash: token.token_hash.clone(),
            name: token.name.clone(),
        })),
    }
}
