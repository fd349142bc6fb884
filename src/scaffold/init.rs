//! `init`: a new site with a small valid example, in the site's language.

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::Date;

use super::{IoAction, ScaffoldError, write_new};
use crate::config::Language;
use crate::model::Quarter;
use crate::render::format;

/// The month a Japanese site's year starts in: most Japanese companies run a fiscal
/// year (年度) from April. An English site counts calendar quarters.
fn fiscal_year_start_month(lang: Language) -> i8 {
    match lang {
        Language::Ja => 4,
        Language::En => 1,
    }
}

/// The quarter of `init`'s example: the one before today's, so it has ended and
/// `check --strict` is clean; kept inside the years a quarter may have (0001–9998).
fn example_quarter(today: Date, fiscal_year_start_month: i8) -> Quarter {
    let current = Quarter::containing(today, fiscal_year_start_month);
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
        let mut entries = std::fs::read_dir(dir).map_err(ScaffoldError::io(IoAction::Read, dir))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    let month = fiscal_year_start_month(lang);
    let q = example_quarter(today, month);
    let (start, end) = q.bounds(month);
    // In the first quarter of year 1 the example's quarter is today's: nothing after today.
    let end = end.min(today);
    let ja = lang == Language::Ja;
    let mut files = site_files(lang);
    files.extend(metric_files(ja, start, end));
    files.extend(okr_files(ja, q));
    files.push((format!("content/{q}/product.md"), example_retrospective(ja, end)));
    std::fs::create_dir_all(dir).map_err(ScaffoldError::io(IoAction::Create, dir))?;
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
    files.push(("okrsite.toml".into(), site_config(lang, title)));
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

/// `okrsite.toml`: the fiscal year and the review sections of the site's language.
fn site_config(lang: Language, title: &str) -> String {
    let ja = lang == Language::Ja;
    let sections: Vec<String> = crate::config::default_review_sections(lang)
        .into_iter()
        .map(|s| toml::Value::String(s).to_string())
        .collect();
    let (url_note, year_note, sections_note) = if ja {
        (
            "# 公開先のアドレス（例: \"https://okr.example.co.jp/\"）。\"/\" のままではサイトマップと\n# Atom フィードを書き出さず、check が警告する。ページのリンクは相対なので、どちらでも動く",
            "# 年度の始まりの月（4 = 4月始まりの年度、1 = 暦年の四半期）",
            "# 振り返りに書く見出し（この順に）。欠けた見出しや空の見出しは警告になる",
        )
    } else {
        (
            "# The address the site is published at (e.g. \"https://okr.example.com/\"). With \"/\",\n# no sitemap or Atom feed is written and check warns; pages link relatively either way",
            "# The month the year starts in (1 = calendar quarters, 4 = a fiscal year from April)",
            "# The headings a retrospective holds, in this order; a missing or empty one is a warning",
        )
    };
    format!(
        "title = \"{title}\"\n{url_note}\nbase_url = \"/\"\nlanguage = \"{}\"\n{year_note}\nfiscal_year_start_month = {}\n\n[scoring]\ngreen = 0.7\nyellow = 0.4\n\n[review]\n{sections_note}\nsections = [{}]\n\n[learnings]\nheadings = [\"学び\", \"Learnings\"]\n",
        lang.code(),
        fiscal_year_start_month(lang),
        sections.join(", ")
    )
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
    let w = |ja_text: &'static str, en_text: &'static str| if ja { ja_text } else { en_text };
    let kr = |title: &str, metric: &str, b: f64, t: f64| {
        format!("      - title: {title}\n        metric: {metric}\n        baseline: {b}\n        target: {t}\n")
    };
    let milestone = |title: &str| format!("      - title: {title}\n        score: 1.0\n");
    let onboarding = kr(
        w("オンボーディング完了率を45%→65%", "Onboarding completion 45% → 65%"),
        "onboarding",
        45.0,
        65.0,
    );
    let deals = kr(
        w("商談化率を20%→28%", "Lead-to-deal rate 20% → 28%"),
        "deal-rate",
        20.0,
        28.0,
    );
    let team = |title: &str, krs: String, rest: String| {
        format!("objectives:\n  - title: {title}\n    aligns_to: company/grow\n    key_results:\n{krs}{rest}")
    };
    vec![
        (
            format!("content/{q}/company.yaml"),
            format!(
                "objectives:\n  - id: grow\n    title: {}\n    key_results:\n{onboarding}{deals}",
                w(
                    "初回価値体験を早め、継続率を底上げする",
                    "Reach first value faster and lift retention"
                )
            ),
        ),
        (
            format!("content/{q}/product.yaml"),
            team(
                w("オンボーディングで迷わせない", "Nobody gets lost in onboarding"),
                onboarding.clone()
                    + &milestone(w(
                        "チュートリアル動画を30秒に短縮する",
                        "Cut the tutorial video to 30 seconds",
                    )),
                format!(
                    "    initiatives:\n      - {}\nnot_doing:\n  - {}\n",
                    w("ボタン文言のABテスト", "A/B test the button text"),
                    w("新規チャネルの開拓", "New acquisition channels")
                ),
            ),
        ),
        (
            format!("content/{q}/sales.yaml"),
            team(
                w("良い商談を増やす", "More good deals"),
                deals.clone() + &milestone(w("導入事例を3本公開する", "Publish three customer stories")),
                String::new(),
            ),
        ),
    ]
}

/// The product team's retrospective, dated `end`.
fn example_retrospective(ja: bool, end: Date) -> String {
    if ja {
        format!(
            "---\ndate: {}\nauthors: [田中]\ntags: [onboarding]\n---\n\n## 成果サマリ\n\nチーム全体のスコアは[[score]]（[[grade]]）。オンボーディング完了率は[[current o1/kr1]]まで上がった。\n\n## KRごとの要因分析\n\n### オンボーディング完了率\n\n動画を短くしたことが効いた。\n\n## 学び\n\n- 動画は60秒を超えると離脱が増える #動画\n- テンプレートを最初に見せると行動が早く始まる #テンプレート\n\n## 決定事項\n\n- 次の四半期は招待を重点にする\n\n## 未解決事項\n\n- 完了の定義を営業と揃える\n",
            end
        )
    } else {
        format!(
            "---\ndate: {}\nauthors: [Tanaka]\ntags: [onboarding]\n---\n\n## Results summary\n\nThe team's score is [[score]] ([[grade]]). Onboarding completion reached [[current o1/kr1]].\n\n## Analysis per KR\n\n### Onboarding completion\n\nThe shorter video did it.\n\n## Learnings\n\n- Videos longer than 60 seconds lose users #video\n- Showing templates first gets people started sooner #templates\n\n## Decisions\n\n- Next quarter: invitations\n\n## Open issues\n\n- Agree on what \"completed\" means with sales\n",
            end
        )
    }
}
