"""The statistics engine's targets (issue 10): equality of every source with the in-memory fit, memory on a
memory-mapped file much larger than the fit should hold, and time per iteration of each source.

    python bench/bench.py --engine          # all three tables
    python bench/engine.py memory N PATH    # one memory measurement, in a fresh process (used by the above)

Each memory figure comes from a fresh Python process: tracemalloc's peak (every numpy buffer the fit allocates)
and the process's peak resident set (which also counts the file's pages that the OS maps in while reading)."""
import os, resource, subprocess, sys, tempfile, time, tracemalloc, warnings
import numpy as np
from gmm_literate import GaussianMixture, make_mixture
from gmm_literate.benchmark import shared_start
from gmm_literate.em import em
from gmm_literate.gaussian import precisions_cholesky_from_precisions
from gmm_literate.sources import ArraySource, DaskSource

TYPES = ('full', 'tied', 'diag', 'spherical')

def _start(X, K, ct, dtype=np.float64):
    s = shared_start(np.asarray(X, np.float64), K, ct)
    prec = np.asarray(s['precisions_init'], np.float64)
    cov = 1 / prec if ct in ('diag', 'spherical') else np.linalg.inv(prec)
    return [np.asarray(a, dtype) for a in (s['weights_init'], s['means_init'], cov,
                                          precisions_cholesky_from_precisions(prec, ct))]

def _run(source, start, ct, iterations=10):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return em(source, *start, tol=0, max_iter=iterations, covariance_type=ct)

def _gap(run, ref):
    ll = abs(run.lower_bound - ref.lower_bound) / abs(ref.lower_bound)
    par = max(float(np.abs(getattr(run, f) - getattr(ref, f)).max() / np.abs(getattr(ref, f)).max())
              for f in ('weights', 'means', 'covariances', 'precisions_cholesky'))
    return ll, par

def equality(folder):
    import dask.array as da
    from dask.distributed import Client, LocalCluster
    print('# equality with the in-memory fit: 10 iterations from the same start, n=3,000 (1,500 for blocks of 1 row), '
          'd=3, K=3; worst relative difference of l/n and of the parameters (targets 1e-10 and 1e-8)', flush=True)
    X = make_mixture(3000, 3, 3, random_state=0).X
    path = os.path.join(folder, 'eq.npy'); np.save(path, X)
    Xm = np.load(path, mmap_mode='r')
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
         Client(cluster):
        Xc = da.from_array(X, chunks=(700, 3)).persist()
        for ct in TYPES:
            start = _start(X, 3, ct)
            ref = _run(ArraySource(X), start, ct)
            cells = []
            for rows in (1, 7, 1000, len(X)):
                data = Xm[:1500] if rows == 1 else Xm
                r = ref if rows != 1 else _run(ArraySource(X[:1500]), start, ct)
                cells.append((f'memmap rows={rows}', _gap(_run(ArraySource(data, rows=rows), start, ct), r)))
            with _threads():
                cells.append(('dask threads', _gap(_run(DaskSource(da.from_array(X, chunks=(700, 3))), start, ct), ref)))
            cells.append(('LocalCluster(2)', _gap(_run(DaskSource(Xc), start, ct), ref)))
            print(f'{ct:>9}: ' + '; '.join(f'{name} {ll:.0e}/{p:.0e}' for name, (ll, p) in cells), flush=True)
    print('# float32 with an offset of 1e4 and a component collapsing onto 3 identical points: '
          'parameters against the float64 fit from the same start (in memory | memmap)', flush=True)
    rng = np.random.default_rng(3)
    Xo = np.vstack([rng.normal(size=(600, 2)), rng.normal(size=(600, 2)) + 6, np.full((3, 2), 20.0)]) + 1e4
    p32 = os.path.join(folder, 'o32.npy'); np.save(p32, Xo.astype(np.float32))
    for ct in TYPES:
        start = dict(weights_init=[0.45, 0.45, 0.1], means_init=[[1e4, 1e4], [1e4 + 6] * 2, [1e4 + 19] * 2],
                     precisions_init={'full': [np.eye(2)] * 3, 'tied': np.eye(2), 'diag': np.ones((3, 2)),
                                      'spherical': np.ones(3)}[ct])
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            fit = lambda data: GaussianMixture(3, covariance_type=ct, tol=0, max_iter=20, **start).fit(data)
            ref, mem, mm = fit(Xo), fit(Xo.astype(np.float32)), fit(np.load(p32, mmap_mode='r'))
        gap = lambda g: max(float(np.abs(getattr(g, f) - getattr(ref, f)).max() / np.abs(getattr(ref, f)).max())
                            for f in ('weights_', 'means_', 'covariances_'))
        print(f'{ct:>9}: float32 in memory {gap(mem):.1e} | float32 memmap {gap(mm):.1e}', flush=True)

class _threads:
    "Dask's default threaded scheduler, whatever client is current."
    def __enter__(self):
        import dask
        self._c = dask.config.set(scheduler='threads'); return self
    def __exit__(self, *a): self._c.__exit__(*a)

def write_file(path, n, d=10, chunk=1_000_000):
    "A float32 .npy of n rows from an 8-component mixture, written chunk by chunk (never whole in memory)."
    if os.path.exists(path): return path
    out = np.lib.format.open_memmap(path, mode='w+', dtype=np.float32, shape=(n, d))
    for a in range(0, n, chunk):
        b = min(a + chunk, n)
        out[a:b] = make_mixture(b - a, d, 8, random_state=a // chunk + 7).X
    out.flush(); del out
    return path

def memory_one(n, path):
    "Fit the first n rows of the file, K=8 full, default start, 10 iterations; print peaks (run in a fresh process)."
    X = np.load(path, mmap_mode='r')[:n]
    warnings.simplefilter('ignore')
    tracemalloc.start()
    t = time.perf_counter()
    GaussianMixture(8, max_iter=10, tol=0, random_state=0).fit(X)
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f'{peak} {rss} {seconds}')

def memory(folder, sizes=(1_000_000, 10_000_000)):
    path = write_file(os.path.join(folder, 'big.npy'), max(sizes))
    print(f'# memory: fit of a float32 memmap (d=10), K=8 full, default start, 10 iterations, each in a fresh process '
          f'(file of {max(sizes) * 40 / 1e6:.0f} MB)', flush=True)
    peaks = {}
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, 'memory', str(n), path], capture_output=True, text=True)
        if out.returncode: print(out.stderr[-2000:]); continue
        peak, rss, seconds = out.stdout.split()
        peaks[n] = int(peak)
        print(f'n={n:>10,}: tracemalloc peak {int(peak) / 2**20:7.1f} MiB; peak RSS {int(rss) / 2**20:7.1f} MiB '
              f'(the file is {n * 40 / 2**20:.0f} MiB); {float(seconds):.1f} s', flush=True)
    if len(peaks) == 2:
        a, b = sorted(peaks)
        print(f'growth of the traced peak from n={a:,} to n={b:,}: {(peaks[b] - peaks[a]) / 2**20:.2f} MiB '
              '(targets: peak at most 100 MB, growth under 10 MB)', flush=True)

def _per_iteration(make_source, start, ct, repeats=3, iterations=(2, 6)):
    "Seconds per iteration, as the difference of two run lengths; median of repeats."
    times = []
    for _ in range(repeats):
        t = []
        for it in iterations:
            src = make_source()
            t0 = time.perf_counter(); _run(src, start, ct, it); t.append(time.perf_counter() - t0)
        times.append((t[1] - t[0]) / (iterations[1] - iterations[0]))
    return float(np.median(times))

def timing(folder):
    import dask.array as da
    from dask.distributed import Client, LocalCluster
    print('# time per iteration, K=8 full, from the same start; median of 3 (each a difference of a 6- and a 2-iteration run)',
          flush=True)
    X = make_mixture(1_000_000, 10, 8, random_state=0).X.astype(np.float32)
    path = os.path.join(folder, 't.npy'); np.save(path, X)
    Xm = np.load(path, mmap_mode='r'); np.asarray(Xm).sum()            # into the page cache
    start = _start(X, 8, 'full', np.float32)
    mem = _per_iteration(lambda: ArraySource(X), start, 'full')
    mm = _per_iteration(lambda: ArraySource(Xm), start, 'full')
    print(f'memmap (float32, 1e6 x 10, in the page cache): {1e3 * mm:.0f} ms against {1e3 * mem:.0f} ms in memory: '
          f'{mm / mem:.2f}x (target at most 1.3x)', flush=True)
    X2 = make_mixture(2_000_000, 10, 8, random_state=1).X
    start = _start(X2, 8, 'full')
    mem = _per_iteration(lambda: ArraySource(X2), start, 'full')
    Xd = da.from_array(X2, chunks=(250_000, 10))
    with _threads():
        dt = _per_iteration(lambda: DaskSource(Xd), start, 'full')
    print(f'Dask threaded (float64, 2e6 x 10, chunks of 250,000 rows): {1e3 * dt:.0f} ms against {1e3 * mem:.0f} ms '
          f'in memory: {dt / mem:.2f}x (target at most 1.5x)', flush=True)
    Xs = X2[:200_000]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
         Client(cluster):
        Xc = da.from_array(Xs, chunks=(100_000, 10)).persist()
        cl = _per_iteration(lambda: DaskSource(Xc), start, 'full')
    with _threads():
        mem = _per_iteration(lambda: ArraySource(Xs), start, 'full')
    print(f'LocalCluster of 2 workers (2e5 x 10, 2 chunks): {1e3 * cl:.0f} ms per iteration against {1e3 * mem:.0f} ms '
          f'in memory: {1e3 * (cl - mem):.0f} ms of overhead per iteration (scheduling, sending θ, gathering Stats)',
          flush=True)

def run_all():
    folder = os.environ.get('GMM_BENCH_DIR') or tempfile.mkdtemp(prefix='gmm-engine-')
    equality(folder); memory(folder); timing(folder)

if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'memory': memory_one(int(sys.argv[2]), sys.argv[3])
    else: run_all()
