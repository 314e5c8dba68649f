//! coopreg's core: every rule of the .coop registration workflow, as pure functions.
//!
//! No I/O, no clock and no randomness of its own: time and random bytes are arguments, so the
//! same inputs give the same outputs natively, in the Cloudflare Worker and in the browser
//! (wasm). The shells (`worker/`, `web-ui/`) load state, call in here, and store or show what
//! comes back.
//!
//! Where to start: [`model`] (the objects), [`error`] (the one error type and its mappings),
//! [`validate`] (what an order or a reseller command may carry), [`lifecycle`] (what each
//! command does to domains and contacts over time), [`limits`] (how often the public paths
//! may be used), [`rdap`] (the public lookup of registration data). The registry's outputs: [`zone`] (the
//! delegation zone file), [`escrow`] (the daily deposit) and [`changes`] (what changed
//! between two deposits, for registrant review); [`dns`] (DS records and the delegation
//! rrsets pushed to the hidden primary).

pub mod accounts;
pub mod callback;
pub mod changes;
pub mod dns;
pub mod error;
pub mod escrow;
pub mod lifecycle;
pub mod limits;
pub mod model;
pub mod rdap;
pub mod request_guard;
pub mod reseller;
pub mod rfc4180;
pub mod spreadsheet;
pub mod validate;
pub mod zone;

pub use error::{ErrorCode, Problem, Problems};
