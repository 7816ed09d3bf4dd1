//! The rule catalogue and the validators: every check has a stable ID, a severity, a spec
//! reference and a confidence ([`Rule`]); profiles ([`spec`]) say which checks apply, how lengths
//! are counted and which base rules they relax; [`Validator`] runs them over a payload.

/// Declares a list of rules: one `pub static NAME: Rule` per entry, and `pub static LIST` holding
/// them all in order, so a rule cannot be defined without being catalogued.
macro_rules! catalogue {
    ($list:ident { $( $name:ident = $rule:expr; )* }) => {
        $(
            #[doc = "A rule of this layer; its ID is spelt out in the definition."]
            pub static $name: $crate::rules::Rule = $rule;
        )*
        /// Every rule of this layer, in catalogue order.
        pub static $list: &[&$crate::rules::Rule] = &[ $( &$name ),* ];
    };
}

pub mod catalogue;
pub mod data;
pub mod detect;
pub mod finding;
pub mod generated;
pub mod graded;
pub mod invariants;
pub mod profile;
pub mod rule;
#[cfg(test)]
pub(crate) mod testkit;
pub mod validator;

pub use catalogue::{all, lookup};
pub use finding::{At, Finding, Relaxed, TagPath};
pub use profile::{ProfileSpec, Relaxation, spec};

// The profile registry: one line per profile (see `crate::profile`). The order is the
// catalogue's and the order in which equally strong detections win.
profiles! {
    Emvco = "emvco", emvco::SPEC, mod emvco;
    Jpqr = "jpqr", jpqr::SPEC, mod jpqr;
    Khqr = "khqr", khqr::SPEC, mod khqr;
    Thaiqr = "thaiqr", thaiqr::SPEC, mod thaiqr;
    Vietqr = "vietqr", vietqr::SPEC, mod vietqr;
    Interop = "interop", interop::SPEC, mod interop;
    JpqrBill = "jpqr-bill", jpqr::BILL_SPEC;
}
pub use rule::{Confidence, Role, Rule, RuleRecord, Scope, Severity, Status};
pub use validator::{Context, EmvVersion, Options, Validator, Verdict, validate};
