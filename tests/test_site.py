"""The site as a reader sees it: tools/site_check.py on every processed page, one test per notebook.

The browser part (KaTeX in headless Chromium) runs once for all equations; it is skipped, with the
reason, where node, KaTeX (`npm install --prefix tools`) or Chromium is missing."""
import sys
import pytest
from helpers import ROOT, chapters

sys.path.insert(0, str(ROOT / 'tools'))
import site_check  # noqa: E402

@pytest.fixture(scope='module')
def site():
    problems, notes, proc, pages, tools = site_check.check_site()
    yield problems, notes, pages
    import shutil; shutil.rmtree(proc.parent, ignore_errors=True)

# Chapters whose owners were rewriting them when the check arrived (issue 13): their problems are
# reported, not yet enforced. Remove a name once `python tools/site_check.py --only NAME` prints ok.
PENDING = set()

def _marked(p):
    if p.stem not in PENDING: return p
    return pytest.param(p, marks=pytest.mark.xfail(reason=f'{p.stem}: site problems reported, not yet fixed',
                                                   strict=False))

@pytest.mark.parametrize('nb', [_marked(p) for p in chapters()], ids=lambda p: p.stem)
def test_page_reads_well(site, nb):
    problems, _, _ = site
    assert nb.name in problems, f'{nb.name} was not processed'
    msgs = problems[nb.name]
    assert not msgs, f'{nb.name}: {len(msgs)} problems (python tools/site_check.py --only {nb.stem}):\n' + \
        '\n'.join(msgs)

def test_the_equations_were_typeset(site):
    _, notes, _ = site
    if any('skipped' in n for n in notes): pytest.skip(notes[-1])

# -- the checker itself can fail -------------------------------------------------------------------

def _page(md=(), code=(), outputs=(), figures=()):
    p = site_check.Page('x.ipynb', 'x.html', 'X')
    p.markdown = list(enumerate(md)); p.code = [(i, s.splitlines()) for i, s in enumerate(code)]
    p.outputs = list(outputs); p.figures = list(figures)
    return p

def test_the_checker_sees_each_kind_of_problem(tmp_path):
    long = 'x = 1' + ' ' * 80 + '# too long'
    assert list(site_check.check_lines(_page(code=[long])))
    assert list(site_check.check_lines(_page(outputs=[(0, 'text', 'np.float64(1.5)')])))
    assert list(site_check.check_lines(_page(md=['```python\ndef f(x:NoneType=None)\n```'])))
    assert not list(site_check.check_lines(_page(code=['x = 1'], outputs=[(0, 'text', '1.5')])))
    assert list(site_check.check_refs(_page(md=['see @eq-nowhere'])))
    assert not list(site_check.check_refs(_page(md=['$$x$$ {#eq-x}\n\nsee @eq-x'])))
    assert list(site_check.check_refs(_page(code=['y = x  # @eq-x'])))
    assert list(site_check.check_refs(_page(md=['$$x$$ {#eq-x}\n\nsee `f(@eq-x)`'])))
    assert not list(site_check.check_refs(_page(md=['$$x$$ {#eq-x}\n\n`a` gives @eq-x; `b`'])))
    assert list(site_check.check_refs(_page(md=['run it with --help'])))
    assert not list(site_check.check_refs(_page(md=['run it with `--help`'])))
    a, b = _page(md=['# A\n\n## Two words']), _page()
    b.name, b.html = 'b.ipynb', 'b.html'
    pages = {'x.ipynb': a, 'b.ipynb': b}
    assert not list(site_check.check_links(_page(md=['[t](x.ipynb#two-words)']), pages, tmp_path))
    assert list(site_check.check_links(_page(md=['[t](x.ipynb#three)']), pages, tmp_path))
    assert list(site_check.check_links(_page(md=['[t](c.ipynb)']), pages, tmp_path))
    assert list(site_check.check_links(_page(md=['![a](images/none.png)']), pages, tmp_path))
    assert list(site_check.check_links(_page(figures=[(0, None)]), pages, tmp_path))

def test_a_wide_equation_is_caught():
    tools, why = site_check.browser_tools()
    if tools is None: pytest.skip(why)
    narrow, wide = r'x=1', '+'.join(f'x_{{{i}}}^2' for i in range(60))
    widths, errors = site_check.measure_equations([(narrow, 1), (wide, 2), (r'\notamacro', None)], tools)
    assert widths[0] < site_check.MAX_EQ < widths[1]
    assert errors[:2] == [None, None] and errors[2]
