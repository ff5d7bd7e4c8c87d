"""The whole fit() at its defaults, against scikit-learn's: what a user waits for (issue 11).

    python bench/bench.py --fit            # the standard case (n_init 1 and 5) and the sweep of shapes
    python bench/bench.py --fit --quick    # the standard case only, n_init=1

Each library runs its own default start (k-means), tol=1e-3, max_iter=100, on the same data. Times alternate
between the libraries (ours, theirs, ours, ...) and the median of the pairs is reported; above 1 means we win.
The final lower bounds (mean log-likelihood) are printed too, averaged over seeds: speed that bought worse optima
would show there."""
import time, warnings
import numpy as np
from gmm_literate import GaussianMixture, make_mixture

TYPES = ('full', 'tied', 'diag', 'spherical')

def _digits():
    from sklearn.datasets import load_digits
    return load_digits().data

def _time(cls, X, K, ct, n_init, seed):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        t = time.perf_counter()
        g = cls(K, covariance_type=ct, n_init=n_init, random_state=seed).fit(X)
        return time.perf_counter() - t, g.lower_bound_, g.n_iter_

def compare_fit(X, K, ct, n_init=1, pairs=3, seeds=(0,)):
    "Median time of each library's whole fit over alternating pairs; mean lower bound over the seeds."
    from sklearn.mixture import GaussianMixture as Sk
    ours, theirs, lb_ours, lb_theirs, it_ours, it_theirs = [], [], [], [], [], []
    for i in range(max(pairs, len(seeds))):
        seed = seeds[i % len(seeds)]
        t, lb, it = _time(GaussianMixture, X, K, ct, n_init, seed); ours.append(t)
        if i < len(seeds): lb_ours.append(lb); it_ours.append(it)
        t, lb, it = _time(Sk, X, K, ct, n_init, seed); theirs.append(t)
        if i < len(seeds): lb_theirs.append(lb); it_theirs.append(it)
    o, s = float(np.median(ours)), float(np.median(theirs))
    return dict(ours=o, theirs=s, ratio=s / o, lb_ours=float(np.mean(lb_ours)), lb_theirs=float(np.mean(lb_theirs)),
                it_ours=float(np.mean(it_ours)), it_theirs=float(np.mean(it_theirs)))

def row(name, r):
    return (f"{name:<34} ours {r['ours']:7.2f} s, sklearn {r['theirs']:7.2f} s: x{r['ratio']:5.2f}; "
            f"lower bound {r['lb_ours']:9.4f} vs {r['lb_theirs']:9.4f}; iterations {r['it_ours']:5.1f} vs {r['it_theirs']:5.1f}")

def standard(n_inits=(1, 5), seeds=(0, 1, 2, 3, 4)):
    X = make_mixture(200_000, 10, 8, random_state=0).X
    print('# whole fit() at defaults, n=200,000, d=10, K=8; time: median of alternating pairs; '
          f'lower bound and iterations: mean over seeds {seeds}', flush=True)
    for n_init in n_inits:
        for ct in TYPES:
            r = compare_fit(X, 8, ct, n_init, pairs=len(seeds) if n_init == 1 else 3,
                            seeds=seeds if n_init == 1 else seeds[:3])
            print(row(f'{ct} n_init={n_init}', r), flush=True)

def sweep():
    print('# whole fit() at defaults across shapes (n_init=1); time: median of 3 alternating pairs '
          '(1 for the largest); lower bound: mean over the same seeds', flush=True)
    configs = [('n=100 d=2 K=3 full', lambda: make_mixture(100, 2, 3, random_state=0).X, 3, ['full', 'tied', 'diag', 'spherical'], 5),
               ('digits 1797x64 K=10', _digits, 10, ['full', 'tied', 'diag', 'spherical'], 5),
               ('n=200,000 d=2 K=3', lambda: make_mixture(200_000, 2, 3, random_state=0).X, 3, ['full', 'tied', 'diag', 'spherical'], 3),
               ('n=20,000 d=100 K=128', lambda: make_mixture(20_000, 100, 128, random_state=0).X, 128, ['full', 'tied', 'diag', 'spherical'], 1),
               ('n=1,000,000 d=10 K=8', lambda: make_mixture(1_000_000, 10, 8, random_state=0).X, 8, ['full'], 1),
               ('n=200,000 d=10 K=512', lambda: make_mixture(200_000, 10, 512, random_state=0).X, 512, ['diag'], 1)]
    for name, data, K, types, pairs in configs:
        X = data()
        for ct in types:
            r = compare_fit(X, K, ct, 1, pairs=pairs, seeds=tuple(range(pairs)))
            print(row(f'{name} {ct}', r), flush=True)
