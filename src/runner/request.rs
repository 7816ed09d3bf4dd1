//! From a vector to the requests an implementation receives, and the summaries of requests and
//! replies that reports keep (binary images summarised by hash and size).

use std::path::{Component, Path};

use serde_json::{Value, json};

use crate::adapter::protocol::{Op, Png, Reply, Timestamp};
use crate::image::{DecodeLimits, read_file_bounded};
use crate::report::png::summarize;
use crate::rules::profile::{Kind, account_schema, base};
use crate::vectors::{Case, Input};
use crate::{Clock, Profile};

/// A request could not be built: the vector set is incomplete or the case cannot be carried by
/// the protocol. A harness problem, never the implementation's fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A scan image is missing, unreadable or outside `vectors/images/`.
    #[error("{case}: image {path}: {reason}")]
    Image {
        /// The case.
        case: String,
        /// The image path as written in the vector.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The payload is not UTF-8, which the JSON protocol cannot carry.
    #[error("{0}: the payload is not UTF-8 and cannot be sent over the adapter protocol")]
    NotText(String),
}

/// The profile to put in requests for a case. Cross-border validate vectors ask for the interop
/// profile, which an implementation applies on top of the code's own scheme. Cross-border
/// generate vectors ask a merchant system for a code of its own scheme (the profile whose
/// account form the input uses: KHQR for a Bakong account, JPQR for a JPQR ID); the output is
/// then judged under interop.
pub fn request_profile(case: &Case) -> Profile {
    match &case.input {
        Input::Generate(g) if case.profile.spec().kind == Kind::Overlay => {
            account_schema(g.data.account.scheme_name())
                .map_or(base().profile, |(spec, _)| spec.profile)
        }
        _ => case.profile,
    }
}

/// The operations a case sends, in order (a scan sequence sends one per frame).
pub fn ops_for(case: &Case, run_clock: Clock, vectors_dir: &Path) -> Result<Vec<Op>, RequestError> {
    let clock = |c: Option<Clock>| Timestamp::from_unix_millis(c.unwrap_or(run_clock).millis());
    Ok(match &case.input {
        Input::Validate(v) => vec![Op::Validate {
            payload: v
                .payload
                .as_str()
                .ok_or_else(|| RequestError::NotText(case.id.clone()))?
                .to_owned(),
            profile: request_profile(case),
            now: clock(v.now),
            // Which wallet judges a cross-border code: with several national profiles the
            // code cannot say. Domestic requests carry none.
            wallet: case.direction().map(|d| d.wallet),
        }],
        Input::Parse(p) => vec![Op::Parse {
            payload: p.payload.clone(),
        }],
        Input::Generate(g) => vec![Op::Generate {
            profile: request_profile(case),
            input: serde_json::to_value(&g.data).unwrap_or(Value::Null),
        }],
        Input::Render(r) => vec![Op::Render {
            payload: r.payload.clone(),
        }],
        Input::Scan(s) => s
            .images
            .iter()
            .map(|p| {
                read_image(vectors_dir, p)
                    .map(|png| Op::Scan { png: Png(png) })
                    .map_err(|reason| RequestError::Image {
                        case: case.id.clone(),
                        path: p.clone(),
                        reason,
                    })
            })
            .collect::<Result<_, _>>()?,
    })
}

/// Checks that a vector's image reference stays inside `vectors/images/`: relative, no `..`,
/// no root or prefix. Vector files are data, and data must not make qrcert read (and send to an
/// implementation) files outside the suite.
pub fn check_image_path(rel: &str) -> Result<&Path, String> {
    let p = Path::new(rel);
    let inside =
        p.starts_with("images") && p.components().all(|c| matches!(c, Component::Normal(_)));
    if inside {
        Ok(p)
    } else {
        Err("image paths must stay inside vectors/images/".into())
    }
}

/// The image references of `case` that [`check_image_path`] refuses, as request errors.
pub fn image_path_errors(case: &Case) -> Vec<RequestError> {
    match &case.input {
        Input::Scan(s) => s
            .images
            .iter()
            .filter_map(|p| {
                check_image_path(p).err().map(|reason| RequestError::Image {
                    case: case.id.clone(),
                    path: p.clone(),
                    reason,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads `vectors_dir/rel`, refusing paths that leave `vectors/images/`.
fn read_image(vectors_dir: &Path, rel: &str) -> Result<Vec<u8>, String> {
    let p = check_image_path(rel)?;
    read_file_bounded(&vectors_dir.join(p), &DecodeLimits::default()).map_err(|e| e.to_string())
}

/// The request as a report keeps it.
pub fn summarize_op(op: &Op, image: Option<&str>, embed: bool) -> Value {
    match op {
        Op::Scan { png } => {
            let mut v = summarize(&png.0, embed);
            v["op"] = json!("scan");
            if let Some(i) = image {
                v["image"] = json!(i);
            }
            v
        }
        other => serde_json::to_value(other).unwrap_or(Value::Null),
    }
}

/// The reply as a report keeps it.
pub fn summarize_reply(reply: &Reply, embed: bool) -> Value {
    match reply {
        Reply::Render(r) => {
            let mut v = summarize(&r.png.0, embed);
            v["ok"] = json!(true);
            v
        }
        other => {
            let mut v = serde_json::to_value(other).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("ok".into(), json!(true));
            }
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_paths_stay_inside_images() {
        let dir = Path::new("vectors");
        for bad in [
            "../../etc/passwd",
            "images/../manifest.yaml",
            "/etc/passwd",
            "khqr/x.png",
        ] {
            assert!(
                read_image(dir, bad).unwrap_err().contains("inside"),
                "{bad}"
            );
        }
    }
}
