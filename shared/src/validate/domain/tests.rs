use super::*;
use crate::model::IdnLanguage::*;

fn codes(result: &Result<DomainName, Problems>) -> Vec<ErrorCode> {
    match result {
        Ok(_) => Vec::new(),
        Err(problems) => problems.errors.iter().map(|p| p.code).collect(),
    }
}

/// Valid names: input, language, expected A-label form, expected U-label form.
#[test]
fn valid_names() {
    let cases: &[(&str, Option<&str>, &str, &str)] = &[
        ("example.coop", None, "example.coop", "example.coop"),
        ("EXAMPLE.COOP", None, "example.coop", "example.coop"),
        ("Example.Coop", None, "example.coop", "example.coop"),
        ("a.coop", None, "a.coop", "a.coop"),
        ("123.coop", None, "123.coop", "123.coop"),
        (
            "co-op-bank.coop",
            None,
            "co-op-bank.coop",
            "co-op-bank.coop",
        ),
        ("example.coop", Some("FR"), "example.coop", "example.coop"),
        ("example.coop", Some(""), "example.coop", "example.coop"),
        (
            "müller.coop",
            Some("DE"),
            "xn--mller-kva.coop",
            "müller.coop",
        ),
        (
            "müller.coop",
            Some("de"),
            "xn--mller-kva.coop",
            "müller.coop",
        ),
        (
            "Müller.coop",
            Some("DE"),
            "xn--mller-kva.coop",
            "müller.coop",
        ),
        (
            "xn--mller-kva.coop",
            Some("DE"),
            "xn--mller-kva.coop",
            "müller.coop",
        ),
        (
            "XN--MLLER-KVA.COOP",
            Some("DE"),
            "xn--mller-kva.coop",
            "müller.coop",
        ),
        // ß is PVALID in IDNA2008 and kept (not mapped to "ss") by nontransitional UTS 46.
        (
            "straße.coop",
            Some("DE"),
            "xn--strae-oqa.coop",
            "straße.coop",
        ),
        ("niño.coop", Some("ES"), "xn--nio-8ma.coop", "niño.coop"),
        ("cœur.coop", Some("FR"), "xn--cur-fya.coop", "cœur.coop"),
        ("città.coop", Some("IT"), "xn--citt-3na.coop", "città.coop"),
        (
            "coração.coop",
            Some("PT"),
            "xn--corao-dra1a.coop",
            "coração.coop",
        ),
        (
            "пример.coop",
            Some("CYRL"),
            "xn--e1afmkfd.coop",
            "пример.coop",
        ),
        (
            "кооператив-1.coop",
            Some("CYRL"),
            "xn---1-6kcintl6aakmz.coop",
            "кооператив-1.coop",
        ),
    ];
    for (input, language, ascii, unicode) in cases {
        let result = validate_domain_name(input, *language);
        let name = result.unwrap_or_else(|e| panic!("{input}: {e:?}"));
        assert_eq!(name.ascii, *ascii, "{input}");
        assert_eq!(name.unicode, *unicode, "{input}");
    }
}

#[test]
fn language_is_kept_for_idn_only() {
    assert_eq!(
        validate_domain_name("müller.coop", Some("DE"))
            .unwrap()
            .language,
        Some(German)
    );
    assert_eq!(
        validate_domain_name("пример.coop", Some("cyrl"))
            .unwrap()
            .language,
        Some(Cyrillic)
    );
    assert_eq!(
        validate_domain_name("example.coop", Some("DE"))
            .unwrap()
            .language,
        None
    );
}

/// Refused names: input, language, the codes expected (in order).
#[test]
fn refused_names() {
    use ErrorCode::*;
    let long63 = "a".repeat(63);
    let long64 = "a".repeat(64);
    let ok63 = format!("{long63}.coop");
    let bad64 = format!("{long64}.coop");
    // 58 ü's encode to far more than 63 octets.
    let long_idn = format!("{}.coop", "ü".repeat(58));
    let huge = "a".repeat(2000);
    assert!(validate_domain_name(&ok63, None).is_ok());
    let cases: Vec<(&str, Option<&str>, Vec<ErrorCode>)> = vec![
        ("", None, vec![Required]),
        ("   ", None, vec![Required]),
        (&huge, None, vec![TooLong]),
        ("example", None, vec![NotCoop]),
        ("example.com", None, vec![NotCoop]),
        ("example.coop.uk", None, vec![NotCoop]),
        ("www.example.coop", None, vec![NotSecondLevel]),
        (".coop", None, vec![EmptyLabel]),
        ("example..coop", None, vec![EmptyLabel]),
        ("coop", None, vec![NotCoop]),
        // Mappings other than ASCII case: refused, canonical form suggested.
        ("example.coop.", None, vec![NeedsMapping]),
        (" example.coop", None, vec![NeedsMapping]),
        ("example。coop", None, vec![NeedsMapping]),
        ("ｅｘａｍｐｌｅ.coop", None, vec![NeedsMapping]),
        ("example.ｃｏｏｐ", None, vec![NeedsMapping]),
        ("MÜLLER.coop", Some("DE"), vec![NeedsMapping]),
        ("mu\u{0308}ller.coop", Some("DE"), vec![NeedsMapping]),
        ("mül\u{00AD}ler.coop", Some("DE"), vec![NeedsMapping]),
        // LDH rules.
        ("exa_mple.coop", None, vec![InvalidCharacter]),
        ("exa mple.coop", None, vec![InvalidCharacter]),
        ("-example.coop", None, vec![HyphenPosition]),
        ("example-.coop", None, vec![HyphenPosition]),
        ("ab--cd.coop", None, vec![HyphenPosition]),
        ("xx--example.coop", None, vec![HyphenPosition]),
        (&bad64, None, vec![LabelTooLong]),
        (&long_idn, Some("DE"), vec![LabelTooLong]),
        // A-labels.
        ("xn--.coop", None, vec![InvalidALabel]),
        ("xn--abc-.coop", None, vec![InvalidALabel]), // decodes to ASCII "abc"
        ("xn--example-.coop", None, vec![InvalidALabel]), // decodes to ASCII "example"
        ("xn--abc.coop", None, vec![InvalidALabel]),  // decodes to C1 control characters
        ("xn---mller-kva.coop", Some("DE"), vec![InvalidALabel]), // decodes to "-müller"
        ("xn--zzzzzzz9.coop", None, vec![InvalidALabel]),
        ("xn--mller-kva!.coop", None, vec![InvalidCharacter]),
        ("xn--mller-2pa.coop", Some("DE"), vec![InvalidALabel]), // decodes to upper-case Ü
        ("xn--muller-xyd.coop", Some("DE"), vec![InvalidALabel]), // decomposed ü (not NFC)
        ("xn--example-uge.coop", None, vec![InvalidALabel]),     // decomposed é (not NFC)
        ("xn--ls8h.coop", None, vec![InvalidALabel]),            // 💩
        // IDNA2008 beyond UTS 46 and the tables.
        ("mül♥ler.coop", Some("DE"), vec![IdnDisallowedCodePoint]),
        ("exam\u{200D}ple.coop", None, vec![Contextj]),
        ("exam\u{200C}ple.coop", None, vec![Contextj]),
        ("l·l.coop", None, vec![Contexto]),
        ("שלום.coop", None, vec![BidiRule]),
        ("مثال.coop", None, vec![BidiRule]),
        ("\u{0301}example.coop", None, vec![LeadingCombiningMark]),
        ("e\u{0301}xample.coop", Some("FR"), vec![NeedsMapping]), // composes to é under NFC
        ("ex\u{0301}ample.coop", None, vec![IdnDisallowedCodePoint]), // x + acute: no composition
        ("ex\u{0331}ample.coop", None, vec![IdnDisallowedCodePoint]),
        ("καλημέρα.coop", None, vec![IdnDisallowedCodePoint]),
        ("σς.coop", None, vec![IdnDisallowedCodePoint]), // final sigma: not in any table
        ("例え.coop", None, vec![IdnDisallowedCodePoint]),
        ("ü-.coop", Some("DE"), vec![HyphenPosition]),
        ("-ü.coop", Some("DE"), vec![HyphenPosition]),
        ("üb--er.coop", Some("DE"), vec![HyphenPosition]),
        // Tables.
        ("раypal.coop", Some("CYRL"), vec![IdnMixedTables]), // Cyrillic р, а + Latin
        ("niñoß.coop", Some("ES"), vec![IdnMixedTables]),
        ("müller.coop", None, vec![IdnLanguageRequired]),
        ("müller.coop", Some("FI"), vec![UnknownIdnLanguage]),
        ("müller.coop", Some("IT"), vec![IdnLanguageMismatch]),
        ("пример.coop", Some("DE"), vec![IdnLanguageMismatch]),
        ("example.coop", Some("CYRL"), vec![IdnLanguageMismatch]),
        ("niño.coop", Some("DE"), vec![IdnLanguageMismatch]),
        // Several problems at once.
        ("example.com", Some("XX"), vec![UnknownIdnLanguage, NotCoop]),
        ("exa\u{0000}mple.coop", None, vec![ControlCharacter]),
    ];
    for (input, language, expected) in &cases {
        let result = validate_domain_name(input, *language);
        assert_eq!(
            &codes(&result),
            expected,
            "{input:?} {language:?}: {result:?}"
        );
        if let Err(problems) = &result {
            for problem in &problems.errors {
                assert!(!problem.message.is_empty());
                assert!(["domain", "idn_language"].contains(&problem.field.as_str()));
            }
        }
    }
}

#[test]
fn suggestions_give_the_canonical_form() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("example.coop.", None, "example.coop"),
        (" example.coop ", None, "example.coop"),
        ("example。coop", None, "example.coop"),
        ("ｅｘａｍｐｌｅ.coop", None, "example.coop"),
        ("MÜLLER.coop", Some("DE"), "müller.coop"),
        ("ＭÜＬＬＥＲ．ＣＯＯＰ", Some("DE"), "müller.coop"),
        ("mu\u{0308}ller.coop", Some("DE"), "müller.coop"),
        ("xn--mller-kva.coop.", Some("DE"), "xn--mller-kva.coop"),
        ("müller", Some("DE"), "müller.coop"),
    ];
    for (input, language, suggestion) in cases {
        let problems = validate_domain_name(input, *language).unwrap_err();
        assert_eq!(
            problems.errors[0].suggestion.as_deref(),
            Some(*suggestion),
            "{input}"
        );
        // The suggestion itself is valid.
        assert!(
            validate_domain_name(suggestion, *language).is_ok(),
            "{suggestion}"
        );
    }
}

#[test]
fn messages_name_what_is_wrong() {
    let message = |input: &str, language: Option<&str>| {
        validate_domain_name(input, language).unwrap_err().errors[0]
            .message
            .clone()
    };
    assert!(message("MÜLLER.coop", Some("DE")).contains("'Ü' → 'ü'"));
    assert!(message("mu\u{0308}ller.coop", Some("DE")).contains("separate marks"));
    assert!(message("example.coop.", None).contains("trailing dot"));
    assert!(message("xn--abc-.coop", None).contains("plain ASCII ('abc')"));
    // Invisible decoded characters are shown escaped.
    assert!(message("xn--abc.coop", None).contains("\\u{80}"));
}

#[test]
fn language_problems_name_the_fitting_tables() {
    let problems = validate_domain_name("straße.coop", None).unwrap_err();
    assert_eq!(problems.errors[0].field, "idn_language");
    assert_eq!(problems.errors[0].suggestion.as_deref(), Some("DE"));
    assert!(problems.errors[0].message.contains("DE"));
    let problems = validate_domain_name("niño.coop", Some("DE")).unwrap_err();
    assert!(problems.errors[0].message.contains("'ñ'"), "{:?}", problems);
    assert_eq!(problems.errors[0].suggestion.as_deref(), Some("ES"));
    let problems = validate_domain_name("раypal.coop", Some("CYRL")).unwrap_err();
    assert!(problems.errors[0].message.contains("Cyrillic and Latin"));
}

#[test]
fn a_label_of_63_octets_is_the_limit() {
    // Find U-labels whose A-label form is exactly 63 and 64 octets.
    let mut at_63 = None;
    let mut at_64 = None;
    for n in 1..70 {
        let label = format!("ü{}", "a".repeat(n));
        let ascii = format!("xn--{}", idna::punycode::encode_str(&label).unwrap());
        if ascii.len() == 63 {
            at_63 = Some(label.clone());
        }
        if ascii.len() == 64 {
            at_64 = Some(label);
        }
    }
    let at_63 = at_63.expect("a 63-octet A-label");
    let at_64 = at_64.expect("a 64-octet A-label");
    assert!(validate_domain_name(&format!("{at_63}.coop"), Some("DE")).is_ok());
    assert_eq!(
        codes(&validate_domain_name(&format!("{at_64}.coop"), Some("DE"))),
        [ErrorCode::LabelTooLong]
    );
}

#[test]
fn host_names() {
    use ErrorCode::*;
    let cases: &[(&str, Result<&str, ErrorCode>)] = &[
        ("ns1.example.net", Ok("ns1.example.net")),
        ("NS1.Example.NET", Ok("ns1.example.net")),
        ("ns1.example.net.", Ok("ns1.example.net")),
        ("ns1.müller.coop", Ok("ns1.xn--mller-kva.coop")),
        ("ns.xn--mller-kva.coop", Ok("ns.xn--mller-kva.coop")),
        ("ns1.пример.рф", Ok("ns1.xn--e1afmkfd.xn--p1ai")),
        ("a.b.c.d.example", Ok("a.b.c.d.example")),
        ("ns1", Err(InvalidHostName)),
        ("192.0.2.1", Err(InvalidHostName)),
        ("", Err(Required)),
        ("ns1..example.net", Err(EmptyLabel)),
        (".example.net", Err(EmptyLabel)),
        ("ns_1.example.net", Err(InvalidCharacter)),
        ("-ns.example.net", Err(HyphenPosition)),
        ("ab--c.example.net", Err(HyphenPosition)),
        ("ns1.ＥＸＡＭＰＬＥ.net", Err(NeedsMapping)),
        ("ns1.exa♥mple.net", Err(IdnDisallowedCodePoint)),
        ("ns1.xn--abc.net", Err(InvalidHostName)),
        ("ns1.שלוםabc.net", Err(InvalidHostName)),
    ];
    for (input, expected) in cases {
        let result = validate_host_name(input, "host");
        match expected {
            Ok(want) => assert_eq!(result.as_deref().ok(), Some(*want), "{input}: {result:?}"),
            Err(code) => assert_eq!(result.unwrap_err().errors[0].code, *code, "{input}"),
        }
    }
    let long = format!("{}.net", vec!["a".repeat(63); 4].join("."));
    assert_eq!(
        validate_host_name(&long, "h").unwrap_err().errors[0].code,
        NameTooLong
    );
    let long_label = format!("{}.net", "b".repeat(64));
    assert_eq!(
        validate_host_name(&long_label, "h").unwrap_err().errors[0].code,
        LabelTooLong
    );
}

#[test]
fn fields_follow_the_caller() {
    let problems =
        validate_domain_name_at("müller.com", Some("XX"), "DOMAIN", "X-IDN-LANGUAGE").unwrap_err();
    let fields: Vec<&str> = problems.errors.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["X-IDN-LANGUAGE", "DOMAIN"]);
}
