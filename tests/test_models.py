"The 14 covariance models of chapter 6: names, parameter counts, M-steps, and their guards."
import warnings
import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters
from gmm_literate.datasets import make_mixture, load_faithful
from gmm_literate.gaussian import full_covariances
from gmm_literate.models import (MODELS, ALIASES, check_model, n_parameters, m_step_covariances,
                                 min_points, check_enough_points, in_model, factors,
                                 random_covariances, covariances_from_factors, _compose, _n_free)

def _statistics(X, resp):
    nk = resp.sum(0)
    centred = X[None] - (resp.T @ X / nk[:, None])[:, None]
    return nk, (resp.T[:, :, None] * centred).transpose(0, 2, 1) @ centred

def _F(cov, nk, W):
    return float(nk @ np.linalg.slogdet(cov)[1] + np.einsum('kij,kji->', W, np.linalg.inv(cov)))

@pytest.fixture(scope='module')
def problem():
    mix = make_mixture(300, 3, 3, spread=2.0, random_state=11)
    resp = 0.7 * np.eye(3)[mix.labels] + 0.3 * np.random.default_rng(11).dirichlet(np.ones(3), 300)
    return mix.X, resp, *_statistics(mix.X, resp)

def test_names_and_aliases():
    assert len(MODELS) == len(set(MODELS)) == 14
    for alias, model in ALIASES.items(): assert check_model(alias) == model
    for m in MODELS: assert check_model(m) == m
    for bad in ('VVX', 'vvv', '', None, 3):
        with pytest.raises(ValueError, match='EII, VII, EEI, VEI'): check_model(bad)

@pytest.mark.parametrize('K,d', [(1, 1), (3, 2), (4, 5)])
def test_parameter_counts_match_scikit_learn(K, d):
    for alias, model in ALIASES.items():
        sk = SkGaussianMixture(K, covariance_type=alias)
        sk.means_ = np.zeros((K, d))
        assert n_parameters(model, K, d) == sk._n_parameters() == n_parameters(alias, K, d)

@pytest.mark.parametrize('K,d', [(2, 4), (3, 3)])
def test_parameter_counts_are_the_dimension_of_each_model(K, d):
    "The rank of the Jacobian of an over-complete parametrisation is the model's dimension."
    iu = np.triu_indices(d)
    for m in MODELS:
        theta = np.random.default_rng(1).normal(0, 0.5, _n_free(m, K, d))
        f = lambda t: _compose(m, K, d, t)[:, iu[0], iu[1]].ravel()
        J = np.stack([(f(theta + 1e-6 * e) - f(theta - 1e-6 * e)) / 2e-6 for e in np.eye(theta.size)], 1)
        s = np.linalg.svd(J, compute_uv=False)
        assert (s > 1e-6 * s[0]).sum() == n_parameters(m, K, d) - (K - 1) - K * d, m

@pytest.mark.parametrize('alias', list(ALIASES))
def test_four_types_agree_with_scikit_learn(problem, alias):
    X, resp, nk, W = problem
    _, _, theirs = _estimate_gaussian_parameters(X, resp, 1e-3, alias)
    ours = m_step_covariances(alias, nk, W, reg_covar=1e-3)
    if alias == 'tied': theirs = np.tile(theirs, (3, 1, 1))
    if alias == 'diag': theirs = theirs[:, :, None] * np.eye(3)
    if alias == 'spherical': theirs = theirs[:, None, None] * np.eye(3)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)

@pytest.mark.parametrize('model', MODELS)
def test_m_step_is_in_the_model_and_no_perturbation_beats_it(problem, model):
    _, _, nk, W = problem
    with warnings.catch_warnings():
        warnings.simplefilter('error')          # must converge within the bound here
        cov = m_step_covariances(model, nk, W, max_iter=5000, tol=1e-11)
    assert cov.shape == (3, 3, 3) and cov.dtype == np.float64
    assert in_model(model, cov, rtol=1e-7)
    best, base, rng = _F(cov, nk, W), factors(model, cov), np.random.default_rng(3)
    for _ in range(100):
        theta = rng.normal(size=_n_free(model, 3, 3)) * 10 ** rng.uniform(-4, -1)
        assert _F(_compose(model, 3, 3, theta, base), nk, W) >= best - 1e-7 * nk.sum()

@pytest.mark.parametrize('model', MODELS)
def test_ridge_is_added_after_the_maximisation(problem, model):
    _, _, nk, W = problem
    kw = dict(max_iter=5000, tol=1e-12)
    np.testing.assert_allclose(m_step_covariances(model, nk, W, 0.25, **kw),
                               m_step_covariances(model, nk, W, 0.0, **kw) + 0.25 * np.eye(3), atol=1e-6)

@pytest.mark.parametrize('model', MODELS)
def test_recovers_the_covariances_of_data_drawn_from_the_model(model):
    rng = np.random.default_rng(MODELS.index(model))
    K, d, n = 3, 3, 6000
    truth = random_covariances(model, K, d, random_state=rng)
    assert in_model(model, truth)
    labels = rng.integers(0, K, n)
    X = np.einsum('nij,nj->ni', np.linalg.cholesky(truth)[labels], rng.normal(size=(n, d)))
    nk, W = _statistics(X, np.eye(K)[labels])
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        est = m_step_covariances(model, nk, W, max_iter=2000)
    assert in_model(model, est, rtol=1e-6)
    assert np.abs(est - truth).max() < 0.12 * np.abs(truth).max(), model

def test_factors_round_trip():
    for m in MODELS:
        cov = random_covariances(m, 4, 3, random_state=2)
        lam, A, D = factors(m, cov)
        np.testing.assert_allclose(covariances_from_factors(lam, A, D), cov, atol=1e-10)
        np.testing.assert_allclose(A.prod(1), 1, rtol=1e-10)
        if m[0] == 'E': assert np.ptp(lam) < 1e-10 * lam.max()

@pytest.mark.parametrize('model', ['VEI', 'VEV', 'VEE', 'EVE', 'VVE'])
def test_iterations_are_bounded_and_warn(problem, model):
    _, _, nk, W = problem
    with pytest.warns(RuntimeWarning, match=f'{model} M-step did not converge in 1 iterations'):
        cov = m_step_covariances(model, nk, W, max_iter=1, tol=0.0)
    assert np.isfinite(cov).all() and in_model(model, cov, rtol=1e-7)

@pytest.mark.parametrize('model', ['VEI', 'VEV', 'VEE', 'EVE', 'VVE'])
def test_warm_start_from_the_answer_stays_there(problem, model):
    _, _, nk, W = problem
    done = m_step_covariances(model, nk, W, max_iter=5000, tol=1e-12)
    again = m_step_covariances(model, nk, W, previous=done, max_iter=2, tol=1e-9)
    np.testing.assert_allclose(again, done, atol=1e-6 * np.abs(done).max())

def test_too_few_points_is_an_error_before_work():
    assert [min_points(m, 3, 4) for m in ('EII', 'EEE', 'VVV', 'VEV')] == [4, 7, 15, 9]
    check_enough_points('VVV', 15, 3, 4)
    with pytest.raises(ValueError, match='needs at least 15 points; got 14'):
        check_enough_points('full', 14, 3, 4)

@pytest.mark.parametrize('model', ['EVI', 'EVV', 'EVE', 'VVE'])
def test_singular_scatter_is_refused_where_no_maximum_exists(model):
    X = np.random.default_rng(0).normal(size=(7, 3))
    nk, W = _statistics(X, np.eye(2)[[0, 0, 0, 0, 0, 1, 1]])   # component 1: two points, rank 1
    if model == 'EVI': W[1] = np.diag([1.0, 0.0, 2.0])
    with pytest.raises(ValueError, match="Component 1's scatter is singular"):
        m_step_covariances(model, nk, W)

# (the chapter's deliberate breaks live with the others, in test_checks_can_fail.py)

@pytest.mark.parametrize('model', ['EII', 'VII', 'EEI', 'VVI', 'EEE', 'VVV'])
def test_ridge_after_equals_ridge_in_the_scatter_for_the_linear_models(problem, model):
    _, _, nk, W = problem
    np.testing.assert_allclose(m_step_covariances(model, nk, W, 0.3),
                               m_step_covariances(model, nk, W + 0.3 * nk[:, None, None] * np.eye(3)), atol=1e-12)

# -- the models in the estimator: every model fits through the one M-step, with every method --------------------
def test_every_model_fits_through_the_estimator_with_every_method():
    import warnings
    from gmm_literate import GaussianMixture
    from gmm_literate.models import resolve
    X = load_faithful()
    for model in MODELS:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            g = GaussianMixture(2, covariance_type=model, random_state=0, max_iter=200).fit(X)
        layout = resolve(model)[0]
        assert np.isfinite(g.score(X)) and g.predict(X).shape == (len(X),)
        assert g.predict_proba(X).shape == (len(X), 2) and np.isfinite(g.bic(X)) and np.isfinite(g.aic(X))
        S, labels = g.sample(50, random_state=0)
        assert S.shape == (50, 2)
        assert g.covariances_.shape == {'full': (2, 2, 2), 'tied': (2, 2), 'diag': (2, 2), 'spherical': (2,)}[layout]
        assert in_model(model, full_covariances(g.covariances_, layout, 2, 2) - g.reg_covar * np.eye(2))

def test_old_faithful_eee_matches_mclust():
    # mclust's published result: EEE with 3 components, log-likelihood -1126.326, BIC -2314.316 (2 log L - p log n).
    from gmm_literate import GaussianMixture
    X = load_faithful()
    g = GaussianMixture(3, covariance_type='EEE', n_init=5, tol=1e-8, max_iter=2000, random_state=0).fit(X)
    assert abs(-g.bic(X) - (-2314.316)) < 0.1
    assert abs(g.score(X) * len(X) - (-1126.326)) < 0.05

def test_unknown_model_names_list_the_choices_and_too_few_points_fail_early():
    from gmm_literate import GaussianMixture
    with pytest.raises(ValueError, match='must be one of the 14 models'):
        GaussianMixture(2, covariance_type='VVX').fit(load_faithful())
    with pytest.raises(ValueError, match='needs at least'):
        GaussianMixture(3, covariance_type='VVE').fit(load_faithful()[:8])

# -- Newton's steps on EVE's and VVE's common orientation (issue 14, speed) ------------------------------------
from gmm_literate.models import (_orientation_derivatives, _common_orientation, _diagonal_given_orientation,
                                 _cayley)

@pytest.mark.parametrize('model', ['EVE', 'VVE'])
def test_newton_gradient_and_hessian_match_finite_differences(problem, model):
    _, _, nk, W = problem
    D = np.linalg.qr(np.random.default_rng(5).normal(size=(3, 3)))[0]
    def F(x):
        M = np.zeros((3, 3)); M[np.triu_indices(3, 1)] = x
        return _diagonal_given_orientation(W, nk, D @ _cayley(M), model == 'EVE')[1]
    F0, grad, H = _orientation_derivatives(W, nk, D, model == 'EVE')
    h, E = 1e-4, np.eye(3)
    assert abs(F0 - F(np.zeros(3))) < 1e-10 * nk.sum()
    np.testing.assert_allclose(grad, [(F(h * e) - F(-h * e)) / (2 * h) for e in E], atol=1e-6 * np.abs(grad).max())
    fd = [[(F(h * (e + u)) - F(h * (e - u)) - F(h * (u - e)) + F(-h * (e + u))) / (4 * h * h) for u in E] for e in E]
    np.testing.assert_allclose(H, fd, atol=1e-4 * np.abs(H).max())

@pytest.mark.parametrize('model', ['EVE', 'VVE'])
def test_cold_m_step_is_no_higher_than_the_gradient_steps_minimum(model):
    "The benchmark's statistics, where Newton from the gradient's start alone stops at a higher minimum for EVE."
    mix = make_mixture(10_000, 10, 8, spread=3.0, random_state=0)
    resp = 0.8 * np.eye(8)[mix.labels] + 0.2 * np.random.default_rng(0).dirichlet(np.ones(8), 10_000)
    nk, W = _statistics(mix.X, resp)
    D0 = np.linalg.eigh((W / nk[:, None, None]).sum(0))[1]
    gradient = _common_orientation(W, nk, D0, model == 'EVE', 5000, 1e-10, method='gradient')
    newton = _common_orientation(W, nk, D0, model == 'EVE', 100, 1e-10)
    assert gradient[3] and newton[3] and newton[0].shape == (10, 10)
    with warnings.catch_warnings():
        warnings.simplefilter('error')                  # converges within the default bound
        cov = m_step_covariances(model, nk, W)
    F_gradient = gradient[2] + nk.sum() * 10                # F̃ is F without its constant nd
    assert _F(cov, nk, W) <= F_gradient + 1e-8 * nk.sum()
    assert in_model(model, cov, rtol=1e-7)

@pytest.mark.parametrize('model', ['EVE', 'VVE'])
def test_two_cold_starts_warn_once(problem, model):
    _, _, nk, W = problem
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        m_step_covariances(model, nk, W, max_iter=1, tol=0.0)
    assert len(caught) == 1 and 'did not converge in 1 iterations' in str(caught[0].message)

def test_common_orientation_in_one_dimension():
    X = np.random.default_rng(0).normal(size=(40, 1)) * [[3.0]]
    nk, W = _statistics(X, np.eye(2)[np.arange(40) % 2])
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        np.testing.assert_allclose(m_step_covariances('VVE', nk, W), m_step_covariances('VVV', nk, W), rtol=1e-12)
        np.testing.assert_allclose(m_step_covariances('EVE', nk, W), m_step_covariances('EII', nk, W), rtol=1e-12)
