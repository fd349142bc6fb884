//! Ids: the slug rule, and unique ids of objectives and key results.

use std::collections::HashSet;

use super::super::load::Loaded;
use super::super::yaml::YamlPath;
use super::report::{Help, Reporter};
use crate::diag::Message;
use crate::msg;

/// The longest id: ids name folders and files of the output (`teams/<id>/`), and a
/// file name must stay well within the 255 bytes file systems allow.
pub const MAX_ID_LEN: usize = 64;

/// Whether `s` follows the slug rule `[a-z0-9][a-z0-9_-]*`, at most [`MAX_ID_LEN`] long.
pub fn is_slug(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= MAX_ID_LEN
        && matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

/// The id a name most likely means under the slug rule: lowercase, spaces and
/// punctuation as `-` (`Marketing Team` → `marketing-team`). `None` when the name
/// holds letters outside ASCII (`営業`): no id can be made of them, and dropping them
/// would propose a different name.
pub fn slug_for(name: &str) -> Option<String> {
    if name.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        return None;
    }
    let mut slug = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' };
        if !(c == '-' && (slug.is_empty() || slug.ends_with('-'))) {
            slug.push(c);
        }
    }
    let slug: String = slug.trim_matches(['-', '_']).chars().take(MAX_ID_LEN).collect();
    let slug = slug.trim_end_matches('-').to_string();
    is_slug(&slug).then_some(slug)
}

/// What the slug rule asks, and the id `s` would be under it (if one can be made).
pub(super) fn slug_help(s: &str) -> Message {
    let rule = msg!("resolve.id.slug_rule", max = MAX_ID_LEN);
    match slug_for(s) {
        Some(slug) => msg!("resolve.id.slug_rule_example", rule = rule, slug = slug),
        None => msg!("resolve.id.slug_rule_ascii", rule = rule),
    }
}

/// The id of an objective or key result (the default `default` when it has none),
/// reported when it breaks the slug rule or is already used (`seen`). `what` names
/// the kind.
pub(super) fn check_id<T>(
    l: &Loaded<T>,
    path: &YamlPath,
    id: &Option<String>,
    default: String,
    what: Message,
    seen: &mut HashSet<String>,
    r: &mut Reporter<'_>,
) -> String {
    let what = || what.clone();
    let id = match id {
        Some(id) => {
            if !is_slug(id) {
                r.error(l, &path.key("id"), msg!("resolve.id.not_slug", what = what(), id = id))
                    .help(slug_help(id));
            }
            id.clone()
        }
        None => default,
    };
    if !seen.insert(id.clone()) {
        let at = if path.0.is_empty() {
            path.clone()
        } else {
            path.key("id")
        };
        r.error(l, &at, msg!("resolve.id.duplicate", what = what(), id = id.as_str()))
            .help(msg!("resolve.id.duplicate_help", what = what()));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rule() {
        for ok in ["a", "0", "product", "cs-2", "a_b"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "_a", "Product", "プロダクト", "a b", "a/b", "../x"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn suggested_ids_follow_the_slug_rule() {
        assert_eq!(slug_for("Marketing").as_deref(), Some("marketing"));
        assert_eq!(slug_for("Marketing Team").as_deref(), Some("marketing-team"));
        assert_eq!(slug_for("R&D / Ops").as_deref(), Some("r-d-ops"));
        assert_eq!(slug_for("_Sales_").as_deref(), Some("sales"));
        assert_eq!(slug_for("営業"), None);
        assert_eq!(slug_for("営業 team"), None);
        assert_eq!(slug_for("---"), None);
        assert_eq!(slug_for(&"a".repeat(100)).map(|s| s.len()), Some(MAX_ID_LEN));
        let help = slug_help("Marketing").to_string();
        assert!(help.ends_with("e.g. `marketing`"), "{help}");
        let help = slug_help("営業").to_string();
        assert!(help.ends_with("pick an ASCII id for it"), "{help}");
    }
}
