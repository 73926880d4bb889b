//! An order-preserving parallel map over a slice, on scoped threads (one contiguous chunk per
//! core). For work whose items are independent (HAR entries, spec files); the result is the same
//! as the sequential map, in the same order. It decides nothing about the items.

use std::num::NonZeroUsize;

/// `items.iter().enumerate().map(f).collect()`, spread over the machine's cores.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
{
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    // Below a few hundred items a thread costs more than it saves.
    if cores == 1 || items.len() < 256 {
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| f(i, item))
            .collect();
    }
    let chunk = items.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(at, part)| {
                let f = &f;
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, item)| f(at * chunk + i, item))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                // A panic in a worker is a bug; surface it as the sequential map would.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// Runs two independent computations at once (two spec files loaded side by side).
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let first = scope.spawn(a);
        let second = b();
        match first.join() {
            Ok(first) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_results_in_the_same_order() {
        let items: Vec<u64> = (0..10_000).collect();
        let parallel = super::map(&items, |i, x| (i as u64) * 1_000_000 + x * x);
        let sequential: Vec<u64> = items
            .iter()
            .enumerate()
            .map(|(i, x)| (i as u64) * 1_000_000 + x * x)
            .collect();
        assert_eq!(parallel, sequential);
        assert_eq!(super::map(&[] as &[u8], |_, x| *x), Vec::<u8>::new());
        assert_eq!(super::join(|| 1, || "two"), (1, "two"));
    }
}
