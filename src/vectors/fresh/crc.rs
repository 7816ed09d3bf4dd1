//! CRCs after fresh data: every `6304` + CRC site of the old payload keeps its relation to the
//! text before it. A correct CRC is recomputed (in the same letter case); a CRC of a wrong
//! algorithm or input is recomputed with that same wrong algorithm; a digit off by one stays off
//! by one; any other wrong final CRC keeps its distance from the correct one.

use crate::emv::crc;
use crate::vectors::generate::families::wrong_algorithm_crcs;

fn correct(head: &str) -> String {
    String::from_utf8_lossy(&crc::to_hex(crc::crc16(head.as_bytes()))).into_owned()
}

fn is_hex4(s: &[char]) -> bool {
    s.len() == 4 && s.iter().all(|c| c.is_ascii_hexdigit())
}

fn hex_value(s: &str) -> Option<u16> {
    u16::from_str_radix(s, 16).ok()
}

/// What a CRC site becomes.
enum Site {
    /// This CRC text.
    Crc(String),
    /// No known relation: left as it is.
    Unrelated,
    /// The relation cannot hold for the new text (a lower-case CRC with no letters, a wrong
    /// algorithm that happens to give the right CRC): the payload must stay as it was.
    Lost,
}

/// The CRC text the new head needs to stand in the relation `old_crc` had to `old_head`.
fn rederive(old_head: &str, old_crc: &str, new_head: &str, last: bool) -> Site {
    let ok_old = correct(old_head);
    let ok_new = correct(new_head);
    if old_crc.eq_ignore_ascii_case(&ok_old) {
        if old_crc.bytes().any(|b| b.is_ascii_lowercase()) {
            return if ok_new.bytes().any(|b| b.is_ascii_alphabetic()) {
                Site::Crc(ok_new.to_ascii_lowercase())
            } else {
                Site::Lost
            };
        }
        return Site::Crc(ok_new);
    }
    let old_alts = wrong_algorithm_crcs(old_head);
    let new_alts = wrong_algorithm_crcs(new_head);
    for ((_, a_old), (_, a_new)) in old_alts.iter().zip(new_alts.iter()) {
        if a_old == old_crc {
            return if *a_new != ok_new {
                Site::Crc(a_new.clone())
            } else {
                Site::Lost
            };
        }
    }
    let swapped = |s: &str| format!("{}{}", &s[2..], &s[..2]);
    if old_crc == swapped(&ok_old) {
        return if swapped(&ok_new) != ok_new {
            Site::Crc(swapped(&ok_new))
        } else {
            Site::Lost
        };
    }
    // One digit off by one (or any single-digit change): the same change on the new CRC.
    let (oc, ok): (Vec<char>, Vec<char>) = (old_crc.chars().collect(), ok_old.chars().collect());
    let diffs: Vec<usize> = (0..4).filter(|&i| oc[i] != ok[i]).collect();
    if let [i] = diffs[..]
        && let (Some(a), Some(b)) = (oc[i].to_digit(16), ok[i].to_digit(16))
    {
        let mut n: Vec<char> = ok_new.chars().collect();
        let step = (a + 16 - b) % 16;
        let v = n[i].to_digit(16).unwrap_or(0);
        n[i] = std::char::from_digit((v + step) % 16, 16)
            .unwrap_or('0')
            .to_ascii_uppercase();
        return Site::Crc(n.into_iter().collect());
    }
    if last
        && let (Some(o), Some(k), Some(n)) =
            (hex_value(old_crc), hex_value(&ok_old), hex_value(&ok_new))
    {
        return Site::Crc(format!("{:04X}", n ^ (o ^ k)));
    }
    Site::Unrelated
}

/// `new` (the old payload with fresh data, character for character as long) with every CRC
/// site re-derived; `None` when a site's relation cannot hold in the new text (keep the old
/// payload then). `new` unchanged when the lengths differ.
pub fn fix_crcs(old: &str, new: &str) -> Option<String> {
    let oc: Vec<char> = old.chars().collect();
    let mut nc: Vec<char> = new.chars().collect();
    if oc.len() != nc.len() || oc == nc {
        return Some(new.to_owned());
    }
    let tag = ['6', '3', '0', '4'];
    let mut p = 0;
    while p + 8 <= oc.len() {
        if oc[p..p + 4] == tag && is_hex4(&oc[p + 4..p + 8]) {
            let old_head: String = oc[..p + 4].iter().collect();
            let new_head: String = nc[..p + 4].iter().collect();
            if old_head != new_head {
                let old_crc: String = oc[p + 4..p + 8].iter().collect();
                match rederive(&old_head, &old_crc, &new_head, p + 8 == oc.len()) {
                    Site::Crc(c) => {
                        for (i, ch) in c.chars().enumerate() {
                            nc[p + 4 + i] = ch;
                        }
                    }
                    Site::Unrelated => {}
                    Site::Lost => return None,
                }
            }
            p += 8;
        } else {
            p += 1;
        }
    }
    Some(nc.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";

    fn fresh(old: &str) -> String {
        old.replace("QRCERT SYNTHETIC", "MEKONG NOODLE HO")
    }

    #[test]
    fn a_correct_crc_is_recomputed_and_a_wrong_one_stays_wrong_the_same_way() {
        let new = fix_crcs(OLD, &fresh(OLD)).unwrap();
        assert_eq!(new, crc::seal(&new[..new.len() - 8]));
        let head = &OLD[..OLD.len() - 4];
        for (_, alt) in wrong_algorithm_crcs(head) {
            let old = format!("{head}{alt}");
            let new = fix_crcs(&old, &fresh(&old)).unwrap();
            let new_head = &new[..new.len() - 4];
            assert!(
                wrong_algorithm_crcs(new_head)
                    .iter()
                    .any(|(_, a)| new.ends_with(a.as_str()))
            );
            assert_ne!(new, crc::seal(&new_head[..new_head.len() - 4]));
        }
        let lower = OLD.to_ascii_lowercase();
        let lower = format!("{}{}", &OLD[..OLD.len() - 4], &lower[lower.len() - 4..]);
        let new = fix_crcs(&lower, &fresh(&lower)).unwrap();
        assert!(
            new[new.len() - 4..]
                .eq_ignore_ascii_case(&crc::seal(&new[..new.len() - 8])[new.len() - 4..])
        );
        let off = format!("{}6374", &OLD[..OLD.len() - 4]);
        let new = fix_crcs(&off, &fresh(&off)).unwrap();
        let right = crc::seal(&new[..new.len() - 8]);
        assert_ne!(new, right);
        assert_eq!(new[..new.len() - 1], right[..right.len() - 1]);
    }
}
