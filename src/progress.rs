//! Build progress: the library reports its stages and how far each has got to an observer,
//! so the command line can show a progress bar and stage timings without the build printing.

/// Receives a build's progress. Called from the build's threads, so it must be `Sync`.
pub trait Progress: Sync {
    /// A stage starts (which ends the previous one), with its number of items when known.
    fn stage(&self, name: &'static str, total: Option<usize>);
    /// `count` more items of the current stage are done.
    fn advance(&self, count: usize);
}

/// Progress nobody watches.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &'static str, _: Option<usize>) {}
    fn advance(&self, _: usize) {}
}

/// The process's peak resident memory so far, in bytes, where the system tells it (Linux).
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The CPU time this process has used so far (user and system, all threads), where the system
/// tells it (Linux).
pub fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces: the fields start after its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel counts in USER_HZ, 100 a second on every Linux platform.
    Some(std::time::Duration::from_millis(ticks * 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_is_known_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_memory().is_some_and(|bytes| bytes > 0));
            assert!(cpu_time().is_some());
        }
    }
}
