#!/usr/bin/env python3
"""The floors under issue 10's goals that the full benchmark misses: what the unavoidable pieces of each case cost on
their own, as multiples of R1 (one NumPy full-gradient pass `Z.T @ (Z @ theta - y)` over Z = [x 1], one BLAS thread),
next to the case itself, all in one process.

    python bench/floors.py            # 1e6 and 1e7 rows (about a minute, ~1 GB of memory)

Each piece is the same NumPy call the engine makes, on the same data, best of 3. It is not a test.
"""
import os
for _var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ[_var] = '1'
import math, sys, time
from pathlib import Path
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import LR, best_time, full_pass_time, make_data, table
from minigd import fit
from minigd.affine import batch_maps, compose, compose_orders, step_maps
from minigd.data import check_finite
from minigd.numpy_losses import data_moments, gram_blocks
from minigd.engines import batch_orders

def later_epoch(X, y, b, **kw):
    "Seconds of a later epoch of `fit`: a 3-epoch fit less a 1-epoch fit, over 2, best of 3 each."
    one = min(best_time(lambda: fit(X, y, lr=LR, epochs=1, batch_size=b, seed=0, **kw), 1) for _ in range(3))
    three = min(best_time(lambda: fit(X, y, lr=LR, epochs=3, batch_size=b, seed=0, **kw), 1) for _ in range(3))
    return one, (three - one) / 2

def examples(n=10 ** 6, b=20):
    X, y = make_data(n); R1 = full_pass_time(X, y)
    rng = np.random.default_rng(0)
    perm = rng.permutation(n)
    rows = 131060                                   # the engine's chunk: chunk_rows(1, 20)
    def gather():
        for s in range(0, n, rows): np.take(X, perm[s:s + rows], axis=0); np.take(y, perm[s:s + rows])
    XY = np.column_stack([X, y])                    # x and y side by side: one cache miss a row instead of two
    def gather_xy():
        for s in range(0, n, rows): np.take(XY, perm[s:s + rows], axis=0)
    Xp, yp = X[perm], y[perm]
    def maps():
        for s in range(0, n, rows): compose(step_maps(*gram_blocks(Xp[s:s + rows], yp[s:s + rows], b), LR, b)[..., None, :])
    first, later = later_epoch(X, y, b, shuffle='examples')
    return [[f"shuffle='examples', {n:.0e} rows, batch {b}", "a later epoch of fit", f"{later / R1:.2f}"],
            ["", "a fresh permutation of n rows, rng.permutation(n)", f"{best_time(lambda: rng.permutation(n)) / R1:.2f}"],
            ["", "gathering x and y in its order (np.take, the engine's chunks): 2n random reads", f"{best_time(gather) / R1:.2f}"],
            ["", "(the same gather from one (n, 2) array [x y], which would cost a copy of the data)", f"{best_time(gather_xy) / R1:.2f}"],
            ["", "the gathered rows' Gram blocks, maps and composition", f"{best_time(maps) / R1:.2f}"]]

def early(n=10 ** 6, b=256):
    X, y = make_data(n); R1 = full_pass_time(X, y)
    n_epochs = fit(X, y, lr=LR, epochs=20, batch_size=b, seed=0, early_stopping=True, tol=0.0).n_epochs
    t_base = t_es = math.inf
    for _ in range(3):
        t_base = min(t_base, best_time(lambda: fit(X, y, lr=LR, epochs=n_epochs, batch_size=b, seed=0), 1))
        t_es = min(t_es, best_time(lambda: fit(X, y, lr=LR, epochs=20, batch_size=b, seed=0, early_stopping=True, tol=0.0), 1))
    def holdout():
        held = np.sort(np.random.default_rng(0).choice(n, math.ceil(0.1 * n), replace=False))
        keep = np.ones(n, dtype=bool); keep[held] = False
        return np.flatnonzero(keep), held
    keep, held = holdout()
    rows = 131072
    def gather():
        for s in range(0, len(keep), rows): np.take(X, keep[s:s + rows], axis=0); np.take(y, keep[s:s + rows])
    def copy():
        for s in range(0, len(keep), rows): X[s:s + rows].copy(); y[s:s + rows].copy()
    maps = batch_maps(X, y, LR, b)[0]
    orders = batch_orders(n, b, True, np.random.default_rng(0), epochs=7)
    return [[f"early_stopping=True, {n:.0e} rows, batch {b}", f"the fit ({n_epochs} epochs) less the same {n_epochs} epochs without it",
             f"{(t_es - t_base) / R1:.2f} (ratio {t_es / t_base:.2f}x)"],
            ["", "drawing the hold-out: rng.choice(n, n/10, replace=False), sorted, and the training rows' index", f"{best_time(holdout) / R1:.2f}"],
            ["", "(of which the draw itself, rng.choice, the same numbers for the same seed)",
             f"{best_time(lambda: np.random.default_rng(0).choice(n, math.ceil(0.1 * n), replace=False)) / R1:.2f}"],
            ["", "one pass over the training rows through their index (np.take), x and y; the fit makes two", f"{best_time(gather) / R1:.2f}"],
            ["", "(the same pass over contiguous rows)", f"{best_time(copy) / R1:.2f}"],
            ["", "the affine path's blocks while the rule watches: 1 + 2 + 4 = 7 epochs composed (one block of 16 before), of which the rule uses 6",
             f"{best_time(lambda: compose_orders(maps, orders)) / R1:.2f}"]]

def big(n=10 ** 7, b=20):
    X, y = make_data(n); R1 = full_pass_time(X, y)
    first, later = later_epoch(X, y, b)
    maps = batch_maps(X, y, LR, b)[0]
    m, rng = maps.shape[-1], np.random.default_rng(0)
    orders = batch_orders(n, b, True, rng)
    whole, by_number = maps.transpose(2, 0, 1).reshape(m, 6), np.ascontiguousarray(maps).reshape(6, -1)
    def take():                                     # as the engine gathers: whole maps, each chunk turned batches last
        for s in range(0, m, 2 ** 15): np.take(whole, orders[:, s:s + 2 ** 15], axis=0).transpose(2, 0, 1).copy()
    def take_numbers():                             # maps stored number by number (before the speed2 branch)
        for s in range(0, m, 2 ** 15): np.take(by_number, orders[:, s:s + 2 ** 15], axis=1)
    return [[f"{n:.0e} rows, batch {b}", "the first epoch of fit", f"{first / R1:.2f}"],
            ["", "(checking the data are finite, one pass: least squares' fit now makes it only if the moments are not finite)",
             f"{best_time(lambda: check_finite(X, y)) / R1:.2f}"],
            ["", "the data's shifted moments, for the loss (one pass)", f"{best_time(lambda: data_moments(X, y, shift=True)) / R1:.2f}"],
            ["", "every batch's map (one pass)", f"{best_time(lambda: batch_maps(X, y, LR, b)) / R1:.2f}"],
            ["", "a later epoch of fit", f"{later / R1:.2f}"],
            ["", f"the epoch's batch order: rng.permuted over {m} batches", f"{best_time(lambda: batch_orders(n, b, True, rng)) / R1:.2f}"],
            ["", f"gathering the {m} maps (6 numbers each, 24 MB) in that order, in the engine's chunks", f"{best_time(take) / R1:.2f}"],
            ["", "(the same gather from maps stored number by number: six reads at random a map)", f"{best_time(take_numbers) / R1:.2f}"],
            ["", "composing them (gather included)", f"{best_time(lambda: compose_orders(maps, orders)) / R1:.2f}"]]

if __name__ == '__main__':
    t0 = time.perf_counter()
    print("## Floors: the pieces of the cases that miss their goals, each on its own, in R1\n")
    table(['case', 'piece', 'R1'], examples() + early() + big())
    print(f"(floors took {time.perf_counter() - t0:.0f} s)")
