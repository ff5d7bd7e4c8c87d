"""Properties that hold for every input, checked by hypothesis on generated problems.

- The row order of the data does not change the fit from a fixed start.
- An invertible affine map of the data maps the fit accordingly: means by x -> A x + b, covariances by
  Σ -> A Σ Aᵀ. A family of covariances is closed only under some maps (a diagonal covariance stays diagonal
  under a diagonal A; a spherical one under a scaled rotation), and the ridge is not affine-invariant, so
  these runs use reg_covar=0.
- The log-likelihood never decreases during a run (without the ridge, which makes the M-step inexact; a run
  that collapses is checked up to the collapse)."""
import warnings
import numpy as np
from hypothesis import given, settings, strategies as st, HealthCheck
from gmm_literate import GaussianMixture, make_mixture
from gmm_literate.em import em
from gmm_literate.gaussian import precisions_cholesky_from_covariances

TYPES = ('full', 'tied', 'diag', 'spherical')
problems = st.tuples(st.integers(0, 10_000), st.integers(1, 4), st.integers(1, 4), st.sampled_from(TYPES))
quick = settings(max_examples=25, deadline=None, derandomize=True,   # the same examples on every run, so CI is repeatable
                 suppress_health_check=[HealthCheck.too_slow])

def fit(X, K, ct, start, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return GaussianMixture(K, covariance_type=ct, tol=1e-10, max_iter=30, **start, **kw).fit(X)

def start_for(X, K, ct, rng):
    "A fixed start: random data points as means, the data's covariance reduced to the type."
    C = np.atleast_2d(np.cov(X.T)) + 1e-3 * np.eye(X.shape[1])
    P = np.linalg.inv(C)
    prec = {'full': np.repeat(P[None], K, 0), 'tied': P, 'diag': np.repeat(1 / np.diag(C)[None], K, 0),
            'spherical': np.full(K, X.shape[1] / np.trace(C))}[ct]
    return dict(weights_init=np.full(K, 1 / K), means_init=X[rng.choice(len(X), K, replace=False)], precisions_init=prec)

@quick
@given(problems)
def test_row_order_does_not_matter(problem):
    seed, d, K, ct = problem
    rng = np.random.default_rng(seed)
    X = make_mixture(120, d, K, random_state=rng).X
    start = start_for(X, K, ct, rng)
    a, b = fit(X, K, ct, start), fit(X[rng.permutation(len(X))], K, ct, start)
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-8, atol=1e-10)

def random_map(rng, d, ct):
    "An invertible map A of the family that `ct` is closed under."
    if ct in ('full', 'tied'): return rng.normal(size=(d, d)) + 2 * np.eye(d)
    if ct == 'diag': return np.diag(rng.uniform(0.3, 3, d) * rng.choice([-1, 1], d))
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return rng.uniform(0.3, 3) * Q

def map_precisions(prec, A, ct):
    "Precisions of the mapped model: Λ -> A⁻ᵀ Λ A⁻¹ (for a diagonal or scaled-orthogonal A, in the compact layouts)."
    Ai = np.linalg.inv(A)
    if ct in ('full', 'tied'): return Ai.T @ prec @ Ai
    if ct == 'diag': return prec / np.diag(A) ** 2
    return prec / (A[:, 0] @ A[:, 0])

@quick
@given(problems)
def test_affine_maps_carry_the_fit_along(problem):
    seed, d, K, ct = problem
    rng = np.random.default_rng(seed)
    X = make_mixture(150, d, K, spread=5.0, random_state=rng).X
    start = start_for(X, K, ct, rng)
    A, b = random_map(rng, d, ct), rng.normal(size=d) * 10
    mapped_start = dict(weights_init=start['weights_init'], means_init=start['means_init'] @ A.T + b,
                        precisions_init=map_precisions(start['precisions_init'], A, ct))
    try:
        base = fit(X, K, ct, start, reg_covar=0)
    except ValueError as e:                      # a component collapsed without the ridge: nothing to compare
        assert 'not positive definite' in str(e) or 'no responsibility' in str(e); return
    moved = fit(X @ A.T + b, K, ct, mapped_start, reg_covar=0)
    np.testing.assert_allclose(moved.means_, base.means_ @ A.T + b, rtol=1e-6, atol=1e-6 * (1 + np.abs(b).max()))
    np.testing.assert_allclose(moved.weights_, base.weights_, rtol=1e-6, atol=1e-9)
    if ct == 'full':
        np.testing.assert_allclose(moved.covariances_, A @ base.covariances_ @ A.T, rtol=1e-6,
                                   atol=1e-8 * np.abs(moved.covariances_).max())
    np.testing.assert_allclose(moved.lower_bound_, base.lower_bound_ - np.log(abs(np.linalg.det(A))), rtol=1e-7, atol=1e-7)

@quick
@given(problems)
def test_log_likelihood_never_decreases(problem):
    seed, d, K, ct = problem
    rng = np.random.default_rng(seed)
    X = make_mixture(200, d, K, random_state=rng).X
    s = start_for(X, K, ct, rng)
    prec = np.asarray(s['precisions_init'])
    cov = np.linalg.inv(prec) if ct in ('full', 'tied') else 1 / prec
    history = []
    try:
        em(X, s['weights_init'], s['means_init'], cov, precisions_cholesky_from_covariances(cov, ct), tol=1e-12,
           max_iter=200, reg_covar=0.0, covariance_type=ct,
           callback=lambda it, r: history.__setitem__(slice(None), r.lower_bounds))
    except ValueError as e:
        assert 'not positive definite' in str(e) or 'no responsibility' in str(e)
    if len(history) > 1:
        assert np.diff(history).min() >= -1e-12 * max(1.0, abs(history[-1]))
