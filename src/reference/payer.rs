//! What the payer is shown: the payment screen read from a code's data objects, with every
//! amount written in its currency's minor units (KHR and JPY 0, USD 2).

use crate::adapter::protocol::{Currency, Fields, Payer, PayerMerchant, PayerTip};
use crate::rules::data::iso4217;
use crate::rules::profile::Kind;
use crate::{Clock, Profile};

/// The payer view of a payload, read with the reference parser; `None` when it does not parse.
pub fn payer(payload: &str) -> Option<Payer> {
    super::parse(payload).ok().map(|f| payer_of(&f))
}

/// The payer view of decoded data objects.
pub fn payer_of(fields: &Fields) -> Payer {
    let s = |path: &[&str]| fields.value(path).map(str::to_owned);
    let currency = fields.value(&["53"]).map(currency_of);
    let minor = currency.as_ref().and_then(|c| c.minor_units);
    let amount_raw = fields.value(&["54"]);
    let amount = amount_raw.map(|a| in_minor_units(a, minor));
    let tip = fields.value(&["55"]).map(|indicator| {
        let percentage = (indicator == "03").then(|| s(&["57"])).flatten();
        let fee = match indicator {
            "02" => fields.value(&["56"]).and_then(Decimal::parse),
            "03" => percentage
                .as_deref()
                .and_then(Decimal::parse)
                .zip(amount_raw.and_then(Decimal::parse))
                .and_then(|(pct, amt)| amt.percent(&pct, minor?)),
            _ => None,
        };
        let total = fee
            .zip(amount_raw.and_then(Decimal::parse))
            .and_then(|(f, a)| a.plus(&f));
        PayerTip {
            indicator: indicator.to_owned(),
            fee: fee.map(|f| f.write(minor)),
            percentage,
            total: total.map(|t| t.write(minor)),
        }
    });
    // A dynamic code's expiry (KHQR 99/01, 13-digit milliseconds).
    let expires_at = fields
        .value(&["99", "01"])
        .filter(|v| v.len() == 13)
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|_| fields.value(&["01"]) == Some("12"))
        .map(|ms| Clock::from_millis(ms).to_rfc3339());
    Payer {
        amount_entered_by_payer: amount.is_none(),
        amount,
        currency,
        merchant: PayerMerchant {
            name: s(&["59"]),
            city: s(&["60"]),
            language: s(&["64", "00"]),
            name_local: s(&["64", "01"]),
            city_local: s(&["64", "02"]),
        },
        category: s(&["52"]),
        bill_number: s(&["62", "01"]),
        reference: s(&["62", "05"]),
        tip,
        expires_at,
    }
}

/// A currency as the payer sees it: the national profiles' own tables first (the interop
/// profile's reading: riel have no minor unit in KHQR, though ISO 4217 lists two), then ISO
/// 4217.
fn currency_of(numeric: &str) -> Currency {
    let national = Profile::ALL
        .into_iter()
        .filter(|p| p.spec().kind == Kind::National)
        .flat_map(|p| p.spec().currencies.iter())
        .find(|c| c.numeric == numeric);
    let iso = iso4217::find(numeric);
    Currency {
        numeric: numeric.to_owned(),
        alpha: national
            .map(|c| c.alpha.to_owned())
            .or_else(|| iso.map(|(_, a, _)| a.to_owned())),
        minor_units: national
            .map(|c| c.exponent)
            .or_else(|| iso.and_then(|(_, _, m)| m)),
    }
}

/// `amount` written with exactly `minor` decimals when it is a plain decimal that fits them;
/// otherwise as the code carries it (the payer is shown what is there, never a rounded value).
fn in_minor_units(amount: &str, minor: Option<u8>) -> String {
    match (Decimal::parse(amount), minor) {
        (Some(d), Some(m)) if d.scale <= u32::from(m) => d.write(Some(m)),
        _ => amount.to_owned(),
    }
}

/// A non-negative decimal: `units / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal {
    units: u128,
    scale: u32,
}

impl Decimal {
    /// Reads `123`, `123.45`, `.5`, `5.`; `None` for anything else or more than 18 digits.
    pub(crate) fn parse(s: &str) -> Option<Decimal> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty()
            || int.len() + frac.len() > 18
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let digits = format!("{int}{frac}");
        Some(Decimal {
            units: digits.parse().ok()?,
            scale: u32::try_from(frac.len()).ok()?,
        })
    }

    fn rescale(self, scale: u32) -> Option<u128> {
        self.units
            .checked_mul(10u128.checked_pow(scale.checked_sub(self.scale)?)?)
    }

    fn plus(&self, other: &Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        Some(Decimal {
            units: self.rescale(scale)?.checked_add(other.rescale(scale)?)?,
            scale,
        })
    }

    /// `pct` percent of this amount, rounded half up to `minor` decimals.
    fn percent(&self, pct: &Decimal, minor: u8) -> Option<Decimal> {
        let minor = u32::from(minor);
        // units * pct.units / 10^(scale + pct.scale + 2), expressed at `minor` decimals.
        let num = self
            .units
            .checked_mul(pct.units)?
            .checked_mul(10u128.checked_pow(minor)?)?;
        let den = 10u128.checked_pow(self.scale + pct.scale + 2)?;
        Some(Decimal {
            units: (num + den / 2) / den,
            scale: minor,
        })
    }

    /// Written with `minor` decimals (rounding never happens: callers pass a scale that fits),
    /// or with its own scale when `minor` is unknown.
    fn write(&self, minor: Option<u8>) -> String {
        let scale = minor.map_or(self.scale, u32::from).max(self.scale);
        let units = self.rescale(scale).unwrap_or(self.units);
        let text = format!("{units:0>width$}", width = scale as usize + 1);
        if scale == 0 {
            text
        } else {
            let (int, frac) = text.split_at(text.len() - scale as usize);
            format!("{int}.{frac}")
        }
    }

    /// Whether two decimal strings are the same number (`1000` and `1000.00`).
    pub(crate) fn same(a: &str, b: &str) -> bool {
        match (Decimal::parse(a), Decimal::parse(b)) {
            (Some(x), Some(y)) => {
                let scale = x.scale.max(y.scale);
                x.rescale(scale).is_some() && x.rescale(scale) == y.rescale(scale)
            }
            _ => a == b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KHQR: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";

    #[test]
    fn a_dynamic_khqr_code_shows_amount_names_bill_and_expiry() {
        let p = payer(KHQR).unwrap();
        assert_eq!(p.amount.as_deref(), Some("2.50"));
        let c = p.currency.unwrap();
        assert_eq!(
            (c.numeric.as_str(), c.alpha.as_deref(), c.minor_units),
            ("840", Some("USD"), Some(2))
        );
        assert!(!p.amount_entered_by_payer);
        assert_eq!(p.merchant.language.as_deref(), Some("km"));
        assert_eq!(p.merchant.name_local.as_deref(), Some("ហាងគុយទាវ"));
        assert_eq!(p.bill_number.as_deref(), Some("INV-77"));
        assert_eq!(p.category.as_deref(), Some("5812"));
        assert_eq!(p.expires_at.as_deref(), Some("2026-05-28T20:41:40.000Z"));
    }

    #[test]
    fn riel_and_yen_have_no_minor_unit_dollars_two() {
        assert_eq!(currency_of("116").minor_units, Some(0));
        assert_eq!(currency_of("392").minor_units, Some(0));
        assert_eq!(currency_of("840").minor_units, Some(2));
        assert_eq!(currency_of("116").alpha.as_deref(), Some("KHR"));
    }

    #[test]
    fn amounts_keep_their_currency_minor_units() {
        assert_eq!(in_minor_units("1000", Some(0)), "1000");
        assert_eq!(in_minor_units("1000", Some(2)), "1000.00");
        assert_eq!(in_minor_units("2.5", Some(2)), "2.50");
        // Never rounded: a riel amount with decimals is shown as written.
        assert_eq!(in_minor_units("10.5", Some(0)), "10.5");
        assert!(Decimal::same("1000", "1000.00"));
        assert!(!Decimal::same("1000", "10.00"));
    }

    #[test]
    fn fees_and_totals() {
        let amt = Decimal::parse("200").unwrap();
        let fee = amt.percent(&Decimal::parse("3.5").unwrap(), 2).unwrap();
        assert_eq!(fee.write(Some(2)), "7.00");
        assert_eq!(amt.plus(&fee).unwrap().write(Some(2)), "207.00");
        let yen = Decimal::parse("1500").unwrap();
        assert_eq!(
            yen.percent(&Decimal::parse("3").unwrap(), 0)
                .unwrap()
                .write(Some(0)),
            "45"
        );
        assert_eq!(
            Decimal::parse("999")
                .unwrap()
                .percent(&Decimal::parse("5").unwrap(), 0)
                .unwrap()
                .write(Some(0)),
            "50"
        );
    }
}
