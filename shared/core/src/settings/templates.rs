//! A creditor's own template for one language, checked by rendering it before it is saved.

use super::invalid;
use crate::locale::Language;
use crate::messages::render::{validate_override, RenderError};
use crate::model::Branding;
use crate::policy::PolicyError;

pub const MAX_TEMPLATE_BYTES: usize = 100 * 1024;

/// Refuses a template that is too large, does not parse, or uses a variable messages do not have, with the
/// line and the reason.
pub fn check_template(branding: &Branding, language: Language, name: &str, source: &str) -> Result<(), PolicyError> {
    match template_problem(branding, language, name, source) {
        None => Ok(()),
        Some(p) if p.line > 0 => Err(invalid("template", "invalid-template-line")
            .with("line", p.line)
            .with("detail", p.reason)),
        Some(p) => Err(invalid("template", "invalid-template").with("detail", p.reason)),
    }
}

/// Where a template goes wrong: the line (1-based; 0 when it is about the whole) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    pub line: usize,
    pub reason: String,
}

/// Lines shown either side of a problem's line.
const EXCERPT_CONTEXT: usize = 2;

impl TemplateProblem {
    /// The lines around the problem, numbered, the problem's own marked: what an editor shows beside the
    /// reason.
    pub fn excerpt<'a>(&self, source: &'a str) -> Vec<(usize, &'a str, bool)> {
        if self.line == 0 {
            return Vec::new();
        }
        let first = self.line.saturating_sub(EXCERPT_CONTEXT).max(1);
        source
            .lines()
            .enumerate()
            .map(|(i, text)| (i + 1, text, i + 1 == self.line))
            .skip(first - 1)
            .take(self.line + EXCERPT_CONTEXT + 1 - first)
            .collect()
    }
}

/// What is wrong with a template, if anything, as [`check_template`] decides.
pub fn template_problem(branding: &Branding, language: Language, name: &str, source: &str) -> Option<TemplateProblem> {
    if source.len() > MAX_TEMPLATE_BYTES {
        return Some(TemplateProblem {
            line: 0,
            reason: "at most 100 KiB".into(),
        });
    }
    validate_override(branding, language, name, source)
        .err()
        .map(|e| match e {
            RenderError::Template { line, reason, .. } => TemplateProblem { line, reason },
            other => TemplateProblem {
                line: 0,
                reason: other.to_string(),
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_shown_at_its_line_with_the_lines_around_it() {
        let source = "Hello {{ debtor_name }}\nline 2\n{{ nonsense( }}\nline 4\nline 5\nline 6";
        let problem = template_problem(
            &crate::web::branding::branding_from_form(&[]),
            Language::Et,
            "email.txt",
            source,
        )
        .expect("refused");
        assert_eq!(problem.line, 3, "{problem:?}");
        assert_eq!(
            problem.excerpt(source),
            vec![
                (1, "Hello {{ debtor_name }}", false),
                (2, "line 2", false),
                (3, "{{ nonsense( }}", true),
                (4, "line 4", false),
                (5, "line 5", false),
            ]
        );
        assert!(check_template(
            &crate::web::branding::branding_from_form(&[]),
            Language::Et,
            "email.txt",
            source
        )
        .unwrap_err()
        .reason
        .to_string()
        .starts_with("line 3: "));
    }

    #[test]
    fn a_template_that_renders_has_no_problem() {
        let shipped = crate::messages::render::shipped_template("email.txt").unwrap();
        assert_eq!(
            template_problem(
                &crate::web::branding::branding_from_form(&[]),
                Language::Pl,
                "email.txt",
                shipped
            ),
            None
        );
    }
}
