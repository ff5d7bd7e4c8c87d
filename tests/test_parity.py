"Parity with scikit-learn's GaussianMixture: the same interface, check_estimator, and the same numbers."
import inspect, subprocess, sys, warnings
import numpy as np
import pytest
import sklearn.exceptions
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.utils.estimator_checks import check_estimator
from gmm_literate import GaussianMixture, NotFittedError, load_faithful
from helpers import random_problem, typed_start

TYPES = ('full', 'tied', 'diag', 'spherical')
X = load_faithful()

def test_same_parameters_and_defaults():
    ours, theirs = (inspect.signature(c.__init__).parameters for c in (GaussianMixture, SkGaussianMixture))
    assert list(ours) == list(theirs)
    assert {k: p.default for k, p in ours.items()} == {k: p.default for k, p in theirs.items()}

@pytest.mark.parametrize('ct', TYPES)
def test_same_fitted_attributes_and_methods(ct):
    public = lambda m: {a for a in vars(m) if a.endswith('_') and not a.startswith('_')}
    ours, theirs = GaussianMixture(2, covariance_type=ct, random_state=0).fit(X), SkGaussianMixture(2, covariance_type=ct, random_state=0).fit(X)
    assert public(ours) == public(theirs)
    for a in public(theirs):
        assert np.shape(getattr(ours, a)) == np.shape(getattr(theirs, a)), a
    for method in ('fit', 'fit_predict', 'predict', 'predict_proba', 'score', 'score_samples', 'sample', 'bic', 'aic',
                   'get_params', 'set_params'):
        assert callable(getattr(ours, method))

def test_check_estimator_passes():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')   # "does not inherit from BaseEstimator", and skip notices
        results = check_estimator(GaussianMixture(), on_fail=None)
    failed = [(r['check_name'], str(r['exception'])[:200]) for r in results if r['status'] == 'failed']
    assert not failed, failed
    assert sum(r['status'] == 'passed' for r in results) >= 40

@pytest.mark.parametrize('ct', TYPES)
@pytest.mark.parametrize('seed', range(5))
def test_same_numbers_from_the_same_start(ct, seed):
    d, K = [(1, 2), (2, 3), (3, 4), (5, 2), (4, 6)][seed]
    Xr, _ = random_problem(2000 + seed, n=500, d=d, K=K)
    kw = dict(covariance_type=ct, tol=0, max_iter=25, **typed_start(Xr, K, ct))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ours, ref = GaussianMixture(K, **kw).fit(Xr), SkGaussianMixture(K, **kw).fit(Xr)
    assert abs(ours.score(Xr) - ref.score(Xr)) <= 1e-8 * abs(ref.score(Xr))
    for attr in ('weights_', 'means_', 'covariances_', 'precisions_', 'precisions_cholesky_'):
        a, b = getattr(ours, attr), getattr(ref, attr)
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * np.abs(b).max(), err_msg=attr)
    np.testing.assert_allclose([ours.bic(Xr), ours.aic(Xr)], [ref.bic(Xr), ref.aic(Xr)], rtol=1e-8)
    np.testing.assert_array_equal(ours.predict(Xr), ref.predict(Xr))

def test_errors_are_also_scikit_learns_when_it_is_loaded():
    with pytest.raises(sklearn.exceptions.NotFittedError): GaussianMixture().predict(X)
    with pytest.raises(NotFittedError): GaussianMixture().predict(X)
    with pytest.warns(sklearn.exceptions.ConvergenceWarning): GaussianMixture(2, max_iter=1, random_state=0).fit(X)

def test_scikit_learn_is_never_imported_by_the_package():
    code = ("import sys, warnings; from gmm_literate import GaussianMixture, NotFittedError, load_faithful\n"
            "X = load_faithful(); gm = GaussianMixture(2, covariance_type='diag', random_state=0).fit(X)\n"
            "gm.predict(X); gm.sample(5); gm.bic(X)\n"
            "try: GaussianMixture().predict(X)\n"
            "except NotFittedError as e: assert type(e) is NotFittedError\n"
            "assert not [m for m in sys.modules if m.split('.')[0] == 'sklearn'], 'sklearn was imported'\n")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
