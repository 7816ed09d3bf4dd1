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

/// The payee: one of the account forms the three profiles use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Account {
    /// KHQR: a Bakong account in template 29 (individual) or 30 (merchant).
    Bakong {
        /// `name@bank`.
        bakong_id: String,
        /// Individual (29) or merchant (30).
        #[serde(rename = "type")]
        kind: BakongType,
        /// 29/01 account information or 30/01 merchant ID.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        merchant_id: Option<String>,
        /// 29/02 or 30/02 acquiring bank.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acquiring_bank: Option<String>,
        /// Optional UnionPay account (primitive 15, KHR only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        upi_account: Option<String>,
    },
    /// JPQR: the unified store identifier in template 26 (GUID `jp.or.paymentsjapan`).
    Jpqr {
        /// Management level 1 (13 digits).
        level1: String,
        /// Management level 2 (4 digits).
        level2: String,
        /// Management level 3 (6 digits).
        level3: String,
        /// Management level 4 (6 digits).
        level4: String,
    },
    /// Any EMVCo merchant-account template (26-51) identified by a GUID.
    Template {
        /// The template ID, 26-51.
        tag: u8,
        /// The GUID (sub-ID 00).
        guid: String,
        /// Other sub-IDs, keyed by two-digit ID (`"01"`), in ID order.
        #[serde(default)]
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

/// KHQR account template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BakongType {
    /// Template 29.
    Individual,
    /// Template 30.
    Merchant,
}

/// The shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    /// 59, in Latin script for foreign wallets.
    pub name: String,
    /// 60.
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
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["account"]["scheme"], "bakong");
        let back: MerchantData = serde_json::from_value(json).unwrap();
        assert_eq!(back, m);
    }
}
