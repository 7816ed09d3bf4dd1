//! The committed scan images are what the vectors say: every image a vector names is committed
//! and pinned by the manifest, and re-rendering gives the same bytes. The full re-render is
//! `qrcert vectors images --check` (every image); this test re-renders every image that is not
//! a ladder rung and one ladder image per distortion kind, which exercises every operation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use qrcert::image::golden::Variant;
use qrcert::image::rung_by_id;
use qrcert::vectors::images::{Golden, ImageState, compare, plan};
use qrcert::vectors::load_dir;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

fn golden_set() -> Vec<Golden> {
    plan(&load_dir(&vectors_dir())).unwrap_or_else(|p| panic!("{}", p.join("\n")))
}

#[test]
fn every_image_a_vector_names_is_committed_and_pinned() {
    let loaded = load_dir(&vectors_dir());
    let manifest = loaded.manifest.as_ref().expect("manifest");
    let pinned: BTreeSet<&str> = manifest.files.keys().map(String::as_str).collect();
    let golden = golden_set();
    assert!(golden.len() > 150, "{} images", golden.len());
    for g in &golden {
        assert!(
            pinned.contains(g.path.as_str()),
            "{} is not in the manifest",
            g.path
        );
        assert_eq!(
            loaded.hashes.get(&g.path),
            manifest.files.get(&g.path),
            "{} differs from its pinned hash",
            g.path
        );
    }
    // And nothing else sits in images/: every committed image is used.
    let named: BTreeSet<&str> = golden.iter().map(|g| g.path.as_str()).collect();
    for p in pinned.iter().filter(|p| p.starts_with("images/")) {
        assert!(named.contains(p), "{p} is committed but no vector names it");
    }
}

#[test]
fn a_sample_covering_every_operation_re_renders_byte_identically() {
    let mut kinds = BTreeSet::new();
    let mut checked = 0;
    for g in golden_set() {
        if let Variant::Rung { id, .. } = &g.variant {
            let kind = rung_by_id(id).expect("known rung").kind;
            if !kinds.insert(kind.as_str()) {
                continue;
            }
        }
        let (state, _) = compare(&vectors_dir(), &g).unwrap();
        assert_eq!(
            state,
            ImageState::Same,
            "{}: run `qrcert vectors images`",
            g.path
        );
        checked += 1;
    }
    assert_eq!(kinds.len(), qrcert::image::DistortionKind::ALL.len());
    assert!(checked >= 20, "{checked}");
}

#[test]
fn a_changed_or_missing_image_is_detected() {
    let golden = golden_set();
    let g = golden
        .iter()
        .find(|g| matches!(g.variant, Variant::Rung { .. }))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("images")).unwrap();
    assert_eq!(compare(dir.path(), g).unwrap().0, ImageState::Missing);
    let mut bytes = std::fs::read(vectors_dir().join(&g.path)).unwrap();
    std::fs::write(dir.path().join(&g.path), &bytes).unwrap();
    assert_eq!(compare(dir.path(), g).unwrap().0, ImageState::Same);
    let last = bytes.len() - 20;
    bytes[last] ^= 1;
    std::fs::write(dir.path().join(&g.path), &bytes).unwrap();
    assert_eq!(compare(dir.path(), g).unwrap().0, ImageState::Differs);
}
