"""Model-based clustering (chapter 18): ICL, mclust's table on Old Faithful, recovery of the true model, MAP EM
with the conjugate prior, and online EM."""
import warnings
import numpy as np
import pytest
from threadpoolctl import threadpool_limits
from gmm_literate import GaussianMixture
from gmm_literate.datasets import load_faithful, make_mixture

from gmm_literate.stats import responsibility_statistics
from gmm_literate.models import MODELS, resolve, in_model
from gmm_literate.gaussian import full_covariances
from gmm_literate.clustering import (entropy, icl, mclust_bic, mclust_table, draw_from_model, default_prior,
                                     map_finish, MAP_MODELS, TABLE2_MODELS, MclustMixture, scale_statistics,
                                     Prior)

EIGHT = [m for m in MODELS if m not in TABLE2_MODELS]   # MAP step: chapter 6's ML step on pseudo-data


def test_entropy_and_icl_identities():
    X = load_faithful()
    with threadpool_limits(1):
        g = GaussianMixture(2, covariance_type='EEE', random_state=0).fit(X)
    t = g.predict_proba(X)
    assert entropy(np.eye(3)[[0, 1, 2, 1]]) == 0.0
    assert abs(entropy(np.full((4, 2), 0.5)) - 4 * np.log(2)) < 1e-12
    assert abs(icl(g, X) - (mclust_bic(g, X) - 2 * entropy(t))) < 1e-9
    assert icl(g, X, 'map') >= icl(g, X)
    with pytest.raises(ValueError, match="'soft' or 'map'"): icl(g, X, 'hard')


def test_old_faithful_full_grid_matches_mclust():
    # mclust: EEE, K=3, log L -1126.326, BIC -2314.316 (2 log L - p log n); full grid K = 1..9, 14 models.
    r = mclust_table(load_faithful())
    assert len(r.table) == 126
    best = r.best_row
    assert (best['model'], best['K']) == ('EEE', 3)
    assert abs(best['bic'] - (-2314.316)) < 0.1
    assert abs(best['log_likelihood'] - (-1126.326)) < 0.05
    assert r.best.covariance_type == 'EEE' and r.best.n_components == 3
    models, ks, v = r.grid()
    assert v.shape == (14, 9) and np.nanmax(v) == best['bic']


def test_table_rejects_bad_arguments_and_records_failures():
    X = load_faithful()[:12]
    with pytest.raises(ValueError, match="'bic' or 'icl'"): mclust_table(X, criterion='aic')
    with pytest.raises(ValueError, match='Unknown covariance model'): mclust_table(X, models=['VVX'])
    r = mclust_table(X, n_components=[1, 5], models=['VVV'])
    failed = [row for row in r.table if row['error'] is not None]
    assert failed and np.isnan(failed[0]['bic']) and r.best_row['K'] == 1


@pytest.mark.parametrize('model', ['EII', 'VEI', 'EVI', 'EEE', 'EVE', 'VVE', 'EEV', 'EVV', 'VVV'])
def test_selection_recovers_the_true_model(model):
    # the benchmark runs all 14 models and 10 seeds (bench/bench_clustering.py --recovery)
    X, _, cov = draw_from_model(model, random_state=100)
    best = mclust_table(X, n_components=[2, 3, 4]).best_row
    assert (best['model'], best['K']) == (model, 3)


def test_draw_from_model_is_seeded_and_separated():
    a, la, ca = draw_from_model('VVV', random_state=5)
    b, lb, cb = draw_from_model('VVV', random_state=5)
    assert np.array_equal(a, b) and np.array_equal(ca, cb)
    means = np.array([a[la == k].mean(0) for k in range(3)])
    assert min(np.linalg.norm(means[i] - means[j]) for i in range(3) for j in range(i)) > 2


def test_default_prior_is_mclusts():
    X = load_faithful()
    p = default_prior(X, 3)
    assert p.shrinkage == 0.01 and p.dof == 4
    assert np.allclose(p.mean, X.mean(0))
    assert np.allclose(p.scale, np.cov(X.T) / 3 ** (2 / 2))


def test_map_step_is_ml_when_the_prior_vanishes():
    # VVV: κ = 0, Λ = 0 and ν = -(d + 2) make every term of the prior vanish; the MAP step is then the ML step.
    from gmm_literate.stats import finish
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)) * [1, 2, 3]
    stats = responsibility_statistics(X, rng.dirichlet(np.ones(2), 200), 'full')
    ml = finish(stats, 'full', 0.0)
    mp = map_finish(stats, 'full', 0.0, prior=Prior(np.zeros(3), 0.0, -5.0, np.zeros((3, 3))))
    assert np.allclose(mp.means, ml.means) and np.allclose(mp.covariances, ml.covariances)


@pytest.mark.parametrize('model', MAP_MODELS)
def test_map_covariances_keep_a_floor_on_collapsed_data(model):
    # every point of component 0 is the same: ML's covariance would be 0, MAP's is at least Λ_P over a count
    X = np.vstack([np.tile([1.0, 2.0], (10, 1)), np.random.default_rng(1).normal(size=(40, 2))])
    t = np.vstack([np.tile([1.0, 0.0], (10, 1)), np.tile([0.0, 1.0], (40, 1))])
    layout = resolve(model)[0]
    prior = default_prior(X, 2)
    th = map_finish(responsibility_statistics(X, t, layout), layout, 0.0, model, prior=prior)
    cov = full_covariances(th.covariances, layout, 2, 2)
    assert in_model(model, cov, rtol=1e-6)
    assert np.linalg.eigvalsh(cov).min() > 1e-3 * np.trace(prior.scale) / 2


def test_every_model_takes_the_prior_and_unknown_names_are_refused():
    assert set(MAP_MODELS) == set(MODELS)
    with pytest.raises(ValueError, match='Unknown covariance model.*EII, VII'):
        MclustMixture(2, covariance_type='VVX', prior='default').fit(load_faithful())
    with pytest.raises(ValueError, match="None, 'default' or a Prior"):
        MclustMixture(2, prior='mclust').fit(load_faithful())


def test_every_model_fits_with_the_prior_where_ml_fails():
    # Old Faithful plus five copies of one reading: without a prior or ridge most models fail at K = 3
    X = np.vstack([load_faithful(), np.tile([0.5, 130.0], (5, 1))])
    with_prior = mclust_table(X, n_components=[3], prior='default')
    assert len(with_prior.fitted()) == 14 and all(np.isfinite(r['bic']) for r in with_prior.table)
    assert len(mclust_table(X, n_components=[3]).fitted()) < 14
    for model in EIGHT:
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter('ignore')
            g = MclustMixture(3, covariance_type=model, prior='default', reg_covar=0.0, random_state=0).fit(X)
        cov = full_covariances(g.covariances_, resolve(model)[0], 3, 2)
        assert in_model(model, cov, rtol=1e-6) and np.linalg.eigvalsh(cov).min() > 1e-3


def _log_posterior(X, t, means, covs, prior):
    "Σ t log N + Σ_k log NIW(μ_k, Σ_k), from scipy's densities."
    from scipy.stats import multivariate_normal, invwishart
    K = len(means)
    val = sum((t[:, k] * multivariate_normal(means[k], covs[k]).logpdf(X)).sum() for k in range(K))
    return val + sum(multivariate_normal(prior.mean, covs[k] / prior.shrinkage).logpdf(means[k])
                     + invwishart(prior.dof, prior.scale).logpdf(covs[k]) for k in range(K))


@pytest.mark.parametrize('model', EIGHT)
def test_map_step_is_not_beaten_by_perturbations_within_the_model(model):
    from gmm_literate.models import _compose, _n_free, factors
    rng = np.random.default_rng(7)
    X = load_faithful()[rng.choice(272, 50, replace=False)]
    t = rng.dirichlet(np.ones(3), size=50)
    prior, layout = default_prior(X, 3), resolve(model)[0]
    th = map_finish(responsibility_statistics(X, t, layout), layout, 0.0, model, prior=prior)
    cov = full_covariances(th.covariances, layout, 3, 2)
    best, base = _log_posterior(X, t, th.means, cov, prior), factors(model, cov)
    for _ in range(8):
        theta = rng.normal(size=_n_free(model, 3, 2))
        z = rng.normal(size=th.means.shape) * np.sqrt(np.diag(prior.scale))
        for h in (1e-3, -1e-3):
            new = _log_posterior(X, t, th.means + h * z, _compose(model, 3, 2, h * theta, base), prior)
            assert new < best


@pytest.mark.parametrize('model', ['VVV'] + EIGHT)
def test_map_em_never_lowers_the_log_posterior(model):
    # log L + log p(θ) at each iterate; log L from the estimator, log p from scipy's densities
    from scipy.stats import multivariate_normal, invwishart
    X = load_faithful()
    layout = resolve(model)[0]
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        g = MclustMixture(3, covariance_type=model, prior='default', reg_covar=0.0, max_iter=1,
                          random_state=2).fit(X)
        P, posts = g.prior_, []
        for _ in range(12):
            cov = full_covariances(g.covariances_, layout, 3, 2)
            posts.append(g.score_samples(X).sum() + sum(
                multivariate_normal(P.mean, cov[k] / P.shrinkage).logpdf(g.means_[k])
                + invwishart(P.dof, P.scale).logpdf(cov[k]) for k in range(3)))
            g.set_params(warm_start=True).fit(X)
    assert np.diff(posts).min() > -1e-8


@pytest.mark.parametrize('model', EIGHT)
def test_map_step_of_the_eight_is_ml_when_the_prior_vanishes(model):
    # κ = 0, Λ = 0 and ν = -(d + 2): N'_k = N_k and S_k = W_k, so the pseudo-data route is chapter 6's ML step
    from gmm_literate.stats import finish
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3)) * [1, 2, 3]
    layout = resolve(model)[0]
    stats = responsibility_statistics(X, rng.dirichlet(np.ones(2), 300), layout)
    ml = finish(stats, layout, 0.0, model)
    mp = map_finish(stats, layout, 0.0, model, prior=Prior(np.zeros(3), 0.0, -5.0, np.zeros((3, 3))))
    assert np.allclose(mp.means, ml.means) and np.allclose(mp.covariances, ml.covariances, rtol=1e-6)


def test_map_warm_start_reaches_the_cold_answer():
    rng = np.random.default_rng(4)
    X = load_faithful()
    t = rng.dirichlet(np.ones(3), size=len(X))
    prior = default_prior(X, 3)
    for model in ('VEI', 'VEE', 'EVE', 'VVE', 'VEV'):
        layout = resolve(model)[0]
        stats = responsibility_statistics(X, t, layout)
        cold = map_finish(stats, layout, 0.0, model, prior=prior).covariances
        warm = map_finish(stats, layout, 0.0, model, cold * 1.1, prior=prior).covariances
        assert np.allclose(warm, cold, rtol=1e-4), model


def test_map_removes_the_ridge_dependence_of_a_collapsed_component():
    X = np.vstack([load_faithful(), np.tile([0.5, 130.0], (5, 1))])
    def bic(prior, ridge):
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter('ignore')
            g = MclustMixture(3, prior=prior, reg_covar=ridge, max_iter=500, tol=1e-8, random_state=0).fit(X)
        return mclust_bic(g, X)
    assert bic(None, 1e-9) - bic(None, 1e-6) > 60
    assert abs(bic('default', 1e-9) - bic('default', 1e-6)) < 0.01


def test_subclass_keeps_the_parents_signature_and_params():
    import inspect
    assert 'prior' not in inspect.signature(GaussianMixture.__init__).parameters
    m = MclustMixture(3, prior='default', step_size=0.1)
    assert m.get_params()['prior'] == 'default' and m.get_params()['step_size'] == 0.1
    assert 'prior' in repr(m)


def test_scale_statistics():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 2))
    t = rng.dirichlet(np.ones(2), 30)
    s = responsibility_statistics(X, t, 'full')
    d = scale_statistics(s, 2.0)
    ss = s + s
    assert np.allclose(d.nk, ss.nk) and np.allclose(d.means, ss.means) and np.allclose(d.covariances, ss.covariances)
    with pytest.raises(ValueError, match='non-negative'): scale_statistics(s, -0.5)


def test_partial_fit_reaches_the_batch_fit_and_fit_resets_it():
    X = make_mixture(20000, n_features=2, n_components=3, spread=4.0, random_state=2).X
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        batch = GaussianMixture(3, tol=1e-6, max_iter=500, random_state=0).fit(X)
        online = MclustMixture(3, random_state=0)
        for i in range(0, len(X), 500): online.partial_fit(X[i:i + 500])
    assert abs(batch.score(X) - online.score(X)) < 3e-3
    assert online._steps == 40
    online.fit(X[:500])
    assert not hasattr(online, '_running')
    with pytest.raises(ValueError, match='features'):
        online.partial_fit(X[:10]); online.partial_fit(np.ones((5, 4)))


def test_icl_criterion_picks_the_least_overlapping_fit():
    r = mclust_table(load_faithful(), n_components=range(1, 5), models=['EEE', 'VVV', 'VVE'], criterion='icl')
    best = r.best_row
    assert best['icl'] == max(row['icl'] for row in r.fitted())
    assert (best['model'], best['K']) != ('EEE', 3)          # the straddling third component costs entropy
    assert r.best.n_components == best['K']


def test_partial_fit_takes_sample_weights_like_repeated_rows():
    X = make_mixture(600, n_features=2, n_components=2, spread=5.0, random_state=3).X
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        a = MclustMixture(2, random_state=0).partial_fit(X[:300])
        b = MclustMixture(2, random_state=0).partial_fit(X[:300])
        a.partial_fit(X[300:], sample_weight=np.full(300, 2.0))
        b.partial_fit(np.vstack([X[300:], X[300:]]))
    assert np.allclose(a.means_, b.means_) and np.allclose(a.covariances_, b.covariances_)
    with pytest.raises(ValueError, match='step'):
        MclustMixture(2, step_size=1.5, random_state=0).partial_fit(X[:300]).partial_fit(X[300:])


def test_partial_fit_with_the_prior_keeps_an_iterative_model():
    # online EM's M-step is map_finish too: the running statistics go through the pseudo-data route, warm-started
    X = make_mixture(3000, n_features=2, n_components=3, spread=4.0, random_state=5).X
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        online = MclustMixture(3, covariance_type='VVE', prior='default', reg_covar=0.0, random_state=0)
        for i in range(0, len(X), 300): online.partial_fit(X[i:i + 300])
        batch = MclustMixture(3, covariance_type='VVE', prior='default', reg_covar=0.0, tol=1e-6,
                              max_iter=500, random_state=0).fit(X)
    assert in_model('VVE', online.covariances_, rtol=1e-6)
    assert abs(online.score(X) - batch.score(X)) < 0.01   # 0.004 measured; 2.06 when the prior outweighed the data

@pytest.mark.parametrize('model', ['EVV', 'VEV', 'EVI', 'VEE'])
def test_a_prior_fits_data_too_small_for_maximum_likelihood(model):
    from gmm_literate.models import min_points
    K, d = 2, 4
    n = min_points(model, K, d) - 1
    X = np.random.default_rng(21).normal(size=(n, d))
    with pytest.raises(ValueError, match='needs at least'):
        MclustMixture(K, covariance_type=model).fit(X)
    g = MclustMixture(K, covariance_type=model, prior='default', random_state=0).fit(X)
    assert np.isfinite(g.lower_bound_)
    assert np.linalg.eigvalsh(full_covariances(g.covariances_, resolve(model)[0], K, d)).min() > 0
