//! The profiles a payload can be judged under.
//!
//! A profile is a plug-in: one folder under `src/rules/<p>/` whose `SPEC`
//! ([`ProfileSpec`](crate::rules::ProfileSpec)) says everything particular to it, and one line in
//! the registry (`src/rules/mod.rs`) that names it. The registry writes this enum, its names and
//! the lookup from a profile to its spec; generic code asks the spec and never matches on a
//! profile's name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Counts token trees (the registry's entries).
macro_rules! count_profiles {
    () => { 0usize };
    ($head:tt $($tail:tt)*) => { 1usize + count_profiles!($($tail)*) };
}

/// The profile registry: one line per profile,
/// `Variant = "name", module::SPEC, mod module;` (the trailing `mod module` declares the
/// profile's folder; a profile whose spec lives in another's folder leaves it out). It declares the folders, the [`Profile`] enum (in
/// the order of the lines, which is also the catalogue's order) and [`Profile::spec`].
macro_rules! profiles {
    ($( $variant:ident = $name:literal, $module:ident :: $spec:ident $(, mod $declare:ident)?; )*) => {
        $( $( pub mod $declare; )? )*

        /// A rule profile: the EMVCo base layer, a national profile on top of it, the
        /// cross-border overlay, or a recognised form. Serialised by its name (`"khqr"`), as
        /// vectors, adapters and reports spell it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Profile {
            $(
                #[doc = concat!("The `", $name, "` profile (`rules::", stringify!($module), "::", stringify!($spec), "`).")]
                $variant,
            )*
        }

        impl Profile {
            /// Every profile, in registry (catalogue) order.
            pub const ALL: [Profile; count_profiles!($($variant)*)] = [$(Profile::$variant),*];

            /// The name used on the command line, in vectors and in reports.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Profile::$variant => $name, )*
                }
            }

            /// Everything that makes the profile.
            pub fn spec(self) -> &'static $crate::rules::ProfileSpec {
                match self {
                    $( Profile::$variant => &$module::$spec, )*
                }
            }
        }
    };
}

pub use crate::rules::Profile;

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Profile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A profile name that qrcert does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile {0:?} (expected one of: {names})", names = names())]
pub struct UnknownProfile(pub String);

fn names() -> String {
    Profile::ALL.map(Profile::as_str).join(", ")
}

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_str_and_serde() {
        for p in Profile::ALL {
            assert_eq!(p.as_str().parse::<Profile>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
            assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), p);
            assert_eq!(p.spec().profile, p, "{p}: the registry names another spec");
        }
        assert!("KHQR".parse::<Profile>().is_err());
        assert!(serde_json::from_str::<Profile>("\"nope\"").is_err());
    }
}
