//! What a creditor may set, checked before anything is stored: switches and their reasons, group names,
//! promise dates, the branding profile and their own templates. Each check answers with the field and a
//! reason the creditor can act on.

mod branding;
mod controls;
pub mod domains;
pub mod platform_groups;
mod settlement;
mod templates;

pub use branding::{check_domain, validate_branding};
pub use controls::{
    check_group, check_group_name, check_group_title, check_place, check_promise_date, check_reason, group_id_for,
    same_group_title, to_override, OverrideInput,
};
pub use settlement::{settlement_offer, MAX_SETTLEMENT_DAYS};
pub use templates::{check_template, template_problem, TemplateProblem, MAX_TEMPLATE_BYTES};

use crate::policy::PolicyError;

fn invalid(field: &str, id: &'static str) -> PolicyError {
    PolicyError::new(field, id)
}
