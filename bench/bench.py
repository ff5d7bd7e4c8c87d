"""Benchmark one EM iteration of gmm_literate against scikit-learn, side by side in one process.

    python bench/bench.py            # the reference configuration: n=200,000, d=10, K=8, every covariance type,
                                     # float64 against scikit-learn, then float32 against float64
    python bench/bench.py --sweep    # the scaling sweep over n, d and K (full covariances)

Needs the development install (pip install -e ".[dev]"), which brings scikit-learn. The measurement code lives in
the package (gmm_literate.benchmark, from nbs/11_benchmark.ipynb) so that the docs page runs the same code."""
import argparse
import numpy as np
from gmm_literate.datasets import make_mixture
from gmm_literate.benchmark import compare, format_row, ours_per_iteration

TYPES = ('full', 'tied', 'diag', 'spherical')

def reference(n, d, K, repeats):
    X = make_mixture(n, d, K, random_state=0).X
    print(f'# reference configuration: n={n}, d={d}, K={K}, float64, {repeats} alternating pairs, median', flush=True)
    for ct in TYPES:
        print(format_row(compare(X, K, ct, repeats=repeats)), flush=True)
    print('# float32 against float64 (gmm_literate alone)', flush=True)
    for ct in TYPES:
        t64 = ours_per_iteration(X, K, ct, repeats=repeats)
        t32 = ours_per_iteration(X.astype(np.float32), K, ct, repeats=repeats)
        print(f'{ct:>9}: float64 {t64:7.2f} ms/iter, float32 {t32:7.2f} ms/iter, {t64 / t32:.2f}x faster', flush=True)

def sweep(repeats):
    print(f'# scaling sweep, full covariances, {repeats} alternating pairs per point (median), after one warm-up fit; '
          'iterations (2, 12) up to n·K·d = 8e6, else (1, 4)', flush=True)
    configs = ([(n, 10, 8) for n in (10_000, 30_000, 100_000, 300_000, 1_000_000)]
               + [(100_000, d, 8) for d in (2, 50)] + [(100_000, 10, K) for K in (3, 32)])
    for n, d, K in configs:
        X = make_mixture(n, d, K, random_state=0).X
        r = compare(X, K, 'full', iterations=(2, 12) if n * K * d <= 8e6 else (1, 4), repeats=repeats, memory=n <= 300_000)
        print(format_row(r) + f"; ours {1e6 * r['ours_ms'] / n:.0f} ns/point", flush=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--sweep', action='store_true', help='run the scaling sweep instead of the reference configuration')
    p.add_argument('-n', type=int, default=200_000); p.add_argument('-d', type=int, default=10)
    p.add_argument('-k', type=int, default=8); p.add_argument('--repeats', type=int, default=3)
    a = p.parse_args()
    sweep(a.repeats) if a.sweep else reference(a.n, a.d, a.k, a.repeats)
