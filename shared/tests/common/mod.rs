//! A small deterministic registry for the escrow and change-detection tests, full of values
//! that are awkward in CSV: commas, quotes, line breaks, a leading `#`, non-ASCII text.

#![allow(dead_code)] // each test file uses part of it

use coopreg_shared::escrow::{
    DepositHeader, DepositType, EscrowContact, EscrowDomain, EscrowReseller, ObjectCounts,
};
use coopreg_shared::lifecycle::{Certification, Channel};
use coopreg_shared::model::{ContactInfo, DomainName, IdnLanguage, Nameserver, DAY};
use coopreg_shared::validate::EligibilityCriterion;

pub const WATERMARK: i64 = 1_795_651_200; // 2026-11-26T00:00:00Z

pub fn header(id: &str) -> DepositHeader {
    DepositHeader {
        tld: "coop".to_string(),
        id: id.to_string(),
        deposit_type: DepositType::Full,
        watermark: WATERMARK,
        counts: ObjectCounts::default(),
    }
}

pub fn resellers() -> Vec<EscrowReseller> {
    vec![
        EscrowReseller {
            id: "R-1".into(),
            name: "Acme Domains, Inc.".into(),
        },
        EscrowReseller {
            id: "R-2".into(),
            name: "The \"Best\" Registrar".into(),
        },
        EscrowReseller {
            id: "R-3".into(),
            name: "Коопрег ООО".into(),
        },
    ]
}

pub fn info(
    first: &str,
    last: &str,
    organization: Option<&str>,
    country: &str,
    email: &str,
) -> ContactInfo {
    ContactInfo {
        first_name: first.to_string(),
        last_name: last.to_string(),
        organization: organization.map(str::to_string),
        street: vec!["1 Main Street".to_string()],
        city: "Manchester".to_string(),
        state: None,
        postcode: "M60 0AS".to_string(),
        country: country.to_string(),
        phone: "+44.1612345678".to_string(),
        fax: None,
        email: email.to_string(),
    }
}

pub fn contact(
    handle: &str,
    info: ContactInfo,
    reseller: &str,
    verification: &str,
) -> EscrowContact {
    EscrowContact {
        handle: handle.to_string(),
        info,
        reseller: reseller.to_string(),
        verification: verification.to_string(),
    }
}

pub fn contacts() -> Vec<EscrowContact> {
    let mut awkward = info(
        "Zoë",
        "O'Brien, Jr.",
        Some("\"Quoted\" Co-operative, Ltd."),
        "IE",
        "zoe@example.ie",
    );
    awkward.street = vec![
        "Unit 4,\r\nBlock \"B\"".to_string(),
        "#2 Harbour Road".to_string(),
        "Line\nthree".to_string(),
    ];
    awkward.state = Some("Co. Dublin".to_string());
    awkward.fax = Some("+353.11234567".to_string());
    vec![
        contact(
            "C-ADMIN",
            info("Ada", "Admin", None, "GB", "ada@example.coop"),
            "R-1",
            "unverified",
        ),
        contact("C-AWKWARD", awkward, "R-2", "verified"),
        contact(
            "C-CYRL",
            info(
                "Иван",
                "Петров",
                Some("Кооператив «Рассвет»"),
                "RU",
                "ivan@example.ru",
            ),
            "R-3",
            "pending",
        ),
        contact(
            "C-OWNER",
            info(
                "Olga",
                "Owner",
                Some("Owner Co-op"),
                "DE",
                "olga@example.de",
            ),
            "R-1",
            "verified",
        ),
        contact(
            "C-TECH",
            info("Tom", "Tech", None, "US", "tom@example.com"),
            "R-1",
            "rejected",
        ),
    ]
}

pub fn ns(host: &str, addresses: &[&str]) -> Nameserver {
    Nameserver {
        host: host.to_string(),
        addresses: addresses.iter().map(|a| a.to_string()).collect(),
    }
}

pub fn domain(
    ascii: &str,
    unicode: &str,
    language: Option<IdnLanguage>,
    registrant: &str,
) -> EscrowDomain {
    EscrowDomain {
        name: DomainName {
            ascii: ascii.to_string(),
            unicode: unicode.to_string(),
            language,
        },
        roid: format!("{}-COOP", ascii.replace('.', "_").to_uppercase()),
        statuses: vec!["ok".to_string()],
        registrant: registrant.to_string(),
        admin: Some("C-ADMIN".to_string()),
        tech: Some("C-TECH".to_string()),
        billing: None,
        reseller: "R-1".to_string(),
        created: WATERMARK - 400 * DAY,
        expires: WATERMARK + 330 * DAY,
        certification: Some(Certification {
            criterion: Some(EligibilityCriterion::IcaMember),
            at: WATERMARK - 400 * DAY,
            channel: Channel::Reseller("R-1".into()),
            client_ip: None,
        }),
        nameservers: vec![ns("ns1.example.net", &[]), ns("ns2.example.net", &[])],
        ds_records: Vec::new(),
    }
}

/// A certification given through the web form from `ip`.
pub fn web_certification(ip: &str) -> Option<Certification> {
    Some(Certification {
        criterion: Some(EligibilityCriterion::CooperativeUnderLocalLaw),
        at: WATERMARK - 400 * DAY + 17,
        channel: Channel::Web,
        client_ip: Some(ip.into()),
    })
}

pub fn domains() -> Vec<EscrowDomain> {
    let mut glued = domain("glued.coop", "glued.coop", None, "C-OWNER");
    glued.nameservers = vec![
        ns("ns2.glued.coop", &["192.0.2.2", "2001:db8::2"]),
        ns("ns1.glued.coop", &["192.0.2.1"]),
    ];
    glued.statuses = vec!["clientTransferProhibited".into(), "serverHold".into()];
    glued.billing = Some("C-OWNER".into());
    glued.certification = web_certification("2001:db8::7");
    glued.ds_records = vec![
        coopreg_shared::dns::parse_ds(&format!("2371 13 2 {}", "0a".repeat(32))).unwrap(),
        coopreg_shared::dns::parse_ds(&format!("2371 13 4 {}", "0b".repeat(48))).unwrap(),
    ];
    let mut bare = domain("no-ns.coop", "no-ns.coop", None, "C-AWKWARD");
    bare.nameservers = Vec::new();
    bare.statuses = vec!["pendingCreate".into()];
    bare.admin = None;
    bare.tech = None;
    bare.reseller = "R-2".into();
    // Registered before certifications were kept; and one a reseller gave without criterion.
    bare.certification = None;
    let mut cafe = domain(
        "xn--caf-dma.coop",
        "café.coop",
        Some(IdnLanguage::French),
        "C-OWNER",
    );
    cafe.certification = web_certification("203.0.113.9");
    let mut cyrillic = domain(
        "xn--80aehnhyaikv.coop",
        "кооператив.coop",
        Some(IdnLanguage::Cyrillic),
        "C-CYRL",
    );
    if let Some(certification) = cyrillic.certification.as_mut() {
        certification.criterion = None;
        certification.channel = Channel::Reseller("R-3".into());
    }
    vec![
        domain("awkward.coop", "awkward.coop", None, "C-AWKWARD"),
        glued,
        bare,
        domain("owner-two.coop", "owner-two.coop", None, "C-OWNER"),
        cyrillic,
        cafe,
    ]
}
