//! Roles: a viewer looks and changes nothing, a member works the customers but does not run the
//! account, an owner does both and the account always keeps one; a member reads the app in a language of
//! their own.

use duly_core::model::ids::DebtorId;
use duly_core::web::Role;

use super::*;

async fn reminders_paused(local: &Local) -> bool {
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    debtor.controls.reminders.is_some()
}

#[tokio::test]
async fn a_viewer_looks_a_member_acts_and_only_an_owner_runs_the_account() {
    let local = Local::new("web-roles").await;
    let owner = format!("owner-{}@nordwind.example", local.store.table());
    let member = format!("member-{}@nordwind.example", local.store.table());
    let viewer = format!("viewer-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &owner).await.unwrap());
    assert!(local
        .store
        .put_member_as(&nordwind(), &member, Role::Member)
        .await
        .unwrap());
    assert!(local
        .store
        .put_member_as(&nordwind(), &viewer, Role::Viewer)
        .await
        .unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let pause = |csrf: &str| format!("csrf={csrf}&action=pause&debtor=cus-1");

    // The viewer sees the customers, and every form that would change something is refused with why.
    let looks = sign_in(&app, &viewer, now).await;
    let page = call(&app, "GET", "/app/debtors", "", Some(&looks), now).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("palu omanikul teha sind liikmeks"),
        "told before trying: {}",
        page.body
    );
    let csrf = csrf_of(&page.body);
    let refused = call(&app, "POST", "/app/debtors/bulk", &pause(&csrf), Some(&looks), now).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("roll ei luba"),
        "says why, in the company's language: {}",
        refused.body
    );
    assert!(refused.body.contains("href=\"/app/today\""), "keeps the way on");
    assert!(!reminders_paused(&local).await, "nothing written");
    let schedule = call(
        &app,
        "POST",
        "/app/schedule",
        &format!("csrf={csrf}"),
        Some(&looks),
        now,
    )
    .await;
    assert_eq!(schedule.status, 403);

    // Their own language is theirs to set, and the app speaks it from the next page on.
    let chose = call(
        &app,
        "POST",
        "/app/me",
        &format!("csrf={csrf}&language=en"),
        Some(&looks),
        now,
    )
    .await;
    assert_eq!(
        (chose.status, chose.location.as_deref()),
        (303, Some("/app/me?saved=1"))
    );
    let mine = call(&app, "GET", "/app/me?saved=1", "", Some(&looks), now).await;
    assert!(
        mine.body.contains("<html lang=\"en\"") && mine.body.contains("Saved."),
        "{}",
        mine.body
    );
    let bad = call(
        &app,
        "POST",
        "/app/me",
        &format!("csrf={csrf}&language=xx"),
        Some(&looks),
        now,
    )
    .await;
    assert_eq!(bad.status, 422);

    // A member works the customers, but who signs in, tokens, the spend cap and connections are an owner's.
    let works = sign_in(&app, &member, now).await;
    let page = call(&app, "GET", "/app/team", "", Some(&works), now).await;
    assert!(
        page.body.contains("<html lang=\"et\""),
        "the viewer's language is theirs alone"
    );
    assert!(
        !page.body.contains("action=\"/app/team\""),
        "no invitation form for a member"
    );
    let csrf = csrf_of(&page.body);
    for (path, form) in [
        (
            "/app/team",
            format!("csrf={csrf}&email=new@nordwind.example&role=owner"),
        ),
        ("/app/team/role", format!("csrf={csrf}&email={member}&role=owner")),
        ("/app/tokens", format!("csrf={csrf}&action=create&label=x")),
        ("/app/usage", format!("csrf={csrf}&monthly_cap=1")),
        ("/app/connections", format!("csrf={csrf}&grant=g")),
    ] {
        let refused = call(&app, "POST", path, &form, Some(&works), now).await;
        assert_eq!(refused.status, 403, "{path}");
        assert!(refused.body.contains("ainult konto omanik"), "{path}: {}", refused.body);
    }
    assert_eq!(
        local.store.membership(&member).await.unwrap().unwrap().role,
        Role::Member,
        "a member cannot make themself an owner"
    );
    let paused = call(&app, "POST", "/app/debtors/bulk", &pause(&csrf), Some(&works), now).await;
    assert_eq!(paused.status, 303, "{}", paused.body);
    assert!(reminders_paused(&local).await);

    // The owner changes roles; the change holds from the viewer's next request, in the same session.
    let runs = sign_in(&app, &owner, now).await;
    let page = call(&app, "GET", "/app/team", "", Some(&runs), now).await;
    let csrf = csrf_of(&page.body);
    let raised = call(
        &app,
        "POST",
        "/app/team/role",
        &format!("csrf={csrf}&email={viewer}&role=member"),
        Some(&runs),
        now,
    )
    .await;
    assert_eq!(
        (raised.status, raised.location.as_deref()),
        (303, Some("/app/team?saved=1"))
    );
    let page = call(&app, "GET", "/app/debtors", "", Some(&looks), now).await;
    let csrf_viewer = csrf_of(&page.body);
    let resumed = format!("csrf={csrf_viewer}&action=resume&debtor=cus-1");
    assert_eq!(
        call(&app, "POST", "/app/debtors/bulk", &resumed, Some(&looks), now)
            .await
            .status,
        303
    );
    assert!(!reminders_paused(&local).await);

    // The account keeps an owner: the only one can neither step down nor be removed.
    for (path, form) in [
        ("/app/team/role", format!("csrf={csrf}&email={owner}&role=member")),
        ("/app/team/remove", format!("csrf={csrf}&email={owner}")),
    ] {
        let kept = call(&app, "POST", path, &form, Some(&runs), now).await;
        assert_eq!(kept.status, 409, "{path}: {}", kept.body);
    }
    assert_eq!(local.store.membership(&owner).await.unwrap().unwrap().role, Role::Owner);
    // Another creditor's member is not ours to change.
    let intruder = CreditorId::parse("intruder").unwrap();
    let elsewhere = format!("boss-{}@intruder.example", local.store.table());
    assert!(local
        .store
        .put_member_as(&intruder, &elsewhere, Role::Viewer)
        .await
        .unwrap());
    let theirs = call(
        &app,
        "POST",
        "/app/team/role",
        &format!("csrf={csrf}&email={elsewhere}&role=owner"),
        Some(&runs),
        now,
    )
    .await;
    assert_ne!(theirs.status, 303);
    assert_eq!(
        local.store.membership(&elsewhere).await.unwrap().unwrap().role,
        Role::Viewer
    );
}
