"""Benchmark the k-means start of a Gaussian mixture against scikit-learn's, side by side in one process.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_start.py            # the whole sweep
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_start.py --quick    # without the two largest
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_start.py --bounds   # k-means with/without bounds

scikit-learn starts a GaussianMixture with KMeans(n_clusters=K, n_init=1, random_state=seed).fit(X) on all rows;
ours is gmm_literate.initialization.kmeans(X, K, np.random.default_rng(seed)). For each (n, d, K):
- time: alternating pairs (ours, then scikit-learn's), seeds 0, 1, 2, one pair per seed; the ratio is scikit-learn's
  median over ours (above 1: we are faster);
- inertia: the mean over seeds 0-4 of each library's final inertia, as ours / scikit-learn's (below 1: ours lower);
  both libraries run the same algorithm from different random numbers, so a few seeds differ by chance.
Then the start as each estimator runs it (what a user waits for before EM's first iteration): ours is
GaussianMixture's own start (k-means on a uniform sample of at most init_sample_size = 100,000 rows, then one M-step),
scikit-learn's is GaussianMixture._initialize_parameters (KMeans on every row, then its M-step); full covariances,
seeds 0-2 alternating, median.
Then the digits data (1,797 x 64, K=10, full covariances): the whole fit() at defaults of both libraries, seeds 0-4,
final mean log-likelihood (lower_bound_). Timings are wall-clock on a shared machine: read them as medians."""
import argparse, time, warnings
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from gmm_literate.datasets import make_mixture
from gmm_literate.initialization import kmeans
from gmm_literate.mixture import GaussianMixture

SWEEP = [(100, 2, 3), (1797, 64, 10), (20_000, 100, 128), (200_000, 10, 8), (200_000, 10, 512),
         (1_000_000, 10, 8), (200_000, 2, 3)]
LARGE = {(200_000, 10, 512), (1_000_000, 10, 8)}

def dataset(n, d, K):
    if (n, d, K) == (1797, 64, 10): return load_digits().data.astype(np.float64)
    return make_mixture(n, d, K, random_state=0).X

def ours(X, K, seed):
    t = time.perf_counter()
    _, _, history = kmeans(X, K, np.random.default_rng(seed))
    return time.perf_counter() - t, history[-1], len(history) - 1

def theirs(X, K, seed):
    t = time.perf_counter()
    km = KMeans(n_clusters=K, n_init=1, random_state=seed).fit(X)
    return time.perf_counter() - t, km.inertia_, km.n_iter_

def compare(n, d, K, pairs=3, seeds=5):
    X = dataset(n, d, K)
    ours(X[:1000], min(K, 10), 0); theirs(X[:1000], min(K, 10), 0)          # warm up both
    a, b = {}, {}
    for seed in range(seeds):
        a[seed] = ours(X, K, seed)                                          # alternating: ours, then theirs
        b[seed] = theirs(X, K, seed)
    t_ours = np.median([a[s][0] for s in range(pairs)])
    t_theirs = np.median([b[s][0] for s in range(pairs)])
    inertia = np.mean([a[s][1] for s in range(seeds)]) / np.mean([b[s][1] for s in range(seeds)])
    median = np.median([a[s][1] for s in range(seeds)]) / np.median([b[s][1] for s in range(seeds)])
    print(f'n={n:>9,} d={d:>3} K={K:>3}: ours {1e3 * t_ours:9.1f} ms, scikit-learn {1e3 * t_theirs:9.1f} ms, '
          f'ratio {t_theirs / t_ours:5.2f}x; inertia ours/theirs, seeds 0-{seeds - 1}: mean {inertia:.4f}, '
          f'median {median:.4f}; '
          f'iterations ours {np.median([a[s][2] for s in range(seeds)]):.0f}, '
          f'theirs {np.median([b[s][2] for s in range(seeds)]):.0f} (median)', flush=True)

def estimator_start(n, d, K, seeds=3):
    "The start of a GaussianMixture at defaults in each library, full covariances."
    from sklearn.utils import check_random_state
    from gmm_literate.mixture import _initialize, as_source
    X = dataset(n, d, K)
    def ours_start(seed):
        gm = GaussianMixture(K, random_state=seed)
        t = time.perf_counter()
        _initialize(gm, as_source(X, None, gm.reg_covar), np.random.default_rng(seed))
        return time.perf_counter() - t
    def theirs_start(seed):
        gm = SkGaussianMixture(K, random_state=seed)
        t = time.perf_counter()
        gm._initialize_parameters(X, check_random_state(seed))
        return time.perf_counter() - t
    ours_start(0); theirs_start(0)                                          # warm up both
    a, b = [], []
    for seed in range(seeds):
        a.append(ours_start(seed)); b.append(theirs_start(seed))
    print(f'n={n:>9,} d={d:>3} K={K:>3}: start of the fit: ours {1e3 * np.median(a):9.1f} ms, '
          f'scikit-learn {1e3 * np.median(b):9.1f} ms, ratio {np.median(b) / np.median(a):5.2f}x', flush=True)

def bounds_table(repeats=15):
    "kmeans with Hamerly's bounds against without, on the same rows (where BOUNDED_ROWS comes from)."
    print(f'# kmeans with and without the bounds (d=10, K=8 unless named), median of {repeats}, seeds 0-4 in turn',
          flush=True)
    cases = [(f'n={n:,}', make_mixture(n, 10, 8, random_state=0).X, 8) for n in (2_000, 5_000, 10_000, 20_000,
                                                                               100_000)]
    cases.append(('n=20,000 d=100 K=128', make_mixture(20_000, 100, 128, random_state=0).X, 128))
    for name, X, K in cases:
        t = {True: [], False: []}
        for r in range(repeats):
            for b in (True, False):
                t0 = time.perf_counter()
                kmeans(X, K, np.random.default_rng(r % 5), bounds=b)
                t[b].append(time.perf_counter() - t0)
        print(f'{name:>22}: with {1e3 * np.median(t[True]):8.2f} ms, without {1e3 * np.median(t[False]):8.2f} ms, '
              f'ratio {np.median(t[False]) / np.median(t[True]):5.2f}x', flush=True)

def share_of_fit(n=200_000, d=10, K=8, repeats=3):
    "How much of our whole fit() at defaults (full covariances) its own start takes."
    from gmm_literate.mixture import _initialize, as_source
    X = make_mixture(n, d, K, random_state=0).X
    starts, fits = [], []
    for seed in range(repeats):
        gm = GaussianMixture(K, random_state=seed)
        t = time.perf_counter()
        _initialize(gm, as_source(X, None, gm.reg_covar), np.random.default_rng(seed))
        starts.append(time.perf_counter() - t)
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            GaussianMixture(K, random_state=seed).fit(X)
        fits.append(time.perf_counter() - t)
    print(f'# share of the start in our whole fit() at defaults, n={n:,} d={d} K={K} full, median of {repeats}: '
          f'start {1e3 * np.median(starts):.0f} ms of {1e3 * np.median(fits):.0f} ms '
          f'({np.median(starts) / np.median(fits):.0%})', flush=True)

def digits_fits(seeds=5):
    X = load_digits().data.astype(np.float64)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for seed in range(seeds):
            a = GaussianMixture(10, random_state=seed).fit(X).lower_bound_
            b = SkGaussianMixture(10, random_state=seed).fit(X).lower_bound_
            rows.append((a, b))
    rows = np.array(rows)
    print('# digits, K=10, full covariances, whole fit() at defaults: final mean log-likelihood', flush=True)
    for seed, (a, b) in enumerate(rows):
        print(f'seed {seed}: ours {a:8.3f}, scikit-learn {b:8.3f}')
    print(f'mean: ours {rows[:, 0].mean():8.3f}, scikit-learn {rows[:, 1].mean():8.3f}; '
          f'median: ours {np.median(rows[:, 0]):8.3f}, scikit-learn {np.median(rows[:, 1]):8.3f}', flush=True)

if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true', help='skip the two largest configurations')
    parser.add_argument('--no-digits', action='store_true', help='skip the digits fits')
    parser.add_argument('--digits-seeds', type=int, default=5, help='seeds 0..N-1 for the digits fits (default 5)')
    parser.add_argument('--bounds', action='store_true', help="only: kmeans with and without Hamerly's bounds")
    args = parser.parse_args()
    if args.bounds:
        bounds_table()
        raise SystemExit
    print('# the start: our kmeans against KMeans(n_clusters=K, n_init=1); 3 alternating pairs, median', flush=True)
    for n, d, K in SWEEP:
        if args.quick and (n, d, K) in LARGE: continue
        compare(n, d, K)
    print('# the start as each GaussianMixture runs it (ours on a sample of at most 100,000 rows)', flush=True)
    for n, d, K in SWEEP:
        if args.quick and (n, d, K) in LARGE: continue
        estimator_start(n, d, K)
    share_of_fit()
    if not args.no_digits: digits_fits(args.digits_seeds)
