//! Spreading retries: jobs and messages that failed together (a platform's outage, a throttled minute)
//! would otherwise all come due in the same sweep again and fail together again.

use chrono::Duration;

/// `wait`, shortened by up to a fifth by a stable hash of `key`: retries of different things spread over
/// the last fifth of their wait, never later than it, and the same thing's retry is the same each time.
pub fn spread(wait: Duration, key: &str) -> Duration {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let fifth = wait.num_milliseconds() / 5;
    if fifth <= 0 {
        return wait;
    }
    let off = i64::try_from(hash % u64::try_from(fifth).unwrap_or(1)).unwrap_or(0);
    wait - Duration::milliseconds(off)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_spread_over_the_last_fifth_of_their_wait_and_never_later() {
        let wait = Duration::minutes(10);
        let spread_out: std::collections::BTreeSet<i64> = (0..50)
            .map(|n| spread(wait, &format!("C#nordwind#SYNC|xero#{n}")).num_seconds())
            .collect();
        assert!(spread_out.iter().all(|s| (480..=600).contains(s)), "{spread_out:?}");
        assert!(spread_out.len() > 20, "different jobs, different times: {spread_out:?}");
        assert_eq!(spread(wait, "same"), spread(wait, "same"));
        assert_eq!(spread(Duration::zero(), "any"), Duration::zero());
    }
}
