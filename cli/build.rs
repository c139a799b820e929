// The same search as the axum crate's: the CLI's broker tests need the same cfg and path.
include!("../axum/build.rs");
