//! Settings read from the environment once per cold start.

#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    /// SES configuration set that routes delivery, bounce and complaint events back.
    pub ses_configuration_set: Option<String>,
    /// The configuration set that also reports opens, for creditors who record them.
    pub ses_opens_configuration_set: Option<String>,
    /// The configuration set of Duly's own mail (sign-in links, invitations, notices to creditors), apart
    /// from reminders: a tenant's abuse of it shows in its own figures, not in the reminders'.
    pub notice_configuration_set: Option<String>,
    /// Where the answers function is served; answer and short pay links point there.
    pub answers_url: Option<String>,
    /// The key that signs answer links.
    pub link_secret: Option<String>,
    /// Duly's own sending address, used in the creditor's name while their domain is not verified.
    pub fallback_from: Option<String>,
    /// The KMS key that seals platform credentials (connect and sync functions only).
    pub credentials_key: Option<String>,
    /// Where the creditor's web app is served; notices to creditors link their pages.
    pub app_url: Option<String>,
    /// The DNS-over-HTTPS resolver (JSON form) that reads sending-domain claims' TXT records.
    pub dns_json_url: Option<String>,
    /// What each metered unit costs (`DULY_PRICES`, `meter=euros,…`; the template's default without it).
    pub prices: duly_core::billing::PriceList,
    /// The countries whose statutory interest creditors may switch on (`DULY_INTEREST_COUNTRIES`).
    pub interest_countries: duly_core::interest::Offered,
    /// Xero app's webhook key and QuickBooks app's verifier token: one each for all tenants.
    pub app_keys: crate::ingest::AppKeys,
    /// The gaps between one process's e-mails and between its SMS: the account's SES and SNS SMS rates
    /// (`DULY_SES_RATE`, `DULY_SMS_RATE`, a second) shared by the processes sending at once
    /// (`DULY_WORKERS`). `None`: not paced.
    pub send_gaps: (Option<std::time::Duration>, Option<std::time::Duration>),
}

/// The gap between one process's sends, when `rate` a second is shared by `workers` processes.
fn gap(rate: Option<u32>, workers: u32) -> Option<std::time::Duration> {
    rate.filter(|r| *r > 0)
        .map(|r| std::time::Duration::from_secs(u64::from(workers.max(1))) / r)
}

#[derive(Debug, thiserror::Error)]
#[error("environment variable {0} is not set or not valid")]
pub struct MissingSetting(&'static str);

impl Config {
    pub fn from_env() -> Result<Self, MissingSetting> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, MissingSetting> {
        Ok(Config {
            table_name: get("DULY_TABLE").ok_or(MissingSetting("DULY_TABLE"))?,
            ses_configuration_set: get("DULY_SES_CONFIGURATION_SET").filter(|s| !s.is_empty()),
            ses_opens_configuration_set: get("DULY_SES_OPENS_CONFIGURATION_SET").filter(|s| !s.is_empty()),
            notice_configuration_set: get("DULY_SES_NOTICE_CONFIGURATION_SET").filter(|s| !s.is_empty()),
            answers_url: get("DULY_ANSWERS_URL").filter(|s| !s.is_empty()),
            link_secret: get("DULY_LINK_SECRET").filter(|s| !s.is_empty()),
            fallback_from: get("DULY_FALLBACK_FROM").filter(|s| !s.is_empty()),
            credentials_key: get("DULY_CREDENTIALS_KEY").filter(|s| !s.is_empty()),
            app_url: get("DULY_APP_URL").filter(|s| !s.is_empty()),
            dns_json_url: get("DULY_DNS_JSON_URL").filter(|s| !s.is_empty()),
            prices: match get("DULY_PRICES").filter(|p| !p.is_empty()) {
                Some(list) => duly_core::billing::PriceList::parse(&list).map_err(|_| MissingSetting("DULY_PRICES"))?,
                None => duly_core::billing::PriceList::default(),
            },
            interest_countries: get("DULY_INTEREST_COUNTRIES").map_or(duly_core::interest::Offered::Every, |list| {
                duly_core::interest::Offered::parse(&list)
            }),
            app_keys: crate::ingest::AppKeys {
                xero_webhook_key: get("DULY_XERO_WEBHOOK_KEY").filter(|s| !s.is_empty()),
                quickbooks_verifier_token: get("DULY_QUICKBOOKS_VERIFIER_TOKEN").filter(|s| !s.is_empty()),
            },
            send_gaps: {
                let number = |name: &'static str| -> Result<Option<u32>, MissingSetting> {
                    get(name)
                        .filter(|v| !v.is_empty())
                        .map(|v| v.parse::<u32>().map_err(|_| MissingSetting(name)))
                        .transpose()
                };
                let workers = number("DULY_WORKERS")?.unwrap_or(1);
                (
                    gap(number("DULY_SES_RATE")?, workers),
                    gap(number("DULY_SMS_RATE")?, workers),
                )
            },
        })
    }

    /// Claiming sending domains: DNS for the proofs, Duly's own domain reserved.
    pub fn sending_domains(&self) -> crate::settings::SendingDomains {
        crate::settings::SendingDomains::new(self.dns_json_url.as_deref(), self.fallback_from.as_deref())
    }

    /// Duly's own mail, through its own configuration set.
    pub fn notice_outbound(
        &self,
        ses: aws_sdk_sesv2::Client,
        sns: aws_sdk_sns::Client,
    ) -> duly_adapters::outbound::Outbound {
        duly_adapters::outbound::Outbound::new(ses, sns, self.notice_configuration_set.clone())
    }

    /// Duly's sender for notices to creditors, through Duly's own configuration set; `None` without a
    /// sending address.
    pub fn notify_from(
        &self,
        ses: aws_sdk_sesv2::Client,
        sns: aws_sdk_sns::Client,
    ) -> Option<crate::notify::NotifyFrom> {
        self.fallback_from.clone().map(|from| crate::notify::NotifyFrom {
            outbound: self.notice_outbound(ses, sns),
            from,
            app_url: self.app_url.clone(),
        })
    }

    /// The credentials key, for the functions that cannot work without it.
    pub fn require_credentials_key(&self) -> Result<String, MissingSetting> {
        self.credentials_key
            .clone()
            .ok_or(MissingSetting("DULY_CREDENTIALS_KEY"))
    }

    /// The link signer, when the deployment has both a secret and an answers URL.
    pub fn links(&self) -> Option<duly_core::messages::links::Links> {
        match (&self.link_secret, &self.answers_url) {
            (Some(secret), Some(url)) => Some(duly_core::messages::links::Links::new(secret.as_bytes(), url)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_s_rates_are_shared_among_the_workers() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let four = Config::from_lookup(env(&[
            ("DULY_TABLE", "t"),
            ("DULY_SES_RATE", "14"),
            ("DULY_SMS_RATE", "20"),
            ("DULY_WORKERS", "4"),
        ]))
        .unwrap();
        // 14 e-mails a second among four workers: one every 4/14 s, 285.714 ms, each.
        assert_eq!(four.send_gaps.0.map(|g| g.as_micros()), Some(285_714));
        assert_eq!(four.send_gaps.1.map(|g| g.as_millis()), Some(200));
        let unpaced = Config::from_lookup(env(&[("DULY_TABLE", "t")])).unwrap();
        assert_eq!(unpaced.send_gaps, (None, None));
        assert!(Config::from_lookup(env(&[("DULY_TABLE", "t"), ("DULY_SES_RATE", "fast")])).is_err());
    }

    #[test]
    fn duly_s_own_mail_goes_through_its_own_configuration_set() {
        let config = Config::from_lookup(|k| match k {
            "DULY_TABLE" => Some("t".into()),
            "DULY_FALLBACK_FROM" => Some("duly@duly.example".into()),
            "DULY_SES_CONFIGURATION_SET" => Some("duly-reminders".into()),
            "DULY_SES_NOTICE_CONFIGURATION_SET" => Some("duly-reminders-duly".into()),
            _ => None,
        })
        .unwrap();
        let sdk = aws_sdk_sesv2::config::Builder::new()
            .behavior_version(aws_sdk_sesv2::config::BehaviorVersion::latest())
            .region(aws_sdk_sesv2::config::Region::new("eu-west-1"))
            .build();
        let sns = aws_sdk_sns::config::Builder::new()
            .behavior_version(aws_sdk_sns::config::BehaviorVersion::latest())
            .region(aws_sdk_sns::config::Region::new("eu-west-1"))
            .build();
        let notify = config
            .notify_from(
                aws_sdk_sesv2::Client::from_conf(sdk),
                aws_sdk_sns::Client::from_conf(sns),
            )
            .unwrap();
        assert_eq!(notify.outbound.configuration_set(), Some("duly-reminders-duly"));
    }
}
