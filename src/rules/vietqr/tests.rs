use super::*;
use crate::rules::validator::{Options, Verdict, validate};

/// The digest's synthetic samples (vietqr.md appendix), made by vietnam-qr-pay.
pub(crate) const SAMPLES: [&str; 5] = [
    "00020101021138550010A000000727012500069704360111001122331120208QRIBFTTA53037045802VN63040437",
    "00020101021238580010A000000727012800069704180114215100012345670208QRIBFTTA530370454061500005802VN62210817THANH TOAN DON 426304AAE6",
    "00020101021138600010A00000072701300006970415011697041500000000180208QRIBFTTC53037045802VN6304DE6F",
    "00020101021238540010A00000072701240006970422011001234567890208QRIBFTTA53037045405450005802VN62170813Cà phê sữa đá630477EC",
    "00020101021138540010A000000727012600069704070112MC00000123450206QRPUSH5204581253037045802VN5908PHO DEMO6006HA NOI6304B434",
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
fn the_digest_samples_are_valid_vietqr_and_transfers_are_not_plain_emvco() {
    for (i, s) in SAMPLES.iter().enumerate() {
        let v = run(s, Some(Profile::Vietqr));
        assert!(v.valid, "{s}: {:?}", v.rule_ids());
        let auto = run(s, None);
        assert_eq!(auto.profile, Profile::Vietqr, "{s}");
        assert!(auto.fired("VNQR.PROFILE.DETECT"));
        let emv = run(s, Some(Profile::Emvco));
        if i < 4 {
            assert!(!emv.valid, "{s}");
            for r in ["EMV.52.PRESENT", "EMV.59.PRESENT", "EMV.60.PRESENT"] {
                assert!(emv.fired(r) && !v.fired(r), "{s}: {r}");
            }
        } else {
            assert!(emv.valid, "{s}: {:?}", emv.rule_ids());
        }
    }
    let vi = run(SAMPLES[3], Some(Profile::Vietqr));
    assert!(vi.fired("VNQR.62.08.NON_ASCII"));
    assert!(vi.findings.iter().all(|f| f.severity != crate::rules::Severity::Must));
    assert!(run(SAMPLES[3], Some(Profile::Emvco)).fired("EMV.62.SUB_CHARSET"));
    // Under interop the 62/08 downgrade is not applied: a foreign wallet needs ASCII.
    let x = run(SAMPLES[3], Some(Profile::Interop));
    assert_eq!(x.profile, Profile::Vietqr);
    assert!(!x.valid && x.fired("EMV.62.SUB_CHARSET"), "{:?}", x.rule_ids());
}

#[test]
fn a_transfer_keeps_its_relaxation_a_merchant_payment_does_not() {
    // QRPUSH without 52/59/60: the EMVCo rules stay, and VNQR restates them.
    let push = SAMPLES[0].replace("0208QRIBFTTA", "0206QRPUSH").replace("3855", "3853");
    let push = crate::emv::crc::seal(&push[..push.len() - 8]);
    let v = run(&push, Some(Profile::Vietqr));
    assert!(v.fired("VNQR.QRPUSH.MERCHANT_FIELDS") && v.fired("EMV.59.PRESENT"), "{:?}", v.rule_ids());
}

#[test]
fn detection_keys_on_the_guid_not_the_tag() {
    // Tag 38 with another AID (a LaoQR library uses 38) is not VietQR; 704 + VN alone are not.
    let lao = crate::emv::crc::seal("00020101021138300016A00526628466257701061234565204599953037045802VN5904SHOP6005HANOI6304");
    assert_ne!(run(&lao, None).profile, Profile::Vietqr);
    let lower = SAMPLES[0].replace("A000000727", "a000000727");
    let lower = crate::emv::crc::seal(&lower[..lower.len() - 8]);
    let v = run(&lower, None);
    assert_eq!(v.profile, Profile::Vietqr);
    assert!(v.fired("VNQR.38.GUID") && !v.valid);
}

#[test]
fn the_catalogue_has_the_digest_counts() {
    use crate::rules::Severity;
    assert_eq!(RULES.len(), 50);
    let n = |s: Severity| RULES.iter().filter(|r| r.severity == s).count();
    assert_eq!(
        (n(Severity::Must), n(Severity::Should), n(Severity::Info)),
        (27, 16, 7)
    );
    assert!(RULES.iter().all(|r| r.ref_behaviour.is_some()));
    assert!(RULES.iter().all(|r| r.layer() == Profile::Vietqr));
}
