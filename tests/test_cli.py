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
