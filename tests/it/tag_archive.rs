//! Issue 18: tags compared after NFKC and case folding and mapped through
//! `[tags] aliases` (one page per tag, named by the first spelling filed), and the
//! learnings archive leading into the search page's filters (links with query strings).

use std::path::{Path, PathBuf};

use crate::common;

/// The base fixture with two retrospectives whose tags are spellings of two tags:
/// `pricing` (5 learnings: `#price` via an alias key written `PRICE`, `#Pricing`,
/// `#価格` via an alias, `#pricing #価格` on one learning, full-width `#Ｐｒｉｃｉｎｇ`)
/// and `がいど` (2 learnings: が decomposed, then precomposed).
fn tagged_site() -> tempfile::TempDir {
    let site = common::site(None);
    let root = site.path();
    let toml = std::fs::read_to_string(root.join("okrsite.toml")).unwrap();
    let aliases = "\n[tags]\naliases = { \"価格\" = \"pricing\", \"PRICE\" = \"pricing\" }\n";
    std::fs::write(root.join("okrsite.toml"), toml + aliases).unwrap();
    // company.md comes first in file order (content/2025-Q3/, by team id).
    let company = "---\ntitle: 全社の振り返り\ndate: 2025-10-02\n---\n\n## 学び\n- 年払いが伸びる #price\n- 比較表が効く #Pricing\n";
    let product = "---\ntitle: プロダクトの振り返り\ndate: 2025-10-03\n---\n\n## 学び\n- 価格を先に見せる #価格\n- 二つの綴り #pricing #価格\n- 濁点 #\u{304b}\u{3099}いど\n- 合成 #\u{304c}いど\n- 全角 #\u{ff30}\u{ff52}\u{ff49}\u{ff43}\u{ff49}\u{ff4e}\u{ff47}\n";
    std::fs::write(root.join("content/2025-Q3/company.md"), company).unwrap();
    std::fs::write(root.join("content/2025-Q3/product.md"), product).unwrap();
    site
}

fn built(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    common::okrsite()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn tag_folders(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join("tags"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// How many learning cards a page lists.
fn cards(html: &str) -> usize {
    html.matches("<li class=\"learning-item\">").count()
}

#[test]
fn spellings_aliases_and_forms_of_a_tag_share_one_page_with_every_learning() {
    let site = tagged_site();
    let (_dir, out) = built(site.path());
    // Composed and decomposed が are one tag (NFC), as are the five spellings of pricing.
    assert_eq!(tag_folders(&out), ["pricing", "\u{304c}いど"]);
    let pricing = read(&out, "tags/pricing/index.html");
    assert_eq!(
        cards(&pricing),
        5,
        "#price, #Pricing, #価格, #pricing #価格 (once), #Ｐｒｉｃｉｎｇ"
    );
    assert!(pricing.contains("<p class=\"lead\">5件の学び"), "the count says 5");
    // The first spelling filed names it: `#price` (alias key `PRICE`, another case)
    // is filed under the target as the config writes it, `pricing`, before `#Pricing`.
    assert!(pricing.contains("<h1>タグ：#pricing</h1>"), "named by the alias target");
    assert!(
        !pricing.contains("#Pricing<") && !pricing.contains("#価格<"),
        "cards show one spelling"
    );
    let guide = read(&out, &format!("tags/{}/index.html", "\u{304c}いど"));
    assert_eq!(cards(&guide), 2);
    // The search filters know the same two tags, each once.
    let manifest = (crate::common::output_files(&out.join("search")).into_iter())
        .find(|(p, _)| p.starts_with("meta."))
        .expect("the search manifest");
    let meta = String::from_utf8(manifest.1).unwrap();
    assert!(meta.contains("\"tags\":[\"pricing\",\"\u{304c}いど\"]"), "{meta}");
    // A tag as written in the retrospective links to the page it is filed under.
    let review = read(&out, "quarters/2025-Q3/product/index.html");
    assert!(review.contains("href=\"../../../tags/pricing/index.html\" rel=\"noopener noreferrer\">#価格</a>"));
    assert!(!review.contains("tags/価格/"));
}

#[test]
fn the_target_written_first_in_its_own_spelling_names_the_page() {
    let site = tagged_site();
    let company = site.path().join("content/2025-Q3/company.md");
    let text = std::fs::read_to_string(&company)
        .unwrap()
        .replace("#price\n", "#Pricing2\n");
    std::fs::write(
        &company,
        text.replace("- 比較表が効く #Pricing\n", "- 比較表が効く #Pricing\n- 後 #price\n"),
    )
    .unwrap();
    let (_dir, out) = built(site.path());
    let pricing = read(&out, "tags/pricing/index.html");
    assert!(
        pricing.contains("<h1>タグ：#Pricing</h1>"),
        "`#Pricing` came before any alias"
    );
    assert_eq!(cards(&pricing), 5);
}

#[test]
fn archive_pages_lead_into_the_search_filters() {
    let site = tagged_site();
    let (_dir, out) = built(site.path());
    // A tag page links to the search page filtered by the tag, and offers team and
    // quarter with the tag kept.
    let pricing = read(&out, "tags/pricing/index.html");
    assert!(
        pricing.contains("<a href=\"../../search/index.html?tag=pricing\">"),
        "{pricing}"
    );
    assert!(pricing.contains("action=\"../../search/index.html\" method=\"get\""));
    assert!(pricing.contains("<input type=\"hidden\" name=\"tag\" value=\"pricing\">"));
    assert!(pricing.contains("<option value=\"product\">プロダクトチーム</option>"));
    assert!(pricing.contains("<option value=\"2025-Q3\">"));
    let guide = read(&out, &format!("tags/{}/index.html", "\u{304c}いど"));
    assert!(
        guide.contains("search/index.html?tag=%E3%81%8C%E3%81%84%E3%81%A9\""),
        "encoded"
    );
    // The archive offers all three filters.
    let archive = read(&out, "learnings/index.html");
    assert!(archive.contains("action=\"../search/index.html\" method=\"get\""));
    for select in ["name=\"team\"", "name=\"quarter\"", "name=\"tag\""] {
        assert!(archive.contains(&format!("<select {select}>")), "{select}");
    }
    assert!(archive.contains("<option value=\"pricing\">#pricing</option>"));
    // A team page links to its learnings, with their number.
    let team = read(&out, "teams/product/index.html");
    assert!(team.contains("<a href=\"../../search/index.html?team=product\">このチームの学び（5件）</a>"));
    let company = read(&out, "teams/company/index.html");
    assert!(company.contains("search/index.html?team=company\">このチームの学び（2件）</a>"));
}
