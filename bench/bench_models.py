"""Time each of mclust's 14 covariance models (gmm_literate.models): the whole fit, and the M-step alone.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py          # both tables
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py fit      # the fits only
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py mstep    # the M-steps only

K=8 components, d=10 features, float64. The closest of scikit-learn's four types (VVV full, EEE tied, VVI diag,
VII spherical) is the yardstick of each model.

The fit table is what a user meets: `GaussianMixture(8, covariance_type=model, random_state=0).fit(X)` at the
defaults, on data drawn with `make_mixture` (spread 3: overlapping components; spread 10: well separated). It prints
the time per EM iteration (fit time / n_iter_, k-means start included, median of 3 fits alternating with the
closest type's fit), its ratio to the closest type's, EM's iterations, and the rounds of the model's iterative
M-step: from the start's hard labels (init, a cold start), at EM's first iteration, and the median and largest
over the later iterations (warm-started from the last iteration's covariances). `!` counts the M-steps that hit
their bound of rounds (and warned).

The M-step table times m_step_covariances alone on statistics from n=10,000 points under soft responsibilities:
from a cold start, and warm-started from its converged answer to statistics 1-2% away (as inside EM near
convergence), and, for scale, one E-step plus scatter pass over the n points."""
import sys, time, warnings
import numpy as np
from gmm_literate import GaussianMixture
from gmm_literate import models
from gmm_literate.datasets import make_mixture
from gmm_literate.models import MODELS, m_step_covariances
from gmm_literate.gaussian import precisions_cholesky_from_covariances
from gmm_literate.estep import e_step

CLOSEST = {'EII': 'VII', 'VII': 'VII', 'EEI': 'VVI', 'VEI': 'VVI', 'EVI': 'VVI', 'VVI': 'VVI', 'EEE': 'EEE',
           'VEE': 'EEE', 'EVE': 'EEE', 'VVE': 'VVV', 'EEV': 'VVV', 'VEV': 'VVV', 'EVV': 'VVV', 'VVV': 'VVV'}
ITERATIVE = {'VEI': '_volumes_and_shape', 'VEV': '_volumes_and_shape', 'VEE': '_volumes_and_matrix',
             'EVE': '_common_orientation', 'VVE': '_common_orientation'}

def median_time(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return float(np.median(times))

def _fit(X, name, K):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        t = time.perf_counter()
        g = GaussianMixture(K, covariance_type=name, random_state=0).fit(X)
        t = time.perf_counter() - t
    bounded = sum('M-step did not converge' in str(w.message) for w in caught)
    return t / max(g.n_iter_, 1), g, bounded

def _rounds(X, model, K):
    "Rounds of the model's iterative M-step at each call (start, EM 1, 2, ...), from its trace of F."
    name = ITERATIVE.get(model)
    if name is None: return []
    inner, counts = getattr(models, name), []
    def counting(*args, **kw):
        kw['trace'] = trace = []
        out = inner(*args, **kw)
        counts.append(len(trace) - 1)
        return out
    setattr(models, name, counting)
    try: _fit(X, model, K)
    finally: setattr(models, name, inner)
    return counts

def fit_table(n, spread, K=8, d=10, repeats=3, seed=0):
    X = make_mixture(n, d, K, spread=spread, random_state=seed).X
    print(f'# whole fit: n={n}, d={d}, K={K}, make_mixture spread={spread}, defaults; median of {repeats}, '
          'alternating with the closest type')
    print(f'{"model":>5} {"ms/iter":>8} {"closest":>7} {"ms/iter":>8} {"ratio":>6} {"EM its":>7} '
          f'{"rounds: init":>13} {"EM 1":>5} {"later med":>10} {"max":>5} {"!":>3}')
    for m in MODELS:
        ours, theirs = [], []
        for _ in range(repeats):
            t, g, bounded = _fit(X, m, K); ours.append(t)
            theirs.append(_fit(X, CLOSEST[m], K)[0])
        t, b = float(np.median(ours)), float(np.median(theirs))
        rounds = _rounds(X, m, K)
        later = rounds[2:]
        cols = (f'{rounds[0]:13d} {rounds[1]:5d} {np.median(later):10.0f} {max(later):5d}' if len(later)
                else f'{rounds[0]:13d} {rounds[1]:5d} {"-":>10} {"-":>5}' if rounds
                else f'{"-":>13} {"-":>5} {"-":>10} {"-":>5}')
        print(f'{m:>5} {t * 1e3:8.2f} {CLOSEST[m]:>7} {b * 1e3:8.2f} {t / b:6.2f} {g.n_iter_:7d} {cols} '
              f'{bounded:3d}')

def m_step_table(K=8, d=10, n=10_000, repeats=7):
    mix = make_mixture(n, d, K, spread=3.0, random_state=0)
    resp = 0.8 * np.eye(K)[mix.labels] + 0.2 * np.random.default_rng(0).dirichlet(np.ones(K), n)
    nk = resp.sum(0)
    means = resp.T @ mix.X / nk[:, None]
    centred = mix.X[None] - means[:, None]
    W = (resp.T[:, :, None] * centred).transpose(0, 2, 1) @ centred

    def pass_over_data():
        U = precisions_cholesky_from_covariances(W / nk[:, None, None])
        _, log_resp = e_step(mix.X, nk / nk.sum(), means, U)
        r = np.exp(log_resp)
        c = mix.X[None] - (r.T @ mix.X / r.sum(0)[:, None])[:, None]
        return (r.T[:, :, None] * c).transpose(0, 2, 1) @ c
    t_pass = median_time(pass_over_data, repeats)
    print(f'# M-step alone: K={K}, d={d}, float64, median of {repeats}; one E-step + scatter over n={n}: '
          f'{t_pass * 1e3:.2f} ms')
    print(f'{"model":>5} {"cold ms":>9} {"warm ms":>9} {"closest":>8} {"its ms":>8} {"cold/closest":>13} '
          f'{"(warm + pass)/(closest + pass)":>31}')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        base = {m: median_time(lambda: m_step_covariances(m, nk, W, 1e-6), repeats) for m in set(CLOSEST.values())}
        for m in MODELS:
            cold = median_time(lambda: m_step_covariances(m, nk, W, 1e-6), repeats)
            prev = m_step_covariances(m, nk * 1.01, W * 1.02, max_iter=20_000)   # a converged answer, nearby
            warm = median_time(lambda: m_step_covariances(m, nk, W, 1e-6, previous=prev), repeats)
            b = base[CLOSEST[m]]
            print(f'{m:>5} {cold * 1e3:9.3f} {warm * 1e3:9.3f} {CLOSEST[m]:>8} {b * 1e3:8.3f} {cold / b:13.1f} '
                  f'{(warm + t_pass) / (b + t_pass):31.2f}')

def main(which=('fit', 'mstep')):
    if 'fit' in which:
        for n, spread in ((20_000, 3.0), (200_000, 3.0), (20_000, 10.0)):
            fit_table(n, spread); print()
    if 'mstep' in which: m_step_table()

if __name__ == '__main__':
    main(sys.argv[1:] or ('fit', 'mstep'))
