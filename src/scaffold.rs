//! `init` (a new site with a small valid example) and `new` (the next quarter's
//! files for a team, bridged from its previous quarter). Nothing is ever overwritten.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;

use crate::build;
use crate::config::{Config, Language};
use crate::model::{KeyResult, KrData, Quarter, Site, Team};
use crate::render::format;
use crate::score::{self, KrScore, SiteScores};

/// Why `init` or `new` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The site does not pass `check`: fix it first (exit 1).
    #[error("the site has errors; run `okrsite check` and fix them first")]
    SiteHasErrors,
    #[error("{} is not empty; okrsite init only writes into a new or empty folder", .0.display())]
    NotEmpty(PathBuf),
    #[error("`{0}` is not a quarter; write YYYY-QN, e.g. 2026-Q1")]
    NotAQuarter(String),
    #[error("team `{team}` is not in content/teams.yaml (teams: {})", .known.join(", "))]
    UnknownTeam { team: String, known: Vec<String> },
    #[error("team id `{0}` cannot be a file name")]
    NotAFileName(String),
    #[error("{} exists; okrsite never overwrites a file", .0.display())]
    Exists(PathBuf),
    /// A path okrsite made itself that is not a plain relative file path (a bug).
    #[error("{0} leaves its folder")]
    LeavesFolder(String),
    #[error("{} is a symbolic link; okrsite writes new files only into real folders", .0.display())]
    SymbolicLink(PathBuf),
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
}

impl ScaffoldError {
    /// Whether the site's content is at fault (exit 1) rather than the command (exit 2).
    pub fn is_content_error(&self) -> bool {
        matches!(self, ScaffoldError::SiteHasErrors)
    }

    fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { action, path, source }
    }
}

/// The quarter of `init`'s example: the one before today's, so it has ended and
/// `check --strict` is clean; kept inside the years a quarter may have (0001–9998).
fn example_quarter(today: Date) -> Quarter {
    let current = Quarter::containing(today, 1);
    let (first, last) = (Quarter { year: 1, number: 1 }, Quarter { year: 9998, number: 4 });
    if current <= first {
        first
    } else {
        current.previous().min(last)
    }
}

/// Writes a new site into `dir`, which must be missing or empty.
pub fn init(dir: &Path, lang: Language, today: Date) -> Result<Vec<String>, ScaffoldError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(ScaffoldError::io("read", dir))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    let q = example_quarter(today);
    let (start, end) = q.bounds(1);
    // In the first quarter of year 1 the example's quarter is today's: nothing after today.
    let end = end.min(today);
    let ja = lang == Language::Ja;
    let mut files = site_files(lang);
    files.extend(metric_files(ja, start, end));
    files.extend(okr_files(ja, q));
    files.push((format!("content/{q}/product.md"), example_retrospective(ja, end)));
    std::fs::create_dir_all(dir).map_err(ScaffoldError::io("create", dir))?;
    write_new(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// `okrsite.toml`, `.gitignore` and the team tree of the example.
fn site_files(lang: Language) -> Vec<(String, String)> {
    let ja = lang == Language::Ja;
    let mut files: Vec<(String, String)> = Vec::new();
    let title = if ja {
        "サンプル株式会社 OKR"
    } else {
        "Example Inc. OKRs"
    };
    files.push((
        "okrsite.toml".into(),
        format!(
            "title = \"{title}\"\nbase_url = \"/\"\nlanguage = \"{}\"\nfiscal_year_start_month = 1\n\n[scoring]\ngreen = 0.7\nyellow = 0.4\n\n[learnings]\nheadings = [\"学び\", \"Learnings\"]\n",
            lang.code()
        ),
    ));
    files.push((".gitignore".into(), "/public\n".into()));
    let (company, product, sales) = if ja {
        ("全社", "プロダクトチーム", "セールスチーム")
    } else {
        ("Company", "Product team", "Sales team")
    };
    files.push((
        "content/teams.yaml".into(),
        format!("- id: company\n  name: {company}\n- id: product\n  name: {product}\n  parent: company\n- id: sales\n  name: {sales}\n  parent: company\n"),
    ));
    files
}

/// Two metrics with weekly points across the quarter, none after `end`.
fn metric_files(ja: bool, start: Date, end: Date) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    // Weekly points across the quarter, all before today.
    let weeks: Vec<Date> = (0..13)
        .filter_map(|w| start.checked_add(jiff::Span::new().days(7 * w)).ok())
        .filter(|d| *d <= end)
        .collect();
    let series = |from: f64, step: f64| {
        let mut s = String::from("points:\n");
        for (i, d) in weeks.iter().enumerate() {
            let _ = writeln!(
                s,
                "  - date: {d}\n    value: {}",
                format::number(from + step * i as f64)
            );
        }
        s
    };
    let (m1, m2) = if ja {
        ("オンボーディング完了率", "商談化率")
    } else {
        ("Onboarding completion", "Lead-to-deal rate")
    };
    files.push((
        "content/metrics/onboarding.yaml".into(),
        format!(
            "name: {m1}\nunit: \"%\"\ndirection: increase\nlayer: leading\ndefinition:\n  formula: {}\n  owner: {}\nthresholds:\n  red: 40\n  yellow: 50\n{}",
            if ja { "完了ユーザー数 ÷ 新規登録ユーザー数" } else { "completed users ÷ new sign-ups" },
            if ja { "佐藤" } else { "Sato" },
            series(45.0, 1.5)
        ),
    ));
    files.push((
        "content/metrics/deal-rate.yaml".into(),
        format!(
            "name: {m2}\nunit: \"%\"\ndirection: increase\nlayer: lagging\ndefinition:\n  formula: {}\n{}",
            if ja {
                "商談数 ÷ リード数"
            } else {
                "deals ÷ leads"
            },
            series(20.0, 0.6)
        ),
    ));
    files
}

/// The OKRs of the company and its two teams for quarter `q`.
fn okr_files(ja: bool, q: Quarter) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    let (o_company, o_product, o_sales) = if ja {
        (
            "初回価値体験を早め、継続率を底上げする",
            "オンボーディングで迷わせない",
            "良い商談を増やす",
        )
    } else {
        (
            "Reach first value faster and lift retention",
            "Nobody gets lost in onboarding",
            "More good deals",
        )
    };
    let kr = |title: &str, metric: &str, b: f64, t: f64| {
        format!("      - title: {title}\n        metric: {metric}\n        baseline: {b}\n        target: {t}\n")
    };
    let milestone = |title: &str| format!("      - title: {title}\n        score: 1.0\n");
    files.push((
        format!("content/{q}/company.yaml"),
        format!(
            "objectives:\n  - id: grow\n    title: {o_company}\n    key_results:\n{}{}",
            kr(
                if ja {
                    "オンボーディング完了率を45%→65%"
                } else {
                    "Onboarding completion 45% → 65%"
                },
                "onboarding",
                45.0,
                65.0
            ),
            kr(
                if ja {
                    "商談化率を20%→28%"
                } else {
                    "Lead-to-deal rate 20% → 28%"
                },
                "deal-rate",
                20.0,
                28.0
            )
        ),
    ));
    files.push((
        format!("content/{q}/product.yaml"),
        format!(
            "objectives:\n  - title: {o_product}\n    aligns_to: company/grow\n    key_results:\n{}{}    initiatives:\n      - {}\nnot_doing:\n  - {}\n",
            kr(if ja { "オンボーディング完了率を45%→65%" } else { "Onboarding completion 45% → 65%" }, "onboarding", 45.0, 65.0),
            milestone(if ja { "チュートリアル動画を30秒に短縮する" } else { "Cut the tutorial video to 30 seconds" }),
            if ja { "ボタン文言のABテスト" } else { "A/B test the button text" },
            if ja { "新規チャネルの開拓" } else { "New acquisition channels" }
        ),
    ));
    files.push((
        format!("content/{q}/sales.yaml"),
        format!(
            "objectives:\n  - title: {o_sales}\n    aligns_to: company/grow\n    key_results:\n{}{}",
            kr(
                if ja {
                    "商談化率を20%→28%"
                } else {
                    "Lead-to-deal rate 20% → 28%"
                },
                "deal-rate",
                20.0,
                28.0
            ),
            milestone(if ja {
                "導入事例を3本公開する"
            } else {
                "Publish three customer stories"
            })
        ),
    ));
    files
}

/// The product team's retrospective, dated `end`.
fn example_retrospective(ja: bool, end: Date) -> String {
    if ja {
        format!(
            "---\ndate: {}\nauthors: [田中]\ntags: [onboarding]\n---\n\n## 成果サマリ\n\n完了率は目標に届いた。\n\n## KRごとの要因分析\n\n### オンボーディング完了率\n\n動画を短くしたことが効いた。\n\n## 学び\n\n- 動画は60秒を超えると離脱が増える #動画\n- テンプレートを最初に見せると行動が早く始まる #テンプレート\n\n## 決定事項\n\n- 次の四半期は招待を重点にする\n\n## 未解決事項\n\n- 完了の定義を営業と揃える\n",
            end
        )
    } else {
        format!(
            "---\ndate: {}\nauthors: [Tanaka]\ntags: [onboarding]\n---\n\n## Results summary\n\nCompletion reached the target.\n\n## Analysis per KR\n\n### Onboarding completion\n\nThe shorter video did it.\n\n## Learnings\n\n- Videos longer than 60 seconds lose users #video\n- Showing templates first gets people started sooner #templates\n\n## Decisions\n\n- Next quarter: invitations\n\n## Open issues\n\n- Agree on what \"completed\" means with sales\n",
            end
        )
    }
}

/// Writes files at relative paths under `root` without ever replacing anything or
/// writing through a symbolic link: every folder on the way must be a real folder
/// (or is created), and each file is created new (`create_new` refuses an existing
/// name, a dangling link included).
fn write_new(root: &Path, files: &[(String, String)]) -> Result<(), ScaffoldError> {
    for (p, _) in files {
        let path = root.join(p);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(ScaffoldError::Exists(path));
        }
    }
    for (p, text) in files {
        let rel = Path::new(p);
        let mut dir = root.to_path_buf();
        let parts: Vec<Component> = rel.components().collect();
        let Some((Component::Normal(name), folders)) = parts.split_last() else {
            return Err(ScaffoldError::LeavesFolder(p.clone()));
        };
        for part in folders {
            let Component::Normal(part) = part else {
                return Err(ScaffoldError::LeavesFolder(p.clone()));
            };
            dir.push(part);
            real_folder(&dir)?;
        }
        let path = dir.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.clone()),
                _ => ScaffoldError::io("write", &path)(e),
            })?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(ScaffoldError::io("write", &path))?;
    }
    Ok(())
}

/// Makes sure `dir` is a real folder, creating it when missing; a symbolic link
/// (even to a folder) or a file is refused.
fn real_folder(dir: &Path) -> Result<(), ScaffoldError> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => Err(ScaffoldError::SymbolicLink(dir.to_path_buf())),
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(ScaffoldError::NotAFolder(dir.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir(dir).map_err(ScaffoldError::io("create", dir))?;
            real_folder(dir)
        }
        Err(e) => Err(ScaffoldError::io("read", dir)(e)),
    }
}

/// The review headings in the site's language; the learnings heading is one the
/// site's config recognises.
fn headings(lang: Language, learning_headings: &[String]) -> [String; 5] {
    let pick = |preferred: &str| {
        learning_headings
            .iter()
            .find(|h| h.eq_ignore_ascii_case(preferred))
            .or(learning_headings.first())
            .cloned()
            .unwrap_or_else(|| preferred.to_string())
    };
    match lang {
        Language::Ja => [
            "成果サマリ".into(),
            "KRごとの要因分析".into(),
            pick("学び"),
            "決定事項".into(),
            "未解決事項".into(),
        ],
        Language::En => [
            "Results summary".into(),
            "Analysis per KR".into(),
            pick("Learnings"),
            "Decisions".into(),
            "Open issues".into(),
        ],
    }
}

/// Writes `content/<quarter>/<team>.yaml` and a retrospective skeleton (a draft until
/// written), prefilled from the team's previous quarter: each earlier KR as a
/// commented-out candidate with its final score and grade, the not-doing list as comments.
/// Every value from the content is written by the YAML serializer, and every line of
/// a commented-out block starts with `#`, whatever the value holds.
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
    let ja = site.config.language == Language::Ja;
    let scores = score::score_site(&site);
    let yaml = okrs_skeleton(&site, &scores, q, team_ref, ja)?;
    let md = retrospective_skeleton(&site.config, ja)?;
    let files = vec![
        (format!("content/{q}/{team}.yaml"), yaml),
        (format!("content/{q}/{team}.md"), md),
    ];
    write_new(root, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The new quarter's OKR file: a header, the previous quarter's KRs as commented-out
/// candidates, no objective yet, and the previous not-doing list as comments.
fn okrs_skeleton(site: &Site, scores: &SiteScores, q: Quarter, team: &Team, ja: bool) -> Result<String, ScaffoldError> {
    let mut yaml = String::new();
    push_comment(&mut yaml, "# ", &format!("{} — {q}", team.name));
    yaml.push_str(if ja {
        "# 前の四半期からの橋渡し：下の候補はそのまま持ち越さず、学びから選び直してください。\n"
    } else {
        "# Bridge from the previous quarter: do not roll these over blindly; choose again from what you learned.\n"
    });
    let prev = q.previous();
    let previous = site
        .quarters
        .iter()
        .enumerate()
        .find(|(_, d)| d.quarter == prev)
        .and_then(|(qi, d)| {
            d.teams
                .iter()
                .position(|tq| tq.team == team.id)
                .map(|ti| (&d.teams[ti], &scores.quarters[qi][ti]))
        });
    let mut not_doing = Vec::new();
    if let Some((tq, ts)) = previous
        && let Some(okrs) = &tq.okrs
    {
        let _ = writeln!(yaml, "#\n# {prev}:");
        for (o, os) in okrs.objectives.iter().zip(&ts.objectives) {
            let score = os.score.map(format::score).unwrap_or_else(|| "—".into());
            push_comment(&mut yaml, "#   ", &format!("{} ({score})", o.title));
            for (kr, ks) in o.key_results.iter().zip(&os.key_results) {
                push_candidate(&mut yaml, prev, kr, ks)?;
            }
        }
        not_doing = okrs.not_doing.clone();
    }
    yaml.push_str("objectives: []\n");
    if !not_doing.is_empty() {
        yaml.push_str(if ja {
            "# 前の四半期の「やらないこと」:\n"
        } else {
            "# Last quarter's not-doing list:\n"
        });
        push_comment(&mut yaml, "# ", &to_yaml(&NotDoing { not_doing })?);
    }
    Ok(yaml)
}

/// A previous KR as a commented-out candidate: its final score and grade, and where
/// it ended as the new baseline.
fn push_candidate(yaml: &mut String, prev: Quarter, kr: &KeyResult, ks: &KrScore) -> Result<(), ScaffoldError> {
    let grade = ks.grade.map_or("no data", |g| g.as_str());
    let score = ks.score.map(format::score).unwrap_or_else(|| "—".into());
    let where_it_ended = if kr.target.is_some() {
        "; baseline: where it ended"
    } else {
        ""
    };
    let _ = writeln!(yaml, "#     # {prev}: {score} {grade}{where_it_ended}");
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

/// The retrospective: a draft with the site's review headings, empty.
fn retrospective_skeleton(config: &Config, ja: bool) -> Result<String, ScaffoldError> {
    let [summary, per_kr, learnings, decisions, open] = headings(config.language, &config.learning_headings)
        .map(|h| h.split(is_line_break).collect::<Vec<_>>().join(" "));
    let front_matter = to_yaml(&FrontMatter {
        draft: true,
        tags: Vec::new(),
    })?;
    Ok(format!(
        "---\n# {}\n{front_matter}---\n\n## {summary}\n\n## {per_kr}\n\n## {learnings}\n\n## {decisions}\n\n## {open}\n",
        if ja {
            "書き終えたら draft: true を消してください"
        } else {
            "remove draft: true when the review is written"
        }
    ))
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

fn to_yaml(value: &impl serde::Serialize) -> Result<String, ScaffoldError> {
    Ok(serde_yaml::to_string(value)?)
}

/// A whole number as an integer (`65`, not `65.0`).
fn yaml_number(v: f64) -> serde_yaml::Number {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        serde_yaml::Number::from(v as i64)
    } else {
        serde_yaml::Number::from(v)
    }
}

/// YAML line breaks (YAML 1.1 parsers also break lines at NEL, LS and PS).
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Appends `text` as comment lines: each line gets `prefix` (starting with `#`),
/// whatever line breaks `text` holds, and characters YAML does not allow even in
/// a comment are written escaped (`\u{7}`), so the file always parses.
fn push_comment(out: &mut String, prefix: &str, text: &str) {
    debug_assert!(prefix.starts_with('#'));
    let text = text.strip_suffix('\n').unwrap_or(text);
    for line in text.split(is_line_break) {
        out.push_str(prefix);
        for c in line.chars() {
            if is_yaml_printable(c) {
                out.push(c);
            } else {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
        out.push('\n');
    }
}

/// YAML's `c-printable`, without the byte order mark.
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}
