"Shared helpers for the test suite."
import shutil, sys
from pathlib import Path
from gmm_literate.datasets import make_mixture
from gmm_literate.benchmark import shared_start

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
    "Data from a random Gaussian mixture, and a fixed start from it (the benchmark's shared_start, full covariances)."
    X = make_mixture(n, d, K, spread=spread, random_state=seed).X
    return X, shared_start(X, K, 'full', seed)

def typed_start(X, K, covariance_type, seed=1):
    "The same kind of start, in the layout of covariance_type."
    return shared_start(X, K, covariance_type, seed)
