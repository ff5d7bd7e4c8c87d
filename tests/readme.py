"""Generate README.md from nbs/index.ipynb, as nbdev_readme would (it needs Quarto, which cannot run here).

Run `python tests/readme.py` after editing the index notebook; tests/test_readme.py fails while they differ."""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _hidden(source):
    "Does a code cell carry a `#| hide` directive (or export code that the page does not show)?"
    return any(re.match(r'#\|\s*(hide|export)\b', line.strip()) for line in source.splitlines())

def _outputs(cell):
    "Text of a code cell's outputs, as the page shows them (images are left to the site)."
    parts = []
    for o in cell.get('outputs', []):
        if o['output_type'] == 'stream': parts.append(''.join(o['text']))
        elif o['output_type'] in ('execute_result', 'display_data') and 'text/plain' in o['data'] \
                and 'image/png' not in o['data']:
            parts.append(''.join(o['data']['text/plain']))
    return [p.rstrip('\n') for p in parts if p.strip()]

def render(nb_path=ROOT / 'nbs' / 'index.ipynb'):
    "The README text for the index notebook."
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    out = ['<!-- Generated from nbs/index.ipynb by tests/readme.py: edit the notebook, not this file. -->']
    for cell in nb['cells']:
        src = ''.join(cell['source']).strip('\n')
        if cell['cell_type'] == 'markdown': out.append(re.sub(r'\]\((images/[^)]+)\)', r'](nbs/\1)', src))  # paths from the repo root
        elif cell['cell_type'] == 'code' and not _hidden(src):
            out.append(f'```python\n{src}\n```')
            out += [f'```\n{o}\n```' for o in _outputs(cell)]
    return '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    (ROOT / 'README.md').write_text(render(), encoding='utf-8')
    print('wrote', ROOT / 'README.md', file=sys.stderr)
