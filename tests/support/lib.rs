//! Running Duly against a local AWS endpoint (moto): clients, tables made from the SAM template, request
//! counting, what SES and SNS received, and signed deliveries. Used by the integration tests and the demo.

pub mod browser;
pub mod dns;
pub mod faults;
pub mod fixtures;
pub mod marketplace;
pub mod measure;
pub mod moto;
pub mod permissions;
pub mod platforms;
pub mod publishers;
pub mod request_counter;
pub mod scenario;
pub mod stream;
pub mod table;
pub mod web;
pub mod webhook_event;
pub mod work_queue;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;

/// Where the tests' notices say the web app is.
pub const APP_URL: &str = "https://app.duly.example";
/// The ingest function's base URL in the local stack's pages (deliveries in tests go straight to the handler).
pub const WEBHOOK_BASE: &str = "https://hooks.duly.example";

/// Duly's sender for notices to creditors, as the functions build it from their settings.
pub fn notify_from() -> duly_app::notify::NotifyFrom {
    duly_app::notify::NotifyFrom {
        outbound: outbound(),
        from: fixtures::FALLBACK_FROM.to_string(),
        app_url: Some(APP_URL.to_string()),
    }
}

/// The local endpoint the Makefile started; tests refuse to run against anything else.
pub fn endpoint() -> String {
    let url = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL is not set: run the tests with `make test`, which starts the local AWS endpoint");
    on_loopback("AWS_ENDPOINT_URL", url)
}

fn on_loopback(variable: &str, url: String) -> String {
    assert!(
        url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"),
        "{variable} must point at a local endpoint on loopback, not {url}"
    );
    url
}

/// A DynamoDB client configuration for `sdk`. When `AWS_ENDPOINT_URL_DYNAMODB` names another local
/// endpoint, DynamoDB is served from there: the measurements use an emulator that reports consumed capacity
/// as DynamoDB does, while SES, SNS and KMS stay on moto.
pub fn dynamodb_config(sdk: &SdkConfig) -> aws_sdk_dynamodb::config::Builder {
    let config = aws_sdk_dynamodb::config::Builder::from(sdk);
    match std::env::var("AWS_ENDPOINT_URL_DYNAMODB") {
        Ok(url) => config.endpoint_url(on_loopback("AWS_ENDPOINT_URL_DYNAMODB", url)),
        Err(_) => config,
    }
}

/// The ingest function on `store` and `vault`, with the test kit's Xero and QuickBooks app keys.
fn ingest_app(store: Store, vault: duly_adapters::vault::Vault) -> duly_ingest::App {
    duly_ingest::App::new(
        store,
        vault,
        duly_app::ingest::AppKeys {
            xero_webhook_key: Some(webhook_event::TEST_XERO_KEY.to_string()),
            quickbooks_verifier_token: Some(webhook_event::TEST_QUICKBOOKS_TOKEN.to_string()),
        },
    )
}

/// SDK configuration for the local endpoint, with dummy credentials.
pub fn aws_config() -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint())
        .region(Region::new("eu-west-1"))
        .credentials_provider(aws_sdk_dynamodb::config::SharedCredentialsProvider::new(
            Credentials::new("test", "test", None, None, "duly-local"),
        ))
        // The deployed functions keep the SDK's standard retries (three attempts, backoff with jitter from
        // one second); locally the backoff starts at 10 ms, so tests that inject faults stay quick.
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(std::time::Duration::from_millis(10)),
        )
        // The local server answers one request at a time for every test of a binary, so on a busy machine a
        // call can queue behind dozens of others: the deployed limits (three seconds a try) would fail calls
        // that are merely waiting. Tests of those limits set them on their own client.
        .timeout_config(
            aws_smithy_types::timeout::TimeoutConfig::builder()
                .connect_timeout(std::time::Duration::from_secs(5))
                .operation_attempt_timeout(std::time::Duration::from_secs(60))
                .operation_timeout(std::time::Duration::from_secs(120))
                .build(),
        )
        .build()
}

/// A KMS key of its own on the local endpoint, sealing credentials as the deployed key does.
pub async fn vault() -> duly_adapters::vault::Vault {
    let kms = aws_sdk_kms::Client::new(&aws_config());
    let key = kms
        .create_key()
        .description("duly test credentials key")
        .send()
        .await
        .expect("create a KMS key on the local endpoint");
    let id = key.key_metadata().expect("key metadata").key_id().to_string();
    duly_adapters::vault::Vault::new(kms, id)
}

pub fn dynamodb() -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::from_conf(dynamodb_config(&aws_config()).build())
}

pub fn outbound() -> duly_adapters::outbound::Outbound {
    outbound_with(&aws_config())
}

/// SES and SNS clients with their own SDK configuration.
pub fn outbound_with(config: &SdkConfig) -> duly_adapters::outbound::Outbound {
    duly_adapters::outbound::Outbound::new(
        aws_sdk_sesv2::Client::new(config),
        aws_sdk_sns::Client::new(config),
        None,
    )
}

use chrono::{DateTime, Utc};
use duly_adapters::store::Store;
use request_counter::RequestCounter;

/// A fresh table on the local endpoint with a counted client, and the demo creditor in it.
pub struct Local {
    pub store: Store,
    pub counter: request_counter::RequestCounter,
    pub ingest: duly_ingest::App,
    pub scheduler: duly_scheduler::App,
    pub settings: duly_settings::App,
    pub answers: duly_answers::App,
    /// Seals and opens platform credentials with a local KMS key.
    pub vault: duly_adapters::vault::Vault,
    /// The demo creditor's API token.
    pub token: String,
    /// The SDK configuration the functions' clients are made from.
    pub sdk: SdkConfig,
    /// The DNS resolver the settings API and the web app read domain claims' proofs from.
    pub dns: dns::LocalDns,
}

impl Local {
    pub async fn new(prefix: &str) -> Local {
        Self::create(prefix, table::Stream::Off, aws_config(), RequestCounter::default()).await
    }

    /// A local stack whose counter also adds up the capacity DynamoDB reports for each request.
    pub async fn measuring_capacity(prefix: &str) -> Local {
        Self::create(
            prefix,
            table::Stream::Off,
            aws_config(),
            RequestCounter::with_capacity(),
        )
        .await
    }

    /// A local stack whose table has the template's stream, for tests that read it.
    pub async fn with_stream(prefix: &str) -> Local {
        Self::create(
            prefix,
            table::Stream::AsTemplate,
            aws_config(),
            RequestCounter::default(),
        )
        .await
    }

    /// A local stack whose functions reach DynamoDB, SES and SNS through a fault-injecting proxy.
    pub async fn through(prefix: &str, proxy: &faults::FaultProxy) -> Local {
        Self::create(
            prefix,
            table::Stream::Off,
            proxy.aws_config(),
            RequestCounter::default(),
        )
        .await
    }

    async fn create(prefix: &str, stream: table::Stream, sdk: SdkConfig, counter: RequestCounter) -> Local {
        let name = table::unique_name(prefix);
        table::create_ledger_table(&dynamodb(), &name, stream).await;
        let client = request_counter::counted_client_with(&counter, &sdk);
        let store = Store::new(client, name);
        let vault = vault().await;
        let (_, token) = fixtures::seed_demo_creditor(&store, &vault, "nordwind", webhook_event::DEMO_CONNECTION).await;
        counter.reset();
        let dns = dns::LocalDns::start().await;
        let mut local = Local {
            settings: duly_settings::App {
                store: store.clone(),
                outbound: outbound_with(&sdk),
                interest_countries: Default::default(),
                prices: Default::default(),
                domains: dns.sending_domains(),
            },
            answers: duly_answers::App {
                store: store.clone(),
                links: test_links(),
                outbound: outbound_with(&sdk),
                notify_from: Some(fixtures::FALLBACK_FROM.to_string()),
                app_url: Some(APP_URL.to_string()),
            },
            token,
            vault: vault.clone(),
            ingest: ingest_app(store.clone(), vault),
            scheduler: duly_scheduler::App {
                queue: None,
                store: store.clone(),
                outbound: outbound_with(&sdk),
                links: Some(test_links()),
                fallback_from: Some(fixtures::FALLBACK_FROM.to_string()),
                app_url: Some(APP_URL.to_string()),
                budget: Default::default(),
                prices: Default::default(),
            },
            store,
            counter,
            sdk,
            dns,
        };
        local.settings.store = local.store_for("SettingsFunction");
        local.settings.outbound = local.outbound_for("SettingsFunction");
        local.answers.store = local.store_for("AnswersFunction");
        local.answers.outbound = local.outbound_for("AnswersFunction");
        local.scheduler.store = local.store_for("SchedulerFunction");
        local.scheduler.outbound = local.outbound_for("SchedulerFunction");
        local.ingest = ingest_app(local.store_for("IngestFunction"), local.vault_for("IngestFunction"));
        local
    }

    /// The ingest function with clients as deployed: no request counter and no permission recorder among
    /// their interceptors, so what it costs to run is the function's own (the cost model's CPU pass).
    pub fn ingest_as_deployed(&self) -> duly_ingest::App {
        let dynamodb = aws_sdk_dynamodb::Client::from_conf(dynamodb_config(&self.sdk).build());
        let kms = aws_sdk_kms::Client::new(&aws_config());
        ingest_app(
            Store::new(dynamodb, self.store.table()),
            duly_adapters::vault::Vault::new(kms, self.vault.key_id()),
        )
    }

    /// The table as `function` (its name in the template) reaches it: the same table and request counter,
    /// with what it does recorded for the permissions check.
    pub fn store_for(&self, function: &'static str) -> Store {
        let config = dynamodb_config(&self.sdk)
            .interceptor(self.counter.clone())
            .interceptor(permissions::record::Recorder::new(function));
        Store::new(aws_sdk_dynamodb::Client::from_conf(config.build()), self.store.table())
    }

    /// SES and SNS as `function` reaches them, recorded like [`Local::store_for`].
    pub fn outbound_for(&self, function: &'static str) -> duly_adapters::outbound::Outbound {
        let recorder = permissions::record::Recorder::new(function);
        duly_adapters::outbound::Outbound::new(
            aws_sdk_sesv2::Client::from_conf(
                aws_sdk_sesv2::config::Builder::from(&self.sdk)
                    .interceptor(recorder.clone())
                    .build(),
            ),
            aws_sdk_sns::Client::from_conf(
                aws_sdk_sns::config::Builder::from(&self.sdk)
                    .interceptor(recorder)
                    .build(),
            ),
            None,
        )
    }

    /// Duly's sender for notices to creditors, as `function` sends them, recorded like [`Local::store_for`].
    pub fn notify_for(&self, function: &'static str) -> duly_app::notify::NotifyFrom {
        duly_app::notify::NotifyFrom {
            outbound: self.outbound_for(function),
            ..notify_from()
        }
    }

    /// The credentials key as `function` reaches it, recorded like [`Local::store_for`].
    pub fn vault_for(&self, function: &'static str) -> duly_adapters::vault::Vault {
        let config = aws_sdk_kms::config::Builder::from(&aws_config())
            .interceptor(permissions::record::Recorder::new(function))
            .build();
        duly_adapters::vault::Vault::new(aws_sdk_kms::Client::from_conf(config), self.vault.key_id())
    }

    /// Stores `connection` with `credentials` sealed under its own context.
    pub async fn connect_with(
        &self,
        connection: &mut duly_core::model::Connection,
        credentials: duly_adapters::vault::Credentials,
    ) {
        let sealed = self
            .vault
            .seal(&connection.connection_id, &connection.creditor_id, &credentials)
            .await
            .expect("seal credentials");
        connection.credentials = Some(sealed);
        self.store
            .put_connection(connection)
            .await
            .expect("store the connection");
    }

    /// Stores a Standard Webhooks connection of `creditor` signing with `secret`, sealed as deployed.
    pub async fn add_connection(&self, id: &str, creditor: &str, secret: &str) -> duly_core::model::Connection {
        let connection = fixtures::with_secret(&self.vault, fixtures::connection(id, creditor), secret).await;
        self.store
            .put_connection(&connection)
            .await
            .expect("store the connection");
        connection
    }

    /// The credentials a stored connection holds, opened.
    pub async fn credentials_of(&self, connection: &str) -> duly_adapters::vault::Credentials {
        let id = duly_core::model::ids::ConnectionId::parse(connection).expect("connection id");
        let stored = self
            .store
            .get_connection(&id)
            .await
            .unwrap()
            .expect("the connection exists");
        self.vault
            .open(
                &stored.connection_id,
                &stored.creditor_id,
                stored.credentials.as_ref().expect("sealed credentials"),
            )
            .await
            .expect("the credentials open")
    }

    /// Delivers a canonical fact signed for the demo connection at `at`; returns status and JSON body.
    pub async fn deliver(&self, webhook_id: &str, body: &str, at: DateTime<Utc>) -> (u16, serde_json::Value) {
        let event = webhook_event::signed_delivery(
            webhook_event::DEMO_CONNECTION,
            webhook_event::DEMO_SECRET,
            webhook_id,
            at.timestamp(),
            body,
        );
        self.send_event(&event, at).await
    }

    /// Hands any Function URL event to the ingest handler at `at`.
    pub async fn send_event(&self, event: &serde_json::Value, at: DateTime<Utc>) -> (u16, serde_json::Value) {
        let response = duly_ingest::handle(&self.ingest, webhook_event::to_request(event), at).await;
        let status = response.status().as_u16();
        let body = match response.body() {
            lambda_http::Body::Text(t) => serde_json::from_str(t).unwrap_or(serde_json::Value::Null),
            _ => serde_json::Value::Null,
        };
        (status, body)
    }

    /// A debtor e-mail address and phone number no other test uses, so the local SES and SNS outboxes, shared
    /// by all tests, can be filtered. The number never ends in 99, which the local SNS treats as opted out.
    pub fn unique_contact(&self) -> (String, String) {
        let table = self.store.table();
        let hash = table
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        let mut number = hash % 10_000_000;
        if number % 100 == 99 {
            number -= 1;
        }
        (format!("ap-{table}@tamm.example"), format!("+3725{number:07}"))
    }

    /// Calls the settings API as the demo creditor (or with `token` when given).
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        token: Option<&str>,
        at: DateTime<Utc>,
    ) -> (u16, serde_json::Value) {
        let (status, _, text) = self.api_raw(method, path, body, token, at).await;
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// When the first message of `invoice`'s plan would go, as the settings API explains it at `at`.
    pub async fn next_planned_at(&self, invoice: &str, at: DateTime<Utc>) -> DateTime<Utc> {
        let (_, plan) = self
            .api("GET", &format!("/v1/invoices/{invoice}/plan"), None, None, at)
            .await;
        plan["planned"][0]["at"]
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("a message is planned for {invoice}: {plan}"))
    }

    /// A call of the settings API by a caller whose `Accept-Language` is `languages`.
    pub async fn api_in(
        &self,
        languages: &str,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        at: DateTime<Utc>,
    ) -> (u16, serde_json::Value) {
        let headers = [
            ("authorization", format!("Bearer {}", self.token)),
            ("accept-language", languages.to_string()),
        ];
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let event = webhook_event::function_url_event(method, path, &headers, &body, at.timestamp());
        let response = duly_settings::handle(&self.settings, webhook_event::to_request(&event), at).await;
        let body = match response.body() {
            lambda_http::Body::Text(t) => t.clone(),
            _ => String::new(),
        };
        (
            response.status().as_u16(),
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// As [`Local::api`], with `path` carrying a query string, answering the status, the content type and
    /// the body as text.
    pub async fn api_raw(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        token: Option<&str>,
        at: DateTime<Utc>,
    ) -> (u16, String, String) {
        let token = token.unwrap_or(&self.token);
        let headers = [("authorization", format!("Bearer {token}"))];
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut event = webhook_event::function_url_event(method, path, &headers, &body, at.timestamp());
        if !query.is_empty() {
            event["rawQueryString"] = serde_json::json!(query);
            let parameters: serde_json::Map<String, serde_json::Value> = form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), serde_json::json!(v.into_owned())))
                .collect();
            event["queryStringParameters"] = serde_json::Value::Object(parameters);
        }
        let response = duly_settings::handle(&self.settings, webhook_event::to_request(&event), at).await;
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = match response.body() {
            lambda_http::Body::Text(t) => t.clone(),
            _ => String::new(),
        };
        (response.status().as_u16(), content_type, text)
    }

    /// Calls the answers function the way a debtor's browser (or mail client) does.
    pub async fn answer(
        &self,
        method: &str,
        path: &str,
        form: &str,
        at: DateTime<Utc>,
    ) -> (u16, String, Option<String>) {
        let headers = [("content-type", "application/x-www-form-urlencoded".to_string())];
        let event = webhook_event::function_url_event(method, path, &headers, form, at.timestamp());
        let response = duly_answers::handle(&self.answers, webhook_event::to_request(&event), at).await;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = match response.body() {
            lambda_http::Body::Text(t) => t.clone(),
            _ => String::new(),
        };
        (response.status().as_u16(), body, location)
    }

    /// A file the answers function hands out at `path`: its status, bytes and `Content-Disposition`.
    pub async fn answer_file(&self, path: &str, at: DateTime<Utc>) -> (u16, Vec<u8>, Option<String>) {
        let event = webhook_event::function_url_event("GET", path, &[], "", at.timestamp());
        let response = duly_answers::handle(&self.answers, webhook_event::to_request(&event), at).await;
        let disposition = response
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (response.status().as_u16(), response.body().to_vec(), disposition)
    }

    /// The headers of the answer page at `path`.
    pub async fn answer_headers(&self, path: &str, at: DateTime<Utc>) -> http::HeaderMap {
        let event = webhook_event::function_url_event("GET", path, &[], "", at.timestamp());
        let response = duly_answers::handle(&self.answers, webhook_event::to_request(&event), at).await;
        response.headers().clone()
    }

    /// Number of items in the table (tests only: production code never scans).
    pub async fn item_count(&self) -> usize {
        let out = self
            .store
            .client()
            .scan()
            .table_name(self.store.table())
            .send()
            .await
            .expect("scan the local table");
        out.items().len()
    }
}

/// The link signer of the local stack; the answers function uses the same.
pub fn test_links() -> duly_core::messages::links::Links {
    duly_core::messages::links::Links::new(b"local-link-secret", "https://answers.duly.test")
}

/// `2026-11-30T08:00:00Z` style instants.
pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}
