//! The small views many pages share: a traffic light in words, links, and
//! references to a team, a quarter or a tag.

use serde::Serialize;

use crate::model::{Direction, Light, QuarterData, QuarterStatus, Site, Team, TeamId};
use crate::render::format::{Formatter, Strings};
use crate::render::urls;

#[derive(Debug, Clone, Serialize)]
pub struct LightView {
    /// `green`, `yellow`, `red` or `none`: for CSS classes.
    pub key: &'static str,
    /// The words, so colour is never the only signal.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamRef {
    pub id: TeamId,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterRef {
    pub id: String,
    pub label: String,
    pub url: String,
    pub status: LightView,
    pub period: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagRef {
    pub name: String,
    pub url: String,
}

pub fn light(t: &Strings, prefix: &str, l: Option<Light>) -> LightView {
    let key = l.map_or("none", Light::as_str);
    LightView {
        key,
        label: joined_key(prefix, key, |name| t.get(name).to_string()),
    }
}

/// `f` of the string key `<prefix>_<key>`, put together on the stack: lights are
/// looked up for every KR and objective of every page (a `format!` each was a
/// thousandth of the build).
fn joined_key<T>(prefix: &str, key: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut buf = [0u8; 64];
    let len = prefix.len() + 1 + key.len();
    if len > buf.len() {
        return f(&format!("{prefix}_{key}"));
    }
    buf[..prefix.len()].copy_from_slice(prefix.as_bytes());
    buf[prefix.len()] = b'_';
    buf[prefix.len() + 1..len].copy_from_slice(key.as_bytes());
    f(std::str::from_utf8(&buf[..len]).expect("two str joined by _ are UTF-8"))
}

/// A grade. While the quarter runs there is no grade yet: a score there is an
/// outlook and says so (key `outlook`, no grade colour).
pub fn grade(t: &Strings, status: QuarterStatus, g: Option<Light>) -> LightView {
    if status == QuarterStatus::InProgress && g.is_some() {
        return LightView {
            key: "outlook",
            label: t.get("grade_outlook").to_string(),
        };
    }
    light(t, "grade", g)
}

pub fn quarter_ref(fmt: &Formatter, t: &Strings, q: &QuarterData) -> QuarterRef {
    let key = match q.status {
        QuarterStatus::Ended => "ended",
        QuarterStatus::InProgress => "in_progress",
        QuarterStatus::Upcoming => "upcoming",
    };
    QuarterRef {
        id: q.quarter.to_string(),
        label: fmt.quarter(q.quarter),
        url: urls::quarter(q.quarter),
        status: LightView {
            key: match q.status {
                QuarterStatus::Ended => "ended",
                QuarterStatus::InProgress => "progress",
                QuarterStatus::Upcoming => "upcoming",
            },
            label: t.get(&format!("quarter_{key}")).to_string(),
        },
        period: fmt.period(q.start, q.end),
    }
}

pub fn team_ref(team: &Team) -> TeamRef {
    TeamRef {
        id: team.id.clone(),
        name: team.name.clone(),
        url: urls::team(&team.id),
    }
}

pub(super) fn tag_refs(tags: &[String]) -> Vec<TagRef> {
    tags.iter().map(|t| tag_ref(t)).collect()
}

pub(super) fn tag_ref(tag: &str) -> TagRef {
    TagRef {
        name: tag.to_string(),
        url: urls::tag(tag),
    }
}

pub(super) fn team_ref_by_id(site: &Site, id: &str) -> TeamRef {
    site.team(id).map(team_ref).unwrap_or_else(|| TeamRef {
        id: id.into(),
        name: id.into(),
        url: urls::team(id),
    })
}

pub fn direction_label(t: &Strings, d: Option<Direction>) -> Option<String> {
    d.map(|d| match d {
        Direction::Increase => t.get("higher_is_better").to_string(),
        Direction::Decrease => t.get("lower_is_better").to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::joined_key;

    #[test]
    fn joined_keys_are_prefix_underscore_key_however_long() {
        assert_eq!(joined_key("grade", "green", str::to_string), "grade_green");
        assert_eq!(joined_key("", "", str::to_string), "_");
        let long = "k".repeat(70);
        assert_eq!(joined_key("status", &long, str::to_string), format!("status_{long}"));
        assert_eq!(joined_key("価格", "に", str::to_string), "価格_に");
    }
}
