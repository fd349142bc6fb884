//! Ids of the things a site is made of. Each is its own type, so a team id cannot be
//! passed where a metric id is meant, while reading like the text it is: an id derefs
//! to `str`, prints as itself and serializes as a plain string, so the output is the
//! same as when ids were `String`s.
//!
//! An id is checked once, when the content is resolved (`content::resolve`: a slug of at
//! most 64 characters); these types carry the result and check nothing themselves.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::Serialize;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_string())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

string_id!(
    /// A team's id, as in teams.yaml and in `content/<quarter>/<team>.yaml`.
    TeamId
);
string_id!(
    /// A metric's id: the name of its file in `metrics/`.
    MetricId
);
string_id!(
    /// An objective's id, unique within its team-quarter.
    ObjectiveId
);
string_id!(
    /// A key result's id, unique within its objective.
    KrId
);

/// An objective named from anywhere in its quarter: `team/objective`, as `aligns_to` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectiveRef {
    pub team: TeamId,
    pub objective: ObjectiveId,
}

impl fmt::Display for ObjectiveRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.team, self.objective)
    }
}

/// A key result named from anywhere in its quarter: `team/objective/kr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KrRef {
    pub team: TeamId,
    pub objective: ObjectiveId,
    pub kr: KrId,
}

impl fmt::Display for KrRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.team, self.objective, self.kr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn an_id_reads_and_serializes_as_its_text() {
        let id = TeamId::new("sales");
        assert_eq!(id.as_str(), "sales");
        assert_eq!(id.to_string(), "sales");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"sales\"");
        assert!(id == "sales");
        assert_eq!(id.len(), 5, "derefs to str");
    }

    #[test]
    fn a_map_keyed_by_id_is_looked_up_by_str() {
        let mut by_id = HashMap::new();
        by_id.insert(MetricId::new("arr"), 1);
        assert_eq!(by_id.get("arr"), Some(&1));
        assert_eq!(by_id.get("mrr"), None);
    }

    #[test]
    fn refs_print_as_paths() {
        let o = ObjectiveRef {
            team: TeamId::new("company"),
            objective: ObjectiveId::new("grow"),
        };
        assert_eq!(o.to_string(), "company/grow");
        let k = KrRef {
            team: TeamId::new("sales"),
            objective: ObjectiveId::new("o1"),
            kr: KrId::new("kr2"),
        };
        assert_eq!(k.to_string(), "sales/o1/kr2");
    }
}
