#!/usr/bin/env python3
"""Benchmark briefing against Hugo on the synthetic corpus, alternating runs in one session.

    python3 bench/compare.py [--sizes 1000 10000] [--runs 3] [--big 100000] [--work /tmp/briefing-bench]

For each size it generates the corpus with ../shared/bench/gen_corpus.py (once; it is cached in
--work), then builds it with Hugo and with briefing alternately, output on disk, the previous
output moved out of the way before every run (into --work/trash, which the next session deletes
before it starts: ext4 without a journal, as here, makes creating files slow after a mass delete,
as its inode allocator looks up and skips every inode freed in the last minute, or the last six
while its inode table block is dirty, scanning from the start of the group for every new file;
measured here, 5,000 folders with a file each took 0.4 s of system time for six and a half
minutes after a large delete, then 0.1 s; so the trash is deleted before the first run and
waited out, never between runs, which would charge one tool for the other's clean-up; and
`sync` before every run, for the same reason),
and prints the median wall time, CPU time (user + system) and peak memory of each, with briefing's
share of Hugo's. It also times a second briefing build with nothing changed
(the no-op rebuild) and, with --big N, one N-article build of briefing alone.

Peak memory is the child's maximum resident set size (getrusage), as GNU time reports it.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
# Seconds after a mass delete before ext4 creates files at full speed again (see above).
DELETE_WAIT = 420


def run(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, CPU seconds, of which system, peak RSS bytes).

    The page cache's dirty pages are flushed first (outside the clock), so that no run pays for
    writing back the previous run's output, whichever tool made it."""
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_stime, usage.ru_maxrss * 1024


def corpus(work, n):
    out = work / f"corpus-{n}"
    if not (out / "zola" / "content").is_dir():
        if not GEN.is_file():
            sys.exit(f"the corpus generator is missing: {GEN}")
        subprocess.run([sys.executable, str(GEN), "--n", str(n), "--out", str(out)], check=True)
    return out


def briefing_site(work, corpus_dir, n):
    """A briefing site over the corpus's Zola content: site.toml, content and themes links."""
    site = work / f"briefing-{n}"
    site.mkdir(parents=True, exist_ok=True)
    (site / "site.toml").write_text(
        'title = "Example Briefing"\nbase_url = "https://news.example.com/"\n'
    )
    for name, target in [("content", corpus_dir / "zola" / "content"), ("themes", REPO / "themes")]:
        link = site / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    return site


def clear(work, output):
    """Moves `output` out of the way (a rename, instantly) into work/trash."""
    if output.exists():
        trash = work / "trash"
        trash.mkdir(exist_ok=True)
        output.rename(trash / f"{output.name}-{time.time_ns()}")


def median_row(samples):
    return tuple(statistics.median(column) for column in zip(*samples))


def fmt(row):
    wall, cpu, system, peak = row
    return f"{wall:7.2f} s wall {cpu:7.2f} s CPU ({system:5.2f} s system) {peak / 2**20:8.0f} MiB"


def bench_size(work, binary, n, runs):
    corpus_dir = corpus(work, n)
    site = briefing_site(work, corpus_dir, n)
    hugo_out, briefing_out = work / f"hugo-out-{n}", site / "output"
    hugo, ours = [], []
    for _ in range(runs):
        clear(work, hugo_out)
        hugo.append(run(["hugo", "--quiet", "--source", str(corpus_dir / "hugo"),
                         "--destination", str(hugo_out)]))
        clear(work, briefing_out)
        ours.append(run([binary, "build", "--root", str(site), "--force"]))
    noop = [run([binary, "build", "--root", str(site)]) for _ in range(runs)]
    h, b, z = median_row(hugo), median_row(ours), median_row(noop)
    print(f"\n{n:,} articles, {runs} runs each, medians")
    print(f"  Hugo      {fmt(h)}")
    print(f"  briefing  {fmt(b)}")
    print(f"  ratio     {b[0] / h[0]:7.2f} x wall  {b[1] / h[1]:5.2f} x CPU  {b[3] / h[3]:5.2f} x peak")
    print(f"  no-op rebuild {z[0]:.3f} s = {z[0] / b[0]:.1%} of a full build")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", type=int, default=0, help="also build N articles with briefing alone")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefing-bench"))
    args = parser.parse_args()
    if shutil.which("hugo") is None:
        sys.exit("hugo is not installed (Debian: apt-get install hugo)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = str(REPO / "target" / "release" / "briefing")
    args.work.mkdir(parents=True, exist_ok=True)
    if (args.work / "trash").exists():
        print(f"deleting the previous session's outputs, then waiting {DELETE_WAIT} s (see the header)")
        shutil.rmtree(args.work / "trash", ignore_errors=True)
        os.sync()
        time.sleep(DELETE_WAIT)
    print(f"hugo: {subprocess.run(['hugo', 'version'], capture_output=True, text=True).stdout.strip()}")
    print(f"cores: {os.cpu_count()}")
    for n in args.sizes:
        bench_size(args.work, binary, n, args.runs)
    if args.big:
        site = briefing_site(args.work, corpus(args.work, args.big), args.big)
        clear(args.work, site / "output")
        # --drafts: the generator dates article i at 70 minutes after the previous one, so past
        # ~40,000 articles the dates are in the future, which a build holds back otherwise.
        row = run([binary, "build", "--root", str(site), "--force", "--drafts"])
        print(f"\n{args.big:,} articles, briefing alone: {fmt(row)}")
    print(f"\nthe outputs are in {args.work / 'trash'}; the next session deletes them first")


if __name__ == "__main__":
    main()
