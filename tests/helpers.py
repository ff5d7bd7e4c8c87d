"Shared helpers for the test suite."
import shutil, sys
from pathlib import Path
import numpy as np
from gmm_literate.datasets import make_mixture

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / 'nbs'

def chapters():
    "The notebooks that make the package and the site, in reading order (scratch notebooks start with _)."
    return sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith('_'))

def tool(name):
    "Path of a console script installed beside this Python (nbdev_export, gmm-literate, ...)."
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)

def random_problem(seed, n=300, d=2, K=3, spread=3.0):
    "Data from a random Gaussian mixture, and a random starting point (weights, means, precisions) from the data."
    rng = np.random.default_rng(seed)
    X = make_mixture(n, d, K, spread=spread, random_state=rng).X
    start_means = X[rng.choice(n, K, replace=False)]
    start_precisions = np.repeat(np.linalg.inv(np.cov(X.T).reshape(d, d))[None], K, axis=0)
    return X, dict(weights_init=np.full(K, 1 / K), means_init=start_means, precisions_init=start_precisions)

def typed_start(start, covariance_type):
    "A start from random_problem with its full precisions reduced to the layout of covariance_type."
    P = np.asarray(start['precisions_init'])
    reduced = {'full': P, 'tied': P.mean(0), 'diag': np.diagonal(P, axis1=1, axis2=2).copy(),
               'spherical': np.trace(P, axis1=1, axis2=2) / P.shape[-1]}[covariance_type]
    return {**start, 'precisions_init': reduced}
