//! Versioned reference tables the SHOULD-level membership rules consult. Each table names the
//! date of the list it reproduces; updating one is a rules-version change.

pub mod iso3166;
pub mod iso4217;
pub mod iso639;
pub mod mcc;
