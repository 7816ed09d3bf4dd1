//! The golden images a vector set names, and how each is made: the payload comes from the scan
//! vector that expects it, the variant from the file name (`image::golden`). Images are
//! rendered once by `qrcert vectors images`, committed, and pinned by the manifest's SHA-256,
//! so a certification run only reads files and never renders; [`check`] re-renders them to
//! prove the committed bytes are what the vectors say.

use std::collections::BTreeMap;
use std::path::Path;

use crate::image::golden::{GoldenError, Variant, render_golden, variant_of};

use super::load::Loaded;
use super::model::{Expect, Input};

/// One golden image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Golden {
    /// Path relative to the vectors directory (`images/khqr-static.png`).
    pub path: String,
    /// The payload it carries; `None` for the unreadable frames.
    pub payload: Option<String>,
    /// How it is made from the payload.
    pub variant: Variant,
}

impl Golden {
    /// Renders the image (deterministic: the same vector gives the same bytes).
    pub fn render(&self) -> Result<Vec<u8>, GoldenError> {
        render_golden(self.payload.as_deref().unwrap_or(""), &self.variant)
    }
}

/// Every image the scan vectors name, sorted by path, or why the set is inconsistent: an image
/// no vector gives a payload for, one named with two payloads, or an unreadable frame that a
/// vector expects a payload from.
pub fn plan(loaded: &Loaded) -> Result<Vec<Golden>, Vec<String>> {
    let mut payloads: BTreeMap<&str, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    // Only the last frame's payload is known; earlier frames of a sequence are named after a
    // payload another vector gives, or are unreadable frames.
    for c in loaded.cases() {
        let (Input::Scan(s), Expect::Scan(e)) = (&c.input, &c.expect) else {
            continue;
        };
        let (Some(last), Some(p)) = (s.images.last(), &e.payload) else {
            continue;
        };
        match payloads.get(last.as_str()) {
            Some(q) if q != p => problems.push(format!(
                "{}: {last} is named by vectors expecting different payloads",
                c.id
            )),
            _ => {
                payloads.insert(last, p);
            }
        }
    }
    let mut out: BTreeMap<&str, Golden> = BTreeMap::new();
    for c in loaded.cases() {
        let Input::Scan(s) = &c.input else {
            continue;
        };
        for img in &s.images {
            let variant = variant_of(img);
            let payload = payloads.get(img.as_str()).map(|p| (*p).to_owned());
            match (variant.carries_payload(), &payload) {
                (true, None) => {
                    problems.push(format!(
                        "{}: no vector says which payload {img} carries",
                        c.id
                    ));
                    continue;
                }
                (false, Some(_)) => {
                    problems.push(format!(
                        "{}: {img} is an unreadable frame; no vector can expect a payload from it",
                        c.id
                    ));
                    continue;
                }
                _ => {}
            }
            out.entry(img).or_insert(Golden {
                path: img.clone(),
                payload,
                variant,
            });
        }
    }
    if problems.is_empty() {
        Ok(out.into_values().collect())
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

/// How a committed image compares with its rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageState {
    /// Byte-identical.
    Same,
    /// Present with other bytes.
    Differs,
    /// Not there.
    Missing,
}

/// Renders `golden` and compares it with the file under `dir`; returns the state and the
/// rendered bytes.
pub fn compare(dir: &Path, golden: &Golden) -> Result<(ImageState, Vec<u8>), GoldenError> {
    let bytes = golden.render()?;
    let state = match std::fs::read(dir.join(&golden.path)) {
        Ok(current) if current == bytes => ImageState::Same,
        Ok(_) => ImageState::Differs,
        Err(_) => ImageState::Missing,
    };
    Ok((state, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::golden::Unreadable;
    use crate::vectors::load_dir;

    #[test]
    fn the_committed_set_names_every_image_with_one_payload_or_none() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
        let plan = plan(&load_dir(&dir)).unwrap_or_else(|p| panic!("{}", p.join("\n")));
        assert!(plan.iter().any(|g| g.variant == Variant::Clean));
        assert!(
            plan.iter()
                .any(|g| matches!(g.variant, Variant::Rung { .. }))
        );
        for g in &plan {
            assert_eq!(
                g.payload.is_some(),
                g.variant.carries_payload(),
                "{}",
                g.path
            );
        }
        assert!(
            plan.iter()
                .any(|g| g.variant == Variant::Unreadable(Unreadable::Blank))
        );
    }
}
