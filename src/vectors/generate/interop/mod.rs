//! Cross-border vectors (`--profile interop`): a JPQR wallet reading a KHQR code and a KHQR
//! wallet reading a JPQR code. The national rules still apply; the INTEROP rules come on top.

mod payer;
pub mod replay;

use super::build::{Unit, V, s, t};
use super::{Draft, Plan, parse, validate};
use crate::Profile;
use crate::rules::jpqr::plans::{dy as jdy, level_template, st as jst};
use crate::rules::khqr::plans::{EXPIRATION, dy as kdy, st as kst};
use crate::vectors::model::{Expect, Input};

fn xv(num: u16, title: &str, payload: String) -> Draft {
    validate(num, title, payload).now(EXPIRATION)
}

fn crossborder() -> Plan {
    let k64 = |kids: &[(u8, V)]| kdy().set(64, t(kids)).sealed();
    let lower = {
        let p = kst().sealed();
        let (a, b) = p.split_at(p.len() - 4);
        format!("{a}{}", b.to_ascii_lowercase())
    };
    let plain = crate::rules::emvco::plans::base().sealed();
    let d =
        vec![
        xv(
            1,
            "A JPQR wallet reads the KHQR dynamic sample",
            kdy().sealed(),
        )
        .tags(&["topic-account", "smoke", "positive", "khqr-in-jpqr"]),
        xv(
            2,
            "A JPQR wallet reads the KHQR static sample",
            kst().sealed(),
        )
        .warn(&["INTEROP.64.LOCAL_NAME"])
        .tags(&["topic-names", "negative", "khqr-in-jpqr"])
        .note(
            "The static sample has no Khmer name in 64: readable, but the local name is missing.",
        ),
        xv(
            3,
            "A KHQR wallet reads the JPQR static sample",
            jst().sealed(),
        )
        .info(&["JPQR.PROFILE.MPM"])
        .tags(&["topic-account", "smoke", "positive", "jpqr-in-khqr"]),
        xv(
            4,
            "A KHQR wallet reads the JPQR dynamic sample",
            jdy().sealed(),
        )
        .tags(&["topic-account", "positive", "jpqr-in-khqr"]),
        validate(
            5,
            "An expired KHQR code fails across the border too",
            kdy().sealed(),
        )
        .now(EXPIRATION + 1)
        .reject(&["KHQR.99.EXPIRED"])
        .tags(&["topic-expiry", "negative", "khqr-in-jpqr", "clock"]),
        xv(6, "A plain EMVCo code is neither JPQR nor KHQR", plain.clone())
            .reject(&["INTEROP.PROFILE.DETECTABLE"])
            .tags(&["topic-neither", "negative", "emvco-in-jpqr"]),
        xv(
            7,
            "A JPQR code that also carries a Bakong account",
            jst().insert(3, 29, t(&[(0, s("demo@sandbox"))])).sealed(),
        )
        .reject(&["INTEROP.PROFILE.DETECTABLE"])
        .tags(&["topic-account", "negative", "jpqr-in-khqr"]),
        xv(8, "Euro in a KHQR code", kdy().set_s(53, "978").sealed())
            .reject(&["INTEROP.53.SUPPORTED"])
            .tags(&["topic-amount", "negative", "khqr-in-jpqr"]),
        xv(
            9,
            "A KHQR code whose country is JP (INFO)",
            kdy().set_s(58, "JP").sealed(),
        )
        .reject(&["KHQR.58.VALUE"])
        .info(&["INTEROP.53_58.PAIR"])
        .tags(&["topic-amount", "negative", "khqr-in-jpqr"]),
        xv(
            10,
            "A USD amount with one decimal across the border",
            kdy().set_s(54, "2.5").sealed(),
        )
        .reject(&["INTEROP.54.EXPONENT"])
        .tags(&["topic-amount", "negative", "khqr-in-jpqr"]),
        xv(
            11,
            "A KHR amount with decimals across the border",
            kdy().set_s(53, "116").set_s(54, "2500.00").sealed(),
        )
        .reject(&["INTEROP.54.EXPONENT"])
        .tags(&["topic-amount", "negative", "khqr-in-jpqr"]),
        xv(
            12,
            "A Khmer-only merchant name cannot be shown by a JPQR wallet",
            kdy().set_s(59, "ហាងគុយទាវ").sealed(),
        )
        .reject(&["INTEROP.59.LATIN"])
        .tags(&["topic-names", "negative", "khqr-in-jpqr", "smoke"]),
        xv(13, "A Khmer-only city", kdy().set_s(60, "បាត់ដំបង").sealed())
            .reject(&["INTEROP.60.LATIN"])
            .tags(&["topic-names", "negative", "khqr-in-jpqr"]),
        xv(
            14,
            "A KHQR code without its Khmer name in 64",
            kdy().del(64).sealed(),
        )
        .warn(&["INTEROP.64.LOCAL_NAME"])
        .tags(&["topic-names", "negative", "khqr-in-jpqr"]),
        xv(
            15,
            "A JPQR code whose 64 holds an English name",
            jst()
                .set(64, t(&[(0, s("EN")), (1, s("Sakura Cafe"))]))
                .sealed(),
        )
        .reject(&["JPQR.64.00.LANG_JA"])
        .warn(&["INTEROP.64.LOCAL_NAME"])
        .tags(&["topic-names", "negative", "jpqr-in-khqr"]),
        xv(
            16,
            "Language preference kh across the border",
            k64(&[(0, s("kh")), (1, s("ហាង"))]),
        )
        .warn(&[
            "EMV.64.00.ISO639",
            "KHQR.64.PREFERENCE_CODE",
            "INTEROP.64.LOCAL_NAME",
            "INTEROP.64.LANG_CODE",
        ])
        .tags(&["topic-names", "negative", "khqr-in-jpqr"]),
        xv(17, "A lower-case CRC across the border", lower)
            .reject(&["INTEROP.63.UPPERCASE"])
            .tags(&["topic-broken", "negative", "khqr-in-jpqr"]),
        xv(
            18,
            "An emoji in a KHQR name across the border",
            k64(&[(0, s("km")), (1, s("ហាង🍜"))]),
        )
        .warn(&[
            "EMV.CHARSET.NON_BMP",
            "KHQR.TEXT.NON_BMP",
            "INTEROP.TEXT.BMP_ONLY",
        ])
        .tags(&["topic-names", "negative", "khqr-in-jpqr", "emoji"]),
        xv(
            19,
            "A kanji above U+FFFF (𠮷) in a JPQR name",
            jst()
                .set(64, t(&[(0, s("JA")), (1, s("𠮷田商店"))]))
                .sealed(),
        )
        .warn(&["EMV.CHARSET.NON_BMP", "INTEROP.TEXT.BMP_ONLY"])
        .tags(&["topic-names", "negative", "jpqr-in-khqr"]),
        xv(
            20,
            "A primitive account field (15) holding a Bakong template",
            kdy().insert(2, 15, t(&[(0, s("demo@sandbox"))])).sealed(),
        )
        .reject(&["INTEROP.MAI.PRIMITIVE_02_25"])
        .tags(&["topic-account", "negative", "khqr-in-jpqr"]),
        xv(
            21,
            "A primitive account field (04) holding a JPQR template",
            jst().insert(2, 4, level_template(9, None)).sealed(),
        )
        .reject(&["INTEROP.MAI.PRIMITIVE_02_25"])
        .tags(&["topic-account", "negative", "jpqr-in-khqr"]),
        xv(
            22,
            "A KHQR wallet meets a plain EMVCo code: neither JPQR nor KHQR",
            plain,
        )
        .reject(&["INTEROP.PROFILE.DETECTABLE"])
        .tags(&["topic-neither", "negative", "emvco-in-khqr"]),
    ];
    Plan {
        profile: Profile::Interop,
        area: "crossborder".into(),
        description:
            "INTEROP: JPQR wallets reading KHQR codes and KHQR wallets reading JPQR codes.".into(),
        refs: &["JPQR digest §10, §10.1"],
        drafts: d,
    }
}

fn parse_area() -> Plan {
    let d = vec![
        parse(
            1,
            "A JPQR wallet decodes a KHQR code (lengths in UTF-16 units)",
            &kdy(),
        )
        .tags(&["topic-names", "smoke", "khqr-in-jpqr"]),
        parse(
            2,
            "A KHQR wallet decodes a JPQR code (lengths in characters)",
            &jst(),
        )
        .tags(&["topic-names", "jpqr-in-khqr"]),
        parse(
            3,
            "A JPQR wallet decodes a code of neither scheme (before refusing to pay it)",
            &crate::rules::emvco::plans::base(),
        )
        .tags(&["topic-neither", "emvco-in-jpqr"]),
        parse(
            4,
            "A KHQR wallet decodes a code of neither scheme (before refusing to pay it)",
            &crate::rules::emvco::plans::base(),
        )
        .tags(&["topic-neither", "emvco-in-khqr"]),
    ];
    let _ = Unit::Chars;
    Plan {
        profile: Profile::Interop,
        area: "parse".into(),
        description: "INTEROP: decoding the other scheme's codes.".into(),
        refs: &["JPQR digest §10", "KHQR digest §1"],
        drafts: d,
    }
}

/// The merchant side across the border: a code generated for one scheme must pass the other
/// scheme's wallet (the INTEROP rules on top of its own profile). The implementation generates
/// under the code's own scheme (KHQR for a Bakong account, JPQR for a JPQR ID); the output is
/// judged under `interop`.
fn generate_area() -> Plan {
    use crate::merchant::{AlternateLanguage, Kind};
    let khqr_dynamic = {
        let mut m = crate::rules::khqr::plans::kdata("Demo Noodle Bar", "Battambang", "840");
        m.kind = Kind::Dynamic;
        m.transaction.amount = Some("2.50".into());
        m.transaction.created_at_ms = Some("1780000000000".into());
        m.transaction.expires_at_ms = Some("1780000900000".into());
        m.merchant.alternate_language = Some(AlternateLanguage {
            language: "km".into(),
            name: "ហាងគុយទាវ".into(),
            city: Some("បាត់ដំបង".into()),
        });
        m
    };
    let khqr_static = {
        let mut m = crate::rules::khqr::plans::kdata("Demo Noodle Bar", "Battambang", "116");
        m.merchant.alternate_language = Some(AlternateLanguage {
            language: "km".into(),
            name: "ហាងគុយទាវ".into(),
            city: None,
        });
        m
    };
    let jpqr_dynamic = {
        let mut m = crate::rules::jpqr::plans::jdata();
        m.kind = Kind::Dynamic;
        m.transaction.amount = Some("1500".into());
        m
    };
    let k = |num, title: &str, m: crate::merchant::MerchantData| {
        let payload = crate::rules::khqr::plans::canonical(&m).sealed();
        super::generate(num, title, m, payload)
    };
    let j = |num, title: &str, m: crate::merchant::MerchantData| {
        let payload = crate::rules::emvco::plans::canonical(&m).sealed();
        super::generate(num, title, m, payload)
    };
    let d = vec![
        k(
            1,
            "A KHQR merchant's dynamic USD code passes a JPQR wallet's checks",
            khqr_dynamic,
        )
        .tags(&["smoke", "positive", "khqr-merchant", "khqr-in-jpqr"]),
        k(
            2,
            "A KHQR merchant's static riel code with a Khmer name passes a JPQR wallet's checks",
            khqr_static,
        )
        .tags(&["positive", "khqr-merchant", "khqr-in-jpqr"]),
        j(
            3,
            "A JPQR merchant's static code passes a KHQR wallet's checks",
            crate::rules::jpqr::plans::jdata(),
        )
        .tags(&["smoke", "positive", "jpqr-merchant", "jpqr-in-khqr"]),
        j(
            4,
            "A JPQR merchant's dynamic 1500-yen code passes a KHQR wallet's checks",
            jpqr_dynamic,
        )
        .tags(&["positive", "jpqr-merchant", "jpqr-in-khqr"]),
    ];
    Plan {
        profile: Profile::Interop,
        area: "generate".into(),
        description: "INTEROP: codes generated by one scheme's merchant systems, judged by the other scheme's wallets.".into(),
        refs: &["JPQR digest §10, §10.1"],
        drafts: d,
    }
}

/// Every cross-border file.
pub fn plans() -> Vec<Plan> {
    let mut v = vec![crossborder(), parse_area(), generate_area(), payer::plan()];
    v.extend(replay::plans());
    for d in v.iter_mut().flat_map(|p| p.drafts.iter_mut()) {
        with_payer_view(d);
    }
    v
}

/// A cross-border parse case expects what the payer is shown, read from its payload through
/// the interop profile's reading of the code (the reference), never written by hand.
fn with_payer_view(d: &mut Draft) {
    if let (Input::Parse(i), Expect::Parse(e)) = (&d.input, &mut d.expect) {
        e.payer = crate::reference::payer(&i.payload).map(Box::new);
    }
}
