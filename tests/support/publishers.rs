//! Local servers that answer like the institutions the rate feed reads: the ECB Data Portal (SDMX-CSV), the
//! Bundesbank's CSV download, the NBP's interest rates archive and exchange rate API (XML), the NBR's yearly
//! reference rates (XML) and the BIS's policy rates (SDMX-CSV), each at the path the real one answers on.
//!
//! Each answers with its document from `tests/fixtures/publishers/`, written in the publisher's format; as
//! the test's day moves on, a publisher keeps publishing: later days (and the Bundesbank's later months)
//! carry its last value, as when a central bank leaves its rate unchanged. A test can add a published change,
//! or make a publisher fail in one of the ways real ones do.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::platforms::serve_router;

const ECB_MRO: &str = include_str!("../fixtures/publishers/ecb-mro.csv");
const ECB_EXR: &str = include_str!("../fixtures/publishers/ecb-exr.csv");
const BUNDESBANK: &str = include_str!("../fixtures/publishers/bundesbank-su0115.csv");
const NBP_RATES: &str = include_str!("../fixtures/publishers/nbp-stopy-procentowe-archiwum.xml");
const NBP_EUR: &str = include_str!("../fixtures/publishers/nbp-eur.xml");
const NBR: &str = include_str!("../fixtures/publishers/nbrfxrates.xml");
const BIS: &str = include_str!("../fixtures/publishers/bis-cbpol-ro.csv");

/// How a publisher misbehaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Every request answers this status.
    Status(u16),
    /// The body is this instead of the document.
    Body(String),
}

/// The publishers' state, shared with the test.
#[derive(Debug)]
pub struct Publishing {
    /// The day it is for the publishers: nothing later is published.
    pub today: NaiveDate,
    /// Failures by publisher: "ecb", "bundesbank", "nbp", "nbr", "bis".
    pub failing: BTreeMap<&'static str, Failure>,
    /// Changes of the ECB's main refinancing rate published after the recorded document: (day, rate).
    pub ecb_changes: Vec<(NaiveDate, String)>,
    /// Requests answered, as "publisher path".
    pub requests: Vec<String>,
}

pub type Publishers = Arc<Mutex<Publishing>>;

pub fn publishing(today: NaiveDate) -> Publishers {
    Arc::new(Mutex::new(Publishing {
        today,
        failing: BTreeMap::new(),
        ecb_changes: Vec::new(),
        requests: Vec::new(),
    }))
}

fn business_days_after(last: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut day = last;
    while let Some(next) = day.succ_opt().filter(|d| *d <= until) {
        day = next;
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            out.push(day);
        }
        if out.len() > 3_000 {
            break;
        }
    }
    out
}

/// The failure set for `who`, if any, as the response to give; records the request.
fn answer(state: &Publishers, who: &'static str, path: String) -> Result<NaiveDate, Box<Response>> {
    let mut p = state.lock().unwrap();
    p.requests.push(format!("{who} {path}"));
    match p.failing.get(who) {
        Some(Failure::Status(code)) => Err(Box::new(
            (StatusCode::from_u16(*code).unwrap(), "Service Unavailable").into_response(),
        )),
        Some(Failure::Body(body)) => Err(Box::new(body.clone().into_response())),
        None => Ok(p.today),
    }
}

/// `GET /service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV` and `/service/data/EXR/D.…`: SDMX-CSV.
async fn ecb(
    State(state): State<Publishers>,
    Path((flow, key)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let start: Option<NaiveDate> = query.get("startPeriod").and_then(|d| d.parse().ok());
    let today = match answer(&state, "ecb", format!("{flow}/{key}")) {
        Ok(today) => today,
        Err(r) => return *r,
    };
    match flow.as_str() {
        "FM" if key == "B.U2.EUR.4F.KR.MRR_FR.LEV" => {
            let mut body = ECB_MRO.to_string();
            let template = ECB_MRO.lines().nth(1).unwrap_or_default().to_string();
            for (day, rate) in state.lock().unwrap().ecb_changes.iter().filter(|(d, _)| *d <= today) {
                let mut cols: Vec<String> = template.split(',').map(str::to_string).collect();
                cols[8] = day.to_string();
                cols[9] = rate.clone();
                body.push_str(&cols.join(","));
                body.push('\n');
            }
            ([("content-type", "text/csv")], body).into_response()
        }
        "EXR" => {
            let mut body = ECB_EXR.to_string();
            // Each currency's last recorded row, carried to every business day since.
            let mut last: BTreeMap<String, String> = BTreeMap::new();
            for line in ECB_EXR.lines().skip(1) {
                let currency = line.split(',').nth(2).unwrap_or_default().to_string();
                last.insert(currency, line.to_string());
            }
            for line in last.values() {
                let recorded: NaiveDate = line.split(',').nth(6).unwrap_or_default().parse().unwrap();
                let from = start.map_or(recorded, |s| s.pred_opt().unwrap().max(recorded));
                for day in business_days_after(from, today) {
                    let mut cols: Vec<&str> = line.splitn(8, ',').collect();
                    let day = day.to_string();
                    cols[6] = &day;
                    body.push_str(&cols.join(","));
                    body.push('\n');
                }
            }
            ([("content-type", "text/csv")], body).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "No results found.").into_response(),
    }
}

/// `GET /rest/download/BBK01/SU0115`: the Bundesbank's CSV, a row per month.
async fn bundesbank(State(state): State<Publishers>) -> Response {
    let today = match answer(&state, "bundesbank", "BBK01/SU0115".into()) {
        Ok(today) => today,
        Err(r) => return *r,
    };
    let mut body = BUNDESBANK.to_string();
    let rows: Vec<(&str, &str)> = BUNDESBANK
        .lines()
        .filter_map(|l| {
            let mut cols = l.split(',');
            let (month, value) = (cols.next()?, cols.next()?);
            (month.len() == 7 && month.as_bytes()[4] == b'-').then_some((month, value))
        })
        .collect();
    let last_value = rows
        .iter()
        .rev()
        .find(|(_, v)| *v != ".")
        .map(|(_, v)| *v)
        .unwrap_or("0");
    let last_month = NaiveDate::parse_from_str(&format!("{}-01", rows.last().unwrap().0), "%Y-%m-%d").unwrap();
    // The Bundesbank announces a half-year's rate in the last days before it begins.
    let until = today.checked_add_days(Days::new(7)).unwrap();
    let mut month = last_month;
    while let Some(next) = month.checked_add_months(chrono::Months::new(1)).filter(|m| *m <= until) {
        month = next;
        body.push_str(&format!("{},{last_value},\n", month.format("%Y-%m")));
    }
    ([("content-type", "text/csv")], body).into_response()
}

/// `GET /dane/stopy/stopy_procentowe_archiwum.xml`.
async fn nbp_rates(State(state): State<Publishers>) -> Response {
    match answer(&state, "nbp", "stopy_procentowe_archiwum.xml".into()) {
        Ok(_) => ([("content-type", "text/xml")], NBP_RATES).into_response(),
        Err(r) => *r,
    }
}

/// `GET /api/exchangerates/rates/a/eur/{from}/{to}/`: the euro's table A mid rates, 404 where none.
async fn nbp_eur(State(state): State<Publishers>, Path((from, to)): Path<(NaiveDate, NaiveDate)>) -> Response {
    let today = match answer(&state, "nbp", format!("eur/{from}/{to}")) {
        Ok(today) => today,
        Err(r) => return *r,
    };
    if (to - from).num_days() > 92 {
        return (
            StatusCode::BAD_REQUEST,
            "400 BadRequest - Przekroczony limit 93 dni / Limit of 93 days has been exceeded",
        )
            .into_response();
    }
    let doc = roxmltree::Document::parse(NBP_EUR).unwrap();
    let mut rates: Vec<(NaiveDate, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Rate"))
        .map(|r| {
            let text = |t: &str| {
                r.children()
                    .find(|n| n.has_tag_name(t))
                    .and_then(|n| n.text())
                    .unwrap()
                    .to_string()
            };
            (text("EffectiveDate").parse().unwrap(), text("Mid"))
        })
        .collect();
    let (last_day, last_mid) = rates.last().cloned().unwrap();
    rates.extend(
        business_days_after(last_day, today)
            .into_iter()
            .map(|d| (d, last_mid.clone())),
    );
    let shown: Vec<String> = rates
        .iter()
        .filter(|(d, _)| *d >= from && *d <= to)
        .map(|(d, mid)| {
            format!(
                "<Rate><No>{}/A/NBP/{}</No><EffectiveDate>{d}</EffectiveDate><Mid>{mid}</Mid></Rate>",
                d.ordinal(),
                d.year()
            )
        })
        .collect();
    if shown.is_empty() {
        return (StatusCode::NOT_FOUND, "404 NotFound - Not Found - Brak danych").into_response();
    }
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><ExchangeRatesSeries xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Table>A</Table><Currency>euro</Currency><Code>EUR</Code><Rates>{}</Rates></ExchangeRatesSeries>",
        shown.join("")
    );
    ([("content-type", "application/xml")], body).into_response()
}

/// `GET /files/xml/years/nbrfxrates{year}.xml`: a year's reference rates, a `Cube` per day.
async fn nbr_year(State(state): State<Publishers>, Path(file): Path<String>) -> Response {
    let today = match answer(&state, "nbr", file.clone()) {
        Ok(today) => today,
        Err(r) => return *r,
    };
    let Some(year) = file
        .strip_prefix("nbrfxrates")
        .and_then(|f| f.strip_suffix(".xml"))
        .and_then(|y| y.parse::<i32>().ok())
    else {
        return (StatusCode::NOT_FOUND, "").into_response();
    };
    let (head, rest) = NBR.split_once("\t\t<Cube").unwrap();
    let cubes_end = rest.rfind("</Cube>").unwrap() + "</Cube>".len();
    let cubes = format!("\t\t<Cube{}", &rest[..cubes_end]);
    let tail = &rest[cubes_end..];
    let mut days: Vec<(NaiveDate, String)> = cubes
        .split("\t\t<Cube date=\"")
        .filter(|c| !c.trim().is_empty())
        .map(|c| {
            let (day, rest) = c.split_once('"').unwrap();
            (day.parse().unwrap(), format!("\t\t<Cube date=\"{day}\"{rest}"))
        })
        .collect();
    let (last_day, last_cube) = days.last().cloned().unwrap();
    for day in business_days_after(last_day, today) {
        days.push((day, last_cube.replace(&last_day.to_string(), &day.to_string())));
    }
    let shown: Vec<&str> = days
        .iter()
        .filter(|(d, _)| d.year() == year)
        .map(|(_, c)| c.as_str())
        .collect();
    if shown.is_empty() {
        return (StatusCode::NOT_FOUND, "").into_response();
    }
    let body = format!("{head}{}{tail}", shown.join(""));
    ([("content-type", "text/xml")], body).into_response()
}

/// `GET /api/v1/data/WS_CBPOL/D.RO/all`: the BIS's daily policy rates, SDMX-CSV.
async fn bis(State(state): State<Publishers>) -> Response {
    let today = match answer(&state, "bis", "WS_CBPOL/D.RO".into()) {
        Ok(today) => today,
        Err(r) => return *r,
    };
    let mut body = BIS.to_string();
    let last = BIS.lines().last().unwrap().to_string();
    let recorded: NaiveDate = last.split(',').nth(3).unwrap().parse().unwrap();
    for day in business_days_after(recorded, today) {
        let mut cols: Vec<String> = last.split(',').map(str::to_string).collect();
        cols[3] = day.to_string();
        body.push_str(&cols.join(","));
        body.push('\n');
    }
    ([("content-type", "text/csv")], body).into_response()
}

/// Serves every publisher on one free loopback port; its base URL.
pub async fn serve(state: Publishers) -> String {
    let app = Router::new()
        .route("/service/data/{flow}/{key}", get(ecb))
        .route("/rest/download/BBK01/SU0115", get(bundesbank))
        .route("/dane/stopy/stopy_procentowe_archiwum.xml", get(nbp_rates))
        .route("/api/exchangerates/rates/a/eur/{from}/{to}/", get(nbp_eur))
        .route("/files/xml/years/{file}", get(nbr_year))
        .route("/api/v1/data/WS_CBPOL/D.RO/all", get(bis))
        .with_state(state);
    serve_router(app).await
}
