//! The pages' words: the theme's catalogue of UI strings for one language
//! (`themes/default/i18n/<lang>.toml`), with plural forms and placeholders.
//!
//! A key holds a text (`as_of = "as of {date}"`) or, for a count, its plural forms
//! (`learnings_count = { one = "{n} learning", other = "{n} learnings" }`). Which form
//! a count takes is the language's rule ([`plural_form`]): English has `one` and
//! `other`, Japanese only `other`. `{name}` in a text is a placeholder; `{n}` is the
//! count, written with thousands separators. `it::words` checks that both catalogues
//! hold the same keys, forms and placeholders, and that every key used exists.

use std::collections::{BTreeMap, HashMap};

use crate::config::Language;

/// A key's words: a text, or the plural forms of a count.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Plain(String),
    /// `other` is always there; `one` only in languages that have it.
    Plural {
        one: Option<String>,
        other: String,
    },
}

impl Text {
    /// The text, or the `other` form of a count (what `t.<key>` gives a template).
    pub fn other(&self) -> &str {
        match self {
            Text::Plain(s) | Text::Plural { other: s, .. } => s,
        }
    }
}

/// Why a catalogue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StringsError {
    #[error("{0}")]
    Toml(#[from] toml::de::Error),
    /// A key's value is neither a string nor a table of plural forms.
    #[error("`{key}`: a string or a table {{ one = \"…\", other = \"…\" }} is expected")]
    Shape { key: String },
}

/// The plural form a count takes in a language: `"one"` or `"other"` (the CLDR
/// categories; English: `one` for exactly 1; Japanese has no plural: always `other`).
pub fn plural_form(lang: Language, n: f64) -> &'static str {
    match lang {
        Language::En if n == 1.0 => "one",
        _ => "other",
    }
}

/// The theme's UI strings for one language.
#[derive(Debug, Clone)]
pub struct Strings {
    pub lang: Language,
    pub texts: BTreeMap<String, Text>,
    /// Each key's `other` form escaped as Tera escapes what a template prints, made
    /// on first use ([`Strings::get_escaped`]).
    escaped: std::sync::OnceLock<HashMap<String, String, ahash::RandomState>>,
}

impl Strings {
    pub fn parse(toml_text: &str, lang: Language) -> Result<Strings, StringsError> {
        let table: toml::Table = toml::from_str(toml_text)?;
        let mut texts = BTreeMap::new();
        for (key, value) in table {
            let text = match value {
                toml::Value::String(s) => Text::Plain(s),
                toml::Value::Table(forms) => {
                    let form = |f: &str| forms.get(f).and_then(|v| v.as_str()).map(str::to_string);
                    let known = forms.keys().all(|k| k == "one" || k == "other");
                    match (form("other"), known) {
                        (Some(other), true) => Text::Plural {
                            one: form("one"),
                            other,
                        },
                        _ => return Err(StringsError::Shape { key }),
                    }
                }
                _ => return Err(StringsError::Shape { key }),
            };
            texts.insert(key, text);
        }
        Ok(Strings::new(lang, texts))
    }

    pub fn new(lang: Language, texts: BTreeMap<String, Text>) -> Strings {
        Strings {
            lang,
            texts,
            escaped: std::sync::OnceLock::new(),
        }
    }

    /// The string for `key` (a count's `other` form); the key itself when missing,
    /// so a gap shows rather than breaks.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts.get(key).map_or(key, Text::other)
    }

    /// [`Strings::get`] escaped as Tera escapes what a template prints (`{{ t.key }}`),
    /// for the pages okrsite writes itself; `None` for a missing key.
    pub fn get_escaped(&self, key: &str) -> Option<&str> {
        let escaped = self.escaped.get_or_init(|| {
            (self.texts.iter())
                .map(|(key, text)| {
                    let mut out = String::with_capacity(text.other().len());
                    // Writing into a String cannot fail.
                    let _ = pulldown_cmark_escape::escape_html(&mut out, text.other());
                    (key.clone(), out)
                })
                .collect()
        });
        escaped.get(key).map(String::as_str)
    }

    /// The form of `key` for the count `n` (the text itself when it has no forms).
    pub fn form<'a>(&'a self, key: &'a str, n: f64) -> &'a str {
        match self.texts.get(key) {
            Some(Text::Plural { one: Some(one), .. }) if plural_form(self.lang, n) == "one" => one,
            Some(text) => text.other(),
            None => key,
        }
    }

    /// The string with `{name}` replaced.
    pub fn fill(&self, key: &str, name: &str, value: &str) -> String {
        self.get(key).replace(&format!("{{{name}}}"), value)
    }

    /// The string with each `{name}` of `args` replaced.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill_all(self.get(key), args)
    }

    /// A count in words: the form for `n`, with `{n}` written as a number
    /// (`1 learning`, `12 learnings`, `12件の学び`).
    pub fn count(&self, key: &str, n: usize) -> String {
        self.count_with(key, n, &[])
    }

    /// A count in words with other placeholders too (`{date}`…).
    pub fn count_with(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let shown = super::format::number(n as f64);
        let mut all = vec![("n", shown.as_str())];
        all.extend_from_slice(args);
        fill_all(self.form(key, n as f64), &all)
    }

    /// The strings as templates get them (`t.<key>`): each key's text, a count's
    /// `other` form (templates put counts in words with `tr`).
    pub fn to_value(&self) -> tera::Value {
        let map: BTreeMap<&str, &str> = self.texts.iter().map(|(k, v)| (k.as_str(), v.other())).collect();
        tera::Value::from_serializable(&map)
    }

    /// The Tera function `tr`: a key's words with its placeholders filled from the
    /// arguments (`tr(key="as_of", date=today)`), the form for the count `n` when the
    /// key has forms (`tr(key="learnings_count", n=3)`); `form="one"` gives a form as
    /// written, placeholders left in (for the search script, which fills them itself).
    /// A missing key or a count without `n` is an error, so a template cannot show a
    /// key in place of words.
    pub fn tera_function(&self) -> impl Fn(tera::Kwargs, &tera::State) -> tera::TeraResult<String> + use<> {
        let strings = self.clone();
        move |kwargs: tera::Kwargs, _: &tera::State| strings.tr(&kwargs)
    }

    /// What `tr` gives for its arguments ([`Strings::tera_function`]).
    pub fn tr(&self, kwargs: &tera::Kwargs) -> tera::TeraResult<String> {
        let key: &str = kwargs.must_get("key")?;
        let Some(text) = self.texts.get(key) else {
            return Err(tera::Error::message(format!("tr: no string `{key}` in the catalogue")));
        };
        if let Some(form) = kwargs.get::<&str>("form")? {
            let words = match (text, form) {
                (Text::Plural { one: Some(one), .. }, "one") => one.as_str(),
                _ => text.other(),
            };
            return Ok(words.to_string());
        }
        let n = kwargs
            .iter()
            .find(|(k, _)| k.as_str() == Some("n"))
            .and_then(|(_, v)| v.as_f64());
        let words = match (text, n) {
            (Text::Plural { .. }, None) => {
                return Err(tera::Error::message(format!("tr: `{key}` is a count: give `n`")));
            }
            (_, Some(n)) => self.form(key, n),
            (Text::Plain(s), None) => s.as_str(),
        };
        let values: Vec<(&str, String)> = kwargs
            .iter()
            .filter_map(|(name, v)| Some((name.as_str()?, v)))
            .filter(|(name, _)| !matches!(*name, "key" | "form"))
            .map(|(name, v)| {
                let shown = match (v.as_str(), v.as_f64()) {
                    (Some(s), _) => s.to_string(),
                    (None, Some(x)) => super::format::number(x),
                    (None, None) => v.to_string(),
                };
                (name, shown)
            })
            .collect();
        let refs: Vec<(&str, &str)> = values.iter().map(|(a, b)| (*a, b.as_str())).collect();
        Ok(fill_all(words, &refs))
    }
}

/// `text` with each `{name}` of `args` replaced by its value (in one pass, so a
/// value holding `{…}` is never filled again).
pub fn fill_all(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            args.iter()
                .find(|(name, _)| *name == &after[..close])
                .map(|a| (close, a.1))
        });
        match value {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a text: each `{name}` (a name of letters, digits and `_`), sorted.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "a = \"as of {date}\"\nc = { one = \"{n} learning\", other = \"{n} learnings\" }\n";
    const JA: &str = "a = \"{date}時点\"\nc = { other = \"{n}件の学び\" }\n";

    #[test]
    fn counts_take_the_language_s_plural_form() {
        let en = Strings::parse(EN, Language::En).unwrap();
        let ja = Strings::parse(JA, Language::Ja).unwrap();
        assert_eq!(en.count("c", 1), "1 learning");
        assert_eq!(en.count("c", 0), "0 learnings");
        assert_eq!(en.count("c", 2), "2 learnings");
        assert_eq!(en.count("c", 1234), "1,234 learnings");
        assert_eq!(ja.count("c", 1), "1件の学び");
        assert_eq!(en.get("c"), "{n} learnings");
        assert_eq!(en.format("a", &[("date", "Dec 1, 2026")]), "as of Dec 1, 2026");
        assert_eq!(ja.format("a", &[("date", "2026年12月1日")]), "2026年12月1日時点");
    }

    #[test]
    fn the_template_function_fills_and_chooses() {
        let en = Strings::parse(EN, Language::En).unwrap();
        let s = |x: &'static str| tera::Value::from(x);
        let call2 = |a: (&'static str, tera::Value), b: (&'static str, tera::Value)| en.tr(&tera::Kwargs::from([a, b]));
        assert_eq!(call2(("key", s("c")), ("n", 1.into())).unwrap(), "1 learning");
        assert_eq!(call2(("key", s("c")), ("n", 3.into())).unwrap(), "3 learnings");
        assert_eq!(call2(("key", s("a")), ("date", s("Dec 1"))).unwrap(), "as of Dec 1");
        assert_eq!(call2(("key", s("c")), ("form", s("one"))).unwrap(), "{n} learning");
        assert!(
            en.tr(&tera::Kwargs::from([("key", s("c"))])).is_err(),
            "a count without n"
        );
        assert!(
            en.tr(&tera::Kwargs::from([("key", s("nope"))])).is_err(),
            "a missing key"
        );
    }

    #[test]
    fn a_bad_shape_is_an_error() {
        assert!(Strings::parse("a = 1\n", Language::En).is_err());
        assert!(Strings::parse("a = { one = \"x\" }\n", Language::En).is_err());
        assert!(Strings::parse("a = { other = \"x\", few = \"y\" }\n", Language::En).is_err());
    }

    #[test]
    fn escaped_strings_are_escaped_as_tera_escapes_them() {
        let strings = Strings::parse(
            "a = \"<b> & \\\"c\\\"\"\nn = { one = \"1 x\", other = \"{n} x's\" }\n",
            Language::En,
        )
        .unwrap();
        let mut tera = Vec::new();
        tera::escape_html(strings.get("a"), &mut tera).unwrap();
        assert_eq!(
            strings.get_escaped("a"),
            Some(String::from_utf8(tera).unwrap().as_str())
        );
        assert_eq!(strings.get_escaped("a"), Some("&lt;b&gt; &amp; &quot;c&quot;"));
        assert_eq!(strings.get_escaped("n"), Some("{n} x&#39;s"));
        assert_eq!(strings.get_escaped("missing"), None);
    }

    #[test]
    fn filling_is_one_pass_and_placeholders_are_listed() {
        assert_eq!(fill_all("{a} {b} {c", &[("a", "{b}"), ("b", "2")]), "{b} 2 {c");
        assert_eq!(placeholders("{n} of {date}, {n} {} {x y}"), ["date", "n"]);
    }
}
