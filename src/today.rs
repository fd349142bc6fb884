//! "Today": the date of `SOURCE_DATE_EPOCH` (UTC) when set, as reproducible
//! builds expect, else the system date in UTC. A site's `as_of` (okrsite.toml)
//! wins over both; it is applied where the config is read (`build::check_cached`).

use jiff::civil::Date;
use jiff::{Timestamp, tz::TimeZone};

/// A `SOURCE_DATE_EPOCH` that names no date.
#[derive(Debug, thiserror::Error)]
pub enum EpochError {
    NotANumber(String),
    OutOfRange(i64),
}

impl EpochError {
    pub fn message(&self) -> crate::messages::Message {
        match self {
            EpochError::NotANumber(v) => crate::msg!("today.not_a_number", value = v),
            EpochError::OutOfRange(v) => crate::msg!("today.out_of_range", value = v.to_string()),
        }
    }
}

impl std::fmt::Display for EpochError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

/// Reads `SOURCE_DATE_EPOCH`; an unparsable value is an error, not silently ignored.
pub fn today() -> Result<Date, EpochError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => from_epoch(&v),
        Err(_) => Ok(Timestamp::now().to_zoned(TimeZone::UTC).date()),
    }
}

pub fn from_epoch(v: &str) -> Result<Date, EpochError> {
    let secs: i64 = v.trim().parse().map_err(|_| EpochError::NotANumber(v.to_string()))?;
    Timestamp::from_second(secs)
        .map(|t| t.to_zoned(TimeZone::UTC).date())
        .map_err(|_| EpochError::OutOfRange(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn epoch_is_read_in_utc() {
        assert_eq!(from_epoch("1795219200").unwrap(), date(2026, 11, 21));
        assert_eq!(from_epoch("1795305599").unwrap(), date(2026, 11, 21));
        assert!(from_epoch("tomorrow").is_err());
        assert!(from_epoch("99999999999999999").is_err());
    }
}
