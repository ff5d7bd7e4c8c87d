"""Time each of mclust's 14 covariance models (gmm_literate.models): the whole fit, and the M-step alone.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py          # all three tables
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py fit      # the fits only
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py mstep    # the M-steps only
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py starts   # EVE/VVE starting orientations

K=8 components, d=10 features, float64. The closest of scikit-learn's four types (VVV full, EEE tied, VVI diag,
VII spherical) is the yardstick of each model.

The fit table is what a user meets: `GaussianMixture(8, covariance_type=model, random_state=0).fit(X)` at the
defaults, on data drawn with `make_mixture` (spread 3: overlapping components; spread 10: well separated). Each
figure is the median of 5 fits (3 at n=200,000) alternating with the closest type's fit: the time per EM iteration,
as fit time / n_iter_ (the k-means start included, so a model that needs fewer iterations pays more of it per
iteration) and as EM's own time / n_iter_ (the time inside `em`, statistics passes and M-steps), each with its ratio
to the closest type; the time in M-steps per M-step (the start's and EM's: n_iter_ + 1 of them); the start (k-means,
then the M-step from its labels, cold for an iterative model) in ms; EM's iterations (the model's / the closest
type's); and the rounds of the model's iterative M-step: at the start, at EM's first iteration, and the median and
largest over the later iterations (warm-started from the last iteration's covariances). `!` counts the M-steps that
hit their bound of rounds (and warned).

The M-step table times m_step_covariances alone on statistics from n=10,000 points under soft responsibilities:
from a cold start, and warm-started from its converged answer to the statistics of responsibilities 2% away (as
inside EM near convergence), and, for scale, one E-step plus statistics pass of the engine over the n points.

The starts table runs EVE's and VVE's Newton iteration from a cold start on 34 sets of statistics (16 mixtures, d=3
to 10, K=3 to 8, hard to half-soft responsibilities, and the M-step table's) from each of several starting orientations: the eigenvectors of
sum_k W_k/N_k and of sum_k N_k S_k^-1 (S_k = W_k/N_k; the two m_step_covariances takes), of sum_k W_k, of
sum_k N_k S_k/|S_k|^(1/d) and of the unweighted sum_k S_k/|S_k|^(1/d), of sum_k N_k log S_k, and of the largest
component's W_k.
It prints the rounds in all, on how many problems the start ends at a higher minimum than the lowest of them all (F/n
more than 1e-7 above it) and by how much at most, and on how many it ends above or below the minimum that gradient
steps reach from sum_k W_k/N_k; and the same for the better of the first two starts, which m_step_covariances takes."""
import sys, time, warnings
import numpy as np
from gmm_literate import GaussianMixture
from gmm_literate import models, mixture, stats
from gmm_literate.datasets import make_mixture
from gmm_literate.models import MODELS, m_step_covariances
from gmm_literate.stats import Params, statistics

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
    "Seconds: the fit, inside em, the start, in M-steps (start's and EM's); the model; M-steps that hit their bound."
    spent = {'m_step': 0.0}
    def timed(key, f, add=False):
        def run(*args, **kw):
            t = time.perf_counter(); out = f(*args, **kw)
            spent[key] = spent.get(key, 0.0) * add + time.perf_counter() - t
            return out
        return run
    em, start, m_step = mixture.em, mixture._initialize, GaussianMixture.__dict__['_m_step']
    mixture.em, mixture._initialize = timed('em', em), timed('start', start)
    GaussianMixture._m_step = staticmethod(timed('m_step', m_step.__func__, add=True))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            t = time.perf_counter()
            g = GaussianMixture(K, covariance_type=name, random_state=0).fit(X)
            t = time.perf_counter() - t
    finally: mixture.em, mixture._initialize, GaussianMixture._m_step = em, start, m_step
    bounded = sum('M-step did not converge' in str(w.message) for w in caught)
    return t, spent['em'], spent['start'], spent['m_step'], g, bounded

def _rounds(X, model, K):
    "Rounds of the model's iterative M-step at each M-step (start, EM 1, 2, ...; all its starts), from traces of F."
    name = ITERATIVE.get(model)
    if name is None: return []
    inner, outer, counts = getattr(models, name), stats.m_step_covariances, []
    def counting(*args, **kw):
        kw['trace'] = trace = []
        out = inner(*args, **kw)
        counts[-1] += len(trace) - 1
        return out
    def m_step(*args, **kw):
        counts.append(0)
        return outer(*args, **kw)
    setattr(models, name, counting); stats.m_step_covariances = m_step
    try: _fit(X, model, K)
    finally: setattr(models, name, inner); stats.m_step_covariances = outer
    return counts

def fit_table(n, spread, K=8, d=10, repeats=3, seed=0):
    X = make_mixture(n, d, K, spread=spread, random_state=seed).X
    print(f'# whole fit: n={n}, d={d}, K={K}, make_mixture spread={spread}, defaults; median of {repeats}, '
          'alternating with the closest type')
    print(f'{"":13} {"ms per EM iteration: fit/it":^27} {"EM/it":^21} {"M-steps/it":^15} {"start ms":^13} '
          f'{"":7}   {"rounds of the M-step":^26}')
    print(f'{"model":>5} {"closest":>7} {"model":>7} {"closest":>7} {"ratio":>5} {"model":>7} {"closest":>7} '
          f'{"ratio":>5} {"model":>7} {"closest":>7} {"model":>6} {"closest":>6} {"EM its":>7}   {"start":>5} '
          f'{"EM 1":>4} {"later":>5} {"max":>4} {"!":>2}')
    for m in MODELS:
        c = CLOSEST[m]
        runs = {m: [], c: []}
        for _ in range(repeats):
            for name in (m, c): runs[name].append(_fit(X, name, K))
        def med(f): return [float(np.median([f(*r) for r in runs[x]])) * 1e3 for x in (m, c)]
        fit_it = med(lambda t, e, s, ms, g, b: t / g.n_iter_)
        em_it = med(lambda t, e, s, ms, g, b: e / g.n_iter_)
        m_it = med(lambda t, e, s, ms, g, b: ms / (g.n_iter_ + 1))
        start = med(lambda t, e, s, ms, g, b: s)
        g, gc, bounded = runs[m][-1][4], runs[c][-1][4], runs[m][-1][5]
        rounds = _rounds(X, m, K)
        later = rounds[2:]
        cols = (f'{rounds[0]:5d} {rounds[1]:4d} {np.median(later):5.0f} {max(later):4d}' if len(later)
                else f'{rounds[0]:5d} {rounds[1]:4d} {"-":>5} {"-":>4}' if rounds
                else f'{"-":>5} {"-":>4} {"-":>5} {"-":>4}')
        its = f'{g.n_iter_}/{gc.n_iter_}'
        print(f'{m:>5} {c:>7} {fit_it[0]:7.2f} {fit_it[1]:7.2f} {fit_it[0] / fit_it[1]:5.2f} {em_it[0]:7.2f} '
              f'{em_it[1]:7.2f} {em_it[0] / em_it[1]:5.2f} {m_it[0]:7.3f} {m_it[1]:7.3f} {start[0]:6.1f} '
              f'{start[1]:6.1f} {its:>7}   {cols} {bounded:2d}')

def _scatter(X, resp):
    nk = resp.sum(0)
    centred = X[None] - (resp.T @ X / nk[:, None])[:, None]
    return nk, resp.T @ X / nk[:, None], (resp.T[:, :, None] * centred).transpose(0, 2, 1) @ centred

def _m_step_statistics(K=8, d=10, n=10_000):
    "Data, N_k, μ_k and W_k under soft responsibilities, and (N_k, μ_k, W_k) of responsibilities 2% away."
    mix = make_mixture(n, d, K, spread=3.0, random_state=0)
    rng = np.random.default_rng(0)
    resp = 0.8 * np.eye(K)[mix.labels] + 0.2 * rng.dirichlet(np.ones(K), n)
    return (mix.X, *_scatter(mix.X, resp), _scatter(mix.X, 0.98 * resp + 0.02 * rng.dirichlet(np.ones(K), n)))

def m_step_table(K=8, d=10, n=10_000, repeats=7):
    X, nk, means, W, nearby = _m_step_statistics(K, d, n)
    params = Params.from_covariances(nk / nk.sum(), means, W / nk[:, None, None], 'full')
    t_pass = median_time(lambda: statistics(X, params), repeats)
    print(f'# M-step alone: K={K}, d={d}, float64, median of {repeats}; one E-step + statistics pass of the engine '
          f'over n={n}: {t_pass * 1e3:.2f} ms')
    print(f'{"model":>5} {"cold ms":>9} {"warm ms":>9} {"closest":>8} {"its ms":>8} {"cold/closest":>13} '
          f'{"(warm + pass)/(closest + pass)":>31}')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        base = {m: median_time(lambda: m_step_covariances(m, nk, W, 1e-6), repeats) for m in set(CLOSEST.values())}
        for m in MODELS:
            cold = median_time(lambda: m_step_covariances(m, nk, W, 1e-6), repeats)
            prev = m_step_covariances(m, nearby[0], nearby[2], 1e-6, max_iter=20_000)   # converged, nearby
            warm = median_time(lambda: m_step_covariances(m, nk, W, 1e-6, previous=prev), repeats)
            b = base[CLOSEST[m]]
            print(f'{m:>5} {cold * 1e3:9.3f} {warm * 1e3:9.3f} {CLOSEST[m]:>8} {b * 1e3:8.3f} {cold / b:13.1f} '
                  f'{(warm + t_pass) / (b + t_pass):31.2f}')

STARTS = {                                  # the first two are m_step_covariances' starts
    'sum W_k/N_k': lambda W, nk, S: S.sum(0),
    'sum N_k S_k^-1': lambda W, nk, S: (nk[:, None, None] * np.linalg.inv(S)).sum(0),
    'sum W_k': lambda W, nk, S: W.sum(0),
    'sum N_k unit(S_k)': lambda W, nk, S: (nk[:, None, None] * models._unit_det(S)).sum(0),
    'sum unit(S_k)': lambda W, nk, S: models._unit_det(S).sum(0),
    'sum N_k log S_k': lambda W, nk, S: np.einsum('k,kij,kj,klj->il', nk, *_log_parts(S)),
    'largest W_k': lambda W, nk, S: W[np.argmax(nk)],
}

def _log_parts(S):
    ev, V = np.linalg.eigh(S)
    return V, np.log(ev), V

def starts_table():
    problems = []
    for seed in range(16):
        d, K = [3, 5, 10, 10][seed % 4], [3, 8, 8, 4][(seed // 4) % 4]
        n = 2000 if d < 10 else 10_000
        mix = make_mixture(n, d, K, spread=[2.0, 3.0, 6.0][seed % 3], random_state=100 + seed)
        soft = [0.0, 0.2, 0.5][seed % 3]
        resp = (1 - soft) * np.eye(K)[mix.labels] + soft * np.random.default_rng(seed).dirichlet(np.ones(K), n)
        nk, _, W = _scatter(mix.X, resp)
        problems += [(nk, W, True), (nk, W, False)]
    _, nk, _, W, _ = _m_step_statistics()                    # the M-step table's
    problems += [(nk, W, True), (nk, W, False)]
    def run(pooled, method='newton', max_iter=100, tol=1e-8):
        out = []
        for nk, W, equal in problems:
            trace = []
            D0 = np.linalg.eigh(pooled(W, nk, W / nk[:, None, None]))[1]
            models._common_orientation(W, nk, D0, equal, max_iter, tol, trace, method)
            out.append((len(trace) - 1, trace[-1] / nk.sum()))
        return out
    found = {name: run(pooled) for name, pooled in STARTS.items()}
    first, second = (found[name] for name in list(STARTS)[:2])
    found['better of the first two'] = [(a[0] + b[0], min(a[1], b[1])) for a, b in zip(first, second)]
    best = np.min([[F for _, F in v] for v in found.values()], axis=0)
    gradient = np.array([F for _, F in run(STARTS['sum W_k/N_k'], 'gradient', 20_000, 1e-12)])
    print(f'# EVE and VVE from a cold start, Newton steps, on {len(problems)} problems; F per point above the '
          'lowest minimum found, and above the gradient steps\' minimum from sum W_k/N_k')
    print(f'{"start: eigenvectors of":>24} {"rounds":>7} {"above lowest":>13} {"by at most":>11} '
          f'{"above gradient":>15} {"below it":>9}')
    for name, v in found.items():
        rounds, F = sum(r for r, _ in v), np.array([F for _, F in v])
        print(f'{name:>24} {rounds:7d} {int((F > best + 1e-7).sum()):13d} {(F - best).max():11.1e} '
              f'{int((F > gradient + 1e-7).sum()):15d} {int((F < gradient - 1e-7).sum()):9d}')

def main(which=('fit', 'mstep')):
    if 'fit' in which:
        for n, spread, repeats in ((20_000, 3.0, 5), (200_000, 3.0, 3), (20_000, 10.0, 5)):
            fit_table(n, spread, repeats=repeats); print()
    if 'mstep' in which: m_step_table(); print()
    if 'starts' in which: starts_table()

if __name__ == '__main__':
    main(sys.argv[1:] or ('fit', 'mstep', 'starts'))
