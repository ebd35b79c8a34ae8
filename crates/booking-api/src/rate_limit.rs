//! Per-client limit on new booking requests (retries of a stored request are not counted):
//! a token bucket per IP address, refilled evenly over an hour.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    per_hour: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_hour: u32) -> Self {
        Self {
            per_hour,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client`, or says how many seconds until one is available.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        self.check_at(client, Instant::now())
    }

    fn check_at(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let per_second = f64::from(self.per_hour) / 3600.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        // Forget clients whose bucket has refilled, so the map cannot grow without bound.
        if buckets.len() > 10_000 {
            let full = Duration::from_secs(3600);
            buckets.retain(|_, (_, seen)| now.duration_since(*seen) < full);
        }
        let (tokens, last) = buckets
            .entry(client)
            .or_insert((f64::from(self.per_hour), now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_second)
            .min(f64::from(self.per_hour));
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_hourly_number_then_says_when_to_retry() {
        let limiter = RateLimiter::new(2);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!(limiter.check_at(ip, t0).is_ok());
        assert!(limiter.check_at(ip, t0).is_ok());
        let wait = limiter.check_at(ip, t0).unwrap_err();
        assert_eq!(wait, 1800);
        assert!(
            limiter.check_at(other, t0).is_ok(),
            "each client has its own allowance"
        );
        assert!(limiter.check_at(ip, t0 + Duration::from_secs(1800)).is_ok());
    }
}
