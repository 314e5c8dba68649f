//! The repository object id (ROID) of a registration: one per registration, never reused.
//!
//! Rules:
//! - a new registration gets `D<20 upper-case hex>-COOP` from 80 random bits the shell draws
//!   ([`new_roid`]); a later registration of the same name after a delete gets another, so
//!   anything bound to a registration (a web order, RDAP, the escrow deposit) never follows
//!   the name to its next registrant;
//! - records stored before ROIDs were kept read the old name-derived form ([`legacy_roid`]);
//!   the migration gives every stored domain row its own.

use sha2::{Digest, Sha256};

/// The ROID of a new registration from 10 random bytes.
pub fn new_roid(random: &[u8; 10]) -> String {
    let mut text = String::with_capacity(26);
    text.push('D');
    for byte in random {
        text.push_str(&format!("{byte:02X}"));
    }
    text.push_str("-COOP");
    text
}

/// The name-derived ROID of records stored before each registration had its own.
pub fn legacy_roid(ascii: &str) -> String {
    let digest = Sha256::digest(ascii.as_bytes());
    let mut random = [0u8; 10];
    for (slot, byte) in random.iter_mut().zip(digest.iter()) {
        *slot = *byte;
    }
    new_roid(&random)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roid_shape() {
        assert_eq!(new_roid(&[0xab; 10]), "DABABABABABABABABABAB-COOP");
        let legacy = legacy_roid("example.coop");
        assert_eq!(legacy.len(), 26);
        assert!(legacy.starts_with('D') && legacy.ends_with("-COOP"));
        assert_ne!(legacy, legacy_roid("other.coop"));
    }
}
