"What the site needs from the notebooks, checked without Quarto."
import json, re
import pytest
from helpers import chapters

def _markdown(nb):
    return '\n'.join(''.join(c['source']) for c in json.loads(nb.read_text(encoding='utf-8'))['cells']
                     if c['cell_type'] == 'markdown')

@pytest.mark.parametrize('nb', chapters(), ids=lambda p: p.stem)
def test_equation_references_resolve_on_their_page(nb):
    # Quarto numbers and links equations within one page of a website; a reference to another page's
    # label would render as "?@eq-...", so those are written as links (page.ipynb#eq-label) instead.
    md = _markdown(nb)
    labels = set(re.findall(r'\{#(eq-[\w-]+)\}', md))
    refs = set(re.findall(r'(?<![\w#])@(eq-[\w-]+)', md))
    assert refs <= labels, f'{nb.name} refers to equations labelled on other pages: {sorted(refs - labels)}'

@pytest.mark.parametrize('nb', chapters(), ids=lambda p: p.stem)
def test_links_to_other_pages_point_at_real_equations(nb):
    for target, label in re.findall(r'\]\(([\w]+\.ipynb)#(eq-[\w-]+)\)', _markdown(nb)):
        page = nb.parent / target
        assert page.exists(), f'{nb.name} links to a missing page {target}'
        assert '{#' + label + '}' in _markdown(page), f'{nb.name} links to {target}#{label}, which has no such label'
