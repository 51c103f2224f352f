//! The thread pool the app's background work runs on (corpus suggestions, the corpus index,
//! search, export, statistics): one thread fewer than the machine has cores, so that the
//! window's thread always finds a core free and frames keep coming while the pool is busy.
//! The command line keeps rayon's global pool (every core): nothing waits on it there.

use std::sync::OnceLock;

/// Threads of the background pool on a machine with `cores` cores: one fewer, at least one.
pub fn threads_for(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads_for(cores))
            .thread_name(|i| format!("biaozhu-background-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work` in the background pool: its parallel iterators use the pool's threads. Where
/// the pool could not be made (no threads to be had), `work` runs in rayon's global pool.
pub fn background<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(p) => p.install(work),
        None => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn leaves_a_core_for_the_window_but_never_none_for_the_work() {
        assert_eq!(threads_for(0), 1);
        assert_eq!(threads_for(1), 1);
        assert_eq!(threads_for(2), 1);
        assert_eq!(threads_for(8), 7);
    }

    #[test]
    fn parallel_work_runs_on_the_background_threads() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let (n, names) = background(|| {
            let names: Vec<String> = (0..64)
                .into_par_iter()
                .map(|_| std::thread::current().name().unwrap_or("").to_owned())
                .collect();
            (rayon::current_num_threads(), names)
        });
        assert_eq!(n, threads_for(cores));
        assert!(names.iter().all(|s| s.starts_with("biaozhu-background-")));
    }
}
