"""Model-based clustering, measured (chapter 18).

    python bench/bench_clustering.py --faithful   # mclust's full table on Old Faithful: K = 1..9, 14 models
    python bench/bench_clustering.py --recovery   # rate at which the best BIC names the true model and K = 3
    python bench/bench_clustering.py              # both
    python bench/bench_clustering.py --prior      # the same with mclust's default prior (MAP EM, all 14 models)

--recovery draws, for each of the 14 models and each of --seeds seeds (10 by default), 3 well-separated
components of 200 points in 2 dimensions (`draw_from_model`), sweeps K = 1..5 over the 14 models, and prints the
rate per model; the target is at least 9 of 10 for every model. --models restricts the models (comma-separated).
"""
import argparse, time
from gmm_literate.datasets import load_faithful
from gmm_literate.models import MODELS
from gmm_literate.clustering import mclust_table, draw_from_model


def faithful(prior=None):
    t0 = time.perf_counter()
    r = mclust_table(load_faithful(), prior=prior)
    print(r)
    best = r.best_row
    ref = "at the MAP; mclust's, by ML," if prior else "mclust's:"
    print(f"best: {best['model']}, K={best['K']}, log L {best['log_likelihood']:.3f}, BIC {best['bic']:.3f} "
          f"({ref} -1126.326, -2314.316); {len(r.table)} fits in {time.perf_counter() - t0:.1f}s")


def recovery(models, seeds, prior=None):
    print(f"{'model':>5} {'rate':>6}  misses (model, K)                seconds")
    rates = {}
    for m in models:
        t0, misses = time.perf_counter(), []
        for s in range(seeds):
            X, _, _ = draw_from_model(m, random_state=s)
            best = mclust_table(X, n_components=range(1, 6), prior=prior).best_row
            if (best['model'], best['K']) != (m, 3): misses.append((best['model'], best['K']))
        rates[m] = 1 - len(misses) / seeds
        miss = ' '.join(f'{a},{k}' for a, k in misses) or '-'
        print(f"{m:>5} {seeds - len(misses):>3}/{seeds}  {miss:<32} {time.perf_counter() - t0:7.1f}", flush=True)
    low = [m for m, r in rates.items() if r < 0.9]
    print('every model at least 9 of 10' if not low else f"below 9 of 10: {', '.join(low)}")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--faithful', action='store_true')
    p.add_argument('--recovery', action='store_true')
    p.add_argument('--seeds', type=int, default=10)
    p.add_argument('--models', default=','.join(MODELS))
    p.add_argument('--prior', action='store_true', help="fit by MAP EM with mclust's default prior")
    a = p.parse_args()
    prior = 'default' if a.prior else None
    both = not (a.faithful or a.recovery)
    if a.faithful or both: faithful(prior)
    if a.recovery or both: recovery(a.models.split(','), a.seeds, prior)
