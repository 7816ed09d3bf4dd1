//! The decoder rule of the scan ladder (docs/scan-ladder.md): every required rung is read by
//! zxing-cpp with its default settings and by ZBar or OpenCV, and the table in the document is
//! the one `scripts/scan-ladder.py` computes. Needs python3 with `zxing-cpp`, `pyzbar`,
//! `opencv-python-headless`, `pyyaml`, and Debian `libzbar0`.

use std::process::Command;

#[test]
fn every_required_rung_is_read_by_zxing_cpp_and_zbar_or_opencv() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("python3")
        .arg(format!("{repo}/scripts/scan-ladder.py"))
        .args(["--check", "--qrcert", env!("CARGO_BIN_EXE_qrcert")])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
