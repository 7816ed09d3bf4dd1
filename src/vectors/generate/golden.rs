//! The codes a profile prints as golden images: one table row per code makes both its render
//! case (the symbol qrcert's rules expect for it) and its scan case (the committed image read
//! back). The table is the profile's data; the two files are made the same way for every profile.

use super::{Plan, render, scan};
use crate::Profile;

/// One golden code.
#[derive(Debug, Clone)]
pub struct Golden {
    /// The image's file stem under `vectors/images/`.
    pub image: &'static str,
    /// The payload it carries.
    pub payload: String,
    /// The render case's title and tags.
    pub render: (&'static str, &'static [&'static str]),
    /// The scan case's title and tags.
    pub scan: (&'static str, &'static [&'static str]),
}

/// A profile's render and scan files from its golden codes, in table order. `name` heads the
/// descriptions (`KHQR: rendering codes as QR symbols.`); `doc` is the profile document's
/// section on symbols, cited by every scan case with ISO/IEC 18004.
pub fn plans(profile: Profile, name: &str, doc: &str, codes: &[Golden]) -> [Plan; 2] {
    let renders = codes.iter().enumerate().map(|(i, g)| {
        // A render case cites the rules it checks (derived), never the file's references.
        render(i as u16 + 1, g.render.0, g.payload.clone()).tags(g.render.1)
    });
    let scans = codes.iter().enumerate().map(|(i, g)| {
        scan(i as u16 + 1, g.scan.0, g.image, g.payload.clone())
            .tags(g.scan.1)
            .refs(&["ISO/IEC 18004", doc])
    });
    [
        Plan::new(
            profile,
            "render",
            format!("{name}: rendering codes as QR symbols."),
            &[],
            renders.collect(),
        ),
        Plan::new(
            profile,
            "scan",
            format!("{name}: reading codes back from QR images."),
            &[],
            scans.collect(),
        ),
    ]
}
