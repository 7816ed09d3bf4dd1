//! Scan and render certification through the real run: the reference implementation climbs the
//! distortion ladder and the report counts each rung; implementations with the known image
//! mistakes (showing the previous code, guessing, blind to small prints, automatic
//! segmentation, no quiet zone, low error correction, no ECI, broken or hostile PNGs) are
//! graded exactly as the policy says.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use qrcert::adapter::config::AdapterConfig;
use qrcert::adapter::library::Implementation;
use qrcert::adapter::protocol::{Description, Fields, ImplError, Timestamp, ValidateReply};
use qrcert::image::png::read_header;
use qrcert::image::{EcLevel, EciPolicy, RenderOptions, Segmentation, render_png};
use qrcert::reference::Reference;
use qrcert::report::{CaseReport, Grade, Report, Verdict};
use qrcert::runner::select::Filters;
use qrcert::runner::{RunOptions, run};
use qrcert::{Capability, Clock, Profile};
use serde_json::Value;
use tokio::sync::mpsc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

async fn certify(imp: Option<Arc<dyn Implementation>>, filters: Filters, jobs: usize) -> Report {
    let options = RunOptions {
        adapter: AdapterConfig::from_arg("builtin").unwrap(),
        vectors_dir: root().join("vectors"),
        features_dir: root().join("features"),
        filters,
        clock: "2026-05-28T20:41:40Z".parse::<Clock>().unwrap(),
        timeout: None,
        jobs,
        list_only: false,
        max_consecutive_faults: qrcert::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS,
        builtin: imp,
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let outcome = run(options, tx).await;
    drain.await.unwrap();
    outcome.unwrap().report.expect("a report")
}

fn vectors(globs: &[&str]) -> Filters {
    Filters {
        vectors: globs.iter().map(|g| (*g).to_owned()).collect(),
        ..Filters::default()
    }
}

fn case<'a>(report: &'a Report, id: &str) -> &'a CaseReport {
    report
        .cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} did not run"))
}

/// Forwards everything to the reference, except the operation a test overrides.
macro_rules! delegate_all_but {
    (scan) => {
        delegate_all_but!(@common);
        fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
            Reference::new().render(payload)
        }
    };
    (render) => {
        delegate_all_but!(@common);
        fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
            Reference::new().scan(png)
        }
    };
    (@common) => {
        fn describe(&self) -> Description {
            Reference::new().describe()
        }
        fn parse(&self, payload: &str) -> Result<Fields, ImplError> {
            Reference::new().parse(payload)
        }
        fn validate(
            &self,
            payload: &str,
            profile: Profile,
            now: Option<Timestamp>,
        ) -> Result<ValidateReply, ImplError> {
            Reference::new().validate(payload, profile, now)
        }
        fn generate(&self, profile: Profile, input: &Value) -> Result<String, ImplError> {
            Reference::new().generate(profile, input)
        }
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_reads_every_required_rung_and_the_report_counts_each_rung() {
    let report = certify(
        None,
        Filters {
            capabilities: vec![Capability::Scan],
            tags: Some("ladder".parse().unwrap()),
            tags_text: Some("ladder".into()),
            ..Filters::default()
        },
        4,
    )
    .await;
    assert_eq!(report.verdict, Verdict::Certified);
    let ladder = qrcert::image::ladder();
    // Every profile with golden images has its ladder: EMVCo and the national profiles.
    let laddered: Vec<Profile> = Profile::ALL
        .into_iter()
        .filter(|p| report.scan_ladder.iter().any(|r| r.profile == *p))
        .collect();
    assert!(laddered.len() >= 5, "{laddered:?}");
    for &profile in &laddered {
        let rows: Vec<_> = report
            .scan_ladder
            .iter()
            .filter(|r| r.profile == profile)
            .collect();
        // Every rung of the ladder has a row, in ladder order.
        let ids: Vec<&str> = rows.iter().map(|r| r.rung.as_str()).collect();
        let want: Vec<String> = ladder.iter().map(|r| r.id()).collect();
        assert_eq!(ids, want, "{profile}");
        for r in &rows {
            assert_eq!(
                r.read + r.misread + r.not_detected + r.other,
                r.cases,
                "{profile} {}",
                r.rung
            );
            assert_eq!(r.misread, 0, "{profile} {}: the reference misread", r.rung);
            if r.required {
                assert_eq!(r.read, r.cases, "{profile} {}: required, not read", r.rung);
            }
        }
        // The golden images other than the first are read at the hardest required rungs.
        let blur2 = rows.iter().find(|r| r.rung == "blur-2").unwrap();
        assert!(blur2.required && blur2.cases >= 2, "{blur2:?}");
    }
    // Stress rungs the reference cannot read are INFO, never FAIL.
    let info: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|c| c.grade == Grade::Info)
        .collect();
    assert!(!info.is_empty());
    for c in info {
        assert_eq!(c.expected["required"], false, "{}", c.id);
        assert_eq!(c.observed["outcome"], "not_detected", "{}", c.id);
    }
    let json: Value = serde_json::from_slice(&report.to_canonical_json()).unwrap();
    assert_eq!(
        json["scan_ladder"].as_array().unwrap().len(),
        laddered.len() * ladder.len()
    );
    // The report, ladder included, fits the published schema.
    let schema: Value = serde_json::from_str(qrcert::report::schema::REPORT_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The summary and the page show the per-rung counts.
    let md = qrcert::report::markdown::to_markdown(&report, 10);
    assert!(md.contains("### Scan ladder"), "{md}");
    assert!(md.contains("| khqr | rotate | **1/1** |"), "{md}");
    let page = qrcert::report::html::to_html(&report);
    assert!(page.contains("data-rung=\"khqr/blur-2\""));
}

/// A scanner that shows the previous code when it cannot read the current one, the bug seen in
/// live wallet apps.
struct ShowsPrevious {
    last: Mutex<Option<String>>,
}

impl Implementation for ShowsPrevious {
    delegate_all_but!(scan);
    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        let mut last = self.last.lock().unwrap();
        match Reference::new().scan(png) {
            Ok(p) => {
                *last = Some(p.clone());
                Ok(p)
            }
            Err(e) => last.clone().ok_or(e),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scanner_that_returns_the_previous_payload_fails_the_sequences() {
    let imp = ShowsPrevious {
        last: Mutex::new(None),
    };
    // One case at a time, so "previous" is the previous frame of the same sequence.
    let report = certify(Some(Arc::new(imp)), vectors(&["KHQR-SEQUENCE-*"]), 1).await;
    assert_eq!(report.verdict, Verdict::NotCertified);
    for id in ["KHQR-SEQUENCE-001", "KHQR-SEQUENCE-002"] {
        let c = case(&report, id);
        assert_eq!(c.grade, Grade::Fail, "{id}: {}", c.message);
        assert!(c.message.contains("earlier"), "{id}: {}", c.message);
        assert_eq!(c.observed["outcome"], "stale", "{id}");
    }
    // Where the last frame is readable (006's stress frame too, since the reference's retries
    // enlarge small symbols), the stale intermediate answer does not matter.
    for id in [
        "KHQR-SEQUENCE-003",
        "KHQR-SEQUENCE-004",
        "KHQR-SEQUENCE-005",
        "KHQR-SEQUENCE-006",
    ] {
        assert_eq!(case(&report, id).grade, Grade::Pass, "{id}");
    }
    // The reference itself passes the same sequences, the stress frame included.
    let reference = certify(None, vectors(&["KHQR-SEQUENCE-*"]), 1).await;
    assert_eq!(reference.verdict, Verdict::Certified);
    assert_eq!(case(&reference, "KHQR-SEQUENCE-006").grade, Grade::Pass);
}

/// A scanner that guesses a payload when it cannot read the image.
struct Guesses;

const GUESS: &str = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";

impl Implementation for Guesses {
    delegate_all_but!(scan);
    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        Reference::new().scan(png).or_else(|_| Ok(GUESS.to_owned()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misread_fails_even_at_a_stress_rung() {
    // glare-4 and glare-5 of the Khmer sample: stress rungs the reference does not read (the
    // glare wipes out more modules than error correction can restore).
    let report = certify(Some(Arc::new(Guesses)), vectors(&["KHQR-LADDER-03[45]"]), 2).await;
    assert_eq!(report.cases.len(), 2);
    for c in &report.cases {
        assert_eq!(c.expected["required"], false, "{}", c.id);
        assert_eq!(c.grade, Grade::Fail, "{}: {}", c.id, c.message);
        assert!(c.message.contains("misread"), "{}", c.message);
    }
    for row in report.scan_ladder.iter() {
        assert_eq!((row.misread, row.not_detected), (1, 0), "{row:?}");
    }
}

/// A scanner that cannot read images narrower than 250 pixels (small prints seen from afar).
struct NeedsBigImages;

impl Implementation for NeedsBigImages {
    delegate_all_but!(scan);
    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        let header = read_header(png).map_err(|e| ImplError::new("bad_png", e.to_string()))?;
        if header.width < 250 {
            return Err(ImplError::new("not_read", "no symbol found"));
        }
        Reference::new().scan(png)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_reading_a_required_rung_fails_and_a_stress_rung_is_info() {
    // scale-1 .. scale-5 of the Khmer sample: 0.75x, 0.5x (required), 0.375x (required,
    // under 250 px), 0.25x and 0.1875x (stress).
    let report = certify(
        Some(Arc::new(NeedsBigImages)),
        vectors(&["KHQR-LADDER-00[1-5]"]),
        2,
    )
    .await;
    assert_eq!(case(&report, "KHQR-LADDER-001").grade, Grade::Pass);
    let scale3 = case(&report, "KHQR-LADDER-003");
    assert_eq!(scale3.grade, Grade::Fail, "{}", scale3.message);
    assert!(scale3.message.contains("requires"), "{}", scale3.message);
    for id in ["KHQR-LADDER-004", "KHQR-LADDER-005"] {
        assert_eq!(case(&report, id).grade, Grade::Info, "{id}");
    }
    assert_eq!(report.verdict, Verdict::NotCertified);
    let row = report
        .scan_ladder
        .iter()
        .find(|r| r.rung == "scale-3")
        .unwrap();
    assert!(row.required);
    assert_eq!((row.cases, row.read, row.not_detected), (1, 0, 1));
}

/// A renderer with chosen options.
struct Renders(RenderOptions);

impl Implementation for Renders {
    delegate_all_but!(render);
    fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
        render_png(payload, &self.0).map_err(|e| ImplError::new("render_failed", e.to_string()))
    }
}

async fn render_run(options: RenderOptions) -> Report {
    let filters = Filters {
        capabilities: vec![Capability::Render],
        ..Filters::default()
    };
    let report = certify(Some(Arc::new(Renders(options))), filters, 4).await;
    assert!(
        report.cases.len() >= 9,
        "{} render cases",
        report.cases.len()
    );
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_segmentation_fails_and_khmer_lands_in_kanji_mode() {
    let report = render_run(RenderOptions {
        segmentation: Segmentation::Automatic,
        ..RenderOptions::default()
    })
    .await;
    // Every payload starts with digits, so every symbol has a Numeric segment at least.
    for c in &report.cases {
        assert_eq!(c.grade, Grade::Fail, "{}: {}", c.id, c.message);
        assert!(
            c.rules.iter().any(|r| r == "EMV.QR.BYTE_MODE_ONLY"),
            "{}: {:?}",
            c.id,
            c.rules
        );
    }
    let khmer = case(&report, "KHQR-RENDER-001");
    assert!(khmer.message.contains("Kanji"), "{}", khmer.message);
    let modes: Vec<&str> = khmer.observed["facts"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["mode"].as_str())
        .collect();
    assert!(modes.contains(&"kanji"), "{modes:?}");
    // The failing image is in the report, embedded.
    assert!(khmer.reply["png"]["data_base64"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thin_quiet_zone_or_low_error_correction_is_non_strict_and_none_fails() {
    // Under 4 modules is SHOULD (ISO/IEC 18004 asks for 4; EMVCo sets no threshold).
    let report = render_run(RenderOptions {
        quiet_zone: 2,
        ..RenderOptions::default()
    })
    .await;
    // SHOULD only: nothing blocks, but nothing conforms either, so a run of these cases alone
    // certifies nothing (a cell needs a PASS).
    assert_eq!(report.summary.grades.blocking(), 0);
    assert_eq!(report.verdict, Verdict::NotCertified);
    assert_eq!(
        report.verdict_reason,
        "nothing certified: no claimed capability has a passing case"
    );
    for c in &report.cases {
        assert_eq!(c.grade, Grade::NonStrict, "{}: {}", c.id, c.message);
        assert_eq!(c.rules, ["EMV.QR.QUIET_ZONE"], "{}", c.id);
        assert_eq!(c.observed["facts"]["quiet_zone_modules"], 2, "{}", c.id);
    }
    // None at all is MUST: most readers cannot find the symbol on a printed sticker.
    let report = render_run(RenderOptions {
        quiet_zone: 0,
        ..RenderOptions::default()
    })
    .await;
    assert_eq!(report.verdict, Verdict::NotCertified);
    for c in &report.cases {
        assert_eq!(c.grade, Grade::Fail, "{}: {}", c.id, c.message);
        assert_eq!(c.rules, ["EMV.QR.QUIET_ZONE_NONE"], "{}", c.id);
        assert_eq!(c.observed["facts"]["quiet_zone_modules"], 0, "{}", c.id);
    }
    let report = render_run(RenderOptions {
        ec: EcLevel::L,
        ..RenderOptions::default()
    })
    .await;
    for c in &report.cases {
        assert_eq!(c.grade, Grade::NonStrict, "{}: {}", c.id, c.message);
        assert_eq!(c.rules, ["EMV.QR.EC_LEVEL"], "{}", c.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_ascii_without_eci_26_fails_and_ascii_without_it_passes() {
    let report = render_run(RenderOptions {
        eci: EciPolicy::Never,
        ..RenderOptions::default()
    })
    .await;
    let mut ascii = 0;
    for c in &report.cases {
        let payload = c.request["payload"].as_str().unwrap();
        if payload.is_ascii() {
            ascii += 1;
            assert_eq!(c.grade, Grade::Pass, "{}: {}", c.id, c.message);
        } else {
            assert_eq!(c.grade, Grade::Fail, "{}: {}", c.id, c.message);
            assert_eq!(c.rules, ["EMV.QR.ECI_UTF8_REQUIRED"], "{}", c.id);
        }
    }
    assert!(ascii >= 3 && ascii < report.cases.len(), "{ascii}");
}

/// A renderer that answers with the same bytes whatever the payload.
struct Answers(Vec<u8>);

impl Implementation for Answers {
    delegate_all_but!(render);
    fn render(&self, _payload: &str) -> Result<Vec<u8>, ImplError> {
        Ok(self.0.clone())
    }
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    let crc = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(&body);
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend(body);
    out.extend(crc.to_be_bytes());
    out
}

/// A well-formed PNG declaring 100 000 x 100 000 pixels in under 100 bytes.
fn bomb() -> Vec<u8> {
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_or_broken_render_replies_are_errors_with_a_clear_reason() {
    let good = render_png("qrcert", &RenderOptions::default()).unwrap();
    let mut huge = good.clone();
    // Over the 32 MiB bound on images.
    huge.resize(33 * 1024 * 1024, 0);
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("bomb", bomb(), "pixel count"),
        ("truncated", good[..good.len() / 2].to_vec(), "truncated"),
        (
            "not a PNG",
            b"GIF89a not a png at all".to_vec(),
            "not a PNG",
        ),
        ("empty", Vec::new(), "empty"),
        ("huge", huge, "file size"),
    ];
    for (what, bytes, says) in cases {
        let report = certify(
            Some(Arc::new(Answers(bytes))),
            vectors(&["KHQR-RENDER-*"]),
            2,
        )
        .await;
        assert_eq!(report.cases.len(), 2, "{what}");
        for c in &report.cases {
            assert_eq!(c.grade, Grade::Error, "{what}: {}", c.message);
            assert!(c.message.contains(says), "{what}: {}", c.message);
        }
    }
    // A valid PNG with no symbol in it is the implementation's failure, not an error.
    let blank = qrcert::image::encode_png(&qrcert::image::GrayImage::from_pixel(
        200,
        200,
        image::Luma([255]),
    ))
    .unwrap();
    let report = certify(
        Some(Arc::new(Answers(blank))),
        vectors(&["KHQR-RENDER-*"]),
        2,
    )
    .await;
    for c in &report.cases {
        assert_eq!(c.grade, Grade::Fail, "{}", c.message);
        assert_eq!(c.rules, ["EMV.QR.DECODES"]);
    }
}
