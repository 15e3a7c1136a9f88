//! The e-mail previews `make demo` writes open in a real browser: headless Chromium takes a screenshot of
//! one, and the picture must show the creditor's logo in the header and a pay button in the brand colour.
//! The creditor's logo URL is swapped for a local copy, since nothing outside this machine is reachable.

use std::path::{Path, PathBuf};
use std::process::Command;

const LOGO_URL: &str = "https://nordwind.example/brand/logo.png";
const LOGO_RGB: [u8; 3] = [0xf5, 0x9f, 0x00];
const BRAND_RGB: [u8; 3] = [0x0b, 0x72, 0x85];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn near(pixel: &[u8], rgb: [u8; 3]) -> bool {
    pixel.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 12)
}

fn screenshot(html: &Path, out: &Path) {
    let profile = out.with_extension("profile");
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=700,1400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", out.display()))
        .arg(format!("file://{}", html.display()))
        .status()
        .expect("chromium runs (make test installs Debian's chromium)");
    assert!(status.success(), "chromium failed: {status}");
}

#[test]
fn a_demo_preview_shows_the_logo_and_the_pay_button() {
    let previews = repo().join("demo-output");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&previews)
        .unwrap_or_else(|_| panic!("{} is missing: make test runs the demo first", previews.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    files.sort();
    let first = files.first().expect("the demo wrote previews");
    let html = std::fs::read_to_string(first).unwrap();
    assert!(html.contains(LOGO_URL), "the preview shows the creditor's logo URL");

    let work = std::env::temp_dir().join(format!("duly-preview-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let logo = repo().join("tests/fixtures/nordwind-logo.svg").canonicalize().unwrap();
    let local = work.join("preview.html");
    std::fs::write(&local, html.replace(LOGO_URL, &format!("file://{}", logo.display()))).unwrap();
    let shot = work.join("preview.png");
    screenshot(&local, &shot);

    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (width, height) = (info.width as usize, info.height as usize);
    let pixel = |x: usize, y: usize| &buf[(y * width + x) * channels..(y * width + x) * channels + 3];

    // The logo: its orange fills part of the header band at the top.
    let logo_pixels = (0..140.min(height))
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| near(pixel(x, y), LOGO_RGB))
        .count();
    assert!(
        logo_pixels > 500,
        "the logo is visible in the header ({logo_pixels} pixels)"
    );

    // The pay button: below the header, a row with a long solid run of the brand colour, with white text on it.
    let mut button_row = None;
    for y in 140..height {
        let mut run = 0;
        let mut longest = 0;
        for x in 0..width {
            run = if near(pixel(x, y), BRAND_RGB) { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        if longest >= 100 {
            button_row = Some(y);
            break;
        }
    }
    let top = button_row.expect("a pay button in the brand colour below the header");
    let white_text = (top..(top + 44).min(height))
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = pixel(x, y);
            p.iter().all(|c| *c > 235)
                && (x > 0 && near(pixel(x - 1, y), BRAND_RGB) || near(pixel((x + 1).min(width - 1), y), BRAND_RGB))
        })
        .count();
    assert!(
        white_text > 20,
        "the button carries a white label ({white_text} edge pixels)"
    );
    std::fs::copy(&shot, previews.join("screenshot.png")).unwrap();
}
