//! Percentiles (nearest rank) of durations in milliseconds.

use std::time::Duration;

/// p50/p90/p99 of one measurement, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub n: usize,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

/// The nearest-rank percentile `p` (0..=100) of sorted `values`.
fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Summarises values in milliseconds.
pub fn summarize_ms(values: &[f64]) -> Summary {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    Summary {
        n: sorted.len(),
        p50: nearest_rank(&sorted, 50.0),
        p90: nearest_rank(&sorted, 90.0),
        p99: nearest_rank(&sorted, 99.0),
    }
}

/// Summarises durations.
pub fn summarize(values: &[Duration]) -> Summary {
    summarize_ms(&values.iter().map(|d| ms(*d)).collect::<Vec<_>>())
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = summarize_ms(&v);
        assert_eq!((s.p50, s.p90, s.p99, s.n), (50.0, 90.0, 99.0, 100));
        let one = summarize_ms(&[7.0]);
        assert_eq!((one.p50, one.p99), (7.0, 7.0));
    }
}
