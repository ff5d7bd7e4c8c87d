"Every chapter runs top to bottom in a fresh kernel: its checks are the package's first tests."
import pytest
import nbdev.test as nbdev_test
from helpers import NBS, chapters

@pytest.mark.parametrize('nb', chapters(), ids=lambda p: p.stem)
def test_notebook_runs(nb):
    ok, seconds = nbdev_test.test_nb(nb, skip_flags=['notest'], basepath=NBS.parent)
    assert ok, f'{nb.name} failed (its traceback is printed above)'

def test_there_are_chapters():
    names = [p.stem for p in chapters()]
    for required in ('01_gaussian', '02_likelihood', '03_gradient', '04_estep', '05_mstep', '08_em'):
        assert required in names
