use super::*;
use crate::rules::validator::{Options, Verdict, validate};

/// The digest's synthetic samples (thaiqr.md appendix), made by promptparse.
pub(crate) const SAMPLES: [&str; 5] = [
    "00020101021129370016A0000006770101110113006689999999953037645802TH63042195",
    "00020101021229390016A000000677010111031500499900000000953037645802TH5406120.506304EAD7",
    "00020101021129370016A0000006770101110213199999999999953037645802TH63040FF0",
    "00020101021230650016A00000067701011201150999999999999010210INV20260010308CUST004253037645802TH54071499.0062100706TILL076304825D",
    "00020101021229390016A000000677010111031514000089999999953037645802TH540535.0081280E040E480E320E010E320E410E1F6304011C",
];

fn run(payload: &str, profile: Option<Profile>) -> Verdict {
    validate(
        payload,
        &Options {
            profile,
            ..Options::default()
        },
    )
    .unwrap()
}

#[test]
fn the_digest_samples_are_valid_thai_codes_and_not_plain_emvco() {
    for s in SAMPLES {
        let v = run(s, Some(Profile::Thaiqr));
        assert!(v.valid, "{s}: {:?}", v.rule_ids());
        let auto = run(s, None);
        assert_eq!(auto.profile, Profile::Thaiqr, "{s}");
        assert!(auto.fired("THQR.PROFILE.DETECT"));
        let emv = run(s, Some(Profile::Emvco));
        assert!(!emv.valid, "{s}");
        for r in ["EMV.52.PRESENT", "EMV.59.PRESENT", "EMV.60.PRESENT"] {
            assert!(emv.fired(r), "{s}: {r}");
            assert!(!v.fired(r), "{s}: {r}");
        }
    }
    let tm = run(SAMPLES[4], Some(Profile::Thaiqr));
    assert!(tm.fired("THQR.29.03.TRUEMONEY"));
    assert!(tm.relaxed.iter().any(|r| r.rule.id == "EMV.TLV.TEMPLATE_SYNTAX"));
    let bill = run(SAMPLES[3], Some(Profile::Thaiqr));
    assert!(bill.fired("THQR.30.REF3") && bill.fired("THQR.MERCHANT.NAME_ABSENT"));
}

#[test]
fn detection_keys_on_the_aid_not_the_tag() {
    // KHQR uses 29 too, with a Bakong ID: not Thai.
    let kh = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";
    assert_eq!(run(kh, None).profile, Profile::Khqr);
    // TH and 764 alone do not make a Thai code.
    let card = crate::emv::crc::seal("000201010211021612345678901234565204599953037645802TH5904SHOP6007BANGKOK6304");
    assert_eq!(run(&card, None).profile, Profile::Emvco);
    // A lower-case AID is still judged as Thai, and named.
    let lower = SAMPLES[0].replace("A000000677010111", "a000000677010111");
    let lower = crate::emv::crc::seal(&lower[..lower.len() - 8]);
    let v = run(&lower, None);
    assert_eq!(v.profile, Profile::Thaiqr);
    assert!(v.fired("THQR.MAI.AID_CASE") && !v.valid);
    assert!(!v.fired("EMV.63.CRC_MISMATCH"), "{:?}", v.rule_ids());
}

#[test]
fn slips_and_barcodes_are_recognised_not_failed() {
    let barcode = "|099999999999901\rINV2026001\rCUST0042\r149900";
    let v = run(barcode, None);
    assert_eq!(v.profile, Profile::Thaiqr);
    assert!(v.valid && v.fired("THQR.PROFILE.NOT_EMV"), "{:?}", v.rule_ids());
    let slip = "0039000600000101030140218202601010001ABCDEF5102TH9104ABCD";
    let v = run(slip, Some(Profile::Thaiqr));
    assert!(v.valid && v.fired("THQR.PROFILE.SLIP_VERIFY"), "{:?}", v.rule_ids());
}

#[test]
fn mobile_numbers_are_normalised_as_people_write_them() {
    for raw in ["0812345678", "081-234-5678", "+66812345678", "66812345678"] {
        assert_eq!(normalise_mobile(raw).as_deref(), Some("0066812345678"), "{raw}");
    }
    assert_eq!(normalise_mobile("812345678"), None);
    assert!(thai_check_digit("1999999999999"));
    assert!(!thai_check_digit("1999999999998"));
}

#[test]
fn the_catalogue_has_the_digest_counts() {
    use crate::rules::Severity;
    assert_eq!(RULES.len(), 61);
    let n = |s: Severity| RULES.iter().filter(|r| r.severity == s).count();
    assert_eq!(
        (n(Severity::Must), n(Severity::Should), n(Severity::Info)),
        (36, 12, 13)
    );
    assert!(RULES.iter().all(|r| r.ref_behaviour.is_some()));
    assert!(RULES.iter().all(|r| r.layer() == Profile::Thaiqr));
}
