//! "Did you mean …?": the help for a misspelt key or value, shared by the config and
//! content checks.

/// "did you mean `target`?" when one expected word is close to what was written.
pub fn suggestion(written: &str, expected: &[&str]) -> Option<String> {
    closest(written, expected).map(|e| format!("did you mean `{e}`?"))
}

/// The expected word close to what was written, if one is (the rule of [`suggestion`]).
pub fn closest<'a>(written: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::damerau_levenshtein(written, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 3))
        .min()
        .map(|(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_word_is_suggested_and_a_far_one_is_not() {
        let keys = ["target", "baseline", "metric"];
        assert_eq!(suggestion("targte", &keys).as_deref(), Some("did you mean `target`?"));
        assert_eq!(
            suggestion("baseline_", &keys).as_deref(),
            Some("did you mean `baseline`?")
        );
        assert_eq!(suggestion("owner", &keys), None);
        assert_eq!(suggestion("x", &[]), None);
    }
}
