//! The table of commands in docs/COMMANDS.md is generated from the crate itself — the command
//! list, the type each parses to, the answer rules — and checked here, so it cannot drift from
//! the code. `UPDATE_COMMANDS=1 cargo test --test commands_table` rewrites it.

mod common;

use tim_callback::{Callback, Command, answer::AnswerError, answer::ReplyElem, answer::ResultItem};

const START: &str = "<!-- commands:start -->\n";
const END: &str = "<!-- commands:end -->";

/// The variant name, as `Debug` prints it: `GroupAfterSendMsg(GroupAfterSendMsg { … })`.
fn variant(cb: &Callback<'_>) -> String {
    let debug = format!("{cb:?}");
    debug[..debug.find('(').unwrap()].to_string()
}

/// What the answer to `command` can say, found by asking the answer API.
fn answers(command: Command<'_>) -> (String, String) {
    let (body, items) = ([ReplyElem::text("")], [ResultItem::allow("")]);
    let a = command.answer();
    let mut intents = vec!["allow".to_string()];
    if a.reject().is_ok() {
        intents.push("reject".into());
    }
    if a.drop_silently().is_ok() {
        intents.push("drop".into());
    }
    if let Err(AnswerError::CodeOutOfRange { min, max, .. }) = a.reject_with(0, "") {
        intents.push(format!("codes {min}–{max}"));
    }
    if a.fail("").is_ok() {
        intents.push("fail".into());
    }
    let mut extras = vec![];
    if a.msg_body(&body).is_ok() {
        extras.push("`MsgBody`, `CloudCustomData`");
    }
    if a.refused_members(&[]).is_ok() {
        extras.push("`RefusedMembers_Account`");
    }
    if a.result_items(&items).is_ok() {
        extras.push("`ResultItem` (deny: 38000–39000)");
    }
    let extras = if extras.is_empty() {
        "–".to_string()
    } else {
        extras.join(", ")
    };
    (intents.join(", "), extras)
}

fn table() -> String {
    let mut rows = vec![];
    let mut fixtures = common::command_fixtures();
    for (name, bytes) in common::fixtures() {
        if let Some(c) = tim_callback::sniff(&bytes).ok().and_then(|c| c.known()) {
            fixtures.push((name, c.as_str().to_string(), bytes));
        }
    }
    for &command in Command::KNOWN {
        let (_, _, bytes) = fixtures
            .iter()
            .find(|(_, c, _)| c == command.as_str())
            .unwrap_or_else(|| panic!("no fixture for {command}"));
        let mut body = bytes.clone();
        let cb = tim_callback::parse_as(command.as_str(), &mut body).unwrap();
        let when = if command.is_before() {
            "before"
        } else {
            "after"
        };
        let (intents, extras) = answers(command);
        rows.push(format!(
            "| `{command}` | {when} | `{}` | {intents} | {extras} |",
            variant(&cb)
        ));
    }
    format!(
        "{START}| command | when | type (`Callback::` variant and struct) | answer | answer extras |\n\
         |---|---|---|---|---|\n{}\n\n{} commands; any other parses as `Callback::Unknown` and is answered \
         allow.\n{END}",
        rows.join("\n"),
        Command::KNOWN.len()
    )
}

#[test]
// A consistency check of text and mirror, not of memory: not run under Miri.
#[cfg_attr(miri, ignore)]
fn the_commands_doc_lists_every_command_as_the_code_has_it() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join("COMMANDS.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (Some(a), Some(b)) = (doc.find(START), doc.find(END)) else {
        panic!("docs/COMMANDS.md has no {START:?} … {END:?} section");
    };
    let want = table();
    let have = &doc[a..b + END.len()];
    if have != want && std::env::var("UPDATE_COMMANDS").is_ok() {
        let updated = format!("{}{want}{}", &doc[..a], &doc[b + END.len()..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        have, want,
        "run UPDATE_COMMANDS=1 cargo test --test commands_table"
    );
}
