//! The HTML report as a user sees it: rendered by headless Chromium, checked from the DOM after
//! the page's script ran, and photographed to `target/test-output/report.png`.
//!
//! Needs `/usr/bin/chromium` (Debian package `chromium`; `scripts/test`, the README's test
//! command, installs it). Without it the test fails and says how to install it: it is never
//! skipped.

mod browser_support;

use std::path::Path;

use browser_support::{chromium, output_dir, run_chromium};
use qrcert::report::fixtures;
use qrcert::report::html::to_html;
use qrcert::report::{Grade, Report};

fn dump_dom(bin: &Path, page: &Path, fragment: &str) -> String {
    let url = format!("file://{}{fragment}", page.display());
    run_chromium(
        bin,
        &[
            "--virtual-time-budget=5000".into(),
            "--dump-dom".into(),
            url,
        ],
    )
}

/// The text inside the first element opening with `open` (up to the next `<`).
fn text_after<'a>(dom: &'a str, open: &str) -> &'a str {
    let i = dom
        .find(open)
        .unwrap_or_else(|| panic!("{open} not in the DOM"));
    let rest = &dom[i + open.len()..];
    &rest[..rest.find('<').unwrap_or(rest.len())]
}

fn rows(dom: &str) -> Vec<&str> {
    dom.match_indices("<tr class=\"case\"")
        .map(|(i, _)| {
            let rest = &dom[i..];
            &rest[..rest.find('>').unwrap()]
        })
        .collect()
}

/// The details article of case `id`.
fn article<'a>(dom: &'a str, id: &str) -> &'a str {
    dom.match_indices("<article")
        .map(|(i, _)| &dom[i..i + dom[i..].find("</article>").unwrap()])
        .find(|a| a[..a.find('>').unwrap()].contains(&format!("data-id=\"{id}\"")))
        .unwrap_or_else(|| panic!("no details for {id}"))
}

#[test]
fn the_html_report_in_headless_chromium() {
    let bin = chromium();
    let report: Report = fixtures::sample();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let html = to_html(&report);
    std::fs::write(&page, &html).unwrap();

    // As opened: the script ran, the verdict and the counts are shown, every case is listed.
    let dom = dump_dom(&bin, &page, "");
    assert!(
        dom.contains("data-filters=\"ready\""),
        "the page's script did not run"
    );
    assert_eq!(
        text_after(&dom, "<h1 id=\"verdict-label\">"),
        "NOT CERTIFIED"
    );
    assert_eq!(
        text_after(&dom, "<strong id=\"implementation\">"),
        "deviant-qr 0.9.0"
    );
    assert_eq!(
        text_after(&dom, "<span id=\"total\">"),
        report.summary.total.to_string()
    );
    for g in Grade::ALL {
        let n = report.summary.grades.get(g);
        assert!(
            dom.contains(&format!("<b data-count=\"{n}\">{n}</b>")),
            "count of {g} not shown"
        );
    }
    let all = report.cases.len();
    assert_eq!(
        text_after(&dom, "data-shown=\"").split('"').next(),
        Some(all.to_string().as_str())
    );
    assert!(dom.contains(&format!("{all} of {all} cases shown")));
    assert_eq!(rows(&dom).len(), all);
    assert!(rows(&dom).iter().all(|r| !r.contains("hidden")));

    // A failing case's details: message, expected vs observed, rules, vector, image.
    let render = article(&dom, "JPQR-REN-001");
    assert!(render.contains("data-grade=\"FAIL\""));
    assert!(render.contains("the image decodes to a different payload"));
    assert!(render.contains("<pre class=\"expected\">"));
    assert!(render.contains("<pre class=\"observed\">"));
    assert!(render.contains("SAKURA TEST CAFE"));
    assert!(render.contains("vectors/jpqr/render.yaml:3"));
    assert!(render.contains("<img src=\"data:image/png;base64,"));
    let crc = article(&dom, "EMV-CRC-001");
    assert!(crc.contains("data-grade=\"WAIVED\""));
    assert!(crc.contains("<code>EMV.63.CRC_MISMATCH</code> <strong>MUST</strong>"));

    // Filters: a linked view of the FAIL cases hides every other row.
    let fails = report.summary.grades.get(Grade::Fail) as usize;
    let dom = dump_dom(&bin, &page, "#grade=FAIL");
    assert!(
        dom.contains(&format!("{fails} of {all} cases shown")),
        "grade filter"
    );
    let visible: Vec<&str> = rows(&dom)
        .into_iter()
        .filter(|r| !r.contains("hidden"))
        .collect();
    assert_eq!(visible.len(), fails);
    assert!(visible.iter().all(|r| r.contains("data-grade=\"FAIL\"")));
    // Free text and profile together.
    let dom = dump_dom(&bin, &page, "#profile=khqr&q=render");
    assert!(
        dom.contains(&format!("1 of {all} cases shown")),
        "text + profile filter"
    );

    // Offline: nothing but data: URIs and in-page anchors.
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let v = &html[i + attr.len()..];
            assert!(
                v.starts_with("data:") || v.starts_with('#'),
                "external reference"
            );
        }
    }
    assert!(!html.contains("http://") && !html.contains("https://"));

    // A screenshot for people, with the red verdict banner at the top.
    std::fs::write(output_dir().join("report.html"), &html).unwrap();
    let shot = output_dir().join("report.png");
    let _ = std::fs::remove_file(&shot);
    run_chromium(
        &bin,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".into(),
            "--virtual-time-budget=5000".into(),
            format!("file://{}", page.display()),
        ],
    );
    let bytes = std::fs::read(&shot).expect("screenshot written");
    let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .expect("screenshot is a PNG")
        .to_rgb8();
    assert_eq!((img.width(), img.height()), (1280, 2000));
    let red = img
        .enumerate_pixels()
        .filter(|(_, y, p)| *y < 200 && p[0] > 180 && p[1] < 80 && p[2] < 80)
        .count();
    assert!(
        red > 10_000,
        "the NOT CERTIFIED banner is not visible ({red} red pixels)"
    );
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn the_direction_filter_shows_one_cross_border_direction() {
    let bin = chromium();
    let mut report: Report = fixtures::sample();
    for c in report.cases.iter_mut().take(2) {
        c.direction = Some(qrcert::role::Direction {
            wallet: qrcert::Profile::Jpqr,
            code: qrcert::Profile::Khqr,
        });
    }
    report.recompute();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, to_html(&report)).unwrap();
    let all = report.cases.len();
    let dom = dump_dom(&bin, &page, "#direction=jpqr-at-khqr");
    assert!(
        dom.contains(&format!("2 of {all} cases shown")),
        "direction filter"
    );
    let visible: Vec<&str> = rows(&dom)
        .into_iter()
        .filter(|r| !r.contains("hidden"))
        .collect();
    assert_eq!(visible.len(), 2);
    assert!(
        visible
            .iter()
            .all(|r| r.contains("data-direction=\"jpqr-at-khqr\""))
    );
    assert!(dom.contains("Cross-border certificate, by direction"));
}
