//! Validation of everything a registration carries (see issue 3). Owned by the validation work.
