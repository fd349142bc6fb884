//! Validation and resolution: raw files → the [`Site`] model.
//!
//! Every rule of the content format that spans more than one value lives here:
//! slugs, duplicates, references between files, series checks, and the
//! warnings. Every problem is collected; the site is returned only when there
//! is no error. One module per thing resolved: [`teams`], [`metrics`] (and
//! series), [`okrs`] (objectives and key results), [`alignment`], [`retros`];
//! [`report`] collects the diagnostics, [`ids`] holds the slug rule.

mod alignment;
mod ids;
mod metrics;
mod okrs;
mod placeholders;
mod report;
mod retros;
mod review;
mod series;
mod teams;

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::load::LoadedContent;
use super::raw::MaybeUnpublished;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{Quarter, QuarterData, QuarterStatus, Site, TeamQuarter};
use report::Reporter;

pub use ids::{MAX_ID_LEN, is_slug};
pub use okrs::OUTDATED_AFTER_DAYS;
pub(crate) use retros::resolve_retro;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Include drafts and private files.
    pub drafts: bool,
    pub today: Date,
}

impl Options {
    /// Whether `file` is part of the site: a draft or private file only with `--drafts`.
    /// The one draft/private filter.
    pub fn publishes(&self, file: &impl MaybeUnpublished) -> bool {
        !file.is_unpublished() || self.drafts
    }
}

/// Each quarter's teams with OKRs or a retrospective, by the team's place in teams.yaml.
type TeamQuarters = BTreeMap<Quarter, BTreeMap<usize, TeamQuarter>>;

/// Resolves the loaded content, a named step at a time; the diagnostics are in the
/// order the steps report them.
pub fn resolve(config: Config, content: &LoadedContent, opts: Options) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diagnostics = content.diagnostics.clone();
    let mut r = Reporter::new(&mut diagnostics);
    let teams = teams::resolve_teams_file(content, &mut r);
    let metrics = metrics::resolve_metrics(content, opts, &mut r);
    // The OKRs (serial: diagnostics in file order) alongside the retrospectives'
    // Markdown (parallel); their placeholders are checked against the OKRs after.
    let (mut quarters, prepared) = rayon::join(
        || {
            let quarters = okrs::resolve_okr_files(content, &config, opts, &teams, &metrics, &mut r);
            let cycles = super::cycles::alignment_cycles(content, &mut |l, at| r.locate(l, at));
            r.diagnostics.extend(cycles);
            quarters
        },
        || retros::prepare_retrospectives(content, &config, opts, &teams),
    );
    retros::add_retrospectives(content, &config, opts, &teams, prepared, &mut quarters, &mut r);
    let quarters = quarter_data(quarters, config.fiscal_year_start_month, opts.today);

    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let site = (!failed).then(|| Site::new(config, opts.today, teams.teams, metrics.metrics, quarters));
    (site, diagnostics)
}

/// The quarters in order, each with its dates and status.
fn quarter_data(quarters: TeamQuarters, fiscal_year_start_month: i8, today: Date) -> Vec<QuarterData> {
    quarters
        .into_iter()
        .map(|(quarter, teams)| {
            let (start, end) = quarter.bounds(fiscal_year_start_month);
            QuarterData {
                quarter,
                start,
                end,
                status: QuarterStatus::of(start, end, today),
                teams: teams.into_values().collect(),
            }
        })
        .collect()
}
