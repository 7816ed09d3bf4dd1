//! Which rungs of the ladder a wallet must read to be certified, per profile.
//!
//! No payment-QR specification sets a reading robustness: EMVCo MPM §4.12 is silent on scanning,
//! and the JPQR and KHQR digests add nothing (see `docs/spec/`). ISO/IEC 18004 describes
//! what a symbol is, not how bad a photo a reader must cope with. So the required levels below
//! are qrcert policy, chosen from what a phone wallet meets in ordinary use: a small sticker
//! seen from arm's length, the phone held askew, slightly out of focus, a dim shop, faded or
//! laminated print, a tight crop, a screenshot passed through a messaging app. A wallet that
//! cannot read a rung at or below the required level fails the case; above it, a rung is a
//! stress test and a miss is reported (INFO) without blocking certification. A misread (a wrong
//! payload) always fails, whatever the level.
//!
//! | kind | required up to | what that level is | why |
//! | --- | --- | --- | --- |
//! | scale | 3 | 3 px per module | a 2 cm sticker at 30 cm fills a few hundred camera pixels |
//! | rotate | 5 | 45 degrees | finder patterns make QR orientation-free; readers must not need it upright |
//! | perspective | 2 | far edge 80 % of the near one | the phone tilted roughly 25 degrees |
//! | blur | 2 | sigma 2 px = 1/4 module | autofocus not quite settled |
//! | noise | 2 | sigma 25 gray levels | indoor light, small sensor |
//! | contrast | 3 | 16 gray levels between dark and light | faded thermal print, dim light |
//! | glare | 1 | a small bright spot at 60 % | a lamp on a laminated sticker |
//! | invert | 0 | light modules on dark | reversed reflectance is optional for readers (`EMV.QR.NOT_MIRRORED` is INFO) |
//! | trim | 2 | half the quiet zone left (2 modules) | stickers cut close to the symbol |
//! | blocky | 2 | JPEG quality 25 | a screenshot recompressed by a messaging app |
//!
//! Every required level is within what qrcert's own decoder reads
//! ([`super::reads_up_to`]), so the reference implementation passes every required rung.
//! The reference's decoder retries with local thresholding, denoising, sharpening and
//! enlarging (`image::preprocess`), so it now reads well beyond these levels (noise-3, blur-4,
//! glare-3, scale-5); the required levels stay where the documents and common phone readers
//! put them, and raising one is a suite change (a new suite version), not a decoder change.
//!
//! Every profile shares one table: none of their documents says anything different. A profile's
//! spec may change a row (`ProfileSpec::ladder`), so that a national scheme's own rule can.

use crate::Profile;

use super::{DistortionKind, Rung};

/// The highest level of `kind` that a wallet certified for `profile` must read; 0 when no
/// level is required.
pub fn required_level(profile: Profile, kind: DistortionKind) -> u8 {
    profile
        .spec()
        .ladder
        .required
        .iter()
        .find(|(k, _)| *k == kind.as_str())
        .map_or(base_required_level(kind), |(_, level)| *level)
}

/// The shared table (see the module documentation for the reasons).
const fn base_required_level(kind: DistortionKind) -> u8 {
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

/// Whether a wallet certified for `profile` must read `rung`.
pub fn is_required(profile: Profile, rung: &Rung) -> bool {
    rung.level.get() <= required_level(profile, rung.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::distort::{ladder, reads_up_to};

    #[test]
    fn the_reference_decoder_reaches_every_required_level() {
        for profile in Profile::ALL {
            for (kind, _) in profile.spec().ladder.required {
                assert!(
                    DistortionKind::ALL.iter().any(|k| k.as_str() == *kind),
                    "{profile}: no distortion kind {kind:?}"
                );
            }
            for kind in DistortionKind::ALL {
                assert!(
                    required_level(profile, kind) <= reads_up_to(kind),
                    "{profile} requires {kind} beyond what qrcert reads"
                );
                assert!(required_level(profile, kind) <= kind.levels());
            }
        }
    }

    #[test]
    fn every_kind_but_inversion_has_a_required_rung_and_a_stress_rung() {
        for kind in DistortionKind::ALL {
            let rungs: Vec<Rung> = ladder().into_iter().filter(|r| r.kind == kind).collect();
            let required = rungs
                .iter()
                .filter(|r| r.level.get() <= base_required_level(kind))
                .count();
            match kind {
                DistortionKind::Invert => assert_eq!(required, 0),
                DistortionKind::Rotate => assert_eq!(required, rungs.len()),
                _ => assert!(required >= 1 && required < rungs.len(), "{kind}"),
            }
        }
    }
}
