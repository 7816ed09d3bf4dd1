//! Deliberately broken variants of the reference implementation, for `qrcert selftest`.
//!
//! A harness that passes everything proves nothing; the proof that qrcert sees a defect is to
//! hand it an implementation with that one defect and watch it fail, for the right reason. Each
//! [`Defect`] is one realistic mistake real implementations make, switched into the reference
//! implementation at the one place it would live. They exist only for `qrcert selftest` and
//! tests: no command line flag of `qrcert reference` or `qrcert run` reaches them.
//! docs/selftest.md lists them with what catches each.

use std::time::Duration;

use crate::Profile;
use crate::emv::payload::{Model, Node};
use crate::emv::{LengthUnit, ParseOptions, Tlv, crc};
use crate::image::Decoded;
use crate::rules::detect::JPQR_GUID;

/// What shows that the harness saw a defect: a blocking case (FAIL or ERROR) carrying it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The case lists one of these rules: expected to fire (validate), expected refusal or found
    /// broken in the output (generate), found broken in the symbol (render).
    Rules(&'static [&'static str]),
    /// A parse case decoded this root data object differently from the vector (parse vectors
    /// name no rules: the expected fields are the whole expectation).
    ParseField(&'static str),
    /// A parse case whose payer view differs from the vector's in this field.
    PayerField(&'static str),
    /// The case's vector carries this tag (positive scan vectors name no rules).
    Tag(&'static str),
    /// The adapter timed out on a case of this profile.
    Timeout(Profile),
    /// A blocking case whose fault is of this kind (`observed.fault`: `claimed_but_refused`,
    /// `timeout`, `exited`, ...).
    Fault(&'static str),
    /// The run's verdict reason starts with this: a run with no blocking case at all can still
    /// be caught, when it certifies nothing.
    Verdict(&'static str),
}

/// How a broken variant is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// In process, through the library transport.
    Library,
    /// As a child process speaking the CLI protocol (`qrcert selftest --peer NAME`): the
    /// defects that only a real process can have (late replies, exiting, children).
    Process,
}

/// How long the `timeout-on-profile` defect keeps a request waiting. `qrcert selftest` runs
/// that variant with a much shorter per-request timeout, so every affected call times out.
pub(super) const HANG: Duration = Duration::from_millis(1500);

/// One deliberate defect. See [`Defect::description`] for what each does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Defect {
    /// generate writes the CRC in lower-case hex.
    CrcLowercase,
    /// generate computes the CRC over the payload without its `6304` prefix.
    CrcWithout6304,
    /// generate computes the CRC over UTF-16 code units instead of UTF-8 bytes.
    CrcOverUtf16,
    /// validate does not check the CRC at all.
    CrcUnchecked,
    /// generate counts lengths in UTF-8 bytes instead of characters.
    LengthsInBytes,
    /// validate ignores KHQR's UTF-16 length rule.
    KhqrUtf16Ignored,
    /// generate writes a three-digit length for a value over 99.
    ThreeDigitLengths,
    /// validate accepts repeated IDs.
    DuplicatesAccepted,
    /// validate does not check where 00 and 63 stand.
    OrderUnchecked,
    /// validate does not check the payload format indicator (00).
    PfiUnchecked,
    /// validate never judges the expiry.
    ExpiryIgnored,
    /// validate judges the expiry against the system clock instead of the request's `now`.
    ExpiryWrongClock,
    /// validate and generate accept a riel amount with decimals.
    KhrDecimalsAccepted,
    /// validate and generate accept a dollar amount with three decimals.
    UsdThreeDecimalsAccepted,
    /// validate and generate accept an amount of zero.
    ZeroAmountAccepted,
    /// validate and generate accept a merchant name over 25 characters.
    NameLengthUnchecked,
    /// validate compares the JPQR GUID case-insensitively.
    JpqrGuidCaseInsensitive,
    /// generate drops the language template (64).
    Tag64Dropped,
    /// parse keeps only the first sub-tag of 62.
    Parse62SubtagsLost,
    /// render lets the encoder pick Kanji, Numeric and Alphanumeric segments.
    RenderKanji,
    /// render draws the symbol without a quiet zone.
    RenderNoQuietZone,
    /// render never writes ECI 26, even for non-ASCII payloads.
    RenderWithoutEci,
    /// scan reads only upright symbols.
    ScanUprightOnly,
    /// every JPQR validate and generate request hangs past the timeout.
    TimeoutOnProfile,
    /// validate judges Thai QR codes without the profile's relaxations (a wallet that rejects
    /// personal PromptPay codes for lacking 52, 59 and 60).
    ThaiRelaxationsIgnored,
    /// validate and generate accept a VND amount with a decimal point or comma.
    VndDecimalsAccepted,
    /// generate returns the payload's MD5 in upper-case hex.
    GenerateMd5UpperCase,
    /// generate reports success for input it must refuse.
    GenerateFalseSuccess,
    /// validate answers `unsupported` whenever it would reject.
    DodgesRejections,
    /// describe claims no capability.
    ClaimsNothing,
    /// every answer but describe comes after the request timeout.
    LateReplies,
    /// the process exits right after answering describe.
    ExitsAfterDescribe,
    /// each request starts a child process that never ends, and waits for it.
    LeavesChildren,
    /// a cross-border wallet reads KHR amounts with two decimals (as if riel had a minor unit).
    ForeignKhrTwoDecimals,
    /// a cross-border wallet never judges the KHQR expiry (99) of a foreign code.
    ForeignExpiryIgnored,
    /// parse drops the language template (64) of codes not in Japanese.
    ForeignTag64Dropped,
    /// a cross-border wallet judges every code as JPQR, so a foreign account template is an
    /// unknown GUID.
    ForeignAccountRejected,
    /// the payer view shows an amount in a currency without minor units (riel, yen) as if it
    /// had two: 1000 KHR is shown as 10.00.
    PayerKhrCents,
}

impl Defect {
    /// Every defect, in the order `qrcert selftest` runs them.
    pub const ALL: [Defect; 38] = [
        Defect::CrcLowercase,
        Defect::CrcWithout6304,
        Defect::CrcOverUtf16,
        Defect::CrcUnchecked,
        Defect::LengthsInBytes,
        Defect::KhqrUtf16Ignored,
        Defect::ThreeDigitLengths,
        Defect::DuplicatesAccepted,
        Defect::OrderUnchecked,
        Defect::PfiUnchecked,
        Defect::ExpiryIgnored,
        Defect::ExpiryWrongClock,
        Defect::KhrDecimalsAccepted,
        Defect::UsdThreeDecimalsAccepted,
        Defect::ZeroAmountAccepted,
        Defect::NameLengthUnchecked,
        Defect::JpqrGuidCaseInsensitive,
        Defect::Tag64Dropped,
        Defect::Parse62SubtagsLost,
        Defect::RenderKanji,
        Defect::RenderNoQuietZone,
        Defect::RenderWithoutEci,
        Defect::ScanUprightOnly,
        Defect::TimeoutOnProfile,
        Defect::ThaiRelaxationsIgnored,
        Defect::VndDecimalsAccepted,
        Defect::GenerateMd5UpperCase,
        Defect::GenerateFalseSuccess,
        Defect::DodgesRejections,
        Defect::ClaimsNothing,
        Defect::LateReplies,
        Defect::ExitsAfterDescribe,
        Defect::LeavesChildren,
        Defect::ForeignKhrTwoDecimals,
        Defect::ForeignExpiryIgnored,
        Defect::ForeignTag64Dropped,
        Defect::ForeignAccountRejected,
        Defect::PayerKhrCents,
    ];

    /// The defect's name (kebab case), as `qrcert selftest` prints it.
    pub const fn name(self) -> &'static str {
        match self {
            Defect::CrcLowercase => "crc-lowercase",
            Defect::CrcWithout6304 => "crc-without-6304",
            Defect::CrcOverUtf16 => "crc-over-utf16",
            Defect::CrcUnchecked => "crc-unchecked",
            Defect::LengthsInBytes => "lengths-in-bytes",
            Defect::KhqrUtf16Ignored => "khqr-utf16-ignored",
            Defect::ThreeDigitLengths => "three-digit-lengths",
            Defect::DuplicatesAccepted => "duplicates-accepted",
            Defect::OrderUnchecked => "order-unchecked",
            Defect::PfiUnchecked => "pfi-unchecked",
            Defect::ExpiryIgnored => "expiry-ignored",
            Defect::ExpiryWrongClock => "expiry-wrong-clock",
            Defect::KhrDecimalsAccepted => "khr-decimals-accepted",
            Defect::UsdThreeDecimalsAccepted => "usd-three-decimals-accepted",
            Defect::ZeroAmountAccepted => "zero-amount-accepted",
            Defect::NameLengthUnchecked => "name-length-unchecked",
            Defect::JpqrGuidCaseInsensitive => "jpqr-guid-case-insensitive",
            Defect::Tag64Dropped => "tag64-dropped",
            Defect::Parse62SubtagsLost => "parse-62-subtags-lost",
            Defect::RenderKanji => "render-kanji",
            Defect::RenderNoQuietZone => "render-no-quiet-zone",
            Defect::RenderWithoutEci => "render-without-eci",
            Defect::ScanUprightOnly => "scan-upright-only",
            Defect::TimeoutOnProfile => "timeout-on-profile",
            Defect::ThaiRelaxationsIgnored => "thai-relaxations-ignored",
            Defect::VndDecimalsAccepted => "vnd-decimals-accepted",
            Defect::GenerateMd5UpperCase => "generate-md5-upper-case",
            Defect::GenerateFalseSuccess => "generate-false-success",
            Defect::DodgesRejections => "dodges-rejections",
            Defect::ClaimsNothing => "claims-nothing",
            Defect::LateReplies => "late-replies",
            Defect::ExitsAfterDescribe => "exits-after-describe",
            Defect::LeavesChildren => "leaves-children",
            Defect::ForeignKhrTwoDecimals => "foreign-khr-two-decimals",
            Defect::ForeignExpiryIgnored => "foreign-expiry-ignored",
            Defect::ForeignTag64Dropped => "foreign-tag64-dropped",
            Defect::ForeignAccountRejected => "foreign-account-rejected",
            Defect::PayerKhrCents => "payer-khr-cents",
        }
    }

    /// What the broken implementation does, in one line.
    pub const fn description(self) -> &'static str {
        match self {
            Defect::CrcLowercase => "generate writes the CRC in lower-case hex ('63042a7f')",
            Defect::CrcWithout6304 => {
                "generate computes the CRC over the objects before 63, leaving out '6304'"
            }
            Defect::CrcOverUtf16 => {
                "generate feeds the CRC one UTF-16 code unit (its low byte) per step, as a charCodeAt loop does, instead of the UTF-8 bytes"
            }
            Defect::CrcUnchecked => "validate never compares the CRC with the payload",
            Defect::LengthsInBytes => {
                "generate counts lengths in UTF-8 bytes instead of characters (UTF-16 units for KHQR)"
            }
            Defect::KhqrUtf16Ignored => {
                "validate falls back to reading KHQR lengths in code points, so lengths that are not UTF-16 units pass"
            }
            Defect::ThreeDigitLengths => {
                "generate writes a value over 99 with a three-digit length ('62116...') instead of refusing it"
            }
            Defect::DuplicatesAccepted => {
                "validate lets a repeated ID pass (a map keeps the last copy)"
            }
            Defect::OrderUnchecked => "validate does not check that 00 comes first and 63 last",
            Defect::PfiUnchecked => {
                "validate does not check the payload format indicator (00): missing, wrong value or length pass"
            }
            Defect::ExpiryIgnored => "validate never judges a KHQR code's expiry (99/01)",
            Defect::ExpiryWrongClock => {
                "validate judges the expiry against the system clock instead of the request's 'now'"
            }
            Defect::KhrDecimalsAccepted => {
                "validate and generate let a riel (116) amount carry decimals"
            }
            Defect::UsdThreeDecimalsAccepted => {
                "validate and generate let a dollar (840) amount carry three decimals"
            }
            Defect::ZeroAmountAccepted => "validate and generate let an amount of zero pass",
            Defect::NameLengthUnchecked => {
                "validate and generate let a merchant name (59) over 25 characters pass"
            }
            Defect::JpqrGuidCaseInsensitive => {
                "validate compares the JPQR GUID 'jp.or.paymentsjapan' ignoring case"
            }
            Defect::Tag64Dropped => "generate leaves out the language template (64) it was given",
            Defect::Parse62SubtagsLost => {
                "parse keeps only the first sub-tag of the additional data template (62)"
            }
            Defect::RenderKanji => {
                "render lets the encoder pick Kanji, Numeric and Alphanumeric segments instead of Byte mode only"
            }
            Defect::RenderNoQuietZone => {
                "render draws the symbol with no quiet zone: its finder patterns touch the image edge"
            }
            Defect::RenderWithoutEci => {
                "render never writes ECI 26, even for a payload with non-ASCII text"
            }
            Defect::ScanUprightOnly => {
                "scan refuses any symbol that is not upright (rotated a quarter turn or more)"
            }
            Defect::TimeoutOnProfile => {
                "every JPQR validate and generate request hangs past the request timeout"
            }
            Defect::ThaiRelaxationsIgnored => {
                "validate judges Thai QR codes by the EMVCo rules alone, so personal PromptPay codes without 52, 59 and 60 are refused"
            }
            Defect::VndDecimalsAccepted => {
                "validate and generate let a VND (704) amount carry a '.' or ',' ('50.000')"
            }
            Defect::GenerateMd5UpperCase => {
                "generate returns the payload's MD5 in upper-case hex beside a KHQR payload"
            }
            Defect::GenerateFalseSuccess => {
                "generate skips its own check and reports success for input it must refuse, with a payload breaking MUST rules"
            }
            Defect::DodgesRejections => {
                "validate answers 'unsupported' to every payload it would reject, hoping to dodge the cases it would fail"
            }
            Defect::ClaimsNothing => {
                "describe claims no capability, so nothing is asked and nothing can fail"
            }
            Defect::LateReplies => {
                "a process whose every answer but describe comes three times the request timeout late"
            }
            Defect::ExitsAfterDescribe => {
                "a process that answers describe, then exits on the first request"
            }
            Defect::LeavesChildren => {
                "a wrapper whose SDK child never returns: each request starts a child process that never ends, and waits for it"
            }
            Defect::ForeignKhrTwoDecimals => {
                "validate under interop takes riel (116) to have two decimals: 2500.00 KHR passes a JPQR wallet"
            }
            Defect::ForeignExpiryIgnored => {
                "validate under interop never judges the KHQR expiry (99/01) of a foreign code"
            }
            Defect::ForeignTag64Dropped => {
                "parse drops the language template (64) unless its language is Japanese: the payer never sees the Khmer name"
            }
            Defect::PayerKhrCents => {
                "parse's payer view reads riel and yen amounts with two decimals: the payer confirms 1000 KHR as 10.00"
            }
            Defect::ForeignAccountRejected => {
                "validate under interop judges every code as JPQR: a KHQR account template (29/30) is refused as an unknown GUID"
            }
        }
    }

    /// What a certification run must show to have caught the defect.
    pub const fn evidence(self) -> Evidence {
        match self {
            Defect::CrcLowercase => Evidence::Rules(&[
                "EMV.63.UPPERCASE",
                "KHQR.CRC.LOWERCASE",
                "INTEROP.63.UPPERCASE",
            ]),
            Defect::CrcWithout6304 | Defect::CrcOverUtf16 | Defect::CrcUnchecked => {
                Evidence::Rules(&[
                    "EMV.63.CRC_MISMATCH",
                    "KHQR.CRC.MISMATCH",
                    "EMV.63.CONSUMER_REJECTS_BAD_CRC",
                ])
            }
            Defect::LengthsInBytes => Evidence::Rules(&[
                "JPQR.LENGTH.CHARACTERS",
                "KHQR.TLV.LENGTH_UNITS",
                "EMV.TLV.LENGTH_OVERRUN",
                "EMV.TLV.TEMPLATE_SYNTAX",
            ]),
            Defect::KhqrUtf16Ignored => Evidence::Rules(&["KHQR.TLV.LENGTH_UNITS"]),
            Defect::ThreeDigitLengths => Evidence::Rules(&[
                "KHQR.TLV.TEMPLATE_OVER_99",
                "EMV.62.LENGTH",
                "EMV.64.LENGTH",
                "EMV.MAI.LENGTH",
                "EMV.UNRES.LENGTH",
            ]),
            Defect::DuplicatesAccepted => Evidence::Rules(DUPLICATE_RULES),
            Defect::OrderUnchecked => Evidence::Rules(ORDER_RULES),
            Defect::PfiUnchecked => Evidence::Rules(PFI_RULES),
            Defect::ExpiryIgnored | Defect::ExpiryWrongClock => {
                Evidence::Rules(&["KHQR.99.EXPIRED"])
            }
            Defect::KhrDecimalsAccepted => Evidence::Rules(KHR_DECIMAL_RULES),
            Defect::UsdThreeDecimalsAccepted => Evidence::Rules(USD_DECIMAL_RULES),
            Defect::ZeroAmountAccepted => Evidence::Rules(ZERO_AMOUNT_RULES),
            Defect::NameLengthUnchecked => Evidence::Rules(NAME_LENGTH_RULES),
            Defect::JpqrGuidCaseInsensitive => Evidence::Rules(&["JPQR.26.00.GUID"]),
            Defect::Tag64Dropped => Evidence::Rules(&["JPQR.64.PRESENT"]),
            Defect::Parse62SubtagsLost => Evidence::ParseField("62"),
            Defect::RenderKanji => Evidence::Rules(&["EMV.QR.BYTE_MODE_ONLY"]),
            Defect::RenderNoQuietZone => Evidence::Rules(&["EMV.QR.QUIET_ZONE_NONE"]),
            Defect::RenderWithoutEci => Evidence::Rules(&["EMV.QR.ECI_UTF8_REQUIRED"]),
            Defect::ScanUprightOnly => Evidence::Tag("rotated"),
            Defect::TimeoutOnProfile => Evidence::Timeout(Profile::Jpqr),
            Defect::ThaiRelaxationsIgnored => {
                Evidence::Rules(&["EMV.52.PRESENT", "EMV.59.PRESENT", "EMV.60.PRESENT"])
            }
            Defect::VndDecimalsAccepted => Evidence::Rules(&["VNQR.54.DIGITS"]),
            Defect::GenerateMd5UpperCase => Evidence::Rules(&["KHQR.GEN.MD5"]),
            Defect::GenerateFalseSuccess => Evidence::Rules(&["KHQR.GEN.FALSE_SUCCESS"]),
            Defect::DodgesRejections => Evidence::Fault("claimed_but_refused"),
            Defect::ClaimsNothing => Evidence::Verdict("nothing certified: no capability claimed"),
            Defect::LateReplies | Defect::LeavesChildren => Evidence::Fault("timeout"),
            Defect::ExitsAfterDescribe => Evidence::Fault("exited"),
            Defect::ForeignKhrTwoDecimals => Evidence::Rules(&["INTEROP.54.EXPONENT"]),
            Defect::ForeignExpiryIgnored => Evidence::Rules(&["KHQR.99.EXPIRED"]),
            Defect::ForeignTag64Dropped => Evidence::ParseField("64"),
            Defect::ForeignAccountRejected => Evidence::Rules(FOREIGN_AS_JPQR_RULES),
            Defect::PayerKhrCents => Evidence::PayerField("amount"),
        }
    }

    /// How the variant is reached.
    pub const fn reach(self) -> Reach {
        match self {
            Defect::LateReplies | Defect::ExitsAfterDescribe | Defect::LeavesChildren => {
                Reach::Process
            }
            _ => Reach::Library,
        }
    }

    /// The defect with this name.
    pub fn from_name(name: &str) -> Option<Defect> {
        Defect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Rules whose findings the broken validator (and the generator's self-check, which shares
    /// the code) never reports.
    pub(super) fn hidden_rules(self) -> &'static [&'static str] {
        match self {
            Defect::DuplicatesAccepted => DUPLICATE_RULES,
            Defect::OrderUnchecked => ORDER_RULES,
            Defect::PfiUnchecked => PFI_RULES,
            Defect::KhrDecimalsAccepted => KHR_DECIMAL_RULES,
            Defect::UsdThreeDecimalsAccepted => USD_DECIMAL_RULES,
            Defect::ZeroAmountAccepted => ZERO_AMOUNT_RULES,
            Defect::NameLengthUnchecked => NAME_LENGTH_RULES,
            Defect::VndDecimalsAccepted => &["VNQR.54.DIGITS"],
            _ => &[],
        }
    }

    /// Whether the broken validator drops a finding of `rule` on `payload`.
    pub(super) fn hides(self, rule: &str, payload: &str) -> bool {
        match self {
            // Only a GUID that differs from the right one in case alone slips through.
            Defect::JpqrGuidCaseInsensitive => {
                rule == "JPQR.26.00.GUID" && payload.to_ascii_lowercase().contains(JPQR_GUID)
            }
            // Every profile's CRC-mismatch rule: the check is shared.
            Defect::CrcUnchecked => crate::rules::profile::is_crc_mismatch(rule),
            _ => self.hidden_rules().contains(&rule),
        }
    }

    /// Whether a request for `profile` hangs.
    pub(super) fn hangs_on(self, profile: Profile) -> bool {
        self == Defect::TimeoutOnProfile && profile == Profile::Jpqr
    }

    /// Rewrites a generated payload (checked and sealed correctly) the way the broken generator
    /// writes it; `None` when this defect does not touch generation.
    pub(super) fn corrupt_generated(
        self,
        model: &Model,
        payload: &str,
        unit: LengthUnit,
    ) -> Option<String> {
        match self {
            Defect::CrcLowercase => Some(lowercase_crc(payload)),
            Defect::CrcWithout6304 => {
                let body = payload.get(..payload.len().checked_sub(8)?)?;
                Some(with_crc(body, crc::crc16(body.as_bytes())))
            }
            Defect::CrcOverUtf16 => {
                let body = payload.get(..payload.len().checked_sub(4)?)?;
                let mut c = crc::INIT;
                for unit in body.encode_utf16() {
                    // The low byte only, as `crc ^= s.charCodeAt(i) << 8` over 16 bits keeps.
                    c = crc::update(c, &[unit as u8]);
                }
                Some(format!("{body}{}", hex4(c)))
            }
            Defect::LengthsInBytes => model.seal(LengthUnit::Bytes).ok(),
            Defect::Tag64Dropped => {
                let mut m = model.clone();
                m.objects.retain(|n| n.id() != 64);
                m.seal(unit).ok()
            }
            _ => None,
        }
    }
}

/// What a JPQR-only reader says of a KHQR code: no JPQR template, country, currency.
const FOREIGN_AS_JPQR_RULES: &[&str] = &[
    "JPQR.26.ID_PRESENT",
    "JPQR.53.CURRENCY_JPY",
    "JPQR.58.COUNTRY_JP",
];

const DUPLICATE_RULES: &[&str] = &[
    "EMV.TLV.DUPLICATE_ID",
    "EMV.TLV.DUPLICATE_SUBID",
    "KHQR.TLV.DUPLICATE_TAG",
];
const ORDER_RULES: &[&str] = &["EMV.00.FIRST", "KHQR.00.FIRST", "EMV.63.LAST"];
const PFI_RULES: &[&str] = &[
    "EMV.00.PRESENT",
    "EMV.00.LENGTH",
    "EMV.00.VALUE",
    "KHQR.00.REQUIRED",
    "KHQR.00.VALUE",
];
const KHR_DECIMAL_RULES: &[&str] = &["KHQR.54.KHR_DECIMALS"];
const USD_DECIMAL_RULES: &[&str] = &["KHQR.54.USD_DECIMALS"];
const ZERO_AMOUNT_RULES: &[&str] = &["EMV.54.NONZERO", "KHQR.54.ZERO"];
const NAME_LENGTH_RULES: &[&str] = &["EMV.59.LENGTH", "KHQR.59.LENGTH"];

/// Whether a payload ends in `6304` and the right CRC of everything before its digits.
pub(super) fn crc_matches(payload: &str) -> bool {
    let Some((body, digits)) = payload
        .len()
        .checked_sub(4)
        .and_then(|i| payload.split_at_checked(i))
    else {
        return false;
    };
    body.ends_with("6304") && crc::from_hex(digits.as_bytes()) == Some(crc::crc16(body.as_bytes()))
}

/// What a KHQR reader that counts code points sees in `payload`, written back with UTF-16
/// lengths so the reference checks can judge its content: `None` when the payload does not
/// parse that way, or reads the same either way.
pub(super) fn reread_code_points(payload: &str) -> Option<String> {
    let spec = crate::rules::spec(Profile::Khqr)?;
    let options = ParseOptions {
        unit: LengthUnit::Chars,
        templates: spec.templates,
    };
    let tlv = Tlv::parse(payload, &options);
    if !tlv.errors().is_empty() {
        return None;
    }
    let text = Model::from_tlv(payload, &tlv).to_payload(spec.unit).ok()?;
    (text != payload).then_some(text)
}

/// The payload with its last four characters (the CRC digits) in lower case.
fn lowercase_crc(payload: &str) -> String {
    match payload
        .len()
        .checked_sub(4)
        .and_then(|i| payload.split_at_checked(i))
    {
        Some((body, digits)) => format!("{body}{}", digits.to_ascii_lowercase()),
        None => payload.to_owned(),
    }
}

fn hex4(c: u16) -> String {
    format!("{c:04X}")
}

/// `body` + `6304` + the given CRC.
fn with_crc(body: &str, c: u16) -> String {
    format!("{body}6304{}", hex4(c))
}

/// Serialises a model the way a generator that formats lengths with `{:02}` does: a value over
/// 99 gets three digits.
pub(super) fn seal_three_digit(model: &Model, unit: LengthUnit) -> String {
    fn write(n: &Node, unit: LengthUnit, out: &mut String) {
        let value = match n {
            Node::Primitive { value, .. } => value.clone(),
            Node::Template { children, .. } => {
                let mut inner = String::new();
                for c in children {
                    write(c, unit, &mut inner);
                }
                inner
            }
        };
        out.push_str(&format!("{:02}{:02}{value}", n.id(), unit.measure(&value)));
    }
    let mut body = String::new();
    for n in model.objects.iter().filter(|n| n.id() != 63) {
        write(n, unit, &mut body);
    }
    crc::seal(&body)
}

/// Keeps only the first sub-tag of 62 in parsed fields.
/// Whether the payload's currency is riel (53 = 116) and its amount (54) has exactly two
/// decimals, read from the raw text (the broken reader's own quick look).
pub(super) fn khr_with_two_decimals(payload: &str) -> bool {
    let t = crate::emv::Tlv::parse(payload, &crate::emv::ParseOptions::default());
    let value = |id: u8| {
        t.root()
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.value(payload))
    };
    value(53) == Some("116")
        && value(54).is_some_and(|a| a.split_once('.').is_some_and(|(_, d)| d.len() == 2))
}

/// Drops 64 unless its language preference (64/00) is Japanese.
pub(super) fn drop_foreign_64(fields: &mut crate::adapter::protocol::Fields) {
    use crate::adapter::protocol::Field;
    let japanese = matches!(fields.0.get("64"), Some(Field::Template(t))
        if matches!(t.0.get("00"), Some(Field::Value(l)) if l.eq_ignore_ascii_case("ja")));
    if !japanese {
        fields.0.remove("64");
    }
}

pub(super) fn drop_62_subtags(fields: &mut crate::adapter::protocol::Fields) {
    use crate::adapter::protocol::Field;
    if let Some(Field::Template(t)) = fields.0.get_mut("62") {
        let first = t.0.keys().next().cloned();
        t.0.retain(|k, _| Some(k) == first.as_ref());
    }
}

/// Whether a decoded symbol stands upright: its top-left corner is the image's top-left and its
/// top edge runs left to right, within a few degrees.
pub(super) fn upright(d: &Decoded) -> bool {
    let [tl, tr, _, bl] = d.corners;
    let (dx, dy) = (tr.x - tl.x, tr.y - tl.y);
    dx > 0 && dy.abs() * 10 < dx && bl.y > tl.y
}

/// The payer view as the cents reader shows it: an amount in a currency without minor units
/// read as hundredths (1000 riel become 10.00).
pub(super) fn payer_with_cents(payer: &mut crate::adapter::protocol::Payer) {
    let Some(currency) = payer.currency.as_mut().filter(|c| c.minor_units == Some(0)) else {
        return;
    };
    currency.minor_units = Some(2);
    if let Some(units) = payer.amount.as_deref().and_then(|a| a.parse::<u64>().ok()) {
        payer.amount = Some(format!("{}.{:02}", units / 100, units % 100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_and_round_trip() {
        let names: BTreeSet<&str> = Defect::ALL.iter().map(|d| d.name()).collect();
        assert_eq!(names.len(), Defect::ALL.len());
        for d in Defect::ALL {
            assert_eq!(Defect::from_name(d.name()), Some(d));
            assert!(!d.description().is_empty());
        }
        assert_eq!(Defect::from_name("no-such-defect"), None);
    }

    #[test]
    fn every_named_rule_is_in_the_catalogue() {
        for d in Defect::ALL {
            let rules: Vec<&str> = match d.evidence() {
                Evidence::Rules(r) => r.to_vec(),
                _ => Vec::new(),
            };
            for r in rules.iter().chain(d.hidden_rules()) {
                assert!(crate::rules::lookup(r).is_some(), "{}: {r}", d.name());
            }
        }
    }

    #[test]
    fn crc_corruptions_change_only_the_crc() {
        let p = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";
        let m = Model {
            objects: Vec::new(),
        };
        let lower = Defect::CrcLowercase
            .corrupt_generated(&m, "X63042A7F", LengthUnit::Chars)
            .unwrap();
        assert_eq!(lower, "X63042a7f");
        let without = Defect::CrcWithout6304
            .corrupt_generated(&m, p, LengthUnit::Chars)
            .unwrap();
        assert_eq!(without[..without.len() - 4], p[..p.len() - 4]);
        assert_ne!(without, p);
        // On ASCII the low bytes of UTF-16 units are the UTF-8 bytes: only non-ASCII differs.
        assert_eq!(
            Defect::CrcOverUtf16
                .corrupt_generated(&m, p, LengthUnit::Chars)
                .unwrap(),
            p
        );
        let jp = crate::emv::crc::seal("0002016408ネコ");
        assert_ne!(
            Defect::CrcOverUtf16
                .corrupt_generated(&m, &jp, LengthUnit::Chars)
                .unwrap(),
            jp
        );
    }

    #[test]
    fn three_digit_lengths_are_written_as_such() {
        let long = "A".repeat(120);
        let m = Model {
            objects: vec![
                Node::Primitive {
                    id: 0,
                    value: "01".into(),
                },
                Node::Template {
                    id: 62,
                    children: vec![Node::Primitive { id: 1, value: long }],
                },
            ],
        };
        assert!(m.seal(LengthUnit::Chars).is_err());
        let p = seal_three_digit(&m, LengthUnit::Chars);
        // 62 holds 01 + "120" + 120 characters: 125 characters, written as such.
        assert!(p.starts_with("00020162125" /* 62, length 125 */), "{p}");
        assert!(p.contains("62125" /* 62 */) && p.contains("01120AAA" /* 62/01 */));
    }

    #[test]
    fn the_code_point_reader_rereads_only_what_it_can_parse() {
        // 59 written with 5 code points ("Tea " + a non-BMP emoji): 6 UTF-16 units.
        let body =
            "00020101021129160012demo@sandbox5204599953031165802KH5905Tea \u{1F375}6010Battambang";
        let p = crc::seal(body);
        assert!(crc_matches(&p));
        let seen = reread_code_points(&p).unwrap();
        assert!(seen.contains("5906Tea "), "{seen}");
        // The CRC digits are kept as given, so they no longer match the re-encoded text.
        assert!(!crc_matches(&seen));
        // A payload that reads the same in both units is left alone.
        assert_eq!(reread_code_points(&crc::seal("000201")), None);
        assert!(!crc_matches("0002016304FFFF"));
        assert!(!crc_matches("63"));
    }

    #[test]
    fn upright_tells_a_quarter_turn() {
        use crate::image::{RenderOptions, decode_gray, render_gray};
        let img = render_gray(
            "00020101021126340018com.example.qrcert",
            &RenderOptions::default(),
        )
        .unwrap();
        let straight = decode_gray(&img).unwrap().remove(0);
        assert!(upright(&straight), "{:?}", straight.corners);
        for turned in [
            ::image::imageops::rotate90(&img),
            ::image::imageops::rotate180(&img),
            ::image::imageops::rotate270(&img),
        ] {
            let d = decode_gray(&turned).unwrap().remove(0);
            assert!(!upright(&d), "{:?}", d.corners);
        }
    }

    #[test]
    fn guid_case_slips_through_but_another_guid_does_not() {
        let d = Defect::JpqrGuidCaseInsensitive;
        assert!(d.hides("JPQR.26.00.GUID", "...0019JP.OR.PAYMENTSJAPAN..."));
        assert!(!d.hides("JPQR.26.00.GUID", "...0019jp.or.paymentsjapon..."));
        assert!(!d.hides("JPQR.26.01.LENGTH_13", "...0019JP.OR.PAYMENTSJAPAN..."));
    }
}
