#!/usr/bin/env python3
"""`minigd_fit` on a CSV file of a million rows, with its defaults, beside loading the same file with
NumPy alone, in one run: wall time and peak resident memory of each, both in a process of their own. Then
long fits of a file of eight rows, of 2^14, 2^18 and 2^20 epochs (`--tol none`, so that each runs them all):
the command keeps only the epochs it prints, so its peak memory must not grow with the epochs once they fill
the engine's blocks (up to 65,536 epochs at a time).

    python bench/cli_csv.py            # 1e6 rows
    python bench/cli_csv.py --rows 200000
    python bench/cli_csv.py --no-long  # without the long fits (they take about a minute)

Run from the repository's root with minigd installed (`pip install -e .`), so that `minigd_fit` is on the PATH of the
same environment. The figures are this machine's; compare them as ratios.
"""
import argparse, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

LOAD = "import sys, numpy as np; a = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1); print(a.nbytes)"
# runs a command and reports its peak resident set (KiB) as the last line of stderr: a fresh process per measurement,
# so that RUSAGE_CHILDREN holds that command's peak alone
WRAP = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)")


def write_csv(path: Path, rows: int):
    "A CSV file of `rows` noisy points of y = 3x - 1, written in blocks."
    import numpy as np
    g = np.random.default_rng(0)
    with open(path, 'w') as f:
        f.write('x,y\n')
        for s in range(0, rows, 100_000):
            x = g.uniform(-1, 1, min(100_000, rows - s))
            np.savetxt(f, np.column_stack([x, 3 * x - 1 + g.normal(0, 0.1, len(x))]), delimiter=',', fmt='%.6f')


def run(cmd):
    "Run `cmd`; return its wall time in seconds, its peak resident set in MiB, and its stdout."
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, '-c', WRAP, *cmd], capture_output=True, text=True, check=True, timeout=3600)
    seconds = time.perf_counter() - t0
    return seconds, int(p.stderr.split()[-1]) / 1024, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rows', type=int, default=1_000_000)
    ap.add_argument('--no-long', dest='long', action='store_false', help='skip the long fits of a small file')
    args = ap.parse_args()
    tool = shutil.which('minigd_fit', path=os.path.dirname(sys.executable)) or shutil.which('minigd_fit')
    if tool is None: sys.exit('cli_csv: no minigd_fit beside this Python: pip install -e . first')
    tmp = Path(tempfile.mkdtemp())
    try:
        path = tmp / 'rows.csv'
        write_csv(path, args.rows)
        mib = path.stat().st_size / 2 ** 20
        load_s, load_mib, nbytes = run([sys.executable, '-c', LOAD, str(path)])
        fit_s, fit_mib, out = run([tool, str(path)])
        print(f"# {args.rows:,} rows, {mib:.0f} MiB of CSV; the parsed array is {int(nbytes) / 2 ** 20:.0f} MiB; Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} cores")
        print('| run | seconds | peak RSS, MiB |\n|---|---:|---:|')
        print(f"| `np.loadtxt` (NumPy alone, load only) | {load_s:.1f} | {load_mib:.0f} |")
        epochs = out.splitlines()[1].split(' after ')[1].split()[0]   # "loss: ... after N epochs (...)"
        print(f"| `minigd_fit rows.csv` (read, {epochs} epochs, report) | {fit_s:.1f} | {fit_mib:.0f} |")
        print(f"\nminigd_fit took {fit_s / load_s:.2f} times as long as loading the file with NumPy alone.")
        print('\n'.join(out.splitlines()[:2]))
        if args.long:
            long_fits(tool, tmp)
    finally:
        shutil.rmtree(tmp)


def long_fits(tool, tmp: Path):
    "Peak memory of fits of eight rows for more and more epochs: it must stay flat."
    small = tmp / 'scores.csv'
    small.write_text('hours,score\n1,52\n2,55\n3,61\n4,62\n5,68\n6,70\n7,75\n8,80\n')
    print('\n| `minigd_fit scores.csv --x hours --y score --tol none --epochs E` | seconds | peak RSS, MiB |')
    print('|---|---:|---:|')
    peaks = []
    for e in [2 ** 14, 2 ** 18, 2 ** 20]:
        s, peak, _ = run([tool, str(small), '--x', 'hours', '--y', 'score', '--tol', 'none', '--epochs',
                          str(e)])
        peaks.append(peak)
        print(f"| E = {e:,} | {s:.1f} | {peak:.0f} |")
    print(f"\n64 times the epochs (2^14 to 2^20): {peaks[-1] / peaks[0]:.2f} times the peak memory; "
          f"4 times (2^18 to 2^20): {peaks[-1] / peaks[1]:.2f} times.")


if __name__ == '__main__':
    main()
