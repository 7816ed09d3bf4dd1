//! Fresh scan images: a scan case of a fresh suite reads an image rendered from its fresh
//! payload, so a scanner that answers from a table of the committed images' hashes reads
//! nothing it knows.
//!
//! Each frame that carries a payload is rendered again the way its committed golden image was
//! made ([`render_golden`]: byte mode, ECI 26 when needed, level M, 8 pixels per module), from
//! the fresh payload, through the same variant (a quarter turn, a quiet zone, or the rung of
//! the distortion ladder, its distortion seeded from the suite's seed and the case ID). The
//! reference's own scanner must read every new frame back to its fresh payload; a seeded rung
//! it cannot read is drawn again with the next derived seed, [`ATTEMPTS`] seeds in all, and a
//! case none of whose draws it reads keeps its committed images (counted in [`ScanCounts`]).
//!
//! Which cases take fresh images:
//! - every clean, quarter-turned and quiet-zone case, and every ladder case at a rung its
//!   profile requires ([`is_required`]; the levels come from the policy, never from here);
//! - the scan sequences: their readable frames are fresh, their unreadable frames (blank,
//!   wiped) stay, since those carry no payload to learn. "A frame that cannot be read never
//!   yields the previous frame's payload" then holds against a payload no table has;
//! - not the stress rungs (above the required level) and the sequence that ends on one: a miss
//!   there is INFO and never blocks a certificate, and a memorised answer there is a correct
//!   read of a committed image, so a table gains nothing from them; rendering them would add
//!   the most expensive decodes of the suite (the reference reads many of them only through its
//!   slowest retries) and its scanner cannot vouch for the ones beyond its reach.

use std::collections::BTreeMap;

use crate::image::golden::{Variant, render_golden, variant_of};
use crate::image::{Params, is_required, rung_by_id};
use crate::vectors::model::{Case, Expect, Input};

use super::rng::Rng;

/// Distortion seeds tried for a seeded rung before the case keeps its committed images.
pub const ATTEMPTS: u64 = 4;

/// How a fresh suite's new images are named, in `images/` (which has no subdirectories).
pub const FRESH_IMAGES: &str = "images/fresh-";

/// What happened to a fresh suite's scan cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanCounts {
    /// Cases that read images rendered from fresh payloads.
    pub fresh: usize,
    /// Cases meant to be fresh that keep their committed images: the reference read no fresh
    /// draw, or the payload took no fresh data.
    pub kept: usize,
    /// Stress-rung cases, committed images by design.
    pub stress: usize,
}

/// Committed image path -> the payload it carries, from the single-image clean scan cases (the
/// golden images that sequences reuse as frames).
pub fn goldens<'a>(cases: impl Iterator<Item = &'a Case>) -> BTreeMap<String, String> {
    cases
        .filter_map(|c| match (&c.input, &c.expect) {
            (Input::Scan(i), Expect::Scan(e)) => match (i.images.as_slice(), &e.payload) {
                ([one], Some(p)) if variant_of(one) == Variant::Clean => {
                    Some((one.clone(), p.clone()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Whether a rung's image depends on its seed (a new seed can give a readable draw).
fn seeded(v: &Variant) -> bool {
    match v {
        Variant::Rung { id, .. } => rung_by_id(id).is_some_and(|r| {
            matches!(
                r.params,
                Params::Perspective { .. }
                    | Params::Noise { .. }
                    | Params::Glare { .. }
                    | Params::Blocky { .. }
            )
        }),
        _ => false,
    }
}

/// The file of a fresh frame: named as golden images are, so the name still says how it was
/// made (`images/fresh-khqr-ladder-012-0-blur-2-s<seed>.png`).
fn file_name(case_id: &str, frame: usize, v: &Variant) -> String {
    let stem = format!("{}-{frame}", case_id.to_ascii_lowercase());
    let suffix = match v {
        Variant::Rotate90 => "-rot90".to_owned(),
        Variant::QuietZone(n) => format!("-quiet{n}"),
        Variant::Rung { id, seed } => format!("-{id}-s{seed}"),
        _ => String::new(),
    };
    format!("{FRESH_IMAGES}{stem}{suffix}.png")
}

/// One frame rendered from `payload` and read back by the reference, or `None` when no draw
/// reads back to it.
fn frame(
    case_id: &str,
    index: usize,
    committed: &Variant,
    payload: &str,
    seed: u64,
) -> Option<(String, Vec<u8>)> {
    let tries = if seeded(committed) { ATTEMPTS } else { 1 };
    for attempt in 0..tries {
        let variant = match committed {
            Variant::Rung { id, .. } => Variant::Rung {
                id: id.clone(),
                seed: Rng::keyed(seed, "scan-image", &format!("{case_id}/{index}/{attempt}"))
                    .next_u64(),
            },
            other => other.clone(),
        };
        let Ok(png) = render_golden(payload, &variant) else {
            return None;
        };
        if crate::reference::scan(&png).is_ok_and(|read| read == payload) {
            return Some((file_name(case_id, index, &variant), png));
        }
    }
    None
}

/// What a scan case takes in a fresh suite.
#[derive(Debug)]
pub enum Fresh {
    /// Not a scan case, or one without a frame that carries a payload.
    Untouched,
    /// A stress case: committed images by design.
    Stress,
    /// Meant to be fresh, but it keeps its committed images.
    Kept,
    /// New frames, the payload the last one carries, and the new images' bytes.
    Images {
        /// Every frame, the unreadable ones as they were.
        frames: Vec<String>,
        /// The expected payload.
        payload: Option<String>,
        /// The new images by path.
        files: Vec<(String, Vec<u8>)>,
    },
}

/// What `case` takes (see the module documentation). `fresh` maps a committed payload to its
/// fresh one. A pure function of its arguments, so cases can be rendered in parallel.
pub fn plan(
    case: &Case,
    goldens: &BTreeMap<String, String>,
    fresh: impl Fn(&str) -> String,
    seed: u64,
) -> Fresh {
    let (Input::Scan(input), Expect::Scan(expect)) = (&case.input, &case.expect) else {
        return Fresh::Untouched;
    };
    let stress = input.images.iter().any(|img| match variant_of(img) {
        Variant::Rung { id, .. } => rung_by_id(&id).is_none_or(|r| !is_required(case.profile, &r)),
        _ => false,
    });
    if stress {
        return Fresh::Stress;
    }
    let last = input.images.len().saturating_sub(1);
    let mut frames = Vec::with_capacity(input.images.len());
    let mut files = Vec::new();
    let mut payload = expect.payload.clone();
    for (i, img) in input.images.iter().enumerate() {
        let variant = variant_of(img);
        if !variant.carries_payload() {
            frames.push(img.clone());
            continue;
        }
        let committed = if i == last {
            expect.payload.as_ref()
        } else {
            goldens.get(img)
        };
        let Some(committed) = committed else {
            return Fresh::Kept;
        };
        let new = fresh(committed);
        if new == *committed {
            return Fresh::Kept;
        }
        let Some((name, png)) = frame(&case.id, i, &variant, &new, seed) else {
            return Fresh::Kept;
        };
        if i == last {
            payload = Some(new);
        }
        frames.push(name.clone());
        files.push((name, png));
    }
    if files.is_empty() {
        return Fresh::Untouched;
    }
    Fresh::Images {
        frames,
        payload,
        files,
    }
}

/// Applies a [`plan`] to `case`, adding new images to `files` and counting it.
pub fn apply(
    case: &mut Case,
    plan: Fresh,
    files: &mut BTreeMap<String, Vec<u8>>,
    counts: &mut ScanCounts,
) {
    match plan {
        Fresh::Untouched => {}
        Fresh::Stress => counts.stress += 1,
        Fresh::Kept => counts.kept += 1,
        Fresh::Images {
            frames,
            payload,
            files: new,
        } => {
            if let (Input::Scan(i), Expect::Scan(e)) = (&mut case.input, &mut case.expect) {
                i.images = frames;
                e.payload = payload;
                files.extend(new);
                counts.fresh += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_image_is_named_for_how_it_was_made() {
        for v in [
            Variant::Clean,
            Variant::Rotate90,
            Variant::QuietZone(2),
            Variant::Rung {
                id: "blur-2".into(),
                seed: 18_446_744_073_709_551_615,
            },
        ] {
            let name = file_name("KHQR-LADDER-012", 0, &v);
            assert!(name.starts_with(FRESH_IMAGES), "{name}");
            assert_eq!(variant_of(&name), v, "{name}");
        }
    }

    #[test]
    fn only_rungs_that_use_their_seed_are_drawn_again() {
        let rung = |id: &str| Variant::Rung {
            id: id.into(),
            seed: 1,
        };
        assert!(seeded(&rung("noise-2")));
        assert!(seeded(&rung("perspective-2")));
        assert!(!seeded(&rung("blur-2")));
        assert!(!seeded(&Variant::Clean));
    }

    #[test]
    fn a_required_rung_renders_a_fresh_payload_the_reference_reads() {
        let payload = "00020101021129160012demo@sandbox5204599953031165802KH5915Fresh Noodle Bar6010Battambang6304C0F7";
        let variant = Variant::Rung {
            id: "noise-2".into(),
            seed: 0,
        };
        let render = || frame("KHQR-LADDER-003", 0, &variant, payload, 42);
        let (name, png) = render().expect("read back");
        assert!(name.contains("-noise-2-s"), "{name}");
        assert_eq!(crate::reference::scan(&png).expect("reads"), payload);
        // Deterministic: the same case, payload and seed give the same bytes.
        assert_eq!(render(), Some((name, png)));
    }
}
