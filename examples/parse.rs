//! Parses a callback body and prints the event.
//!
//! ```text
//! cargo run --example parse -- path/to/body.json [CallbackCommand]
//! cargo run --example parse < body.json
//! ```

use std::io::Read;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut body = Vec::new();
    let read = match args.next() {
        Some(path) if path != "-" => std::fs::read(&path).map(|b| body = b),
        _ => std::io::stdin().read_to_end(&mut body).map(drop),
    };
    if let Err(e) = read {
        eprintln!("cannot read the body: {e}");
        std::process::exit(2);
    }
    let command = args.next();
    let original = body.clone();
    let parsed = match &command {
        Some(command) => tim_callback::parse_as(command, &mut body),
        None => tim_callback::parse(&mut body),
    };
    match parsed {
        Ok(callback) => println!("{callback:#?}"),
        Err(e) => {
            let (line, column) = e.line_column(&original);
            eprintln!("rejected: {e} (line {line}, column {column})");
            std::process::exit(1);
        }
    }
}
