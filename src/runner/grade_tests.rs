//! Every symbol-scope rule (EMV.QR.*) fires from render grading on an image built to break it,
//! and stays silent on the reference rendering.

use ::image::{GrayImage, Luma, imageops};
use qrcode::bits::Bits;
use qrcode::canvas::Canvas;
use qrcode::{Color, EcLevel as QrEc, QrCode, Version};

use super::*;
use crate::adapter::protocol::{Png, RenderReply};
use crate::image::{
    EcLevel as ImgEc, EciPolicy, RenderOptions, Segmentation, encode_png, render_png,
};
use crate::rules::Scope;
use crate::vectors::load::parse_file;

const KHMER: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";

fn case(payload: &str, expect: &str) -> Case {
    let yaml = format!(
        "profile: khqr
area: render
description: \"t\"
cases:
  - id: KHQR-RENDER-900
    capability: render
    title: \"t\"
    input:
      payload: \"{payload}\"
    expect: {expect}
    refs: [\"t\"]
    tags: [positive]
    since: \"2026.11.0\"
"
    );
    let (file, errors) = parse_file(
        std::path::Path::new("khqr/render.yaml"),
        std::path::Path::new("khqr/render.yaml"),
        yaml.as_bytes(),
    );
    assert!(errors.is_empty(), "{errors:?}");
    file.expect("parses").cases.remove(0)
}

fn grade_png(c: &Case, png: Vec<u8>) -> Graded {
    let Expect::Render(e) = &c.expect else {
        panic!("a render case")
    };
    render(
        c,
        e,
        &Ok(Reply::Render(RenderReply { png: Png(png) })),
        expected_json(&c.expect),
    )
}

fn opts(f: impl FnOnce(&mut RenderOptions)) -> RenderOptions {
    let mut o = RenderOptions::default();
    f(&mut o);
    o
}

/// A PNG of the symbol whose modules are `colors` (width `n`), 8 px per module, 4-module quiet zone.
fn png_of(colors: &[Color], n: u32) -> Vec<u8> {
    let (scale, quiet) = (8u32, 4u32);
    let side = (n + 2 * quiet) * scale;
    let img = GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = mx >= quiet
            && my >= quiet
            && mx < quiet + n
            && my < quiet + n
            && colors[((my - quiet) * n + (mx - quiet)) as usize] == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    });
    encode_png(&img).unwrap()
}

/// A PNG of a symbol built with qrcode's bit writer (for modes the renderer never writes).
fn png_from_bits(version: i16, build: impl FnOnce(&mut Bits)) -> Vec<u8> {
    let mut bits = Bits::new(Version::Normal(version));
    build(&mut bits);
    bits.push_terminator(QrEc::M).unwrap();
    let code = QrCode::with_bits(bits, QrEc::M).unwrap();
    png_of(&code.to_colors(), code.width() as u32)
}

/// A PNG of a version-8-M symbol whose data bit stream is exactly `fields` ((value, width) pairs),
/// then a terminator and the standard padding: for headers qrcode's writer cannot emit.
fn png_from_raw(fields: &[(u32, u32)]) -> Vec<u8> {
    let version = Version::Normal(8);
    let capacity = Bits::new(version).max_len(QrEc::M).unwrap();
    let mut bits: Vec<bool> = Vec::new();
    for &(value, width) in fields {
        for i in (0..width).rev() {
            bits.push(value >> i & 1 == 1);
        }
    }
    bits.extend(std::iter::repeat_n(false, 4.min(capacity - bits.len())));
    while !bits.len().is_multiple_of(8) {
        bits.push(false);
    }
    let mut data: Vec<u8> = bits
        .chunks(8)
        .map(|c| c.iter().fold(0u8, |acc, &b| acc << 1 | u8::from(b)))
        .collect();
    for pad in [0xECu8, 0x11].iter().cycle() {
        if data.len() * 8 >= capacity {
            break;
        }
        data.push(*pad);
    }
    let (d, e) = qrcode::ec::construct_codewords(&data, version, QrEc::M).unwrap();
    let mut canvas = Canvas::new(version, QrEc::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&d, &e);
    let canvas = canvas.apply_best_mask();
    png_of(&canvas.into_colors(), 49)
}

fn fired(g: &Graded, rule: &str) -> bool {
    g.rules.iter().any(|r| r == rule)
}

#[test]
fn the_reference_rendering_passes_with_no_symbol_rule() {
    let c = case(KHMER, "{checks: [EMV.QR.DECODES]}");
    let g = grade_png(&c, render_png(KHMER, &RenderOptions::default()).unwrap());
    assert_eq!(g.grade, Grade::Pass, "{}", g.message);
    assert!(g.rules.is_empty(), "{:?}", g.rules);
}

#[test]
fn each_symbol_rule_fires_on_an_image_built_to_break_it() {
    let ascii = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";
    let plain = case(ascii, "{checks: [EMV.QR.DECODES]}");
    let khmer = case(KHMER, "{checks: [EMV.QR.DECODES]}");
    let with_min_q = case(ascii, "{checks: [EMV.QR.DECODES], min_ec_level: Q}");

    let other = grade_png(
        &plain,
        render_png(KHMER, &RenderOptions::default()).unwrap(),
    );
    assert!(fired(&other, "EMV.QR.DECODES") && other.grade == Grade::Fail);

    let kanji = grade_png(
        &khmer,
        render_png(KHMER, &opts(|o| o.segmentation = Segmentation::Automatic)).unwrap(),
    );
    assert!(
        fired(&kanji, "EMV.QR.BYTE_MODE_ONLY") && kanji.grade == Grade::Fail,
        "{}",
        kanji.message
    );

    let no_eci = grade_png(
        &khmer,
        render_png(KHMER, &opts(|o| o.eci = EciPolicy::Never)).unwrap(),
    );
    assert!(fired(&no_eci, "EMV.QR.ECI_UTF8_REQUIRED") && no_eci.grade == Grade::Fail);

    let latin1 = grade_png(
        &plain,
        png_from_bits(8, |b| {
            b.push_eci_designator(3).unwrap();
            b.push_byte_data(ascii.as_bytes()).unwrap();
        }),
    );
    assert!(
        fired(&latin1, "EMV.QR.ECI_VALUE") && latin1.grade == Grade::NonStrict,
        "{}",
        latin1.message
    );

    // A thin quiet zone is SHOULD; none at all is MUST (most readers cannot find the symbol).
    let thin_quiet = grade_png(
        &plain,
        render_png(ascii, &opts(|o| o.quiet_zone = 2)).unwrap(),
    );
    assert!(fired(&thin_quiet, "EMV.QR.QUIET_ZONE") && thin_quiet.grade == Grade::NonStrict);
    let no_quiet = grade_png(
        &plain,
        render_png(ascii, &opts(|o| o.quiet_zone = 0)).unwrap(),
    );
    assert!(
        fired(&no_quiet, "EMV.QR.QUIET_ZONE_NONE") && no_quiet.grade == Grade::Fail,
        "{} {:?}",
        no_quiet.message,
        no_quiet.rules
    );

    let low_ec = grade_png(
        &with_min_q,
        render_png(ascii, &opts(|o| o.ec = ImgEc::L)).unwrap(),
    );
    assert!(fired(&low_ec, "EMV.QR.EC_LEVEL") && low_ec.grade == Grade::NonStrict);

    let fnc1 = grade_png(
        &plain,
        png_from_bits(8, |b| {
            b.push_fnc1_first_position().unwrap();
            b.push_byte_data(ascii.as_bytes()).unwrap();
        }),
    );
    assert!(
        fired(&fnc1, "EMV.QR.NO_FNC1") && fnc1.grade == Grade::Fail,
        "{}",
        fnc1.message
    );

    // Structured Append header (symbol 1 of 2, parity 0x5A), then the payload in one byte segment.
    let mut raw = vec![
        (0b0011, 4),
        (0, 4),
        (1, 4),
        (0x5A, 8),
        (0b0100, 4),
        (ascii.len() as u32, 16),
    ];
    raw.extend(ascii.bytes().map(|b| (u32::from(b), 8)));
    let appended = grade_png(&plain, png_from_raw(&raw));
    assert!(
        fired(&appended, "EMV.QR.NO_STRUCTURED_APPEND") && appended.grade == Grade::Fail,
        "{} {:?}",
        appended.message,
        appended.rules
    );

    // Reversed reflectance (light modules on dark): rqrr reads a plain mirror image as if it were
    // upright, so the inverted symbol is the case inspection can tell.
    let mirrored_img = {
        let png = render_png(ascii, &RenderOptions::default()).unwrap();
        let mut img =
            crate::image::load_gray(&png, &crate::image::DecodeLimits::default()).unwrap();
        imageops::invert(&mut img);
        encode_png(&img).unwrap()
    };
    let mirrored = grade_png(&plain, mirrored_img);
    assert!(
        fired(&mirrored, "EMV.QR.NOT_MIRRORED"),
        "{} {:?}",
        mirrored.message,
        mirrored.rules
    );
    assert_eq!(
        mirrored.grade,
        Grade::Pass,
        "INFO does not change the grade"
    );
}

#[test]
fn every_symbol_rule_in_the_catalogue_is_graded_here() {
    // The rules `each_symbol_rule_fires_on_an_image_built_to_break_it` and the reference
    // rendering exercise: exactly what the graded-rules table says render grading fires.
    let tested = [
        "EMV.QR.DECODES",
        "EMV.QR.BYTE_MODE_ONLY",
        "EMV.QR.NO_STRUCTURED_APPEND",
        "EMV.QR.NO_FNC1",
        "EMV.QR.ECI_UTF8_REQUIRED",
        "EMV.QR.ECI_VALUE",
        "EMV.QR.QUIET_ZONE",
        "EMV.QR.QUIET_ZONE_NONE",
        "EMV.QR.EC_LEVEL",
        "EMV.QR.NOT_MIRRORED",
    ];
    let table: std::collections::BTreeSet<&str> = crate::rules::graded::GRADED
        .iter()
        .filter(|g| {
            g.trigger == crate::rules::graded::Trigger::Capability(crate::Capability::Render)
        })
        .map(|g| g.rule.id)
        .collect();
    assert_eq!(table, tested.into_iter().collect());
    for r in crate::rules::all().filter(|r| r.scope == Scope::Symbol && r.id.starts_with("EMV.")) {
        assert!(tested.contains(&r.id), "{} has no firing test", r.id);
    }
}

/// EMV.63.CONSUMER_REJECTS_BAD_CRC fires from validate grading when a consumer accepts a code
/// whose CRC does not match, and only then.
#[test]
fn a_consumer_accepting_a_bad_crc_breaks_its_own_rule() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/emvco/crc.yaml");
    let bytes = std::fs::read(&path).unwrap();
    let rel = std::path::Path::new("emvco/crc.yaml");
    let (file, errors) = parse_file(rel, rel, &bytes);
    assert!(errors.is_empty(), "{errors:?}");
    let cases = file.unwrap().cases;
    let mismatch = cases
        .iter()
        .find(|c| matches!(&c.expect, Expect::Validate(e) if e.rules.iter().any(|r| r == "EMV.63.CRC_MISMATCH")))
        .expect("a CRC mismatch vector");
    let other = cases
        .iter()
        .find(|c| matches!(&c.expect, Expect::Validate(e) if !e.rules.is_empty() && e.rules.iter().all(|r| r != "EMV.63.CRC_MISMATCH")))
        .expect("another rejection vector");
    let map = ErrorMap::default();
    let grader = Grader {
        error_map: &map,
        clock: Clock::from_millis(1_780_000_900_000),
    };
    let accepted = || {
        Ok(Reply::Validate(crate::adapter::protocol::ValidateReply {
            valid: true,
            errors: Vec::new(),
        }))
    };
    let g = grader.grade(mismatch, &[accepted()]);
    assert_eq!(g.grade, Grade::Fail);
    assert!(
        g.rules
            .iter()
            .any(|r| r == "EMV.63.CONSUMER_REJECTS_BAD_CRC"),
        "{:?}",
        g.rules
    );
    let g = grader.grade(other, &[accepted()]);
    assert!(
        !g.rules
            .iter()
            .any(|r| r == "EMV.63.CONSUMER_REJECTS_BAD_CRC"),
        "{:?}",
        g.rules
    );
}

/// A dynamic code's expiry is judged at the moment the merchant data says it was made, not on
/// the day the run happens; a vector's own clock still wins.
#[test]
fn generated_codes_are_judged_at_their_creation_time() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/khqr/generate.yaml");
    let bytes = std::fs::read(&path).unwrap();
    let rel = std::path::Path::new("khqr/generate.yaml");
    let (file, errors) = parse_file(rel, rel, &bytes);
    assert!(errors.is_empty(), "{errors:?}");
    let mut case = file
        .unwrap()
        .cases
        .into_iter()
        .find(|c| c.id == "KHQR-GENERATE-004")
        .unwrap();
    let Expect::Generate(e) = case.expect.clone() else {
        panic!("a generate case")
    };
    let payload = e.payload.clone().unwrap();
    let map = ErrorMap::default();
    // Years after the code's 15-minute validity.
    let grader = Grader {
        error_map: &map,
        clock: Clock::from_millis(1_900_000_000_000),
    };
    let reply = || {
        Ok(Reply::Generate(crate::adapter::protocol::GenerateReply {
            payload: payload.clone(),
            md5: None,
        }))
    };
    let at_creation = grader.grade(&case, &[reply()]);
    assert_eq!(at_creation.grade, Grade::Pass, "{}", at_creation.message);

    let Input::Generate(g) = &mut case.input else {
        panic!("a generate input")
    };
    g.now = Some(Clock::from_millis(1_780_000_900_001));
    let after_expiry = grader.grade(&case, &[reply()]);
    assert_eq!(after_expiry.grade, Grade::Fail, "{}", after_expiry.message);
    assert!(after_expiry.rules.iter().any(|r| r == "KHQR.99.EXPIRED"));
}

fn khqr_generate_case(id: &str) -> Case {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/khqr/generate.yaml");
    let bytes = std::fs::read(&path).unwrap();
    let rel = std::path::Path::new("khqr/generate.yaml");
    let (file, errors) = parse_file(rel, rel, &bytes);
    assert!(errors.is_empty(), "{errors:?}");
    file.unwrap()
        .cases
        .into_iter()
        .find(|c| c.id == id)
        .unwrap()
}

fn generated(payload: &str, md5: Option<&str>) -> Result<Reply, CallError> {
    Ok(Reply::Generate(crate::adapter::protocol::GenerateReply {
        payload: payload.into(),
        md5: md5.map(str::to_owned),
    }))
}

/// KHQR.GEN.MD5 fires from generate grading: a digest beside the payload must be the payload's
/// lower-case hex MD5; none at all is not judged.
#[test]
fn a_generators_md5_is_judged_when_it_gives_one() {
    let case = khqr_generate_case("KHQR-GENERATE-001");
    let Expect::Generate(e) = &case.expect else {
        panic!("a generate case")
    };
    let payload = e.payload.clone().unwrap();
    let map = ErrorMap::default();
    let grader = Grader {
        error_map: &map,
        clock: Clock::from_millis(1_780_000_900_000),
    };
    let right = crate::rules::khqr::generated::md5_hex(&payload);
    assert_eq!(
        grader.grade(&case, &[generated(&payload, None)]).grade,
        Grade::Pass
    );
    let g = grader.grade(&case, &[generated(&payload, Some(&right))]);
    assert_eq!(g.grade, Grade::Pass, "{}", g.message);
    assert_eq!(g.observed["md5"], right.as_str());
    let upper = right.to_ascii_uppercase();
    let g = grader.grade(&case, &[generated(&payload, Some(&upper))]);
    assert_eq!(g.grade, Grade::Fail, "{}", g.message);
    assert_eq!(g.rules, ["KHQR.GEN.MD5"]);
    assert!(
        g.message.starts_with("KHQR.GEN.MD5: the md5 is"),
        "{}",
        g.message
    );
}

/// KHQR.GEN.FALSE_SUCCESS fires when a generator reports success for input it must refuse.
#[test]
fn a_false_success_is_named() {
    let case = khqr_generate_case("KHQR-GENERATE-013");
    let Expect::Generate(e) = &case.expect else {
        panic!("a generate case")
    };
    assert_eq!(e.refuse, ["KHQR.59.LENGTH"]);
    let name26 = crate::emv::crc::seal(&format!(
        "00020101021129160012demo@sandbox5204599953031165802KH5926{}6010Battambang",
        "N".repeat(26)
    ));
    let map = ErrorMap::default();
    let grader = Grader {
        error_map: &map,
        clock: Clock::from_millis(1_780_000_900_000),
    };
    let g = grader.grade(&case, &[generated(&name26, None)]);
    assert_eq!(g.grade, Grade::Fail, "{}", g.message);
    assert!(
        g.rules.contains(&"KHQR.59.LENGTH".to_owned()),
        "{:?}",
        g.rules
    );
    assert!(
        g.rules.contains(&"KHQR.GEN.FALSE_SUCCESS".to_owned()),
        "{:?}",
        g.rules
    );
}

/// Inside a claimed capability, `unsupported` is a broken claim: ERROR, never UNSUPPORTED.
#[test]
fn a_refusal_of_what_was_claimed_is_an_error() {
    let case = khqr_generate_case("KHQR-GENERATE-001");
    let map = ErrorMap::default();
    let grader = Grader {
        error_map: &map,
        clock: Clock::from_millis(1_780_000_900_000),
    };
    let refused = Err(CallError::Refused(
        crate::adapter::protocol::ImplError::unsupported(
            crate::adapter::protocol::OpKind::Generate,
        ),
    ));
    let g = grader.grade(&case, &[refused]);
    assert_eq!(g.grade, Grade::Error);
    assert!(
        g.message.starts_with("claimed but refused"),
        "{}",
        g.message
    );
    assert_eq!(g.observed["fault"], "claimed_but_refused");
}
