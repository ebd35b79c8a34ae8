//! Per-client limits: on new booking requests (retries of a stored request are not counted)
//! and on inbox sign-in attempts. `governor`'s keyed GCRA is a token bucket per client that
//! refills evenly over the period: `count` at once, then one more every `period / count`.

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter as Gcra};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Clients remembered before the ones whose allowance has refilled are forgotten, so the
/// map cannot grow without bound.
const FORGET_AFTER: usize = 10_000;

pub(crate) struct RateLimiter<C: Clock = DefaultClock> {
    limiter: Gcra<IpAddr, DashMapStateStore<IpAddr>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
}

impl RateLimiter {
    pub(crate) fn new(per_hour: u32) -> Self {
        Self::per_period(per_hour, Duration::from_secs(3600))
    }

    /// `count` attempts per `period` for each client.
    pub(crate) fn per_period(count: u32, period: Duration) -> Self {
        Self::with_clock(count, period, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    fn with_clock(count: u32, period: Duration, clock: C) -> Self {
        let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period / count.get())
            .unwrap_or_else(|| Quota::per_second(count))
            .allow_burst(count);
        Self {
            limiter: Gcra::dashmap_with_clock(quota, clock.clone()),
            clock,
        }
    }

    /// Takes one attempt for `client`, or says how many seconds until one is available.
    pub(crate) fn check(&self, client: IpAddr) -> Result<(), u64> {
        if self.limiter.len() > FORGET_AFTER {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            // Round up, so a client that waits as told is let in.
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    #[test]
    fn allows_the_hourly_number_then_says_when_to_retry() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(2, Duration::from_secs(3600), clock.clone());
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limiter.check(ip).is_ok());
        assert!(limiter.check(ip).is_ok());
        let wait = limiter.check(ip).unwrap_err();
        assert_eq!(wait, 1800);
        assert!(
            limiter.check(other).is_ok(),
            "each client has its own allowance"
        );
        clock.advance(Duration::from_secs(1799));
        assert_eq!(limiter.check(ip), Err(1));
        clock.advance(Duration::from_secs(1));
        assert!(limiter.check(ip).is_ok());
    }
}
