//! `okrsite.toml`: the site configuration.

use serde::Deserialize;

use crate::base_url::{self, BaseUrl};
use crate::diag::Message;
use crate::diag::{Diagnostic, Position, suggestion};

pub const CONFIG_FILE: &str = "okrsite.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ja,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Ja => "ja",
            Language::En => "en",
        }
    }
}

impl From<Language> for crate::messages::Lang {
    fn from(language: Language) -> Self {
        match language {
            Language::Ja => crate::messages::Lang::Ja,
            Language::En => crate::messages::Lang::En,
        }
    }
}

/// The `language` of an `okrsite.toml`, read even when the rest of the file has
/// errors: the command line speaks the site's language while it reports them.
pub fn peek_language(text: &str) -> Option<Language> {
    let table: toml::Table = toml::from_str(text).ok()?;
    match table.get("language")?.as_str()? {
        "ja" => Some(Language::Ja),
        "en" => Some(Language::En),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ScoringThresholds {
    pub green: f64,
    pub yellow: f64,
    /// Every scored KR of a team-quarter at or above this: the goals may be too safe.
    pub too_safe: f64,
}

impl Default for ScoringThresholds {
    /// The guides call 0.6–0.8 success (content format version 2; 0.7 before).
    fn default() -> Self {
        ScoringThresholds {
            green: 0.6,
            yellow: 0.4,
            too_safe: 0.9,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: BaseUrl,
    pub language: Language,
    pub theme: String,
    pub output_dir: String,
    pub fiscal_year_start_month: i8,
    pub ignore: Vec<String>,
    pub scoring: ScoringThresholds,
    pub learning_headings: Vec<String>,
    /// The level-2 headings a retrospective is expected to have, in order (`[review] sections`).
    pub review_sections: Vec<String>,
    /// Tag spellings filed under another tag (`[tags] aliases`), keys as written.
    pub tag_aliases: std::collections::BTreeMap<String, String>,
    /// Keep raw HTML in Markdown as written (trusted authors only); sanitised otherwise.
    pub allow_html: bool,
}

impl Config {
    /// The default configuration with a title, as `init` writes it.
    pub fn with_title(title: &str) -> Config {
        Config {
            title: title.to_string(),
            base_url: BaseUrl::root(),
            language: Language::Ja,
            theme: "default".into(),
            output_dir: "public".into(),
            fiscal_year_start_month: 1,
            ignore: Vec::new(),
            scoring: ScoringThresholds::default(),
            learning_headings: vec!["Learnings".into(), "学び".into(), "Lessons learned".into()],
            review_sections: default_review_sections(Language::Ja),
            tag_aliases: Default::default(),
            allow_html: false,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    output_dir: Option<String>,
    fiscal_year_start_month: Option<i64>,
    ignore: Option<Vec<String>>,
    scoring: Option<RawScoring>,
    learnings: Option<RawLearnings>,
    review: Option<RawReview>,
    tags: Option<RawTags>,
    allow_html: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScoring {
    green: Option<f64>,
    yellow: Option<f64>,
    too_safe: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    sections: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTags {
    #[serde(default)]
    aliases: std::collections::BTreeMap<String, String>,
}

/// The sections of a quarterly review in the order the guides give them.
pub fn default_review_sections(language: Language) -> Vec<String> {
    let names: [&str; 5] = match language {
        Language::Ja => ["成果サマリ", "KRごとの要因分析", "学び", "決定事項", "未解決事項"],
        Language::En => [
            "Results summary",
            "Analysis per KR",
            "Learnings",
            "Decisions",
            "Open issues",
        ],
    };
    names.iter().map(|s| s.to_string()).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLearnings {
    headings: Vec<String>,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "fiscal_year_start_month",
    "ignore",
    "scoring",
    "learnings",
    "review",
    "tags",
    "allow_html",
];

/// Parses and validates `okrsite.toml`. Every problem is reported, not only the first.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_diagnostic(text, &e)])?;
    let mut r = Reader {
        text,
        errors: Vec::new(),
    };
    let mut config = Config::with_title(&raw.title);
    r.title(&raw.title);
    if let Some(url) = raw.base_url {
        r.base_url(&url, &mut config);
    }
    if let Some(lang) = raw.language {
        r.language(&lang, &mut config);
        config.review_sections = default_review_sections(config.language);
    }
    if let Some(theme) = raw.theme {
        r.theme(&theme);
        config.theme = theme;
    }
    if let Some(out) = raw.output_dir {
        r.output_dir(&out);
        config.output_dir = out;
    }
    if let Some(m) = raw.fiscal_year_start_month {
        r.fiscal_year_start_month(m, &mut config);
    }
    if let Some(ignore) = raw.ignore {
        r.ignore(&ignore);
        config.ignore = ignore;
    }
    if let Some(s) = raw.scoring {
        config.scoring = r.scoring(&s, config.scoring);
    }
    if let Some(l) = raw.learnings {
        r.learnings(&l);
        config.learning_headings = l.headings;
    }
    if let Some(review) = raw.review {
        r.review(&review);
        config.review_sections = review.sections;
    }
    if let Some(tags) = raw.tags {
        r.tags(&tags);
        config.tag_aliases = tags.aliases;
    }
    config.allow_html = raw.allow_html.unwrap_or(false);
    if r.errors.is_empty() { Ok(config) } else { Err(r.errors) }
}

/// Checks the keys of `okrsite.toml` one by one, collecting a diagnostic at the line
/// of each bad value.
struct Reader<'a> {
    text: &'a str,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, key: &str, message: impl Into<Message>) {
        let at = locate_key(self.text, key);
        self.errors.push(Diagnostic::error(CONFIG_FILE, at, message));
    }

    fn help(&mut self, key: &str, message: impl Into<Message>, help: impl Into<Message>) {
        let at = locate_key(self.text, key);
        self.errors
            .push(Diagnostic::error(CONFIG_FILE, at, message).with_help(help));
    }

    fn title(&mut self, title: &str) {
        if title.trim().is_empty() {
            self.help(
                "title",
                "`title` is empty",
                "give the site a name, e.g. title = \"TaskFlow OKR\"",
            );
        }
    }

    fn base_url(&mut self, url: &str, config: &mut Config) {
        match BaseUrl::parse(url) {
            Ok(u) => config.base_url = u,
            Err(e) => self.help("base_url", format!("base_url `{url}` {e}"), base_url::EXPECTED),
        }
    }

    fn language(&mut self, lang: &str, config: &mut Config) {
        match lang {
            "ja" => config.language = Language::Ja,
            "en" => config.language = Language::En,
            other => self.help(
                "language",
                format!("unknown language `{other}`"),
                "expected \"ja\" or \"en\"",
            ),
        }
    }

    fn theme(&mut self, theme: &str) {
        if theme != "default" {
            self.help(
                "theme",
                format!("unknown theme `{theme}`"),
                "the only built-in theme is \"default\"; override single templates with a `templates/` folder",
            );
        }
    }

    fn output_dir(&mut self, out: &str) {
        if out.trim().is_empty() {
            self.error("output_dir", "`output_dir` is empty");
        }
    }

    fn fiscal_year_start_month(&mut self, m: i64, config: &mut Config) {
        if (1..=12).contains(&m) {
            config.fiscal_year_start_month = m as i8;
        } else {
            self.help(
                "fiscal_year_start_month",
                format!("`fiscal_year_start_month` is {m}, outside 1..12"),
                "1 for calendar quarters, 4 for a fiscal year (年度) starting in April",
            );
        }
    }

    fn ignore(&mut self, patterns: &[String]) {
        for pattern in patterns {
            // `!<glob>` re-includes what <glob> matches (see crate::ignore).
            let glob = pattern.strip_prefix('!').unwrap_or(pattern);
            if let Err(e) = crate::ignore::glob(glob) {
                self.error("ignore", format!("invalid glob `{pattern}` in `ignore`: {}", e.kind()));
            }
        }
    }

    fn scoring(&mut self, s: &RawScoring, defaults: ScoringThresholds) -> ScoringThresholds {
        let green = s.green.unwrap_or(defaults.green);
        let yellow = s.yellow.unwrap_or(defaults.yellow);
        let too_safe = s.too_safe.unwrap_or(defaults.too_safe);
        for (key, v) in [("green", green), ("yellow", yellow), ("too_safe", too_safe)] {
            if !(0.0..=1.0).contains(&v) {
                self.error(key, format!("scoring.{key} is {v}, outside [0, 1]"));
            }
        }
        if yellow > green {
            self.help(
                "yellow",
                format!("scoring.yellow ({yellow}) is above scoring.green ({green})"),
                "a score >= green is green and >= yellow is yellow, so yellow must not exceed green",
            );
        }
        if too_safe <= green && (0.0..=1.0).contains(&too_safe) {
            self.help(
                "too_safe",
                format!("scoring.too_safe ({too_safe}) is not above scoring.green ({green})"),
                "too_safe flags a quarter whose every KR scored at least this: it must be above green, e.g. 0.9",
            );
        }
        ScoringThresholds {
            green,
            yellow,
            too_safe,
        }
    }

    fn review(&mut self, review: &RawReview) {
        if review.sections.iter().all(|h| h.trim().is_empty()) {
            self.help(
                "sections",
                "`review.sections` names no section",
                "e.g. sections = [\"成果サマリ\", \"KRごとの要因分析\", \"学び\", \"決定事項\", \"未解決事項\"]",
            );
        }
    }

    fn tags(&mut self, tags: &RawTags) {
        for (from, to) in &tags.aliases {
            if from.trim().is_empty() || to.trim().is_empty() {
                self.error(
                    "aliases",
                    format!("`tags.aliases` maps `{from}` to `{to}`: a tag cannot be empty"),
                );
            } else if tags.aliases.contains_key(to) && to != from {
                self.help(
                    "aliases",
                    format!("`tags.aliases` maps `{from}` to `{to}`, which is itself an alias"),
                    format!("map `{from}` straight to `{}`", tags.aliases[to]),
                );
            }
        }
    }

    fn learnings(&mut self, l: &RawLearnings) {
        if l.headings.iter().all(|h| h.trim().is_empty()) {
            self.help(
                "headings",
                "`learnings.headings` names no heading",
                "e.g. headings = [\"学び\", \"Learnings\"]",
            );
        }
    }
}

fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let position = e.span().map(|s| Position::of_offset(text, s.start));
    let message = e.message().trim().to_string();
    let mut d;
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        d = Diagnostic::error(
            CONFIG_FILE,
            position,
            format!(
                "unknown key `{key}` in okrsite.toml; expected one of: {}",
                TOP_KEYS.join(", ")
            ),
        );
        let scoring = ["green", "yellow"];
        if let Some(help) = suggestion(key, TOP_KEYS).or_else(|| suggestion(key, &scoring)) {
            d = d.with_help(help);
        }
    } else if message.contains("missing field `title`") {
        d = Diagnostic::error(CONFIG_FILE, Some(Position::new(1, 1)), "okrsite.toml has no `title`")
            .with_help("add a line such as: title = \"TaskFlow OKR\"");
    } else {
        d = Diagnostic::error(CONFIG_FILE, position, message);
    }
    d
}

/// The position of `key =` in the TOML text, for messages about its value.
fn locate_key(text: &str, key: &str) -> Option<Position> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(Position::of_offset(text, offset + (line.len() - trimmed.len())));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_normalisation() {
        let c = parse("title = \"T\"\nbase_url = \"/okr\"\n").unwrap();
        assert_eq!(c.base_url.as_str(), "/okr/");
        assert_eq!(c.fiscal_year_start_month, 1);
        assert_eq!(
            c.scoring,
            ScoringThresholds {
                green: 0.6,
                yellow: 0.4,
                too_safe: 0.9
            }
        );
        assert_eq!(c.review_sections[2], "学び");
        assert!(c.tag_aliases.is_empty());
    }

    #[test]
    fn version_2_keys_are_read_and_checked() {
        let c = parse(
            "title = \"T\"\nlanguage = \"en\"\n[scoring]\ntoo_safe = 0.95\n[tags]\naliases = { \"価格\" = \"pricing\" }\n",
        )
        .unwrap();
        assert_eq!(c.scoring.too_safe, 0.95);
        assert_eq!(c.review_sections[0], "Results summary");
        assert_eq!(c.tag_aliases.get("価格").map(String::as_str), Some("pricing"));
        let errors = parse("title = \"T\"\n[scoring]\ngreen = 0.6\ntoo_safe = 0.5\n").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.to_string().contains("too_safe (0.5) is not above"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].position.map(|p| p.line), Some(4));
        let errors = parse("title = \"T\"\n[tags]\naliases = { a = \"b\", b = \"c\" }\n").unwrap_err();
        assert!(
            errors[0].message.to_string().contains("itself an alias"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let errs = parse("title = \"T\"\nlanguage = \"fr\"\nfiscal_year_start_month = 13\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].position, Some(Position::new(2, 1)));
        assert!(errs[0].message.to_string().contains("unknown language `fr`"));
        assert_eq!(errs[1].position, Some(Position::new(3, 1)));
    }

    #[test]
    fn missing_title_and_unknown_keys_are_errors() {
        let errs = parse("language = \"ja\"\n").unwrap_err();
        assert!(errs[0].message.to_string().contains("no `title`"));
        let errs = parse("title = \"T\"\nlangauge = \"ja\"\n").unwrap_err();
        assert!(
            errs[0].message.to_string().contains("unknown key `langauge`"),
            "{}",
            errs[0].message
        );
        assert_eq!(
            errs[0].help.as_ref().map(ToString::to_string).as_deref(),
            Some("did you mean `language`?")
        );
        assert_eq!(errs[0].position, Some(Position::new(2, 1)));
    }
}
