"""Generate README.md from nbs/index.ipynb: the one way README.md is made.

Run `python tests/readme.py` after editing or re-running the index notebook; tests/test_readme.py fails
while they differ. nbdev's own README step (Quarto's gfm writer) is switched off in settings.ini: it
would rewrite the file differently and leave index_files/ behind."""
import configparser, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _options(source):
    "A code cell's `#|` options."
    return dict(re.findall(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$', source, re.M))

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

def _site():
    "The documentation site's address, from settings.ini."
    cfg = configparser.ConfigParser(); cfg.read(ROOT / 'settings.ini')
    d = cfg['DEFAULT']
    return d['doc_host'].rstrip('/') + '/' + d['doc_baseurl'].strip('/') + '/'

def _links(md):
    "Paths as seen from the repository root; links to chapters point at their pages on the site."
    md = re.sub(r'\]\((images/[^)]+)\)', r'](nbs/\1)', md)
    return re.sub(r'\]\((?:\d+_)?([\w]+)\.ipynb(#[\w-]+)?\)',
                  lambda m: f']({_site()}{m.group(1)}.html{m.group(2) or ""})', md)

def render(nb_path=ROOT / 'nbs' / 'index.ipynb'):
    "The README text for the index notebook."
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    out = ['<!-- Generated from nbs/index.ipynb by tests/readme.py: edit the notebook, not this file. -->']
    for cell in nb['cells']:
        src = ''.join(cell['source']).strip('\n')
        if cell['cell_type'] == 'markdown': out.append(_links(src))
        elif cell['cell_type'] == 'code' and not _hidden(src):
            opts = _options(src)
            if opts.get('echo') != 'false':
                shown = '\n'.join(l for l in src.splitlines() if not l.startswith('#|'))
                out.append(f'```python\n{shown}\n```')
            if opts.get('output') == 'asis': out += [_links(o) for o in _outputs(cell)]
            else: out += [f'```\n{o}\n```' for o in _outputs(cell)]
    return '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    (ROOT / 'README.md').write_text(render(), encoding='utf-8')
    print('wrote', ROOT / 'README.md', file=sys.stderr)
