//! The `briefing` command.

use std::process::ExitCode;

use briefing::cli::{Cli, Command};
use clap::Parser;

/// mimalloc: a build allocates millions of small strings on every thread, where it spends
/// markedly less time than the system allocator (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let memory_hint = matches!(cli.command, Command::Build(_)).then(|| {
        allocator::keep_freed_memory();
        allocator::prefault as briefing::MemoryHint
    });
    briefing::cli::execute(cli, memory_hint)
}

/// How the allocator is tuned for a one-off build.
mod allocator {
    use std::ffi::c_long;

    use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};

    /// mimalloc's `mi_option_purge_delay` (its place in the `mi_option_t` enum of the mimalloc 3
    /// that libmimalloc-sys builds; the bindings name no constant for it).
    const PURGE_DELAY: mi_option_t = 15;
    /// The purge delay mimalloc starts with (ms): what the option must read before it is set,
    /// as a check that `PURGE_DELAY` names it (and that the user did not set it).
    const DEFAULT_PURGE_DELAY: c_long = 1000;

    /// Keeps the memory a build frees for the build's next allocations. By default mimalloc
    /// returns freed memory to the system a second later, and a build frees much of its memory
    /// between stages only to allocate as much again in the next one: the system then hands
    /// it back as fresh pages, each zeroed first, which was a sixth of the CPU time of a
    /// 10,000-article build (bench/README.md). A build is one short process, so what it keeps
    /// is returned when it exits; `serve` runs for hours and keeps the default.
    pub fn keep_freed_memory() {
        // SAFETY: reading and setting an option of the allocator are plain calls that any
        // thread may make at any time; -1 ("never purge") is a documented value of this one.
        unsafe {
            if mi_option_get(PURGE_DELAY) == DEFAULT_PURGE_DELAY {
                mi_option_set(PURGE_DELAY, -1);
            }
        }
    }

    /// Touches `bytes` of fresh memory on a thread of the lowest priority, then frees it for the
    /// build to reuse (`keep_freed_memory`). Pages the system hands out are zeroed on their first
    /// touch, which here in a VM is slow and, when both workers fault at once, slower still:
    /// done ahead, mostly while a core would wait, on one thread, it took a tenth off the wall
    /// time of a 10,000-article build and 0.2-0.3 s off its system time (bench/README.md).
    pub fn prefault(bytes: usize) {
        let bytes = bytes.min(MOST_PREFAULTED);
        let spawned = std::thread::Builder::new()
            .name("prefault".into())
            .spawn(move || {
                // Lowest priority: the build's own threads come first.
                let _ = rustix::process::nice(19);
                let mut block: Vec<u8> = Vec::new();
                if block.try_reserve_exact(bytes).is_err() {
                    return;
                }
                for byte in block.spare_capacity_mut().iter_mut().step_by(PAGE) {
                    byte.write(0);
                }
                // The writes must happen although nothing reads them before the block is freed.
                std::hint::black_box(&mut block);
            });
        // Without the thread, the build runs as it would have.
        drop(spawned);
    }

    /// The system's page size, the stride of `prefault`'s writes.
    const PAGE: usize = 4096;

    /// The most `prefault` touches: a larger block lies outside the arena that mimalloc fills
    /// first, and at 100,000 articles 1.5 GB prefaulted were not reused but added to the peak.
    const MOST_PREFAULTED: usize = 256 << 20;

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_purge_delay_option_is_the_one_set() {
            // The test binary runs with mimalloc too: the option starts at its default.
            let before = unsafe { mi_option_get(PURGE_DELAY) };
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                assert_eq!(before, DEFAULT_PURGE_DELAY);
                keep_freed_memory();
                assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, -1);
            }
        }
    }
}
