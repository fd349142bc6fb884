//! A KR's view, and its trend chart for the review page.

use serde::Serialize;

use super::Views;
use super::refs::{LightView, grade, light};
use crate::insight::checkins::{SHOWN_OPEN, timeline};
use crate::model::{Checkin, KeyResult, KrData, KrId, Metric, Point, QuarterData, Unit};
use crate::render::charts::{self, Chart};
use crate::render::format;
use crate::render::urls;
use crate::score::KrScore;

#[derive(Debug, Clone, Serialize)]
pub struct CheckinView {
    pub date: String,
    /// The date in few characters (`2025/9/22`), for the printed sheet.
    pub short_date: String,
    pub status: LightView,
    pub note: Option<String>,
    /// The team's confidence as a percent ("70%").
    pub confidence: Option<String>,
    /// The KR's value on the check-in's date (timelines only).
    pub value: Option<String>,
}

/// A KR's check-ins, newest first: the newest few open, the rest folded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TimelineView {
    pub shown: Vec<CheckinView>,
    pub folded: Vec<CheckinView>,
    /// "Earlier check-ins (N)", the fold's summary.
    pub folded_label: Option<String>,
}

/// Pace and outlook of a KR of the running quarter.
#[derive(Debug, Clone, Serialize)]
pub struct OutlookView {
    pub expected: Option<String>,
    pub current: Option<String>,
    pub projected: Option<String>,
    pub projected_score: Option<String>,
    pub confidence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// `metric`, `values`, `manual` or `none`.
    pub kind: &'static str,
    pub label: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KrView {
    pub id: KrId,
    pub anchor: String,
    pub title: String,
    pub owner: Option<String>,
    pub baseline: Option<String>,
    pub current: Option<String>,
    pub target: Option<String>,
    pub score: Option<String>,
    /// 0–100, for progress bars.
    pub progress: Option<u32>,
    pub grade: LightView,
    pub status: LightView,
    pub direction: Option<String>,
    pub weight: Option<String>,
    // Boxed, as are `outlook` and `chart`: a quarter's KRs are held for the whole
    // build (29,000 at 200 teams), and these are large, rare or set only per page.
    pub checkin: Option<Box<CheckinView>>,
    /// Every check-in, newest first ([`crate::insight::checkins`]).
    pub timeline: TimelineView,
    /// While the quarter runs: pace and outlook, shown first.
    pub outlook: Option<Box<OutlookView>>,
    pub source: SourceView,
    pub latest_date: Option<String>,
    pub url: String,
    /// The trend chart, for KRs measured from data: set only on the review page, so
    /// pages that list many KRs do not carry every chart.
    pub chart: Option<Box<Chart>>,
}

impl<'a> Views<'a> {
    /// A KR's metric (if it uses one), its unit, and the points it is measured on.
    pub(super) fn kr_series<'k>(&self, kr: &'k KeyResult) -> (Option<&'a Metric>, Option<&'k Unit>, &'k [Point])
    where
        'a: 'k,
    {
        let metric = match &kr.data {
            KrData::Metric(id) => self.site.metric(id),
            _ => None,
        };
        let unit = kr.unit.as_ref().or(metric.and_then(|m| m.unit.as_ref()));
        let points: &[Point] = match (&kr.data, metric) {
            (KrData::Values(p), _) => p,
            (_, Some(m)) => &m.points,
            _ => &[],
        };
        (metric, unit, points)
    }

    /// The trend chart of a KR measured from data (drawn only for review pages and
    /// booklets), without its id: [`kr_chart_id`] gives it one for each page.
    pub fn kr_drawing(&self, q: &QuarterData, kr: &KeyResult, ks: &KrScore) -> Option<charts::KrDrawing> {
        if matches!(kr.data, KrData::None) {
            return None;
        }
        let (metric, unit, _) = self.kr_series(kr);
        let trend = crate::insight::kr_trend::kr_trend(&crate::insight::kr_trend::trend_input(self.site, q, kr));
        Some(charts::kr_drawing(
            &charts::KrChartInput {
                // The drawing does not hold its id.
                id: "",
                title: &kr.title,
                unit,
                trend: &trend,
                start: q.start,
                end: q.end,
                baseline: kr.baseline,
                target: kr.target,
                thresholds: metric.and_then(|m| Some((m.thresholds?, m.direction?))),
                checkins: &kr.checkins,
                checkins_text: self.checkins_text(q, kr),
                outlook_word: (q.status == crate::model::QuarterStatus::InProgress)
                    .then(|| self.t.get("grade_outlook")),
                current: ks.current,
                score: ks.score,
                today: self.site.today,
            },
            &self.labels,
        ))
    }

    pub(super) fn kr_view(
        &self,
        q: &QuarterData,
        source_file: &str,
        review: &str,
        objective: &str,
        kr: &KeyResult,
        ks: &KrScore,
    ) -> KrView {
        let t = self.t;
        let (metric, unit, points) = self.kr_series(kr);
        let anchor = urls::kr_anchor(objective, &kr.id);
        KrView {
            chart: None,
            id: kr.id.clone(),
            url: format!("{review}#{anchor}"),
            anchor,
            title: kr.title.clone(),
            owner: kr.owner.clone(),
            baseline: kr.baseline.map(|v| self.fmt.value(v, unit)),
            current: ks.current.map(|v| self.fmt.value(v, unit)),
            target: kr.target.map(|v| self.fmt.value(v, unit)),
            score: ks.score.map(format::score),
            progress: ks.score.map(format::percent),
            grade: grade(t, q.status, ks.grade),
            status: light(t, "status", ks.status),
            direction: direction_words(self, kr),
            weight: (kr.weight != 1.0).then(|| format::number(kr.weight)),
            checkin: (kr.checkins.last()).map(|c| Box::new(self.checkin_view(c, None, unit))),
            timeline: self.timeline_view(q, kr, unit),
            outlook: crate::insight::kr_trend::outlook(self.site, q, kr, ks.current).map(|o| {
                Box::new(OutlookView {
                    expected: o
                        .expected
                        .map(|v| self.fmt.value(format::round_significant(v, 3), unit)),
                    current: o.current.map(|v| self.fmt.value(v, unit)),
                    projected: o
                        .projected
                        .map(|v| self.fmt.value(format::round_significant(v, 3), unit)),
                    projected_score: o.projected_score.map(format::score),
                    confidence: o.confidence.map(confidence_text),
                })
            }),
            source: self.source_view(kr, metric, source_file),
            latest_date: crate::insight::series::newest_inside(points, q.start, q.end).map(|p| self.fmt.date(p.date)),
        }
    }

    /// The check-ins inside the quarter in words, oldest first, for the KR chart's summary.
    fn checkins_text(&self, q: &QuarterData, kr: &KeyResult) -> Option<String> {
        let marks: Vec<String> = (kr.checkins.iter())
            .filter(|c| c.date >= q.start && c.date <= q.end)
            .map(|c| {
                format!(
                    "{} {}",
                    self.fmt.date(c.date),
                    light(self.t, "status", Some(c.status)).label
                )
            })
            .collect();
        (!marks.is_empty()).then(|| {
            format!(
                "{}: {}",
                self.t.get("checkins_on_chart"),
                marks.join(self.t.get("list_separator"))
            )
        })
    }

    fn checkin_view(&self, c: &Checkin, value: Option<f64>, unit: Option<&Unit>) -> CheckinView {
        CheckinView {
            date: self.fmt.date(c.date),
            short_date: self.fmt.short_date(c.date),
            status: light(self.t, "status", Some(c.status)),
            note: c.note.clone(),
            confidence: c.confidence.map(confidence_text),
            value: value.map(|v| self.fmt.value(v, unit)),
        }
    }

    /// The KR's check-ins newest first, each with its value that day; past
    /// [`SHOWN_OPEN`] they fold.
    fn timeline_view(&self, q: &QuarterData, kr: &KeyResult, unit: Option<&Unit>) -> TimelineView {
        let (points, aggregate) = crate::insight::kr_trend::kr_points(self.site, kr);
        let mut all: Vec<CheckinView> = timeline(&kr.checkins, points, aggregate, q.start, q.end)
            .into_iter()
            .map(|e| self.checkin_view(e.checkin, e.value, unit))
            .collect();
        let folded = all.split_off(all.len().min(SHOWN_OPEN));
        TimelineView {
            shown: all,
            folded_label: (!folded.is_empty()).then(|| self.t.count("checkins_older", folded.len())),
            folded,
        }
    }

    /// Where a KR's numbers come from, for its source line.
    fn source_view(&self, kr: &KeyResult, metric: Option<&Metric>, source_file: &str) -> SourceView {
        let t = self.t;
        match (&kr.data, metric) {
            (KrData::Metric(_), Some(m)) => SourceView {
                kind: "metric",
                label: m.name.clone(),
                url: Some(urls::metric(&m.id)),
            },
            (KrData::Values(_), _) => SourceView {
                kind: "values",
                label: source_file.to_string(),
                url: None,
            },
            _ if kr.manual_score.is_some() => SourceView {
                kind: "manual",
                label: source_file.to_string(),
                url: None,
            },
            _ => SourceView {
                kind: "none",
                label: t.get("source_none").to_string(),
                url: None,
            },
        }
    }
}

/// The id of the trend chart of the KR whose anchor is `kr_anchor`
/// ([`urls::kr_anchor`]) on a page whose ids start with `id_prefix` (a quarter's
/// booklet holds many teams' charts).
pub fn kr_chart_id(id_prefix: &str, kr_anchor: &str) -> String {
    format!("{id_prefix}chart-{kr_anchor}")
}

/// A confidence (0–1) as a percent.
fn confidence_text(c: f64) -> String {
    format!("{}%", format::percent(c))
}

/// Which way a KR's numbers should go, in words, from its baseline and target.
fn direction_words(v: &Views<'_>, kr: &KeyResult) -> Option<String> {
    let t = v.t;
    match (kr.baseline, kr.target) {
        (Some(b), Some(tg)) if tg < b => Some(t.get("lower_is_better").to_string()),
        (Some(_), Some(_)) => Some(t.get("higher_is_better").to_string()),
        _ => None,
    }
}
