//! The learnings archive, in pages of [`LEARNINGS_PER_PAGE`], and the paging that
//! tag pages share.

use ahash::AHashSet;
use serde::Serialize;
use tera::Context;

use super::light::card_list;
use super::page::Page;
use super::tags::TagCount;
use crate::render::urls::{self, paged_path};
use crate::render::views::Views;

/// Learnings per archive page: a page stays small however large the archive grows.
pub const LEARNINGS_PER_PAGE: usize = 100;

pub fn page_count(items: usize) -> usize {
    items.div_ceil(LEARNINGS_PER_PAGE).max(1)
}

/// Links between the pages of a paged list.
#[derive(Serialize)]
pub struct Pager {
    current: usize,
    total: usize,
    /// Newer items (the previous page), relative to the site root.
    prev: Option<String>,
    next: Option<String>,
}

/// The slice of `items` on page `n`, the pager, and the title suffix for pages after the first.
pub fn paginate<'t, T>(items: &'t [T], first: &str, n: usize) -> (&'t [T], Pager, String) {
    let total = page_count(items.len());
    let start = ((n - 1) * LEARNINGS_PER_PAGE).min(items.len());
    let end = (start + LEARNINGS_PER_PAGE).min(items.len());
    let pager = Pager {
        current: n,
        total,
        prev: (n > 1).then(|| paged_path(first, n - 1)),
        next: (n < total).then(|| paged_path(first, n + 1)),
    };
    let suffix = if n > 1 {
        format!(" ({n}/{total})")
    } else {
        String::new()
    };
    (&items[start..end], pager, suffix)
}

/// The most used tags the learnings archive shows on each of its pages; the rest
/// are on the tags page, so an archive page stays small however many tags there are.
pub const TAG_CLOUD_SIZE: usize = 100;

pub fn learnings_page(v: &Views<'_>, choices: &FilterChoices, tags: &[TagCount], n: usize, light: bool) -> Page {
    let first = urls::learnings();
    let (learnings, pager, suffix) = paginate(&v.learnings, &first, n);
    let root = urls::root_of(&paged_path(&first, n));
    let mut data = Context::new();
    // Okrsite's own templates print the cards whole ([`card_list`]).
    let (learnings, cards) = match light {
        true => (&[][..], Some(card_list(learnings.iter(), &root))),
        false => (learnings, None),
    };
    data.insert("cards", &cards);
    let cloud = &tags[..tags.len().min(TAG_CLOUD_SIZE)];
    data.insert("filters", &learning_filters(choices, FilterTags::Choose(cloud)));
    data.insert("learnings", &learnings);
    data.insert("tags", cloud);
    let all = (tags.len() > TAG_CLOUD_SIZE).then(|| v.t.count("tags_all", tags.len()));
    data.insert("tags_all", &all);
    data.insert("pager", &pager);
    Page {
        as_of: false,
        path: paged_path(&first, n),
        template: "learnings.html",
        title: format!("{}{suffix}", v.t.get("learnings_title")),
        nav: "learnings",
        data,
    }
}

/// One choice of a filter's `<select>`.
#[derive(Serialize)]
pub struct Choice {
    value: String,
    label: String,
}

/// The team and quarter choices every archive and tag page offers: the same on each
/// page, so computed once per build ([`filter_choices`]) and kept in Tera's form,
/// which a page's data takes by reference count rather than serialising again.
pub struct FilterChoices {
    teams: tera::Value,
    quarters: tera::Value,
}

/// The team / quarter / tag filters an archive page offers at its top: a small
/// GET form to the search page, whose script reads them from the query string
/// (no script needed on the archive page, and it works from file://).
#[derive(Serialize)]
pub struct LearningFilters<'a> {
    /// The search page, relative to the site root.
    action: String,
    /// [`Choice`]s, from [`FilterChoices`].
    teams: &'a tera::Value,
    quarters: &'a tera::Value,
    /// The tags to choose from (the archive), empty when the tag is fixed.
    tags: Vec<Choice>,
    /// The tag the page is about (a tag page): sent as it is.
    tag: Option<String>,
}

/// The tags a filter form offers: some to choose from, or one fixed.
pub enum FilterTags<'a> {
    Choose(&'a [TagCount]),
    Fixed(&'a str),
}

/// The teams (in teams.yaml order) and quarters (newest first) that have learnings,
/// for every page's filters: one pass over the learnings for the whole build.
pub fn filter_choices(v: &Views<'_>) -> FilterChoices {
    let with_learnings: AHashSet<&str> = v.learnings.iter().map(|l| l.team.id.as_str()).collect();
    let quarters_with: AHashSet<&str> = v.learnings.iter().map(|l| l.quarter.id.as_str()).collect();
    let teams: Vec<Choice> = v
        .site
        .teams
        .iter()
        .filter(|t| with_learnings.contains(t.id.as_str()))
        .map(|t| Choice {
            value: t.id.to_string(),
            label: t.name.clone(),
        })
        .collect();
    let quarters: Vec<Choice> = v
        .site
        .quarters
        .iter()
        .rev()
        .map(|q| (q.quarter.to_string(), q.quarter))
        .filter(|(id, _)| quarters_with.contains(id.as_str()))
        .map(|(value, q)| Choice {
            value,
            label: v.fmt.quarter(q),
        })
        .collect();
    FilterChoices {
        teams: tera::Value::from_serializable(&teams),
        quarters: tera::Value::from_serializable(&quarters),
    }
}

/// The filters of an archive or tag page: the site's `choices` and the page's `tags`.
pub fn learning_filters<'a>(choices: &'a FilterChoices, tags: FilterTags<'_>) -> LearningFilters<'a> {
    let (tags, tag) = match tags {
        FilterTags::Choose(tags) => (
            tags.iter()
                .map(|t| Choice {
                    value: t.name.clone(),
                    label: format!("#{}", t.name),
                })
                .collect(),
            None,
        ),
        FilterTags::Fixed(name) => (Vec::new(), Some(name.to_string())),
    };
    LearningFilters {
        action: urls::search(),
        teams: &choices.teams,
        quarters: &choices.quarters,
        tags,
        tag,
    }
}

/// A link to the search page with its filters set, and what it says.
#[derive(Serialize)]
pub struct FilterLink {
    pub url: String,
    pub label: String,
}

/// The team page's link to the team's learnings (the search page filtered by the
/// team), with how many there are; `None` when the team has none.
pub fn team_learnings_link(v: &Views<'_>, counts: &LearningCounts<'_>, team: &str) -> Option<FilterLink> {
    let count = counts.get(team).copied().unwrap_or(0);
    (count > 0).then(|| team_learnings_link_of(team, v.t.count("team_learnings", count)))
}

/// Each team's number of learnings in the archive, by team id.
pub type LearningCounts<'v> = ahash::AHashMap<&'v str, usize>;

/// [`LearningCounts`], counted once for every team page: counting a team's learnings
/// on its page went through all of them for each team.
pub fn learning_counts<'v>(v: &'v Views<'_>) -> LearningCounts<'v> {
    let mut counts = LearningCounts::default();
    for l in &v.learnings {
        *counts.entry(l.team.id.as_str()).or_default() += 1;
    }
    counts
}

/// The link to `team`'s learnings, saying `label`.
pub fn team_learnings_link_of(team: &str, label: String) -> FilterLink {
    FilterLink {
        url: urls::search_filtered(&[("team", team)]),
        label,
    }
}
