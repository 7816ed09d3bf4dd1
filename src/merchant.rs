//! The neutral merchant-data schema: the `input` of a `generate` request. Every vendor maps it to
//! its own API; generate vectors are written in it. Field names are plain English, values are
//! strings exactly as they should appear in the payload (amounts as decimal text, codes as
//! digits), so nothing is lost to floating point or number parsing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything a generator needs to produce one merchant-presented payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantData {
    /// Static (reusable sticker, 01 = `11`) or dynamic (one payment, 01 = `12`).
    #[serde(default)]
    pub kind: Kind,
    /// Who gets paid.
    pub account: Account,
    /// The shop.
    pub merchant: Merchant,
    /// Amount, currency, fees, validity.
    #[serde(default)]
    pub transaction: Transaction,
    /// Additional data (template 62).
    #[serde(default, skip_serializing_if = "Additional::is_empty")]
    pub additional: Additional,
}

/// Static or dynamic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Point of Initiation `11`.
    #[default]
    Static,
    /// Point of Initiation `12`.
    Dynamic,
}

/// The payee: a national profile's own account form, or a generic EMVCo account.
///
/// Written as a map with a `scheme` key. `template` and `primitive` are EMVCo's own forms; any
/// other scheme is a national profile's account form (`bakong`, `jpqr`, ...), whose fields the
/// owning profile's spec lists and turns into data objects
/// ([`AccountSchema`](crate::rules::profile::AccountSchema); `qrcert rules` and
/// vectors/README.md list them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// A national profile's account form.
    Scheme {
        /// The form's name (`bakong`, `jpqr`, `promptpay`, ...).
        scheme: String,
        /// Its fields, by name, as text exactly as they go into the payload.
        fields: BTreeMap<String, String>,
    },
    /// Any EMVCo merchant-account template (26-51) identified by a GUID.
    Template {
        /// The template ID, 26-51.
        tag: u8,
        /// The GUID (sub-ID 00).
        guid: String,
        /// Other sub-IDs, keyed by two-digit ID (`"01"`), in ID order.
        fields: BTreeMap<String, String>,
    },
    /// A primitive network account (02-25), e.g. a card scheme's merchant ID.
    Primitive {
        /// The ID, 02-25.
        tag: u8,
        /// The value.
        value: String,
    },
}

impl Account {
    /// A national account form from its scheme and fields.
    pub fn scheme(scheme: &str, fields: &[(&str, &str)]) -> Account {
        Account::Scheme {
            scheme: scheme.to_owned(),
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The scheme name (`bakong`, `template`, ...).
    pub fn scheme_name(&self) -> &str {
        match self {
            Account::Scheme { scheme, .. } => scheme,
            Account::Template { .. } => "template",
            Account::Primitive { .. } => "primitive",
        }
    }

    /// A field of a national account form.
    pub fn field(&self, name: &str) -> Option<&str> {
        match self {
            Account::Scheme { fields, .. } => fields.get(name).map(String::as_str),
            _ => None,
        }
    }

    /// Sets a field of a national account form (no effect on the EMVCo forms).
    pub fn set_field(&mut self, name: &str, value: Option<&str>) {
        if let Account::Scheme { fields, .. } = self {
            match value {
                Some(v) => fields.insert(name.to_owned(), v.to_owned()),
                None => fields.remove(name),
            };
        }
    }
}

/// The EMVCo account forms as serde sees them.
#[derive(Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "kebab-case", deny_unknown_fields)]
enum EmvAccount {
    Template {
        tag: u8,
        guid: String,
        #[serde(default)]
        fields: BTreeMap<String, String>,
    },
    Primitive {
        tag: u8,
        value: String,
    },
}

impl Serialize for Account {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Account::Scheme { scheme, fields } => {
                let mut m = s.serialize_map(Some(fields.len() + 1))?;
                m.serialize_entry("scheme", scheme)?;
                for (k, v) in fields {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Account::Template { tag, guid, fields } => EmvAccount::Template {
                tag: *tag,
                guid: guid.clone(),
                fields: fields.clone(),
            }
            .serialize(s),
            Account::Primitive { tag, value } => EmvAccount::Primitive {
                tag: *tag,
                value: value.clone(),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Account {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let v = serde_json::Value::deserialize(d)?;
        let serde_json::Value::Object(map) = &v else {
            return Err(D::Error::custom("an account is a map with a `scheme` key"));
        };
        let Some(scheme) = map.get("scheme").and_then(|s| s.as_str()) else {
            return Err(D::Error::custom("the account has no `scheme` (text)"));
        };
        match scheme {
            "template" | "primitive" => {
                let a: EmvAccount = serde_json::from_value(v.clone()).map_err(D::Error::custom)?;
                Ok(match a {
                    EmvAccount::Template { tag, guid, fields } => {
                        Account::Template { tag, guid, fields }
                    }
                    EmvAccount::Primitive { tag, value } => Account::Primitive { tag, value },
                })
            }
            _ => {
                let mut fields = BTreeMap::new();
                for (k, x) in map.iter().filter(|(k, _)| k.as_str() != "scheme") {
                    let Some(text) = x.as_str() else {
                        return Err(D::Error::custom(format!(
                            "account field {k:?} must be text (quote numbers: \"0002\")"
                        )));
                    };
                    fields.insert(k.clone(), text.to_owned());
                }
                Ok(Account::Scheme {
                    scheme: scheme.to_owned(),
                    fields,
                })
            }
        }
    }
}

/// The shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    /// 59, in Latin script for foreign wallets; empty (or left out) writes no 59, as the
    /// personal-transfer codes of some profiles do.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// 60; empty (or left out) writes no 60.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    /// 52, four digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_code: Option<String>,
    /// 58, ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// 61.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Template 64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_language: Option<AlternateLanguage>,
}

/// Template 64: the merchant's name (and city) in a local script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlternateLanguage {
    /// 64/00, ISO 639-1 (`JA`, `km`).
    pub language: String,
    /// 64/01.
    pub name: String,
    /// 64/02.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

/// Amount and validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// 53, ISO 4217 numeric (`392`, `116`, `840`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// 54, decimal text (`2.50`, `1500`); absent lets the consumer enter it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// 55-57.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip: Option<Tip>,
    /// KHQR 99/00: creation time, epoch milliseconds as text. Given in vectors so that output
    /// is deterministic; a generator without it uses the request's `now`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at_ms: Option<String>,
    /// KHQR 99/01: expiration time, epoch milliseconds as text (13 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<String>,
}

/// Tip or convenience fee (55 with 56 or 57).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "indicator", rename_all = "lowercase", deny_unknown_fields)]
pub enum Tip {
    /// 55 = `01`: the app prompts for a tip.
    Prompt,
    /// 55 = `02` with 56.
    Fixed {
        /// 56.
        value: String,
    },
    /// 55 = `03` with 57.
    Percentage {
        /// 57.
        value: String,
    },
}

/// Template 62 fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Additional {
    /// 62/01.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_number: Option<String>,
    /// 62/02.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    /// 62/03.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_label: Option<String>,
    /// 62/04.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loyalty_number: Option<String>,
    /// 62/05.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_label: Option<String>,
    /// 62/06.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_label: Option<String>,
    /// 62/07.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_label: Option<String>,
    /// 62/08.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// 62/09.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_data_request: Option<String>,
}

impl Additional {
    /// The fields in 62 sub-ID order.
    pub fn fields(&self) -> [(u8, Option<&str>); 9] {
        [
            (1, self.bill_number.as_deref()),
            (2, self.mobile_number.as_deref()),
            (3, self.store_label.as_deref()),
            (4, self.loyalty_number.as_deref()),
            (5, self.reference_label.as_deref()),
            (6, self.customer_label.as_deref()),
            (7, self.terminal_label.as_deref()),
            (8, self.purpose.as_deref()),
            (9, self.consumer_data_request.as_deref()),
        ]
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, v)| v.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_khqr_dynamic_input_from_yaml_and_refuses_unknown_fields() {
        let yaml = r#"
kind: dynamic
account: {scheme: bakong, bakong_id: demo@sandbox, type: merchant, merchant_id: M-0042, acquiring_bank: Sandbox Bank}
merchant:
  name: Demo Noodle Bar
  city: Battambang
  category_code: "5812"
  country: KH
  alternate_language: {language: km, name: ហាងគុយទាវ, city: បាត់ដំបង}
transaction: {currency: "840", amount: "2.50", created_at_ms: "1780000000000", expires_at_ms: "1780000900000"}
additional: {bill_number: INV-7707, terminal_label: TILL-26}
"#;
        let m: MerchantData = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(m.kind, Kind::Dynamic);
        assert_eq!(m.transaction.currency.as_deref(), Some("840"));
        assert_eq!(m.merchant.category_code.as_deref(), Some("5812"));
        let bad = "account: {scheme: bakong, bakong_id: x@y, type: individual}\nmerchant: {name: A, city: B, colour: red}\n";
        assert!(serde_saphyr::from_str::<MerchantData>(bad).is_err());
        let bad = "account: {scheme: template, tag: 26, guid: g, colour: red}\nmerchant: {name: A, city: B}\n";
        assert!(serde_saphyr::from_str::<MerchantData>(bad).is_err());
        assert_eq!(m.account.field("bakong_id"), Some("demo@sandbox"));
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["account"]["scheme"], "bakong");
        let back: MerchantData = serde_json::from_value(json).unwrap();
        assert_eq!(back, m);
    }
}
