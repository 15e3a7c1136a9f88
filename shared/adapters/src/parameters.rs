//! Settings the stack keeps in SSM Parameter Store because they cannot be given in a function's
//! environment: the web app's URL is its own Function URL's, known only once the function exists.

/// The web app's URL from the parameter `DULY_APP_URL_PARAMETER` names, read once at a cold start. Without
/// it the connect function's pages go without the button into the app, and the web function does not
/// start: it never builds a sign-in link from a request's `Host` header, which a front door could pass on
/// from anyone.
pub async fn app_url(ssm: &aws_sdk_ssm::Client) -> Option<String> {
    let name = std::env::var("DULY_APP_URL_PARAMETER").ok()?;
    match ssm.get_parameter().name(name).send().await {
        Ok(out) => out.parameter().and_then(|p| p.value()).map(str::to_string),
        Err(e) => {
            tracing::warn!(error = %aws_sdk_ssm::error::DisplayErrorContext(&e), "the app's URL could not be read");
            None
        }
    }
}
