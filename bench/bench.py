"""Benchmark one EM iteration of gmm_literate against scikit-learn, side by side in one process.

    python bench/bench.py            # the reference configuration: n=200,000, d=10, K=8, every covariance type,
                                     # float64 against scikit-learn, then float32 against float64
    python bench/bench.py --sweep    # the scaling sweep over n, d and K (full covariances)
    python bench/bench.py --paths    # the two forms of the one-pass step's scatter (whitened, moments) over d and K
    python bench/bench.py --engine   # the statistics engine: sources' equality, memory on a memmap, time per source
    python bench/bench.py --fit      # the whole fit() at defaults against scikit-learn's (--quick: standard case only)

Needs the development install (pip install -e ".[dev]"), which brings scikit-learn. The measurement code lives in
the package (gmm_literate.benchmark, from nbs/15_benchmark.ipynb) so that the docs page runs the same code."""
import argparse, contextlib, time, warnings
import numpy as np
from gmm_literate.datasets import make_mixture
from gmm_literate.benchmark import compare, format_row, ours_per_iteration, shared_start
from gmm_literate.mixture import GaussianMixture
from gmm_literate import onepass as em   # the one-pass kernels (chapter 9)
from gmm_literate.mstep import m_step

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
        print(f'{ct:>9}: float64 {t64:7.2f} ms/iter, float32 {t32:7.2f} ms/iter, {t64 / t32:.2f}x faster; '
              f'float32 parameters within {precision_gap(X, K, ct):.1e} (relative) of float64 after 12 iterations', flush=True)

def precision_gap(X, K, ct, iterations=12):
    "Largest relative difference of the fitted parameters, float32 against float64, after the same iterations."
    start = shared_start(X, K, ct)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')                              # tol=0 never converges, by design
        a, b = (GaussianMixture(K, covariance_type=ct, tol=0, max_iter=iterations, **start).fit(X.astype(dt))
                for dt in (np.float64, np.float32))
    return max(float(np.abs(getattr(b, n) - getattr(a, n)).max() / np.abs(getattr(a, n)).max())
               for n in ('weights_', 'means_', 'covariances_'))

def sweep(repeats):
    print(f'# scaling sweep, full covariances, {repeats} alternating pairs per point (median), after one warm-up fit; '
          'iterations (2, 12) up to n·K·d = 8e6, else (1, 4)', flush=True)
    configs = ([(n, 10, 8) for n in (10_000, 30_000, 100_000, 300_000, 1_000_000)]
               + [(100_000, d, 8) for d in (2, 50)] + [(100_000, 10, K) for K in (3, 32)])
    for n, d, K in configs:
        X = make_mixture(n, d, K, random_state=0).X
        r = compare(X, K, 'full', iterations=(2, 12) if n * K * d <= 8e6 else (1, 4), repeats=repeats, memory=n <= 300_000)
        print(format_row(r) + f"; ours {1e6 * r['ours_ms'] / n:.0f} ns/point", flush=True)

def paths(repeats, n=100_000):
    """Time em_step with each form of the scatter, with BLAS on one thread (as shipped) and with BLAS's own threads."""
    print(f'# em_step, full covariances, n={n}: whitened scatter against moments, best of {repeats}; "1 thread" is '
          'as shipped, "BLAS threads" lets BLAS split products as configured. The step chooses the moments when '
          'K·d >= (d+1)(d+2)/2', flush=True)
    shipped = em.one_blas_thread
    for d in (2, 5, 10, 20, 50):
        for K in (1, 3, 8, 32):
            X64 = make_mixture(n, d, K, random_state=0).X
            start = m_step(X64, np.random.default_rng(0).dirichlet(np.ones(K), size=n), 1e-6, 'full')
            rule = 'moments' if K * d >= (d + 1) * (d + 2) // 2 else 'whitened'
            for dt in (np.float64, np.float32):
                X, (w, mu, _, U) = X64.astype(dt), [a.astype(dt) for a in start]
                ms = {}
                for threads, context in (('1 thread', shipped), ('BLAS threads', contextlib.nullcontext)):
                    em.one_blas_thread = context
                    try:
                        for moments in (False, True):
                            times = []
                            for _ in range(repeats):
                                t = time.perf_counter(); em.em_step(X, w, mu, U, 1e-6, 'full', moments=moments)
                                times.append(time.perf_counter() - t)
                            ms[threads, moments] = 1e3 * min(times)
                    finally:
                        em.one_blas_thread = shipped
                print(f'd={d:3} K={K:3} {np.dtype(dt).name} (rule: {rule:8}): ' + '; '.join(
                    f'{threads}: whitened {ms[threads, False]:6.1f} ms, moments {ms[threads, True]:6.1f} ms '
                    f'({ms[threads, False] / ms[threads, True]:.2f}x)' for threads in ('1 thread', 'BLAS threads')),
                    flush=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--sweep', action='store_true', help='run the scaling sweep instead of the reference configuration')
    p.add_argument('--paths', action='store_true', help='time the two forms of the scatter over d and K')
    p.add_argument('--engine', action='store_true', help='equality, memory and time of the sources of rows (bench/engine.py)')
    p.add_argument('--fit', action='store_true', help='the whole fit() at defaults against scikit-learn (bench/fit.py)')
    p.add_argument('--quick', action='store_true', help='with --fit: the standard case only, n_init=1')
    p.add_argument('--bounds', action='store_true', help='with --fit: final lower bounds over 60 seeds instead')
    p.add_argument('-n', type=int, default=200_000); p.add_argument('-d', type=int, default=10)
    p.add_argument('-k', type=int, default=8); p.add_argument('--repeats', type=int, default=3)
    a = p.parse_args()
    if a.fit:
        import fit
        if a.bounds: fit.bounds()
        elif a.quick: fit.standard(n_inits=(1,))
        else: fit.standard(); fit.sweep()
    elif a.engine:
        import engine; engine.run_all()
    elif a.paths: paths(a.repeats)
    elif a.sweep: sweep(a.repeats)
    else: reference(a.n, a.d, a.k, a.repeats)
