//! Grading the payer view of a parse reply: what the payer confirms before paying, field by
//! field, so that a wallet reading 1000 riel as 10.00 fails and says so.

use crate::adapter::protocol::{Currency, Payer};
use crate::reference::Decimal;

/// Where `got` differs from the payer view the vector expects, one line per field, each
/// naming the field (`payer.amount`); empty when they agree. Amounts and fees compare as
/// numbers (`1000` and `1000.00` agree); everything else exactly.
pub fn problems(want: &Payer, got: Option<&Payer>) -> Vec<String> {
    let Some(got) = got else {
        return vec![
            "no payer view (payer): a cross-border parse must return what the payer confirms before paying"
                .to_owned(),
        ];
    };
    let mut out = Vec::new();
    let minor = want.currency.as_ref().and_then(|c| c.minor_units);
    amount("payer.amount", &want.amount, &got.amount, minor, &mut out);
    currency(&want.currency, &got.currency, &mut out);
    if want.amount_entered_by_payer != got.amount_entered_by_payer {
        out.push(format!(
            "payer.amount_entered_by_payer is {}, expected {} ({})",
            got.amount_entered_by_payer,
            want.amount_entered_by_payer,
            if want.amount_entered_by_payer {
                "the code carries no amount: the payer enters it"
            } else {
                "the code carries the amount"
            }
        ));
    }
    let m = (&want.merchant, &got.merchant);
    for (name, w, g) in [
        ("payer.merchant.name", &m.0.name, &m.1.name),
        ("payer.merchant.city", &m.0.city, &m.1.city),
        ("payer.merchant.language", &m.0.language, &m.1.language),
        (
            "payer.merchant.name_local",
            &m.0.name_local,
            &m.1.name_local,
        ),
        (
            "payer.merchant.city_local",
            &m.0.city_local,
            &m.1.city_local,
        ),
        ("payer.category", &want.category, &got.category),
        ("payer.bill_number", &want.bill_number, &got.bill_number),
        ("payer.reference", &want.reference, &got.reference),
        ("payer.expires_at", &want.expires_at, &got.expires_at),
    ] {
        text(name, w, g, &mut out);
    }
    match (&want.tip, &got.tip) {
        (None, None) => {}
        (Some(_), None) => {
            out.push("payer.tip missing: the code carries a tip or fee indicator (55)".to_owned())
        }
        (None, Some(t)) => out.push(format!(
            "payer.tip is indicator {:?}, but the code carries no tip or fee (55)",
            t.indicator
        )),
        (Some(w), Some(g)) => {
            if w.indicator != g.indicator {
                out.push(format!(
                    "payer.tip.indicator is {:?}, expected {:?}",
                    g.indicator, w.indicator
                ));
            }
            text(
                "payer.tip.percentage",
                &w.percentage,
                &g.percentage,
                &mut out,
            );
            amount("payer.tip.fee", &w.fee, &g.fee, minor, &mut out);
            amount("payer.tip.total", &w.total, &g.total, minor, &mut out);
        }
    }
    out
}

fn amount(
    name: &str,
    want: &Option<String>,
    got: &Option<String>,
    minor: Option<u8>,
    out: &mut Vec<String>,
) {
    match (want, got) {
        (None, None) => {}
        (Some(w), Some(g)) if Decimal::same(w, g) => {}
        (Some(w), Some(g)) => out.push(format!(
            "{name} is {g:?}, expected {w:?}{}",
            match minor {
                Some(m) => format!(" ({m} minor units)"),
                None => String::new(),
            }
        )),
        (Some(w), None) => out.push(format!("{name} missing (expected {w:?})")),
        (None, Some(g)) => out.push(format!("{name} is {g:?}, but the code carries none")),
    }
}

fn currency(want: &Option<Currency>, got: &Option<Currency>, out: &mut Vec<String>) {
    match (want, got) {
        (None, None) => {}
        (Some(w), None) => out.push(format!(
            "payer.currency missing (expected {} {})",
            w.numeric,
            w.alpha.as_deref().unwrap_or("")
        )),
        (None, Some(g)) => out.push(format!(
            "payer.currency is {:?}, but the code carries none (53)",
            g.numeric
        )),
        (Some(w), Some(g)) => {
            if w.numeric != g.numeric {
                out.push(format!(
                    "payer.currency.numeric is {:?}, expected {:?}",
                    g.numeric, w.numeric
                ));
            }
            if w.alpha != g.alpha {
                out.push(format!(
                    "payer.currency.alpha is {:?}, expected {:?}",
                    g.alpha, w.alpha
                ));
            }
            if w.minor_units != g.minor_units {
                let n = |m: Option<u8>| m.map_or("none".to_owned(), |m| m.to_string());
                out.push(format!(
                    "payer.currency.minor_units is {}, expected {} (as the code's profile counts {})",
                    n(g.minor_units),
                    n(w.minor_units),
                    w.alpha.as_deref().unwrap_or(&w.numeric),
                ));
            }
        }
    }
}

fn text(name: &str, want: &Option<String>, got: &Option<String>, out: &mut Vec<String>) {
    match (want, got) {
        (w, g) if w == g => {}
        (Some(w), None) => out.push(format!("{name} missing (expected {w:?})")),
        (None, Some(g)) => out.push(format!("{name} is {g:?}, but the code carries none")),
        (Some(w), Some(g)) => out.push(format!("{name} is {g:?}, expected {w:?}")),
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KHR_1000: &str = "00020101021229160012demo@sandbox520459995303116540410005802KH5915Demo Noodle Bar6010Battambang6304";

    fn view() -> Payer {
        let sealed = crate::emv::crc::seal(KHR_1000.trim_end_matches("6304"));
        crate::reference::payer(&sealed).expect("parses")
    }

    #[test]
    fn the_right_view_passes_and_a_formatting_difference_is_not_a_problem() {
        let want = view();
        assert_eq!(want.amount.as_deref(), Some("1000"));
        assert!(problems(&want, Some(&want)).is_empty());
        let mut got = want.clone();
        got.amount = Some("1000.0".into());
        assert!(problems(&want, Some(&got)).is_empty());
    }

    #[test]
    fn riel_read_as_hundredths_fails_naming_the_field() {
        let want = view();
        let mut got = want.clone();
        got.amount = Some("10.00".into());
        got.currency.as_mut().unwrap().minor_units = Some(2);
        let p = problems(&want, Some(&got));
        assert!(
            p.iter()
                .any(|l| l.starts_with("payer.amount is \"10.00\", expected \"1000\"")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|l| l.starts_with("payer.currency.minor_units")),
            "{p:?}"
        );
    }

    #[test]
    fn a_missing_view_or_field_fails() {
        let want = view();
        assert!(problems(&want, None)[0].contains("no payer view"));
        let mut got = want.clone();
        got.merchant.name = None;
        got.amount_entered_by_payer = true;
        let p = problems(&want, Some(&got));
        assert!(
            p.iter()
                .any(|l| l.starts_with("payer.merchant.name missing")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|l| l.starts_with("payer.amount_entered_by_payer")),
            "{p:?}"
        );
    }
}
