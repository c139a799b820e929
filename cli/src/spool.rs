//! `tim-callback spool DIR`: what a gateway's spool holds, read without changing it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use tim_callback_axum::nats::inspect_spool;

/// `tim-callback spool`.
#[derive(clap::Args)]
pub struct Args {
    /// The spool's directory (serve --spool); the gateway using it must be stopped.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Also print every event, oldest first, as one JSON line each: key, held (refused by
    /// the broker for good), subject, query, command, id and body.
    #[arg(long)]
    dump: bool,
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed: Option<std::io::Error> = None;
    let summary = inspect_spool(&args.dir, |event| {
        if !args.dump || failed.is_some() {
            return;
        }
        let line = serde_json::json!({
            "key": event.key,
            "held": event.held,
            "subject": event.subject,
            "query": event.query,
            "command": event.command,
            "id": event.id,
            "body": String::from_utf8_lossy(event.payload),
        });
        if let Err(e) = writeln!(out, "{line}") {
            failed = Some(e);
        }
    })
    .map_err(std::io::Error::other)?;
    if let Some(e) = failed {
        return Err(e);
    }
    out.flush()?;
    drop(out);
    eprintln!(
        "{}: {} events waiting ({} bytes), {} held",
        args.dir.display(),
        summary.events,
        summary.bytes,
        summary.held
    );
    Ok(ExitCode::SUCCESS)
}
