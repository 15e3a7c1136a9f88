//! What Duly hands creditors to keep or pass on: CSV fields and printable HTML pages.

use serde::Serialize;

/// A CSV field: quoted when it holds a comma, a quote or a line break. A field that a spreadsheet would
/// read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
/// apostrophe, so an invoice number or a subject a debtor or platform wrote cannot run in the creditor's
/// spreadsheet. A plain signed number is left as it is: it is a value, not a formula.
pub fn csv_field(v: &str) -> String {
    let v = match v.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number(v) {
        true => format!("'{v}"),
        false => v.to_string(),
    };
    match v.contains([',', '"', '\n', '\r']) {
        true => format!("\"{}\"", v.replace('"', "\"\"")),
        false => v,
    }
}

fn plain_number(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// One CSV line of `cols`, with its line break.
pub fn csv_row(cols: &[&str]) -> String {
    let mut line = cols.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

/// Renders a shipped page template over `value`, escaping everything as HTML.
pub fn page<T: Serialize>(name: &str, source: &'static str, value: &T) -> String {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template(name, source).expect("a shipped page template parses");
    env.get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(value)))
        .expect("a shipped page template renders; its tests prove it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_or_breaks_are_quoted() {
        assert_eq!(
            csv_row(&["a", "b,c", "say \"hi\"", "x\ny"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\n"
        );
    }

    #[test]
    fn fields_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(
            csv_field("=HYPERLINK(\"https://evil.example\")"),
            "\"'=HYPERLINK(\"\"https://evil.example\"\")\""
        );
        assert_eq!(csv_field("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert_eq!(csv_field("@SUM(A1:A2)"), "'@SUM(A1:A2)");
        assert_eq!(csv_field("\t=1"), "'\t=1");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_field("-"), "'-");
        assert_eq!(csv_field("-12.50"), "-12.50");
        assert_eq!(csv_field("+3"), "+3");
        assert_eq!(csv_field("INV-1001"), "INV-1001");
    }
}
