//! Fetching the rate feed's documents from the institutions that publish them. Each base address comes
//! from the environment (the test kit points them all at its local publishers), the publishers' own by
//! default; every answer is bounded in size and time, and a failed fetch is tried again twice.

use std::time::Duration;

use chrono::{Datelike, Days, NaiveDate};

use duly_core::interest::feed::{Series, MAX_DOCUMENT_BYTES};

use crate::platforms::env_or;

/// The currencies whose euro rate the ECB is asked for: the currencies of the region's neighbours and
/// trading partners that creditors invoice in, besides the złoty and the leu, which their own banks price.
pub const ECB_CURRENCIES: [&str; 9] = ["SEK", "DKK", "NOK", "GBP", "USD", "CHF", "CZK", "HUF", "ISK"];

/// The first day the feed fetches rates of exchange from: far enough back for invoices overdue today.
pub fn fx_history_start(today: NaiveDate) -> NaiveDate {
    today.checked_sub_days(Days::new(3 * 365)).unwrap_or(today)
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0} could not be reached: {1}")]
    Unreachable(&'static str, String),
    #[error("{0} answered HTTP {1}")]
    Status(&'static str, u16),
    #[error("{0} answered with more than the feed reads")]
    TooLarge(&'static str),
}

impl FetchError {
    /// The NBP and the NBR answer 404 for a range or year with nothing published in it (holidays, a year's
    /// first days).
    pub fn nothing_published(&self) -> bool {
        matches!(self, FetchError::Status(_, 404))
    }
}

#[derive(Debug, Clone)]
pub struct Publishers {
    http: reqwest::Client,
    ecb: String,
    bundesbank: String,
    nbp_api: String,
    nbp_static: String,
    nbr: String,
    bis: String,
}

impl Publishers {
    /// Every publisher at the same base (the test kit's local publishers).
    pub fn at(base: &str) -> Self {
        Self::with(base, base, base, base, base, base)
    }

    fn with(ecb: &str, bundesbank: &str, nbp_api: &str, nbp_static: &str, nbr: &str, bis: &str) -> Self {
        Publishers {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .user_agent("Duly rate feed")
                .build()
                .expect("an HTTP client with default TLS roots"),
            ecb: ecb.trim_end_matches('/').into(),
            bundesbank: bundesbank.trim_end_matches('/').into(),
            nbp_api: nbp_api.trim_end_matches('/').into(),
            nbp_static: nbp_static.trim_end_matches('/').into(),
            nbr: nbr.trim_end_matches('/').into(),
            bis: bis.trim_end_matches('/').into(),
        }
    }

    /// The publishers as the environment names them (`DULY_RATES_*`), their own addresses by default.
    pub fn from_env() -> Self {
        Self::with(
            &env_or("DULY_RATES_ECB", "https://data-api.ecb.europa.eu"),
            &env_or("DULY_RATES_BUNDESBANK", "https://api.statistiken.bundesbank.de"),
            &env_or("DULY_RATES_NBP_API", "https://api.nbp.pl"),
            &env_or("DULY_RATES_NBP_STATIC", "https://static.nbp.pl"),
            &env_or("DULY_RATES_NBR", "https://www.bnr.ro"),
            &env_or("DULY_RATES_BIS", "https://stats.bis.org"),
        )
    }

    /// The addresses a fetch of `series` on `today` reads, in order; rates of exchange from `since` on
    /// (a few days before the newest taken), or from three years back the first time.
    pub fn addresses(&self, series: Series, today: NaiveDate, since: Option<NaiveDate>) -> Vec<String> {
        let start = since.map_or(fx_history_start(today), |s| s.max(fx_history_start(today)));
        match series {
            Series::EcbMainRefinancing => vec![format!(
                "{}/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata&startPeriod=2023-01-01",
                self.ecb
            )],
            Series::EcbExchangeRates => vec![format!(
                "{}/service/data/EXR/D.{}.EUR.SP00.A?format=csvdata&startPeriod={start}",
                self.ecb,
                ECB_CURRENCIES.join("+")
            )],
            Series::BundesbankBaseRate => vec![format!(
                "{}/rest/download/BBK01/SU0115?format=csv&lang=en",
                self.bundesbank
            )],
            Series::NbpReferenceRate => vec![format!("{}/dane/stopy/stopy_procentowe_archiwum.xml", self.nbp_static)],
            // The NBP answers at most 93 days per request.
            Series::NbpEuro => {
                let mut out = Vec::new();
                let mut from = start;
                while from <= today && out.len() < 20 {
                    let to = from.checked_add_days(Days::new(92)).unwrap_or(today).min(today);
                    out.push(format!(
                        "{}/api/exchangerates/rates/a/eur/{from}/{to}/?format=xml",
                        self.nbp_api
                    ));
                    from = to.succ_opt().unwrap_or(today);
                    if to == today {
                        break;
                    }
                }
                out
            }
            Series::NbrEuro => (start.year()..=today.year())
                .map(|year| format!("{}/files/xml/years/nbrfxrates{year}.xml", self.nbr))
                .collect(),
            Series::NbrPolicyRate => vec![format!(
                "{}/api/v1/data/WS_CBPOL/D.RO/all?format=csv&startPeriod=2023-01-01",
                self.bis
            )],
        }
    }

    /// One document, tried three times with a pause that doubles; a 4xx is not tried again.
    pub async fn fetch(&self, series: Series, address: &str) -> Result<String, FetchError> {
        let who = series.publisher();
        let mut wait = Duration::from_millis(200);
        let mut last = None;
        for attempt in 0..3 {
            if attempt > 0 {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            match self.once(who, address).await {
                Ok(body) => return Ok(body),
                Err(FetchError::Status(_, status)) if (400..500).contains(&status) && status != 429 => {
                    return Err(FetchError::Status(who, status))
                }
                Err(e @ FetchError::TooLarge(_)) => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(FetchError::Unreachable(who, "no attempt".into())))
    }

    async fn once(&self, who: &'static str, address: &str) -> Result<String, FetchError> {
        let mut response = self
            .http
            .get(address)
            .send()
            .await
            .map_err(|e| FetchError::Unreachable(who, e.without_url().to_string()))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(FetchError::Status(who, status));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| FetchError::Unreachable(who, e.without_url().to_string()))?
        {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_DOCUMENT_BYTES {
                return Err(FetchError::TooLarge(who));
            }
        }
        Ok(String::from_utf8_lossy(&body).into_owned())
    }
}
