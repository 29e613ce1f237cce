//! What `build` shows while it works: a progress bar of the stages on a terminal, and with
//! `--timings` each stage's time and the peak memory after it (the profile of a build).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Progress, cpu_time, peak_memory};

/// The stage under way: its name, and the clock and CPU time when it started.
struct Stage {
    name: &'static str,
    started: Instant,
    cpu: Option<Duration>,
}

/// Shows a build's progress on stderr.
pub struct BuildProgress {
    bar: Option<ProgressBar>,
    timings: bool,
    current: Mutex<Option<Stage>>,
}

impl BuildProgress {
    /// A bar when stderr is a terminal and not `quiet`; stage timings when `timings`.
    pub fn new(quiet: bool, timings: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        BuildProgress {
            bar,
            timings,
            current: Mutex::new(None),
        }
    }

    /// Ends the last stage and clears the bar, before the summary line is printed.
    pub fn finish(&self) {
        self.end_stage();
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn end_stage(&self) {
        let Ok(mut current) = self.current.lock() else {
            return;
        };
        if let Some(stage) = current.take()
            && self.timings
        {
            let cpu = cpu_time()
                .zip(stage.cpu)
                .map_or(0.0, |(now, then)| (now - then).as_secs_f64());
            let peak = peak_memory().map_or(0.0, |b| b as f64 / f64::from(1 << 20));
            let line = format!(
                "  {:<10} {:>8.3} s wall {cpu:>8.2} s CPU   peak {peak:>6.0} MiB",
                stage.name,
                stage.started.elapsed().as_secs_f64()
            );
            match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
    }
}

impl Progress for BuildProgress {
    fn stage(&self, name: &'static str, total: Option<usize>) {
        self.end_stage();
        if let Ok(mut current) = self.current.lock() {
            *current = Some(Stage {
                name,
                started: Instant::now(),
                cpu: cpu_time(),
            });
        }
        let Some(bar) = &self.bar else {
            return;
        };
        bar.reset();
        let style = match total {
            Some(total) => {
                bar.set_length(total as u64);
                ProgressStyle::with_template("{spinner} {msg:<10} [{bar:30}] {pos}/{len}")
            }
            None => {
                bar.unset_length();
                ProgressStyle::with_template("{spinner} {msg:<10} {elapsed}")
            }
        };
        if let Ok(style) = style {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name);
    }

    fn advance(&self, count: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(count as u64);
        }
    }
}
