//! The creditor's web app: signing in with a mailed link, sessions and CSRF tokens, one creditor's pages
//! closed to another, and (in `browser`) the pages walked in a real Chromium.

mod browser;
mod connections;
mod every_page;
mod groups;
mod letter;
mod notes;
mod pseudo;
mod reports;
mod roles;
mod sign_in_with;
mod templates;
mod worklist;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use duly_core::model::ids::{CreditorId, InvoiceId};
use duly_local::fixtures::{facts, nordwind};
use duly_local::moto::sent_emails;
use duly_local::web::web_app;
use duly_local::webhook_event::{function_url_event, to_request};
use duly_local::{at, Local};

const T: &str = "2026-11-16T09:00:00Z";
const NOW: &str = "2026-11-20T10:00:00Z";

/// A customer in the Wholesale group with an invoice due on 1 December, and that group in Duly.
async fn seed(local: &Local, email: &str) {
    local
        .deliver(
            "c1",
            &facts::contact_in_groups("cus-1", email, None, &["Wholesale"], T),
            at(T),
        )
        .await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    let group = json!({"enabled": true, "platform_groups": ["Wholesale"]});
    let (status, reply) = local.api("PUT", "/v1/groups/wholesale", Some(group), None, at(T)).await;
    assert_eq!(status, 200, "{reply}");
}

struct Answer {
    status: u16,
    body: String,
    location: Option<String>,
    cookie: Option<String>,
    /// A file's bytes (a PDF) and its headers.
    bytes: Vec<u8>,
    content_type: Option<String>,
    disposition: Option<String>,
}

async fn call(
    app: &duly_web::App,
    method: &str,
    path: &str,
    form: &str,
    cookie: Option<&str>,
    now: DateTime<Utc>,
) -> Answer {
    call_with(app, method, path, form, cookie, &[], now).await
}

/// As [`call`], with more request headers (a browser's `Origin`, `Sec-Fetch-Site`…).
async fn call_with(
    app: &duly_web::App,
    method: &str,
    path: &str,
    form: &str,
    cookie: Option<&str>,
    extra: &[(&str, &str)],
    now: DateTime<Utc>,
) -> Answer {
    let mut headers = vec![("content-type", "application/x-www-form-urlencoded".to_string())];
    headers.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut event = function_url_event(method, path, &headers, form, now.timestamp());
    if !query.is_empty() {
        event["rawQueryString"] = json!(query);
        event["queryStringParameters"] = json!(form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect::<std::collections::HashMap<String, String>>());
    }
    if let Some(cookie) = cookie {
        event["cookies"] = json!([cookie]);
    }
    let response = duly_web::handle(app, to_request(&event), now).await;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    Answer {
        status: response.status().as_u16(),
        location: header("location"),
        cookie: header("set-cookie").and_then(|c| c.split(';').next().map(str::to_string)),
        content_type: header("content-type"),
        disposition: header("content-disposition"),
        bytes: match response.body() {
            lambda_http::Body::Binary(b) => b.clone(),
            _ => Vec::new(),
        },
        body: match response.body() {
            lambda_http::Body::Text(t) => t.clone(),
            _ => String::new(),
        },
    }
}

/// The sign-in link the last mail to `to` carries (its path).
async fn link_mailed_to(to: &str) -> Option<String> {
    sent_emails()
        .await
        .into_iter()
        .rev()
        .find(|m| m.destinations.to == [to])
        .and_then(|m| {
            // The HTML part escapes every `/`.
            let body = m.body.replace("&#x2f;", "/");
            let at = body.find("/app/sign-in/")?;
            Some(body[at..at + "/app/sign-in/".len() + 64].to_string())
        })
}

/// Signs `email` in through the handler; the session cookie.
async fn sign_in(app: &duly_web::App, email: &str, now: DateTime<Utc>) -> String {
    let asked = call(app, "POST", "/app/sign-in", &format!("email={email}"), None, now).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let link = link_mailed_to(email).await.expect("a sign-in link was mailed");
    // In the browser that asked for the link, which holds its pre-session cookie.
    let done = call(app, "POST", &link, "", asked.cookie.as_deref(), now).await;
    assert_eq!(
        (done.status, done.location.as_deref()),
        (303, Some("/app/today")),
        "{}",
        done.body
    );
    done.cookie.expect("a session cookie")
}

/// Another creditor, "intruder", with one member: that creditor and the member's address.
async fn intruder_member(local: &Local) -> (CreditorId, String) {
    let intruder = CreditorId::parse("intruder").unwrap();
    local
        .store
        .put_creditor(&duly_local::fixtures::creditor("intruder"))
        .await
        .unwrap();
    let elsewhere = format!("boss-{}@intruder.example", local.store.table());
    assert!(local.store.put_member(&intruder, &elsewhere).await.unwrap());
    (intruder, elsewhere)
}

/// A member of another creditor, "intruder", signed in: that creditor and the session cookie.
async fn intruder_signed_in(local: &Local, app: &duly_web::App, now: DateTime<Utc>) -> (CreditorId, String) {
    let (intruder, elsewhere) = intruder_member(local).await;
    (intruder, sign_in(app, &elsewhere, now).await)
}

fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form with its CSRF token") + 19;
    page[at..at + 64].to_string()
}

/// A page's form as a browser would post it, from the page's own fields: inputs (checkboxes only when
/// ticked) and each select's chosen option.
fn form_fields(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for input in page.split("<input ").skip(1) {
        let attr = |name: &str| {
            input
                .split_once(&format!("{name}=\""))
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(v, _)| v.replace("&#x2f;", "/"))
        };
        let (Some(name), value) = (attr("name"), attr("value")) else {
            continue;
        };
        let checkbox = input.starts_with("type=\"checkbox\"");
        if checkbox && !input.contains(" checked") {
            continue;
        }
        out.push((
            name,
            if checkbox {
                "on".into()
            } else {
                value.unwrap_or_default()
            },
        ));
    }
    for select in page.split("<select name=\"").skip(1) {
        let (name, rest) = select.split_once('"').unwrap();
        let chosen = rest
            .split("<option value=\"")
            .skip(1)
            .find(|o| o.contains("\" selected>"))
            .or_else(|| rest.split("<option value=\"").nth(1))
            .and_then(|o| o.split_once('"'))
            .map(|(v, _)| v.to_string())
            .unwrap_or_default();
        out.push((name.to_string(), chosen));
    }
    out
}

/// Fields as a form body.
fn form_body(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A form another site posts is refused before any page reads it: signed out it would sign a visitor
/// into someone else's account (login CSRF), signed in it would act for them. Signed in, every POST needs
/// the session's CSRF token, checked once by the router, even on a path no page serves.
#[tokio::test]
async fn posts_from_other_sites_or_without_the_sessions_token_are_refused_by_the_router() {
    let local = Local::new("web-router-csrf").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);

    let cross_site = [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")];
    let asked = call_with(
        &app,
        "POST",
        "/app/sign-in",
        &format!("email={email}"),
        None,
        &cross_site,
        now,
    )
    .await;
    assert_eq!(asked.status, 403);
    assert_eq!(link_mailed_to(&email).await, None, "nothing was mailed");
    let same_site = [
        ("origin", "https://app.duly.example"),
        ("sec-fetch-site", "same-origin"),
    ];
    let asked = call_with(
        &app,
        "POST",
        "/app/sign-in",
        &format!("email={email}"),
        None,
        &same_site,
        now,
    )
    .await;
    assert_eq!(asked.status, 200);
    let link = link_mailed_to(&email).await.expect("a sign-in link");
    // The link itself, posted by another site's page (an auto-submitting form), signs nobody in.
    let hijacked = call_with(
        &app,
        "POST",
        &link,
        "",
        None,
        &[("origin", "https://evil.example")],
        now,
    )
    .await;
    assert_eq!((hijacked.status, hijacked.cookie), (403, None));

    let cookie = sign_in(&app, &email, now).await;
    for path in [
        "/app/nowhere",
        "/app/tokens",
        "/app/team",
        "/app/groups/Trade",
        "/app/sign-out",
    ] {
        let refused = call(
            &app,
            "POST",
            path,
            "action=create&label=x&email=x%40y.example",
            Some(&cookie),
            now,
        )
        .await;
        assert_eq!(refused.status, 403, "{path}");
    }
    let page = call(&app, "GET", "/app/today", "", Some(&cookie), now).await;
    let csrf = csrf_of(&page.body);
    let out = call_with(
        &app,
        "POST",
        "/app/sign-out",
        &format!("csrf={csrf}"),
        Some(&cookie),
        &same_site,
        now,
    )
    .await;
    assert_eq!(out.status, 303, "{}", out.body);
}

#[tokio::test]
async fn a_member_signs_in_once_per_link_and_every_form_needs_the_sessions_token() {
    let local = Local::new("web-sign-in").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);

    let away = call(&app, "GET", "/app/today", "", None, now).await;
    assert_eq!((away.status, away.location.as_deref()), (303, Some("/app/sign-in")));

    // A stranger gets the same answer, and no mail.
    let stranger = format!("who-{}@elsewhere.example", local.store.table());
    let asked = call(&app, "POST", "/app/sign-in", &format!("email={stranger}"), None, now).await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains(&stranger));
    assert_eq!(link_mailed_to(&stranger).await, None);
    let bad = call(&app, "POST", "/app/sign-in", "email=not-an-address", None, now).await;
    assert_eq!(bad.status, 422);

    // The member's link: opening it uses nothing up; pressing the button does, once.
    let asked = call(&app, "POST", "/app/sign-in", &format!("email={email}"), None, now).await;
    let browser = asked.cookie.expect("the asking browser's pre-session cookie");
    assert!(browser.starts_with("__Host-duly_pre="), "{browser}");
    let link = link_mailed_to(&email).await.expect("mailed");
    assert!(sent_emails().await.iter().any(|m| m
        .body
        .replace("&#x2f;", "/")
        .contains(&format!("<a href=\"https://app.duly.example{link}\">"))));
    let page = call(&app, "GET", &link, "", Some(&browser), now).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&email), "says whose account it opens: {}", page.body);
    assert!(
        !page.body.contains("name=\"confirm\""),
        "no question in the browser that asked"
    );
    // Another browser (a link slipped into a visitor's, say) is shown whose account it is and must tick a
    // box; posting without it uses nothing up.
    let elsewhere = call(&app, "GET", &link, "", None, now).await;
    assert!(elsewhere.body.contains("name=\"confirm\""), "{}", elsewhere.body);
    assert_eq!(call(&app, "POST", &link, "", None, now).await.status, 409);
    let done = call(&app, "POST", &link, "", Some(&browser), now).await;
    assert_eq!(done.status, 303);
    let cookie = done.cookie.clone().unwrap();
    assert!(cookie.starts_with("__Host-duly_session="));
    let raw = call(&app, "GET", &link, "", None, now).await;
    assert_eq!(raw.status, 400, "a used link's page says it is gone");
    assert_eq!(
        call(&app, "POST", &link, "confirm=yes", None, now).await.status,
        400,
        "used up"
    );

    // A link not used within 15 minutes is gone.
    let asked = call(&app, "POST", "/app/sign-in", &format!("email={email}"), None, now).await;
    let late = link_mailed_to(&email).await.unwrap();
    assert_eq!(
        call(
            &app,
            "POST",
            &late,
            "",
            asked.cookie.as_deref(),
            now + Duration::minutes(16)
        )
        .await
        .status,
        400
    );
    // Opened elsewhere and confirmed, a link signs in: the visitor said they asked for it.
    call(&app, "POST", "/app/sign-in", &format!("email={email}"), None, now).await;
    let confirmed = link_mailed_to(&email).await.unwrap();
    assert_eq!(
        call(&app, "POST", &confirmed, "confirm=yes", None, now).await.status,
        303
    );

    // Signed in, in the creditor's language (Estonian).
    let today = call(&app, "GET", "/app/today", "", Some(&cookie), now).await;
    assert_eq!(today.status, 200, "{}", today.body);
    assert!(today.body.contains("<h1>Täna</h1>"), "{}", today.body);
    let groups = call(&app, "GET", "/app/groups", "", Some(&cookie), now).await;
    let csrf = csrf_of(&groups.body);

    // A form without the session's token changes nothing.
    let forged = call(&app, "POST", "/app/groups/wholesale", "enabled=off", Some(&cookie), now).await;
    assert_eq!(forged.status, 403);
    let wrong = call(
        &app,
        "POST",
        "/app/groups/wholesale",
        &format!("enabled=off&csrf={}", "0".repeat(64)),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(wrong.status, 403);
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(c.groups["wholesale"].enabled);
    let switched = call(
        &app,
        "POST",
        "/app/groups/wholesale",
        &format!("enabled=off&csrf={csrf}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        (switched.status, switched.location.as_deref()),
        (303, Some("/app/groups"))
    );
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(!c.groups["wholesale"].enabled);

    // The group's monthly statement: on the third business day; a day the rules refuse changes nothing.
    let statement = |form: String| {
        let (app, cookie) = (&app, &cookie);
        async move { call(app, "POST", "/app/groups/wholesale/statement", &form, Some(cookie), now).await }
    };
    assert_eq!(statement("business_day=3".into()).await.status, 403);
    assert_eq!(statement(format!("business_day=3&csrf={csrf}")).await.status, 303);
    assert_eq!(statement(format!("business_day=11&csrf={csrf}")).await.status, 422);
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(c.groups["wholesale"].statement.map(|s| s.business_day), Some(3));
    let page = call(&app, "GET", "/app/groups", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("<option value=\"3\" selected>3</option>"),
        "{}",
        page.body
    );

    // Signed out, the cookie opens nothing.
    let out = call(
        &app,
        "POST",
        "/app/sign-out",
        &format!("csrf={csrf}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!((out.status, out.location.as_deref()), (303, Some("/app/sign-in")));
    assert_eq!(
        call(&app, "GET", "/app/today", "", Some(&cookie), now).await.status,
        303
    );
    // And after twelve hours a session ends by itself.
    let later = sign_in(&app, &email, now).await;
    assert_eq!(
        call(&app, "GET", "/app/today", "", Some(&later), now + Duration::hours(12))
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn a_member_invites_a_colleague_and_a_removed_one_is_out_at_once() {
    let local = Local::new("web-team").await;
    let owner = format!("owner-{}@nordwind.example", local.store.table());
    let colleague = format!("mari-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &owner).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &owner, now).await;
    let page = call(&app, "GET", "/app/team", "", Some(&cookie), now).await;
    assert!(page.body.contains(&owner));
    let csrf = csrf_of(&page.body);

    let invited = call(
        &app,
        "POST",
        "/app/team",
        &format!("csrf={csrf}&email={}", colleague.to_uppercase()),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    assert!(invited.body.contains(&colleague), "says where the invitation went");
    let mail = sent_emails()
        .await
        .into_iter()
        .rev()
        .find(|m| m.destinations.to == [colleague.clone()])
        .expect("invited by e-mail");
    assert!(
        !mail.subject.contains("Nordwind"),
        "no tenant text in a subject: {}",
        mail.subject
    );
    assert!(
        mail.body.contains(&owner) && mail.body.contains("Nordwind Tools OÜ"),
        "who invited to what"
    );
    // Invited is not a member: no sign-in link, no session, until the invitation is accepted.
    assert_eq!(local.store.member(&colleague).await.unwrap(), None);
    call(&app, "POST", "/app/sign-in", &format!("email={colleague}"), None, now).await;
    assert_eq!(link_mailed_to(&colleague).await, None);
    let body = mail.body.replace("&#x2f;", "/");
    let at_link = body.find("/app/invitation/").expect("an invitation link");
    let invitation = body[at_link..at_link + "/app/invitation/".len() + 64].to_string();
    let shown = call(&app, "GET", &invitation, "", None, now).await;
    assert!(
        shown.body.contains(&owner) && shown.body.contains("Nordwind Tools OÜ") && shown.body.contains(&colleague),
        "the page names the inviter, the company and the address: {}",
        shown.body
    );
    assert_eq!(
        local.store.member(&colleague).await.unwrap(),
        None,
        "opening it changes nothing"
    );
    let accepted = call(&app, "POST", &invitation, "", None, now).await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let theirs = accepted.cookie.expect("signed in on accepting");
    assert_eq!(
        call(&app, "GET", "/app/today", "", Some(&theirs), now).await.status,
        200
    );
    assert_eq!(call(&app, "POST", &invitation, "", None, now).await.status, 400, "once");
    // The owner hears of the new member.
    let told = sent_emails()
        .await
        .into_iter()
        .rev()
        .find(|m| m.destinations.to == [owner.clone()] && m.body.contains(&colleague))
        .expect("the other members are told");
    assert!(told.body.contains("/app/team") || told.body.contains("&#x2f;app&#x2f;team"));

    // An address of another creditor is not taken over.
    let intruder = CreditorId::parse("intruder").unwrap();
    let elsewhere = format!("boss-{}@intruder.example", local.store.table());
    assert!(local.store.put_member(&intruder, &elsewhere).await.unwrap());
    let taken = call(
        &app,
        "POST",
        "/app/team",
        &format!("csrf={csrf}&email={elsewhere}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(taken.status, 409);
    assert_eq!(local.store.member(&elsewhere).await.unwrap(), Some(intruder));

    let removed = call(
        &app,
        "POST",
        "/app/team/remove",
        &format!("csrf={csrf}&email={colleague}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(removed.status, 303);
    assert_eq!(
        call(&app, "GET", "/app/today", "", Some(&theirs), now).await.status,
        303,
        "a removed colleague's session ends at once"
    );
    let not_ours = call(
        &app,
        "POST",
        "/app/team/remove",
        &format!("csrf={csrf}&email={elsewhere}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(not_ours.status, 404);
    assert_eq!(local.store.members(&nordwind()).await.unwrap(), [owner]);
}

#[tokio::test]
async fn a_customer_is_written_to_in_the_language_and_zone_set_on_their_page() {
    let local = Local::new("web-place").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    assert!(
        page.body.replace("&#x2f;", "/").contains("inglise · Eesti · Tallinn"),
        "{}",
        page.body
    );
    let csrf = csrf_of(&page.body);
    let bad = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=place&language=pl&time_zone=Mars/Base"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(bad.status, 422);
    let set = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=place&language=pl&country=pl&time_zone=Europe%2FWarsaw"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    assert!(page.body.contains("poola · Poola · Warsaw"), "{}", page.body);
    let debtor = local
        .store
        .get_debtor(&nordwind(), &duly_core::model::ids::DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.controls.place.time_zone, Some(chrono_tz::Europe::Warsaw));
    assert!(
        page.body.contains("<option value=\"PL\" selected>Poola</option>"),
        "countries are picked by name: {}",
        page.body
    );
    // A country not in the list is typed as its code.
    let other = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=place&language=pl&country=PL&country_other=se&time_zone=Europe%2FWarsaw"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(other.status, 303, "{}", other.body);
    let moved = local
        .store
        .get_debtor(&nordwind(), &duly_core::model::ids::DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.controls.place.country.as_deref(), Some("SE"));
    let bad_date = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=pause&until=tomorrow"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(bad_date.status, 422);
}

#[tokio::test]
async fn the_schedule_editor_saves_through_the_policy_rules_and_names_the_wrong_field() {
    let local = Local::new("web-schedule").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/schedule", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200);
    // The rules of the debtors' countries, in the creditor's language, each with its source.
    for shown in [
        "Läti",
        "tarbijal on esimesest teatest 21 päeva vastuväite esitamiseks",
        "href=\"https:&#x2f;&#x2f;likumi.lv&#x2f;ta&#x2f;id&#x2f;253086-paradu-arpustiesas-atgusanas-likums\"",
        "Bulgaaria",
        "enne ametlikku maksenõuet kõige rohkem 2 kirjalikku meeldetuletust",
        "tavapärane praktika",
    ] {
        assert!(page.body.contains(shown), "{shown} is not on the schedule page");
    }
    let csrf = csrf_of(&page.body);
    let mut form = form_fields(&page.body);
    assert!(form.iter().any(|(k, v)| k == "csrf" && *v == csrf));
    for (k, v) in &mut form {
        if k == "step_1_days" {
            *v = "400".into();
        }
    }
    let refused = call(&app, "POST", "/app/schedule", &form_body(&form), Some(&cookie), now).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("Samm 2:")
            && !refused.body.contains("steps[1]")
            && refused.body.contains("fieldset class=\"step wrong\""),
        "{}",
        refused.body
    );
    let before = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().policy;
    assert_eq!(before.steps[1].offset.days(), 1, "nothing saved");

    for (k, v) in &mut form {
        match k.as_str() {
            "step_1_days" => *v = "2".into(),
            "step_1_name" => *v = "Teine meeldetuletus".into(),
            "max_per_week" => *v = "2".into(),
            _ => {}
        }
    }
    let saved = call(&app, "POST", "/app/schedule", &form_body(&form), Some(&cookie), now).await;
    assert_eq!(
        (saved.status, saved.location.as_deref()),
        (303, Some("/app/schedule?saved=1")),
        "{}",
        saved.body
    );
    let policy = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().policy;
    assert_eq!((policy.steps[1].offset.days(), policy.max_per_week), (2, 2));
    assert_eq!(
        policy.steps[1].name.as_deref(),
        Some("Teine meeldetuletus"),
        "the creditor's own name"
    );
    assert_eq!(policy.steps.len(), before.steps.len(), "the spare rows added nothing");
    let plan = local.api("GET", "/v1/invoices/1001/plan", None, None, now).await.1;
    assert!(
        plan.to_string().contains("2 tööpäeva pärast maksetähtaega"),
        "replanned: {plan}"
    );

    // A step's own words: reached from its place on the timeline, refused with the reason in the
    // member's language, used by the e-mail, and kept when the schedule is saved again.
    let page = call(&app, "GET", "/app/schedule?saved=1", "", Some(&cookie), now).await;
    assert!(page.body.contains("role=\"status\""), "saying it was saved");
    assert!(
        page.body
            .contains("<strong>Teine meeldetuletus</strong> · 2 tööpäeva pärast maksetähtaega"),
        "the timeline names the step as the creditor does: {}",
        page.body
    );
    assert!(
        page.body
            .contains("<input type=\"hidden\" name=\"step_2_id\" value=\"after-7\">"),
        "ids are the form's own"
    );
    assert!(
        page.body.contains("href=\"/app/schedule/words?step=after-7\""),
        "{}",
        page.body
    );
    let words = call(&app, "GET", "/app/schedule/words?step=after-7", "", Some(&cookie), now).await;
    assert_eq!(words.status, 200, "{}", words.body);
    assert!(
        words.body.contains("7 tööpäeva pärast maksetähtaega"),
        "the step by when it goes: {}",
        words.body
    );
    let own = "Tere {name}! {what} ootab tasumist juba {days} päeva. {creditor}";
    let wrong = call(
        &app,
        "POST",
        "/app/schedule/words",
        &format!("csrf={csrf}&step=after-7&language=et&action=save&text=Tere+%7Bnmae%7D"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("{nmae} ei ole kohatäide"), "{}", wrong.body);
    let kept =
        |policy: &duly_core::policy::Policy| policy.steps.iter().find(|s| s.id == "after-7").unwrap().wording.clone();
    assert!(kept(&local.store.get_creditor(&nordwind()).await.unwrap().unwrap().policy).is_empty());
    let text: String = form_urlencoded::byte_serialize(own.as_bytes()).collect();
    let saved = call(
        &app,
        "POST",
        "/app/schedule/words",
        &format!("csrf={csrf}&step=after-7&language=et&action=save&text={text}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/app/schedule/words?step=after-7&language=et&saved=1")
    );
    let email = call(
        &app,
        "GET",
        "/app/preview/email?language=et&step=after-7",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert!(
        email.body.contains("Tere Sample Customer OÜ! 2 tasumata arvet, kokku 1570,00\u{a0}€ ootab tasumist juba 7 päeva. Nordwind Tools OÜ"),
        "{}",
        email.body
    );
    let page = call(&app, "GET", "/app/schedule", "", Some(&cookie), now).await;
    let again = call(
        &app,
        "POST",
        "/app/schedule",
        &form_body(&form_fields(&page.body)),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(again.status, 303, "{}", again.body);
    let policy = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().policy;
    assert_eq!(
        kept(&policy).get("et").map(String::as_str),
        Some(own),
        "the schedule's form keeps the words"
    );
    let reset = call(
        &app,
        "POST",
        "/app/schedule/words",
        &format!("csrf={csrf}&step=after-7&language=et&action=reset"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(reset.status, 303);
    assert!(kept(&local.store.get_creditor(&nordwind()).await.unwrap().unwrap().policy).is_empty());

    // A group's schedule on the same page: its steps alone, saved for the group, the company's untouched,
    // and back to the company's with one button.
    let page = call(&app, "GET", "/app/schedule?group=wholesale", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("aria-current=\"page\">wholesale</a>"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"window_start\""),
        "the sending hours stay the company's"
    );
    let mut form = form_fields(&page.body);
    for (k, v) in &mut form {
        if k == "step_1_days" {
            *v = "3".into();
        }
    }
    let saved = call(&app, "POST", "/app/schedule", &form_body(&form), Some(&cookie), now).await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/app/schedule?group=wholesale&saved=1"),
        "{}",
        saved.body
    );
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    let own = c.groups["wholesale"].steps.as_ref().expect("the group's own steps");
    assert_eq!((own[1].offset.days(), c.policy.steps[1].offset.days()), (3, 2));
    let plan = local.api("GET", "/v1/invoices/1001/plan", None, None, now).await.1;
    assert!(
        plan.to_string().contains("3 tööpäeva pärast maksetähtaega"),
        "Tamm is in the group: {plan}"
    );
    let page = call(
        &app,
        "GET",
        "/app/schedule?group=wholesale&saved=1",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert!(
        page.body
            .contains("href=\"/app/schedule/words?step=after-7&amp;group=wholesale\""),
        "the group's own steps have their own words: {}",
        page.body
    );
    let group_words = call(
        &app,
        "POST",
        "/app/schedule/words",
        &format!(
            "csrf={csrf}&step=after-7&group=wholesale&language=et&action=save&text=Hulgim%C3%BC%C3%BCk%3A+%7Bwhat%7D"
        ),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        group_words.location.as_deref(),
        Some("/app/schedule/words?step=after-7&group=wholesale&language=et&saved=1")
    );
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    let theirs = c.groups["wholesale"]
        .steps
        .as_ref()
        .unwrap()
        .iter()
        .find(|s| s.id == "after-7")
        .unwrap();
    assert_eq!(theirs.wording.get("et").map(String::as_str), Some("Hulgimüük: {what}"));
    assert!(kept(&c.policy).is_empty(), "the company's step keeps Duly's words");
    let inherit = format!("csrf={csrf}&group=wholesale&action=inherit");
    assert!(page.body.contains("value=\"inherit\""), "{}", page.body);
    let back = call(&app, "POST", "/app/schedule", &inherit, Some(&cookie), now).await;
    assert_eq!(back.status, 303);
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(c.groups["wholesale"].steps.is_none());
    assert_eq!(
        call(&app, "GET", "/app/schedule?group=nobody", "", Some(&cookie), now)
            .await
            .status,
        404
    );
}

/// The token a tokens page shows once.
fn shown_token(page: &str) -> String {
    let at = page.find("duly_").expect("a new token on the page");
    page[at..at + 5 + 64].to_string()
}

#[tokio::test]
async fn a_token_made_in_the_app_works_once_rotated_only_the_new_one_does() {
    let local = Local::new("web-tokens").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/tokens", "", Some(&cookie), now).await;
    assert!(page.body.contains("demo"), "the fixture's token is listed by name");
    let csrf = csrf_of(&page.body);
    let made = call(
        &app,
        "POST",
        "/app/tokens",
        &format!("csrf={csrf}&action=create&label=Accounting+export"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(made.status, 200);
    let first = shown_token(&made.body);
    assert_eq!(local.api("GET", "/v1/settings", None, Some(&first), now).await.0, 200);
    let listed = call(&app, "GET", "/app/tokens", "", Some(&cookie), now).await;
    assert!(!listed.body.contains(&first), "shown once only");
    let fingerprint = duly_core::model::tokens::fingerprint(&first);
    assert!(listed.body.contains(&fingerprint));

    let rotated = call(
        &app,
        "POST",
        "/app/tokens",
        &format!("csrf={csrf}&action=rotate&fingerprint={fingerprint}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(rotated.status, 200);
    let second = shown_token(&rotated.body);
    assert_ne!(first, second);
    assert!(rotated.body.contains("Accounting export"), "the same name");
    assert_eq!(local.api("GET", "/v1/settings", None, Some(&first), now).await.0, 401);
    assert_eq!(local.api("GET", "/v1/settings", None, Some(&second), now).await.0, 200);

    let second_fp = duly_core::model::tokens::fingerprint(&second);
    let revoked = call(
        &app,
        "POST",
        "/app/tokens",
        &format!("csrf={csrf}&action=revoke&fingerprint={second_fp}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(revoked.status, 303);
    assert_eq!(local.api("GET", "/v1/settings", None, Some(&second), now).await.0, 401);
    // Another creditor's token cannot be revoked from here.
    let theirs = duly_core::model::tokens::issue();
    local
        .store
        .put_token(&CreditorId::parse("intruder").unwrap(), &theirs, "theirs")
        .await
        .unwrap();
    let fp = duly_core::model::tokens::fingerprint(&theirs);
    let refused = call(
        &app,
        "POST",
        "/app/tokens",
        &format!("csrf={csrf}&action=revoke&fingerprint={fp}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(refused.status, 404);
    assert!(local.store.creditor_of_token(&theirs).await.unwrap().is_some());
    let usage = call(&app, "GET", "/app/usage", "", Some(&cookie), now).await;
    assert_eq!(usage.status, 200);
    assert!(
        usage.body.contains("november 2026") && usage.body.contains("oktoober 2026"),
        "{}",
        usage.body
    );
}

#[tokio::test]
async fn customers_who_owe_are_found_by_name_address_or_invoice_number() {
    let local = Local::new("web-customers").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let all = call(&app, "GET", "/app/debtors", "", Some(&cookie), now).await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(all.body.contains("<h1>Kliendid</h1>"), "in the creditor's language");
    assert!(
        all.body.contains("Tamm &amp; Sons OÜ") && all.body.contains("href=\"/app/debtors/cus-1\""),
        "{}",
        all.body
    );
    assert!(all.body.contains("1250,00\u{a0}€"), "what they owe: {}", all.body);
    for query in ["tamm", "AP%40TAMM", "1001", "cus-1"] {
        let found = call(&app, "GET", &format!("/app/debtors?q={query}"), "", Some(&cookie), now).await;
        assert!(found.body.contains("Tamm &amp; Sons OÜ"), "{query}: {}", found.body);
    }
    let none = call(&app, "GET", "/app/debtors?q=nobody", "", Some(&cookie), now).await;
    assert!(
        !none.body.contains("Tamm") && none.body.contains("value=\"nobody\""),
        "{}",
        none.body
    );
}

#[tokio::test]
async fn the_branding_page_saves_through_the_branding_rules_and_starts_the_domains_verification() {
    let local = Local::new("web-branding").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/branding", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nordwind Tools OÜ"), "{}", page.body);
    let csrf = csrf_of(&page.body);
    let domain = format!("{}.example", local.store.table());
    let form = |colour: &str| {
        format!(
            "csrf={csrf}&action=save&trading_name=Nordwind+Tools+O%C3%9C&sender_name=Nordwind+accounts\
             &from_address=ar%40{domain}&reply_to=ar%40{domain}&brand_colour={colour}&iban=EE382200221020145685"
        )
    };
    let refused = call(&app, "POST", "/app/branding", &form("blue"), Some(&cookie), now).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("role=\"alert\">Brändi värv: värv kujul #rrggbb"),
        "the field by its label, the reason in words: {}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"blue\""),
        "what was typed stays in the form"
    );
    let saved = call(&app, "POST", "/app/branding", &form("%230b3d91"), Some(&cookie), now).await;
    assert_eq!(
        (saved.status, saved.location.as_deref()),
        (303, Some("/app/branding")),
        "{}",
        saved.body
    );
    let b = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().branding;
    assert_eq!(
        (b.from_address, b.brand_colour),
        (format!("ar@{domain}"), "#0b3d91".to_string())
    );
    assert_eq!(b.bank_account.map(|a| a.iban).as_deref(), Some("EE382200221020145685"));

    let started = call(
        &app,
        "POST",
        "/app/branding",
        &format!("csrf={csrf}&action=domain"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(started.status, 200, "{}", started.body);
    // First the claim: a TXT record to publish, and nothing is the creditor's yet.
    let txt = format!("<code>_duly-claim.{domain}</code> TXT <code>");
    let at_value = started.body.find(&txt).expect("the TXT record to publish") + txt.len();
    let value = started.body[at_value..].split('<').next().unwrap().to_string();
    assert!(value.starts_with("duly-claim="), "{value}");
    assert_eq!(local.store.domain_owner(&domain).await.unwrap(), None);
    // Published and checked again: proven. moto verifies a domain identity at once and hands out no DKIM
    // tokens: the page says it is verified.
    local.dns.publish(&format!("_duly-claim.{domain}"), &value);
    let proven = call(
        &app,
        "POST",
        "/app/branding",
        &format!("csrf={csrf}&action=domain"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(proven.status, 200, "{}", proven.body);
    assert!(proven.body.contains("domeen on kinnitatud"), "{}", proven.body);
    assert_eq!(local.store.domain_owner(&domain).await.unwrap(), Some(nordwind()));
}

#[tokio::test]
async fn today_lists_what_was_sent_lately_with_its_outcome() {
    let local = Local::new("web-sent").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let run = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:30:00Z"))
        .await
        .unwrap();
    assert_eq!(run.sent, 1);
    let app = web_app(&local, "https://app.duly.example");
    let now = at("2026-11-30T09:00:00Z");
    let cookie = sign_in(&app, &email, now).await;
    let today = call(&app, "GET", "/app/today", "", Some(&cookie), now).await;
    let sent = today
        .body
        .split("Hiljuti saadetud")
        .nth(1)
        .expect("the section")
        .split("</section>")
        .next()
        .unwrap()
        .to_string();
    assert!(sent.contains("30.11.2026 09:30"), "{sent}");
    assert!(
        sent.contains("saadetud") && sent.contains("Tamm &amp; Sons OÜ") && sent.contains("INV-1001"),
        "{sent}"
    );
    assert!(!sent.contains("tasutud pärast seda"), "not paid yet");
    // SES reports the reminder opened: the customer's page says when.
    let (_, trail) = local.api("GET", "/v1/audit", None, None, now).await;
    let ses_id = trail[0]["entry"]["provider_ids"][0]
        .as_str()
        .expect("SES's id")
        .to_string();
    let events = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: None,
    };
    let opened = duly_local::fixtures::ses_event(&ses_id, "Open", "", "ap@tamm.example");
    let label = duly_delivery_events::handle(&events, opened, at("2026-11-30T08:45:00Z"))
        .await
        .unwrap();
    assert_eq!(label, "recorded");
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("avatud 30.11.2026 10:45"),
        "in the creditor's time: {}",
        page.body
    );
    // The message as the customer got it, to read on their page; its answer links, which speak for the
    // customer, no longer work in the copy.
    let copy = &page.body[page.body.find("<details class=\"copy\">").expect("the message as sent")..];
    let copy = &copy[..copy.find("</details>").unwrap()];
    assert!(
        copy.contains("Sõnum nii, nagu see saadeti")
            && copy.contains("Dear Tamm &amp; Sons OÜ,")
            && copy.contains("INV-1001")
            && copy.contains("&#x2f;a&#x2f;…")
            && !copy.contains("&#x2f;a&#x2f;ey"),
        "{copy}"
    );

    // The customer answers "already paid": Today names them and says so.
    let token = duly_local::test_links().token(&duly_core::messages::links::Answer {
        creditor: nordwind(),
        debtor: duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
        invoices: vec![InvoiceId::parse("1001").unwrap()],
        action: duly_core::messages::links::Action::Paid,
        language: duly_core::locale::Language::Et,
        expires: (now + Duration::days(30)).timestamp(),
    });
    let (status, _, _) = local.answer("POST", &format!("/a/{token}"), "", now).await;
    assert_eq!(status, 200);
    let today = call(&app, "GET", "/app/today", "", Some(&cookie), now).await;
    assert!(
        today
            .body
            .contains("Tamm &amp; Sons OÜ</a> teatab, et on tasunud: 1001"),
        "{}",
        today.body
    );
    // The creditor was told of it, and Today lists that notice among the latest.
    let notices = &today.body[today.body.rfind("<ul class=\"plain\">").expect("a list")..];
    assert!(
        notices.contains("Tamm &amp; Sons OÜ vastas: INV-1001"),
        "{}",
        today.body
    );
    // The pause that answer set waits in To do, and its decision can lift it.
    let todo = call(&app, "GET", "/app/todo", "", Some(&cookie), now).await;
    assert!(
        todo.body.contains("Ütleb, et on makstud") && todo.body.contains("INV-1001"),
        "{}",
        todo.body
    );
    let answers = call(&app, "GET", "/app/invoices/1001/decide", "", Some(&cookie), now).await;
    assert!(
        answers.body.contains("Ei ole makstud: jätka meeldetuletusi"),
        "{}",
        answers.body
    );
    let csrf = csrf_of(&answers.body);
    let resumed = call(
        &app,
        "POST",
        "/app/invoices/1001/resume",
        &format!("csrf={csrf}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(resumed.status, 303);
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(invoice.controls.reminders.is_none(), "the pause is lifted");
    let todo = call(&app, "GET", "/app/todo", "", Some(&cookie), now).await;
    assert!(
        todo.body.contains("Midagi ei oota sind."),
        "nothing left to lift: {}",
        todo.body
    );

    // The customer pays: the reminder is shown as paid since.
    local
        .deliver(
            "i2",
            &facts::invoice(
                "1001",
                "cus-1",
                "1250.00",
                "0.00",
                "2026-12-01",
                "paid",
                "2026-11-30T10:00:00Z",
            ),
            at("2026-11-30T10:00:00Z"),
        )
        .await;
    let today = call(&app, "GET", "/app/today", "", Some(&cookie), now + Duration::hours(2)).await;
    assert!(today.body.contains("tasutud pärast seda"), "{}", today.body);
    // What reminders brought in: that invoice, with its amount, in the last thirty days.
    let collected = &today.body[today.body.find("class=\"collected\"").expect("the section")..];
    assert!(
        collected.contains("Tasutud arveid: 1 · 1250,00\u{a0}€") && collected.contains("<td>INV-1001</td>"),
        "{collected}"
    );
    let later_cookie = sign_in(&app, &email, now + Duration::days(40)).await;
    let later = call(
        &app,
        "GET",
        "/app/today",
        "",
        Some(&later_cookie),
        now + Duration::days(40),
    )
    .await;
    assert!(
        later.body.contains("Viimase 30 päeva jooksul pole"),
        "thirty days on, nothing: {}",
        later.body
    );
}

#[tokio::test]
async fn a_company_signs_up_by_e_mail_and_exists_only_once_the_link_is_used() {
    let local = Local::new("web-sign-up").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let email = format!("founder-{}@kask.example", local.store.table());
    let form = call(&app, "GET", "/app/sign-up", "", None, now).await;
    assert!(form.body.contains("name=\"company\""));
    let bad = call(
        &app,
        "POST",
        "/app/sign-up",
        &format!("email={email}&company=&country=Latvia"),
        None,
        now,
    )
    .await;
    assert_eq!(bad.status, 422);
    let items = local.item_count().await;
    let asked = call(
        &app,
        "POST",
        "/app/sign-up",
        &format!("email={email}&company=Kask+SIA&country=Latvia"),
        None,
        now,
    )
    .await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains(&email), "{}", asked.body);
    assert_eq!(
        local.store.member(&email).await.unwrap(),
        None,
        "nothing is made before the link is used"
    );
    // Asking again at once mails nothing more.
    call(
        &app,
        "POST",
        "/app/sign-up",
        &format!("email={email}&company=Kask+SIA&country=Latvia"),
        None,
        now,
    )
    .await;
    let mails = sent_emails()
        .await
        .into_iter()
        .filter(|m| m.destinations.to == [email.clone()])
        .count();
    assert_eq!(mails, 1, "one link per address and quarter hour");
    assert_eq!(
        local.item_count().await,
        items + 3,
        "the link, the sign-up limit and the address's mail turns, nothing else"
    );

    let link = link_mailed_to(&email).await.expect("a link");
    let done = call(&app, "POST", &link, "", asked.cookie.as_deref(), now).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let creditor = local
        .store
        .member(&email)
        .await
        .unwrap()
        .expect("the address is a member now");
    let c = local.store.get_creditor(&creditor).await.unwrap().unwrap();
    assert_eq!(
        (
            c.branding.trading_name.as_str(),
            c.country.as_str(),
            c.language.as_str()
        ),
        ("Kask SIA", "LV", "lv")
    );
    assert!(!c.policy.enabled, "reminders wait for a sender address");
    let cookie = done.cookie.unwrap();
    let today = call(&app, "GET", "/app/today", "", Some(&cookie), now).await;
    assert!(today.body.contains("<h1>Šodien</h1>"), "in Latvian");
}

#[tokio::test]
async fn one_creditors_session_reaches_nothing_of_another() {
    let local = Local::new("web-tenants").await;
    seed(&local, "ap@tamm.example").await;
    let dispute = json!({"reason": "not delivered"});
    let (status, _) = local
        .api("PUT", "/v1/invoices/1001/dispute", Some(dispute), None, at(NOW))
        .await;
    assert_eq!(status, 200);
    let (_, email) = intruder_member(&local).await;
    assert!(
        !local.store.put_member(&nordwind(), &email).await.unwrap(),
        "an address signs in for one creditor only"
    );
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let groups = call(&app, "GET", "/app/groups", "", Some(&cookie), now).await;
    assert!(!groups.body.contains("wholesale"), "nordwind's group is not listed");
    let csrf = csrf_of(&groups.body);

    for page in ["/app/debtors/cus-1", "/app/debtors/..%2Fcus-1"] {
        let answer = call(&app, "GET", page, "", Some(&cookie), now).await;
        assert_eq!(answer.status, 404, "{page}");
        assert!(!answer.body.contains("Tamm"));
    }
    let resolve = call(
        &app,
        "POST",
        "/app/invoices/1001/resolve",
        &format!("csrf={csrf}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(resolve.status, 404);
    let switch = call(
        &app,
        "POST",
        "/app/groups/wholesale",
        &format!("enabled=off&csrf={csrf}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(switch.status, 404);
    let pause = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=pause&reason=mine"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(pause.status, 404);
    let place = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=place&language=pl"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(place.status, 404);
    let debtor = local
        .store
        .get_debtor(&nordwind(), &duly_core::model::ids::DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        debtor.controls.reminders.is_none() && debtor.controls.place.is_empty(),
        "nordwind's customer untouched"
    );
    let preview = call(
        &app,
        "GET",
        "/app/preview?language=et&step=after-7",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        !preview.body.contains("Tamm"),
        "a preview is of the session's own creditor"
    );
    let sheet = call(&app, "GET", "/app/invoices/1001/interest", "", Some(&cookie), now).await;
    assert_eq!(sheet.status, 404, "another creditor's interest sheet");
    for action in ["approve-plan", "decline-plan"] {
        let refused = call(
            &app,
            "POST",
            &format!("/app/invoices/1001/{action}"),
            &format!("csrf={csrf}"),
            Some(&cookie),
            now,
        )
        .await;
        assert_eq!(refused.status, 404, "{action} on another creditor's invoice");
    }
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(invoice.controls.dispute.is_some(), "nordwind's dispute stands");
    assert!(local.store.get_creditor(&nordwind()).await.unwrap().unwrap().groups["wholesale"].enabled);
    for page in [
        "/app/today",
        "/app/answers",
        "/app/notices",
        "/app/connections",
        "/app/schedule",
        "/app/branding",
        "/app/templates",
        "/app/charges",
        "/app/debtors",
        "/app/debtors?q=tamm",
        "/app/team",
        "/app/tokens",
        "/app/usage",
        "/app/reports/week/2026-11-30",
        "/app/reports/month/2026-11-01",
    ] {
        let answer = call(&app, "GET", page, "", Some(&cookie), now).await;
        assert_eq!(answer.status, 200, "{page}");
        assert!(
            !answer.body.contains("Tamm") && !answer.body.contains("1001"),
            "{page}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn a_request_for_instalments_is_approved_from_the_answers_page() {
    let local = Local::new("web-plans").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let (status, _) = local
        .api(
            "PUT",
            "/v1/payment-plans",
            Some(json!({"max_instalments": 2})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200);
    let now = at(NOW);
    let token = duly_local::test_links().token(&duly_core::messages::links::Answer {
        creditor: nordwind(),
        debtor: duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
        invoices: vec![InvoiceId::parse("1001").unwrap()],
        action: duly_core::messages::links::Action::Promise,
        language: duly_core::locale::Language::Et,
        expires: (now + Duration::days(30)).timestamp(),
    });
    let (status, _, _) = local.answer("POST", &format!("/a/{token}"), "instalments=2", now).await;
    assert_eq!(status, 200);

    let app = web_app(&local, "https://app.duly.example");
    let cookie = sign_in(&app, &email, now).await;
    let answers = call(&app, "GET", "/app/answers", "", Some(&cookie), now).await;
    assert!(
        answers
            .body
            .contains("href=\"/app/invoices/1001/decide\">Otsusta (INV-1001)</a>"),
        "{}",
        answers.body
    );
    // The decision shows the instalments the request comes to before anyone approves them; declining is
    // the red button.
    let decide = call(&app, "GET", "/app/invoices/1001/decide", "", Some(&cookie), now).await;
    assert!(
        decide.body.contains("Soovib maksta 2 osas")
            && decide.body.matches("<td class=\"num\">625,00").count() == 2
            && decide
                .body
                .contains("<button type=\"submit\" class=\"danger\">Keeldu soovist</button>"),
        "{}",
        decide.body
    );
    let csrf = csrf_of(&answers.body);
    let approved = call(
        &app,
        "POST",
        "/app/invoices/1001/approve-plan",
        &format!("csrf={csrf}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    let again = call(
        &app,
        "POST",
        "/app/invoices/1001/approve-plan",
        &format!("csrf={csrf}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(again.status, 422, "decided already: {}", again.body);
    assert!(
        again.body.contains("klient pole maksegraafikut palunud"),
        "{}",
        again.body
    );
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    let plan = invoice.controls.plan.expect("approved");
    assert_eq!(
        plan.instalments.iter().map(|i| i.amount).collect::<Vec<_>>(),
        [62_500, 62_500],
        "two halves of 1 250,00 €"
    );
    assert!(invoice.controls.plan_request.is_none());
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("Maksegraafik: ") && page.body.contains("625,00"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("name=\"instalments\""),
        "the plan's editor: {}",
        page.body
    );
    // The creditor changes it: two instalments of their own, adding up to the balance.
    let edit = |lines: &str| {
        format!(
            "csrf={csrf}&instalments={}",
            form_urlencoded::byte_serialize(lines.as_bytes()).collect::<String>()
        )
    };
    for (lines, why) in [
        ("2026-12-10 250.00\r\nsoon 1000.00", "ei ole kuupäev ja summa"),
        (
            "2026-12-10 250.00\r\n2026-12-24 900.00",
            "osamaksete summa on täpselt võrdne jäägiga",
        ),
    ] {
        let refused = call(
            &app,
            "POST",
            "/app/invoices/1001/plan",
            &edit(lines),
            Some(&cookie),
            now,
        )
        .await;
        assert_eq!(refused.status, 422, "{lines}");
        assert!(refused.body.contains(why), "{}", refused.body);
    }
    let edited = call(
        &app,
        "POST",
        "/app/invoices/1001/plan",
        &edit("2026-12-10 250,00\r\n2026-12-24 1000.00\r\n"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let plan = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap()
        .controls
        .plan
        .unwrap();
    assert_eq!(
        plan.instalments
            .iter()
            .map(|i| (i.due.to_string(), i.amount))
            .collect::<Vec<_>>(),
        [("2026-12-10".to_string(), 25_000), ("2026-12-24".to_string(), 100_000)]
    );

    // The interest sheet of an invoice whose overdue days fall in a half-year the rate table lacks says so.
    let later = at("2026-12-20T10:00:00Z");
    let cookie = sign_in(&app, &email, later).await;
    let sheet = call(&app, "GET", "/app/invoices/1001/interest", "", Some(&cookie), later).await;
    assert_eq!(sheet.status, 422, "{}", sheet.body);
    assert!(sheet.body.contains("seadusjärgset määra kuupäeval"), "{}", sheet.body);
}

#[tokio::test]
async fn late_charges_are_switched_on_and_a_settlement_offered_from_the_app() {
    let local = Local::new("web-charges").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/charges", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("value=\"EE\""),
        "the creditor's own country: {}",
        page.body
    );
    let csrf = csrf_of(&page.body);
    let form = |country: &str| {
        format!(
            "csrf={csrf}&interest=on&compensation=on&country={country}&max_instalments=3&days_between=14&grace_days=5"
        )
    };
    let refused = call(&app, "POST", "/app/charges", &form("US"), Some(&cookie), now).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("Riigi seaduse järgi (riigikood): Duly tunneb")
            && refused.body.contains("mitte riigis US"),
        "{}",
        refused.body
    );
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(
        !c.late_charges.interest && c.payment_plans.max_instalments == 0,
        "nothing saved"
    );
    let saved = call(&app, "POST", "/app/charges", &form("ee"), Some(&cookie), now).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(c.late_charges.interest && c.late_charges.compensation && c.late_charges.country.is_none());
    // Interest is on, and the rate table ends before today: the page says what that means.
    let page = call(&app, "GET", "/app/charges", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("Duly intressimäärade tabel (EE) lõpeb 30.06.2026"),
        "{}",
        page.body
    );
    // The rate feed takes the second half of 2026 from the local publishers: the notice goes, and the page
    // shows where the rate in use came from and when it was fetched.
    let publishers = duly_local::publishers::publishing(now.date_naive());
    let base = duly_local::publishers::serve(publishers).await;
    duly_app::rate_feed::run(
        &local.store_for("RatesFunction"),
        &duly_adapters::publishers::Publishers::at(&base),
        &Default::default(),
        now,
    )
    .await
    .unwrap();
    let page = call(&app, "GET", "/app/charges", "", Some(&cookie), now).await;
    let body = page.body.replace("&#x2f;", "/");
    assert!(!body.contains("lõpeb 30.06.2026"), "{body}");
    let today = duly_core::locale::format_date(duly_core::locale::Language::Et, now.date_naive());
    assert!(
        body.contains(&format!(
            "<tr><td>01.07.2026</td><td class=\"num\">10,15</td><td>{today}</td><td class=\"source\"><a href=\"https://data.ecb.europa.eu/data/datasets/FM/FM.B.U2.EUR.4F.KR.MRR_FR.LEV\">data.ecb.europa.eu</a>"
        )),
        "{body}"
    );
    assert!(
        body.contains("EKP põhiline refinantseerimismäär"),
        "the series by name: {body}"
    );
    assert!(
        body.contains(&format!("Bundesbanki baasmäär (Basiszinssatz): Viimati võetud {today}")),
        "{body}"
    );
    assert_eq!(
        (
            c.payment_plans.max_instalments,
            c.payment_plans.days_between,
            c.payment_plans.grace_days
        ),
        (3, 14, 5)
    );
    // The Wholesale group are consumers who agreed 8.5 % a year; a rate that is no number is refused.
    let bad = call(
        &app,
        "POST",
        "/app/charges",
        &format!("{}&consumers_wholesale=on&rate_wholesale=eight", form("EE")),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("rate_wholesale"), "{}", bad.body);
    let consumers = call(
        &app,
        "POST",
        "/app/charges",
        &format!("{}&consumers_wholesale=on&rate_wholesale=8%2C5", form("EE")),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(consumers.status, 303, "{}", consumers.body);
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    let rate = c.late_charges.consumer_groups.get("wholesale").cloned().flatten();
    assert_eq!(rate.map(|r| r.to_string()).as_deref(), Some("8.5"));
    let off = call(
        &app,
        "POST",
        "/app/charges",
        &format!("{}&off_wholesale=on", form("EE")),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(off.status, 303);
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(c.late_charges.groups_off.contains("wholesale") && c.late_charges.consumer_groups.is_empty());
    let page = call(&app, "GET", "/app/charges", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("name=\"rate_wholesale\" value=\"\"")
            && page.body.contains("name=\"off_wholesale\" checked"),
        "{}",
        page.body
    );

    let too_much = call(
        &app,
        "POST",
        "/app/invoices/1001/settle",
        &format!("csrf={csrf}&amount=1300&pay_by=2026-12-10"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(too_much.status, 422, "{}", too_much.body);
    let offered = call(
        &app,
        "POST",
        "/app/invoices/1001/settle",
        &format!("csrf={csrf}&amount=1000%2C00&pay_by=2026-12-10"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        (offered.status, offered.location.as_deref()),
        (303, Some("/app/debtors/cus-1?saved=1")),
        "{}",
        offered.body
    );
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("Kokkuleppepakkumine: 1000,00\u{a0}€ → 10.12.2026"),
        "{}",
        page.body
    );
}

/// The usage page prices the month's usage and sets the cap: written the creditor's way ("0,12"), checked
/// (a typo is refused next to the form and saves nothing), and only with the session's CSRF token.
#[tokio::test]
async fn the_usage_page_prices_the_month_and_sets_the_spend_cap() {
    let local = Local::new("web-usage").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/usage", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // Estonian: the webhooks' unit price with all its decimals, and nothing spent yet.
    assert!(
        page.body.contains("0,001\u{a0}€") && page.body.contains("Kokku"),
        "{}",
        page.body
    );
    let csrf = csrf_of(&page.body);
    let cap = || async {
        local
            .store
            .get_creditor(&nordwind())
            .await
            .unwrap()
            .unwrap()
            .billing
            .monthly_cap
            .map(|c| c.to_string())
    };

    let forged = call(&app, "POST", "/app/usage", "monthly_cap=5", Some(&cookie), now).await;
    assert_eq!(forged.status, 403);
    let typo = call(
        &app,
        "POST",
        "/app/usage",
        &format!("csrf={csrf}&monthly_cap=12%2C345"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(typo.status, 422, "{}", typo.body);
    assert!(typo.body.contains("sendi täpsusega"), "{}", typo.body);
    assert_eq!(cap().await, None);
    let saved = call(
        &app,
        "POST",
        "/app/usage",
        &format!("csrf={csrf}&monthly_cap=1%C2%A0000%2C50"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(cap().await.as_deref(), Some("1000.50"));
    let page = call(&app, "GET", "/app/usage", "", Some(&cookie), now).await;
    assert!(page.body.contains("value=\"1000,50\""), "{}", page.body);
    let removed = call(
        &app,
        "POST",
        "/app/usage",
        &format!("csrf={csrf}&monthly_cap="),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(removed.status, 303);
    assert_eq!(cap().await, None);
}

/// A customer's page gives their unlikely-to-pay score with its reasons, hands them to collection (the
/// bundle is the answer, made as the signed-in member) and erases their personal data only when the
/// member confirms; another creditor's customer is not found.
#[tokio::test]
async fn a_customer_is_scored_handed_off_and_erased_from_their_page() {
    let local = Local::new("web-debtor-records").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    // 1 February 2027: INV-1001 is 62 days past due, 4 points, said in the page's language.
    let now = at("2027-02-01T09:00:00Z");
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("4 · INV-1001 on maksetähtajast üle 62 päeva"),
        "{}",
        page.body
    );
    let csrf = csrf_of(&page.body);

    let bundle = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=handoff"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(bundle.status, 200, "{}", bundle.body);
    assert!(
        bundle.body.contains("Üleandmine inkassole") && bundle.body.contains(&email),
        "made by the member, in their language: {}",
        bundle.body
    );
    let debtor = local
        .store
        .get_debtor(&nordwind(), &duly_core::model::ids::DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        debtor.controls.reminders.and_then(|o| o.reason).as_deref(),
        Some(duly_core::handoff::HANDED_OFF)
    );

    let unconfirmed = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=erase"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.body);
    let theirs = call(
        &app,
        "POST",
        "/app/debtors/not-ours",
        &format!("csrf={csrf}&action=erase&confirm=yes"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(theirs.status, 404);
    let erased = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=erase&confirm=yes"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(erased.status, 303, "{}", erased.body);
    let debtor = local
        .store
        .get_debtor(&nordwind(), &duly_core::model::ids::DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((debtor.email, debtor.name.as_str()), (None, ""));
}

/// A free tenant invites someone else's address to pre-claim it. The invitation binds nothing: the owner of
/// the address signs up and gets a company of their own, and the invitation, used later, is refused.
#[tokio::test]
async fn an_invitation_cannot_pre_claim_someone_elses_address() {
    let local = Local::new("web-preclaim").await;
    let attacker = format!("mallory-{}@nordwind.example", local.store.table());
    let victim = format!("cfo-{}@target.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &attacker).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &attacker, now).await;
    let csrf = csrf_of(&call(&app, "GET", "/app/team", "", Some(&cookie), now).await.body);
    let invited = call(
        &app,
        "POST",
        "/app/team",
        &format!("csrf={csrf}&email={victim}"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(invited.status, 200);
    let invitation_mail = sent_emails()
        .await
        .into_iter()
        .rev()
        .find(|m| m.destinations.to == [victim.clone()])
        .expect("an invitation");

    // The victim signs up for their own company: the link makes a new creditor, not the inviter's.
    let asked = call(
        &app,
        "POST",
        "/app/sign-up",
        &format!("email={victim}&company=Target+Ltd&country=Estonia"),
        None,
        now,
    )
    .await;
    assert_eq!(asked.status, 200);
    let link = link_mailed_to(&victim)
        .await
        .expect("a sign-up link, not a sign-in to the inviter's");
    let done = call(&app, "POST", &link, "", asked.cookie.as_deref(), now).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let theirs = local.store.member(&victim).await.unwrap().expect("a member now");
    assert_ne!(theirs, nordwind(), "their own company");

    // The invitation, opened later, cannot move them.
    let body = invitation_mail.body.replace("&#x2f;", "/");
    let at_link = body.find("/app/invitation/").expect("an invitation link");
    let invitation = &body[at_link..at_link + "/app/invitation/".len() + 64];
    assert_eq!(call(&app, "POST", invitation, "", None, now).await.status, 409);
    assert_eq!(local.store.member(&victim).await.unwrap(), Some(theirs));

    // Invitations are bounded: an address gets a few an hour, a creditor a few dozen a day.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let other = format!("again-{}@target.example", local.store.table());
        let again = call(
            &app,
            "POST",
            "/app/team",
            &format!("csrf={csrf}&email={other}"),
            Some(&cookie),
            now,
        )
        .await;
        statuses.push(again.status);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429], "five an hour to one address");
}

/// "Sign out everywhere" ends every session of the member, on every device, and only theirs.
#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_member() {
    let local = Local::new("web-everywhere").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    let colleague = format!("mari-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    assert!(local.store.put_member(&nordwind(), &colleague).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let phone = sign_in(&app, &email, now).await;
    let laptop = sign_in(&app, &email, now).await;
    let theirs = sign_in(&app, &colleague, now).await;
    let csrf = csrf_of(&call(&app, "GET", "/app/team", "", Some(&laptop), now).await.body);
    let out = call(
        &app,
        "POST",
        "/app/sign-out-everywhere",
        &format!("csrf={csrf}"),
        Some(&laptop),
        now,
    )
    .await;
    assert_eq!((out.status, out.location.as_deref()), (303, Some("/app/sign-in")));
    for cookie in [&phone, &laptop] {
        assert_eq!(call(&app, "GET", "/app/today", "", Some(cookie), now).await.status, 303);
    }
    assert_eq!(
        call(&app, "GET", "/app/today", "", Some(&theirs), now).await.status,
        200,
        "a colleague stays signed in"
    );
}

/// A creditor not yet live sees the first-run checklist on Today; sending themselves a preview mails the
/// e-mail as a customer gets it to their own address, marked as a preview, and ticks that step off.
#[tokio::test]
async fn the_first_run_checklist_ticks_off_a_preview_sent_to_oneself() {
    let local = Local::new("web-checklist").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let today = call(&app, "GET", "/app/today", "", Some(&cookie), now).await;
    let step = |page: &str, name: &str| {
        let at = page
            .find(&format!("data-step=\"{name}\""))
            .unwrap_or_else(|| panic!("{name}: {page}"));
        page[..at].ends_with("class=\"done\" ")
    };
    assert!(
        today.body.contains("<h2 id=\"setup-heading\">Alustamine</h2>"),
        "{}",
        today.body
    );
    assert!(!step(&today.body, "preview"), "no preview sent yet");

    let csrf = csrf_of(&today.body);
    let sent = call(
        &app,
        "POST",
        "/app/preview/send",
        &format!("csrf={csrf}&language=lv&step=after-7"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        (sent.status, sent.location.as_deref()),
        (303, Some("/app/preview?language=lv&step=after-7&sent=1")),
        "{}",
        sent.body
    );
    let mail = sent_emails()
        .await
        .into_iter()
        .rev()
        .find(|m| m.destinations.to == [email.clone()])
        .expect("the preview was mailed to the member");
    assert!(mail.subject.starts_with("[Eelvaade] "), "{}", mail.subject);
    assert!(mail.body.contains("lang=\"lv\""), "the customer's e-mail, in Latvian");
    let page = call(
        &app,
        "GET",
        "/app/preview?language=lv&step=after-7&sent=1",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert!(
        page.body.contains(&format!("Saadetud aadressile {email}")),
        "{}",
        page.body
    );
    let today = call(&app, "GET", "/app/today", "", Some(&cookie), now).await;
    assert!(step(&today.body, "preview"), "ticked off: {}", today.body);
}

/// How the creditor hears from Duly, the mailed report, the at-risk threshold and how long messages are kept
/// as sent are set on one page;
/// a refused value is named and nothing is saved.
#[tokio::test]
async fn notifications_reports_the_risk_threshold_and_the_retention_are_set_from_the_app() {
    let local = Local::new("web-notifications").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/notifications", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = csrf_of(&page.body);
    let post = |form: String| {
        let (app, cookie) = (&app, &cookie);
        async move { call(app, "POST", "/app/notifications", &form, Some(cookie), now).await }
    };
    let refused = post(format!(
        "csrf={csrf}&delivery=daily&digest_hour=30&report=month&threshold=12&keep_sent_days=400"
    ))
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("role=\"alert\">Päevakirja saatmise tund (0–23, sinu aja järgi): tund päevas, 0 kuni 23"),
        "{}",
        refused.body
    );
    let unchanged = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(
        unchanged.notifications,
        duly_core::notices::Notifications::default(),
        "nothing saved"
    );

    // Messages kept for less than a month are refused by name, and nothing is saved either.
    let refused = post(format!(
        "csrf={csrf}&delivery=daily&digest_hour=7&report=month&threshold=12&keep_sent_days=10"
    ))
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains(
            "role=\"alert\">Mitu päeva hoitakse iga sõnumit nii, nagu see saadeti (30–3650): 30 kuni 3650 päeva"
        ),
        "{}",
        refused.body
    );
    let unchanged = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(
        unchanged.notifications.digest_hour,
        duly_core::notices::Notifications::default().digest_hour
    );

    let saved = post(format!(
        "csrf={csrf}&delivery=daily&digest_hour=7&report=month&threshold=12&keep_sent_days=400"
    ))
    .await;
    assert_eq!(
        (saved.status, saved.location.as_deref()),
        (303, Some("/app/notifications?saved=1"))
    );
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(c.notifications.delivery, duly_core::notices::Delivery::Daily);
    assert_eq!(c.notifications.digest_hour, 7);
    assert_eq!(c.notifications.report, Some(duly_core::report::Period::Month));
    assert_eq!(c.risk.threshold, 12);
    assert_eq!(c.records.keep_sent_days, 400);
    let page = call(&app, "GET", "/app/notifications?saved=1", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("Salvestatud.") && page.body.contains("value=\"daily\" checked"),
        "{}",
        page.body
    );
}

/// The audit trail has a page: the reminder sent is listed by customer in the creditor's words, and the
/// chain verified on request, or where it breaks once an entry is edited in the table.
#[tokio::test]
async fn the_audit_trail_is_listed_and_verified_in_the_app() {
    let local = Local::new("web-audit").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let run = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!(run.sent, 1, "{run:?}");
    let app = web_app(&local, "https://app.duly.example");
    let now = at("2026-11-30T12:00:00Z");
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/audit", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("Sõnum saadetud") && page.body.contains("Tamm &amp; Sons OÜ"),
        "{}",
        page.body
    );
    let checked = call(&app, "GET", "/app/audit?verify=1", "", Some(&cookie), now).await;
    assert!(
        checked.body.contains("Ahel on terve: kontrollitud kirjeid 1,"),
        "{}",
        checked.body
    );

    // Someone edits the entry in the table: its detail changed, the JSON still whole.
    use aws_sdk_dynamodb::types::AttributeValue;
    let key: std::collections::HashMap<String, AttributeValue> =
        [("pk", "C#nordwind#AUDIT".to_string()), ("sk", format!("E#{:012}", 1))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), AttributeValue::S(v)))
            .collect();
    let client = local.store.client();
    let item = client
        .get_item()
        .table_name(local.store.table())
        .set_key(Some(key.clone()))
        .send()
        .await
        .unwrap();
    let stored = item
        .item()
        .and_then(|i| i.get("entry"))
        .and_then(|v| v.as_s().ok())
        .unwrap();
    let mut forged: serde_json::Value = serde_json::from_str(stored).unwrap();
    forged["detail"] = json!("reminder:something-else");
    client
        .update_item()
        .table_name(local.store.table())
        .set_key(Some(key))
        .update_expression("SET #e = :e")
        .expression_attribute_names("#e", "entry")
        .expression_attribute_values(":e", AttributeValue::S(forged.to_string()))
        .send()
        .await
        .unwrap();
    let broken = call(&app, "GET", "/app/audit?verify=1", "", Some(&cookie), now).await;
    assert!(broken.body.contains("Ahel katkeb kirjel 1."), "{}", broken.body);
}
