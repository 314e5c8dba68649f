//! Tests of the lifecycle rules, driven with explicit timestamps: one test per row of
//! product.md's state machine table (`table`), every error (`errors`), time (`time_steps`)
//! and random command sequences (`props`).

mod commands;
mod errors;
mod fixtures;
mod props;
mod registry_lock;
mod secrets;
mod table;
mod time_steps;
mod transfer_handover;
mod web_orders;
