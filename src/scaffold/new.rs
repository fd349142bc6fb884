//! `new`: the next quarter's files for a team, bridged from its previous quarter.

use std::fmt::Write as _;
use std::path::{Component, Path};

use jiff::civil::Date;

use super::bridge::{CarriedSection, carried_sections, markdown_text};
use super::{ScaffoldError, is_line_break, push_comment, to_yaml, write_new, yaml_number};
use crate::build;
use crate::config::{Config, Language};
use crate::model::{KeyResult, KrData, Quarter, QuarterStatus, Site, Team, TeamQuarter};
use crate::render::format;
use crate::score::{self, KrScore, SiteScores, TeamScore};

/// Writes `content/<quarter>/<team>.yaml` and a retrospective skeleton (a draft until
/// written), prefilled from the team's previous quarter: each earlier KR as a
/// commented-out candidate with its score and grade (an outlook while that quarter
/// runs), the not-doing list, and what its review decided and left open.
/// Every value from the content is written by a serializer (YAML, or Markdown text),
/// and every line of a commented-out block starts with `#`, whatever the value holds.
pub fn new_quarter(root: &Path, quarter: &str, team: &str, today: Date) -> Result<Vec<String>, ScaffoldError> {
    let q = Quarter::parse(quarter).ok_or_else(|| ScaffoldError::NotAQuarter(quarter.to_string()))?;
    let checked = build::check(root, true, today);
    let Some(site) = checked.site else {
        return Err(ScaffoldError::SiteHasErrors);
    };
    let team_ref = site.team(team).ok_or_else(|| ScaffoldError::UnknownTeam {
        team: team.to_string(),
        known: site.teams.iter().map(|t| t.id.to_string()).collect(),
    })?;
    let mut file_name = Path::new(team).components();
    if !matches!((file_name.next(), file_name.next()), (Some(Component::Normal(_)), None)) {
        return Err(ScaffoldError::NotAFileName(team.to_string()));
    }
    let scores = score::score_site(&site);
    let previous = Previous::find(&site, &scores, q.previous(), team_ref);
    let carried = previous
        .as_ref()
        .map(|p| carried_sections(&site, &scores, p.at))
        .unwrap_or_default();
    let words = Words::of(site.config.language);
    let yaml = okrs_skeleton(q, team_ref, previous.as_ref(), &carried, &words)?;
    let md = retrospective_skeleton(&site.config, q.previous(), &carried, &words)?;
    let files = vec![
        (format!("content/{q}/{team}.yaml"), yaml),
        (format!("content/{q}/{team}.md"), md),
    ];
    write_new(root, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The team's previous quarter, if it has one.
struct Previous<'a> {
    quarter: Quarter,
    /// Its place in the site: `(quarter, team-quarter)`.
    at: (usize, usize),
    data: &'a TeamQuarter,
    scores: &'a TeamScore,
    /// Still running: its scores are an outlook, not final.
    running: bool,
}

impl<'a> Previous<'a> {
    fn find(site: &'a Site, scores: &'a SiteScores, quarter: Quarter, team: &Team) -> Option<Previous<'a>> {
        let qi = site.quarters.iter().position(|d| d.quarter == quarter)?;
        let d = &site.quarters[qi];
        let ti = d.teams.iter().position(|tq| tq.team == team.id)?;
        Some(Previous {
            quarter,
            at: (qi, ti),
            data: &d.teams[ti],
            scores: &scores.quarters[qi][ti],
            running: d.status == QuarterStatus::InProgress,
        })
    }
}

/// The words of the skeletons, in the site's language.
struct Words {
    ja: bool,
}

impl Words {
    fn of(lang: Language) -> Words {
        Words {
            ja: lang == Language::Ja,
        }
    }

    fn pick<'s>(&self, ja: &'s str, en: &'s str) -> &'s str {
        if self.ja { ja } else { en }
    }

    /// A score of the previous quarter: while it runs, an outlook.
    fn score(&self, score: Option<f64>, running: bool) -> String {
        let s = score.map_or_else(|| "—".to_string(), format::score);
        match (running, score) {
            (true, Some(_)) => format!("{s} {}", self.pick("見込み", "outlook")),
            _ => s,
        }
    }
}

/// The new quarter's OKR file: a header, the previous quarter's KRs as commented-out
/// candidates, no objective yet, and as comments the previous not-doing list and
/// what the previous review decided and left open.
fn okrs_skeleton(
    q: Quarter,
    team: &Team,
    previous: Option<&Previous<'_>>,
    carried: &[CarriedSection],
    words: &Words,
) -> Result<String, ScaffoldError> {
    let mut yaml = String::new();
    push_comment(&mut yaml, "# ", &format!("{} — {q}", team.name));
    yaml.push_str(words.pick(
        "# 前の四半期からの橋渡し：下の候補はそのまま持ち越さず、学びから選び直してください。\n",
        "# Bridge from the previous quarter: do not roll these over blindly; choose again from what you learned.\n",
    ));
    let mut not_doing = Vec::new();
    if let Some(p) = previous
        && let Some(okrs) = &p.data.okrs
    {
        let prev = p.quarter;
        let _ = writeln!(yaml, "#\n# {prev}:");
        if p.running {
            yaml.push_str(words.pick(
                "# （この四半期はまだ続いています。スコアは確定ではなく見込みです）\n",
                "# (this quarter is still running: its scores are an outlook, not final)\n",
            ));
        }
        for (o, os) in okrs.objectives.iter().zip(&p.scores.objectives) {
            let score = words.score(os.score, p.running);
            push_comment(&mut yaml, "#   ", &format!("{} ({score})", o.title));
            for (kr, ks) in o.key_results.iter().zip(&os.key_results) {
                push_candidate(&mut yaml, p, kr, ks, words)?;
            }
        }
        not_doing = okrs.not_doing.clone();
    }
    yaml.push_str("objectives: []\n");
    if !not_doing.is_empty() {
        yaml.push_str(words.pick(
            "# 前の四半期の「やらないこと」:\n",
            "# Last quarter's not-doing list:\n",
        ));
        push_comment(&mut yaml, "# ", &to_yaml(&NotDoing { not_doing })?);
    }
    if let Some(p) = previous {
        for section in carried {
            let title = match words.ja {
                true => format!("{} の振り返りの{}:", p.quarter, section.name),
                false => format!("{} of the {} review:", section.name, p.quarter),
            };
            push_comment(&mut yaml, "# ", &title);
            push_comment(&mut yaml, "#   ", &to_yaml(&section.items)?);
        }
    }
    Ok(yaml)
}

/// A previous KR as a commented-out candidate: its score and grade (or its outlook
/// while that quarter runs), and where it ended (or is now) as the new baseline.
fn push_candidate(
    yaml: &mut String,
    p: &Previous<'_>,
    kr: &KeyResult,
    ks: &KrScore,
    words: &Words,
) -> Result<(), ScaffoldError> {
    let prev = p.quarter;
    let score = words.score(ks.score, p.running);
    let grade = match (p.running, ks.grade) {
        (_, None) => "no data",
        // A running quarter has no grade yet.
        (true, Some(_)) => "",
        (false, Some(g)) => g.as_str(),
    };
    let baseline_note = match (kr.target.is_some(), p.running) {
        (false, _) => "",
        (true, false) => "; baseline: where it ended",
        (true, true) => "; baseline: where it is now",
    };
    let summary = format!("{score} {grade}");
    let _ = writeln!(yaml, "#     # {prev}: {}{baseline_note}", summary.trim_end());
    let baseline = kr.target.map(|t| ks.current.or(kr.baseline).unwrap_or(t));
    let metric = match &kr.data {
        KrData::Metric(m) => Some(m.as_str()),
        _ => None,
    };
    let candidate = Candidate {
        title: &kr.title,
        metric,
        baseline: baseline.map(yaml_number),
    };
    push_comment(yaml, "#     ", &to_yaml(&[candidate])?);
    Ok(())
}

/// The retrospective: a draft with the site's review sections, what the previous
/// review decided and left open at the top, and the team's score as placeholders.
fn retrospective_skeleton(
    config: &Config,
    prev: Quarter,
    carried: &[CarriedSection],
    words: &Words,
) -> Result<String, ScaffoldError> {
    let front_matter = to_yaml(&FrontMatter {
        draft: true,
        tags: Vec::new(),
    })?;
    let mut md = format!(
        "---\n# {}\n{front_matter}---\n",
        words.pick(
            "書き終えたら draft: true を消してください",
            "remove draft: true when the review is written"
        )
    );
    if !carried.is_empty() {
        let _ = write!(
            md,
            "\n## {}\n",
            words.pick("前期からの持ち越し", "Carried over from last quarter")
        );
        for section in carried {
            let name = markdown_text(&section.name);
            let _ = match words.ja {
                true => write!(md, "\n{prev} の{name}:\n\n"),
                false => write!(md, "\n{name} of {prev}:\n\n"),
            };
            for item in &section.items {
                let _ = writeln!(md, "- {}", markdown_text(item));
            }
        }
    }
    for (i, section) in config.review_sections.iter().enumerate() {
        let heading = section.split(is_line_break).collect::<Vec<_>>().join(" ");
        let _ = write!(md, "\n## {}\n", markdown_text(&heading));
        if i == 0 {
            md.push_str(words.pick(
                "\n- チーム全体: [[score]]（[[grade]]）\n<!-- 目標ごとに: - 目標の名前: [[score 目標のid]]（[[grade 目標のid]]）、KRの現在値は [[current 目標のid/KRのid]] -->\n",
                "\n- The team: [[score]] ([[grade]])\n<!-- per objective: - Objective: [[score OBJECTIVE-ID]] ([[grade OBJECTIVE-ID]]); a KR's current value: [[current OBJECTIVE-ID/KR-ID]] -->\n",
            ));
        }
    }
    Ok(md)
}

/// A previous KR, as a commented-out candidate for the new quarter.
#[derive(serde::Serialize)]
struct Candidate<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    metric: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<serde_yaml::Number>,
}

#[derive(serde::Serialize)]
struct NotDoing {
    not_doing: Vec<String>,
}

#[derive(serde::Serialize)]
struct FrontMatter {
    draft: bool,
    tags: Vec<String>,
}
