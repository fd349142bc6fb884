//! Search index build over a synthetic archive of 20,000 learnings of about 200
//! characters, mostly Japanese: `cargo bench --bench search`.

use criterion::{Criterion, criterion_group, criterion_main};
use okrsite::render::search::{self, SearchDoc};

const WORDS: &[&str] = &[
    "オンボーディング",
    "料金ページ",
    "招待メール",
    "テンプレート",
    "チュートリアル動画",
    "問い合わせ",
    "商談化",
    "解約防止",
    "管理者設定",
    "モバイル",
    "検索",
    "通知",
    "請求書",
    "SSO",
    "API",
    "ヘルプセンター",
    "ウェビナー",
    "導入事例",
    "価格改定",
    "年払い",
    "トライアル",
    "アップセル",
    "NPS",
    "サポート",
    "は最初の三日間で継続率が決まる",
    "を短くすると完了率が上がる",
    "の効果がKRに出るまで三週間かかる",
    "は顧客の言葉で書き直すと直帰率が下がった",
    "pricing page",
    "onboarding flow",
];

pub fn docs(n: usize) -> Vec<SearchDoc<'static>> {
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let mut text = String::new();
            while text.chars().count() < 200 {
                text.push_str(WORDS[(next() % WORDS.len() as u64) as usize]);
                text.push_str(if next() % 3 == 0 { "。" } else { "、" });
            }
            SearchDoc {
                kind: "learning",
                title: "".into(),
                text: text.into(),
                url: format!(
                    "quarters/2025-Q{}/team-{}/index.html#learning-{}",
                    i % 4 + 1,
                    i % 200,
                    i % 8 + 1
                )
                .into(),
                team: format!("team-{}", i % 200).into(),
                team_name: format!("チーム{}", i % 200).into(),
                quarter: format!("2025-Q{}", i % 4 + 1).into(),
                quarter_label: format!("2025年度 Q{}", i % 4 + 1).into(),
                tags: vec![["pricing", "価格", "オンボーディング", "動画"][i % 4].into()],
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = docs(20_000);
    let mut group = c.benchmark_group("search");
    group.sample_size(10);
    group.bench_function("index_20000_learnings", |b| {
        b.iter(|| search::build(&docs, Vec::new(), Vec::new()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
