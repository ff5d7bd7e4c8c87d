"""Dask arrays: EM is one map-reduce of chunk statistics per iteration, on the threaded scheduler and on a
2-worker LocalCluster; predictions stay lazy; bad input gets a clear message."""
import sys, warnings
import numpy as np
import pytest
from gmm_literate import GaussianMixture, make_mixture
from gmm_literate.benchmark import shared_start

da = pytest.importorskip('dask.array')
TYPES = ('full', 'tied', 'diag', 'spherical')

def _fit(data, ct, start, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return GaussianMixture(3, covariance_type=ct, tol=0, max_iter=8, **start).fit(data, **kw)

def _same(a, b, rtol=1e-8):
    assert abs(a.lower_bound_ - b.lower_bound_) <= 1e-10 * abs(b.lower_bound_)
    for f in ('weights_', 'means_', 'covariances_', 'precisions_cholesky_'):
        x, y = getattr(a, f), getattr(b, f)
        np.testing.assert_allclose(x, y, rtol=rtol, atol=rtol * np.abs(y).max(), err_msg=f)

@pytest.mark.parametrize('ct', TYPES)
def test_threaded_dask_fit_equals_the_in_memory_fit(ct):
    X = make_mixture(5000, 3, 3, random_state=0).X
    s = np.random.default_rng(0).uniform(0, 2, len(X))
    start = shared_start(X, 3, ct)
    ref = _fit(X, ct, start, sample_weight=s)
    got = _fit(da.from_array(X, chunks=(1100, 3)), ct, start, sample_weight=da.from_array(s, chunks=1100))
    _same(got, ref)

def test_default_start_on_dask_and_lazy_predictions():
    X = make_mixture(3000, 2, 3, random_state=1).X
    Xd = da.from_array(X, chunks=(1000, 1))                   # chunked along the columns too: rechunked
    a, b = GaussianMixture(3, random_state=0).fit(X), GaussianMixture(3, random_state=0).fit(Xd)
    _same(b, a, rtol=1e-7)
    for method in ('predict', 'predict_proba', 'score_samples'):
        out = getattr(b, method)(Xd)
        assert type(out).__module__.startswith('dask'), method
        np.testing.assert_allclose(out.compute(), getattr(a, method)(X), rtol=1e-9, atol=1e-12)
    labels = b.fit_predict(Xd)
    assert type(labels).__module__.startswith('dask')
    np.testing.assert_array_equal(labels.compute(), a.predict(X))
    np.testing.assert_allclose([b.score(Xd), b.bic(Xd), b.aic(Xd)], [a.score(X), a.bic(X), a.aic(X)], rtol=1e-9)

def test_two_worker_local_cluster():
    distributed = pytest.importorskip('dask.distributed')
    X = make_mixture(4000, 3, 3, random_state=2).X
    start = shared_start(X, 3, 'full')
    ref = _fit(X, 'full', start)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
         distributed.Client(cluster) as client:
        Xc = da.from_array(X, chunks=(900, 3)).persist()
        got = _fit(Xc, 'full', start)
        assert len(client.scheduler_info()['workers']) == 2
        labels = got.predict(Xc).compute()
    _same(got, ref)
    np.testing.assert_array_equal(labels, ref.predict(X))

def test_bad_dask_input_is_named():
    X = make_mixture(2000, 2, 2, random_state=3).X
    X[1500, 0] = np.inf
    with pytest.raises(ValueError, match=r'infinity at row 1500, column 0 \(in rows 1200 to 1799\)'):
        GaussianMixture(2).fit(da.from_array(X, chunks=(600, 2)))
    good = da.from_array(X[:1000], chunks=500)
    with pytest.raises(ValueError, match=r'shape \(1000,\)'):
        GaussianMixture(2).fit(good, sample_weight=da.ones(999, chunks=500))
    with pytest.raises(ValueError, match='non-negative'):
        GaussianMixture(2).fit(good, sample_weight=-da.ones(1000, chunks=500))

def test_without_dask_the_message_says_how_to_install(monkeypatch):
    from gmm_literate import sources
    class FakeDaskArray:                      # what arrives looks like a Dask array, but Dask cannot be imported
        __module__ = 'dask.array.core'
        chunks, ndim, shape = ((2,), (2,)), 2, (2, 2)
    FakeDaskArray.__module__ = 'dask.array.core'
    for name in [m for m in sys.modules if m == 'dask' or m.startswith('dask.')]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, 'dask', None)
    assert sources.is_dask_array(FakeDaskArray())
    with pytest.raises(ImportError, match=r"pip install 'gmm_literate\[dask\]'"):
        GaussianMixture(1).fit(FakeDaskArray())

def test_importing_the_package_does_not_import_dask():
    import subprocess
    code = "import sys, gmm_literate, gmm_literate.sources, gmm_literate.mixture; print(any(m.split('.')[0] == 'dask' for m in sys.modules))"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == 'False'

@pytest.mark.parametrize('model', ['VEV', 'EEI', 'EII'])
def test_covariance_models_fit_the_same_on_dask_and_on_a_memmap(model, tmp_path):
    # A model of chapter 6 is one more branch of the one M-step: every source of rows fits it alike.
    X = make_mixture(3000, 2, 3, random_state=4).X
    np.save(tmp_path / 'X.npy', X)
    fit = lambda data: GaussianMixture(3, covariance_type=model, random_state=0, max_iter=30).fit(data)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ref = fit(X)
        for data in (da.from_array(X, chunks=(700, 2)), np.load(tmp_path / 'X.npy', mmap_mode='r')):
            got = fit(data)
            np.testing.assert_allclose(got.means_, ref.means_, rtol=1e-7, atol=1e-9)
            np.testing.assert_allclose(got.covariances_, ref.covariances_, rtol=1e-6, atol=1e-9)
