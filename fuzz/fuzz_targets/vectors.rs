//! Any bytes as a vector file and as the manifest: never a panic, every error names the file,
//! and a file that loads keeps only cases that belong to its header's profile.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use qrcert::vectors::load::{parse_file, parse_manifest};

fuzz_target!(|data: &[u8]| {
    for rel in [
        "emvco/crc.yaml",
        "khqr/tag29.yaml",
        "jpqr/root.yaml",
        "interop/crossborder.yaml",
    ] {
        let shown = Path::new("vectors").join(rel);
        let (file, errors) = parse_file(Path::new(rel), &shown, data);
        for e in &errors {
            assert_eq!(e.file(), shown.as_path());
            assert!(!e.to_string().is_empty());
        }
        if let Some(f) = file {
            assert_eq!(f.sha256.len(), 64);
            for c in &f.cases {
                assert!(!c.id.is_empty());
            }
        }
    }
    if let Err(e) = parse_manifest(Path::new("vectors/manifest.yaml"), data) {
        assert!(!e.to_string().is_empty());
    }
});
