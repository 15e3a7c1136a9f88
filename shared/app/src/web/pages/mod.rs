//! The app's pages for a signed-in creditor. Each reads only the session's creditor; each form checks the
//! session's CSRF token before it changes anything, through the same flows as the JSON API.

mod answers;
mod audit;
mod branding;
mod calls;
mod charges;
mod connections;
mod customers;
mod debtor;
mod decide;
mod groups;
mod me;
mod notices;
mod notifications;
mod preview;
mod reports;
mod schedule;
mod setup;
mod team;
mod templates;
mod today;
mod todo;
mod tokens;
mod usage;
mod words;

pub use answers::{answers, control_invoice, edit_plan, interest_sheet, offer_settlement};
pub use audit::audit;
pub use branding::{branding, change_branding};
pub use calls::{calls, record as record_call};
pub use charges::{change_charges, charges};
pub use connections::{change_connection, connections};
pub use customers::{bulk as bulk_customers, customers, customers_csv};
pub use debtor::{add_note, change_debtor, debtor, letter, DebtorForm};
pub use decide::{act_on_invoice, decision};
pub use groups::{create_group, groups, rename_group, set_group_attach, set_group_statement, switch_group};
pub use me::{change_me, me};
pub use notices::notices;
pub use notifications::{change_notifications, notifications};
pub use preview::{preview, preview_email, send_preview};
pub use reports::{pick_report, report, reports};
pub use schedule::{save_schedule, schedule};
pub use setup::settings;
pub use team::{change_role, invite, remove as remove_member, team, team_saved};
pub use templates::{change_template, templates};
pub use today::today;
pub use todo::{count_todo, todo, todo_count};
pub use tokens::{change_tokens, tokens};
pub use usage::{change_cap, usage};
pub use words::{change_words, words, StepOf};

use duly_core::locale::answers::answer_words;
/// A moment as the creditor reads it: their date and time, in their zone.
use duly_core::locale::format_date_time as local_time;
use duly_core::locale::Language;
use duly_core::model::Creditor;
use duly_core::web::Session;

use super::view::in_app::problem;
use super::{Reply, Web, WebError};
use crate::settings;

/// The session's creditor and the language the app speaks to them.
async fn creditor(web: Web<'_>, session: &Session) -> Result<(Creditor, Language), WebError> {
    let c = settings::creditor(web.store, &session.creditor_id).await?;
    let lang = session.language.unwrap_or_else(|| Language::of_creditor(&c));
    Ok((c, lang))
}

/// The page that says the member's role does not let them post this form (403), in their language, with
/// the way on around it.
pub async fn refused(
    web: Web<'_>,
    session: &Session,
    refusal: duly_core::web::roles::Refusal,
) -> Result<Reply, WebError> {
    let (_, lang) = creditor(web, session).await?;
    Ok(Reply::page(403, problem(lang, 403, refusal.message_id())))
}

/// A form of this session, or the page that says it has expired (403).
fn checked(session: &Session, lang: Language, presented: &str) -> Result<(), Reply> {
    if session.csrf_matches(presented) {
        Ok(())
    } else {
        Err(Reply::page(403, problem(lang, 403, "web-csrf")))
    }
}

/// What another creditor's, or a missing, debtor or invoice gets: the same 404.
fn not_found(lang: Language) -> Reply {
    Reply::page(404, problem(lang, 404, "web-not-found"))
}
