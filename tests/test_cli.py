"The `gmm-literate` command, run as a user runs it: in a subprocess."
import subprocess
from helpers import tool

def run(*args, cwd=None):
    return subprocess.run([tool('gmm-literate'), *args], capture_output=True, text=True, cwd=cwd)

def test_demo_fits_old_faithful():
    r = run('fit', '--demo')
    assert r.returncode == 0, r.stderr
    assert 'eruptions' in r.stdout and 'waiting' in r.stdout and 'converged: True' in r.stdout

def test_csv_file(tmp_path):
    (tmp_path / 'd.csv').write_text('a,b\n0,0\n0.1,0.2\n5,5\n5.2,4.9\n0.2,0.1\n5.1,5.1\n')
    r = run('fit', 'd.csv', '-k', '2', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].split()[-2:] == ['a', 'b']

def test_errors_are_messages_not_tracebacks(tmp_path):
    (tmp_path / 'text.csv').write_text('a,b\n1,x\n')
    for args, message in [(('fit', 'missing.csv'), 'no such file'), (('fit', 'text.csv'), 'numbers only'),
                          (('fit', '--demo', '-k', '1000'), 'n_samples >= n_components')]:
        r = run(*args, cwd=tmp_path)
        assert r.returncode != 0 and message in r.stderr and 'Traceback' not in r.stderr, (args, r.stderr)
