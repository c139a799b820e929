//! `parse` and `sniff`: bodies from files and logs, read with the core.

use std::io::Write;
use std::process::ExitCode;

use serde_json::Value;
use tim_callback::Callback;

use crate::input::{self, Body};
use crate::{Format, Inputs, report};

/// `tim-callback parse`.
#[derive(clap::Args)]
pub struct ParseArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Parse every body as this command (for bodies without `CallbackCommand`, or to check
    /// that they are this one).
    #[arg(long, value_name = "CMD")]
    command: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
}

/// `tim-callback sniff`.
#[derive(clap::Args)]
pub struct SniffArgs {
    #[command(flatten)]
    inputs: Inputs,
}

/// Keys a summary line names when the event has them, in this order.
const SUMMARY_KEYS: [&str; 9] = [
    "From_Account",
    "To_Account",
    "Operator_Account",
    "Requestor_Account",
    "GroupId",
    "Type",
    "MsgKey",
    "MsgSeq",
    "EventTime",
];

pub fn parse(args: ParseArgs) -> std::io::Result<ExitCode> {
    for_each_body(&args.inputs, |body| {
        let mut buf = body.bytes.clone();
        let parsed = match &args.command {
            Some(command) => tim_callback::parse_as(command, &mut buf),
            None => tim_callback::parse(&mut buf),
        };
        Ok(match parsed {
            Ok(callback) => Ok(match args.format {
                Format::Json => serde_json::to_string(&callback)?,
                Format::Summary => summary(&callback, body)?,
            }),
            Err(error) => Err(error),
        })
    })
}

pub fn sniff(args: SniffArgs) -> std::io::Result<ExitCode> {
    // From several files (or lines), each line says which body it is of.
    let several = args.inputs.files.len() > 1 || args.inputs.lines;
    for_each_body(&args.inputs, |body| {
        Ok(tim_callback::sniff(&body.bytes).map(|command| {
            // An unknown command is the body's text: shown with its control characters escaped.
            let command = report::visible(command.as_str());
            if several {
                format!("{}:{}: {command}", body.source, body.line)
            } else {
                command.into_owned()
            }
        }))
    })
}

/// Reads every body of `inputs`, prints the line `line_of` makes of it, or the report of its
/// error on standard error; the exit code says whether any failed.
fn for_each_body(
    inputs: &Inputs,
    mut line_of: impl FnMut(&Body) -> std::io::Result<Result<String, tim_callback::Error>>,
) -> std::io::Result<ExitCode> {
    let bodies = input::read(inputs)?;
    let mut out = std::io::stdout().lock();
    let mut failed = 0usize;
    for body in &bodies {
        match line_of(body)? {
            Ok(line) => writeln!(out, "{line}")?,
            Err(error) => {
                failed += 1;
                out.flush()?;
                eprint!(
                    "{}",
                    report::render(&body.source, body.line, &body.bytes, &error)
                );
            }
        }
    }
    finish(failed, bodies.len())
}

fn finish(failed: usize, total: usize) -> std::io::Result<ExitCode> {
    if failed > 0 {
        eprintln!("{failed} of {total} bodies failed");
        Ok(ExitCode::FAILURE)
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// `source:line: Command key=value … MsgBody=N elements`.
fn summary(callback: &Callback<'_>, body: &Body) -> std::io::Result<String> {
    let described = describe(callback, body.bytes.len())?;
    Ok(format!("{}:{}: {described}", body.source, body.line))
}

/// One short line for an event of `len` bytes: the command, then the accounts, group and
/// message it names.
pub fn describe(callback: &Callback<'_>, len: usize) -> std::io::Result<String> {
    let value = serde_json::to_value(callback)?;
    let mut line = callback.command().as_str().to_owned();
    for key in SUMMARY_KEYS {
        match value.get(key) {
            Some(Value::String(s)) if !s.is_empty() => line.push_str(&format!(" {key}={s}")),
            Some(Value::Number(n)) => line.push_str(&format!(" {key}={n}")),
            _ => {}
        }
    }
    if let Some(Value::Object(info)) = value.get("Info") {
        for key in ["Action", "To_Account"] {
            if let Some(Value::String(s)) = info.get(key) {
                line.push_str(&format!(" Info.{key}={s}"));
            }
        }
    }
    if let Some(Value::Array(elems)) = value.get("MsgBody") {
        line.push_str(&format!(" MsgBody={} element(s)", elems.len()));
    }
    line.push_str(&format!(" ({len} bytes)"));
    Ok(line)
}
