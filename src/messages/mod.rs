//! The command line's words: one catalogue per language (`en.toml`, `ja.toml`
//! beside this file), and [`Message`], a key with its arguments that is put into
//! words only when it is shown.
//!
//! A message is made where the problem is found (`msg!("key", name = value)`) and
//! rendered where it is printed, in the language of the site being worked on: the
//! content is read before its `okrsite.toml` says which language it is in, and the
//! tests read the English words, so the words cannot be chosen when the message is
//! made. `Display` gives English; [`Message::render`] any language.
//!
//! A catalogue entry is a string with `{name}` placeholders, or a table
//! `{ one = "…", other = "…" }` chosen by the argument `n` (English plurals; Japanese
//! has one form). `it::messages` checks that both catalogues hold the same keys with
//! the same placeholders and that every key used in `src/` is in them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// The language the command line speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

/// The variable that chooses the command line's language over the site's and the locale's.
pub const LANG_VARIABLE: &str = "OKRSITE_LANG";

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// `OKRSITE_LANG` first, then the site's `language` (when there is a site), then
    /// the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX order).
    pub fn choose(site: Option<Lang>) -> Lang {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(lang) = var(LANG_VARIABLE).as_deref().and_then(Lang::parse) {
            return lang;
        }
        if let Some(lang) = site {
            return lang;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(var);
        Lang::from_locale(locale.as_deref())
    }

    /// `ja_JP.UTF-8` and `ja` are Japanese; anything else (or nothing) English.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l == "ja" || l.starts_with("ja_") || l.starts_with("ja.") || l.starts_with("ja-") => Lang::Ja,
            _ => Lang::En,
        }
    }
}

/// An argument of a message: text already in its final form (a path, an id, a
/// number formatted for the language) or another message, rendered in the same language.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Message(Box<Message>),
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}
impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Arg {
        Arg::Text(s.into_owned())
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Text(n.to_string())
    }
}
impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Text(n.to_string())
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Text(n.to_string())
    }
}
impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Message(Box::new(m))
    }
}

/// A message of the catalogue and its arguments, or text shown as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The catalogue key; empty for [`Message::verbatim`] text (held in the `text` argument).
    key: &'static str,
    /// Boxed, not a `Vec`: diagnostics travel in `Result`s and stay small.
    args: Box<[(&'static str, Arg)]>,
}

/// `msg!("key", name = value, …)`: a [`Message`]; each value is anything an [`Arg`] is made from.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::Message::new($key, vec![$((stringify!($name), $crate::messages::Arg::from($value))),*])
    };
}

impl Message {
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        Message {
            key,
            args: args.into_boxed_slice(),
        }
    }

    /// Text that is not ours to translate (an operating-system error, a template
    /// engine's report), shown as it is in every language.
    /// There is deliberately no `From<String>`: okrsite's own words go through
    /// the catalogue, so none can reach the command line untranslated.
    pub fn verbatim(text: impl Into<String>) -> Message {
        Message {
            key: "",
            args: Box::new([("text", Arg::Text(text.into()))]),
        }
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The message in `lang`'s words.
    pub fn render(&self, lang: Lang) -> String {
        if self.key.is_empty() {
            return self.arg_text("text", lang).unwrap_or_default();
        }
        let Some(template) = catalogue(lang)
            .get(self.key)
            .or_else(|| catalogue(Lang::En).get(self.key))
        else {
            // A key missing from both catalogues is caught by `it::messages`; shown
            // as the key rather than lost.
            return self.key.to_owned();
        };
        let template = match template {
            Entry::One(text) => text.as_str(),
            Entry::Plural { one, other } => match self.arg_text("n", lang).as_deref() {
                Some("1") => one.as_str(),
                _ => other.as_str(),
            },
        };
        fill(template, |name| self.arg_text(name, lang))
    }

    fn arg_text(&self, name: &str, lang: Lang) -> Option<String> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| match a {
            Arg::Text(t) => t.clone(),
            Arg::Message(m) => m.render(lang),
        })
    }
}

impl fmt::Display for Message {
    /// English, the words the tests read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// `template` with each `{name}` replaced; `{{` and `}}` are braces; a name with no
/// argument stays as written.
fn fill(template: &str, mut arg: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        match (tail.starts_with('{'), tail.find('}')) {
            (true, Some(end)) => {
                let name = &tail[1..end];
                match arg(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&tail[..=end]),
                }
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One entry of a catalogue.
#[derive(Debug)]
pub enum Entry {
    One(String),
    Plural { one: String, other: String },
}

impl Entry {
    /// Every text of the entry (both plural forms).
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Entry::One(t) => vec![t],
            Entry::Plural { one, other } => vec![one, other],
        }
    }
}

/// The source text of each language's catalogue.
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("en.toml"),
        Lang::Ja => include_str!("ja.toml"),
    }
}

/// The catalogue of `lang`, read once. A malformed catalogue is a bug of this
/// program, caught by `it::messages`; here it reads as empty, so messages show
/// their English words or keys rather than stopping the command.
pub fn catalogue(lang: Lang) -> &'static HashMap<String, Entry> {
    static EN: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    static JA: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Ja => &JA,
    };
    cell.get_or_init(|| parse_catalogue(source(lang)).unwrap_or_default())
}

/// Why a catalogue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("`{0}` is neither a string nor a table of `one` and `other` strings")]
    Entry(String),
}

/// Reads a catalogue: dotted tables flattened into `a.b.c` keys.
pub fn parse_catalogue(text: &str) -> Result<HashMap<String, Entry>, CatalogueError> {
    let table: toml::Table = toml::from_str(text)?;
    let mut out = HashMap::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, Entry>) -> Result<(), CatalogueError> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(key, Entry::One(s.clone()));
            }
            toml::Value::Table(t) if t.contains_key("one") && t.contains_key("other") => {
                let text = |k: &str| t.get(k).and_then(toml::Value::as_str).map(str::to_owned);
                match (text("one"), text("other"), t.len()) {
                    (Some(one), Some(other), 2) => {
                        out.insert(key, Entry::Plural { one, other });
                    }
                    _ => return Err(CatalogueError::Entry(key)),
                }
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(CatalogueError::Entry(key)),
        }
    }
    Ok(())
}

/// The `{name}` placeholders of a template, sorted.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let _ = fill(template, |name| {
        names.push(name.to_owned());
        None
    });
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_keeps_braces() {
        let filled = fill("a {x} {{y}} {z}", |n| (n == "x").then(|| "1".to_owned()));
        assert_eq!(filled, "a 1 {y} {z}");
    }

    #[test]
    fn chooses_the_plural_form_by_n() {
        let cat = parse_catalogue("[t]\nteams = { one = \"{n} team\", other = \"{n} teams\" }\n").unwrap();
        let Some(Entry::Plural { one, other }) = cat.get("t.teams") else {
            panic!("not a plural")
        };
        assert_eq!((one.as_str(), other.as_str()), ("{n} team", "{n} teams"));
    }

    #[test]
    fn a_locale_decides_only_when_nothing_else_does() {
        assert_eq!(Lang::from_locale(Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_locale(Some("ja")), Lang::Ja);
        assert_eq!(Lang::from_locale(Some("jam")), Lang::En);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn nested_messages_render_in_the_outer_language() {
        let inner = Message::verbatim("x");
        let outer = Message::new("", vec![("text", Arg::from(inner))]);
        assert_eq!(outer.render(Lang::Ja), "x");
    }

    #[test]
    fn placeholders_are_listed_once() {
        assert_eq!(placeholders("{a} {b} {a} {{c}}"), vec!["a", "b"]);
    }
}
