//! What every callback is checked against: the app id, the callback token, the body limit.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tim_callback::Verifier;

/// The default body limit: 1 MiB (Tencent's largest bodies, group messages with many
/// elements, stay far below it).
pub const DEFAULT_MAX_BODY: usize = 1 << 20;

/// The checks the [`TimCallback`](crate::TimCallback) extractor runs. Cheap to clone (one
/// `Arc`); give it to the router as state, or as part of a state that implements
/// `FromRef<S> for TimConfig`.
///
/// ```
/// let config = tim_callback_axum::TimConfig::new(1400000000)
///     .token("console-callback-token")
///     .max_body(64 * 1024);
/// assert_eq!(config.app_id(), 1400000000);
/// ```
#[derive(Clone, Debug)]
pub struct TimConfig(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    app_id: u64,
    token: Option<Box<str>>,
    max_body: usize,
    replay_window: u64,
}

impl TimConfig {
    /// Callbacks for app `app_id`, unsigned, bodies up to [`DEFAULT_MAX_BODY`], a replay
    /// window of 60 s (used once a token is set).
    pub fn new(app_id: u64) -> Self {
        TimConfig(Arc::new(Inner {
            app_id,
            token: None,
            max_body: DEFAULT_MAX_BODY,
            replay_window: tim_callback::sign::DEFAULT_WINDOW,
        }))
    }

    fn edit(self, f: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Arc::try_unwrap(self.0).unwrap_or_else(|shared| Inner {
            token: shared.token.clone(),
            ..*shared
        });
        f(&mut inner);
        TimConfig(Arc::new(inner))
    }

    /// Verifies `Sign` and `RequestTime` with the console's callback token: a callback
    /// without them is refused (401).
    pub fn token(self, token: impl Into<String>) -> Self {
        let token = token.into().into_boxed_str();
        self.edit(|c| c.token = Some(token))
    }

    /// Refuses bodies longer than `bytes` (413), before reading past the limit.
    pub fn max_body(self, bytes: usize) -> Self {
        self.edit(|c| c.max_body = bytes)
    }

    /// Accepts a `RequestTime` at most `seconds` away from this machine's clock.
    pub fn replay_window(self, seconds: u64) -> Self {
        self.edit(|c| c.replay_window = seconds)
    }

    /// The app id checked.
    pub fn app_id(&self) -> u64 {
        self.0.app_id
    }

    /// Whether a token is set (callbacks must be signed).
    pub fn signed(&self) -> bool {
        self.0.token.is_some()
    }

    /// The body limit in bytes.
    pub fn body_limit(&self) -> usize {
        self.0.max_body
    }

    /// The core's checks for this configuration.
    pub fn verifier(&self) -> Verifier<'_> {
        let verifier = Verifier::new(self.0.app_id).replay_window(self.0.replay_window);
        match &self.0.token {
            Some(token) => verifier.token(token),
            None => verifier,
        }
    }
}

/// This machine's clock in Unix seconds (0 if it is set before 1970).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
