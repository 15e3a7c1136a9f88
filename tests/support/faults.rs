//! A proxy in front of the local AWS endpoint that breaks things on purpose: it throttles a share of one
//! service's calls, makes a service unavailable, slows it down, or holds a call (before or after the
//! endpoint saw it) until the test kills the caller. The functions under test talk to it exactly as they
//! talk to AWS; nothing in them knows.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{HeaderMap, Request, Response, StatusCode};
use axum::Router;
use tokio::sync::Notify;

/// Which AWS service a request is for, from its signature's credential scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    DynamoDb,
    /// Every SES call; a fault here covers [`Service::SesSendEmail`] too.
    Ses,
    /// SES's `SendEmail` alone (not the sending domain's state).
    SesSendEmail,
    /// Every SNS call; a fault here covers [`Service::SnsPublish`] too.
    Sns,
    /// SNS's `Publish` alone, the text messages (not the opt-out look-ups).
    SnsPublish,
    Other,
}

fn service_of(headers: &HeaderMap, path: &str, body: &[u8]) -> Service {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let scope = auth.split("Credential=").nth(1).unwrap_or("");
    match scope.split('/').nth(3) {
        Some("dynamodb") => Service::DynamoDb,
        Some("ses") if path.starts_with("/v2/email/outbound-emails") => Service::SesSendEmail,
        Some("ses") => Service::Ses,
        Some("sns") if form_action(body) == Some("Publish") => Service::SnsPublish,
        Some("sns") => Service::Sns,
        _ => Service::Other,
    }
}

/// The `Action` of a query-protocol call (SNS's), from its form body.
fn form_action(body: &[u8]) -> Option<&str> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
}

/// What the proxy does to one service's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Every `n`th call is answered with the service's throttling error (n = 10: 10 % of calls).
    Throttle { every: u32 },
    /// Every call is answered 503.
    Down,
    /// Every call waits this long first.
    Slow(Duration),
    /// The call is never forwarded and never answered: the caller dies before the service saw it.
    HoldBefore,
    /// The call is forwarded and the service acts on it, but the answer never reaches the caller.
    HoldAfter,
    /// Calls are taken at most this many a second, each waiting for its turn: a service account's
    /// sending rate.
    Paced { per_second: u32 },
}

#[derive(Default)]
struct Rules {
    faults: Vec<(Service, Fault)>,
}

#[derive(Clone)]
struct Shared {
    upstream: String,
    rules: Arc<Mutex<Rules>>,
    held: Arc<Notify>,
    /// Calls to services with a fault, for faults that hit every nth.
    calls: Arc<AtomicU32>,
    injected: Arc<AtomicU32>,
    http: reqwest::Client,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
    /// The configuration set each SES `SendEmail` named, in order.
    email_sets: Arc<Mutex<Vec<Option<String>>>>,
    /// The turns of each paced service (its own, as an account's SES and SMS rates are apart), as the
    /// outbound paces its own sends.
    paces: Arc<Mutex<Vec<(Service, duly_adapters::outbound::Pace)>>>,
}

/// One call reaching the proxy, or its answer leaving it: for measuring windows between calls.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub service: Service,
    /// DynamoDB's operation (`TransactWriteItems`…); empty for the other services.
    pub operation: String,
    /// `false` when the call arrived, `true` when the endpoint's answer went back.
    pub answered: bool,
    pub at: std::time::Instant,
}

/// A running proxy; dropping it does not stop it (it lives as long as the test's runtime).
#[derive(Clone)]
pub struct FaultProxy {
    pub url: String,
    shared: Shared,
}

fn throttled(service: Service) -> Response<Body> {
    let (status, content_type, error_type, body) = match service {
        Service::DynamoDb => (
            400,
            "application/x-amz-json-1.0",
            "",
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#.to_string(),
        ),
        Service::Ses | Service::SesSendEmail => (
            429,
            "application/json",
            "TooManyRequestsException",
            r#"{"message":"Maximum sending rate exceeded."}"#.to_string(),
        ),
        _ => (
            400,
            "text/xml",
            "",
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>".to_string(),
        ),
    };
    let mut response = Response::builder().status(status).header("content-type", content_type);
    if !error_type.is_empty() {
        response = response.header("x-amzn-errortype", error_type);
    }
    response.body(Body::from(body)).expect("a static response")
}

async fn forward(shared: &Shared, request: Request<Body>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 64 * 1024 * 1024).await.unwrap_or_default();
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if parts.uri.path() == "/v2/email/outbound-emails" {
        let named = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|b| b["ConfigurationSetName"].as_str().map(str::to_string));
        shared.email_sets.lock().unwrap().push(named);
    }
    let mut upstream = shared
        .http
        .request(parts.method.clone(), format!("{}{path}", shared.upstream))
        .body(body.to_vec());
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name, value);
        }
    }
    match upstream.send().await {
        Ok(answer) => {
            let mut response = Response::builder().status(answer.status().as_u16());
            for (name, value) in answer.headers() {
                if name != "content-length" && name != "transfer-encoding" {
                    response = response.header(name, value);
                }
            }
            let bytes = answer.bytes().await.unwrap_or_default();
            response.body(Body::from(bytes)).expect("a forwarded response")
        }
        Err(_) => Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .body(Body::empty())
            .expect("a static response"),
    }
}

async fn handle(State(shared): State<Shared>, request: Request<Body>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 64 * 1024 * 1024).await.unwrap_or_default();
    let service = service_of(&parts.headers, parts.uri.path(), &body);
    let request = Request::from_parts(parts, Body::from(body));
    let operation = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.rsplit('.').next())
        .unwrap_or("")
        .to_string();
    shared.arrivals.lock().unwrap().push(Arrival {
        service,
        operation: operation.clone(),
        answered: false,
        at: std::time::Instant::now(),
    });
    let fault = {
        let rules = shared.rules.lock().unwrap();
        let of = |wanted: Service| rules.faults.iter().find(|(s, _)| *s == wanted).copied();
        match service {
            Service::SesSendEmail => of(Service::SesSendEmail).or_else(|| of(Service::Ses)),
            Service::SnsPublish => of(Service::SnsPublish).or_else(|| of(Service::Sns)),
            other => of(other),
        }
    };
    // Counted among the faulted service's calls only: how many calls of other services come between
    // must not decide which of its calls are hit.
    let n = match fault {
        Some(_) => shared.calls.fetch_add(1, Ordering::SeqCst) + 1,
        None => 0,
    };
    let (ruled, fault) = (fault.map(|(s, _)| s), fault.map(|(_, f)| f));
    match fault {
        Some(Fault::Throttle { every }) if n % every == 0 => {
            shared.injected.fetch_add(1, Ordering::SeqCst);
            throttled(service)
        }
        Some(Fault::Down) => {
            shared.injected.fetch_add(1, Ordering::SeqCst);
            Response::builder()
                .status(StatusCode::SERVICE_UNAVAILABLE)
                .body(Body::empty())
                .expect("a static response")
        }
        Some(Fault::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            forward(&shared, request).await
        }
        Some(Fault::Paced { .. }) => {
            let pace = shared
                .paces
                .lock()
                .unwrap()
                .iter()
                .find(|(s, _)| Some(*s) == ruled)
                .map(|(_, p)| p.clone());
            if let Some(pace) = pace {
                pace.wait().await;
            }
            forward(&shared, request).await
        }
        Some(Fault::HoldBefore) => {
            shared.held.notify_one();
            std::future::pending().await
        }
        Some(Fault::HoldAfter) => {
            let _ = forward(&shared, request).await;
            shared.held.notify_one();
            std::future::pending().await
        }
        _ => {
            let response = forward(&shared, request).await;
            shared.arrivals.lock().unwrap().push(Arrival {
                service,
                operation,
                answered: true,
                at: std::time::Instant::now(),
            });
            response
        }
    }
}

impl FaultProxy {
    /// Starts a proxy to the local endpoint on a free loopback port.
    pub async fn start() -> FaultProxy {
        let shared = Shared {
            upstream: crate::endpoint(),
            rules: Arc::default(),
            held: Arc::new(Notify::new()),
            calls: Arc::default(),
            injected: Arc::default(),
            http: reqwest::Client::new(),
            arrivals: Arc::default(),
            email_sets: Arc::default(),
            paces: Arc::default(),
        };
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("the proxy serves") });
        FaultProxy { url, shared }
    }

    /// Breaks `service` this way from now on (replacing an earlier fault of that service).
    pub fn inject(&self, service: Service, fault: Fault) {
        if let Fault::Paced { per_second } = fault {
            let pace = duly_adapters::outbound::Pace::every(Some(Duration::from_secs(1) / per_second.max(1)));
            let mut paces = self.shared.paces.lock().unwrap();
            paces.retain(|(s, _)| *s != service);
            paces.push((service, pace));
        }
        let mut rules = self.shared.rules.lock().unwrap();
        rules.faults.retain(|(s, _)| *s != service);
        rules.faults.push((service, fault));
    }

    /// Every service works again.
    pub fn heal(&self) {
        self.shared.rules.lock().unwrap().faults.clear();
    }

    /// Waits until a held call has arrived (and, for [`Fault::HoldAfter`], reached the service).
    pub async fn held(&self) {
        tokio::time::timeout(Duration::from_secs(30), self.shared.held.notified())
            .await
            .expect("the held call arrives");
    }

    /// Every call so far, in the order it arrived.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.shared.arrivals.lock().unwrap().clone()
    }

    /// The configuration set each e-mail sent through the proxy named, in order (`None`: none).
    pub fn email_configuration_sets(&self) -> Vec<Option<String>> {
        self.shared.email_sets.lock().unwrap().clone()
    }

    /// Faults injected so far (throttles and unavailable answers).
    pub fn injected(&self) -> u32 {
        self.shared.injected.load(Ordering::SeqCst)
    }

    /// SDK configuration that reaches the local endpoint through this proxy.
    pub fn aws_config(&self) -> aws_config::SdkConfig {
        crate::aws_config().into_builder().endpoint_url(&self.url).build()
    }
}
