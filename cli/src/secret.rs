//! The callback token, from the command line, the environment, or a file.

use std::path::{Path, PathBuf};

/// The token given by `--token` (or `TIM_TOKEN`), else read from `--token-file` (or
/// `TIM_TOKEN_FILE`). A file keeps the token out of `ps` and of the environment; its trailing
/// line break is not part of the token.
pub fn token(given: Option<&str>, file: Option<&PathBuf>) -> std::io::Result<Option<String>> {
    if let Some(token) = given {
        return Ok(Some(token.to_string()));
    }
    let Some(path) = file else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(|e| in_file(path, e))?;
    let token = text.trim_end_matches(['\n', '\r']);
    if token.is_empty() {
        return Err(in_file(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is empty"),
        ));
    }
    Ok(Some(token.to_string()))
}

/// `e`, naming the token file.
fn in_file(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("--token-file {}: {e}", path.display()))
}
