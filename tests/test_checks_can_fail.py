"""The notebooks' checks are real: break one formula in an exported cell and its chapter must fail.

Each case copies a chapter, replaces one line of its exported code with a plausible mistake (the
sources' own errata among them), and runs the copy with nbdev's test runner."""
import json
import pytest
import nbdev.test as nbdev_test
from helpers import NBS

MUTATIONS = {
    'wrong normaliser (2π^(d/2) for (2π)^(d/2))': ('01_gaussian',
        'out += log_det_cholesky(precisions_cholesky, covariance_type, d) - 0.5 * d * math.log(2 * math.pi)',
        'out += log_det_cholesky(precisions_cholesky, covariance_type, d) - 0.5 * d * math.log(math.pi) - math.log(2)'),
    'diagonal shortcut squaring the factor twice': ('01_gaussian',
        'y = centred * precisions_cholesky[k]',
        'y = centred * precisions_cholesky[k] ** 2'),
    'log-sum-exp without the shift back': ('02_likelihood',
        'return m + np.log(np.exp(a - m[:, None]).sum(axis=1))',
        'return np.log(np.exp(a - m[:, None]).sum(axis=1))'),
    'gradient with the sign flipped': ('03_gradient',
        "return np.einsum('kde,ke->kd', precisions, pulls)",
        "return -np.einsum('kde,ke->kd', precisions, pulls)"),
    'Q without the responsibilities': ('04_estep',
        'return float(np.sum(resp * np.where(resp > 0, a, 0.0)))',
        'return float(np.sum(np.where(resp > 0, a, 0.0)) / a.shape[1])'),
    'covariance divided by n instead of N_k': ('05_mstep',
        'scatter[k] = (resp[:, k] * centred.T) @ centred / nk[k]',
        'scatter[k] = (resp[:, k] * centred.T) @ centred / nk.sum()'),
    'tied covariance as a plain average': ('05_mstep',
        "cov = np.tensordot(nk / nk.sum(), cov, axes=1)",
        "cov = cov.mean(axis=0)"),
    'spherical variance summed instead of averaged': ('05_mstep',
        "var.mean(axis=1) if covariance_type == 'spherical'",
        "var.sum(axis=1) if covariance_type == 'spherical'"),
    'sample weights ignored': ('05_mstep',
        'if sample_weight is not None: resp = resp * sample_weight[:, None]',
        'pass'),
    'moment matrices left upper-triangular': ('09_onepass',
        'M[:, :d, :d] + np.triu(M[:, :d, :d], 1).swapaxes(1, 2)',
        'M[:, :d, :d].copy()'),
    'diagonal moments about the plain centroid instead of eq-reference': ('09_onepass',
        'return (u2 * means).sum(axis=0) / u2.sum(axis=0)',
        'return means.mean(axis=0)'),
    'weights not normalised by N': ('05_mstep',
        'return nk / nk.sum()',
        'return nk / len(nk)'),
    'distances expanded without centring the data': ('10_initialization',
        'self.shift = self.X.mean(axis=0, dtype=np.float64)',
        'self.shift = np.zeros(self.d)'),
    'k-means++ draw not offset to its block': ('10_initialization',
        'candidates[here] = s + _pick(np.cumsum(p), v[here] - before)',
        'candidates[here] = s + _pick(np.cumsum(p), v[here])'),
    "k-means++ D² updated with the first candidate's kept distances, not the chosen one's": ('10_initialization',
        'update = (dict(t=best) if keep',
        'update = (dict(t=0) if keep'),
    "Hamerly's upper bound not carried over the centre's move": ('10_initialization',
        'u += drift[a]                                         # @eq-drift',
        'u += 0.0'),
    'k-means centres from unweighted sums': ('10_initialization',
        'mass = np.ones(e - s) if wb is None else wb',
        'mass = np.ones(e - s)'),
    'log-sum-exp without the guard for rows where every term is -inf': ('02_likelihood',
        'm = np.where(np.isfinite(m), m, 0.0)',
        'm = m'),
}

API_MUTATIONS = {
    "precision factor: the lower Cholesky factor instead of scikit-learn's upper one": ('01_gaussian',
        'try: return flip(np.linalg.cholesky(flip(precisions)))',
        'try: return np.linalg.cholesky(precisions)'),
    'feature names compared as sets (column order ignored)': ('13_mixture',
        'elif len(fitted) != len(names) or (fitted != names).any():',
        'elif set(fitted) != set(names):'),
    'selection ranks by the unweighted log-likelihood': ('17_selection',
        'll = float(log_p.sum() if w is None else w @ log_p)',
        'll = float(log_p.sum())'),
    'CSV: the first cell decides whether a column is numeric': ('14_cli',
        'return not cells or 2 * sum(map(_parses, cells)) >= len(cells)',
        'return not cells or _parses(cells[0])'),
}


CLUSTERING_MUTATIONS = {
    'ICL with the entropy added instead of subtracted': ('18_clustering',
        "if labels == 'soft': return mclust_bic(gm, X) - 2 * entropy(t)",
        "if labels == 'soft': return mclust_bic(gm, X) + 2 * entropy(t)"),
    'MAP VVV covariance with one count too few': ('18_clustering',
        'cov = (L + extra) / (nu + nk + d + 2)[:, None, None]',
        'cov = (L + extra) / (nu + nk + d + 1)[:, None, None]'),
    'MAP mean-prior term without the shrinkage factor': ('18_clustering',
        'c = kappa * nk / (kappa + nk)',
        'c = kappa'),
    'online EM that never forgets the running statistics': ('18_clustering',
        'else: self._running = (scale_statistics(self._running, 1.0 - gamma)',
        'else: self._running = (scale_statistics(self._running, 1.0)'),
}

# chapter 6's covariance models
MODELS_MUTATIONS = {
    'orientation counted per component for a shared one': ('06_models',
        "volume, shape, orientation = (copies[c] for c in check_model(model))",
        "volume, shape, orientation = (K if c == 'V' or c == 'E' and i == 2 else copies[c] "
        "for i, c in enumerate(check_model(model)))"),
    'MM step towards the gradient instead of away': ('06_models',
        'P, _, Qt = np.linalg.svd(D * alpha - G)',
        'P, _, Qt = np.linalg.svd(D * alpha + G)'),
    'rotation gradient with the sign flipped': ('06_models',
        'omega = A - A.T',
        'omega = A.T - A'),
    'EEV pairing the eigenvalues in opposite orders': ('06_models',
        'return _rotate(L, omega.sum(0) / n)',
        'return _rotate(L, omega[:, ::-1].sum(0) / n)'),
}

MUTATIONS.update(API_MUTATIONS)
MUTATIONS.update(MODELS_MUTATIONS)
MUTATIONS.update(CLUSTERING_MUTATIONS)

@pytest.mark.parametrize('name', MUTATIONS)
@pytest.mark.filterwarnings('ignore::RuntimeWarning')   # the broken formulas produce NaN on purpose
def test_broken_formula_fails_its_chapter(name, tmp_path):
    stem, good, bad = MUTATIONS[name]
    nb = json.loads((NBS / f'{stem}.ipynb').read_text(encoding='utf-8'))
    hits = 0
    for cell in nb['cells']:
        src = ''.join(cell['source'])
        if cell['cell_type'] == 'code' and src.startswith('#| export') and good in src:
            cell['source'] = src.replace(good, bad); hits += 1
    assert hits == 1, f'the line to break was not found exactly once in {stem}: {good!r}'
    broken = tmp_path / f'{stem}.ipynb'
    broken.write_text(json.dumps(nb), encoding='utf-8')
    ok, _ = nbdev_test.test_nb(broken, skip_flags=['notest'], showerr=False, basepath=NBS.parent)
    assert not ok, f'{stem} still passes with the {name}: its checks do not test that formula'

# -- issue 12 (helper api): the estimator surface, the selection and the command line ----------------------

# -- issue 14 (helper prior): MAP EM for the eight models whose step is chapter 6's on pseudo-data (@eq-pseudo) --
# (the runner above reads MUTATIONS when pytest collects, after this module has run, so these join its cases)
PRIOR_MUTATIONS = {
    'MAP pseudo-count one short (ν + d + 1 pseudo-points)': ('18_clustering',
        'count = nk + nu + d + 2',
        'count = nk + nu + d + 1'),
    'MAP pseudo-scatter without the prior scale Λ_P': ('18_clustering',
        'scatter = extra + L',
        'scatter = extra'),
    "MAP of the eight with maximum likelihood's counts (mclust's VEV convention)": ('18_clustering',
        'cov = to_layout(m_step_covariances(m, count, scatter, 0.0, previous),',
        'cov = to_layout(m_step_covariances(m, nk, scatter, 0.0, previous),'),
    'online MAP step on per-point statistics (the prior outweighs the data)': ('18_clustering',
        'counted = scale_statistics(self._running, self._seen)',
        'counted = self._running'),
}
MUTATIONS.update(PRIOR_MUTATIONS)

# -- issue 14 (helper rotation): Newton's steps on EVE's and VVE's common orientation -----------------------
ROTATION_MUTATIONS = {
    "Newton's Hessian without the quadratic terms of m_kj (@eq-mX)": ('06_models',
        'return F, grad, H + T + T.T',
        'return F, grad, H'),
    "EVE's Hessian without the rank-one term of the common volume": ('06_models',
        'H += (u.T * (n / (S * d) * g)) @ u - n / (S * S * d) * np.outer(v, v)',
        'H += (u.T * (n / (S * d) * g)) @ u'),
    'Newton step solved for +g (uphill)': ('06_models',
        'if not fails: return linalg.lapack.dpotrs(U, -g)[0], mu',
        'if not fails: return linalg.lapack.dpotrs(U, g)[0], mu'),
}
MUTATIONS.update(ROTATION_MUTATIONS)

# -- the lead: with a prior, data below a model's minimum of points are fitted (MclustMixture._needs_min_points) --
MUTATIONS.update({
    'a prior still refusing data too small for maximum likelihood': ('18_clustering',
        'return self.prior is None',
        'return True'),
})
