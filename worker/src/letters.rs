//! The text of every e-mail, from the core's `Email` effects. One function per kind; the
//! links are built here from `PUBLIC_ORIGIN` and the effect's plain token (which exists
//! only in the effect and in the e-mail itself).

use coopreg_shared::lifecycle::{Email, EmailKind};
use coopreg_shared::validate::EligibilityCriterion;

use crate::mail::Letter;
use crate::pages::escape;

/// Formats a timestamp for people: `26 November 2026, 14:05 UTC`.
pub fn human_time(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|at| at.format("%-d %B %Y, %H:%M UTC").to_string())
        .unwrap_or_else(|| "an unknown time".to_string())
}

/// What a letter says, before it is laid out as text and HTML.
struct Content {
    subject: String,
    paragraphs: Vec<String>,
    /// (label, url) buttons/links.
    links: Vec<(String, String)>,
    list_criteria: bool,
}

pub fn letter(origin: &str, email: &Email) -> Letter {
    let names: Vec<String> = email
        .domains
        .iter()
        .map(|name| {
            if name.unicode == name.ascii {
                name.ascii.clone()
            } else {
                format!("{} ({})", name.unicode, name.ascii)
            }
        })
        .collect();
    let names_text = if names.is_empty() {
        "your .coop registrations".to_string()
    } else {
        names.join(", ")
    };
    let verify_link = email
        .token
        .as_ref()
        .map(|token| format!("{origin}/verify/{token}"));
    let expires = email.expires_at.map(human_time).unwrap_or_default();
    let content = match &email.kind {
        EmailKind::Verification | EmailKind::NewLink => Content {
            subject: format!("Verify your .coop registration: {names_text}"),
            paragraphs: vec![
                format!("We received a registration of {names_text} naming you (contact {}) as the registrant.", email.contact),
                ".coop names are for co-operatives. Please confirm that your organisation meets at least one of the eligibility criteria below, or decline if this registration was not made by you or your organisation does not qualify.".to_string(),
                format!("Open the link to see the details and answer. It works once and expires on {expires}."),
                "Without an answer we remind you after 7 days; after 15 days the domain is put on hold until you confirm.".to_string(),
            ],
            links: verify_link.iter().map(|link| ("Review and confirm".to_string(), link.clone())).collect(),
            list_criteria: true,
        },
        EmailKind::Reminder => Content {
            subject: format!("Reminder: verify your .coop registration: {names_text}"),
            paragraphs: vec![
                format!("The registration of {names_text} is still waiting for your confirmation."),
                format!("The link we sent you earlier works until {expires}. After that the domain is put on hold; you can then ask for a new link on the order page."),
            ],
            links: vec![],
            list_criteria: false,
        },
        EmailKind::TimeoutHeld => Content {
            subject: format!("Your .coop domain is on hold: {names_text}"),
            paragraphs: {
                let mut paragraphs = vec![
                    format!("We did not receive your confirmation within 15 days, so {names_text} is now on hold (not published in the DNS)."),
                    "To lift the hold, request a new link on your order page (or ask your reseller) and confirm. The old link no longer works.".to_string(),
                ];
                if let Some(at) = email.delete_at {
                    paragraphs.push(format!("Unless it is confirmed first, the registration will be deleted on {} and the name becomes free for others.", human_time(at)));
                }
                paragraphs
            },
            links: vec![],
            list_criteria: false,
        },
        EmailKind::ApprovalRequest => Content {
            subject: format!("Approve this new registration: {names_text}"),
            paragraphs: vec![
                format!("Someone asked to register {names_text} in the name of your organisation (contact {}), which is already verified for .coop.", email.contact),
                "Nobody gets a domain in your organisation's name without your approval. If you or a colleague placed this order, approve it; if not, decline it and the name is released at once.".to_string(),
                format!("Open the link to see the details and answer. It works once and expires on {expires}; earlier links for this registration no longer work."),
                "Without an answer we remind you after 7 days; after 15 days the domain is put on hold, and it is deleted 45 days after the order unless approved.".to_string(),
            ],
            links: email
                .token
                .iter()
                .map(|token| ("Review and approve or decline".to_string(), format!("{origin}/approve/{token}")))
                .collect(),
            list_criteria: false,
        },
        EmailKind::ApprovalReminder => Content {
            subject: format!("Reminder: approve this new registration: {names_text}"),
            paragraphs: vec![
                format!("The registration of {names_text} in your organisation's name is still waiting for your approval."),
                format!("The link we sent you earlier works until {expires}. After that the domain is put on hold; you can then ask for a new link on the order page."),
            ],
            links: vec![],
            list_criteria: false,
        },
        EmailKind::ApprovalDeclined => Content {
            subject: format!("Declined: {names_text} was not registered"),
            paragraphs: vec![
                format!("You declined the registration of {names_text}. It was deleted and the name is free again."),
                "Your organisation's other .coop domains and its verification are unchanged.".to_string(),
            ],
            links: vec![],
            list_criteria: false,
        },
        EmailKind::Confirmed => Content {
            subject: format!("Confirmed: {names_text} is active"),
            paragraphs: vec![
                format!("Thank you. Your organisation is verified and {names_text} is now active."),
                "Future registrations with the same registrant details need no new verification.".to_string(),
            ],
            links: vec![],
            list_criteria: false,
        },
        EmailKind::Declined => Content {
            subject: format!("Declined: {names_text} is on hold"),
            paragraphs: vec![
                format!("You declined the registration of {names_text}. The domain is on hold and will not be published."),
                "If this was a mistake, contact your reseller or the registry.".to_string(),
            ],
            links: vec![],
            list_criteria: false,
        },
        EmailKind::Rejected => Content {
            subject: format!("Not eligible: {names_text} is on hold"),
            paragraphs: vec![
                format!("The .coop registry found the registrant not eligible. {names_text} is on hold."),
                match email.delete_at {
                    Some(at) => format!("Unless the registry releases it, it will be deleted on {}.", human_time(at)),
                    None => "Contact the registry if you believe this is wrong.".to_string(),
                },
            ],
            links: vec![],
            list_criteria: false,
        },
        EmailKind::TransferRequested { gaining_reseller } => Content {
            subject: format!("Transfer requested: {names_text}"),
            paragraphs: vec![
                format!("Reseller {gaining_reseller} asked to transfer {names_text} to its management."),
                format!("If you agree, you need do nothing: the transfer completes on {expires}. To approve now or to deny it, open the link."),
            ],
            links: email
                .token
                .iter()
                .map(|token| ("Approve or deny the transfer".to_string(), format!("{origin}/transfer/{token}")))
                .collect(),
            list_criteria: false,
        },
    };
    render(&email.to, content)
}

fn render(to: &str, content: Content) -> Letter {
    let mut text = String::new();
    let mut html = String::from(
        "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5;max-width:40em\">",
    );
    for paragraph in &content.paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    for (label, url) in &content.links {
        text.push_str(&format!("{label}:\n{url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{0}\">{1}</a></p><p style=\"font-size:small\">{0}</p>",
            escape(url),
            escape(label)
        ));
    }
    if content.list_criteria {
        text.push_str("The .coop eligibility criteria (at least one must apply):\n");
        html.push_str("<p>The .coop eligibility criteria (at least one must apply):</p><ul>");
        for criterion in EligibilityCriterion::ALL {
            text.push_str(&format!("- {}\n", criterion.text()));
            html.push_str(&format!("<li>{}</li>", escape(criterion.text())));
        }
        text.push('\n');
        html.push_str("</ul>");
    }
    text.push_str("-- \nThe .coop registry\n");
    html.push_str("<p>— The .coop registry</p></body></html>");
    Letter {
        to: to.to_string(),
        subject: content.subject,
        text,
        html,
    }
}
