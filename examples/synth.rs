//! A synthetic okrsite site for benchmarks: deterministic from a seed, mostly Japanese.
//!
//!   cargo run --release --example synth -- --teams 200 --quarters 12 --out /tmp/synth [--seed 1]
//!
//! A team tree (company → divisions → teams), 3 objectives × 4 KRs per team-quarter (most tied
//! to metrics, some milestones, some with their own values), one metric per two teams with
//! weekly points over the whole span and occasional notes, and a retrospective with about
//! 8 learnings of ~200 characters per team-quarter. Quarters are calendar quarters from
//! 2023-Q1; build with SOURCE_DATE_EPOCH set after the last quarter (the tool prints it).

use std::fmt::Write as _;
use std::path::PathBuf;

use jiff::civil::{Date, date};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const SUBJECTS: &[&str] = &[
    "オンボーディング",
    "料金ページ",
    "招待メール",
    "テンプレート",
    "チュートリアル動画",
    "問い合わせ対応",
    "商談化",
    "解約防止",
    "管理者向け設定",
    "モバイルアプリ",
    "検索機能",
    "通知設定",
    "請求書発行",
    "SSO導入",
    "API連携",
    "ヘルプセンター",
    "ウェビナー",
    "導入事例",
    "価格改定",
    "年払いプラン",
    "トライアル",
    "アップセル",
    "NPS調査",
    "サポート窓口",
];
const FINDINGS: &[&str] = &[
    "は最初の三日間の体験で継続率がほぼ決まる",
    "は数字より先に理由を説明すると受け入れられやすい",
    "を短くすると完了率が上がるが、質問は増える",
    "は担当者が一人だと止まりやすく、二人体制にすると安定した",
    "の効果がKRに出るまで三週間ほど遅れるので、チェックインで先に宣言しておく",
    "はA/Bテストの期間を二週間未満にすると判断を誤る",
    "は顧客の言葉で書き直すと直帰率が下がった",
    "を後回しにしたことで、四半期の後半に問い合わせが集中した",
    "は定義を揃えないと部署ごとに数字が食い違う",
    "の改善は小さな変更を毎週出すほうが大きな改修より効いた",
];
const DETAILS: &[&str] = &[
    "次の四半期は計測方法を先に決めてから施策に入る。",
    "営業とCSで同じダッシュボードを見るようにしたことで議論が早くなった。",
    "数値上は黄色でも、チェックインのコメントで状況を補えば慌てずに済んだ。",
    "失敗だったが、仮説を捨てる判断が早くできたのは収穫だった。",
    "English summary: small weekly changes beat one big redesign.",
    "動画は60秒を超えると離脱が増えるので、30秒の短縮版を作った。",
    "価格の不安は、月額が事前に分かるだけで大きく減った。",
    "テンプレートを最初に見せると、空の画面より行動が早く始まる。",
];
const TAGS: &[&str] = &[
    "onboarding",
    "pricing",
    "価格",
    "オンボーディング",
    "動画",
    "テンプレート",
    "解約",
    "営業プロセス",
    "計測",
    "チェックイン",
    "CS",
    "採用",
    "SSO",
    "品質",
    "障害対応",
    "マーケティング",
];

fn main() {
    let mut teams = 200usize;
    let mut quarters = 12usize;
    let mut seed = 1u64;
    let mut out = PathBuf::from("synth-site");
    let mut per_retro = 8usize;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--teams" => teams = v.parse().expect("--teams N"),
            "--quarters" => quarters = v.parse().expect("--quarters N"),
            "--seed" => seed = v.parse().expect("--seed N"),
            "--out" => out = PathBuf::from(v),
            "--learnings" => per_retro = v.parse().expect("--learnings N"),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let content = out.join("content");
    std::fs::create_dir_all(content.join("metrics")).unwrap();
    std::fs::write(
        out.join("okrsite.toml"),
        "title = \"Synth OKR\"\nlanguage = \"ja\"\n\n[learnings]\nheadings = [\"学び\"]\n",
    )
    .unwrap();

    // Team tree: company, then one division per ten teams, then the teams.
    let divisions = teams.div_ceil(10).max(1);
    let mut tree = String::from("- id: company\n  name: 全社\n");
    let mut ids = vec!["company".to_string()];
    for d in 0..divisions {
        writeln!(tree, "- id: div-{d}\n  name: 第{}本部\n  parent: company", d + 1).unwrap();
        ids.push(format!("div-{d}"));
    }
    for t in 0..teams {
        writeln!(
            tree,
            "- id: team-{t}\n  name: {}チーム{}\n  parent: div-{}",
            rng.pick(SUBJECTS),
            t + 1,
            t / 10
        )
        .unwrap();
        ids.push(format!("team-{t}"));
    }
    std::fs::write(content.join("teams.yaml"), tree).unwrap();

    let start = date(2023, 1, 1);
    let quarter_start = |q: usize| date(2023 + (q / 4) as i16, (q % 4 * 3 + 1) as i8, 1);
    let end = quarter_start(quarters).yesterday().unwrap();
    let first_monday = date(2023, 1, 2);
    let weeks = ((end - first_monday).get_days() / 7 + 1) as usize;
    let metrics = (ids.len() / 2).max(1);
    let mut series: Vec<Vec<(Date, f64)>> = Vec::with_capacity(metrics);
    for m in 0..metrics {
        let mut v = 20.0 + rng.unit() * 40.0;
        let mut yaml = format!(
            "name: {}率{}\nunit: \"%\"\ndirection: increase\nlayer: leading\ndefinition:\n  formula: 達成数 ÷ 対象数\n  owner: 担当{}\nthresholds:\n  red: 10\n  yellow: 15\npoints:\n",
            rng.pick(SUBJECTS),
            m + 1,
            m % 7
        );
        let mut points = Vec::with_capacity(weeks);
        for w in 0..weeks {
            let d = first_monday.checked_add(jiff::Span::new().days(7 * w as i64)).unwrap();
            v = (v + (rng.unit() - 0.42) * 2.0).clamp(5.0, 95.0);
            let v = (v * 10.0).round() / 10.0;
            write!(yaml, "  - date: {d}\n    value: {v}\n").unwrap();
            if rng.below(20) == 0 {
                writeln!(yaml, "    note: {}の施策を開始", rng.pick(SUBJECTS)).unwrap();
            }
            points.push((d, v));
        }
        std::fs::write(content.join(format!("metrics/m-{m}.yaml")), yaml).unwrap();
        series.push(points);
    }
    let _ = start;

    for q in 0..quarters {
        let qs = quarter_start(q);
        let qe = quarter_start(q + 1).yesterday().unwrap();
        let name = format!("{}-Q{}", 2023 + q / 4, q % 4 + 1);
        let dir = content.join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        for (ti, team) in ids.iter().enumerate() {
            let mut yaml = String::from("objectives:\n");
            for o in 0..3 {
                write!(
                    yaml,
                    "  - id: o{}\n    title: {}の体験を改善し、継続率を底上げする\n    owner: 担当{}\n",
                    o + 1,
                    rng.pick(SUBJECTS),
                    ti % 9
                )
                .unwrap();
                if ti > 0 {
                    let parent = match team.strip_prefix("team-") {
                        Some(n) => format!("div-{}", n.parse::<usize>().unwrap() / 10),
                        None => "company".into(),
                    };
                    writeln!(yaml, "    aligns_to: {parent}/o{}", o + 1).unwrap();
                }
                yaml.push_str("    key_results:\n");
                for k in 0..4 {
                    let kind = rng.below(10);
                    write!(
                        yaml,
                        "      - id: kr{}\n        title: {}の指標を改善する\n",
                        k + 1,
                        rng.pick(SUBJECTS)
                    )
                    .unwrap();
                    if kind < 7 {
                        let m = (ti / 2 + k) % metrics;
                        let base = series[m].iter().find(|p| p.0 >= qs).map_or(30.0, |p| p.1);
                        let target = (base + 3.0 + rng.unit() * 6.0).min(99.0);
                        write!(
                            yaml,
                            "        metric: m-{m}\n        baseline: {base}\n        target: {:.1}\n",
                            target
                        )
                        .unwrap();
                    } else if kind < 9 {
                        yaml.push_str(
                            "        unit: \"件\"\n        baseline: 0\n        target: 100\n        values:\n",
                        );
                        for w in 0..3 {
                            let d = qs.checked_add(jiff::Span::new().days(20 + 25 * w)).unwrap().min(qe);
                            write!(
                                yaml,
                                "          - date: {d}\n            value: {}\n",
                                20 * (w + 1) + rng.below(20) as i64
                            )
                            .unwrap();
                        }
                    } else {
                        writeln!(yaml, "        score: {:.1}", rng.unit()).unwrap();
                    }
                    let d = qs.checked_add(jiff::Span::new().days(70)).unwrap();
                    write!(yaml, "        checkins:\n          - date: {d}\n            status: {}\n            note: 数値上は{}だが想定どおり\n", ["green", "yellow", "red"][rng.below(3)], rng.pick(&["黄色", "赤", "緑"])).unwrap();
                }
                yaml.push_str("    initiatives:\n      - ボタン文言のABテスト\n");
            }
            yaml.push_str("not_doing:\n  - 新規チャネルの開拓\n");
            std::fs::write(dir.join(format!("{team}.yaml")), yaml).unwrap();

            let mut md = format!(
                "---\ndate: {}\nauthors: [担当{}]\ntags: [{}]\n---\n\n## 成果サマリ\n\nチームスコアは想定どおり。{}は進んだが、{}は来期に持ち越し。\n\n## KRごとの要因分析\n\n### KR1\n\n{}{}\n\n## 学び\n\n",
                qe.checked_add(jiff::Span::new().days(5)).unwrap(),
                ti % 9,
                rng.pick(TAGS),
                rng.pick(SUBJECTS),
                rng.pick(SUBJECTS),
                rng.pick(SUBJECTS),
                rng.pick(FINDINGS)
            );
            for _ in 0..per_retro {
                writeln!(
                    md,
                    "- {}{}。{}{}。{} #{} #{}",
                    rng.pick(SUBJECTS),
                    rng.pick(FINDINGS),
                    rng.pick(SUBJECTS),
                    rng.pick(FINDINGS),
                    rng.pick(DETAILS),
                    rng.pick(TAGS),
                    rng.pick(TAGS)
                )
                .unwrap();
            }
            md.push_str("\n## 決定事項\n\n- 計測方法を先に決める\n\n## 未解決事項\n\n- 定義の統一\n");
            std::fs::write(dir.join(format!("{team}.md")), md).unwrap();
        }
    }
    let epoch = (end.checked_add(jiff::Span::new().days(30)).unwrap() - date(1970, 1, 1)).get_days() as i64 * 86400;
    println!(
        "{} teams, {} quarters, {} team-quarters, {} learnings, {} metrics; build with SOURCE_DATE_EPOCH={epoch}",
        ids.len(),
        quarters,
        ids.len() * quarters,
        ids.len() * quarters * per_retro,
        metrics
    );
}
