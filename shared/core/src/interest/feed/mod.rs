//! The rate feed's decisions: reading each publisher's document (`parse`), refusing what cannot be right
//! (`check`), and turning what is left into the table's rows as each country's law takes them (`derive`).
//! Fetching and storing are the adapters'.

pub mod check;
pub mod derive;
pub mod parse;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Largest document a publisher may answer with: a year of one central bank's rates of exchange is about
/// half a megabyte.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// Most observations read from one document.
pub const MAX_OBSERVATIONS: usize = 50_000;

/// What the feed reads, each from the institution that publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Series {
    /// The ECB's main refinancing operations rate (Estonia, Latvia, Lithuania, Finland, Bulgaria).
    EcbMainRefinancing,
    /// The euro foreign-exchange reference rates, for currencies without a central bank of their own here.
    EcbExchangeRates,
    /// The Basiszinssatz under § 247 BGB (Germany).
    BundesbankBaseRate,
    /// The NBP reference rate (Poland).
    NbpReferenceRate,
    /// The NBP's table A mid rate of the euro (złoty).
    NbpEuro,
    /// The NBR's reference rate of the euro (lei).
    NbrEuro,
    /// The NBR's monetary policy rate (Romania), from the BIS's central bank policy rate series.
    NbrPolicyRate,
}

impl Series {
    pub const ALL: [Series; 7] = [
        Series::EcbMainRefinancing,
        Series::EcbExchangeRates,
        Series::BundesbankBaseRate,
        Series::NbpReferenceRate,
        Series::NbpEuro,
        Series::NbrEuro,
        Series::NbrPolicyRate,
    ];

    /// The name the store and the Charges page use.
    pub fn id(self) -> &'static str {
        match self {
            Series::EcbMainRefinancing => "ecb-mro",
            Series::EcbExchangeRates => "ecb-fx",
            Series::BundesbankBaseRate => "bundesbank-basiszins",
            Series::NbpReferenceRate => "nbp-reference",
            Series::NbpEuro => "nbp-eur",
            Series::NbrEuro => "nbr-eur",
            Series::NbrPolicyRate => "nbr-policy",
        }
    }

    pub fn parse(id: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Where it is published, for the rows it gives.
    pub fn source(self) -> &'static str {
        match self {
            Series::EcbMainRefinancing => "ECB Data Portal, FM/B.U2.EUR.4F.KR.MRR_FR.LEV: https://data.ecb.europa.eu/data/datasets/FM/FM.B.U2.EUR.4F.KR.MRR_FR.LEV",
            Series::EcbExchangeRates => "ECB Data Portal, EXR/D.{currency}.EUR.SP00.A: https://data.ecb.europa.eu/data/datasets/EXR",
            Series::BundesbankBaseRate => "Deutsche Bundesbank, BBK01.SU0115 (Basiszinssatz gemäß § 247 BGB): https://api.statistiken.bundesbank.de/rest/download/BBK01/SU0115",
            Series::NbpReferenceRate => "NBP interest rates archive: https://static.nbp.pl/dane/stopy/stopy_procentowe_archiwum.xml",
            Series::NbpEuro => "NBP table A mid rate of the euro: https://api.nbp.pl/api/exchangerates/rates/a/eur/",
            Series::NbrEuro => "NBR reference rates: https://www.bnr.ro/files/xml/years/",
            Series::NbrPolicyRate => "NBR monetary policy rate as the BIS publishes it, WS_CBPOL/D.RO: https://data.bis.org/topics/CBPOL",
        }
    }

    /// Who publishes it, as messages name them.
    pub fn publisher(self) -> &'static str {
        match self {
            Series::EcbMainRefinancing | Series::EcbExchangeRates => "the ECB",
            Series::BundesbankBaseRate => "the Bundesbank",
            Series::NbpReferenceRate | Series::NbpEuro => "the NBP",
            Series::NbrEuro => "the NBR",
            Series::NbrPolicyRate => "the BIS",
        }
    }

    /// A rate in per cent a year, or units of a currency per euro.
    pub fn is_exchange_rate(self) -> bool {
        matches!(self, Series::EcbExchangeRates | Series::NbpEuro | Series::NbrEuro)
    }
}

/// One published value: a rate on a day, and for rates of exchange the currency it prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub day: NaiveDate,
    pub value: Decimal,
    /// The currency priced in euros; `None` for interest rates.
    pub currency: Option<String>,
}

/// An interest rate observation for tests: `value` in hundredths of a per cent.
#[cfg(test)]
pub(crate) fn obs(day: &str, value: i64) -> Observation {
    Observation {
        day: day.parse().unwrap(),
        value: Decimal::new(value, 2),
        currency: None,
    }
}
