//! Every profile of the registry is complete: a profile is a plug-in (`src/rules/<p>/` and one
//! registration line), and this test is what makes "complete" checkable. Each base or national
//! profile has rules, detection (nationals), features for every capability, vectors for every
//! capability, rendered golden images, and the reference implementation claims it and passes
//! its vectors (the run tests certify it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use qrcert::adapter::library::Implementation;
use qrcert::reference::Reference;
use qrcert::rules::profile::{Kind, specs};
use qrcert::vectors::load::load_dir;
use qrcert::vectors::{Expect, Input};
use qrcert::{Capability, Profile};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn feature_text(profile: Profile) -> String {
    let dir = root().join("features").join(profile.as_str());
    let mut text = String::new();
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "feature") {
            text.push_str(&std::fs::read_to_string(p).unwrap());
        }
    }
    text
}

#[test]
fn every_profile_has_rules_detection_features_vectors_images_and_a_reference() {
    let loaded = load_dir(&root().join("vectors"));
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let described = Reference::new().describe();
    let verbs = [
        (Capability::Parse, "parses"),
        (Capability::Validate, "validates"),
        (Capability::Generate, "generates"),
        (Capability::Render, "renders"),
        (Capability::Scan, "scans"),
    ];
    let mut checked = 0;
    for spec in specs().filter(|s| matches!(s.kind, Kind::Base | Kind::National)) {
        let p = spec.profile;
        if spec.kind == Kind::National {
            assert!(!spec.rules.is_empty(), "{p}: no rules");
            assert!(spec.detect.is_some(), "{p}: no detection");
            assert!(
                !spec.currencies.is_empty() && !spec.countries.is_empty(),
                "{p}"
            );
            assert!(
                !spec.accounts.is_empty(),
                "{p}: no account form for generate"
            );
            assert!(
                spec.rules.iter().all(|r| r.layer() == p),
                "{p}: a rule of another layer in its catalogue"
            );
        }
        assert!(spec.plans.is_some(), "{p}: no vector plans");
        assert!(
            described.profiles.contains(&p),
            "{p}: the reference does not claim it"
        );
        let features = feature_text(p);
        let mut caps = BTreeSet::new();
        for c in loaded
            .files
            .iter()
            .flat_map(|f| f.cases.iter())
            .filter(|c| c.profile == p && c.is_active())
        {
            caps.insert(c.capability());
            if let (Input::Scan(i), Expect::Scan(_)) = (&c.input, &c.expect) {
                for img in &i.images {
                    assert!(
                        root().join("vectors").join(img).is_file() || img.contains("unreadable"),
                        "{}: {img} is not rendered",
                        c.id
                    );
                }
            }
        }
        for (cap, verb) in verbs {
            assert!(caps.contains(&cap), "{p}: no {cap:?} vectors");
            assert!(
                features.contains(&format!("{verb} every \"{}\" vector", p.as_str())),
                "{p}: no feature {verb} its vectors"
            );
        }
        checked += 1;
    }
    // EMVCo and at least the three national profiles of the first programme plus Thai QR.
    assert!(checked >= 4, "only {checked} profiles checked");
}

#[test]
fn national_profiles_detect_their_own_samples() {
    // The first golden scan payload of each national profile is detected as that profile.
    let loaded = load_dir(Path::new(&root().join("vectors")));
    for spec in specs().filter(|s| s.kind == Kind::National) {
        let sample = loaded
            .files
            .iter()
            .flat_map(|f| f.cases.iter())
            .find_map(|c| match (&c.input, &c.expect) {
                (Input::Scan(_), Expect::Scan(e)) if c.profile == spec.profile => e.payload.clone(),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{}: no scan vector", spec.profile));
        let v = qrcert::rules::validate(&sample, &qrcert::rules::Options::default()).unwrap();
        assert_eq!(v.profile, spec.profile, "{sample}");
    }
}
