use super::*;
use crate::report::fixtures;

#[test]
fn shows_verdict_grid_counts_waivers_and_failing_details() {
    let report = fixtures::sample();
    let page = to_html(&report);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<h1 id=\"verdict-label\">NOT CERTIFIED</h1>"));
    assert!(page.contains("data-cell=\"khqr/generate\""));
    for g in Grade::ALL {
        let n = report.summary.grades.get(g);
        assert!(
            page.contains(&format!(
                "data-grade=\"{g}\"><span class=\"grade\">{g}</span><b data-count=\"{n}\">{n}</b>"
            )),
            "{g}"
        );
    }
    assert_eq!(
        page.matches("<tr class=\"case\"").count(),
        report.cases.len()
    );
    let not_pass = report
        .cases
        .iter()
        .filter(|c| c.grade != Grade::Pass)
        .count();
    assert_eq!(page.matches("<article class=\"detail").count(), not_pass);
    // Rules with their reference and summary, from report.rules.
    assert!(page.contains("<code>EMV.63.CRC_MISMATCH</code> <strong>MUST</strong> · <span class=\"ref\">§4.7.3.1</span>"));
    // Waivers in every state.
    for s in ["active", "stale", "expired", "unused"] {
        assert!(page.contains(&format!("class=\"state-{s}\"")), "{s}");
    }
    // Expected vs observed, field by field: the generator cut the merchant name.
    assert!(
        page.contains("payload/59: &quot;QRCERT SYNTHETIC&quot; → &quot;QRCERT SYNTHETI&quot;")
    );
    // The failing render's image is embedded.
    assert!(page.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"));
    assert!(page.contains("alt=\"reply.png of JPQR-REN-001\""));
}

#[test]
fn loads_nothing_from_outside() {
    let page = to_html(&fixtures::sample());
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no external URL at all"
    );
    for attr in ["src=\"", "href=\""] {
        for (i, _) in page.match_indices(attr) {
            let rest = &page[i + attr.len()..];
            assert!(
                rest.starts_with("data:image/png;base64,") || rest.starts_with('#'),
                "{}",
                &rest[..40.min(rest.len())]
            );
        }
    }
    assert!(page.contains("Content-Security-Policy"));
    assert!(!page.contains("<link"));
}

#[test]
fn escapes_hostile_text() {
    let mut report = fixtures::sample();
    let c = report
        .cases
        .iter_mut()
        .find(|c| c.grade == Grade::Fail)
        .unwrap();
    c.message = "</td><script>alert(1)</script><img src=https://evil.example/x>".into();
    c.title = "\"><b>bold</b>".into();
    c.observed = serde_json::json!({"payload": "<script>x</script>"});
    let page = to_html(&report);
    assert_eq!(
        page.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(page.contains("&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<b>bold</b>"));
    assert!(!page.contains("<img src=https"));
}

#[test]
fn a_certified_run_renders_too() {
    let page = to_html(&fixtures::reference_run());
    assert!(page.contains(">CERTIFIED</h1>"));
    assert!(page.contains("No waivers."));
    assert_eq!(page.matches("<article class=\"detail").count(), 0);
}
