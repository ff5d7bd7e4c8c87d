"""The whole fit() at its defaults, against scikit-learn's: what a user waits for (issue 11).

    python bench/bench.py --fit            # the standard case (n_init 1 and 5) and the sweep of shapes
    python bench/bench.py --fit --quick    # the standard case only, n_init=1
    python bench/bench.py --fit --bounds   # final lower bounds over 60 seeds, both libraries, each type

Each library runs its own default start (k-means), tol=1e-3, max_iter=100, on the same data; one alternating pair
per seed, median time reported (above 1 means we win), mean final lower bound and iterations over the same seeds.
The measuring code is gmm_literate.benchmark.compare_fit (nbs/15_benchmark.ipynb), which the docs page runs too."""
import numpy as np
from gmm_literate import make_mixture
from gmm_literate.benchmark import compare_fit, format_fit

TYPES = ('full', 'tied', 'diag', 'spherical')

def _digits():
    from sklearn.datasets import load_digits
    return load_digits().data

def standard(n_inits=(1, 5), seeds=(0, 1, 2, 3, 4)):
    X = make_mixture(200_000, 10, 8, random_state=0).X
    print(f'# whole fit() at defaults, n=200,000, d=10, K=8; seeds {seeds} (n_init=5: the first three)', flush=True)
    for n_init in n_inits:
        for ct in TYPES:
            print(format_fit(compare_fit(X, 8, ct, n_init, seeds if n_init == 1 else seeds[:3])), flush=True)

def sweep():
    print('# whole fit() at defaults across shapes (n_init=1); seeds as listed', flush=True)
    configs = [('n=100 d=2 K=3', lambda: make_mixture(100, 2, 3, random_state=0).X, 3, TYPES, (0, 1, 2, 3, 4)),
               ('digits 1797x64 K=10', _digits, 10, TYPES, (0, 1, 2, 3, 4)),
               ('n=200,000 d=2 K=3', lambda: make_mixture(200_000, 2, 3, random_state=0).X, 3, TYPES, (0, 1, 2)),
               ('n=20,000 d=100 K=128', lambda: make_mixture(20_000, 100, 128, random_state=0).X, 128, TYPES, (0, 1, 2)),
               ('n=1,000,000 d=10 K=8', lambda: make_mixture(1_000_000, 10, 8, random_state=0).X, 8, ('full',), (0,)),
               ('n=200,000 d=10 K=512', lambda: make_mixture(200_000, 10, 512, random_state=0).X, 512, ('diag',), (0,))]
    for name, data, K, types, seeds in configs:
        X = data()
        for ct in types:
            print(f'{name:<22}' + format_fit(compare_fit(X, K, ct, 1, seeds)), flush=True)

def bounds(seeds=60):
    "Final lower bound of both libraries over many seeds (n_init=1): is either start better on average?"
    import warnings
    from scipy.stats import mannwhitneyu
    from sklearn.mixture import GaussianMixture as SkGaussianMixture
    from gmm_literate import GaussianMixture
    X = make_mixture(200_000, 10, 8, random_state=0).X
    print(f'# final lower bound (mean log-likelihood), n=200,000, d=10, K=8, n_init=1, seeds 0-{seeds - 1}', flush=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for ct in TYPES:
            a = np.array([GaussianMixture(8, covariance_type=ct, random_state=s).fit(X).lower_bound_
                          for s in range(seeds)])
            b = np.array([SkGaussianMixture(8, covariance_type=ct, random_state=s).fit(X).lower_bound_
                          for s in range(seeds)])
            best = max(a.max(), b.max()) - 1e-3                            # within 0.001 of the best seen
            print(f'{ct:>9}: mean ours {a.mean():.4f}, scikit-learn {b.mean():.4f}; seeds 0-4 ours {a[:5].mean():.4f}, '
                  f'scikit-learn {b[:5].mean():.4f}; best optimum reached ours {np.sum(a > best)}, '
                  f'scikit-learn {np.sum(b > best)} times; rank test p = {mannwhitneyu(a, b).pvalue:.2f}',
                  flush=True)
