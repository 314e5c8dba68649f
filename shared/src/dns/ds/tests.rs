use super::*;

/// A key and its DS as PowerDNS 4.7 computed them (`pdnsutil show-zone coop.`).
const KEY: &str = "257 3 13 MG/C4TEobqpCdz7jxjNyGs0MwHbOBoCrWfvtffwgXRqc+GwDmbd0l18A0DQF6SguirP9ut8dLqdkj0zdr8ICew==";

#[test]
fn ds_from_dnskey_matches_powerdns() {
    let key = parse_dnskey(KEY).unwrap();
    assert_eq!(key.key_tag(), 15418);
    let sha256 = ds_from_dnskey("coop", &key, 2);
    assert_eq!(
        sha256.to_text(),
        "15418 13 2 b50dd5154954c9847cf5aac474576012a5922af5b80512cd1cb217f57effd07b"
    );
    let sha384 = ds_from_dnskey("COOP.", &key, 4);
    assert_eq!(
        sha384.to_text(),
        "15418 13 4 0c74dd31e5b9d282a7cbbbca8022c9a972d25909118e63d8501ea15beac1e0c8961c81c4269a5224974942f5d76b3c90"
    );
    // The computed DS passes the same checks as a given one.
    assert_eq!(parse_ds(&sha384.to_text()).unwrap(), sha384);
}

#[test]
fn a_good_ds_is_normalised() {
    let hex = "B50DD5154954C9847CF5AAC474576012 A5922AF5B80512CD1CB217F57EFFD07B";
    let ds = parse_ds(&format!("  65535 8 2 {hex} ")).unwrap();
    assert_eq!(ds.key_tag, 65535);
    assert_eq!(ds.algorithm, 8);
    assert_eq!(
        ds.digest,
        "b50dd5154954c9847cf5aac474576012a5922af5b80512cd1cb217f57effd07b"
    );
    assert_eq!(parse_ds(&format!("0 15 2 {hex}")).unwrap().key_tag, 0);
}

#[test]
fn each_bad_part_has_its_code() {
    let d32 = "ab".repeat(32);
    let d48 = "ab".repeat(48);
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "ds_fields"),
        ("1 13 2".into(), "ds_fields"),
        (format!("65536 13 2 {d32}"), "ds_key_tag"),
        (format!("-1 13 2 {d32}"), "ds_key_tag"),
        (format!("x 13 2 {d32}"), "ds_key_tag"),
        (format!("1 1 2 {d32}"), "ds_algorithm"),
        (format!("1 0 2 {d32}"), "ds_algorithm"),
        (format!("1 4 2 {d32}"), "ds_algorithm"),
        (format!("1 253 2 {d32}"), "ds_algorithm"),
        (format!("1 256 2 {d32}"), "ds_algorithm"),
        (format!("1 13 1 {d32}"), "ds_digest_type"),
        (format!("1 13 3 {d32}"), "ds_digest_type"),
        (format!("1 13 2 {d48}"), "ds_digest"),
        (format!("1 13 4 {d32}"), "ds_digest"),
        (format!("1 13 2 {}", "zz".repeat(32)), "ds_digest"),
        (format!("1 13 2 {}", &d32[1..]), "ds_digest"),
    ];
    for (text, code) in cases {
        let error = parse_ds(&text).expect_err(&text);
        assert_eq!(error.code(), code, "{text}");
        let problem = error.problem("ds_records[0]");
        assert_eq!(problem.code, ErrorCode::InvalidDsRecord);
        assert_eq!(problem.field, "ds_records[0]");
        assert!(problem.message.contains(code), "{}", problem.message);
    }
    assert!(parse_ds(&format!("1 13 4 {d48}")).is_ok());
}

#[test]
fn bad_dnskeys_are_refused() {
    let key =
        "MG/C4TEobqpCdz7jxjNyGs0MwHbOBoCrWfvtffwgXRqc+GwDmbd0l18A0DQF6SguirP9ut8dLqdkj0zdr8ICew==";
    for (text, code) in [
        ("257 3 13".to_string(), "ds_fields"),
        (format!("1 3 13 {key}"), "dnskey_flags"),
        (format!("257 2 13 {key}"), "dnskey_protocol"),
        (format!("257 3 1 {key}"), "ds_algorithm"),
        ("257 3 13 not*base64".to_string(), "dnskey_public_key"),
        (
            format!("257 3 13 {}", "A".repeat(5000)),
            "dnskey_public_key",
        ),
    ] {
        assert_eq!(parse_dnskey(&text).expect_err(&text).code(), code, "{text}");
    }
    assert_eq!(
        parse_dnskey(&format!("257 3 13 {key}"))
            .map_err(|e| e.problem("DNSSEC0").code)
            .map(|k| k.flags),
        Ok(257)
    );
    assert_eq!(
        parse_dnskey("1 3 13 AAAA")
            .unwrap_err()
            .problem("DNSSEC0")
            .code,
        ErrorCode::InvalidDnskey
    );
}

#[test]
fn the_set_is_limited_and_unique() {
    let ds = |tag: u16| parse_ds(&format!("{tag} 13 2 {}", "ab".repeat(32))).unwrap();
    let set = check_ds_set(vec![ds(2), ds(1)]).unwrap();
    assert_eq!(set, vec![ds(1), ds(2)]);
    assert_eq!(
        check_ds_set(vec![ds(1), ds(1)]).unwrap_err().code(),
        "ds_duplicate"
    );
    let many: Vec<DsRecord> = (0..9).map(ds).collect();
    assert_eq!(check_ds_set(many).unwrap_err().code(), "ds_too_many");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn no_input_panics(text in ".{0,200}") {
            let _ = parse_ds(&text);
            let _ = parse_dnskey(&text);
        }

        #[test]
        fn accepted_ds_round_trips(tag in any::<u16>(), alg in proptest::sample::select(SIGNING_ALGORITHMS.to_vec()), bytes in proptest::collection::vec(any::<u8>(), 32)) {
            let text = format!("{tag} {alg} 2 {}", hex(&bytes));
            let ds = parse_ds(&text).unwrap();
            prop_assert_eq!(ds.to_text(), text);
        }
    }
}
