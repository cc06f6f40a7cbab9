#!/usr/bin/env python3
"""The scikit-learn estimators' defaults, measured: the bundled data sets against scikit-learn's SGD, and fits of noise.

    python bench/sklearn_defaults.py              # the table (digits takes a minute or two), then the noise battery
    python bench/sklearn_defaults.py --quick      # without digits, and the battery at two batch sizes
    python bench/sklearn_defaults.py --seeds 10   # also each data set over random_state 0..9: mean and worst difference

1. The table of nbs/15_sklearn.ipynb: `MinibatchClassifier()` and `MinibatchRegressor()` with their defaults against
   `SGDClassifier()` and `SGDRegressor()` with theirs (random_state=0 for all), each in a Pipeline after a
   StandardScaler, scored by 5-fold cross_val_score (accuracy; R^2 for diabetes), with the seconds the five fits took.
2. The noise battery, the reason for the classifier's batches of 2: fits of data with no signal (random labels; for the
   regressor, noise of standard deviation 10 with none, a little or some signal), n in 10, 21, 50, 200, 1000 rows,
   d in 1, 2, 5, 20 features drawn as N(0, 1), N(100, 1), N(0, 100^2) or N(5, 1e-6): how many raise DivergenceError
   (a fit that ends worse than predicting 0) at each batch size, with the defaults otherwise.

It is a measurement, not a test: it fails on nothing. Timings are of this machine, at this moment.
"""
import argparse, sys, time, warnings
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from minigd.loop import DivergenceError
from minigd.sklearn import ESTIMATOR_DEFAULTS, MinibatchClassifier, MinibatchRegressor

SETS = [('iris', load_iris, False), ('wine', load_wine, False), ('breast cancer', load_breast_cancer, False),
        ('digits', load_digits, False), ('diabetes (R^2)', load_diabetes, True)]

def scored(est, X, y):
    "The mean 5-fold score of `est` after a StandardScaler, and the seconds it took."
    start = time.perf_counter()
    score = cross_val_score(make_pipeline(StandardScaler(), est), X, y, cv=5).mean()
    return score, time.perf_counter() - start

def pair(regression, seed):
    "minigd's estimator with its defaults and scikit-learn's SGD with its, both with `random_state=seed`."
    if regression:
        return MinibatchRegressor(random_state=seed), SGDRegressor(random_state=seed)
    return MinibatchClassifier(random_state=seed), SGDClassifier(random_state=seed)

def the_table(sets, seeds):
    "Print the table of the bundled data sets, and with `seeds` > 1 the spread over random states."
    print('| data set | minigd | SGD | difference | minigd s | SGD s |' + (' mean diff | worst diff |' if seeds > 1 else ''))
    print('|---|---:|---:|---:|---:|---:|' + ('---:|---:|' if seeds > 1 else ''))
    for name, load, regression in sets:
        X, y = load(return_X_y=True)
        rows = []
        for seed in range(seeds):
            (a, ta), (b, tb) = [scored(e, X, y) for e in pair(regression, seed)]
            rows.append((a, b, ta, tb))
        a, b, ta, tb = rows[0]
        line = f'| {name} | {a:.4f} | {b:.4f} | {a - b:+.4f} | {ta:.1f} | {tb:.2f} |'
        if seeds > 1:
            diffs = [r[0] - r[1] for r in rows]
            line += f' {np.mean(diffs):+.4f} | {min(diffs):+.4f} |'
        print(line, flush=True)
    print()

def noise(regression):
    "The battery's data sets, in a fixed order: (X, y) of no signal (labels) or little (targets)."
    rng = np.random.default_rng(0)
    for n in [10, 21, 50, 200, 1000]:
        for d in [1, 2, 5, 20]:
            for scale, loc in [(1, 0), (1, 100), (100, 0), (1e-3, 5)]:
                for rep in range(3):
                    X = rng.normal(loc, scale, size=(n, d))
                    if regression:
                        yield X, rng.normal(size=n) * 10 + (X[:, 0] - loc) / scale * rep
                    else:
                        y = rng.integers(0, 3 if rep == 2 else 2, n)
                        if len(np.unique(y)) > 1:
                            yield X, y

def battery(regression, batch_sizes):
    "Print how many of the battery's fits raise DivergenceError at each batch size."
    name = 'MinibatchRegressor' if regression else 'MinibatchClassifier'
    for b in batch_sizes:
        failed = total = 0
        start = time.perf_counter()
        for X, y in noise(regression):
            est = (MinibatchRegressor if regression else MinibatchClassifier)(batch_size=b)
            total += 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    est.fit(X, y)
            except DivergenceError:
                failed += 1
        default = ' (the default)' if b == ESTIMATOR_DEFAULTS[name].get('batch_size', 20) else ''
        print(f'| {name} | {b}{default} | {failed} of {total} | {time.perf_counter() - start:.1f} |', flush=True)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='no digits; the battery at two batch sizes')
    p.add_argument('--seeds', type=int, default=1, help='random states 0..seeds-1 for each data set (default 1)')
    args = p.parse_args(argv)
    print('defaults:', ESTIMATOR_DEFAULTS, '\n')
    the_table([s for s in SETS if not (args.quick and s[0] == 'digits')], args.seeds)
    print('| estimator | batch_size | DivergenceError | s |')
    print('|---|---:|---:|---:|')
    battery(False, [2, 20] if args.quick else [1, 2, 5, 20])
    battery(True, [2, 20] if args.quick else [1, 5, 20])

if __name__ == '__main__':
    sys.exit(main())
