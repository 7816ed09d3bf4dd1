//! Payload fixtures: valid EMVCo/KHQR/JPQR strings from the specification digests, plus an emoji
//! one built for qrcert (4-byte UTF-8 in a 64 template; its CRC is valid too).

/// EMVCo's own worked example (China, with a Chinese 64 template).
pub(crate) const EMVCO_CN: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/// Plain ASCII: needs no ECI.
pub(crate) const ASCII: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";

/// KHQR with Khmer merchant name and city (the text automatic segmentation puts into Kanji).
pub(crate) const KHMER: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";

/// JPQR with a Japanese merchant name.
pub(crate) const JAPANESE: &str = "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B";

/// Emoji (U+1F35C, four UTF-8 bytes) in the alternate merchant name.
pub(crate) const EMOJI: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE64150002EN0105CAFE🍜6304CB06";

/// Every fixture with a short name for messages.
pub(crate) const ALL: [(&str, &str); 5] = [
    ("emvco-cn", EMVCO_CN),
    ("ascii", ASCII),
    ("khmer", KHMER),
    ("japanese", JAPANESE),
    ("emoji", EMOJI),
];
