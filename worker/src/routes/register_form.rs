//! `POST /register`: the registration form without JavaScript. Translates the plain form
//! fields (contract at the top of `web-ui/static/index.html`) into the order JSON and takes
//! the same path as `POST /api/v1/orders`; success redirects to the order page, problems are
//! listed on a page with the field each concerns; over a limit, a page says so in words (429).

use coopreg_shared::limits::{Burst, OverLimit};
use coopreg_shared::Problems;
use serde_json::{json, Map, Value};
use worker::{Context, Env, Request, Response, Result};

use crate::pages::{escape, page};

const ROLES: [&str; 4] = ["owner", "admin", "tech", "billing"];
const CONTACT_FIELDS: [&str; 10] = [
    "first_name",
    "last_name",
    "organization",
    "city",
    "state",
    "postcode",
    "country",
    "phone",
    "fax",
    "email",
];

fn contact(get: &dyn Fn(&str) -> String, role: &str) -> Value {
    let mut contact = Map::new();
    for field in CONTACT_FIELDS {
        contact.insert(
            field.to_string(),
            Value::String(get(&format!("{role}_{field}"))),
        );
    }
    let street: Vec<Value> = (1..=3)
        .map(|line| get(&format!("{role}_street{line}")))
        .filter(|line| !line.trim().is_empty())
        .map(Value::String)
        .collect();
    contact.insert("street".to_string(), Value::Array(street));
    Value::Object(contact)
}

/// The order JSON of a plain form submission.
pub fn order_from_form(pairs: &[(String, String)]) -> Value {
    let get = |name: &str| -> String {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_string())
            .unwrap_or_default()
    };
    let mut domain = get("domain");
    if !domain.is_empty() && !domain.contains('.') {
        domain.push_str(".coop");
    }
    let mut contacts = Map::new();
    for role in ROLES {
        let same = role != "owner" && get(&format!("{role}_same")) == "on";
        contacts.insert(
            role.to_string(),
            if same {
                Value::Null
            } else {
                contact(&get, role)
            },
        );
    }
    let nameservers: Vec<Value> = (1..=13)
        .filter_map(|row| {
            let host = get(&format!("ns{row}_host"));
            if host.is_empty() {
                return None;
            }
            let addresses: Vec<Value> = get(&format!("ns{row}_addresses"))
                .split(',')
                .map(str::trim)
                .filter(|address| !address.is_empty())
                .map(|address| Value::String(address.to_string()))
                .collect();
            Some(json!({ "host": host, "addresses": addresses }))
        })
        .collect();
    let language = get("idn_language");
    // A period that is not a number stays a string, so the core reports it precisely.
    let period = get("period");
    let period = period
        .parse::<u64>()
        .map(Value::from)
        .unwrap_or(Value::String(period));
    json!({
        "domain": domain,
        "idn_language": if language.is_empty() { Value::Null } else { Value::String(language) },
        "period": period,
        "contacts": contacts,
        "nameservers": nameservers,
        "eligibility": { "criterion": get("criterion"), "certified": get("certified") == "on" },
        "allocation_token": get("allocation_token"),
        "ds_records": get("ds_records")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>(),
    })
}

pub async fn submit(mut req: Request, env: &Env, ctx: &Context) -> Result<Response> {
    if let Some(over) = crate::limits::burst(env, &req, Burst::Orders).await? {
        return crate::pages::over_limit(&over);
    }
    let body = match super::orders::read_body(&mut req, coopreg_shared::validate::order::MAX_ORDER_BYTES).await? {
        Ok(body) => body,
        Err(_) => return page(413, "Too large", "<section class=\"card\"><h1>The form is too large</h1><p>Please shorten the values and try again.</p></section>"),
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let order = order_from_form(&pairs);
    let json =
        serde_json::to_vec(&order).map_err(|error| worker::Error::RustError(error.to_string()))?;
    let client_ip = crate::limits::client_ip(&req);
    let mut response = super::orders::accept(json, None, client_ip, env, ctx).await?;
    let status = response.status_code();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    if status == 429 {
        // The quota's own words, on a page.
        let problems: Problems = serde_json::from_value(answer).unwrap_or_default();
        let retry_after = response
            .headers()
            .get("retry-after")?
            .and_then(|value| value.parse::<u32>().ok())
            .unwrap_or(crate::limits::BURST_PERIOD);
        return crate::pages::over_limit(&OverLimit {
            problems,
            retry_after,
        });
    }
    if status == 201 || status == 200 {
        let location = answer["status_url"].as_str().unwrap_or("/");
        let mut redirect = Response::empty()?.with_status(303);
        redirect.headers_mut().set("location", location)?;
        return Ok(redirect);
    }
    let items: String = answer["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| {
                    let field = error["field"].as_str().unwrap_or("");
                    let message = error["message"].as_str().unwrap_or("");
                    if field.is_empty() {
                        format!("<li>{}</li>", escape(message))
                    } else {
                        format!(
                            "<li><strong>{}</strong>: {}</li>",
                            escape(field),
                            escape(message)
                        )
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    page(
        status,
        "Please correct the form",
        &format!(
            "<section class=\"card\"><h1>Please correct the form</h1><div class=\"summary\" role=\"alert\"><ul>{items}</ul></div>\
             <p><a href=\"/\">Back to the form</a> (or use your browser's Back button, which in most browsers keeps what you typed).</p></section>"
        ),
    )
}
