//! The `briefing` command.

/// mimalloc: a build allocates millions of small strings on every thread, where it spends
/// markedly less time than the system allocator (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    briefing::cli::run()
}
