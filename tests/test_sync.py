"nbdev_export and nbdev_clean must leave the committed files exactly as they are."
import shutil, subprocess
from helpers import ROOT, tool

def _snapshot(root):
    "Contents of every file nbdev may touch: the notebooks and the generated library."
    files = [*root.glob('nbs/*.ipynb'), *root.glob('gmm_literate/*.py')]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}

def test_export_and_clean_change_nothing(tmp_path):
    copy = tmp_path / 'repo'
    copy.mkdir()
    for name in ('settings.ini', 'setup.py', 'pyproject.toml', 'README.md', '_quarto.yml'):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / 'nbs', copy / 'nbs', symlinks=True)
    shutil.copytree(ROOT / 'gmm_literate', copy / 'gmm_literate', ignore=shutil.ignore_patterns('__pycache__'))
    before = _snapshot(copy)
    for cmd in ('nbdev_export', 'nbdev_clean'):
        r = subprocess.run([tool(cmd)], cwd=copy, capture_output=True, text=True)
        assert r.returncode == 0, f'{cmd} failed:\n{r.stderr}'
    after = _snapshot(copy)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f'nbdev_export/nbdev_clean change {changed}: run them and commit the result'

def test_site_config_has_one_source():
    link = ROOT / 'nbs' / '_quarto.yml'
    assert link.is_symlink() and link.resolve() == (ROOT / '_quarto.yml').resolve()
