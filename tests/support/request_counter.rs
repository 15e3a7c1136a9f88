//! Counts DynamoDB requests by operation through an SDK interceptor: every attempt that goes on the wire,
//! retries included.

use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;

#[derive(Debug, Clone, Default)]
pub struct RequestCounter {
    operations: Arc<Mutex<Vec<String>>>,
}

impl RequestCounter {
    /// Operation names (`TransactWriteItems`, `GetItem`, …) since the last reset.
    pub fn operations(&self) -> Vec<String> {
        self.operations.lock().unwrap().clone()
    }

    pub fn reset(&self) {
        self.operations.lock().unwrap().clear();
    }

    pub fn count(&self) -> usize {
        self.operations.lock().unwrap().len()
    }
}

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // DynamoDB's JSON protocol names the operation in X-Amz-Target: "DynamoDB_20120810.GetItem".
        let target = context.request().headers().get("x-amz-target").unwrap_or("unknown");
        let operation = target.rsplit('.').next().unwrap_or(target).to_string();
        self.operations.lock().unwrap().push(operation);
        Ok(())
    }
}

/// A DynamoDB client for the local endpoint whose requests are counted.
pub fn counted_client(counter: &RequestCounter) -> aws_sdk_dynamodb::Client {
    counted_client_with(counter, &crate::aws_config())
}

/// A counted DynamoDB client with its own SDK configuration (another endpoint, say).
pub fn counted_client_with(counter: &RequestCounter, sdk: &aws_config::SdkConfig) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::config::Builder::from(sdk)
        .interceptor(counter.clone())
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}
