//! `okrsite checkin --due`: the KRs of the running quarter whose weekly check-in is
//! due, by team, for the weekly meeting.
//!
//! A KR is due when it has no check-in dated within the last [`WEEK_DAYS`] days,
//! today included (from today − 6 to today): a check-in made on the same weekday
//! last week no longer counts, so a meeting held every Monday lists the KRs not
//! yet checked in that week. Check-ins dated after today do not count either.

use jiff::civil::Date;

use crate::domain::{Light, Quarter};
use crate::messages::Message;
use crate::model::{QuarterStatus, Site};
use crate::msg;

/// How many days, today included, a check-in counts as this week's.
pub const WEEK_DAYS: i64 = 7;

/// The KRs due in the running quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct DueList {
    pub quarter: Quarter,
    pub today: Date,
    /// Teams with a KR due, in the quarter's order (teams.yaml).
    pub teams: Vec<DueTeam>,
    /// Every KR of the quarter, due or not.
    pub krs: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DueTeam {
    pub id: String,
    pub name: String,
    pub krs: Vec<DueKr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DueKr {
    /// `OBJECTIVE/KR`, as `okrsite checkin` takes it.
    pub kr_ref: String,
    pub title: String,
    /// The KR's owner, else its objective's.
    pub owner: Option<String>,
    /// The newest check-in on or before today: its date and status.
    pub last: Option<(Date, Light)>,
}

/// The KRs of the quarter running on `today` whose check-in is due; `None` when no
/// quarter is running.
pub fn due(site: &Site, today: Date) -> Option<DueList> {
    let q = site.quarters.iter().find(|q| q.status == QuarterStatus::InProgress)?;
    let mut krs = 0;
    let teams = (q.teams.iter())
        .filter_map(|tq| {
            let objectives = tq.okrs.iter().flat_map(|o| o.objectives.iter());
            let due_krs: Vec<DueKr> = objectives
                .flat_map(|o| o.key_results.iter().map(move |kr| (o, kr)))
                .inspect(|_| krs += 1)
                .filter_map(|(o, kr)| {
                    let last = (kr.checkins.iter().rev())
                        .find(|c| c.date <= today)
                        .map(|c| (c.date, c.status));
                    let this_week = last.is_some_and(|(date, _)| (today - date).get_days() < WEEK_DAYS as i32);
                    (!this_week).then(|| DueKr {
                        kr_ref: format!("{}/{}", o.id, kr.id),
                        title: kr.title.clone(),
                        owner: kr.owner.clone().or_else(|| o.owner.clone()),
                        last,
                    })
                })
                .collect();
            (!due_krs.is_empty()).then(|| DueTeam {
                id: tq.team.to_string(),
                name: site
                    .team(&tq.team)
                    .map_or_else(|| tq.team.to_string(), |t| t.name.clone()),
                krs: due_krs,
            })
        })
        .collect();
    Some(DueList {
        quarter: q.quarter,
        today,
        teams,
        krs,
    })
}

/// The list in words, a line each: a heading, then each team and its KRs due
/// (`OBJECTIVE/KR`, title, owner, the last check-in).
pub fn due_lines(site: &Site, today: Date) -> Vec<Message> {
    let date = today.to_string();
    let Some(list) = due(site, today) else {
        return vec![msg!("due.none_running", date = date.as_str())];
    };
    let quarter = list.quarter.to_string();
    let n: usize = list.teams.iter().map(|t| t.krs.len()).sum();
    if n == 0 {
        return vec![msg!(
            "due.all_done",
            quarter = quarter.as_str(),
            date = date.as_str(),
            n = list.krs
        )];
    }
    let mut lines = vec![msg!(
        "due.heading",
        quarter = quarter.as_str(),
        date = date.as_str(),
        n = n
    )];
    for team in &list.teams {
        lines.push(msg!("due.team", name = team.name.as_str(), id = team.id.as_str()));
        for kr in &team.krs {
            let last = match kr.last {
                Some((date, status)) => msg!("due.last", date = date.to_string(), status = super::status_word(status)),
                None => msg!("due.never"),
            };
            let owner = match &kr.owner {
                Some(owner) => msg!("due.owner", owner = owner.as_str()),
                None => Message::verbatim(""),
            };
            lines.push(msg!(
                "due.kr",
                kr = kr.kr_ref.as_str(),
                title = kr.title.as_str(),
                owner = owner,
                last = last
            ));
        }
    }
    lines
}
