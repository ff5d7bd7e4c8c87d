"Bad input, degenerate data, extreme scales, single precision, sample weights: each with a clear outcome."
import copy, pickle, warnings
import numpy as np
import pytest
from gmm_literate import GaussianMixture, load_faithful, make_mixture
from gmm_literate.mixture import RidgeWarning
from helpers import random_problem, typed_start

TYPES = ('full', 'tied', 'diag', 'spherical')
X = load_faithful()
Xs = (X - X.mean(0)) / X.std(0)

# -- bad input: a clear ValueError before any work ---------------------------------------------------------
BAD_FITS = [
    (dict(), np.array([[1.0, np.nan]] * 5), 'NaN at row 0, column 1'),
    (dict(), np.array([[1.0, 2.0]] * 4 + [[np.inf, 0.0]]), 'infinity at row 4, column 0'),
    (dict(), np.ones((2, 2, 2)), 'must be 2-D'),
    (dict(), np.ones(5), 'Reshape your data'),
    (dict(n_components=6), np.ones((5, 2)), 'n_samples >= n_components'),
    (dict(n_components=2, means_init=np.zeros((3, 2))), X, r'means_init must have shape (2, 2)'),
    (dict(n_components=2, weights_init=[0.2, 0.2]), X, 'must sum to 1'),
    (dict(n_components=2, weights_init=[1.2, -0.2]), X, 'non-negative'),
    (dict(n_components=2, covariance_type='tied', precisions_init=np.eye(3)), X, 'must have shape (2, 2)'),
    (dict(n_components=2, covariance_type='spherical', precisions_init=[1.0, -1.0]), X, 'must be positive'),
    (dict(n_components=2, precisions_init=np.stack([np.eye(2), [[1, 0], [1, 1]]])), X, 'symmetric'),
    (dict(n_components=2, precisions_init=np.stack([np.eye(2), [[1, 2], [2, 1]]])), X, 'not positive definite'),
    (dict(covariance_type='banana'), X, 'covariance_type must be one of'),
    (dict(init_params='kmeans--'), X, 'init_params must be one of'),
    (dict(max_iter=-1), X, 'max_iter must be an integer >= 0'),
]

@pytest.mark.parametrize('kw, data, message', BAD_FITS)
def test_bad_input_fails_clearly_before_any_work(kw, data, message):
    gm = GaussianMixture(**kw)
    with pytest.raises(ValueError) as e: gm.fit(data)
    assert message in str(e.value), str(e.value)
    assert not hasattr(gm, 'means_')                  # nothing was fitted

@pytest.mark.parametrize('weights, message', [([-1.0] + [1.0] * 271, 'sample 0 has weight -1.0'),
                                              ([1.0] * 5, r'shape (272,)'), ([0.0] * 272, 'sums to zero'),
                                              ([np.nan] * 272, 'NaN')])
def test_bad_sample_weight(weights, message):
    with pytest.raises(ValueError, match=message.replace('(', r'\(').replace(')', r'\)')):
        GaussianMixture(2).fit(X, sample_weight=weights)

def test_new_data_must_have_the_fitted_number_of_features():
    gm = GaussianMixture(2, random_state=0).fit(X)
    for method in (gm.predict, gm.predict_proba, gm.score_samples, gm.score, gm.bic, gm.aic):
        with pytest.raises(ValueError, match='X has 3 features, but GaussianMixture is expecting 2'):
            method(np.ones((4, 3)))

def test_a_collapsing_component_is_named_with_remedies():
    lone = np.vstack([np.random.default_rng(0).normal(size=(50, 2)), [[30.0, 30.0]]])
    with pytest.raises(ValueError) as e:
        GaussianMixture(2, reg_covar=0, weights_init=[0.5, 0.5], means_init=[[0, 0], [30, 30]],
                        precisions_init=[np.eye(2), np.eye(2)]).fit(lone)
    assert 'component 1' in str(e.value) and 'increase reg_covar' in str(e.value) and 'scale the input data' in str(e.value)
    assert str(e.value).startswith('Fitting the mixture model failed because some components have ill-defined empirical covariance')

# -- degenerate data --------------------------------------------------------------------------------------
@pytest.mark.parametrize('ct', TYPES)
def test_duplicated_points_fit(ct):
    gm = GaussianMixture(2, covariance_type=ct, random_state=0).fit(np.repeat(Xs, 3, axis=0))
    assert gm.converged_ and np.isfinite(gm.covariances_).all()

@pytest.mark.parametrize('ct', TYPES)
def test_constant_feature_fits_with_the_ridge(ct):
    Y = np.column_stack([Xs, np.full(len(Xs), 7.0)])
    gm = GaussianMixture(2, covariance_type=ct, random_state=0).fit(Y)
    var = {'full': lambda c: c[:, 2, 2], 'tied': lambda c: c[2, 2], 'diag': lambda c: c[:, 2], 'spherical': None}[ct]
    if var: np.testing.assert_allclose(var(gm.covariances_), 1e-6, rtol=1e-6)
    np.testing.assert_allclose(gm.means_[:, 2], 7.0)

@pytest.mark.parametrize('ct', TYPES)
def test_one_point_per_component(ct):
    pts = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 7.0]])
    gm = GaussianMixture(3, covariance_type=ct, random_state=0).fit(pts)
    np.testing.assert_allclose(np.sort(gm.means_, axis=0), np.sort(pts, axis=0), atol=1e-9)
    assert sorted(gm.predict(pts)) == [0, 1, 2]

def test_fewer_distinct_points_than_components_warns_and_fits():
    from gmm_literate.initialization import FewerDistinctPointsWarning
    with pytest.warns(FewerDistinctPointsWarning, match='distinct points \\(2\\) found smaller than n_clusters \\(3\\)'):
        gm = GaussianMixture(3).fit(np.array([[1.0, 1.0]] * 5 + [[2.0, 2.0]] * 5))
    assert np.all(gm.weights_ > 0) and np.isfinite(gm.covariances_).all()

# -- scale -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize('ct', TYPES)
def test_large_offset_fits_the_same(ct):
    base = GaussianMixture(2, covariance_type=ct, random_state=0).fit(Xs)
    moved = GaussianMixture(2, covariance_type=ct, random_state=0).fit(Xs + 1e8)
    np.testing.assert_allclose(moved.means_ - 1e8, base.means_, atol=1e-6)
    np.testing.assert_allclose(moved.covariances_, base.covariances_, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(moved.predict(Xs + 1e8), base.predict(Xs))

@pytest.mark.parametrize('ct', TYPES)
def test_tiny_scale_fits_the_same_with_the_ridge_in_data_units(ct):
    s = 1e-8
    base = GaussianMixture(2, covariance_type=ct, random_state=0).fit(Xs)
    tiny = GaussianMixture(2, covariance_type=ct, reg_covar=1e-6 * s**2, random_state=0).fit(Xs * s)
    np.testing.assert_allclose(tiny.means_ / s, base.means_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(tiny.covariances_ / s**2, base.covariances_, rtol=1e-7)
    np.testing.assert_allclose(tiny.lower_bound_, base.lower_bound_ - 2 * np.log(s), rtol=1e-10)
    np.testing.assert_array_equal(tiny.predict(Xs * s), base.predict(Xs))

def test_a_ridge_that_swamps_the_data_warns():
    with pytest.warns(RidgeWarning, match='Rescale the data'):
        GaussianMixture(2, random_state=0).fit(Xs * 1e-8)

# -- single precision --------------------------------------------------------------------------------------
@pytest.mark.parametrize('ct', TYPES)
def test_float32_in_float32_out_and_accurate(ct):
    X64, _ = random_problem(5, n=2000, d=3, K=3)
    X32 = X64.astype(np.float32)
    kw = dict(covariance_type=ct, tol=1e-6, max_iter=500, **typed_start(X64, 3, ct))
    g32, g64 = GaussianMixture(3, **kw).fit(X32), GaussianMixture(3, **kw).fit(X64)
    for a in ('weights_', 'means_', 'covariances_', 'precisions_', 'precisions_cholesky_'):
        assert getattr(g32, a).dtype == np.float32, a
        np.testing.assert_allclose(getattr(g32, a), getattr(g64, a), rtol=2e-3, atol=2e-3 * np.abs(getattr(g64, a)).max(), err_msg=a)
    for out in (g32.predict_proba(X32), g32.score_samples(X32), g32.sample(3)[0]):
        assert out.dtype == np.float32
    assert abs(g32.score(X64) - g64.score(X64)) < 1e-4 * abs(g64.score(X64))

@pytest.mark.parametrize('ct', TYPES)
@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_scikit_learn_issue_30382_case(ct, dtype):
    gm = GaussianMixture(2, covariance_type=ct, reg_covar=0.1, random_state=0).fit(np.array([[9999.0], [0.0]], dtype=dtype))
    np.testing.assert_allclose(gm.covariances_, 0.1, rtol=1e-6)

# -- sample weights ---------------------------------------------------------------------------------------
@pytest.mark.parametrize('ct', TYPES)
def test_integer_weights_equal_repeated_rows(ct):
    Y, _ = random_problem(11, n=300, d=2, K=3)
    counts = np.random.default_rng(0).integers(1, 4, size=len(Y))
    kw = dict(covariance_type=ct, tol=1e-8, max_iter=2000, **typed_start(Y, 3, ct))
    a = GaussianMixture(3, **kw).fit(Y, sample_weight=counts)
    b = GaussianMixture(3, **kw).fit(np.repeat(Y, counts, axis=0))
    assert a.n_iter_ == b.n_iter_
    for attr in ('weights_', 'means_', 'covariances_'):
        np.testing.assert_allclose(getattr(a, attr), getattr(b, attr), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.lower_bound_, b.lower_bound_, rtol=1e-10)

@pytest.mark.parametrize('ct', TYPES)
@pytest.mark.parametrize('init', ['kmeans', 'k-means++', 'random_from_data'])
def test_zero_weights_equal_dropped_rows(ct, init):
    Y = make_mixture(400, 2, 3, random_state=4).X
    keep = np.random.default_rng(1).random(len(Y)) < 0.7
    kw = dict(covariance_type=ct, init_params=init, random_state=0, tol=1e-8, max_iter=300)
    a = GaussianMixture(3, **kw).fit(Y, sample_weight=keep.astype(float))
    b = GaussianMixture(3, **kw).fit(Y[keep])
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-9, atol=1e-12)

# -- hygiene -----------------------------------------------------------------------------------------------
def test_inputs_are_never_modified():
    Y, start = random_problem(3, n=200, d=2, K=2)
    w = np.random.default_rng(0).random(len(Y))
    before = copy.deepcopy((Y, w, start))
    gm = GaussianMixture(2, **start).fit(Y, sample_weight=w)
    gm.predict(Y); gm.score_samples(Y); gm.predict_proba(Y)
    np.testing.assert_array_equal(Y, before[0]); np.testing.assert_array_equal(w, before[1])
    for k in start: np.testing.assert_array_equal(start[k], before[2][k])

@pytest.mark.parametrize('state', [7, 'RandomState', 'Generator'])
def test_deterministic_for_a_given_random_state(state):
    make = {7: lambda: 7, 'RandomState': lambda: np.random.RandomState(7), 'Generator': lambda: np.random.default_rng(7)}[state]
    a = GaussianMixture(3, init_params='random', n_init=2, random_state=make()).fit(Xs)
    b = GaussianMixture(3, init_params='random', n_init=2, random_state=make()).fit(Xs)
    np.testing.assert_array_equal(a.means_, b.means_)

@pytest.mark.parametrize('ct', TYPES)
def test_pickle_round_trip(ct):
    gm = GaussianMixture(2, covariance_type=ct, random_state=0).fit(X)
    back = pickle.loads(pickle.dumps(gm))
    np.testing.assert_array_equal(back.predict_proba(X), gm.predict_proba(X))
    np.testing.assert_array_equal(back.score_samples(X), gm.score_samples(X))

@pytest.mark.parametrize('ct', TYPES)
def test_sample_with_its_own_random_state(ct):
    gm = GaussianMixture(2, covariance_type=ct, random_state=0).fit(Xs)
    a, la = gm.sample(500, random_state=1)
    b, lb = gm.sample(500, random_state=1)
    c, _ = gm.sample(500, random_state=2)
    np.testing.assert_array_equal(a, b); np.testing.assert_array_equal(la, lb)
    assert not np.array_equal(a, c) and a.shape == (500, 2) and la.shape == (500,)
    big, labels = gm.sample(200_000, random_state=3)
    for k in range(2):
        np.testing.assert_allclose(big[labels == k].mean(0), gm.means_[k], atol=0.02)
    with pytest.raises(ValueError, match='n_samples must be an integer >= 1'): gm.sample(0)

def test_fit_predict_equals_fit_then_predict():
    for ct in TYPES:
        a = GaussianMixture(3, covariance_type=ct, random_state=0, max_iter=5)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            labels = a.fit_predict(Xs)
        np.testing.assert_array_equal(labels, a.predict(Xs))

def test_max_iter_zero_returns_the_start():
    start = dict(weights_init=[0.4, 0.6], means_init=[[0.0, 0.0], [1.0, 1.0]], precisions_init=[np.eye(2), 4 * np.eye(2)])
    gm = GaussianMixture(2, max_iter=0, **start).fit(Xs)
    np.testing.assert_array_equal(gm.weights_, start['weights_init'])
    np.testing.assert_array_equal(gm.means_, start['means_init'])
    np.testing.assert_allclose(gm.covariances_[1], 0.25 * np.eye(2))
    assert gm.n_iter_ == 0 and not gm.converged_ and gm.lower_bounds_ == []

@pytest.mark.parametrize('ct', TYPES)
def test_a_tiny_variance_that_still_factors_fits_as_in_scikit_learn(ct):
    # issue 12: with reg_covar=0, a component that collapses to a variance of ~1e-16 but still has a Cholesky
    # factor must be returned, as scikit-learn returns it; only a factorisation that fails may raise.
    from sklearn.mixture import GaussianMixture as Sk
    rng = np.random.default_rng(0)
    Y = np.vstack([rng.normal(size=(50, 2)), 30 + 1e-8 * rng.normal(size=(5, 2))])
    kw = dict(covariance_type=ct, reg_covar=0, means_init=[[0, 0], [30, 30]], random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try: ref = Sk(2, **kw).fit(Y)
        except ValueError: ref = None            # scikit-learn itself gives up on some types; we may do better
        ours = GaussianMixture(2, **kw).fit(Y)
    var = {'full': lambda c: np.diagonal(c, axis1=1, axis2=2), 'tied': lambda c: np.diag(c)[None],
           'diag': lambda c: c, 'spherical': lambda c: c[:, None]}[ct]
    assert np.isfinite(ours.covariances_).all() and var(ours.covariances_).min() > 0
    if ct != 'tied':                             # the collapsed component's variances, accurately
        truth = Y[50:].var(axis=0)
        np.testing.assert_allclose(var(ours.covariances_)[1], truth.mean() if ct == 'spherical' else truth, rtol=1e-3)
    if ref is not None and ct == 'full':         # scikit-learn's diag and spherical variances lose them to
        np.testing.assert_allclose(ours.covariances_, ref.covariances_, rtol=1e-3, atol=1e-18)  # cancellation (1e-13)
