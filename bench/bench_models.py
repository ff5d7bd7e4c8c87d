"""Time the covariance part of the M-step of each of mclust's 14 models (gmm_literate.models).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_models.py

K=8 components, d=10 features, float64. For each model: the median time of m_step_covariances from a cold
start and warm-started from its converged answer to statistics 1-2% away (as inside EM near convergence), next to the closest of scikit-learn's four
types (VVV full, EEE tied, VVI diag, VII spherical), and, for scale, one E-step plus scatter pass over n points."""
import time, warnings
import numpy as np
from gmm_literate.datasets import make_mixture
from gmm_literate.models import MODELS, m_step_covariances
from gmm_literate.gaussian import precisions_cholesky_from_covariances
from gmm_literate.estep import e_step

CLOSEST = {'EII': 'VII', 'VII': 'VII', 'EEI': 'VVI', 'VEI': 'VVI', 'EVI': 'VVI', 'VVI': 'VVI', 'EEE': 'EEE',
           'VEE': 'EEE', 'EVE': 'EEE', 'VVE': 'VVV', 'EEV': 'VVV', 'VEV': 'VVV', 'EVV': 'VVV', 'VVV': 'VVV'}

def median_time(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return float(np.median(times))

def main(K=8, d=10, n=10_000, repeats=7):
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
    print(f'# K={K}, d={d}, float64, median of {repeats}; one E-step + scatter over n={n}: {t_pass * 1e3:.2f} ms')
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

if __name__ == '__main__':
    main()
