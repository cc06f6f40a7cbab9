#!/usr/bin/env python3
"""Run every notebook top to bottom in a Jupyter kernel, as a user would.

Each notebook goes through `jupyter nbconvert --to notebook --execute`, written to a temporary folder (never
in place), a few at a time, each with a time limit. Prints one line per notebook with its time; exits 1
naming every notebook that failed, with the failing cell and its error. Run from the project's root:

    python tools/run_notebooks.py [--jobs 2] [--timeout 900] [nbs/00_vector.ipynb ...]
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
CELL_ERROR = 'An error occurred while executing the following cell:'
# nbconvert frames the cell's source (and its stdout, if any) between lines of exactly 18 dashes.
FRAME = re.compile(r'^-{18}$', re.MULTILINE)
RUNNING = set()  # the nbconvert processes under way, each leading a session of its own


def parse_args(argv=None):
    "The command line: notebooks (default nbs/*.ipynb), jobs at a time, seconds per notebook."
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', help='notebooks to run (default: nbs/*.ipynb)')
    p.add_argument('--jobs', type=int, default=2, help='notebooks run at the same time')
    p.add_argument('--timeout', type=int, default=900,
                   help='seconds allowed for one notebook (and so for any of its cells)')
    return p.parse_args(argv)


def nbconvert_cmd(nb, out_dir, timeout):
    "The user's command: execute `nb` in the python3 kernel, write the result into `out_dir`."
    return [sys.executable, '-m', 'nbconvert', '--to', 'notebook', '--execute',
            '--ExecutePreprocessor.kernel_name=python3',
            f'--ExecutePreprocessor.timeout={timeout}',
            '--output-dir', str(out_dir), str(nb)]


def cell_error(stderr):
    "The failing cell and the end of its traceback from nbconvert's stderr (or the end of stderr)."
    text = ANSI.sub('', stderr)
    if CELL_ERROR not in text:
        return '\n'.join(text.strip().splitlines()[-15:])
    report = text.split(CELL_ERROR, 1)[1].strip('\n')
    parts = FRAME.split(report)
    source = parts[1].strip('\n') if len(parts) > 2 else ''
    trace = parts[-1].strip().splitlines()
    lines = source.splitlines()
    if len(lines) > 12:
        lines = lines[:12] + [f'... ({len(lines) - 12} more lines)']
    shown = '\n'.join('    | ' + l for l in lines)
    return f'the cell:\n{shown}\n' + '\n'.join(trace[-12:])


def run_one(nb, out_dir, timeout):
    "Execute one notebook; return (notebook, seconds, error or None)."
    start = time.monotonic()
    # A session of its own, so a notebook past its time is stopped with its kernel and children.
    proc = subprocess.Popen(nbconvert_cmd(nb, out_dir, timeout), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    RUNNING.add(proc)
    try:
        _, stderr = proc.communicate(timeout=timeout + 30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return nb, time.monotonic() - start, f'did not finish in {timeout} s'
    finally:
        RUNNING.discard(proc)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        return nb, seconds, cell_error(stderr)
    return nb, seconds, None


def stop(signum, frame):
    "Stopped from outside (`timeout`, Ctrl-C): stop the notebooks under way with their kernels too."
    for proc in list(RUNNING):
        os.killpg(proc.pid, signal.SIGKILL)
    sys.exit(f'stopped by signal {signum}')


def main(argv=None):
    "Run the notebooks, print a line for each, exit 1 if any failed."
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    notebooks = [Path(n) for n in args.notebooks] or sorted(Path('nbs').glob('*.ipynb'))
    if not notebooks:
        sys.exit('no notebooks found (run from the project root)')
    failed = {}
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as out_dir, ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_one, nb, out_dir, args.timeout) for nb in notebooks]
        for future in as_completed(futures):
            nb, seconds, error = future.result()
            print(f'{"FAIL" if error else "ok  "} {seconds:6.1f} s  {nb}', flush=True)
            if error:
                failed[nb] = error
    total = time.monotonic() - start
    for nb, error in sorted(failed.items()):
        print(f'\n== {nb} failed in its kernel:\n{error}')
    passed = len(notebooks) - len(failed)
    print(f'\nnotebooks in a Jupyter kernel: {passed} passed, {len(failed)} failed, '
          f'{total:.0f} s with {args.jobs} at a time')
    if failed:
        names = ', '.join(str(nb) for nb in sorted(failed))
        sys.exit(f'failed in a kernel: {names}')


if __name__ == '__main__':
    main()
