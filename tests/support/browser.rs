//! Debian's Chromium, driven through `chromedriver` over WebDriver: started on a free port, headless, with
//! a phone-sized or desktop window, and stopped when dropped.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// A running `chromedriver` and the browsers it started; they all end with this value.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Chromium outlives a killed chromedriver, so a test that panics before closing its session would
        // leave its browser running: the driver leads its own process group, and the whole group ends.
        let group = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is involved.
        #[allow(unsafe_code)]
        let _ = unsafe { libc::kill(-group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Driver {
    /// Starts `chromedriver` and waits until it answers.
    pub async fn start() -> Driver {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver is installed (make test installs Debian's chromium-driver)");
        let url = format!("http://127.0.0.1:{port}");
        let driver = Driver { child, url };
        for _ in 0..100 {
            if reqwest::get(format!("{}/status", driver.url)).await.is_ok() {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start");
    }

    /// A new headless browser whose viewport is `width` by `height` CSS pixels.
    pub async fn browser(&self, width: u32, height: u32) -> Client {
        let mut caps = serde_json::Map::new();
        // Without the background-networking flags Chromium keeps dialling out on a closed network.
        // A window cannot be narrower than 500 px; a phone's viewport is emulated instead.
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": "/usr/bin/chromium", "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900"
            ], "mobileEmulation": {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}}}),
        );
        ClientBuilder::rustls()
            .expect("a TLS backend")
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a WebDriver session")
    }
}

/// axe-core's script, installed from npm by `make test` (`.ci/axe`).
fn axe_script() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (make test installs axe-core from npm)", path.display()))
}

/// The accessibility rules axe-core finds broken on the page now, each as `rule (impact): help — where`;
/// empty when it passes. axe-core's default rule set: WCAG 2.x A and AA and its best practices.
pub async fn axe_violations(browser: &Client) -> Vec<String> {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let script = SCRIPT.get_or_init(axe_script);
    browser
        .execute(&format!("{script}\nreturn typeof window.axe;"), vec![])
        .await
        .expect("axe-core loads into the page");
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, {resultTypes: ['violations']})
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe-core failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    serde_json::from_value(found).expect("a list of violations")
}

/// Fails with every violation named when axe-core finds any on the page.
pub async fn assert_accessible(browser: &Client, page: &str) {
    let violations = axe_violations(browser).await;
    assert!(
        violations.is_empty(),
        "{page}: axe-core finds {} violation(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
}
