"""The statistics engine: blocks add exactly, finish is the only update, and breaking a chapter formula changes
the fit (so nothing computes a formula of its own)."""
import shutil, subprocess, sys, textwrap
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from gmm_literate import make_mixture
from gmm_literate.mstep import m_step
from gmm_literate.stats import Params, block_statistics, statistics, finish, responsibility_statistics
from helpers import ROOT

TYPES = ('full', 'tied', 'diag', 'spherical')

def _theta(X, K, ct, seed=0):
    rng = np.random.default_rng(seed)
    w, mu, cov, U = m_step(X, rng.dirichlet(np.ones(K), size=len(X)), 1e-6, ct)
    return Params(w, mu, U, ct, cov)

def _rel(a, b): return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))

@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), ct=st.sampled_from(TYPES), n_cuts=st.integers(0, 20),
       offset=st.sampled_from([0.0, 1e3, 1e6]), weighted=st.booleans())
def test_statistics_of_a_split_equal_those_of_the_whole(seed, ct, n_cuts, offset, weighted):
    rng = np.random.default_rng(seed)
    X = make_mixture(300, 3, 3, random_state=rng).X + offset
    s = rng.uniform(0, 2, len(X)) if weighted else None
    theta = _theta(X, 3, ct, seed)
    cuts = np.r_[0, np.sort(rng.choice(np.arange(1, len(X)), n_cuts, replace=False)), len(X)]
    parts = [block_statistics(X[a:b], theta, None if s is None else s[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]
    rng.shuffle(parts)
    whole, total = block_statistics(X, theta, s), sum(parts)
    assert _rel(total.nk, whole.nk) < 1e-12
    assert _rel(total.means, whole.means) < 1e-12
    assert _rel(total.covariances, whole.covariances) < 1e-9     # absolute error ~ eps·offset² relative to σ²
    assert abs(total.log_likelihood - whole.log_likelihood) <= 1e-9 * abs(whole.log_likelihood)

def test_adding_is_associative_and_zero_is_neutral():
    X = make_mixture(500, 2, 2, random_state=1).X
    theta = _theta(X, 2, 'full')
    a, b, c = (block_statistics(X[i:i + 100], theta) for i in (0, 100, 200))
    left, right = (a + b) + c, a + (b + c)
    for f in ('nk', 'means', 'covariances'):
        np.testing.assert_allclose(getattr(left, f), getattr(right, f), rtol=1e-13, atol=1e-15)
    assert sum([a]) is a
    with pytest.raises(TypeError): a + 1.5

def test_statistics_of_different_shapes_or_dtypes_do_not_add():
    X = make_mixture(100, 2, 2, random_state=1).X
    full, diag = (block_statistics(X, _theta(X, 2, ct)) for ct in ('full', 'diag'))
    with pytest.raises(ValueError, match='different shapes'): full + diag
    with pytest.raises(ValueError, match='float32 and float64|float64 and float32'):
        block_statistics(X.astype(np.float32), _theta(X, 2, 'full')) + full

def test_an_empty_block_or_component_adds_nothing():
    X = make_mixture(200, 2, 2, random_state=2).X
    resp = np.c_[np.ones(200), np.zeros(200)]
    a = responsibility_statistics(X[:100], resp[:100], 'full')
    b = responsibility_statistics(X[100:], resp[100:], 'full')
    whole = responsibility_statistics(X, resp, 'full')
    total = a + b
    assert total.nk[1] == 0 and not total.means[1].any() and not total.covariances[1].any()
    np.testing.assert_allclose(total.covariances[0], whole.covariances[0], rtol=1e-12)

@pytest.mark.parametrize('ct', TYPES)
def test_float32_with_an_offset_keeps_its_digits(ct):
    # Raw moments about the origin, in float32, lose everything at an offset of 1e4; the centred blocks do not.
    X = make_mixture(2000, 3, 3, random_state=3).X + 1e4
    theta64 = _theta(X, 3, ct)
    exact = statistics(X, theta64, rows=2000)
    X32 = X.astype(np.float32)
    st32 = statistics(X32, theta64, rows=137)
    st64 = statistics(X32.astype(np.float64), theta64, rows=2000)     # the same float32 numbers, in double
    assert st32.dtype == 'float32'
    assert _rel(st32.covariances, st64.covariances) < 1e-4
    assert _rel(st32.means, exact.means) < 1e-6

def test_finish_is_the_m_step():
    X = make_mixture(400, 3, 3, random_state=4).X
    rng = np.random.default_rng(0)
    resp = rng.dirichlet(np.ones(3), size=len(X))
    for ct in TYPES:
        new = finish(responsibility_statistics(X, resp, ct), ct, 1e-6)
        ref = m_step(X, resp, 1e-6, ct)
        for a, b in zip((new.weights, new.means, new.covariances, new.precisions_cholesky), ref):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)

# -- one M-step: break a formula of the M-step chapter in a copy of the package, and the estimator's fit changes --
BREAKS = {
    'tied covariance as a plain average': ('cov = np.tensordot(nk / nk.sum(), cov, axes=1)', 'cov = cov.mean(axis=0)', 'tied'),
    'spherical variance summed': ("var.mean(axis=1) if covariance_type == 'spherical'",
                                  "var.sum(axis=1) if covariance_type == 'spherical'", 'spherical'),
    'weights not normalised': ('return nk / nk.sum()', 'return nk / len(nk)', 'full'),
    'ridge left out': ('return cov + reg_covar * np.eye(d, dtype=cov.dtype)', 'return cov', 'full'),
}
FIT = textwrap.dedent("""
    import warnings, numpy as np
    from gmm_literate import GaussianMixture, make_mixture
    X = make_mixture(3000, 3, 3, random_state=0).X
    warnings.simplefilter('ignore')
    gm = GaussianMixture(3, covariance_type={ct!r}, random_state=0, max_iter=5, tol=0).fit(X)
    print(repr(float(gm.score(X))), repr(float(np.abs(gm.covariances_).sum())), repr(float(gm.weights_.sum())))
""")

def _fit_with(package_dir, ct):
    r = subprocess.run([sys.executable, '-c', FIT.format(ct=ct)], capture_output=True, text=True,
                       cwd=package_dir, env={'PYTHONPATH': str(package_dir), 'PATH': ''})
    return r.stdout.strip() if r.returncode == 0 else 'error: ' + r.stderr.strip().splitlines()[-1]

@pytest.mark.parametrize('name', BREAKS)
def test_breaking_an_m_step_formula_changes_the_fit(name, tmp_path):
    good, bad, ct = BREAKS[name]
    copy = tmp_path / 'gmm_literate'
    shutil.copytree(ROOT / 'gmm_literate', copy, ignore=shutil.ignore_patterns('__pycache__'))
    mstep = copy / 'mstep.py'
    text = mstep.read_text(encoding='utf-8')
    assert text.count(good) == 1, f'the line to break is not in mstep.py exactly once: {good!r}'
    before = _fit_with(tmp_path, ct)
    assert not before.startswith('error'), before
    mstep.write_text(text.replace(good, bad), encoding='utf-8')
    after = _fit_with(tmp_path, ct)
    assert after != before, f'breaking "{name}" in the M-step chapter left the fit unchanged: {after}'
