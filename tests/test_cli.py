"The `gmm-literate` command, run as a user runs it: in a subprocess."
import json, subprocess
import pytest
from helpers import tool

def run(*args, cwd=None):
    return subprocess.run([tool('gmm-literate'), *args], capture_output=True, text=True, cwd=cwd)

def test_main_job_fits_old_faithful_and_writes_the_figure(tmp_path):
    r = run('fit', '--demo', '--plot', 'faithful.png', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for text in ('eruptions', 'waiting', 'converged: True', 'log-likelihood', 'BIC'):
        assert text in r.stdout
    png = (tmp_path / 'faithful.png').read_bytes()
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and len(png) > 5000

def test_csv_with_columns_json_and_type(tmp_path):
    (tmp_path / 'd.csv').write_text('label,a,b,c\nx,0,0,9\ny,0.1,0.2,9\nx,5,5,9\ny,5.2,4.9,9\nx,0.2,0.1,9\ny,5.1,5.1,9\n')
    r = run('fit', 'd.csv', '-k', '2', '--columns', 'a,b', '--covariance-type', 'diag', '--json', 'm.json', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    model = json.loads((tmp_path / 'm.json').read_text())
    assert model['columns'] == ['a', 'b'] and model['covariance_type'] == 'diag' and len(model['means']) == 2
    assert sorted(round(m[0]) for m in model['means']) == [0, 5]

def test_select_k_by_bic(tmp_path):
    r = run('fit', '--demo', '--select-k', '1-4', '--covariance-type', 'full', '--verbose', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert '<- best' in r.stdout and r.stderr.count('[') == 4        # one progress line per fit
    assert '2 component(s)' in r.stdout

@pytest.mark.parametrize('content, args, message', [
    (None, ('fit', 'missing.csv'), 'no such file: missing.csv'),
    ('name\nx\ny\n', ('fit', 'd.csv'), 'no numeric columns'),
    ('a,b\n1,2\n3,oops\n', ('fit', 'd.csv'), "line 3, column 'b': 'oops' is not a number"),
    ('a,b\n1,2\n3,\n4,5\n', ('fit', 'd.csv'), "line 3: missing value in column 'b'"),
    ('a,b\n1,2\n3,NaN\n', ('fit', 'd.csv'), "line 3: missing value in column 'b'"),
    ('a,b\n1,2\n3,4\n', ('fit', 'd.csv', '-k', '5'), 'fewer than the 5 components'),
    ('a,b\n1,2\n3,4\n', ('fit', 'd.csv', '--columns', 'z'), "no column named 'z'"),
    ('', ('fit', 'd.csv'), 'is empty'),
])
def test_bad_input_is_a_message_and_a_nonzero_exit(tmp_path, content, args, message):
    if content is not None: (tmp_path / 'd.csv').write_text(content)
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert message in r.stderr and 'Traceback' not in r.stderr, r.stderr

def test_usage_errors_and_help():
    r = run('fit')
    assert r.returncode == 2 and 'give either a CSV file or --demo' in r.stderr
    h = run('fit', '--help')
    assert h.returncode == 0
    for opt in ('--demo', '--columns', '-k', '--select-k', '--covariance-type', '--plot', '--json', '--verbose', '--n-init'):
        assert opt in h.stdout, opt

# -- issue 12: reading, safety, predict, options --------------------------------------------------------------
import numpy as np
from gmm_literate import GaussianMixture

TWO_BLOBS = 'a,b\n' + ''.join(f'{x:.3f},{y:.3f}\n' for x, y in np.random.default_rng(0).normal(size=(40, 2)) + np.repeat([[0, 0], [6, 6]], 20, axis=0))

def fit_ok(tmp_path, *args, stdin=None):
    r = subprocess.run([tool('gmm-literate'), *args], capture_output=True, text=True, cwd=tmp_path, input=stdin)
    assert r.returncode == 0, r.stderr
    return r

def fails(tmp_path, *args, status=1, stdin=None):
    r = subprocess.run([tool('gmm-literate'), *args], capture_output=True, text=True, cwd=tmp_path, input=stdin)
    assert r.returncode == status, (r.returncode, r.stdout, r.stderr)
    assert 'Traceback' not in r.stderr
    if status == 1: assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr

def test_a_numeric_column_with_a_bad_first_cell_is_an_error_not_dropped(tmp_path):
    (tmp_path / 'd.csv').write_text('a,b\noops,1\n2,3\n4,5\n6,8\n')
    assert "line 2, column 'a': 'oops' is not a number" in fails(tmp_path, 'fit', 'd.csv', '-k', '1')

def test_id_columns_are_left_out_unless_named(tmp_path):
    rows = ''.join(f'{i},{v}\n' for i, v in enumerate(TWO_BLOBS.splitlines()[1:], start=1))
    (tmp_path / 'd.csv').write_text('id,a,b\n' + rows)
    r = fit_ok(tmp_path, 'fit', 'd.csv', '--json', 'm.json')
    assert "left out 'id'" in r.stderr
    assert json.loads((tmp_path / 'm.json').read_text())['columns'] == ['a', 'b']
    fit_ok(tmp_path, 'fit', 'd.csv', '--columns', 'id,a,b', '--json', 'm2.json')
    assert json.loads((tmp_path / 'm2.json').read_text())['columns'] == ['id', 'a', 'b']

def test_header_less_files_are_detected(tmp_path):
    (tmp_path / 'd.csv').write_text(TWO_BLOBS.split('\n', 1)[1])
    assert '--no-header' in fails(tmp_path, 'fit', 'd.csv')
    fit_ok(tmp_path, 'fit', 'd.csv', '--no-header', '--json', 'm.json')
    assert json.loads((tmp_path / 'm.json').read_text())['columns'] == ['x1', 'x2']

@pytest.mark.parametrize('option', ['--json', '--plot', '--labels'])
def test_outputs_never_overwrite_without_force_nor_the_input(tmp_path, option):
    (tmp_path / 'd.csv').write_text(TWO_BLOBS)
    name = 'out.png' if option == '--plot' else 'out.txt'
    (tmp_path / name).write_text('precious')
    assert 'pass --force' in fails(tmp_path, 'fit', 'd.csv', option, name)
    assert (tmp_path / name).read_text() == 'precious'
    assert 'over the input file' in fails(tmp_path, 'fit', 'd.csv', option, 'd.csv', '--force')
    assert (tmp_path / 'd.csv').read_text() == TWO_BLOBS
    fit_ok(tmp_path, 'fit', 'd.csv', option, name, '--force')
    assert (tmp_path / name).read_bytes() != b'precious'
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(['d.csv', name])      # no temporary file left

def test_bad_figure_extension_is_one_line_before_any_work(tmp_path):
    assert 'is not an image format' in fails(tmp_path, 'fit', '--demo', '--plot', 'fig.xyz')
    assert not (tmp_path / 'fig.xyz').exists()

def test_predict_labels_new_rows_by_column_name(tmp_path):
    (tmp_path / 'd.csv').write_text(TWO_BLOBS)
    fit_ok(tmp_path, 'fit', 'd.csv', '--json', 'm.json', '--labels', 'fit-labels.csv')
    (tmp_path / 'new.csv').write_text('b,note,a\n6,x,6\n0,y,0\n')        # other order, an extra text column
    r = fit_ok(tmp_path, 'predict', 'm.json', 'new.csv')
    lines = r.stdout.splitlines()
    assert lines[0] == 'row,component,p0,p1' and len(lines) == 3
    gm = GaussianMixture(1)
    from gmm_literate.cli import load_model
    gm = load_model(str(tmp_path / 'm.json'))
    expected = gm.predict(np.array([[6.0, 6.0], [0.0, 0.0]]))
    assert [int(l.split(',')[1]) for l in lines[1:]] == list(expected)
    fit_labels = (tmp_path / 'fit-labels.csv').read_text().splitlines()
    assert len(fit_labels) == 41 and fit_labels[0].startswith('row,component')
    fit_ok(tmp_path, 'predict', 'm.json', 'new.csv', '-o', 'out.csv')
    assert (tmp_path / 'out.csv').read_text() == r.stdout
    (tmp_path / 'bad.csv').write_text('a,c\n1,2\n')
    assert "no column named 'b'" in fails(tmp_path, 'predict', 'm.json', 'bad.csv')
    (tmp_path / 'junk.json').write_text('{"x": 1}')
    assert 'not a gmm-literate model' in fails(tmp_path, 'predict', 'junk.json', 'new.csv')

def test_saved_model_round_trips_to_an_identical_estimator(tmp_path):
    from gmm_literate.cli import load_model
    (tmp_path / 'd.csv').write_text(TWO_BLOBS)
    fit_ok(tmp_path, 'fit', 'd.csv', '--json', 'm.json', '--covariance-type', 'tied', '--n-init', '2')
    model = json.loads((tmp_path / 'm.json').read_text())
    assert model['schema'] == 'gmm-literate/model' and model['schema_version'] == 1
    gm = load_model(str(tmp_path / 'm.json'))
    ref = GaussianMixture(2, covariance_type='tied', n_init=2, random_state=0).fit(np.loadtxt(tmp_path / 'd.csv', delimiter=',', skiprows=1))
    assert gm.get_params() == ref.get_params()
    for a in ('weights_', 'means_', 'covariances_', 'precisions_', 'precisions_cholesky_'):
        np.testing.assert_array_equal(getattr(gm, a), getattr(ref, a))
    assert (gm.n_iter_, gm.converged_, gm.lower_bound_) == (ref.n_iter_, ref.converged_, ref.lower_bound_)

def test_fit_options_reach_the_estimator(tmp_path):
    (tmp_path / 'd.csv').write_text(TWO_BLOBS)
    fit_ok(tmp_path, 'fit', 'd.csv', '--max-iter', '7', '--tol', '1e-5', '--reg-covar', '0.01', '--init-params', 'random',
           '--json', 'm.json')
    params = json.loads((tmp_path / 'm.json').read_text())['params']
    assert (params['max_iter'], params['tol'], params['reg_covar'], params['init_params']) == (7, 1e-5, 0.01, 'random')
    for bad in (('--tol', '-1'), ('--reg-covar', 'inf'), ('--max-iter', 'x'), ('--init-params', 'nope')):
        fails(tmp_path, 'fit', 'd.csv', *bad, status=2)

def test_version():
    r = run('--version')
    assert r.returncode == 0 and r.stdout.startswith('gmm-literate 0.')

def test_standard_input(tmp_path):
    r = fit_ok(tmp_path, 'fit', '-', '--json', 'm.json', stdin=TWO_BLOBS)
    assert '40 samples' in r.stdout
    r = fit_ok(tmp_path, 'predict', 'm.json', '-', stdin='a,b\n0,0\n')
    assert r.stdout.splitlines()[0] == 'row,component,p0,p1'

@pytest.mark.parametrize('text, extra', [
    (TWO_BLOBS.replace(',', ';'), ()),
    (TWO_BLOBS.replace(',', '\t'), ()),
    (TWO_BLOBS.replace(',', ';'), ('--delimiter', ';')),
    (TWO_BLOBS.replace(',', '\t'), ('--delimiter', 'tab')),
    ('\ufeff' + TWO_BLOBS + '\n\n', ()),
    ('"a","b"\n' + ''.join('"' + l.replace(',', '","') + '"\n' for l in TWO_BLOBS.splitlines()[1:]), ()),
])
def test_csv_dialects(tmp_path, text, extra):
    (tmp_path / 'd.csv').write_text(text, encoding='utf-8')
    r = fit_ok(tmp_path, 'fit', 'd.csv', *extra, '--json', 'm.json')
    assert json.loads((tmp_path / 'm.json').read_text())['columns'] == ['a', 'b'] and '40 samples' in r.stdout

def test_missing_cells_name_the_row_or_are_dropped(tmp_path):
    lines = TWO_BLOBS.splitlines()
    lines[5] = lines[5].split(',')[0] + ','
    (tmp_path / 'd.csv').write_text('\n'.join(lines) + '\n')
    assert "line 6: missing value in column 'b'" in fails(tmp_path, 'fit', 'd.csv')
    r = fit_ok(tmp_path, 'fit', 'd.csv', '--drop-missing', '--labels', 'l.csv')
    assert 'dropped 1 row(s)' in r.stderr and '39 samples' in r.stdout
    rows = [int(l.split(',')[0]) for l in (tmp_path / 'l.csv').read_text().splitlines()[1:]]
    assert 4 not in rows and len(rows) == 39

def test_package_ships_license_and_no_tests(tmp_path):
    from helpers import ROOT
    lic = (ROOT / 'LICENSE').read_text()
    assert 'Apache License' in lic and 'Version 2.0, January 2004' in lic and 'END OF TERMS AND CONDITIONS' in lic
    manifest = (ROOT / 'MANIFEST.in').read_text()
    assert 'include LICENSE' in manifest and 'prune tests' in manifest

def test_written_files_get_the_usual_permissions(tmp_path):
    # Outputs go through a temporary file (mkstemp makes it 0o600); the result must have the mode a plain
    # open() would give it (0o666 less the umask), or keep the mode of a file it replaces with --force.
    import os, stat
    mask = os.umask(0o022); os.umask(mask)
    out = tmp_path / 'fig.png'
    r = subprocess.run([tool('gmm-literate'), 'fit', '--demo', '--plot', str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    out.chmod(0o640)
    r = subprocess.run([tool('gmm-literate'), 'fit', '--demo', '--plot', str(out), '--force'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
