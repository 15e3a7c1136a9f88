//! A creditor's own template for one language, checked by rendering it before it is saved.

use super::invalid;
use crate::messages::locale::Language;
use crate::messages::render::{validate_override, RenderError};
use crate::model::Branding;
use crate::policy::PolicyError;

pub const MAX_TEMPLATE_BYTES: usize = 100 * 1024;

/// Refuses a template that is too large, does not parse, or uses a variable messages do not have, with the
/// line and the reason.
pub fn check_template(branding: &Branding, language: Language, name: &str, source: &str) -> Result<(), PolicyError> {
    if source.len() > MAX_TEMPLATE_BYTES {
        return Err(invalid("template", "at most 100 KiB"));
    }
    validate_override(branding, language, name, source).map_err(|e| match e {
        RenderError::Template { line, reason, .. } => invalid("template", &format!("line {line}: {reason}")),
        other => invalid("template", &other.to_string()),
    })
}
