//! Customer groups in any script, from the app alone: a group named in Cyrillic is made, renamed in
//! Latvian, given its own steps and filled with customers one at a time and several at once; its id, in
//! Latin letters, is what URLs and customers keep, so a rename moves nobody.

use super::*;
use duly_core::model::ids::DebtorId;

async fn customer(local: &Local, n: u32) {
    let debtor = format!("cus-{n}");
    local
        .deliver(
            &format!("c{n}"),
            &facts::contact_named(
                &debtor,
                &format!("Łąka {n} Sp. z o.o."),
                &format!("ap{n}@laka.example"),
                None,
                &[],
                T,
            ),
            at(T),
        )
        .await;
    local
        .deliver(
            &format!("i{n}"),
            &facts::invoice(
                &format!("20{n:02}"),
                &debtor,
                "300.00",
                "300.00",
                "2026-12-01",
                "open",
                T,
            ),
            at(T),
        )
        .await;
}

async fn group_of(local: &Local, debtor: &str) -> Option<String> {
    local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse(debtor).unwrap())
        .await
        .unwrap()
        .unwrap()
        .controls
        .group
}

#[tokio::test]
async fn a_group_named_in_cyrillic_is_made_renamed_given_its_steps_and_filled_from_the_app() {
    let local = Local::new("web-groups").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    for n in [2, 3] {
        customer(&local, n).await;
    }
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let csrf = csrf_of(&call(&app, "GET", "/app/groups", "", Some(&cookie), now).await.body);
    let form = |pairs: &[(&str, &str)]| {
        let owned: Vec<(String, String)> = [("csrf", csrf.as_str())]
            .iter()
            .chain(pairs)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        form_body(&owned)
    };

    let made = call(
        &app,
        "POST",
        "/app/groups",
        &form(&[("name", "Клиенты")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        (made.status, made.location.as_deref()),
        (303, Some("/app/groups")),
        "{}",
        made.body
    );
    let groups = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().groups;
    assert_eq!(
        groups["klienty"].name, "Клиенты",
        "the name as written, under an id in Latin letters"
    );
    let page = call(&app, "GET", "/app/groups", "", Some(&cookie), now).await;
    assert!(page.body.contains("<strong>Клиенты</strong>"), "{}", page.body);
    assert!(
        page.body.contains("action=\"/app/groups/klienty/name\""),
        "{}",
        page.body
    );

    // A second group that reads alike, or a name of nothing, is refused with the reason and saves nothing.
    let alike = call(
        &app,
        "POST",
        "/app/groups",
        &form(&[("name", "КЛИЕНТЫ")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(alike.status, 422, "{}", alike.body);
    assert!(alike.body.contains("Клиенты"), "{}", alike.body);
    let empty = call(
        &app,
        "POST",
        "/app/groups",
        &form(&[("name", "  ")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(empty.status, 422);
    assert_eq!(
        local
            .store
            .get_creditor(&nordwind())
            .await
            .unwrap()
            .unwrap()
            .groups
            .len(),
        2
    );

    let renamed = call(
        &app,
        "POST",
        "/app/groups/klienty/name",
        &form(&[("name", "Pastāvīgie klienti")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let groups = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().groups;
    assert_eq!(groups["klienty"].name, "Pastāvīgie klienti", "renamed; its id stays");

    // Its own steps, from the schedule page the group's row links to.
    let schedule = call(&app, "GET", "/app/schedule?group=klienty", "", Some(&cookie), now).await;
    assert_eq!(schedule.status, 200);
    assert!(schedule.body.contains("Pastāvīgie klienti"), "{}", schedule.body);
    let mut steps = form_fields(&schedule.body);
    for (k, v) in &mut steps {
        if k == "step_1_days" {
            *v = "3".into();
        }
    }
    let saved = call(&app, "POST", "/app/schedule", &form_body(&steps), Some(&cookie), now).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let group = &local.store.get_creditor(&nordwind()).await.unwrap().unwrap().groups["klienty"];
    assert_eq!(group.steps.as_ref().map(|s| s[1].offset.days()), Some(3), "{group:?}");

    // Its reminders carry the invoice with every reminder, where the creditor's carry it with the first.
    let attach = call(
        &app,
        "POST",
        "/app/groups/klienty/attach",
        &form(&[("attach", "every")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(attach.status, 303, "{}", attach.body);
    let wrong = call(
        &app,
        "POST",
        "/app/groups/klienty/attach",
        &form(&[("attach", "sometimes")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let group = &local.store.get_creditor(&nordwind()).await.unwrap().unwrap().groups["klienty"];
    assert_eq!(group.attach_invoice, Some(duly_core::policy::AttachInvoice::Every));

    // One customer from their page, two more at once from the list.
    let one = call(
        &app,
        "POST",
        "/app/debtors/cus-2",
        &form(&[("action", "group"), ("group", "klienty")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(one.status, 303, "{}", one.body);
    assert_eq!(group_of(&local, "cus-2").await.as_deref(), Some("klienty"));
    let page = call(&app, "GET", "/app/debtors/cus-2", "", Some(&cookie), now).await;
    assert!(
        page.body
            .contains("<option value=\"klienty\" selected>Pastāvīgie klienti</option>"),
        "{}",
        page.body
    );
    let several = call(
        &app,
        "POST",
        "/app/debtors/bulk",
        &form(&[("action", "group:klienty"), ("debtor", "cus-1"), ("debtor", "cus-3")]),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(several.status, 303, "{}", several.body);
    for debtor in ["cus-1", "cus-3"] {
        assert_eq!(group_of(&local, debtor).await.as_deref(), Some("klienty"), "{debtor}");
    }
    let listed = call(&app, "GET", "/app/debtors?group=klienty", "", Some(&cookie), now).await;
    assert!(listed.body.contains("· kliente 3"), "{}", listed.body);
    assert!(listed.body.contains("Pastāvīgie klienti"), "{}", listed.body);
    // The group's steps now plan its customers' invoices: the second step three business days after.
    let plan = local.api("GET", "/v1/invoices/2002/plan", None, None, now).await.1;
    assert!(plan.to_string().contains("3 tööpäeva pärast maksetähtaega"), "{plan}");
}
