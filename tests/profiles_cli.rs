//! `qrcert validate` and `qrcert rules` with the national profiles, run as a real child process.

use std::process::Command;

const KHQR_DYNAMIC: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";
const JPQR_STATIC: &str = "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B";

fn qrcert(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qrcert"))
        .args(args)
        .output()
        .expect("runs the qrcert binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn khqr_expiry_follows_now_and_the_report_records_the_clock() {
    let (code, out, err) = qrcert(&[
        "validate",
        "--profile",
        "khqr",
        "--now",
        "1780000900000",
        "--format",
        "json",
        KHQR_DYNAMIC,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["profile"], "khqr");
    assert_eq!(v["clock"], "2026-05-28T20:41:40.000Z");
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));

    let (code, out, _) = qrcert(&[
        "validate",
        "--profile",
        "khqr",
        "--now",
        "2026-05-28T20:41:40.001Z",
        "--format",
        "json",
        KHQR_DYNAMIC,
    ]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert_eq!(v["clock"], "2026-05-28T20:41:40.001Z");
    assert_eq!(v["findings"][0]["rule"], "KHQR.99.EXPIRED");
    assert_eq!(v["findings"][0]["severity"], "MUST");
    assert_eq!(v["findings"][0]["ref_code"], 46);
    assert_eq!(v["findings"][0]["confidence"], "CONFIRMED");
    assert!(v["findings"][0].get("ref_accepts").is_none());
}

#[test]
fn auto_reports_the_detected_profile() {
    let (code, out, _) = qrcert(&["validate", "--format", "json", JPQR_STATIC]);
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert_eq!(v["profile"], "jpqr");
    assert_eq!(v["findings"][0]["rule"], "JPQR.PROFILE.MPM");

    let (code, out, _) = qrcert(&["validate", "--now", "1780000900000", KHQR_DYNAMIC]);
    assert_eq!(code, 0);
    assert!(out.starts_with("VALID under khqr"), "{out}");
}

#[test]
fn interop_is_applied_on_top_of_the_detected_profile() {
    // A Khmer-only merchant name: valid KHQR, not payable by a foreign wallet.
    let khmer = KHQR_DYNAMIC
        .replace("5915Demo Noodle Bar", "5909ហាងគុយទាវ")
        .replace("6304AD78", "6304");
    let sealed = format!("{khmer}{:04X}", crc16(khmer.as_bytes()));
    let (code, out, _) = qrcert(&[
        "validate",
        "--profile",
        "interop",
        "--now",
        "1780000900000",
        "--format",
        "json",
        &sealed,
    ]);
    assert_eq!(code, 1, "{out}");
    let v = json(&out);
    assert_eq!(v["profile"], "khqr");
    assert_eq!(v["interop"], true);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"INTEROP.59.LATIN"), "{rules:?}");
    assert!(
        rules.contains(&"KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT"),
        "{rules:?}"
    );
}

#[test]
fn rules_json_carries_the_reference_sdk_codes_and_relaxations() {
    let (code, out, _) = qrcert(&["rules", "--profile", "khqr", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    let rules = v.as_array().unwrap();
    let find = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    assert_eq!(find("KHQR.99.EXPIRED")["ref_code"], 46);
    assert_eq!(find("KHQR.99.EXPIRED")["ref_impl"], "bakong-khqr 1.0.20");
    assert_eq!(find("KHQR.00.FIRST")["ref_behaviour"], "accepts");
    assert!(find("KHQR.00.FIRST").get("ref_code").is_none());
    assert!(
        find("EMV.59.CHARSET")["relaxed"]
            .as_str()
            .unwrap()
            .starts_with("disabled")
    );
    assert!(
        find("EMV.MAI.GUID_FORMAT")["relaxed"]
            .as_str()
            .unwrap()
            .contains("for 29, 30")
    );
    // EMVCo base (the digest's 133, plus EMV.QR.EC_LEVEL and EMV.QR.QUIET_ZONE_NONE) + KHQR (76).
    assert_eq!(rules.len(), 135 + 76);

    let (_, table, _) = qrcert(&["rules", "--profile", "jpqr"]);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("JPQR.26.ID_SINGLE") && l.contains("UNCONFIRMED")),
        "{table}"
    );
    let (code, _, _) = qrcert(&["rules", "--profile", "interop"]);
    assert_eq!(code, 0);
}

/// CRC-16/CCITT-FALSE, written out so the test does not trust the code under test.
fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in bytes {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}
