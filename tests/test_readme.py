"The README is generated from the index notebook and must stay in sync with it."
from readme import ROOT, render

def test_readme_matches_index_notebook():
    assert (ROOT / 'README.md').read_text(encoding='utf-8') == render(), \
        "README.md is out of date with nbs/index.ipynb: run `python tests/readme.py`."

def test_readme_gives_the_two_commands():
    text = (ROOT / 'README.md').read_text(encoding='utf-8')
    for tag in ('main-command', 'test-command'):
        block = text.split(f'<!-- {tag} -->')[1].split(f'<!-- /{tag} -->')[0]
        assert '```sh' in block and 'pip install' in block, tag
