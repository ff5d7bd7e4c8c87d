"""The one-pass EM step computes the chapters' numbers on every shape, and fit's memory stays bounded.

No timings here: speed lives in bench/bench.py, which prints ratios."""
import tracemalloc, warnings
import numpy as np
import pytest
from gmm_literate import GaussianMixture, make_mixture
from gmm_literate import onepass as em_module
from gmm_literate.em import em_step_reference
from gmm_literate.onepass import em_step, block_rows, use_moments
from gmm_literate.mstep import m_step

TYPES = ('full', 'tied', 'diag', 'spherical')
SHAPES = [  # (n, d, K, rows per block)
    (300, 3, 4, None),    # default blocks (one block: n is below the block size)
    (50, 1, 3, 7),        # one feature; n not a multiple of the block
    (40, 2, 1, 64),       # one component; a single partial block
    (257, 5, 2, 16),      # many blocks, the last one short
    (1000, 2, 3, 1000),   # exactly one full block
    (1001, 2, 3, 1000),   # one full block and one row
]

def _start(n, d, K, dtype, ct):
    rng = np.random.default_rng(n * 7 + d * 3 + K)
    X = make_mixture(n, d, K, random_state=rng).X.astype(dtype)
    resp = rng.dirichlet(np.ones(K), size=n).astype(dtype)
    return X, m_step(X, resp, 1e-6, ct), rng

# how the scatter is accumulated: as em_step chooses, or forced (only full and tied covariances have a choice)
FORMS = [(ct, form) for ct in TYPES for form in (None, True, False)]   # every type: its moments about c, or whitened

@pytest.mark.parametrize('ct,moments', FORMS, ids=lambda v: {None: 'chosen', True: 'moments', False: 'whitened'}.get(v, v))
@pytest.mark.parametrize('shape', SHAPES, ids=lambda s: 'n{}-d{}-K{}-rows{}'.format(*s))
@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('weighted', [False, True])
def test_one_pass_step_matches_the_chapters(ct, moments, shape, dtype, weighted):
    n, d, K, rows = shape
    X, (w, mu, cov, U), rng = _start(n, d, K, dtype, ct)
    sw = rng.uniform(0, 3, n).astype(dtype) if weighted else None
    ll0, p0 = em_step_reference(X, w, mu, U, 1e-6, ct, sw)
    ll1, p1 = em_step(X, w, mu, U, 1e-6, ct, sw, rows=rows, moments=moments)
    tol = 1e-10 if dtype == np.float64 else 2e-4
    assert abs(ll1 - ll0) <= tol * abs(ll0)
    for a, b, name in zip(p1, p0, ('weights', 'means', 'covariances', 'precisions_cholesky')):
        assert a.dtype == dtype, name
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * np.abs(b).max(), err_msg=name)

@pytest.mark.parametrize('ct,moments', FORMS, ids=lambda v: {None: 'chosen', True: 'moments', False: 'whitened'}.get(v, v))
def test_one_pass_step_with_far_components_and_large_offsets(ct, moments):
    # well-separated, narrow components far from the origin: tiny responsibilities and big offsets at once
    X = make_mixture(2000, 3, 4, spread=40.0, random_state=0).X + 1e6
    start = m_step(X, np.eye(4)[np.random.default_rng(0).integers(0, 4, 2000)], 1e-6, ct)
    ll0, p0 = em_step_reference(X, start[0], start[1], start[3], 1e-6, ct)
    ll1, p1 = em_step(X, start[0], start[1], start[3], 1e-6, ct, rows=333, moments=moments)
    assert abs(ll1 - ll0) <= 1e-10 * abs(ll0)
    for a, b in zip(p1, p0):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-8 * np.abs(b).max())

def test_moments_that_lose_their_digits_are_measured_and_redone(monkeypatch):
    # One component 2000 of its standard deviations from the others. About the means' centroid, the moments keep
    # their digits in double precision but lose them all in single: the step must not try them (the prediction),
    # and when forced to, must measure the loss and redo the pass with the whitened scatter (the measured check).
    rng = np.random.default_rng(5)
    means = np.vstack([rng.normal(0, 0.1, (7, 10)), np.full((1, 10), 2000 / np.sqrt(10))])
    labels = rng.integers(0, 8, 20_000)
    X = means[labels] + rng.normal(size=(20_000, 10))
    w, mu, _, U = m_step(X, np.eye(8)[labels], 1e-6, 'full')
    assert use_moments(w, mu, U, 'full', np.dtype(np.float64))
    assert not use_moments(w, mu, U, 'full', np.dtype(np.float32))
    passes, one_pass = [], em_module._one_pass
    monkeypatch.setattr(em_module, '_one_pass', lambda *a, moments, **kw: passes.append(moments) or one_pass(*a, moments=moments, **kw))
    ll64, p64 = em_step(X, w, mu, U, 1e-6, 'full')
    X32, (w32, mu32, U32) = X.astype(np.float32), [a.astype(np.float32) for a in (w, mu, U)]
    ll32, p32 = em_step(X32, w32, mu32, U32, 1e-6, 'full', moments=True)
    assert passes == [True, True, False]                  # double: moments kept; single: moments measured, then redone
    assert abs(ll32 - ll64) <= 1e-5 * abs(ll64)
    for a, b in zip(p32, p64):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5 * np.abs(b).max())

def test_an_empty_component_is_named_by_the_fast_step_too():
    X = np.random.default_rng(0).normal(size=(100, 2))
    weights = np.array([1.0, 0.0]); means = np.array([[0.0, 0.0], [1e3, 1e3]])
    U = np.stack([np.eye(2), np.eye(2)])
    with pytest.raises(ValueError, match='Component 1 has no responsibility'):
        em_step(X, weights, means, U, 1e-6, 'full')

def test_block_rows_stay_within_bounds():
    for K, d in [(1, 1), (8, 10), (32, 50), (100, 100)]:
        for itemsize in (4, 8):
            assert 256 <= block_rows(K, d, itemsize) <= 16384

def _peak_fit(n):
    X = make_mixture(n, 10, 8, random_state=0).X
    rng = np.random.default_rng(1)
    start = dict(weights_init=np.full(8, 1 / 8), means_init=X[rng.choice(n, 8, replace=False)],
                 precisions_init=np.repeat(np.linalg.inv(np.cov(X.T))[None], 8, 0))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        tracemalloc.start()
        try:
            GaussianMixture(8, tol=0, max_iter=2, **start).fit(X)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

def test_fit_memory_is_bounded_whatever_n_is():
    # Beyond a fixed working set, fit keeps only the n labels (8 bytes each); X itself is 80 bytes a row.
    small, large = _peak_fit(100_000), _peak_fit(400_000)
    assert large - small <= 1.5 * 8 * 300_000, (small, large)
    assert large <= 0.5 * 400_000 * 10 * 8, large        # well below the data's own size (scikit-learn's peak is ~5x it)

def test_a_collapsing_component_keeps_the_likelihood_monotone():
    # Found by hypothesis: without the ridge, a component collapses while its mean moves, and the scatter-about-
    # the-old-means shortcut would lose all its digits; the step must notice and redo the iteration exactly.
    from gmm_literate.em import em
    from gmm_literate.gaussian import precisions_cholesky_from_covariances
    from test_properties import start_for
    rng = np.random.default_rng(383)
    X = make_mixture(200, 4, 4, random_state=rng).X
    s = start_for(X, 4, 'full', rng)
    cov = np.linalg.inv(np.asarray(s['precisions_init']))
    history = []
    with pytest.raises(ValueError, match='component 3 is not positive definite'):
        em(X, s['weights_init'], s['means_init'], cov, precisions_cholesky_from_covariances(cov), tol=1e-12,
           max_iter=200, reg_covar=0.0, callback=lambda it, r: history.__setitem__(slice(None), r.lower_bounds))
    assert len(history) > 30 and np.diff(history).min() >= 0

def test_the_fast_pass_takes_a_second_pass_for_a_collapsing_component(monkeypatch):
    # The same collapse, run through the fast kernel (the estimator's path): the guard must notice that the
    # scatter about the old means lost its digits and take a second pass about the new means.
    from gmm_literate import onepass
    from gmm_literate.em import em
    from gmm_literate.sources import ArraySource
    from gmm_literate.gaussian import precisions_cholesky_from_covariances
    from test_properties import start_for
    rng = np.random.default_rng(383)
    X = make_mixture(200, 4, 4, random_state=rng).X
    s = start_for(X, 4, 'full', rng)
    cov = np.linalg.inv(np.asarray(s['precisions_init']))
    calls, exact = [], onepass._about_new_means
    monkeypatch.setattr(onepass, '_about_new_means', lambda *a, **k: calls.append(1) or exact(*a, **k))
    history = []
    with pytest.raises(ValueError, match='component 3 is not positive definite'):
        em(ArraySource(X), s['weights_init'], s['means_init'], cov, precisions_cholesky_from_covariances(cov),
           tol=1e-12, max_iter=200, reg_covar=0.0, callback=lambda it, r: history.__setitem__(slice(None), r.lower_bounds))
    assert calls, 'the collapse guard was never reached'
    assert len(history) > 30 and np.diff(history).min() >= 0
