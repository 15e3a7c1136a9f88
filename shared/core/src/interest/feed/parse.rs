//! Each publisher's document, as it publishes it, read into observations. A document that does not read
//! is an error naming what is wrong; nothing of it is used.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Observation, Series, MAX_DOCUMENT_BYTES, MAX_OBSERVATIONS};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the document is larger than the feed reads")]
    TooLarge,
    #[error("the document is not what {0} publishes: {1}")]
    Malformed(&'static str, String),
    #[error("the document holds no observation")]
    Empty,
}

/// Reads `document` as `series`'s publisher writes it.
pub fn parse(series: Series, document: &str) -> Result<Vec<Observation>, ParseError> {
    if document.len() > MAX_DOCUMENT_BYTES {
        return Err(ParseError::TooLarge);
    }
    let mut out = match series {
        Series::EcbMainRefinancing | Series::EcbExchangeRates | Series::NbrPolicyRate => sdmx_csv(series, document)?,
        Series::BundesbankBaseRate => bundesbank_csv(document)?,
        Series::NbpReferenceRate => nbp_rates(document)?,
        Series::NbpEuro => nbp_exchange(document)?,
        Series::NbrEuro => nbr_exchange(document)?,
    };
    if out.is_empty() {
        return Err(ParseError::Empty);
    }
    out.sort_by(|a, b| (a.day, &a.currency).cmp(&(b.day, &b.currency)));
    Ok(out)
}

fn decimal(text: &str) -> Option<Decimal> {
    text.trim().replace(',', ".").parse().ok()
}

/// A day as SDMX and the Bundesbank write periods: `2025-06-11`, or a month's `2025-07` read as its first day.
fn period(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    text.parse()
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok())
}

fn bounded(out: &[Observation], name: &'static str) -> Result<(), ParseError> {
    match out.len() > MAX_OBSERVATIONS {
        true => Err(ParseError::Malformed(name, "too many observations".into())),
        false => Ok(()),
    }
}

/// SDMX-CSV as the ECB Data Portal (`format=csvdata`) and the BIS (`format=csv`) answer: a header naming
/// `TIME_PERIOD` and `OBS_VALUE` (and `CURRENCY` for rates of exchange), a row per observation.
fn sdmx_csv(series: Series, document: &str) -> Result<Vec<Observation>, ParseError> {
    let name = series.publisher();
    let bad = |what: String| ParseError::Malformed(name, what);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(document.as_bytes());
    let headers = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let column = |wanted: &str| headers.iter().position(|h| h.trim() == wanted);
    let (Some(time), Some(value)) = (column("TIME_PERIOD"), column("OBS_VALUE")) else {
        return Err(bad("no TIME_PERIOD and OBS_VALUE columns".into()));
    };
    let currency = column("CURRENCY");
    if series.is_exchange_rate() && currency.is_none() {
        return Err(bad("no CURRENCY column".into()));
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| bad(e.to_string()))?;
        let raw = row.get(value).unwrap_or_default().trim();
        // SDMX leaves a missing observation empty or NaN.
        if raw.is_empty() || raw.eq_ignore_ascii_case("nan") {
            continue;
        }
        let day = period(row.get(time).unwrap_or_default()).ok_or_else(|| bad("a period is not a day".into()))?;
        let value = decimal(raw).ok_or_else(|| bad(format!("{raw:?} is not a number")))?;
        out.push(Observation {
            day,
            value,
            currency: currency.and_then(|c| row.get(c)).map(|c| c.trim().to_string()),
        });
        bounded(&out, name)?;
    }
    Ok(out)
}

/// The Bundesbank's CSV download (`format=csv`): a few heading rows (the series key, its title, unit,
/// multiplier, last update), then one row per period, `.` where there is no value. In German (`lang=de`)
/// fields are separated by `;` and decimals written with a comma.
fn bundesbank_csv(document: &str) -> Result<Vec<Observation>, ParseError> {
    let bad = |what: String| ParseError::Malformed("the Bundesbank", what);
    let first = document.lines().next().unwrap_or_default();
    if !first.contains("SU0115") {
        return Err(bad("the first row does not name BBK01.SU0115".into()));
    }
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(document.as_bytes());
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| bad(e.to_string()))?;
        let Some(day) = row.get(0).and_then(period) else {
            continue;
        };
        let raw = row.get(1).unwrap_or_default().trim();
        if raw == "." || raw.is_empty() {
            continue;
        }
        let value = decimal(raw).ok_or_else(|| bad(format!("{raw:?} is not a number")))?;
        out.push(Observation {
            day,
            value,
            currency: None,
        });
        bounded(&out, "the Bundesbank")?;
    }
    Ok(out)
}

fn xml<'a>(document: &'a str, name: &'static str) -> Result<roxmltree::Document<'a>, ParseError> {
    roxmltree::Document::parse(document).map_err(|e| ParseError::Malformed(name, e.to_string()))
}

/// The NBP's interest rates archive: `<pozycje obowiazuje_od="YYYY-MM-DD">` per change, holding
/// `<pozycja id="ref" oprocentowanie="3,75"/>` among the other rates.
fn nbp_rates(document: &str) -> Result<Vec<Observation>, ParseError> {
    let name = "the NBP";
    let doc = xml(document, name)?;
    let mut out = Vec::new();
    for change in doc.descendants().filter(|n| n.has_tag_name("pozycje")) {
        let Some(from) = change.attribute("obowiazuje_od") else {
            continue;
        };
        let Some(reference) = change
            .children()
            .find(|n| n.has_tag_name("pozycja") && n.attribute("id") == Some("ref"))
        else {
            continue;
        };
        let day = period(from).ok_or_else(|| ParseError::Malformed(name, format!("{from:?} is not a day")))?;
        let raw = reference.attribute("oprocentowanie").unwrap_or_default();
        let value = decimal(raw).ok_or_else(|| ParseError::Malformed(name, format!("{raw:?} is not a number")))?;
        out.push(Observation {
            day,
            value,
            currency: None,
        });
        bounded(&out, name)?;
    }
    Ok(out)
}

/// The NBP's exchange rate API in XML (`format=xml`): `<Rate><EffectiveDate>…</EffectiveDate><Mid>…</Mid>`.
fn nbp_exchange(document: &str) -> Result<Vec<Observation>, ParseError> {
    let name = "the NBP";
    let doc = xml(document, name)?;
    let code = doc
        .descendants()
        .find(|n| n.has_tag_name("Code"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    if code != "EUR" {
        return Err(ParseError::Malformed(name, "not the euro's rates".into()));
    }
    let text = |rate: roxmltree::Node, tag: &str| {
        rate.children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    let mut out = Vec::new();
    for rate in doc.descendants().filter(|n| n.has_tag_name("Rate")) {
        let (Some(day), Some(mid)) = (text(rate, "EffectiveDate"), text(rate, "Mid")) else {
            return Err(ParseError::Malformed(name, "a rate without its day or mid".into()));
        };
        out.push(Observation {
            day: period(&day).ok_or_else(|| ParseError::Malformed(name, format!("{day:?} is not a day")))?,
            value: decimal(&mid).ok_or_else(|| ParseError::Malformed(name, format!("{mid:?} is not a number")))?,
            currency: Some("PLN".into()),
        });
        bounded(&out, name)?;
    }
    Ok(out)
}

/// The NBR's reference rates (`nbrfxrates.xml`, or a year's `nbrfxratesYYYY.xml`): a `<Cube date="…">` per
/// day, holding `<Rate currency="EUR">5.0845</Rate>`, lei per euro.
fn nbr_exchange(document: &str) -> Result<Vec<Observation>, ParseError> {
    let name = "the NBR";
    let doc = xml(document, name)?;
    if !doc.root_element().has_tag_name("DataSet") {
        return Err(ParseError::Malformed(name, "no DataSet".into()));
    }
    let mut out = Vec::new();
    for cube in doc.descendants().filter(|n| n.has_tag_name("Cube")) {
        let Some(day) = cube.attribute("date").and_then(period) else {
            return Err(ParseError::Malformed(name, "a Cube without its date".into()));
        };
        let Some(euro) = cube
            .children()
            .find(|n| n.has_tag_name("Rate") && n.attribute("currency") == Some("EUR"))
        else {
            continue;
        };
        let raw = euro.text().unwrap_or_default();
        let value = decimal(raw).ok_or_else(|| ParseError::Malformed(name, format!("{raw:?} is not a number")))?;
        // A multiplier prices 100 units; the euro has none, and one would be a different document.
        if euro.attribute("multiplier").is_some() {
            return Err(ParseError::Malformed(name, "the euro's rate has a multiplier".into()));
        }
        out.push(Observation {
            day,
            value,
            currency: Some("RON".into()),
        });
        bounded(&out, name)?;
    }
    Ok(out)
}
