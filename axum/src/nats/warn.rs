//! Warnings that a broker outage would repeat many times a second, said at most once a period.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A gate that opens at most once per `period`, counting what it held back.
pub(crate) struct Every {
    period: Duration,
    state: Mutex<(Option<Instant>, u64)>,
}

impl Every {
    pub(crate) fn new(period: Duration) -> Self {
        Every {
            period,
            state: Mutex::new((None, 0)),
        }
    }

    /// `Some(n)` when a warning may be said now, `n` being how many were held back since the
    /// last one; `None` to hold this one back.
    pub(crate) fn open(&self, now: Instant) -> Option<u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (last, held) = &mut *state;
        match last {
            Some(at) if now.duration_since(*at) < self.period => {
                *held += 1;
                None
            }
            _ => {
                *last = Some(now);
                Some(std::mem::take(held))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_once_a_period_and_counts_what_it_held() {
        let gate = Every::new(Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(gate.open(t0), Some(0));
        for s in 1..10 {
            assert_eq!(gate.open(t0 + Duration::from_secs(s)), None);
        }
        assert_eq!(gate.open(t0 + Duration::from_secs(10)), Some(9));
        assert_eq!(gate.open(t0 + Duration::from_secs(11)), None);
        assert_eq!(gate.open(t0 + Duration::from_secs(25)), Some(1));
    }
}
