//! What okrsite's own templates read of the views that list pages show many of.
//!
//! A list page (a quarter's alignment tree and at-risk list, a team's quarters, a
//! metric's KRs) shows a few fields of each objective, KR or team-quarter, while
//! the whole view carries every KR's check-ins and more: converting whole views
//! into Tera's values was most of these pages' cost. A site's own templates may
//! read any field of the views docs/templates.md describes, so they get the whole
//! views; only while every template is okrsite's own ([`Theme::own_templates`]) do
//! these pages get the light forms below, each with exactly the fields those
//! templates read. The checksums test renders the sample site through them.
//!
//! [`Theme::own_templates`]: crate::render::theme::Theme::own_templates

use serde::Serialize;

use crate::render::views::{CardText, FlagView, KrView, LearningView, LightView, ObjectiveView, TeamQuarterView};

/// A view as a page's data holds it: whole, or in its light form.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Shown<W, L> {
    Whole(W),
    Light(L),
}

impl<W, L> Shown<W, L> {
    /// `whole` when `light` is false, else `light_form(whole)`.
    pub fn of<V: Copy>(light: bool, view: V, whole: impl FnOnce(V) -> W, light_form: impl FnOnce(V) -> L) -> Self {
        match light {
            true => Shown::Light(light_form(view)),
            false => Shown::Whole(whole(view)),
        }
    }
}

/// An objective as a line of a list: `quarter-alignment.html`, `team.html`.
#[derive(Serialize)]
pub struct ObjectiveLine<'a> {
    url: &'a str,
    title: &'a str,
    score: Option<&'a str>,
    grade: &'a LightView,
}

impl<'a> From<&'a ObjectiveView> for ObjectiveLine<'a> {
    fn from(o: &'a ObjectiveView) -> Self {
        ObjectiveLine {
            url: &o.url,
            title: &o.title,
            score: o.score.as_deref(),
            grade: &o.grade,
        }
    }
}

/// A KR as a line of a list: `at-risk-list.html`, `metric.html`'s KRs using it.
#[derive(Serialize)]
pub struct KrLine<'a> {
    url: &'a str,
    title: &'a str,
    score: Option<&'a str>,
    grade: &'a LightView,
    checkin: Option<CheckinNote<'a>>,
}

/// What the at-risk list shows of a KR's newest check-in.
#[derive(Serialize)]
struct CheckinNote<'a> {
    note: Option<&'a str>,
}

impl<'a> From<&'a KrView> for KrLine<'a> {
    fn from(k: &'a KrView) -> Self {
        KrLine {
            url: &k.url,
            title: &k.title,
            score: k.score.as_deref(),
            grade: &k.grade,
            checkin: (k.checkin.as_ref()).map(|c| CheckinNote {
                note: c.note.as_deref(),
            }),
        }
    }
}

/// A learning's card on a list (the archive, tag pages, under a review): the whole
/// `<li>` that `learning.html` prints, written without Tera for a page whose way to
/// the site root is `root` (the template prints it as it is: `l.card`). A learning
/// shows on the page of each of its tags, and converting every card's fields into
/// Tera's values and looping over its tags in the template was most of those pages'
/// cost.
#[derive(Serialize)]
pub struct LearningCard {
    card: String,
}

impl LearningCard {
    pub fn new(l: &LearningView, root: &str) -> LearningCard {
        let mut card = String::new();
        write_card(&mut card, l, &escaped(root));
        LearningCard { card }
    }
}

/// The list of `learnings`' cards that `learnings.html` and `tag.html` print whole
/// (`cards`) while every template is okrsite's own, on a page whose way to the site
/// root is `root`: the bytes their loop over the learnings printed, card by card
/// (`learning.html` prints the card alone), so a page is the same either way. One
/// string per page, where a card per learning made Tera convert, include and copy
/// each of them.
pub fn card_list<'v>(learnings: impl Iterator<Item = &'v LearningView>, root: &str) -> String {
    let root = escaped(root);
    let mut list = String::new();
    for l in learnings {
        list.push_str("\n  ");
        write_card(&mut list, l, &root);
        list.push('\n');
    }
    list
}

/// `l`'s card (made once, [`card_text`]) with the escaped way to the root put in.
fn write_card(out: &mut String, l: &LearningView, root_escaped: &str) {
    let text = l.card.get_or_init(|| card_text(l));
    out.reserve(text.html.len() + text.roots.len() * root_escaped.len());
    let mut from = 0;
    for &at in &text.roots {
        out.push_str(&text.html[from..at]);
        out.push_str(root_escaped);
        from = at;
    }
    out.push_str(&text.html[from..]);
}

fn escaped(text: &str) -> String {
    let mut out = String::new();
    escape(&mut out, text);
    out
}

/// `l`'s card with the way to the root left out (at [`CardText::roots`]): the same
/// for every page but for that.
fn card_text(l: &LearningView) -> CardText {
    let tags: usize = l.tags().iter().map(|t| t.name.len() + t.url.len() + 48).sum();
    let mut out = String::with_capacity(l.html.len() + tags + 256);
    let mut roots = Vec::with_capacity(1 + l.tags().len());
    out.push_str("<li class=\"learning-item\">\n  <p class=\"learning-text\">");
    out.push_str(&l.html);
    out.push_str("</p>\n  <p class=\"meta\"><a href=\"");
    roots.push(out.len());
    escape(&mut out, &l.url);
    out.push_str("\">");
    escape(&mut out, &l.team.name);
    out.push_str(" · <span class=\"nowrap\">");
    escape(&mut out, &l.quarter.label);
    out.push_str("</span></a>");
    if let Some(date) = l.date.as_deref().filter(|d| !d.is_empty()) {
        out.push_str(" · <span class=\"nowrap\">");
        escape(&mut out, date);
        out.push_str("</span>");
    }
    for tag in l.tags() {
        out.push_str(" <a class=\"tag\" href=\"");
        roots.push(out.len());
        escape(&mut out, &tag.url);
        out.push_str("\">#");
        escape(&mut out, &tag.name);
        out.push_str("</a>");
    }
    if let Some(more) = l.tags_more.as_deref().filter(|m| !m.is_empty()) {
        out.push_str(" <span class=\"tag more\">");
        escape(&mut out, more);
        out.push_str("</span>");
    }
    out.push_str("</p>\n</li>\n");
    CardText { html: out, roots }
}

/// `text` escaped as Tera escapes what a template prints (`tera::escape_html` is this
/// escape, through a byte writer).
fn escape(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// A team-quarter as a row of its team's page: `team.html`.
#[derive(Serialize)]
pub struct TeamQuarterRow<'a> {
    quarter: Label<'a>,
    url: &'a str,
    score: Option<&'a str>,
    progress: Option<u32>,
    grade: &'a LightView,
    flags: &'a [FlagView],
    retro: Option<Title<'a>>,
    objectives: Vec<ObjectiveLine<'a>>,
}

#[derive(Serialize)]
struct Label<'a> {
    label: &'a str,
}

#[derive(Serialize)]
struct Title<'a> {
    title: &'a str,
}

impl<'a> From<&'a TeamQuarterView> for TeamQuarterRow<'a> {
    fn from(tq: &'a TeamQuarterView) -> Self {
        TeamQuarterRow {
            quarter: Label {
                label: &tq.quarter.label,
            },
            url: &tq.url,
            score: tq.score.as_deref(),
            progress: tq.progress,
            grade: &tq.grade,
            flags: &tq.flags,
            retro: (tq.retro.as_ref()).map(|r| Title { title: &r.title }),
            objectives: tq.objectives.iter().map(ObjectiveLine::from).collect(),
        }
    }
}
