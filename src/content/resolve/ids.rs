//! Ids: the slug rule, and unique ids of objectives and key results.

use std::collections::HashSet;

use super::super::load::Loaded;
use super::super::yaml::YamlPath;
use super::report::{Help, Reporter};

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

pub(super) fn slug_help(s: &str) -> String {
    let suggested: String = s
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .chars()
        .take(MAX_ID_LEN)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    let rule = format!(
        "ids use lowercase ASCII letters, digits, `_` and `-`, starting with a letter or digit, at most {MAX_ID_LEN} characters"
    );
    if is_slug(&suggested) {
        format!("{rule}, e.g. `{suggested}`")
    } else {
        format!("{rule}, e.g. `product`")
    }
}

pub(super) fn check_id<T>(
    l: &Loaded<T>,
    path: &YamlPath,
    id: &Option<String>,
    default: String,
    what: &str,
    seen: &mut HashSet<String>,
    r: &mut Reporter<'_>,
) -> String {
    let id = match id {
        Some(id) => {
            if !is_slug(id) {
                r.error(l, &path.key("id"), format!("{what} id `{id}` breaks the slug rule"))
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
        r.error(l, &at, format!("duplicate {what} id `{id}`"))
            .help(format!("{what} ids are unique; ids left out default to their position"));
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
}
