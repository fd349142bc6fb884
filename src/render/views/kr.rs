//! A KR's view, and its trend chart for the review page.

use serde::Serialize;

use super::Views;
use super::refs::{LightView, grade, light};
use crate::model::{Aggregate, KeyResult, KrData, KrId, Metric, Point, QuarterData, QuarterStatus};
use crate::render::charts::{self, Chart};
use crate::render::format;
use crate::render::urls;
use crate::score::KrScore;

#[derive(Debug, Clone, Serialize)]
pub struct CheckinView {
    pub date: String,
    pub status: LightView,
    pub note: Option<String>,
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
    pub checkin: Option<CheckinView>,
    pub source: SourceView,
    pub latest_date: Option<String>,
    pub url: String,
    /// The trend chart, for KRs measured from data: set only on the review page, so
    /// pages that list many KRs do not carry every chart.
    pub chart: Option<Chart>,
}

impl<'a> Views<'a> {
    /// A KR's metric (if it uses one), its unit, and the points it is measured on.
    fn kr_series<'k>(&self, kr: &'k KeyResult) -> (Option<&'a Metric>, Option<&'k str>, &'k [Point])
    where
        'a: 'k,
    {
        let metric = match &kr.data {
            KrData::Metric(id) => self.site.metric(id),
            _ => None,
        };
        let unit = kr.unit.as_deref().or(metric.and_then(|m| m.unit.as_deref()));
        let points: &[Point] = match (&kr.data, metric) {
            (KrData::Values(p), _) => p,
            (_, Some(m)) => &m.points,
            _ => &[],
        };
        (metric, unit, points)
    }

    /// The trend chart of a KR measured from data (drawn only for its review page).
    pub fn kr_chart(&self, q: &QuarterData, objective: &str, kr: &KeyResult, ks: &KrScore) -> Option<Chart> {
        if matches!(kr.data, KrData::None) {
            return None;
        }
        let (metric, unit, points) = self.kr_series(kr);
        let id = format!("chart-{}", urls::kr_anchor(objective, &kr.id));
        let trend = crate::insight::kr_trend::kr_trend(&crate::insight::kr_trend::TrendInput {
            points,
            aggregate: metric.map_or(Aggregate::Last, |m| m.aggregate),
            start: q.start,
            end: q.end,
            baseline: kr.baseline,
            target: kr.target,
            in_progress: q.status == QuarterStatus::InProgress,
        });
        Some(charts::kr_chart(
            &charts::KrChartInput {
                id: &id,
                title: &kr.title,
                unit,
                trend: &trend,
                start: q.start,
                end: q.end,
                baseline: kr.baseline,
                target: kr.target,
                thresholds: metric.and_then(|m| Some((m.thresholds?, m.direction?))),
                checkins: &kr.checkins,
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
            baseline: kr.baseline.map(|v| format::with_unit(v, unit)),
            current: ks.current.map(|v| format::with_unit(v, unit)),
            target: kr.target.map(|v| format::with_unit(v, unit)),
            score: ks.score.map(format::score),
            progress: ks.score.map(format::percent),
            grade: grade(t, q.status, ks.grade),
            status: light(t, "status", ks.status),
            direction: direction_words(self, kr),
            weight: (kr.weight != 1.0).then(|| format::number(kr.weight)),
            checkin: kr.checkins.last().map(|c| CheckinView {
                date: self.fmt.date(c.date),
                status: light(t, "status", Some(c.status)),
                note: c.note.clone(),
            }),
            source: self.source_view(kr, metric, source_file),
            latest_date: crate::insight::series::newest_inside(points, q.start, q.end).map(|p| self.fmt.date(p.date)),
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

/// Which way a KR's numbers should go, in words, from its baseline and target.
fn direction_words(v: &Views<'_>, kr: &KeyResult) -> Option<String> {
    let t = v.t;
    match (kr.baseline, kr.target) {
        (Some(b), Some(tg)) if tg < b => Some(t.get("lower_is_better").to_string()),
        (Some(_), Some(_)) => Some(t.get("higher_is_better").to_string()),
        _ => None,
    }
}
