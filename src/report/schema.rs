//! The JSON Schema of `report.json` (`docs/report.schema.json`), shipped inside the binary so
//! `qrcert report schema` prints exactly the schema this build writes to.

/// The schema, as text.
pub const REPORT_SCHEMA: &str = include_str!("../../docs/report.schema.json");

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::REPORT_SCHEMA;
    use crate::report::{Report, fixtures, png};

    fn validator(def: Option<&str>) -> jsonschema::Validator {
        let mut schema: Value = serde_json::from_str(REPORT_SCHEMA).unwrap();
        if let Some(def) = def {
            assert!(schema["$defs"].get(def).is_some(), "no $defs/{def}");
            let defs = schema["$defs"].clone();
            schema = json!({"$defs": defs, "$ref": format!("#/$defs/{def}")});
        }
        jsonschema::validator_for(&schema).unwrap()
    }

    fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
        v.iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    fn json_of(r: &Report) -> Value {
        serde_json::from_slice(&r.to_canonical_json()).unwrap()
    }

    #[test]
    fn real_reports_fit_the_schema() {
        let v = validator(None);
        for r in [
            fixtures::sample(),
            fixtures::reference_run(),
            fixtures::deviant_run(),
            fixtures::sample().normalized(),
            {
                let mut r = fixtures::sample();
                for c in r.cases.iter_mut().take(3) {
                    c.direction = Some(crate::role::Direction {
                        wallet: crate::Profile::Khqr,
                        code: crate::Profile::Jpqr,
                    });
                }
                r.recompute();
                assert_eq!(r.directions.len(), 1);
                r
            },
            {
                let mut r = fixtures::sample();
                r.suite.sealed_by = Some("0123456789abcdef".into());
                r.suite.overlays = vec![crate::report::model::OverlayInfo {
                    path: "private".into(),
                    sha256: "cd".repeat(32),
                    sealed_by: Some("0123456789abcdef".into()),
                }];
                r
            },
        ] {
            let instance = json_of(&r);
            assert_eq!(errors(&v, &instance), Vec::<String>::new());
        }
    }

    #[test]
    fn png_summaries_fit_their_definition() {
        let v = validator(Some("PngSummary"));
        let mut seen = 0;
        for c in fixtures::sample().cases {
            for part in [&c.request, &c.reply] {
                if let Some(p) = part.get("png") {
                    assert_eq!(errors(&v, p), Vec::<String>::new(), "{}", c.id);
                    seen += 1;
                }
            }
        }
        assert!(seen >= 5);
        let one = png::summarize(b"\x89PNG\r\n\x1a\nxyz", true);
        assert!(v.is_valid(&one["png"]));
    }

    type Breakage = Box<dyn Fn(&mut Value)>;

    #[test]
    fn broken_reports_do_not_fit() {
        let v = validator(None);
        let good = json_of(&fixtures::sample());
        let breakages: Vec<(&str, Breakage)> = vec![
            (
                "unknown grade",
                Box::new(|r| r["cases"][0]["grade"] = json!("MAYBE")),
            ),
            (
                "missing count",
                Box::new(|r| {
                    r["summary"]["grades"]
                        .as_object_mut()
                        .unwrap()
                        .remove("XPASS");
                }),
            ),
            (
                "bad hash",
                Box::new(|r| r["suite"]["sha256"] = json!("abc")),
            ),
            ("bad clock", Box::new(|r| r["clock"] = json!("yesterday"))),
            ("unknown field", Box::new(|r| r["extra"] = json!(1))),
            (
                "missing cases",
                Box::new(|r| {
                    r.as_object_mut().unwrap().remove("cases");
                }),
            ),
            (
                "bad waiver state",
                Box::new(|r| r["waivers"][0]["state"] = json!("forgotten")),
            ),
            (
                "negative duration",
                Box::new(|r| r["cases"][0]["duration_ms"] = json!(-1)),
            ),
        ];
        for (what, breakage) in breakages {
            let mut r = good.clone();
            breakage(&mut r);
            assert!(!v.is_valid(&r), "{what} should not fit the schema");
        }
    }
}
