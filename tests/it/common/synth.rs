//! Generated sites for the hardening tests (tests/it/hostile.rs, tests/it/safety.rs,
//! tests/it/build.rs): deterministic, of any size, optionally with drafts and private
//! files that each carry a unique marker. Use with `use crate::common::synth;`.

use std::fmt::Write as _;
use std::path::Path;

/// What to generate.
pub struct Spec {
    pub teams: usize,
    /// Calendar quarters from 2023-Q1 (at most 11, so all have ended on the fixture's
    /// "today", 2025-11-01).
    pub quarters: usize,
    pub learnings_per_retro: usize,
    /// Make some files drafts or private, each with its own markers.
    pub secrets: bool,
}

/// The markers written into drafts and private files: none may reach a build
/// without `--drafts`; with `--drafts` each one does.
#[derive(Debug, Default)]
pub struct Secrets {
    /// Whole-word markers (ASCII, so they are also whole search tokens).
    pub markers: Vec<String>,
    /// Japanese markers: two rare characters, so they are also a search bigram.
    pub japanese: Vec<String>,
}

const RARE: &[char] = &[
    '鬱', '鰐', '鸚', '鵡', '麒', '麟', '饂', '飩', '蝙', '蝠', '蟷', '螂', '躑', '躅', '齟', '齬',
];

impl Secrets {
    fn add(&mut self, kind: &str, n: usize) -> String {
        let ascii = format!("zqleak{kind}{n}x");
        let a = RARE[n % RARE.len()];
        let b = RARE[(n / RARE.len() + 1 + n) % RARE.len()];
        let japanese = format!("{a}{b}{n}秘");
        self.markers.push(ascii.clone());
        self.japanese.push(japanese.clone());
        format!("{ascii} {japanese}")
    }
}

fn quarter(i: usize) -> (String, usize) {
    let year = 2023 + i / 4;
    let number = i % 4 + 1;
    (format!("{year}-Q{number}"), year)
}

/// Writes `okrsite.toml` and `content/` into `root` (which must exist).
pub fn write_site(root: &Path, spec: &Spec) -> Secrets {
    assert!(spec.quarters <= 11, "quarters must have ended by 2025-11-01");
    let mut secrets = Secrets::default();
    let content = root.join("content");
    std::fs::create_dir_all(content.join("metrics")).unwrap();
    std::fs::write(
        root.join("okrsite.toml"),
        "title = \"Generated OKR\"\nbase_url = \"/\"\nlanguage = \"ja\"\n",
    )
    .unwrap();

    let mut teams = String::from("- id: company\n  name: 全社\n");
    for t in 0..spec.teams {
        let _ = write!(teams, "- id: team-{t}\n  name: チーム{t} Team {t}\n  parent: company\n");
    }
    std::fs::write(content.join("teams.yaml"), teams).unwrap();

    // One metric per team, weekly points over the whole span.
    let weeks = spec.quarters * 13 + 2;
    let start = jiff::civil::date(2023, 1, 2);
    for t in 0..spec.teams {
        let mut m = format!(
            "name: 指標{t} metric {t}\nunit: \"%\"\ndirection: increase\nlayer: leading\ndefinition:\n  formula: 完了数 ÷ 登録数\n  owner: 佐藤\nthresholds:\n  red: 20\n  yellow: 40\npoints:\n"
        );
        for w in 0..weeks {
            let d = start.checked_add(jiff::Span::new().days(7 * w as i64)).unwrap();
            let v = 20.0 + ((t * 7 + w * 3) % 60) as f64 + (w as f64) * 0.1;
            let _ = writeln!(m, "  - date: {d}\n    value: {v:.1}");
            if w % 9 == 4 {
                let _ = writeln!(m, "    note: 施策{w}を開始");
            }
        }
        std::fs::write(content.join(format!("metrics/metric-{t}.yaml")), m).unwrap();
    }
    if spec.secrets {
        let marker = secrets.add("metric", 0);
        std::fs::write(
            content.join("metrics/private-metric.yaml"),
            format!(
                "private: true\nname: 非公開 {marker}\nunit: {marker}\npoints:\n  - date: 2023-02-06\n    value: 1\n    note: {marker}\n"
            ),
        )
        .unwrap();
    }

    let mut n = 0;
    for qi in 0..spec.quarters {
        let (q, _) = quarter(qi);
        let qdir = content.join(&q);
        std::fs::create_dir_all(&qdir).unwrap();
        std::fs::write(
            qdir.join("company.yaml"),
            "objectives:\n  - id: grow\n    title: 全社で継続率を底上げする\n    key_results:\n      - {title: 新規登録, score: 0.7}\n      - {title: 解約率, score: 0.5}\n",
        )
        .unwrap();
        for t in 0..spec.teams {
            n += 1;
            let private = spec.secrets && n % 5 == 0;
            let draft_retro = spec.secrets && n % 4 == 1;
            let private_retro = spec.secrets && n % 7 == 3;
            let mut y = String::new();
            let secret = if private {
                let m = secrets.add("okrs", n);
                let _ = writeln!(y, "private: true");
                Some(m)
            } else {
                None
            };
            let _ = writeln!(y, "objectives:");
            for o in 0..3 {
                let title = match &secret {
                    Some(m) => format!("非公開の目標 {m}"),
                    None => format!("チーム{t}の目標{o} 初回価値体験を早める"),
                };
                let _ = writeln!(y, "  - id: o{o}\n    title: {title}\n    owner: 田中{o}");
                if o == 0 {
                    // Public teams align to the previous team's objective, which may be private.
                    if t > 0 {
                        let _ = writeln!(y, "    aligns_to: team-{}/o0", t - 1);
                    } else {
                        let _ = writeln!(y, "    aligns_to: company/grow");
                    }
                }
                let _ = writeln!(y, "    key_results:");
                let metric = if secret.is_some() && o == 0 {
                    "private-metric".to_string()
                } else {
                    format!("metric-{t}")
                };
                let _ = writeln!(
                    y,
                    "      - id: kr-metric\n        title: 完了率を40%→60% {}\n        metric: {metric}\n        baseline: 40\n        target: 60\n        checkins:\n          - date: {}\n            status: yellow\n            note: 想定どおり {}",
                    secret.as_deref().unwrap_or(""),
                    quarter_day(qi, 20),
                    secret.as_deref().unwrap_or("")
                );
                let _ = writeln!(
                    y,
                    "      - title: 有料転換率を8%→12%\n        unit: \"%\"\n        baseline: 8\n        target: 12\n        values:\n          - date: {}\n            value: {}",
                    quarter_day(qi, 40),
                    8 + (t + o) % 5
                );
                let _ = writeln!(y, "      - title: FAQを公開する\n        score: 0.{}", (t + o) % 10);
                let _ = writeln!(
                    y,
                    "    initiatives:\n      - ABテスト {}",
                    secret.as_deref().unwrap_or("")
                );
            }
            let _ = writeln!(y, "not_doing:\n  - 新規チャネル {}", secret.as_deref().unwrap_or(""));
            std::fs::write(qdir.join(format!("team-{t}.yaml")), y).unwrap();

            let mut md = String::from("---\n");
            let retro_secret = if draft_retro {
                let m = secrets.add("draft", n);
                let _ = writeln!(
                    md,
                    "title: 下書き {m}\ndraft: true\ntags: [{}]",
                    m.split(' ').next().unwrap()
                );
                Some(m)
            } else if private_retro {
                let m = secrets.add("private", n);
                let _ = writeln!(
                    md,
                    "title: 非公開 {m}\nprivate: true\ntags: [{}]",
                    m.split(' ').next().unwrap()
                );
                Some(m)
            } else {
                let _ = writeln!(md, "title: {q} 振り返り チーム{t}\ntags: [retro, t{}]", t % 5);
                None
            };
            let _ = write!(md, "date: {}\nauthors: [田中, 鈴木]\n---\n\n", quarter_day(qi, 95));
            let s = retro_secret.as_deref().unwrap_or("");
            let _ = write!(
                md,
                "## 成果サマリ\n\n完了率は{}%。{s}\n\n## KRごとの要因分析\n\nテンプレートの改善が効いた。{s}\n\n## 学び\n\n",
                40 + t % 50
            );
            for l in 0..spec.learnings_per_retro {
                let _ = writeln!(
                    md,
                    "- 学び{l}: 小さな変更を毎週出すほうが大きな改修より効いた {s} #tag{} #学び{}",
                    l % 7,
                    (t + l) % 4
                );
            }
            let _ = write!(md, "\n## 決定事項\n\n- 次も続ける {s}\n");
            std::fs::write(qdir.join(format!("team-{t}.md")), md).unwrap();
        }
    }
    secrets
}

/// A day inside quarter `qi` (`offset` days after its start, at most 89).
fn quarter_day(qi: usize, offset: i64) -> jiff::civil::Date {
    let (_, year) = quarter(qi);
    let month = (qi % 4) as i8 * 3 + 1;
    jiff::civil::date(year as i16, month, 1)
        .checked_add(jiff::Span::new().days(offset.min(89)))
        .unwrap()
}
