//! Lifecycle rules: what each command does to domains and contacts over time.
