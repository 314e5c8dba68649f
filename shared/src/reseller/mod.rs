//! The CentralNic Reseller ("call.cgi") wire protocol, as pure functions.
//!
//! A reseller's existing client (the official SDKs, WHMCS modules, hand-written GET clients)
//! talks to `/api/call.cgi` or `/api/call`. This module turns such a request into a
//! [`ResellerRequest`] ([`request`]), checks it against the table of commands we serve
//! ([`commands`]) and writes the plain-text answer ([`response`]). It knows nothing about
//! storage or accounts: the worker authenticates, runs the lifecycle rules and fills the
//! [`Response`].
//!
//! A dispatcher reads, in order:
//! 1. [`parse_request`] (query string + form body) → `ResellerRequest` or `Problems`;
//! 2. [`commands::validate`] → the [`Command`], or `Problems` (500/503/504/505/541);
//! 3. [`ResellerRequest::credentials`]: [`Auth::accepts`] for [`Command::auth`], then the
//!    worker checks login and password or session (530 on failure);
//! 4. the command itself; every outcome becomes a [`Response`] (always HTTP 200,
//!    [`response::CONTENT_TYPE`]).

pub mod commands;
pub mod lookup;
pub mod request;
pub mod response;

pub use commands::{Auth, Command};
pub use lookup::domain_to_look_up;
pub use request::{parse_request, Credentials, ResellerRequest};
pub use response::Response;
