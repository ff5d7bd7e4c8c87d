"""scikit-learn's public tests of GaussianMixture (sklearn/mixture/tests/test_gaussian_mixture.py, 1.9),
ported: their intent, in our own code, against our estimator. Tests of scikit-learn's private helpers
(sufficient statistics, _estimate_log_prob, _n_parameters, array API) are covered by our chapters and
test_parity.py instead."""
import contextlib, io, re, warnings
import numpy as np
import pytest
from gmm_literate import GaussianMixture, ConvergenceWarning
from gmm_literate.gaussian import precisions_cholesky_from_covariances

TYPES = ('full', 'tied', 'diag', 'spherical')

def mixture_data(seed=0, n=400, K=2, d=2, scale=50.0):
    "Samples of every covariance type from a random, well-separated K-component mixture; the truth beside them."
    rng = np.random.default_rng(seed)
    weights = rng.random(K) + 0.5; weights /= weights.sum()
    means = rng.random((K, d)) * scale
    covs = {'spherical': 0.5 + rng.random(K), 'diag': (0.5 + rng.random((K, d))) ** 2}
    A = rng.random((d, d)); covs['tied'] = A @ A.T + np.eye(d)
    covs['full'] = np.stack([(B := rng.random((d, d))) @ B.T + np.eye(d) for _ in range(K)])
    counts = np.round(weights * n).astype(int)
    labels = np.repeat(np.arange(K), counts)
    full = {'spherical': lambda k: covs['spherical'][k] * np.eye(d), 'diag': lambda k: np.diag(covs['diag'][k]),
            'tied': lambda k: covs['tied'], 'full': lambda k: covs['full'][k]}
    X = {ct: np.vstack([rng.multivariate_normal(means[k], full[ct](k), counts[k]) for k in range(K)]) for ct in TYPES}
    precisions = {'spherical': 1 / covs['spherical'], 'diag': 1 / covs['diag'], 'tied': np.linalg.inv(covs['tied']),
                  'full': np.linalg.inv(covs['full'])}
    return dict(X=X, labels=labels, weights=weights, means=means, covariances=covs, precisions=precisions)

D = mixture_data()

def ari(a, b):
    "Adjusted Rand index, written out (no scikit-learn needed)."
    from math import comb
    C = np.zeros((a.max() + 1, b.max() + 1), int); np.add.at(C, (a, b), 1)
    pairs = sum(comb(int(c), 2) for c in C.ravel())
    ra, rb = sum(comb(int(c), 2) for c in C.sum(1)), sum(comb(int(c), 2) for c in C.sum(0))
    expected = ra * rb / comb(len(a), 2)
    return (pairs - expected) / ((ra + rb) / 2 - expected)

def test_gaussian_mixture_attributes():
    X = np.random.default_rng(0).random((10, 2))
    kw = dict(n_components=2, tol=1e-4, n_init=3, max_iter=30, reg_covar=1e-1, covariance_type='full', init_params='random')
    gm = GaussianMixture(**kw).fit(X)
    for k, v in kw.items(): assert getattr(gm, k) == v

def test_check_weights():
    X, K = D['X']['full'], 2
    rng = np.random.default_rng(1)
    bad_shape = rng.random((K, 1))
    with pytest.raises(ValueError, match=re.escape(f"The parameter 'weights' should have the shape of ({K},), but got {bad_shape.shape}")):
        GaussianMixture(K, weights_init=bad_shape).fit(X)
    with pytest.raises(ValueError, match=re.escape("The parameter 'weights' should be in the range [0, 1], but got")):
        GaussianMixture(K, weights_init=rng.random(K) + 1).fit(X)
    # scikit-learn prints the minimum as "max value" and the maximum as "min value"; we print them the right way round
    bad_norm = rng.random(K); bad_norm = bad_norm / (bad_norm.sum() + 1)
    with pytest.raises(ValueError, match=re.escape(f"The parameter 'weights' should be normalized, but got sum(weights) = {bad_norm.sum():.5f}")):
        GaussianMixture(K, weights_init=bad_norm).fit(X)
    gm = GaussianMixture(K, weights_init=D['weights']).fit(X)
    np.testing.assert_array_equal(gm.weights_init, D['weights'])

def test_check_means():
    X, K, d = D['X']['full'], 2, 2
    with pytest.raises(ValueError, match="The parameter 'means' should have the shape of "):
        GaussianMixture(K, means_init=np.random.default_rng(0).random((K + 1, d))).fit(X)
    gm = GaussianMixture(K, means_init=D['means']).fit(X)
    np.testing.assert_array_equal(gm.means_init, D['means'])

@pytest.mark.parametrize('ct', TYPES)
def test_check_precisions(ct):
    K, d = 2, 2
    bad_shape = {'full': np.ones((K + 1, d, d)), 'tied': np.ones((d + 1, d + 1)), 'diag': np.ones((K + 1, d)),
                 'spherical': np.ones(K + 1)}
    not_pos = np.ones((K, d, d)); not_pos[0] = np.eye(d); not_pos[0, 0, 0] = -1.0
    not_positive = {'full': not_pos, 'tied': not_pos[0], 'diag': np.full((K, d), -1.0), 'spherical': np.full(K, -1.0)}
    message = {'full': 'symmetric, positive-definite', 'tied': 'symmetric, positive-definite', 'diag': 'positive',
               'spherical': 'positive'}
    X = D['X'][ct]
    with pytest.raises(ValueError, match=f"The parameter '{ct} precision' should have the shape of"):
        GaussianMixture(K, covariance_type=ct, precisions_init=bad_shape[ct], random_state=0).fit(X)
    with pytest.raises(ValueError, match=f"'{ct} precision' should be {message[ct]}"):
        GaussianMixture(K, covariance_type=ct, precisions_init=not_positive[ct], random_state=0).fit(X)
    gm = GaussianMixture(K, covariance_type=ct, precisions_init=D['precisions'][ct], random_state=0).fit(X)
    np.testing.assert_array_equal(gm.precisions_init, D['precisions'][ct])

@pytest.mark.parametrize('ct', TYPES)
def test_predict_and_predict_proba(ct):
    X = D['X'][ct]
    gm = GaussianMixture(2, covariance_type=ct, random_state=0, weights_init=D['weights'], means_init=D['means'],
                         precisions_init=D['precisions'][ct])
    with pytest.raises(ValueError, match='This GaussianMixture instance is not fitted'): gm.predict(X)
    gm.fit(X)
    labels, proba = gm.predict(X), gm.predict_proba(X)
    np.testing.assert_array_equal(labels, proba.argmax(axis=1))
    assert ari(D['labels'], labels) > 0.95

@pytest.mark.parametrize('seed, max_iter, tol', [(0, 2, 1e-7), (1, 2, 1e-1), (3, 300, 1e-7), (4, 300, 1e-1)])
def test_fit_predict_equals_fit_then_predict(seed, max_iter, tol):
    for ct in TYPES:
        X = mixture_data(seed)['X'][ct]
        kw = dict(covariance_type=ct, max_iter=max_iter, tol=tol, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            a = GaussianMixture(2, **kw).fit(X).predict(X)
            b = GaussianMixture(2, **kw).fit_predict(X)
        np.testing.assert_array_equal(a, b)
        assert ari(D['labels'] if seed == 0 else mixture_data(seed)['labels'], b) > 0.95 or max_iter == 2

def test_fit_predict_n_init():
    X = np.random.default_rng(0).standard_normal((1000, 5))
    a = GaussianMixture(5, n_init=5, random_state=0).fit(X).predict(X)
    b = GaussianMixture(5, n_init=5, random_state=0).fit_predict(X)
    np.testing.assert_array_equal(a, b)

@pytest.mark.parametrize('ct', TYPES)
def test_fit_recovers_the_parameters(ct):
    X = D['X'][ct]
    gm = GaussianMixture(2, covariance_type=ct, n_init=20, reg_covar=0, random_state=0).fit(X)
    order = np.argsort(gm.means_[:, 0]); truth = np.argsort(D['means'][:, 0])
    np.testing.assert_allclose(gm.weights_[order], D['weights'][truth], atol=0.02)
    np.testing.assert_allclose(gm.means_[order], D['means'][truth], atol=0.4)
    prec = gm.precisions_ if ct == 'tied' else gm.precisions_[order]
    true = D['precisions'][ct] if ct == 'tied' else D['precisions'][ct][truth]
    np.testing.assert_allclose(prec, true, rtol=0.35, atol=0.1)

def test_convergence_warning():
    X = D['X']['full']
    with pytest.warns(ConvergenceWarning, match='Best performing initialization did not converge. Try different init '
                                                'parameters, or increase max_iter, tol, or check for degenerate data.'):
        GaussianMixture(2, max_iter=1, tol=0, random_state=0).fit(X)

def test_multiple_init_is_at_least_as_good():
    X = np.random.default_rng(0).standard_normal((50, 5))
    for ct in TYPES:
        one = GaussianMixture(2, covariance_type=ct, random_state=0, max_iter=5).fit(X).score(X)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            many = GaussianMixture(2, covariance_type=ct, random_state=0, max_iter=5, n_init=5).fit(X).score(X)
        assert many >= one - 1e-12

def test_bic_1d_1component():
    X = np.random.default_rng(0).standard_normal((300, 1))
    bics = [GaussianMixture(1, covariance_type=ct, random_state=0).fit(X).bic(X) for ct in TYPES]
    np.testing.assert_allclose(bics, bics[0], rtol=1e-9)
    v = X.var() + 1e-6
    expected = len(X) * (np.log(2 * np.pi * v) + 1) + 2 * np.log(len(X))     # -2 l + p log n, p = mean + variance
    np.testing.assert_allclose(bics[0], expected, rtol=1e-6)

def test_aic_bic_against_the_gaussian_entropy():
    n, d = 50, 3
    X = np.random.default_rng(0).standard_normal((n, d))
    sgh = 0.5 * (np.linalg.slogdet(np.cov(X.T, bias=True))[1] + d * (1 + np.log(2 * np.pi)))
    for ct, p in zip(TYPES, (d * (d + 1) / 2 + d, d * (d + 1) / 2 + d, 2 * d, d + 1)):
        gm = GaussianMixture(1, covariance_type=ct, random_state=0, max_iter=200).fit(X)
        assert abs(gm.aic(X) - (2 * n * sgh + 2 * p)) / n < 0.8 and abs(gm.bic(X) - (2 * n * sgh + np.log(n) * p)) / n < 0.8

def test_verbose_prints_progress():
    X = D['X']['full']
    for verbose, text in ((1, 'Initialization'), (2, 'Iteration')):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            GaussianMixture(2, n_init=2, verbose=verbose, verbose_interval=1, random_state=0, tol=1e-7).fit(X)
        assert text in out.getvalue()

def test_warm_start_continues():
    X = mixture_data(seed=3)['X']['full']
    cold = GaussianMixture(2, max_iter=1, random_state=0, warm_start=False)
    warm = GaussianMixture(2, max_iter=1, random_state=0, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        cold.fit(X); warm.fit(X)
        np.testing.assert_array_equal(cold.means_, warm.means_)
        cold.set_params(max_iter=1000, tol=1e-6); warm.set_params(max_iter=1000, tol=1e-6)
        cold.fit(X); warm.fit(X)
    assert cold.converged_ and warm.converged_

def test_convergence_detected_with_warm_start():
    X = D['X']['full']
    for max_iter in (1, 2, 50):
        gm = GaussianMixture(2, warm_start=True, max_iter=max_iter, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            for _ in range(100):
                gm.fit(X)
                if gm.converged_: break
        assert gm.converged_ and max_iter >= gm.n_iter_

def test_score_and_score_samples():
    X = D['X']['full']
    gm = GaussianMixture(2, random_state=0)
    with pytest.raises(ValueError, match='This GaussianMixture instance is not fitted yet'): gm.score_samples(X)
    gm.fit(X)
    s = gm.score_samples(X)
    assert s.shape == (len(X),)
    np.testing.assert_allclose(gm.score(X), s.mean())
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        short = GaussianMixture(2, max_iter=1, random_state=0).fit(X)
    assert gm.score(X) >= short.score(X)

def test_monotonic_likelihood():
    X = D['X']['full']
    for ct in TYPES:
        gm = GaussianMixture(2, covariance_type=ct, reg_covar=0, warm_start=True, max_iter=1, random_state=0, tol=1e-7)
        current = -np.inf
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            for _ in range(600):
                previous, current = current, gm.fit(X).score(X)
                assert current >= previous - 1e-10
                if gm.converged_: break
        assert gm.converged_

@pytest.mark.parametrize('ct', TYPES)
def test_fitted_precision_covariance_consistency(ct):
    gm = GaussianMixture(2, covariance_type=ct, random_state=0).fit(D['X'][ct])
    U = gm.precisions_cholesky_
    if ct in ('full', 'tied'):
        np.testing.assert_allclose(U @ np.swapaxes(U, -1, -2), gm.precisions_, rtol=1e-12)
        eye = np.broadcast_to(np.eye(2), gm.covariances_.shape)
        np.testing.assert_allclose(gm.covariances_ @ gm.precisions_, eye, atol=1e-10)
        np.testing.assert_allclose(U, precisions_cholesky_from_covariances(gm.covariances_, ct), rtol=1e-10)
        assert np.allclose(np.tril(U.reshape(-1, 2, 2), -1), 0)                # upper triangular, as scikit-learn's
    else:
        np.testing.assert_allclose(U ** 2, gm.precisions_, rtol=1e-12)
        np.testing.assert_allclose(gm.precisions_, 1 / gm.covariances_, rtol=1e-12)

def test_sample():
    with pytest.raises(ValueError, match='not fitted'): GaussianMixture(2).sample(3)
    for ct in TYPES:
        gm = GaussianMixture(2, covariance_type=ct, random_state=0).fit(D['X'][ct])
        with pytest.raises(ValueError, match="'n_samples'"): gm.sample(0)
        S, labels = gm.sample(20000, random_state=1)
        assert S.shape == (20000, 2) and labels.shape == (20000,)
        for k in range(2):
            np.testing.assert_allclose(S[labels == k].mean(0), gm.means_[k], atol=0.1)
        np.testing.assert_allclose(np.bincount(labels) / len(labels), gm.weights_, atol=0.015)
        for n in (1, 2, 5):
            assert gm.sample(n)[0].shape == (n, 2)

def test_init_n_init_is_at_least_as_good():
    X = np.random.default_rng(0).standard_normal((100, 2)) * 5
    for seed in range(5):
        one = GaussianMixture(4, n_init=1, random_state=seed, max_iter=100).fit(X)
        ten = GaussianMixture(4, n_init=10, random_state=seed, max_iter=100).fit(X)
        assert ten.lower_bound_ >= one.lower_bound_ - 1e-12

@pytest.mark.parametrize('init', ['kmeans', 'k-means++', 'random_from_data'])
def test_init_means_not_duplicated(init):
    X = mixture_data(seed=5, K=3, scale=5)['X']['full']
    gm = GaussianMixture(3, init_params=init, random_state=0, max_iter=0).fit(X)
    assert len(np.unique(gm.means_.round(12), axis=0)) == 3

@pytest.mark.parametrize('init', ['random', 'random_from_data', 'k-means++', 'kmeans'])
def test_means_for_all_inits(init):
    data = mixture_data(seed=6, K=3, scale=5)
    X = data['X']['full']
    gm = GaussianMixture(3, init_params=init, random_state=0, max_iter=500, tol=1e-6).fit(X)
    assert ((X.min(0) <= gm.means_) & (gm.means_ <= X.max(0))).all() and gm.converged_

def test_max_iter_zero_returns_the_initial_means():
    X = mixture_data(seed=0, scale=5)['X']['full']
    means_init = [[20, 30], [30, 25]]
    gm = GaussianMixture(2, random_state=0, means_init=means_init, tol=1e-6, max_iter=0).fit(X)
    np.testing.assert_allclose(gm.means_, means_init)

@pytest.mark.parametrize('ct', TYPES)
def test_precisions_init_gives_the_same_fit_as_the_estimated_start(ct):
    # scikit-learn's #16944 and #26415: a precision given as a start must yield the factor the
    # estimator itself would have computed; otherwise the fit takes another path.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.standard_normal((300, 2)) + 20, rng.standard_normal((300, 2)) @ [[0.0, -0.7], [3.5, 0.7]]])
    start = GaussianMixture(2, covariance_type=ct, random_state=0, max_iter=0).fit(X)
    with_init = GaussianMixture(2, covariance_type=ct, random_state=0, precisions_init=start.precisions_).fit(X)
    without = GaussianMixture(2, covariance_type=ct, random_state=0).fit(X)
    assert with_init.n_iter_ == without.n_iter_
    np.testing.assert_allclose(with_init.precisions_cholesky_, without.precisions_cholesky_, rtol=1e-7, atol=1e-12)
    zero = GaussianMixture(2, covariance_type=ct, random_state=0, precisions_init=start.precisions_, max_iter=0).fit(X)
    np.testing.assert_allclose(zero.precisions_cholesky_, start.precisions_cholesky_, rtol=1e-10, atol=1e-14)

@pytest.mark.parametrize('ct', TYPES)
@pytest.mark.filterwarnings("ignore::UserWarning")     # max_iter=1 does not converge, in both libraries
def test_parameters_move_between_the_libraries_unchanged(ct):
    from sklearn.mixture import GaussianMixture as Sk
    X = D['X'][ct]
    ref = Sk(2, covariance_type=ct, random_state=0).fit(X)
    ours = GaussianMixture(2, covariance_type=ct, max_iter=0, weights_init=ref.weights_, means_init=ref.means_,
                           precisions_init=ref.precisions_).fit(X)
    for a in ('weights_', 'means_', 'covariances_', 'precisions_', 'precisions_cholesky_'):
        np.testing.assert_allclose(getattr(ours, a), getattr(ref, a), rtol=1e-12, atol=1e-14, err_msg=a)
    back = Sk(2, covariance_type=ct, max_iter=1, weights_init=ours.weights_, means_init=ours.means_,
              precisions_init=ours.precisions_).fit(X)
    again = GaussianMixture(2, covariance_type=ct, max_iter=1, weights_init=ours.weights_, means_init=ours.means_,
                            precisions_init=ours.precisions_).fit(X)
    for a in ('weights_', 'means_', 'covariances_', 'precisions_', 'precisions_cholesky_'):
        np.testing.assert_allclose(getattr(again, a), getattr(back, a), rtol=1e-9, atol=1e-12, err_msg=a)

def test_single_component_on_three_points():
    X = np.random.default_rng(0).multivariate_normal(np.zeros(2), np.eye(2), size=3)
    GaussianMixture(1).fit(X).sample()

def test_all_inits_given_skip_the_starting_rule():
    # With weights, means and precisions all given, no starting responsibilities are computed: the fit from them
    # does not depend on random_state or init_params.
    kw = dict(weights_init=D['weights'], means_init=D['means'], precisions_init=D['precisions']['full'])
    a = GaussianMixture(2, random_state=0, init_params='kmeans', **kw).fit(D['X']['full'])
    b = GaussianMixture(2, random_state=7, init_params='random', **kw).fit(D['X']['full'])
    np.testing.assert_array_equal(a.means_, b.means_)

# scikit-learn's test_regularisation: fewer distinct points than components. Without a ridge the covariances are
# singular (scikit-learn's message); with one, the start warns (FewerDistinctPointsWarning) and the fit succeeds.
SK_MESSAGE = ("Fitting the mixture model failed because some components have ill-defined empirical covariance "
              "(for instance caused by singleton or collapsed samples). Try to decrease the number of "
              "components, increase reg_covar, or scale the input data.")

@pytest.mark.parametrize('ct', ('full', 'tied', 'diag', 'spherical'))
def test_regularisation_ported(ct):
    n, d = 10, 5
    X = np.vstack([np.ones((n // 2, d)), np.zeros((n // 2, d))])
    gm = GaussianMixture(n, reg_covar=0, covariance_type=ct, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        with pytest.raises(ValueError, match=re.escape(SK_MESSAGE)):
            gm.fit(X)
        gm.set_params(reg_covar=1e-6).fit(X)       # today: "The data have fewer distinct points than n_clusters=10"
    assert np.isfinite(gm.covariances_).all()
