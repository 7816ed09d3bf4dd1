//! Reference `parse`: the payload's data objects as nested fields.

use crate::adapter::protocol::{Field, Fields, ImplError};
use crate::emv::payload::{Model, Node};
use crate::emv::{ParseOptions, TemplateSet, Tlv};
use crate::rules::detect::{detect, is_bill_payment};
use crate::rules::spec;

/// Decodes a payload, counting lengths the way its (detected) profile does. A payload that does not
/// parse as TLV is refused with the structural rule's ID as the error code.
pub fn parse(payload: &str) -> Result<Fields, ImplError> {
    if payload.len() > crate::rules::validator::MAX_PAYLOAD_BYTES {
        return Err(ImplError::new("refused", "payload over 64 KiB"));
    }
    if payload.is_empty() {
        return Err(ImplError::new("EMV.PAYLOAD.EMPTY", "the payload is empty"));
    }
    let default = ParseOptions::default();
    let mut tlv = Tlv::parse(payload, &default);
    let profile = detect(payload, &tlv);
    let options = match spec(profile) {
        Some(s) => ParseOptions {
            unit: s.unit,
            templates: s.templates,
        },
        None if is_bill_payment(payload) => ParseOptions {
            unit: default.unit,
            templates: TemplateSet::NONE,
        },
        None => default,
    };
    if options != default {
        tlv.parse_into(payload, &options);
    }
    if let Some(e) = tlv.errors().first() {
        return Err(ImplError::new(
            "EMV.TLV.PARSE",
            format!(
                "the payload does not parse as TLV at byte {} ({:?})",
                e.offset, e.kind
            ),
        ));
    }
    let mut model = Model::from_tlv(payload, &tlv);
    crate::rules::profile::open_nested(profile.spec(), &mut model);
    Ok(to_fields(&model.objects))
}

fn to_fields(nodes: &[Node]) -> Fields {
    let mut fields = Fields::default();
    for n in nodes {
        let key = format!("{:02}", n.id());
        let value = match n {
            Node::Primitive { value, .. } => Field::Value(value.clone()),
            Node::Template { children, .. } => Field::Template(to_fields(children)),
        };
        // A repeated ID keeps its first occurrence, as the payload's first reader would.
        fields.0.entry(key).or_insert(value);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_templates_and_counts_khqr_lengths_in_utf16() {
        let p = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";
        let f = parse(p).unwrap();
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["30"]["00"], "demo@sandbox");
        assert_eq!(json["64"]["01"], "ហាងគុយទាវ");
        assert_eq!(json["99"]["01"], "1780000900000");
        assert_eq!(json["54"], "2.50");
        assert!(parse("0002").is_err());
    }
}
