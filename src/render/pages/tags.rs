//! The tag index, each tag's pages, and the one check that two tags never share a page.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::learnings::{FilterChoices, FilterLink, FilterTags, LearningFilters, Pager, learning_filters, paginate};
use super::light::card_list;
use super::page::{Page, ctx};
use crate::content::retro;
use crate::render::urls::{self, paged_path};
use crate::render::views::{LearningView, TagRef, Views};

#[derive(Serialize, Clone)]
pub struct TagCount {
    pub name: String,
    pub url: String,
    /// How many learnings have the tag.
    pub count: usize,
    /// Where the tag was first seen, to name in an error about its page.
    #[serde(skip)]
    pub source: String,
}

/// Two different tags whose page names would be the same (a hash collision).
#[derive(Debug, thiserror::Error)]
pub struct TagCollision {
    /// Where the second tag is used.
    file: String,
    tag: String,
    first: String,
    first_source: String,
    url: String,
}

impl TagCollision {
    pub fn message(&self) -> crate::messages::Message {
        crate::msg!(
            "build.tag_collision",
            file = &self.file,
            tag = &self.tag,
            first = &self.first,
            first_source = &self.first_source,
            url = &self.url
        )
    }
}

impl std::fmt::Display for TagCollision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

/// Tags with how many learnings carry them, most used first, and each tag's
/// learnings (indices into `v.learnings`, newest first), in one pass. A tag is
/// known by its URL, which is the same for every spelling of the tag and different
/// for different tags ([`urls::tag_key`]); two different tags with the same
/// URL (a hash collision) are an error rather than one page with both.
pub fn tag_index(v: &Views<'_>) -> Result<(Vec<TagCount>, Vec<Vec<usize>>), TagCollision> {
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut identities: Vec<String> = Vec::new();
    let mut tags: Vec<TagCount> = Vec::new();
    let mut by_tag: Vec<Vec<usize>> = Vec::new();
    for (i, l) in v.learnings.iter().enumerate() {
        for tag in &l.all_tags {
            let p = *position.entry(tag.url.as_str()).or_insert_with(|| {
                tags.push(TagCount {
                    name: tag.name.clone(),
                    url: tag.url.clone(),
                    count: 0,
                    source: l.source.clone(),
                });
                identities.push(retro::tag_identity(&tag.name));
                by_tag.push(Vec::new());
                tags.len() - 1
            });
            if identities[p] != retro::tag_identity(&tag.name) {
                return Err(TagCollision {
                    file: l.source.clone(),
                    tag: tag.name.clone(),
                    first: tags[p].name.clone(),
                    first_source: tags[p].source.clone(),
                    url: tag.url.clone(),
                });
            }
            // A learning's tags are distinct (`retro::merge_tags`): this counts each learning once.
            if by_tag[p].last() != Some(&i) {
                by_tag[p].push(i);
                tags[p].count += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..tags.len()).collect();
    order.sort_by(|&a, &b| tags[b].count.cmp(&tags[a].count).then(tags[a].name.cmp(&tags[b].name)));
    let sorted_tags = order.iter().map(|&i| tags[i].clone()).collect();
    let sorted_lists = order.iter().map(|&i| std::mem::take(&mut by_tag[i])).collect();
    Ok((sorted_tags, sorted_lists))
}

pub fn tags_index(v: &Views<'_>, tags: &[TagCount]) -> Page {
    let mut data = Context::new();
    data.insert("tags", tags);
    Page {
        path: urls::tags(),
        template: "tags.html",
        title: v.t.get("tags_title").into(),
        nav: "learnings",
        data,
        as_of: false,
    }
}

pub fn tag_page(
    v: &Views<'_>,
    choices: &FilterChoices,
    (tag, learnings): (&TagCount, &[usize]),
    n: usize,
    light: bool,
) -> Page {
    #[derive(Serialize)]
    struct Data<'a> {
        tag: TagRef,
        /// Whole views for a site's own templates; none when `cards` has them.
        learnings: Vec<&'a LearningView>,
        /// The learnings' cards, for okrsite's own templates ([`card_list`]).
        cards: Option<String>,
        count: String,
        pager: Pager,
        /// The search page filtered by the tag, and the form to narrow it further.
        search: FilterLink,
        filters: LearningFilters<'a>,
    }
    let (on_page, pager, suffix) = paginate(learnings, &tag.url, n);
    let root = urls::root_of(&paged_path(&tag.url, n));
    let data = Data {
        count: v.t.count("learnings_count", learnings.len()),
        tag: TagRef {
            name: tag.name.clone(),
            url: tag.url.clone(),
        },
        learnings: match light {
            true => Vec::new(),
            false => on_page.iter().map(|&i| &v.learnings[i]).collect(),
        },
        cards: light.then(|| card_list(on_page.iter().map(|&i| &v.learnings[i]), &root)),
        pager,
        search: FilterLink {
            url: urls::search_filtered(&[("tag", &tag.name)]),
            label: v.t.fill("tag_search", "tag", &tag.name),
        },
        filters: learning_filters(choices, FilterTags::Fixed(&tag.name)),
    };
    Page {
        as_of: false,
        path: paged_path(&tag.url, n),
        template: "tag.html",
        title: format!("{}{suffix}", v.t.fill("tag_title", "tag", &tag.name)),
        nav: "learnings",
        data: ctx(&data),
    }
}
