//! A DNS-over-HTTPS resolver on loopback that answers as public resolvers do in their JSON form
//! (`?name=…&type=TXT`, `Status`, `Answer` with quoted `data`), from records a test publishes: where a
//! creditor proves a sending domain is theirs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

type Records = Arc<Mutex<HashMap<String, Vec<String>>>>;

#[derive(Debug, Clone)]
pub struct LocalDns {
    pub url: String,
    records: Records,
}

async fn resolve(State(records): State<Records>, Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let name = q
        .get("name")
        .cloned()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if q.get("type").map(String::as_str) != Some("TXT") {
        return Json(json!({"Status": 0, "Answer": []}));
    }
    let found = records.lock().unwrap().get(&name).cloned();
    match found {
        // NXDOMAIN, as a resolver says of a name nobody published.
        None => Json(json!({"Status": 3, "Question": [{"name": name, "type": 16}]})),
        Some(values) => Json(json!({
            "Status": 0,
            "Question": [{"name": name, "type": 16}],
            "Answer": values.iter().map(|v| json!({"name": format!("{name}."), "type": 16, "TTL": 300, "data": format!("\"{v}\"")})).collect::<Vec<_>>(),
        })),
    }
}

impl LocalDns {
    pub async fn start() -> LocalDns {
        let records: Records = Arc::default();
        let app = Router::new()
            .route("/dns-query", get(resolve))
            .with_state(records.clone());
        let base = crate::platforms::serve_router(app).await;
        LocalDns {
            url: format!("{base}/dns-query"),
            records,
        }
    }

    /// Publishes a TXT record at `name`, as the domain's owner would at their DNS host.
    pub fn publish(&self, name: &str, value: &str) {
        self.records
            .lock()
            .unwrap()
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.to_string());
    }

    /// Claiming sending domains against this resolver, with Duly's own domain reserved.
    pub fn sending_domains(&self) -> duly_app::settings::SendingDomains {
        duly_app::settings::SendingDomains::new(Some(&self.url), Some(crate::fixtures::FALLBACK_FROM))
    }
}
