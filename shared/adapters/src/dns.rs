//! TXT records read over DNS-over-HTTPS in the JSON form public resolvers answer
//! (`GET {url}?name=…&type=TXT`, `Accept: application/dns-json`): a creditor proves a sending domain by
//! publishing a token there. A plain HTTPS call keeps Lambda free of a resolver of its own.

use std::time::Duration;

use serde::Deserialize;

/// Cloudflare's resolver, which answers the JSON form; `DULY_DNS_JSON_URL` names another.
pub const DEFAULT_URL: &str = "https://cloudflare-dns.com/dns-query";
/// The TXT strings read of one name; a domain has a handful.
const MAX_RECORDS: usize = 50;

#[derive(Debug, Clone)]
pub struct DnsTxt {
    http: reqwest::Client,
    url: String,
}

#[derive(Debug, thiserror::Error)]
#[error("DNS could not be asked: {0}")]
pub struct DnsError(String);

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "Status")]
    status: u32,
    #[serde(rename = "Answer", default)]
    answer: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "type")]
    kind: u16,
    data: String,
}

/// DNS's record type number for TXT.
const TXT: u16 = 16;
/// NXDOMAIN: the name does not exist, which is an answer (no records), not a failure.
const NXDOMAIN: u32 = 3;

impl DnsTxt {
    pub fn new(url: &str) -> DnsTxt {
        DnsTxt {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .expect("an HTTP client with default TLS roots"),
            url: url.to_string(),
        }
    }

    /// The TXT strings published at `name`, as the resolver gives them (quoted).
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, DnsError> {
        let response = self
            .http
            .get(&self.url)
            .query(&[("name", name), ("type", "TXT")])
            .header("accept", "application/dns-json")
            .send()
            .await
            .map_err(|e| DnsError(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(DnsError(format!("HTTP {}", response.status().as_u16())));
        }
        let answer: Answer = response
            .json()
            .await
            .map_err(|e| DnsError(e.without_url().to_string()))?;
        match answer.status {
            0 | NXDOMAIN => Ok(answer
                .answer
                .into_iter()
                .filter(|r| r.kind == TXT)
                .take(MAX_RECORDS)
                .map(|r| r.data)
                .collect()),
            other => Err(DnsError(format!("resolver status {other}"))),
        }
    }
}
