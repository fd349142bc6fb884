//! `okrsite.toml`: the site configuration.

use jiff::civil::Date;
use serde::Deserialize;

use crate::base_url::{self, BaseUrl};
use crate::diag::Message;
use crate::diag::{Diagnostic, Position, suggestion};
use crate::msg;

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
    /// How the pages name a quarter (`quarter_name`, e.g. `"FY{year} Q{q}"`); `None`:
    /// the language's default ([`default_quarter_name`]).
    pub quarter_name: Option<String>,
    pub ignore: Vec<String>,
    pub scoring: ScoringThresholds,
    pub learning_headings: Vec<String>,
    /// The level-2 headings a retrospective is expected to have, in order (`[review] sections`).
    pub review_sections: Vec<String>,
    /// Tag spellings filed under another tag (`[tags] aliases`), keys as written.
    pub tag_aliases: std::collections::BTreeMap<String, String>,
    /// Keep raw HTML in Markdown as written (trusted authors only); sanitised otherwise.
    pub allow_html: bool,
    /// Write `.gz` and `.br` beside every text file (`build --compress` does too).
    pub compress: bool,
    /// How many retrospectives `feed.xml` holds, the newest (`feed_entries`): a feed
    /// reader wants what is new, and a site of hundreds of teams would otherwise write
    /// every retrospective of every quarter into one file.
    pub feed_entries: usize,
    /// "Today" pinned for an archived or demo site (`as_of`): it wins over
    /// `SOURCE_DATE_EPOCH` and the system date (see `build::check_cached`).
    #[serde(skip)]
    pub as_of: Option<Date>,
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
            quarter_name: None,
            ignore: Vec::new(),
            scoring: ScoringThresholds::default(),
            learning_headings: vec!["Learnings".into(), "学び".into(), "Lessons learned".into()],
            review_sections: default_review_sections(Language::Ja),
            tag_aliases: Default::default(),
            allow_html: false,
            compress: false,
            feed_entries: DEFAULT_FEED_ENTRIES,
            as_of: None,
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
    quarter_name: Option<String>,
    ignore: Option<Vec<String>>,
    scoring: Option<RawScoring>,
    learnings: Option<RawLearnings>,
    review: Option<RawReview>,
    tags: Option<RawTags>,
    allow_html: Option<bool>,
    compress: Option<bool>,
    /// Any TOML value, so a string or a fraction gets our message, not the parser's.
    feed_entries: Option<toml::Spanned<toml::Value>>,
    /// A string `"2026-11-21"` or a TOML date `2026-11-21`.
    as_of: Option<toml::Spanned<toml::Value>>,
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

/// The placeholders of `quarter_name`: the year the quarter is named after (a fiscal
/// year is named after the year it starts in), the same in two digits, the quarter's number.
pub const QUARTER_NAME_PLACEHOLDERS: [&str; 3] = ["year", "yy", "q"];

/// How the pages name a quarter when `quarter_name` does not say: `Q3 2026` and
/// `FY2026 Q3` in English, `2026年 Q3` and `2026年度 Q3` in Japanese.
pub fn default_quarter_name(language: Language, fiscal: bool) -> &'static str {
    match (language, fiscal) {
        (Language::En, false) => "Q{q} {year}",
        (Language::En, true) => "FY{year} Q{q}",
        (Language::Ja, false) => "{year}年 Q{q}",
        (Language::Ja, true) => "{year}年度 Q{q}",
    }
}

/// What is wrong with a `quarter_name`, if anything: a `{…}` that is not one of
/// [`QUARTER_NAME_PLACEHOLDERS`] (or a `{` never closed), or a name without the
/// quarter's number or without its year (two quarters would share a name).
pub fn check_quarter_name(name: &str) -> Result<(), Message> {
    let mut rest = name;
    let mut found: Vec<&str> = Vec::new();
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if QUARTER_NAME_PLACEHOLDERS.contains(&&after[..close]) => {
                found.push(&after[..close]);
                rest = &after[close + 1..];
            }
            Some(close) => {
                let written = format!("{{{}}}", &after[..close]);
                return Err(msg!("config.quarter_name_unknown", placeholder = written));
            }
            None => return Err(msg!("config.quarter_name_unknown", placeholder = &rest[open..])),
        }
    }
    if !found.contains(&"q") {
        return Err(msg!("config.quarter_name_no_quarter", value = name));
    }
    if !found.contains(&"year") && !found.contains(&"yy") {
        return Err(msg!("config.quarter_name_no_year", value = name));
    }
    Ok(())
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
    "quarter_name",
    "ignore",
    "scoring",
    "learnings",
    "review",
    "tags",
    "allow_html",
    "compress",
    "feed_entries",
    "as_of",
];

/// `feed_entries` when okrsite.toml does not set it.
pub const DEFAULT_FEED_ENTRIES: usize = 50;

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
    if let Some(name) = raw.quarter_name {
        r.quarter_name(&name);
        config.quarter_name = Some(name);
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
    config.compress = raw.compress.unwrap_or(false);
    if let Some(n) = raw.feed_entries {
        config.feed_entries = r.feed_entries(&n).unwrap_or(DEFAULT_FEED_ENTRIES);
    }
    if let Some(as_of) = raw.as_of {
        config.as_of = r.as_of(&as_of);
    }
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
            self.help("title", msg!("config.empty_title"), msg!("config.empty_title_help"));
        }
    }

    fn base_url(&mut self, url: &str, config: &mut Config) {
        match BaseUrl::parse(url) {
            Ok(u) => config.base_url = u,
            Err(e) => self.help(
                "base_url",
                msg!("config.bad_base_url", url = url, reason = e.message()),
                base_url::expected(),
            ),
        }
    }

    fn language(&mut self, lang: &str, config: &mut Config) {
        match lang {
            "ja" => config.language = Language::Ja,
            "en" => config.language = Language::En,
            other => self.help(
                "language",
                msg!("config.unknown_language", value = other),
                msg!("config.unknown_language_help"),
            ),
        }
    }

    fn theme(&mut self, theme: &str) {
        if theme != "default" {
            self.help(
                "theme",
                msg!("config.unknown_theme", value = theme),
                msg!("config.unknown_theme_help"),
            );
        }
    }

    fn output_dir(&mut self, out: &str) {
        if out.trim().is_empty() {
            self.error("output_dir", msg!("config.empty_output_dir"));
        }
    }

    fn fiscal_year_start_month(&mut self, m: i64, config: &mut Config) {
        if (1..=12).contains(&m) {
            config.fiscal_year_start_month = m as i8;
        } else {
            self.help(
                "fiscal_year_start_month",
                msg!("config.fiscal_month", value = m.to_string()),
                msg!("config.fiscal_month_help"),
            );
        }
    }

    fn quarter_name(&mut self, name: &str) {
        if let Err(message) = check_quarter_name(name) {
            self.help("quarter_name", message, msg!("config.quarter_name_help"));
        }
    }

    fn ignore(&mut self, patterns: &[String]) {
        for pattern in patterns {
            // `!<glob>` re-includes what <glob> matches (see crate::ignore).
            let glob = pattern.strip_prefix('!').unwrap_or(pattern);
            if let Err(e) = crate::ignore::glob(glob) {
                let message = msg!("config.bad_glob", pattern = pattern, reason = e.kind().to_string());
                self.error("ignore", message);
            }
        }
    }

    fn scoring(&mut self, s: &RawScoring, defaults: ScoringThresholds) -> ScoringThresholds {
        let green = s.green.unwrap_or(defaults.green);
        let yellow = s.yellow.unwrap_or(defaults.yellow);
        let too_safe = s.too_safe.unwrap_or(defaults.too_safe);
        for (key, v) in [("green", green), ("yellow", yellow), ("too_safe", too_safe)] {
            if !(0.0..=1.0).contains(&v) {
                self.error(key, msg!("config.score_range", key = key, value = v.to_string()));
            }
        }
        if yellow > green {
            self.help(
                "yellow",
                msg!(
                    "config.yellow_above_green",
                    yellow = yellow.to_string(),
                    green = green.to_string()
                ),
                msg!("config.yellow_above_green_help"),
            );
        }
        if too_safe <= green && (0.0..=1.0).contains(&too_safe) {
            self.help(
                "too_safe",
                msg!(
                    "config.too_safe",
                    too_safe = too_safe.to_string(),
                    green = green.to_string()
                ),
                msg!("config.too_safe_help"),
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
            self.help("sections", msg!("config.no_sections"), msg!("config.no_sections_help"));
        }
    }

    fn tags(&mut self, tags: &RawTags) {
        for (from, to) in &tags.aliases {
            if from.trim().is_empty() || to.trim().is_empty() {
                self.error("aliases", msg!("config.alias_empty", from = from, to = to));
            } else if tags.aliases.contains_key(to) && to != from {
                self.help(
                    "aliases",
                    msg!("config.alias_of_alias", from = from, to = to),
                    msg!("config.alias_of_alias_help", from = from, target = &tags.aliases[to]),
                );
            }
        }
    }

    /// `as_of`, a date written `"YYYY-MM-DD"` (or as a TOML date); an error at the value.
    fn as_of(&mut self, value: &toml::Spanned<toml::Value>) -> Option<Date> {
        let written = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let date = calendar_date(&written);
        if date.is_none() {
            let at = Position::of_offset(self.text, value.span().start);
            self.errors.push(
                Diagnostic::error(CONFIG_FILE, Some(at), msg!("config.as_of", text = &written))
                    .with_help(msg!("config.as_of_help")),
            );
        }
        date
    }

    /// `feed_entries`, a whole number of 1 or more; an error at the value otherwise
    /// (0, a negative number, a fraction, a string).
    fn feed_entries(&mut self, value: &toml::Spanned<toml::Value>) -> Option<usize> {
        let n = match value.get_ref() {
            toml::Value::Integer(n) => usize::try_from(*n).ok().filter(|n| *n >= 1),
            _ => None,
        };
        if n.is_none() {
            let at = Position::of_offset(self.text, value.span().start);
            self.errors.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    Some(at),
                    msg!("config.feed_entries", value = value.get_ref().to_string()),
                )
                .with_help(msg!("config.feed_entries_help")),
            );
        }
        n
    }

    fn learnings(&mut self, l: &RawLearnings) {
        if l.headings.iter().all(|h| h.trim().is_empty()) {
            self.help("headings", msg!("config.no_headings"), msg!("config.no_headings_help"));
        }
    }
}

/// A date written `YYYY-MM-DD` that exists.
fn calendar_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    let number = |r: std::ops::Range<usize>| text[r].parse::<i16>().ok();
    let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
    Date::new(y, m as i8, d as i8).ok().filter(|_| y >= 1)
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
            msg!("config.unknown_key", key = key, expected = TOP_KEYS.join(", ")),
        );
        let scoring = ["green", "yellow"];
        if let Some(help) = suggestion(key, TOP_KEYS).or_else(|| suggestion(key, &scoring)) {
            d = d.with_help(help);
        }
    } else if message.contains("missing field `title`") {
        d = Diagnostic::error(CONFIG_FILE, Some(Position::new(1, 1)), msg!("config.no_title"))
            .with_help(msg!("config.no_title_help"));
    } else {
        // The TOML parser's own words: not ours to translate.
        d = Diagnostic::error(CONFIG_FILE, position, Message::verbatim(message));
    }
    d
}

/// The position of `key =` in the TOML text, for messages about its value.
pub fn locate_key(text: &str, key: &str) -> Option<Position> {
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
mod tests;
