//! Scan vectors made from each profile's golden images: the distortion ladder (`ladder.yaml`)
//! and scan sequences (`sequence.yaml`).
//!
//! The golden payloads are the clean single-image vectors of the profile's `scan` area. The
//! first of them (the profile's smoke sample: Chinese, Japanese or Khmer text) climbs the whole
//! ladder, every rung of every kind; the others are read at the hardest required rung of each
//! kind, and at the rung the first plan required where the policy has since lowered it (a
//! stress rung now, under its old number). Whether a rung is required comes from `image::distort::policy` and is written into the
//! vector. Seeds are fixed per profile, so the images are the same on every machine.
//!
//! Sequences catch the live-wallet bug of showing the previous code when a new one cannot be
//! read: a readable code, then a frame that cannot be read (a blank frame, a symbol whose data
//! is destroyed, a symbol too small for anyone to read) or a different code.

use crate::Profile;
use crate::image::golden::{UNREADABLE_PREFIX, Variant, variant_of};
use crate::image::{DistortionKind, Params, Rung, is_required, ladder, required_level};

use super::{Draft, Plan, blank, owned};
use crate::vectors::model::*;

/// Pixels per module of the golden renders (the ladder's parameters are calibrated for it).
const PX_PER_MODULE: f64 = 8.0;

/// The rule a scanner's refusal of an unreadable frame is about.
const UNREADABLE_RULE: &str = "EMV.QR.DECODES";

/// The seed of every seeded rung of a profile's ladder images.
fn seed(profile: Profile) -> u64 {
    profile.spec().ladder.seed
}

/// A clean golden image of a profile: its file stem, payload and the tags worth keeping.
#[derive(Debug, Clone)]
struct GoldenScan {
    stem: String,
    payload: String,
    tags: Vec<String>,
}

/// The clean single-image scan vectors of `scan`, in order.
fn goldens(scan: &Plan) -> Vec<GoldenScan> {
    scan.drafts
        .iter()
        .filter_map(|d| match (&d.input, &d.expect) {
            (Input::Scan(i), Expect::Scan(e)) => match (i.images.as_slice(), &e.payload) {
                ([one], Some(p)) if variant_of(one) == Variant::Clean => Some(GoldenScan {
                    stem: one
                        .trim_start_matches("images/")
                        .trim_end_matches(".png")
                        .to_owned(),
                    payload: p.clone(),
                    tags: d
                        .tags
                        .iter()
                        .filter(|t| {
                            !["smoke", "positive", "distortion", "crc"].contains(&t.as_str())
                        })
                        .cloned()
                        .collect(),
                }),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// What a rung does, in words, for titles.
pub fn describe(rung: &Rung) -> String {
    let pct = |f: f64| (f * 100.0).round();
    match rung.params {
        Params::Scale { factor } => format!(
            "downscaled to {factor}x ({} px per module)",
            factor * PX_PER_MODULE
        ),
        Params::Rotate { degrees } => format!("rotated {degrees} degrees"),
        Params::Perspective { tilt } => format!(
            "seen at an angle (far edge {} % of the near one)",
            pct(1.0 - 2.0 * tilt)
        ),
        Params::Blur { sigma } => format!("out of focus (Gaussian blur, sigma {sigma} px)"),
        Params::Noise { sigma } => format!("sensor noise (sigma {sigma} gray levels)"),
        Params::Contrast { range } => format!("faded (contrast squeezed to {range} gray levels)"),
        Params::Glare { radius, strength } => format!(
            "glare (a patch {} % of the side across, {} % toward white)",
            pct(2.0 * radius),
            pct(strength)
        ),
        Params::Invert => "inverted (light modules on dark)".to_owned(),
        Params::TrimQuietZone { keep } => {
            let modules = 4.0 * keep;
            format!(
                "cut close (quiet zone trimmed to {modules} module{})",
                if modules == 1.0 { "" } else { "s" }
            )
        }
        Params::Blocky { quality } => {
            format!("recompressed (JPEG-like blocks at quality {quality})")
        }
    }
}

fn image_name(stem: &str, rung: &Rung, seed: u64) -> String {
    format!("images/{stem}-{}-s{seed}.png", rung.id())
}

/// A scan vector reading `golden` through `rung`, as the last frame after `before`.
fn rung_draft(
    num: u16,
    profile: Profile,
    golden: &GoldenScan,
    rung: &Rung,
    before: &[String],
    title: String,
) -> Draft {
    let required = is_required(profile, rung);
    let mut images = before.to_vec();
    images.push(image_name(&golden.stem, rung, seed(profile)));
    let mut d = blank(
        num,
        &title,
        Input::Scan(ScanInput { images }),
        Expect::Scan(ScanExpect {
            payload: Some(golden.payload.clone()),
            rules: Vec::new(),
            rung: Some(RungExpect {
                id: rung.id(),
                required,
            }),
        }),
    )
    .tags(&["positive", rung.kind.as_str()]);
    let tags: Vec<&str> = golden.tags.iter().map(String::as_str).collect();
    d = d.tags(&tags);
    d
}

fn ladder_title(golden: &GoldenScan, rung: &Rung, profile: Profile) -> String {
    let level = required_level(profile, rung.kind);
    let status = if is_required(profile, rung) {
        "required".to_owned()
    } else if level == 0 {
        format!("stress: {profile} requires no {} rung", rung.kind)
    } else {
        format!(
            "stress: {profile} requires {} up to level {level}",
            rung.kind
        )
    };
    format!(
        "Read {} {}, {}; {status}",
        golden.stem,
        rung.id(),
        describe(rung)
    )
}

/// The level of each kind at which the suite's first plan (2026.11.0) read the second and later
/// golden images: the required levels of that plan. Frozen, because those rungs own the numbers
/// `100*(n-1)` plus the kind's position; a vector number never changes what it reads.
const fn first_plan_level(kind: DistortionKind) -> u8 {
    match kind {
        DistortionKind::Scale => 3,
        DistortionKind::Rotate => 5,
        DistortionKind::Perspective => 2,
        DistortionKind::Blur => 2,
        DistortionKind::Noise => 2,
        DistortionKind::Contrast => 3,
        DistortionKind::Glare => 1,
        DistortionKind::Invert => 0,
        DistortionKind::TrimQuietZone => 2,
        DistortionKind::Blocky => 2,
    }
}

/// The number of the vector reading the `i`-th golden image (from 0) through `rung`, if that
/// image is read at that rung. The first golden image climbs the whole ladder and takes 1..=46
/// in ladder order. The n-th takes `100*(n-1)` plus the kind's position at its first-plan level,
/// which stays as a stress rung when the policy lowers the required level, and
/// `100*(n-1) + 10*level` plus the kind's position at a required level other than that one.
fn rung_number(profile: Profile, i: usize, j: usize, rung: &Rung) -> Option<u16> {
    if i == 0 {
        return u16::try_from(j + 1).ok();
    }
    let base = u16::try_from(i).ok()?.checked_mul(100)?;
    let kind_pos = DistortionKind::ALL.iter().position(|k| *k == rung.kind)?;
    let pos = u16::try_from(kind_pos + 1).ok()?;
    let level = rung.level.get();
    if level == first_plan_level(rung.kind) {
        Some(base + pos)
    } else if level == required_level(profile, rung.kind) {
        Some(base + 10 * u16::from(level) + pos)
    } else {
        None
    }
}

/// The ladder file of a profile.
fn ladder_plan(profile: Profile, goldens: &[GoldenScan]) -> Plan {
    let mut drafts = Vec::new();
    for (i, golden) in goldens.iter().enumerate() {
        for (j, rung) in ladder().iter().enumerate() {
            let Some(num) = rung_number(profile, i, j, rung) else {
                continue;
            };
            let mut d = rung_draft(
                num,
                profile,
                golden,
                rung,
                &[],
                ladder_title(golden, rung, profile),
            )
            .tags(&["ladder"]);
            d = d.tags(&[if is_required(profile, rung) {
                "required"
            } else {
                "stress"
            }]);
            drafts.push(d);
        }
    }
    Plan {
        profile,
        area: "ladder".into(),
        description: format!(
            "{}: golden images through the distortion ladder (src/image/distort); not reading a required rung fails, a stress rung is INFO, a wrong payload always fails.",
            profile.spec().label
        ),
        refs: &[
            "ISO/IEC 18004",
            "qrcert scan policy (src/image/distort/policy.rs)",
        ],
        drafts,
    }
}

fn sequence_draft(num: u16, title: &str, images: Vec<String>, payload: Option<String>) -> Draft {
    let rules = if payload.is_none() {
        owned(&[UNREADABLE_RULE])
    } else {
        Vec::new()
    };
    blank(
        num,
        title,
        Input::Scan(ScanInput { images }),
        Expect::Scan(ScanExpect {
            payload,
            rules,
            rung: None,
        }),
    )
    .tags(&["sequence"])
}

/// The sequence file of a profile: needs two golden images.
fn sequence_plan(profile: Profile, goldens: &[GoldenScan]) -> Option<Plan> {
    let [a, b, ..] = goldens else {
        return None;
    };
    let img = |g: &GoldenScan| format!("images/{}.png", g.stem);
    let blank_frame = format!("images/{UNREADABLE_PREFIX}blank.png");
    let wiped = format!("images/{UNREADABLE_PREFIX}wiped-s1.png");
    let tiny = ladder()
        .into_iter()
        .find(|r| r.kind == DistortionKind::Scale && r.level.get() == r.kind.levels())?;
    let (sa, sb) = (&a.stem, &b.stem);
    let drafts = vec![
        sequence_draft(
            1,
            &format!("{sa}, then a blank frame: refuse it, never return {sa}'s payload"),
            vec![img(a), blank_frame.clone()],
            None,
        )
        .tags(&["negative"]),
        sequence_draft(
            2,
            &format!(
                "{sa}, then a symbol whose data is destroyed: refuse it, never return {sa}'s payload"
            ),
            vec![img(a), wiped.clone()],
            None,
        )
        .tags(&["negative"]),
        sequence_draft(
            3,
            &format!("{sa}, then {sb}: read {sb}"),
            vec![img(a), img(b)],
            Some(b.payload.clone()),
        )
        .tags(&["positive"]),
        sequence_draft(
            4,
            &format!("{sa}, a destroyed symbol, then {sb}: read {sb}"),
            vec![img(a), wiped, img(b)],
            Some(b.payload.clone()),
        )
        .tags(&["positive"]),
        sequence_draft(
            5,
            &format!("{sb}, a blank frame, then {sb} again: read it again"),
            vec![img(b), blank_frame, img(b)],
            Some(b.payload.clone()),
        )
        .tags(&["positive"]),
        rung_draft(
            6,
            profile,
            b,
            &tiny,
            &[img(a)],
            format!(
                "{sa}, then {sb} {}: {} (stress): reading nothing is INFO, {sa}'s payload fails",
                tiny.id(),
                describe(&tiny)
            ),
        )
        .tags(&["sequence", "stress"]),
    ];
    Some(Plan {
        profile,
        area: "sequence".into(),
        description: format!(
            "{}: scan sequences; a frame that cannot be read never yields the previous frame's payload.",
            profile.spec().label
        ),
        refs: &[
            "ISO/IEC 18004",
            "qrcert scan policy (src/image/distort/policy.rs)",
        ],
        drafts,
    })
}

/// The ladder and sequence files of every profile with golden scan images in `plans`.
pub fn plans(plans: &[Plan]) -> Vec<Plan> {
    let mut out = Vec::new();
    for profile in Profile::ALL {
        let Some(scan) = plans
            .iter()
            .find(|p| p.profile == profile && p.area == "scan")
        else {
            continue;
        };
        let goldens = goldens(scan);
        if goldens.is_empty() {
            continue;
        }
        out.push(ladder_plan(profile, &goldens));
        out.extend(sequence_plan(profile, &goldens));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_climbs_the_whole_ladder_and_reads_the_rest_at_the_required_rungs() {
        let all = super::super::plans();
        for profile in Profile::ALL {
            let Some(plan) = all
                .iter()
                .find(|p| p.profile == profile && p.area == "ladder")
            else {
                continue;
            };
            let rungs: Vec<String> = plan
                .drafts
                .iter()
                .filter_map(|d| match &d.expect {
                    Expect::Scan(e) => e.rung.as_ref().map(|r| r.id.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(rungs.len(), plan.drafts.len());
            for r in ladder() {
                assert!(rungs.contains(&r.id()), "{profile}: {} missing", r.id());
            }
            let required = plan
                .drafts
                .iter()
                .filter(|d| d.tags.iter().any(|t| t == "required"))
                .count();
            assert!(required > 20, "{profile}: {required} required rungs");
        }
    }

    #[test]
    fn sequences_end_in_a_refusal_or_another_code() {
        let all = super::super::plans();
        let plan = all
            .iter()
            .find(|p| p.profile == Profile::Khqr && p.area == "sequence")
            .unwrap();
        for d in &plan.drafts {
            let (Input::Scan(i), Expect::Scan(e)) = (&d.input, &d.expect) else {
                panic!("not a scan draft");
            };
            assert!(i.images.len() >= 2, "{}", d.title);
            let last = i.images.last().unwrap();
            // A refusal is expected exactly when the last frame carries no payload.
            assert_eq!(
                e.payload.is_none(),
                !variant_of(last).carries_payload(),
                "{}",
                d.title
            );
            if e.payload.is_none() {
                assert_eq!(e.rules, [UNREADABLE_RULE]);
            }
            assert_eq!(variant_of(&i.images[0]), Variant::Clean, "{}", d.title);
        }
    }

    #[test]
    fn a_vector_number_keeps_its_rung_when_the_required_level_moves() {
        let rung = |id: &str| crate::image::rung_by_id(id).unwrap();
        let p = Profile::Khqr;
        // The second golden image: the first plan's rungs keep their numbers (stress now where
        // the policy lowered the level), the new required rungs take new ones.
        assert_eq!(rung_number(p, 1, 0, &rung("contrast-3")), Some(106));
        assert_eq!(rung_number(p, 1, 0, &rung("contrast-1")), Some(116));
        assert_eq!(rung_number(p, 1, 0, &rung("perspective-2")), Some(103));
        assert_eq!(rung_number(p, 1, 0, &rung("perspective-1")), Some(113));
        assert_eq!(rung_number(p, 1, 0, &rung("noise-2")), Some(105));
        assert_eq!(rung_number(p, 1, 0, &rung("contrast-2")), None);
        assert_eq!(rung_number(p, 1, 0, &rung("invert-1")), None);
        assert!(!is_required(p, &rung("contrast-3")));
        assert!(is_required(p, &rung("contrast-1")));
        // The first climbs the whole ladder in ladder order.
        assert_eq!(rung_number(p, 0, 26, &rung("contrast-2")), Some(27));
    }

    #[test]
    fn rung_descriptions_name_the_parameters() {
        let blur = crate::image::rung_by_id("blur-2").unwrap();
        assert_eq!(describe(&blur), "out of focus (Gaussian blur, sigma 2 px)");
        let scale = crate::image::rung_by_id("scale-3").unwrap();
        assert_eq!(describe(&scale), "downscaled to 0.375x (3 px per module)");
    }
}
