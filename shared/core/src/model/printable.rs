//! What Duly hands creditors to keep or pass on: CSV fields and printable HTML pages.

use serde::Serialize;

/// A CSV field: quoted when it holds a comma, a quote or a line break.
pub fn csv_field(v: &str) -> String {
    match v.contains([',', '"', '\n', '\r']) {
        true => format!("\"{}\"", v.replace('"', "\"\"")),
        false => v.to_string(),
    }
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
}
