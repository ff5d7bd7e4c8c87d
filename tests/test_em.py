"EM itself: the likelihood never decreases, and the fit agrees with scikit-learn's from the same start."
import warnings
import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from gmm_literate import GaussianMixture
from gmm_literate.em import em
from gmm_literate.gaussian import precisions_cholesky_from_precisions
from helpers import random_problem

SHAPES = [(1, 2), (2, 3), (3, 4), (5, 2), (4, 6)]   # (d, K)

@pytest.mark.parametrize('seed', range(40))
def test_log_likelihood_never_decreases(seed):
    d, K = SHAPES[seed % len(SHAPES)]
    X, start = random_problem(seed, n=400, d=d, K=K)
    prec = np.asarray(start['precisions_init'])
    history = []
    try:
        em(X, start['weights_init'], start['means_init'], np.linalg.inv(prec), precisions_cholesky_from_precisions(prec),
           tol=1e-10, max_iter=300, reg_covar=0.0, callback=lambda it, r: history.__setitem__(slice(None), r.lower_bounds))
    except ValueError as e:                   # without the ridge a component may collapse: l → +∞, still monotone
        assert 'not positive definite' in str(e) or 'no responsibility' in str(e)
    assert len(history) >= 2
    assert np.diff(history).min() >= -1e-12 * max(1.0, abs(history[-1]))

def test_estimator_history_is_monotone_with_the_default_ridge():
    X, _ = random_problem(123, n=1000, d=3, K=4)
    gm = GaussianMixture(4, tol=1e-8, max_iter=5000, random_state=0).fit(X)
    assert gm.converged_ and np.diff(gm.lower_bounds_).min() >= -1e-10

@pytest.mark.parametrize('seed', range(8))
def test_agrees_with_scikit_learn_from_the_same_start(seed):
    d, K = SHAPES[seed % len(SHAPES)]
    X, start = random_problem(1000 + seed, n=500, d=d, K=K)
    n_iter = 25
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')     # tol=0 never converges: both libraries warn, by design
        ours = GaussianMixture(K, tol=0, max_iter=n_iter, **start).fit(X)
        ref = SkGaussianMixture(K, tol=0, max_iter=n_iter, **start).fit(X)
    assert ours.n_iter_ == ref.n_iter_ == n_iter
    ll_ours, ll_ref = ours.score(X), ref.score(X)
    assert abs(ll_ours - ll_ref) <= 1e-8 * abs(ll_ref), (ll_ours, ll_ref)
    assert abs(ours.lower_bound_ - ref.lower_bound_) <= 1e-8 * abs(ref.lower_bound_)
    for attr in ('weights_', 'means_', 'covariances_', 'precisions_', 'precisions_cholesky_'):
        a, b = getattr(ours, attr), getattr(ref, attr)
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * np.abs(b).max(), err_msg=attr)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), rtol=1e-8)

def test_converged_fit_agrees_with_scikit_learn():
    X, start = random_problem(7, n=800, d=2, K=3)
    ours = GaussianMixture(3, tol=1e-6, max_iter=1000, **start).fit(X)
    ref = SkGaussianMixture(3, tol=1e-6, max_iter=1000, **start).fit(X)
    assert ours.converged_ and ref.converged_ and ours.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(ours.means_, ref.means_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.lower_bounds_, ref.lower_bounds_, rtol=1e-8)
