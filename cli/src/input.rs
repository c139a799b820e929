//! Reading bodies: whole files, standard input, or NDJSON lines.

use std::io::Read;
use std::path::Path;

use crate::Inputs;

/// One body and where it came from.
pub struct Body {
    /// The file's name, or `-`.
    pub source: String,
    /// 1-based line of the body's first byte in its source.
    pub line: usize,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Every body of `inputs`, in order; standard input when no file is named.
pub fn read(inputs: &Inputs) -> std::io::Result<Vec<Body>> {
    let stdin = [Path::new("-").to_path_buf()];
    let files = if inputs.files.is_empty() {
        &stdin[..]
    } else {
        &inputs.files[..]
    };
    let mut bodies = Vec::new();
    for file in files {
        let (source, bytes) = if file.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes)?;
            ("-".to_owned(), bytes)
        } else {
            let bytes = std::fs::read(file)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
            (file.display().to_string(), bytes)
        };
        if inputs.lines {
            for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let line_bytes = line.strip_suffix(b"\r").unwrap_or(line);
                if line_bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                bodies.push(Body {
                    source: source.clone(),
                    line: i + 1,
                    bytes: line_bytes.to_vec(),
                });
            }
        } else {
            bodies.push(Body {
                source,
                line: 1,
                bytes,
            });
        }
    }
    Ok(bodies)
}
