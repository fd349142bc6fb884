//! A team-quarter's sheet as the built-in `review-sheet.html` (with the `flags.html`,
//! `bar.html`, `checkins.html`, `checkin.html` and `chart.html` it includes) prints
//! it, written without Tera. Each sheet shows twice, on its review page and in its
//! quarter's booklet, and interpreting the template for every objective, KR and
//! check-in was about half of Tera's time in a full build. okrsite writes the sheet
//! itself only while every template is its own ([`Theme::writes_sheets`]): the
//! template then prints the sheet's marker (`review.sheet`) and the page gets the
//! sheet spliced in ([`super::fragments`]). A site with its own copy of any template
//! gets the template interpreted, as before; `it::review` builds the fixture both
//! ways and compares every page byte for byte.
//!
//! [`Theme::writes_sheets`]: crate::render::theme::Theme::writes_sheets

use super::fragments::Fragment;
use super::review::SheetParts;
use crate::render::charts::Chart;
use crate::render::strings::Strings;
use crate::render::views::{CheckinView, FlagView, KrView, LightView, ObjectiveView, TeamQuarterView};

/// What a sheet's text depends on besides its team-quarter: the page showing it.
pub struct SheetPage<'a> {
    pub strings: &'a Strings,
    /// The page's way to the site root (`{{ root }}`).
    pub root: &'a str,
    /// Put in front of every id of the sheet (`{{ idp }}`): empty on the review
    /// page, the team's in a booklet.
    pub idp: &'a str,
    /// The day the page says it stands as of (`{{ as_of }}`), on a running quarter's pages.
    pub as_of: Option<&'a str>,
    /// The objective scores' chart, whole ([`super::figure::whole`]): the review page's.
    pub overview: Option<&'a Chart>,
    /// A booklet's sheet, whose KR charts are what prints (`booklet` in `chart.html`).
    pub booklet: bool,
}

impl<'a> SheetPage<'a> {
    pub fn new(
        strings: &'a Strings,
        as_of: Option<&'a str>,
        root: &'a str,
        idp: &'a str,
        overview: Option<&'a Chart>,
    ) -> SheetPage<'a> {
        SheetPage {
            strings,
            root,
            idp,
            as_of,
            overview,
            booklet: false,
        }
    }

    /// A sheet of a booklet page: no objective scores' chart, KR charts as they print.
    pub fn booklet(strings: &'a Strings, as_of: Option<&'a str>, root: &'a str, idp: &'a str) -> SheetPage<'a> {
        SheetPage {
            booklet: true,
            ..SheetPage::new(strings, as_of, root, idp, None)
        }
    }
}

/// Appends the sheet of `view`, its charts and retrospective's body from `parts`.
pub fn write_sheet(view: &TeamQuarterView, parts: &SheetParts, page: &SheetPage<'_>, out: &mut Vec<u8>) {
    let mut w = Writer { out, page };
    w.head(view);
    w.objectives(view, parts);
    w.not_doing(view);
    w.retrospective(view, parts);
}

struct Writer<'o, 'p> {
    out: &'o mut Vec<u8>,
    page: &'p SheetPage<'p>,
}

/// Whether Tera reads an optional text as true: present and not empty.
fn some(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|s| !s.is_empty())
}

impl Writer<'_, '_> {
    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// `text` escaped as Tera escapes what a template prints.
    fn text(&mut self, text: &str) {
        // Writing into a Vec cannot fail.
        let _ = tera::escape_html(text, self.out);
    }

    /// `{{ t.<key> }}`.
    fn t(&mut self, key: &str) {
        let strings = self.page.strings;
        match strings.get_escaped(key) {
            Some(escaped) => self.raw(escaped),
            None => self.text(strings.get(key)),
        }
    }

    fn idp(&mut self) {
        let idp = self.page.idp;
        self.text(idp);
    }

    fn root(&mut self) {
        let root = self.page.root;
        self.text(root);
    }

    fn head(&mut self, r: &TeamQuarterView) {
        self.raw("<header class=\"review-head\">\n  <h1>");
        self.text(&r.team.name);
        self.raw(" <span class=\"sub nowrap\">");
        self.text(&r.quarter.label);
        self.raw("</span></h1>\n  <p class=\"lead\"><span class=\"nowrap\">");
        self.text(&r.quarter.period);
        self.raw("</span> · <span class=\"badge ");
        self.text(r.quarter.status.key);
        self.raw("\">");
        self.text(&r.quarter.status.label);
        self.raw("</span>\n  ");
        if let Some(score) = some(&r.score) {
            self.raw(" · ");
            self.t("score");
            self.raw(" <span class=\"score big\">");
            self.text(score);
            self.raw("</span>");
        }
        self.raw(" <span class=\"badge ");
        self.text(r.grade.key);
        self.raw("\">");
        self.text(&r.grade.label);
        self.raw("</span>");
        if let Some(as_of) = self.page.as_of.filter(|d| !d.is_empty()) {
            self.raw("<span class=\"print-only\">&nbsp;·</span> <span class=\"print-only as-of\">");
            let words = self.page.strings.format("as_of", &[("date", as_of)]);
            self.text(&words);
            self.raw("</span>");
        }
        self.raw("</p>\n  ");
        if r.grade.key == "outlook" {
            self.raw("<p class=\"muted outlook-note\">");
            self.t("outlook_note");
            self.raw("</p>");
        }
        self.raw("\n  ");
        self.flags(&r.flags);
        self.raw("\n</header>\n\n");
    }

    /// `flags.html`, with no quarter's label.
    fn flags(&mut self, flags: &[FlagView]) {
        if !flags.is_empty() {
            self.raw("\n<div class=\"callout flags\" role=\"note\">\n");
            for f in flags {
                self.raw("<p><strong>");
                self.text(&f.label);
                self.raw("</strong>: ");
                self.text(&f.note);
                self.raw("</p>");
            }
            self.raw("\n</div>\n");
        }
        self.raw("\n");
    }

    fn objectives(&mut self, r: &TeamQuarterView, parts: &SheetParts) {
        self.raw("<section id=\"");
        self.idp();
        self.raw("objectives\" aria-labelledby=\"");
        self.idp();
        self.raw("objectives-title\" class=\"sheet-okrs\">\n  <h2 id=\"");
        self.idp();
        self.raw("objectives-title\">");
        self.t("objectives");
        self.raw("</h2>\n  ");
        if !r.has_okrs {
            self.raw("<p class=\"muted\">");
            self.t("no_okrs");
            self.raw("</p>");
        }
        self.raw("\n  ");
        let any = !r.objectives.is_empty();
        if any {
            self.printed_list(&r.objectives);
        }
        self.raw("\n  ");
        if any {
            self.raw("<h2 class=\"print-only sheet-krs\">");
            self.t("key_results");
            self.raw(" <span class=\"sheet-legend\">");
            self.t("sheet_kr_legend");
            self.raw("</span></h2>");
        }
        self.raw("\n  ");
        if let Some(chart) = self.page.overview {
            self.raw("<div class=\"overview\">");
            self.raw(&chart.figure);
            self.raw("</div>");
        }
        self.raw("\n  ");
        if any {
            self.raw("<p class=\"chart-legend muted\">");
            self.t("chart_legend");
            self.raw("</p>");
        }
        self.raw("\n  ");
        let mut k = 0;
        for (i, o) in r.objectives.iter().enumerate() {
            self.objective(i + 1, o, parts, &mut k);
        }
        self.raw("\n</section>\n\n");
    }

    /// The objectives' list the printed sheet shows on top.
    fn printed_list(&mut self, objectives: &[ObjectiveView]) {
        self.raw("<ol class=\"sheet-objectives print-only\">\n  ");
        for (i, o) in objectives.iter().enumerate() {
            self.raw("\n    <li><span class=\"sheet-ref\">O");
            self.raw(&(i + 1).to_string());
            self.raw("</span> <span class=\"sheet-title\">");
            self.text(&o.title);
            self.raw("</span>\n      <span class=\"scoreline\">");
            self.score(&o.score);
            self.badge(&o.grade);
            self.raw("</span></li>\n  ");
        }
        self.raw("\n  </ol>\n  ");
    }

    /// `<span class="score">…</span> ` when there is a score.
    fn score(&mut self, score: &Option<String>) {
        if let Some(s) = some(score) {
            self.raw("<span class=\"score\">");
            self.text(s);
            self.raw("</span> ");
        }
    }

    fn badge(&mut self, badge: &LightView) {
        self.raw("<span class=\"badge ");
        self.text(badge.key);
        self.raw("\">");
        self.text(&badge.label);
        self.raw("</span>");
    }

    /// `bar.html`.
    fn bar(&mut self, grade_key: &str, progress: u32) {
        self.raw("<span class=\"bar ");
        self.text(grade_key);
        self.raw("\" aria-hidden=\"true\"><svg viewBox=\"0 0 100 1\" preserveAspectRatio=\"none\" focusable=\"false\"><rect width=\"");
        self.raw(&progress.to_string());
        self.raw("\" height=\"1\"/></svg></span>\n");
    }

    /// A link `<a href="{{ root }}url">label</a>`.
    fn link(&mut self, url: &str, label: &str) {
        self.raw("<a href=\"");
        self.root();
        self.text(url);
        self.raw("\">");
        self.text(label);
        self.raw("</a>");
    }

    /// One objective, `oi` its number; `k` counts the team-quarter's KRs.
    fn objective(&mut self, oi: usize, o: &ObjectiveView, parts: &SheetParts, k: &mut usize) {
        self.raw("\n  <article class=\"objective\" id=\"");
        self.idp();
        self.text(&o.anchor);
        self.raw("\">\n    <header class=\"objective-head\">\n      <h3>");
        self.text(&o.title);
        self.raw("</h3>\n      <p class=\"scoreline\">");
        self.score(&o.score);
        self.badge(&o.grade);
        self.raw("\n      ");
        if let Some(progress) = o.progress {
            self.bar(o.grade.key, progress);
        }
        self.raw("</p>\n      <p class=\"meta\">");
        if let Some(owner) = some(&o.owner) {
            self.t("owner");
            self.raw(": ");
            self.text(owner);
        }
        if let Some(to) = &o.aligns_to {
            if some(&o.owner).is_some() {
                self.raw(" · ");
            }
            self.t("aligns_to");
            self.raw(": ");
            self.link(&to.url, &to.label);
        }
        self.raw("</p>\n    </header>\n    <div class=\"krs\">\n    ");
        for kr in &o.key_results {
            self.kr(oi, kr, parts, *k);
            *k += 1;
        }
        self.raw("\n    </div>\n    ");
        if !o.initiatives.is_empty() {
            self.raw("\n    <h4 class=\"minor plan\">");
            self.t("initiatives");
            self.raw("</h4>\n    <ul class=\"initiatives plan\">");
            for i in &o.initiatives {
                self.raw("<li>");
                self.text(i);
                self.raw("</li>");
            }
            self.raw("</ul>\n    ");
        }
        self.raw("\n    ");
        if !o.supporters.is_empty() {
            self.raw("\n    <h4 class=\"minor plan\">");
            self.t("supported_by");
            self.raw("</h4>\n    <ul class=\"plan\">");
            for s in &o.supporters {
                self.raw("<li>");
                self.link(&s.url, &s.label);
                self.raw("</li>");
            }
            self.raw("</ul>\n    ");
        }
        self.raw("\n  </article>\n  ");
    }

    /// KR number `k` of the team-quarter, of objective number `oi`.
    fn kr(&mut self, oi: usize, kr: &KrView, parts: &SheetParts, k: usize) {
        let chart = parts.has_chart(k);
        self.raw("\n      <section class=\"kr");
        if chart {
            self.raw(" with-chart");
        }
        self.raw("\" id=\"");
        self.idp();
        self.text(&kr.anchor);
        self.raw("\" aria-labelledby=\"");
        self.idp();
        self.text(&kr.anchor);
        self.raw("-title\">\n        <div class=\"kr-info\">\n        <h4 id=\"");
        self.idp();
        self.text(&kr.anchor);
        self.raw("-title\"><span class=\"sheet-ref print-only\">O");
        self.raw(&oi.to_string());
        self.raw("</span> ");
        self.text(&kr.title);
        self.raw("</h4>\n        ");
        self.outlook(kr);
        self.raw("\n        ");
        self.numbers(kr);
        self.raw("\n        <p class=\"scoreline\"><span class=\"label\">");
        self.t("score");
        self.raw("</span> ");
        match some(&kr.score) {
            Some(s) => {
                self.raw("<span class=\"score\">");
                self.text(s);
                self.raw("</span>");
            }
            None => {
                self.raw("<span class=\"muted\">");
                self.t("no_score");
                self.raw("</span>");
            }
        }
        self.raw("\n          ");
        self.badge(&kr.grade);
        self.raw("\n          ");
        if kr.status.key != "none" {
            self.raw("<span class=\"status\"><span class=\"label\">");
            self.t("status");
            self.raw(":</span> ");
            self.badge(&kr.status);
            self.raw("</span>");
        }
        self.raw("\n          ");
        if let Some(progress) = kr.progress {
            self.bar(kr.grade.key, progress);
        }
        self.raw("</p>\n        ");
        self.checkins(kr);
        self.raw("\n        ");
        self.provenance(kr);
        self.raw("\n        </div>\n        ");
        if chart {
            let (f, idp, root) = (Fragment::Figure(k), self.page.idp, self.page.root);
            match self.page.booklet {
                true => parts.write_booklet_fragment(f, idp, root, self.out),
                false => parts.write_fragment(f, idp, root, self.out),
            }
        }
        self.raw("\n      </section>\n    ");
    }

    fn outlook(&mut self, kr: &KrView) {
        let Some(o) = &kr.outlook else {
            return;
        };
        self.raw("\n        <h5 class=\"minor outlook-title\">");
        self.t("outlook_title");
        self.raw("</h5>\n        <dl class=\"numbers outlook\">\n          <div><dt>");
        self.t("outlook_expected");
        self.raw("</dt><dd>");
        self.or_dash(&o.expected);
        self.raw("</dd></div>\n          <div class=\"outlook-current\"><dt>");
        self.t("outlook_current");
        self.raw("</dt><dd class=\"current\">");
        self.or_no_data(&o.current);
        self.raw("</dd></div>\n          <div><dt>");
        self.t("outlook_projected_score");
        self.raw("</dt><dd>");
        match some(&o.projected_score) {
            Some(s) => {
                self.text(s);
                if let Some(p) = some(&o.projected) {
                    self.raw(" <span class=\"muted\">(");
                    self.text(p);
                    self.raw(")</span>");
                }
            }
            None => self.raw("—"),
        }
        self.raw("</dd></div>\n          <div class=\"outlook-confidence\"><dt>");
        self.t("outlook_confidence");
        self.raw("</dt><dd>");
        self.or_dash(&o.confidence);
        self.raw("</dd></div>\n        </dl>\n        ");
    }

    fn or_dash(&mut self, text: &Option<String>) {
        match some(text) {
            Some(s) => self.text(s),
            None => self.raw("—"),
        }
    }

    fn or_no_data(&mut self, text: &Option<String>) {
        match some(text) {
            Some(s) => self.text(s),
            None => self.t("no_data"),
        }
    }

    fn numbers(&mut self, kr: &KrView) {
        if some(&kr.baseline).is_none() && some(&kr.target).is_none() {
            return;
        }
        self.raw("\n        <dl class=\"numbers\">\n          <div><dt>");
        self.t("baseline");
        self.raw("</dt><dd>");
        self.or_dash(&kr.baseline);
        self.raw("</dd></div>\n          <div><dt>");
        self.t("current");
        self.raw("</dt><dd class=\"current\">");
        self.or_no_data(&kr.current);
        self.raw("</dd></div>\n          <div><dt>");
        self.t("target");
        self.raw("</dt><dd>");
        self.or_dash(&kr.target);
        self.raw("</dd></div>\n        </dl>\n        ");
    }

    /// `checkins.html`.
    fn checkins(&mut self, kr: &KrView) {
        let timeline = &kr.timeline;
        if !timeline.shown.is_empty() {
            self.raw("\n<div class=\"checkins\">\n<h5 class=\"minor\">");
            self.t("checkins_title");
            self.raw("</h5>\n<ol class=\"timeline\">");
            for c in &timeline.shown {
                self.checkin(c);
            }
            self.raw("</ol>\n");
            if !timeline.folded.is_empty() {
                self.raw("\n<details class=\"timeline-older\"><summary>");
                self.text(timeline.folded_label.as_deref().unwrap_or(""));
                self.raw("</summary>\n<ol class=\"timeline\">");
                for c in &timeline.folded {
                    self.checkin(c);
                }
                self.raw("</ol>\n</details>\n");
            }
            self.raw("\n</div>\n");
        }
        self.raw("\n");
    }

    /// `checkin.html`.
    fn checkin(&mut self, c: &CheckinView) {
        self.raw("<li><span class=\"checkin-date\">");
        self.text(&c.date);
        self.raw("</span><span class=\"checkin-short-date print-only\">");
        self.text(&c.short_date);
        self.raw("</span> ");
        self.badge(&c.status);
        if let Some(confidence) = some(&c.confidence) {
            self.raw(" <span class=\"checkin-fact\">");
            self.t("confidence");
            self.raw(" ");
            self.text(confidence);
            self.raw("</span>");
        }
        if let Some(value) = some(&c.value) {
            self.raw(" <span class=\"checkin-fact checkin-value\">");
            self.t("value_that_day");
            self.raw(" ");
            self.text(value);
            self.raw("</span>");
        }
        if let Some(note) = some(&c.note) {
            self.raw("<br><span class=\"checkin-note\">");
            self.text(note);
            self.raw("</span>");
        }
        self.raw("</li>\n");
    }

    fn provenance(&mut self, kr: &KrView) {
        self.raw("<p class=\"provenance\">\n          <span class=\"source\">");
        let source = &kr.source;
        match source.kind {
            "metric" => {
                self.t("source_metric");
                self.raw(" ");
                self.link(source.url.as_deref().unwrap_or(""), &source.label);
            }
            "values" | "manual" => {
                self.t(if source.kind == "values" {
                    "source_values"
                } else {
                    "source_manual"
                });
                self.raw(" <code>");
                self.text(&source.label);
                self.raw("</code>");
            }
            _ => self.text(&source.label),
        }
        self.raw("\n          ");
        if let Some(date) = some(&kr.latest_date) {
            self.raw(" · ");
            self.t("latest_data");
            self.raw(": <span class=\"nowrap\">");
            self.text(date);
            self.raw("</span>");
        }
        self.raw("\n          ");
        if let Some(direction) = some(&kr.direction) {
            self.raw(" · ");
            self.text(direction);
        }
        self.raw("\n          ");
        if let Some(weight) = some(&kr.weight) {
            self.raw(" · ");
            self.t("weight");
            self.raw(" ");
            self.text(weight);
        }
        self.raw("</span>\n          ");
        if let Some(owner) = some(&kr.owner) {
            self.raw("<span class=\"kr-owner\"><span class=\"source\"> · </span>");
            self.t("owner");
            self.raw(": ");
            self.text(owner);
            self.raw("</span>");
        }
        self.raw("\n        </p>");
    }

    fn not_doing(&mut self, r: &TeamQuarterView) {
        if !r.not_doing.is_empty() {
            self.raw("\n<section id=\"");
            self.idp();
            self.raw("not-doing\" aria-labelledby=\"");
            self.idp();
            self.raw("not-doing-title\" class=\"not-doing\">\n  <h2 id=\"");
            self.idp();
            self.raw("not-doing-title\">");
            self.t("not_doing");
            self.raw("</h2>\n  <ul>");
            for n in &r.not_doing {
                self.raw("<li>");
                self.text(n);
                self.raw("</li>");
            }
            self.raw("</ul>\n</section>\n");
        }
        self.raw("\n\n");
    }

    fn retrospective(&mut self, r: &TeamQuarterView, parts: &SheetParts) {
        self.raw("<section id=\"");
        self.idp();
        self.raw("retrospective\" aria-labelledby=\"");
        self.idp();
        self.raw("retrospective-title\" class=\"retrospective\">\n  ");
        match &r.retro {
            Some(retro) => {
                self.raw("\n  <h2 id=\"");
                self.idp();
                self.raw("retrospective-title\">");
                self.text(&retro.title);
                self.raw("</h2>\n  <p class=\"meta\">");
                if let Some(date) = some(&retro.date) {
                    self.raw("<span class=\"nowrap\">");
                    self.text(date);
                    self.raw("</span>");
                }
                if !retro.authors.is_empty() {
                    let names = retro.authors.join(self.page.strings.get("list_separator"));
                    let words = self.page.strings.format("authors", &[("names", &names)]);
                    self.raw(" · ");
                    self.text(&words);
                }
                for tag in &retro.tags {
                    self.raw(" <a class=\"tag\" href=\"");
                    self.root();
                    self.text(&tag.url);
                    self.raw("\">#");
                    self.text(&tag.name);
                    self.raw("</a>");
                }
                if let Some(more) = some(&retro.tags_more) {
                    self.raw(" <span class=\"tag more\">");
                    self.text(more);
                    self.raw("</span>");
                }
                self.raw("</p>\n  <div class=\"prose\">\n");
                if !parts.write_retro(self.page.idp, self.page.root, self.out) {
                    self.raw(&retro.html);
                }
                self.raw("\n  </div>\n  ");
            }
            None => {
                self.raw("\n  <h2 id=\"");
                self.idp();
                self.raw("retrospective-title\">");
                self.t("retrospective");
                self.raw("</h2>\n  <p class=\"muted\">");
                self.t("review_not_written");
                self.raw("</p>\n  ");
            }
        }
        self.raw("\n</section>\n");
    }
}
