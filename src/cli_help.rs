//! The command line's help in the user's language: clap's derive gives the shape of
//! the commands, the message catalogue (`help.*`) every word of their help, here
//! applied to the `clap::Command` before it parses. clap's own headings ("Usage:",
//! "Options:") and its `[default: …]` notes are replaced by the catalogue's too.

use clap::{Arg, ArgAction, Command};
use okrsite::messages::{Lang, Message};
use okrsite::msg;

/// Each help text: the subcommand ("" for `okrsite` itself), the argument ("" for
/// the command's about, "+" for the text after its options), the words.
fn help_texts() -> Vec<(&'static str, &'static str, Message)> {
    vec![
        ("", "", msg!("help.about")),
        ("", "+", msg!("help.after")),
        ("check", "", msg!("help.check.about")),
        ("check", "+", msg!("help.check.after")),
        ("check", "root", msg!("help.root")),
        ("check", "strict", msg!("help.check.strict")),
        ("check", "drafts", msg!("help.check.drafts")),
        ("build", "", msg!("help.build.about")),
        ("build", "+", msg!("help.build.after")),
        ("build", "root", msg!("help.root")),
        ("build", "output", msg!("help.build.output")),
        ("build", "base_url", msg!("help.build.base_url")),
        ("build", "drafts", msg!("help.build.drafts")),
        ("build", "force", msg!("help.build.force")),
        ("build", "compress", msg!("help.build.compress")),
        ("serve", "", msg!("help.serve.about")),
        ("serve", "+", msg!("help.serve.after")),
        ("serve", "root", msg!("help.root")),
        ("serve", "port", msg!("help.serve.port")),
        ("serve", "bind", msg!("help.serve.bind")),
        ("serve", "base_url", msg!("help.serve.base_url")),
        ("serve", "allow_host", msg!("help.serve.allow_host")),
        ("serve", "drafts", msg!("help.serve.drafts")),
        ("serve", "open", msg!("help.serve.open")),
        ("init", "", msg!("help.init.about")),
        ("init", "+", msg!("help.init.after")),
        ("init", "dir", msg!("help.init.dir")),
        ("init", "lang", msg!("help.init.lang")),
        ("new", "", msg!("help.new.about")),
        ("new", "+", msg!("help.new.after")),
        ("new", "quarter", msg!("help.new.quarter")),
        ("new", "team", msg!("help.new.team")),
        ("new", "root", msg!("help.root")),
        ("checkin", "", msg!("help.checkin.about")),
        ("checkin", "+", msg!("help.checkin.after")),
        ("checkin", "quarter", msg!("help.checkin.quarter")),
        ("checkin", "team", msg!("help.checkin.team")),
        ("checkin", "kr", msg!("help.checkin.kr")),
        ("checkin", "status", msg!("help.checkin.status")),
        ("checkin", "confidence", msg!("help.checkin.confidence")),
        ("checkin", "note", msg!("help.checkin.note")),
        ("checkin", "value", msg!("help.checkin.value")),
        ("checkin", "date", msg!("help.checkin.date")),
        ("checkin", "due", msg!("help.checkin.due")),
        ("checkin", "root", msg!("help.root")),
        ("completions", "", msg!("help.completions.about")),
        ("completions", "shell", msg!("help.completions.shell")),
    ]
}

/// `command` with every help text in `lang`.
pub fn localized(mut command: Command, lang: Lang) -> Command {
    for (sub, arg, text) in help_texts() {
        let text = text.render(lang);
        command = match sub {
            "" => describe(command, arg, text),
            sub => command.mut_subcommand(sub, |c| describe(c, arg, text)),
        };
    }
    let subcommands: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_owned()).collect();
    for sub in subcommands {
        command = command.mut_subcommand(sub, |c| headings(c, lang));
    }
    headings(command, lang)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(msg!("help.flag_version").render(lang))
                .help_heading(msg!("help.options").render(lang)),
        )
}

fn describe(command: Command, arg: &str, text: String) -> Command {
    match arg {
        "" => command.about(text),
        "+" => command.after_help(text),
        arg => command.mut_arg(arg, |a| a.help(text)),
    }
}

/// The headings, the help flag and the notes clap would write in English.
fn headings(mut command: Command, lang: Lang) -> Command {
    let usage = msg!("help.usage").render(lang);
    let options = msg!("help.options").render(lang);
    let arguments = msg!("help.arguments").render(lang);
    let ids: Vec<String> = command.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        command = command.mut_arg(id, |a| {
            let heading = if a.is_positional() { &arguments } else { &options };
            let takes_values = a.get_action().takes_values();
            let notes = if takes_values { notes(&a, lang) } else { String::new() };
            let help = a.get_help().map(ToString::to_string).unwrap_or_default();
            let a = a.help(format!("{help}{notes}")).help_heading(heading.clone());
            if takes_values {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        });
    }
    command
        .help_template(format!(
            "{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .subcommand_help_heading(msg!("help.commands").render(lang))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(msg!("help.flag_help").render(lang))
                .help_heading(options),
        )
}

/// ` [default: …] [possible values: …]`, as clap writes them, in `lang`.
fn notes(arg: &Arg, lang: Lang) -> String {
    let mut notes = String::new();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        let value = defaults.join(", ");
        notes.push_str(&msg!("help.default", value = value).render(lang));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !possible.is_empty() {
        let values = possible.join(", ");
        notes.push_str(&msg!("help.possible", values = values).render(lang));
    }
    notes
}

/// A usage error in `lang`: clap's own words in English, the catalogue's in
/// another language (clap speaks only English). Help and version pass through.
pub fn usage_error(e: clap::Error, lang: Lang) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let message = match e.kind() {
        _ if lang == Lang::En => e.exit(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => e.exit(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        ErrorKind::InvalidSubcommand => msg!("usage.unknown_command", name = context(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => msg!("usage.unknown_argument", name = context(ContextKind::InvalidArg)),
        ErrorKind::MissingRequiredArgument => msg!("usage.missing", names = context(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => msg!(
            "usage.invalid_value",
            value = context(ContextKind::InvalidValue),
            name = context(ContextKind::InvalidArg),
        ),
        _ => msg!("usage.other", text = e.kind().as_str().unwrap_or_default()),
    };
    // Several suggestions (`chek` → checkin, check): each in its own quotes.
    let listed = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::Strings(s)) => s.join("`, `"),
        _ => context(kind),
    };
    let suggested = listed(ContextKind::SuggestedSubcommand) + &listed(ContextKind::SuggestedArg);
    eprintln!("{}", msg!("cli.error", text = message).render(lang));
    if !suggested.is_empty() {
        eprintln!("{}", msg!("usage.did_you_mean", name = suggested).render(lang));
    }
    eprintln!("{}", msg!("usage.more").render(lang));
    std::process::exit(2)
}
