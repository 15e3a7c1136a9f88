//! Settings read from the environment once per cold start.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub table_name: String,
    /// SES configuration set that routes delivery, bounce and complaint events back.
    pub ses_configuration_set: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("environment variable {0} is not set")]
pub struct MissingSetting(&'static str);

impl Config {
    pub fn from_env() -> Result<Self, MissingSetting> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, MissingSetting> {
        Ok(Config {
            table_name: get("DULY_TABLE").ok_or(MissingSetting("DULY_TABLE"))?,
            ses_configuration_set: get("DULY_SES_CONFIGURATION_SET").filter(|s| !s.is_empty()),
        })
    }
}
