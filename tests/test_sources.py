"""Memory-mapped files: the same fit as in memory, read in place block by block, never written, bounded memory;
and bad input met in a block is named by its rows."""
import hashlib, os, tracemalloc, warnings
import numpy as np
import pytest
from gmm_literate import GaussianMixture, make_mixture
from gmm_literate.benchmark import shared_start
from gmm_literate.em import em
from gmm_literate.gaussian import precisions_cholesky_from_precisions
from gmm_literate.sources import ArraySource

TYPES = ('full', 'tied', 'diag', 'spherical')

def _npy(tmp_path, X, name='X.npy'):
    path = tmp_path / name
    np.save(path, X)
    return path, np.load(path, mmap_mode='r')

def _digest(path): return hashlib.sha256(path.read_bytes()).hexdigest()

def _start_arrays(start, ct, dtype):
    prec = np.asarray(start['precisions_init'], dtype=np.float64)
    cov = 1 / prec if ct in ('diag', 'spherical') else np.linalg.inv(prec)
    U = precisions_cholesky_from_precisions(prec, ct)
    return [np.asarray(a, dtype) for a in (start['weights_init'], start['means_init'], cov, U)]

@pytest.mark.parametrize('ct', TYPES)
@pytest.mark.parametrize('rows', [1, 7, 1000, None])
def test_memmap_fit_equals_the_in_memory_fit(ct, rows, tmp_path):
    X = make_mixture(1500 if rows == 1 else 3000, 3, 3, random_state=0).X
    path, Xm = _npy(tmp_path, X)
    start = _start_arrays(shared_start(X, 3, ct), ct, np.float64)
    kw = dict(tol=0, max_iter=8, covariance_type=ct)
    ref = em(ArraySource(X), *start, **kw)
    run = em(ArraySource(Xm, rows=rows or len(X)), *start, **kw)
    np.testing.assert_allclose(run.lower_bounds, ref.lower_bounds, rtol=1e-10)
    for f in ('weights', 'means', 'covariances', 'precisions_cholesky'):
        np.testing.assert_allclose(getattr(run, f), getattr(ref, f), rtol=1e-8, atol=1e-8 * np.abs(getattr(ref, f)).max())

@pytest.mark.parametrize('dtype', [np.float64, np.float32])
def test_estimator_on_a_memmap_matches_memory_and_never_writes(dtype, tmp_path):
    X = make_mixture(4000, 4, 3, random_state=1).X.astype(dtype)
    s = np.random.default_rng(0).uniform(0, 2, len(X))
    path, Xm = _npy(tmp_path, X)
    wpath, sm = _npy(tmp_path, s, 'w.npy')
    before = _digest(path), _digest(wpath), os.stat(path).st_mtime_ns
    a = GaussianMixture(3, random_state=0).fit(X, sample_weight=s)
    b = GaussianMixture(3, random_state=0).fit(Xm, sample_weight=sm)
    tol = 1e-10 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(b.means_, a.means_, rtol=tol, atol=tol)
    np.testing.assert_allclose(b.covariances_, a.covariances_, rtol=tol, atol=tol)
    assert b.means_.dtype == dtype
    for method in ('predict', 'predict_proba', 'score_samples'):
        np.testing.assert_allclose(getattr(b, method)(Xm), getattr(a, method)(X), rtol=tol, atol=tol)
    np.testing.assert_allclose([b.score(Xm), b.bic(Xm), b.aic(Xm)], [a.score(X), a.bic(X), a.aic(X)], rtol=tol)
    np.testing.assert_array_equal(b.fit_predict(Xm), a.fit_predict(X))
    assert (_digest(path), _digest(wpath), os.stat(path).st_mtime_ns) == before
    assert not Xm.flags.writeable

def test_non_finite_values_in_a_memmap_are_named_by_row(tmp_path):
    X = make_mixture(300_000, 2, 2, random_state=2).X
    X[234_567, 1] = np.nan
    _, Xm = _npy(tmp_path, X)
    with pytest.raises(ValueError, match=r'NaN at row 234567, column 1 \(in rows 196608 to 262143\)'):
        GaussianMixture(2).fit(Xm)
    good = GaussianMixture(2, random_state=0).fit(X[:1000])
    with pytest.raises(ValueError, match='NaN at row 234567'):
        good.predict(Xm)

def test_bad_memmaps_and_weights_are_refused_clearly(tmp_path):
    _, Xi = _npy(tmp_path, np.arange(20, dtype=np.int32).reshape(10, 2))
    with pytest.raises(TypeError, match='float32 or float64'): GaussianMixture(2).fit(Xi)
    _, Xm = _npy(tmp_path, np.random.default_rng(0).normal(size=(50, 2)), 'Y.npy')
    with pytest.raises(ValueError, match=r'shape \(50,\)'): GaussianMixture(2).fit(Xm, sample_weight=np.ones(49))
    with pytest.raises(ValueError, match='row 3 has -1'):
        GaussianMixture(2).fit(Xm, sample_weight=np.r_[np.ones(3), -1.0, np.ones(46)])

@pytest.mark.parametrize('ct', TYPES)
def test_float32_with_an_offset_and_a_collapsing_component(ct, tmp_path):
    # A component on three identical points far from the rest, data 1e4 from the origin, in float32: the fit
    # (whose fast pass falls back to the exact block statistics as the component collapses) stays as accurate as
    # float32 allows, on a memmap as in memory.
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(size=(600, 2)), rng.normal(size=(600, 2)) + 6, np.full((3, 2), 20.0)]) + 1e4
    start = dict(weights_init=[0.45, 0.45, 0.1], means_init=[[1e4, 1e4], [1e4 + 6, 1e4 + 6], [1e4 + 19, 1e4 + 19]],
                 precisions_init={'full': [np.eye(2)] * 3, 'tied': np.eye(2), 'diag': np.ones((3, 2)),
                                  'spherical': np.ones(3)}[ct])
    kw = dict(covariance_type=ct, tol=0, max_iter=20, **start)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ref = GaussianMixture(3, **kw).fit(X)
        _, Xm = _npy(tmp_path, X.astype(np.float32))
        for data in (X.astype(np.float32), Xm):
            g = GaussianMixture(3, **kw).fit(data)
            np.testing.assert_allclose(g.means_, ref.means_, rtol=1e-6)
            scale = np.abs(ref.covariances_).max()
            np.testing.assert_allclose(g.covariances_, ref.covariances_, atol=1e-3 * scale)

def _peak(path, n):
    Xm = np.load(path, mmap_mode='r')[:n]
    start = dict(weights_init=np.full(4, 0.25), means_init=np.asarray(Xm[:4], dtype=np.float64) + 0.1,
                 precisions_init=np.repeat(np.eye(5)[None], 4, 0))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        tracemalloc.start()
        try:
            GaussianMixture(4, tol=0, max_iter=2, **start).fit(Xm)
            return tracemalloc.get_traced_memory()[1]
        finally: tracemalloc.stop()

def test_memmap_fit_memory_does_not_grow_with_n(tmp_path):
    X = make_mixture(400_000, 5, 4, random_state=4).X.astype(np.float32)
    path, _ = _npy(tmp_path, X)
    small, large = _peak(path, 100_000), _peak(path, 400_000)
    assert large - small < 2 * 2 ** 20, (small, large)        # X grows by 6 MB; the fit's memory must not
    assert large < 16 * 2 ** 20, large                      # a fixed working set of a few blocks
