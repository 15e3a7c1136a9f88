//! Debian's Chromium, driven through `chromedriver` over WebDriver: started on a free port, headless, with
//! a phone-sized or desktop window, and stopped when dropped.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// A running `chromedriver`; the process ends with this value.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
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
