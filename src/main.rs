//! The `okrsite` command line. Only argument handling and printing live here.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod cli_help;

use okrsite::base_url::{self, BaseUrl};
use okrsite::build::cli_lang;
use okrsite::build::{self, BuildOptions, Checked};
use okrsite::diag;
use okrsite::messages::{Lang, Message};
use okrsite::msg;

/// Exit codes: 0 success (warnings allowed), 1 content errors, 2 usage errors.
const EXIT_CONTENT: u8 = 1;
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
// The help texts are in the message catalogue (`help.*`), applied by `cli_help::localized`.
#[command(name = "okrsite", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Check {
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        drafts: bool,
    },
    Build {
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<BaseUrl>,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        compress: bool,
    },
    Serve {
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<BaseUrl>,
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        open: bool,
    },
    Init {
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "ja")]
        lang: SiteLang,
    },
    New {
        quarter: String,
        team: String,
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    Checkin {
        #[arg(required_unless_present = "due", display_order = 1)]
        quarter: Option<String>,
        #[arg(required_unless_present = "due", display_order = 2)]
        team: Option<String>,
        #[arg(required_unless_present = "due", value_name = "OBJ/KR", display_order = 3)]
        kr: Option<String>,
        #[arg(long, value_enum, required_unless_present = "due")]
        status: Option<Status>,
        #[arg(long)]
        confidence: Option<f64>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, allow_negative_numbers = true)]
        value: Option<f64>,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<jiff::civil::Date>,
        #[arg(long, conflicts_with_all = ["quarter", "team", "kr", "status", "confidence", "note", "value", "date"])]
        due: bool,
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// A check-in's status, as `--status` takes it.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Status {
    Green,
    Yellow,
    Red,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SiteLang {
    Ja,
    En,
}

// A build allocates many short-lived strings on every rayon thread; glibc's malloc spent
// about a sixth of a large build in its arena bookkeeping (measured with perf), mimalloc
// a fraction of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options by their number in its `mi_option_e` (mimalloc.h, v3), which
/// libmimalloc-sys's constants do not follow. A test checks them against the defaults.
const MI_OPTION_ALLOW_LARGE_OS_PAGES: libmimalloc_sys::mi_option_t = 6;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tunes the allocator for a command that runs once and exits (all but `serve`):
/// memory in 2 MB pages (transparent huge pages), never given back to the system
/// before the exit. A 200-team build faulted in 100,000 pages of 4 KB, and gave back
/// memory a second after it was freed only to fault it in again: with these, about
/// 800 faults and a sixth less CPU time, for some 60 MB more at its peak. `serve`
/// keeps the defaults: it runs all day, and gives back what a rebuild used.
fn tune_allocator_for_one_shot() {
    // SAFETY: `mi_option_set` stores a value that mimalloc reads when it next needs
    // it; both options are valid at any time.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_LARGE_OS_PAGES, 1);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}

fn main() -> ExitCode {
    // Before the arguments are parsed: set before mimalloc takes its first memory from
    // the system. (An argument `serve` anywhere keeps the defaults, if rarely in vain.)
    if !std::env::args_os().skip(1).any(|a| a == "serve") {
        tune_allocator_for_one_shot();
    }
    let lang = lang_before_parsing();
    let matches = cli_help::localized(Cli::command(), lang)
        .try_get_matches()
        .unwrap_or_else(|e| cli_help::usage_error(e, lang));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| cli_help::usage_error(e, lang));
    let lang = cli.command.lang();
    let today = match okrsite::today::today() {
        Ok(d) => d,
        Err(e) => {
            error(lang, e.message());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Check { root, strict, drafts } => check(&root, strict, drafts, today, color, lang),
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            force,
            compress,
        } => {
            let opts = BuildOptions {
                root,
                target: build::Target::Output { dir: output, force },
                base_url,
                drafts,
                today,
                compress,
                progress: None,
                session: None,
            };
            build_site(opts, color, lang)
        }
        Command::Serve {
            root,
            port,
            bind,
            base_url,
            allow_host,
            drafts,
            open,
        } => serve(
            lang,
            okrsite::serve::ServeOptions {
                root,
                bind,
                port,
                base_url,
                allowed_hosts: allow_host,
                drafts,
                open,
                today: || okrsite::today::today().unwrap_or(jiff::civil::Date::constant(2000, 1, 1)),
            },
        ),
        Command::Init { dir, lang: site_lang } => init(&dir, site_lang, today, lang),
        Command::New { quarter, team, root } => new_quarter(&root, &quarter, &team, today, lang),
        Command::Checkin { due: true, root, .. } => checkin_due(&root, today, color, lang),
        Command::Checkin {
            quarter,
            team,
            kr,
            status,
            confidence,
            note,
            value,
            date,
            root,
            ..
        } => {
            let status = match status {
                Some(Status::Green) | None => okrsite::domain::Light::Green,
                Some(Status::Yellow) => okrsite::domain::Light::Yellow,
                Some(Status::Red) => okrsite::domain::Light::Red,
            };
            let c = okrsite::checkin::Checkin {
                quarter: quarter.unwrap_or_default(),
                team: team.unwrap_or_default(),
                kr: kr.unwrap_or_default(),
                status,
                confidence,
                note,
                value,
                date,
            };
            checkin(&root, &c, today, color, lang)
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut command = cli_help::localized(Cli::command(), lang);
            clap_complete::generate(shell, &mut command, "okrsite", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

impl Command {
    /// The language the command speaks: the site's (at `--root`), `OKRSITE_LANG`
    /// over it, or the locale outside a site.
    fn lang(&self) -> Lang {
        match self {
            Command::Check { root, .. }
            | Command::Build { root, .. }
            | Command::Serve { root, .. }
            | Command::New { root, .. }
            | Command::Checkin { root, .. } => cli_lang(root),
            Command::Init { .. } | Command::Completions { .. } => Lang::choose(None),
        }
    }
}

/// The language of the help, before the arguments are parsed: that of the site
/// named by `--root` (or the current folder's), else `OKRSITE_LANG` or the locale.
fn lang_before_parsing() -> Lang {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let root = args.iter().enumerate().find_map(|(i, a)| {
        let a = a.to_str()?;
        match a.strip_prefix("--root=") {
            Some(value) => Some(PathBuf::from(value)),
            None if a == "--root" => args.get(i + 1).map(PathBuf::from),
            None => None,
        }
    });
    cli_lang(&root.unwrap_or_else(|| PathBuf::from(".")))
}

/// `error: …` on stderr, in `lang`.
fn error(lang: Lang, message: Message) {
    let text = msg!("cli.error", text = message).render(lang);
    eprintln!("{}", diag::escape_controls(&text));
}

/// `okrsite check`: every problem of the run; exit 1 on errors (or warnings with `--strict`).
fn check(
    root: &std::path::Path,
    strict: bool,
    drafts: bool,
    today: jiff::civil::Date,
    color: bool,
    lang: Lang,
) -> ExitCode {
    if let Err(code) = require_dir(root, lang) {
        return code;
    }
    let checked = build::check(root, drafts, today);
    report(&checked, color, lang);
    let failed = checked.error_count() > 0 || (strict && checked.warning_count() > 0);
    if failed {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

/// `okrsite build`: checks, then writes the site; the summary line or why nothing was written.
fn build_site(mut opts: BuildOptions, color: bool, lang: Lang) -> ExitCode {
    if let Err(code) = require_dir(&opts.root, lang) {
        return code;
    }
    let started = std::time::Instant::now();
    let bar = progress_bar();
    opts.progress = bar.clone().map(|bar| progress_reporter(bar, lang));
    let result = build::build(&opts);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(built) => {
            report(&built.checked, color, lang);
            let Some(out) = &built.output else {
                eprintln!("{}", msg!("build.nothing_written_fix").render(lang));
                return ExitCode::from(EXIT_CONTENT);
            };
            let n = |count: usize| okrsite::render::format::number(count as f64);
            let built_message = msg!(
                "build.summary",
                pages = msg!("count.pages", n = n(built.pages)),
                charts = msg!("count.charts", n = n(built.charts)),
                learnings = msg!("count.learnings", n = n(built.learnings)),
                seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
                out = out.display().to_string(),
            );
            eprintln!("{}", diag::escape_controls(&built_message.render(lang)));
            if built.unchanged {
                eprintln!("{}", msg!("build.unchanged").render(lang));
            }
            // The process ends here: the system takes the site's memory back at once,
            // where freeing it piece by piece took tens of milliseconds at 200 teams.
            std::mem::forget(built);
            ExitCode::SUCCESS
        }
        Err(e) => {
            // A refused output folder or a failed write is the user's to fix, not the
            // content's (exit 2); a template or `static/` at fault is the site's (exit 1).
            let code = if e.is_site_error() { EXIT_CONTENT } else { EXIT_USAGE };
            error(lang, e.message());
            if !matches!(e, build::BuildError::Cancelled) {
                eprintln!("{}", msg!("build.nothing_written").render(lang));
            }
            ExitCode::from(code)
        }
    }
}

/// On a terminal, a spinner while reading, then a bar over the pages; nothing
/// when piped or in CI.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    })
}

/// What a build reports, shown on `bar`.
fn progress_reporter(bar: indicatif::ProgressBar, lang: Lang) -> build::Progress {
    let template = msg!("progress.bar").render(lang);
    let bar_style = indicatif::ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
    Box::new(move |step: build::Step| match step {
        build::Step::Stage(stage) => {
            let name = match stage {
                build::Stage::Reading => msg!("progress.reading"),
                build::Stage::Rendering => msg!("progress.rendering"),
                build::Stage::Writing => msg!("progress.writing"),
            };
            bar.set_message(name.render(lang));
        }
        build::Step::Pages { done, total } => {
            if bar.length() != Some(total as u64) {
                bar.set_style(bar_style.clone());
                bar.set_length(total as u64);
            }
            bar.set_position(done as u64);
        }
    })
}

/// `okrsite serve`: until stopped; errors before serving are usage errors.
fn serve(lang: Lang, opts: okrsite::serve::ServeOptions) -> ExitCode {
    if let Err(code) = require_dir(&opts.root, lang) {
        return code;
    }
    match okrsite::serve::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            error(lang, e.message());
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `okrsite init DIR`: a new site with a small valid example.
fn init(dir: &std::path::Path, site_lang: SiteLang, today: jiff::civil::Date, lang: Lang) -> ExitCode {
    let site_lang = match site_lang {
        SiteLang::Ja => okrsite::config::Language::Ja,
        SiteLang::En => okrsite::config::Language::En,
    };
    match okrsite::scaffold::init(dir, site_lang, today) {
        Ok(files) => {
            let created = msg!(
                "init.created",
                files = msg!("count.files", n = files.len()),
                dir = dir.to_string_lossy(),
                command = format!("okrsite check --root {}", shell_quoted(dir)),
            );
            eprintln!("{}", diag::escape_controls(&created.render(lang)));
            ExitCode::SUCCESS
        }
        Err(e) => {
            error(lang, e.message());
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `okrsite new QUARTER TEAM`: the quarter's files for a team.
fn new_quarter(root: &std::path::Path, quarter: &str, team: &str, today: jiff::civil::Date, lang: Lang) -> ExitCode {
    if let Err(code) = require_dir(root, lang) {
        return code;
    }
    match okrsite::scaffold::new_quarter(root, quarter, team, today) {
        Ok(files) => {
            for f in files {
                eprintln!("{}", diag::escape_controls(&msg!("new.created", file = f).render(lang)));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            error(lang, e.message());
            ExitCode::from(if e.is_content_error() { EXIT_CONTENT } else { EXIT_USAGE })
        }
    }
}

/// `okrsite checkin`: the files written, or why nothing was (with the errors the
/// check-in would have caused).
fn checkin(
    root: &std::path::Path,
    c: &okrsite::checkin::Checkin,
    today: jiff::civil::Date,
    color: bool,
    lang: Lang,
) -> ExitCode {
    if let Err(code) = require_dir(root, lang) {
        return code;
    }
    match okrsite::checkin::checkin(root, c, today) {
        Ok(written) => {
            for line in written.lines(c) {
                eprintln!("{}", diag::escape_controls(&line.render(lang)));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let okrsite::checkin::CheckinError::WouldBreak { errors, sources } = &e {
                eprint!("{}", diag::render(errors, sources, color, lang));
            }
            error(lang, e.message());
            if let Some(help) = e.help() {
                let text = format!("{}: {}", msg!("diag.help").render(lang), help.render(lang));
                eprintln!("{}", diag::escape_controls(&text));
            }
            ExitCode::from(if e.is_content_error() { EXIT_CONTENT } else { EXIT_USAGE })
        }
    }
}

/// `okrsite checkin --due`: the running quarter's KRs due for a check-in, on stdout.
fn checkin_due(root: &std::path::Path, today: jiff::civil::Date, color: bool, lang: Lang) -> ExitCode {
    if let Err(code) = require_dir(root, lang) {
        return code;
    }
    let checked = build::check(root, false, today);
    let Some(site) = &checked.site else {
        report(&checked, color, lang);
        return ExitCode::from(EXIT_CONTENT);
    };
    // The site's today: `as_of` when okrsite.toml pins one.
    for line in okrsite::checkin::due_lines(site, site.today) {
        println!("{}", diag::escape_controls(&line.render(lang)));
    }
    ExitCode::SUCCESS
}

/// `--date`: a date written YYYY-MM-DD.
fn parse_date(text: &str) -> Result<jiff::civil::Date, okrsite::content::raw::DayError> {
    okrsite::content::raw::Day::parse(text).map(|d| d.0)
}

/// A refused `--base-url`, worded to follow clap's "invalid value … for '--base-url <URL>': ".
#[derive(Debug, thiserror::Error)]
#[error("it {0}; {expected}", expected = base_url::expected())]
struct BaseUrlArgError(base_url::BaseUrlError);

/// `--base-url`: refused values are a usage error (exit 2) that says what would be right.
fn parse_base_url(text: &str) -> Result<BaseUrl, BaseUrlArgError> {
    BaseUrl::parse(text).map_err(BaseUrlArgError)
}

/// A path as it must be typed in a POSIX shell (`'sp ace'`), for printed commands.
fn shell_quoted(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    let quoted = shlex::try_quote(&text).unwrap_or_else(|_| text.clone());
    diag::escape_controls(&quoted).into_owned()
}

fn require_dir(root: &std::path::Path, lang: Lang) -> Result<(), ExitCode> {
    if root.is_dir() {
        Ok(())
    } else {
        error(lang, msg!("cli.no_root", root = root.display().to_string()));
        Err(ExitCode::from(EXIT_USAGE))
    }
}

/// The diagnostics, then one line: what was read, and how many errors and warnings.
fn report(checked: &Checked, color: bool, lang: Lang) {
    if !checked.diagnostics.is_empty() {
        eprint!("{}", diag::render(&checked.diagnostics, &checked.sources, color, lang));
    }
    let problems = msg!(
        "check.problems",
        errors = msg!("count.errors", n = checked.error_count()),
        warnings = msg!("count.warnings", n = checked.warning_count()),
    );
    let summary = match &checked.site {
        Some(site) => msg!(
            "check.summary",
            teams = msg!("count.teams", n = site.teams.len()),
            quarters = msg!("count.quarters", n = site.quarters.len()),
            team_quarters = msg!(
                "count.team_quarters",
                n = site.quarters.iter().map(|q| q.teams.len()).sum::<usize>()
            ),
            metrics = msg!("count.metrics", n = site.metrics.len()),
            learnings = msg!("count.learnings", n = site.learnings().count()),
            problems = problems,
        ),
        None => problems,
    };
    eprintln!("{}", summary.render(lang));
}

#[cfg(test)]
mod tests {
    use super::*;
    use okrsite::messages::Lang;

    fn every_help(command: &clap::Command) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = command
            .get_arguments()
            .map(|a| {
                (
                    format!("{} {}", command.get_name(), a.get_id()),
                    a.get_help().map(ToString::to_string),
                )
            })
            .collect();
        out.push((
            command.get_name().to_owned(),
            command.get_about().map(ToString::to_string),
        ));
        for sub in command.get_subcommands() {
            out.extend(every_help(sub));
        }
        out
    }

    /// The option numbers are mimalloc's: each neighbour has its default (options.c),
    /// and setting them reads back. (The test process sets them only here, and runs
    /// without `MIMALLOC_` variables, which would change the defaults.)
    #[test]
    fn the_allocator_options_are_the_ones_meant() {
        // SAFETY: reading and setting options is valid at any time.
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        // arena_eager_commit (=2), purge_decommits (=1), allow_large_os_pages (=0).
        assert_eq!([get(4), get(5), get(MI_OPTION_ALLOW_LARGE_OS_PAGES)], [2, 1, 0]);
        // purge_delay (=1000 ms), then use_numa_nodes (=0).
        assert_eq!([get(MI_OPTION_PURGE_DELAY), get(16)], [1000, 0]);
        tune_allocator_for_one_shot();
        assert_eq!(
            [get(MI_OPTION_ALLOW_LARGE_OS_PAGES), get(MI_OPTION_PURGE_DELAY)],
            [1, -1]
        );
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        for lang in [Lang::En, Lang::Ja] {
            let command = cli_help::localized(Cli::command(), lang);
            command.clone().debug_assert();
            for (what, help) in every_help(&command) {
                let help = help.unwrap_or_default();
                assert!(!help.trim().is_empty(), "{what} has no help in {lang:?}");
                assert!(!help.contains("help."), "{what}: a key shown as help: {help}");
            }
        }
    }
}
