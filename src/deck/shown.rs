//! What a wallet's payment screen must show for a code it accepts, and how a tester's reading
//! of the screen is compared with it.

use serde::{Deserialize, Serialize};

use crate::rules::data::iso4217;

/// The values a payment screen shows. Every field is optional: a static code has no amount, a
/// refused code shows nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    /// The amount (54) as the code carries it (`2.50`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// The currency (53) as its ISO 4217 alphabetic code (`USD`), or the numeric code when the
    /// table has no entry for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The merchant name (59).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    /// The merchant city (60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_city: Option<String>,
    /// The name in the merchant's own language (64/01), which an app may show instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_name_local: Option<String>,
    /// The city in the merchant's own language (64/02), which an app may show instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_city_local: Option<String>,
    /// For a dynamic KHQR code, when it expires (99/01), RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// The displayed values a tester records: what the phone showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Displayed {
    /// Amount as displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// Currency as displayed (alphabetic or numeric code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Merchant name as displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    /// Merchant city as displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_city: Option<String>,
}

impl Shown {
    /// What a wallet shows for `payload`: read with the reference parser. `None` when the
    /// payload does not parse.
    pub fn of_payload(payload: &str) -> Option<Shown> {
        let fields = crate::reference::parse(payload).ok()?;
        // The payer view, but the amount as printed on the code: the card shows the tester
        // the code's own text.
        let payer = crate::reference::payer_of(&fields);
        let currency = payer.currency.map(|c| c.alpha.unwrap_or(c.numeric));
        let m = payer.merchant;
        Some(Shown {
            amount: fields.value(&["54"]).map(str::to_owned),
            currency,
            merchant_name: m.name,
            merchant_city: m.city,
            merchant_name_local: m.name_local,
            merchant_city_local: m.city_local,
            expires: payer.expires_at,
        })
    }

    /// Where `seen` differs from what must be shown: one line per field (empty: it matches).
    /// A field the tester left empty is not compared (the app may not show a city at all);
    /// an amount the code carries must be confirmed.
    pub fn mismatches(&self, seen: &Displayed) -> Vec<String> {
        let mut out = Vec::new();
        match (&self.amount, &seen.amount) {
            (Some(want), Some(got)) if same_amount(want, got) => {}
            (Some(want), Some(got)) => out.push(format!("amount {got:?}, the code says {want:?}")),
            (Some(want), None) => out.push(format!("no amount, the code says {want:?}")),
            (None, Some(got)) if !got.trim().is_empty() && !is_zero(got) => {
                out.push(format!("amount {got:?}, the code carries none"))
            }
            (None, _) => {}
        }
        if let (Some(want), Some(got)) = (&self.currency, &seen.currency)
            && !same_currency(want, got)
        {
            out.push(format!("currency {got:?}, the code says {want:?}"));
        }
        let text = |label: &str,
                    want: &Option<String>,
                    local: &Option<String>,
                    got: &Option<String>,
                    out: &mut Vec<String>| {
            let Some(got) = got.as_deref().filter(|g| !g.trim().is_empty()) else {
                return;
            };
            let ok = [want, local]
                .into_iter()
                .flatten()
                .any(|w| same_text(w, got));
            if !ok {
                out.push(format!(
                    "{label} {got:?}, the code says {:?}",
                    want.as_deref().unwrap_or("")
                ));
            }
        };
        text(
            "merchant name",
            &self.merchant_name,
            &self.merchant_name_local,
            &seen.merchant_name,
            &mut out,
        );
        text(
            "merchant city",
            &self.merchant_city,
            &self.merchant_city_local,
            &seen.merchant_city,
            &mut out,
        );
        out
    }

    /// The values a correct app displays: the tester's form pre-filled from the answer key.
    pub fn as_displayed(&self) -> Displayed {
        Displayed {
            amount: self.amount.clone(),
            currency: self.currency.clone(),
            merchant_name: self.merchant_name.clone(),
            merchant_city: self.merchant_city.clone(),
        }
    }
}

/// Amounts compared as decimal numbers: `2.5`, `2.50` and `2,50`-free `1,000.00` forms agree;
/// a currency symbol or code written beside the number is ignored.
fn same_amount(want: &str, got: &str) -> bool {
    normal_amount(want).is_some() && normal_amount(want) == normal_amount(got)
}

fn is_zero(s: &str) -> bool {
    normal_amount(s).as_deref() == Some("0")
}

fn normal_amount(s: &str) -> Option<String> {
    let digits: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if digits.is_empty() || digits.matches('.').count() > 1 {
        return None;
    }
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some(if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    })
}

fn same_currency(want: &str, got: &str) -> bool {
    let got = got.trim();
    if got.eq_ignore_ascii_case(want) {
        return true;
    }
    // The numeric code, or the alphabetic code for a numeric one written down.
    iso4217::CURRENCIES
        .iter()
        .any(|(n, a, _)| a.eq_ignore_ascii_case(want) && got.parse::<u16>().ok() == Some(*n))
}

fn same_text(want: &str, got: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(want) == norm(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KHQR: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";

    #[test]
    fn a_dynamic_khqr_code_shows_amount_currency_names_and_expiry() {
        let s = Shown::of_payload(KHQR).unwrap();
        assert_eq!(s.amount.as_deref(), Some("2.50"));
        assert_eq!(s.currency.as_deref(), Some("USD"));
        assert_eq!(s.merchant_name.as_deref(), Some("Demo Noodle Bar"));
        assert_eq!(s.merchant_city.as_deref(), Some("Battambang"));
        assert_eq!(s.merchant_name_local.as_deref(), Some("ហាងគុយទាវ"));
        assert_eq!(s.expires.as_deref(), Some("2026-05-28T20:41:40.000Z"));
        assert!(s.mismatches(&s.as_displayed()).is_empty());
    }

    #[test]
    fn a_wrong_reading_is_named_field_by_field() {
        let s = Shown::of_payload(KHQR).unwrap();
        let ok = Displayed {
            amount: Some("$2.5".into()),
            currency: Some("840".into()),
            merchant_name: Some("ហាងគុយទាវ".into()),
            merchant_city: Some("BATTAMBANG".into()),
        };
        assert!(s.mismatches(&ok).is_empty(), "{:?}", s.mismatches(&ok));
        let wrong = Displayed {
            amount: Some("25.00".into()),
            currency: Some("KHR".into()),
            merchant_name: Some("Demo Noodle".into()),
            merchant_city: None,
        };
        let m = s.mismatches(&wrong);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].starts_with("amount \"25.00\""));
        let none = Displayed::default();
        assert_eq!(
            s.mismatches(&none),
            vec!["no amount, the code says \"2.50\"".to_owned()]
        );
    }
}
