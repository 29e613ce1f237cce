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
    if matches!(cli.command, Command::Build(_)) {
        allocator::keep_freed_memory();
    }
    briefing::cli::execute(cli)
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
