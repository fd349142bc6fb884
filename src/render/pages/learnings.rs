//! The learnings archive, in pages of [`LEARNINGS_PER_PAGE`], and the paging that
//! tag pages share.

use serde::Serialize;
use tera::Context;

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

pub fn learnings_page(v: &Views<'_>, tags: &[TagCount], n: usize) -> Page {
    let first = urls::learnings();
    let (learnings, pager, suffix) = paginate(&v.learnings, &first, n);
    let mut data = Context::new();
    data.insert("learnings", learnings);
    data.insert("tags", &tags[..tags.len().min(TAG_CLOUD_SIZE)]);
    let all = (tags.len() > TAG_CLOUD_SIZE).then(|| v.t.fill("tags_all", "n", &tags.len().to_string()));
    data.insert("tags_all", &all);
    data.insert("pager", &pager);
    Page {
        path: paged_path(&first, n),
        template: "learnings.html",
        title: format!("{}{suffix}", v.t.get("learnings_title")),
        nav: "learnings",
        data,
    }
}
