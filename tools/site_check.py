"""Check the documentation site as a reader would see it, without Quarto.

    python tools/site_check.py            # every page; exit status 1 when a problem is found
    python tools/site_check.py --screens DIR   # also draw proxy pages and screenshot them

It runs nbdev's `proc_nbs` on a copy of the project (what `nbdev_docs` hands to Quarto) and checks
every processed page:

- no visible code or output line longer than 82 characters (what the theme's column holds at 1400 px);
- every display equation, typeset by KaTeX at the theme's size in headless Chromium, no wider than
  536 px (the column at 1024 px) with its equation number, or wrapped in a `.scroll-x` div;
  KaTeX must also accept the equation;
- every image present in the processed folder, every figure captioned;
- every internal link (page, heading, equation, API anchor) and every `@eq-` reference resolving on
  its page; no raw `@eq-` label inside code; no `--option` in prose (it would print as an en dash).

The browser part needs node with KaTeX (`npm install --prefix tools`, from tools/package.json) and
Chromium (`apt-get install chromium`); where either is missing it is skipped, with a message saying so.
"""
from __future__ import annotations
import argparse, html, json, re, shutil, subprocess, sys, tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / 'tools'
MAX_CODE = 82          # characters of a code or output line that the column holds at 1400 px
MAX_EQ = 536           # px: the text column in a 1024 px window
ROOT_FONT = 17         # px: the theme's root font size (code is 0.875 of it: 14.9 px)

# -- processing ------------------------------------------------------------------------------------

_PROC = r"""
import json
from pathlib import Path
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.serve import _proc_file
import nbdev.serve_drv
cfg = get_config(); cache = cfg.config_path / '_proc'; path = Path(cfg.nbs_path)
files = nbglob(path, func=Path, file_glob='', file_re='')
if (path / '_quarto.yml').exists(): files.append(path / '_quarto.yml')
cache.mkdir(parents=True, exist_ok=True)
failed = {}
for f in files:                     # what proc_nbs does, one file at a time, so one failure is not all
    o = _proc_file(f, cache=cache, path=path)
    if not o: continue
    try: nbdev.serve_drv.main(o)
    except Exception as e:
        cause = f' ({type(e.__cause__).__name__}: {e.__cause__})' if e.__cause__ else ''
        failed[f.name] = str(e).splitlines()[0] + cause
print(json.dumps(failed))
"""

def process(root: Path = ROOT, dest: Path | None = None):
    "Process a copy of the project as nbdev's proc_nbs does; the folder of pages and {notebook: error}."
    dest = Path(dest or tempfile.mkdtemp(prefix='site_check_'))
    for name in ('settings.ini', '_quarto.yml'): shutil.copy2(root / name, dest / name)
    shutil.copytree(root / 'nbs', dest / 'nbs', symlinks=True,
                    ignore=shutil.ignore_patterns('.ipynb_checkpoints', '_proc', '.quarto'))
    r = subprocess.run([sys.executable, '-c', _PROC], cwd=dest, capture_output=True, text=True)
    if r.returncode: raise RuntimeError(f'processing failed:\n{r.stderr[-3000:]}')
    return dest / '_proc', json.loads(r.stdout.strip().splitlines()[-1])

# -- pages -----------------------------------------------------------------------------------------

@dataclass
class Page:
    name: str                                   # notebook file name, e.g. 05_mstep.ipynb
    html: str                                   # the page Quarto writes, e.g. mstep.html
    title: str
    markdown: list = field(default_factory=list)   # (cell index, text): markdown cells and outputs
    code: list = field(default_factory=list)       # (cell index, visible source lines)
    outputs: list = field(default_factory=list)    # (cell index, kind, text or None)
    figures: list = field(default_factory=list)    # (cell index, caption or None)

_OPT = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')

def _options(src):
    "A code cell's `#|` options and its remaining lines."
    opts, lines = {}, src.splitlines()
    while lines and lines[0].startswith('#|'):
        m = _OPT.match(lines.pop(0))
        if m: opts[m.group(1)] = m.group(2).strip('"\'')
    return opts, lines

def _frontmatter(text):
    "Parse the small YAML block nbdev writes (title, description, output-file)."
    import yaml
    body = text.strip().strip('-')
    return yaml.safe_load(body) or {}

def load_pages(proc: Path) -> dict:
    "The processed notebooks, as what each page shows."
    pages = {}
    for nb_path in sorted(proc.glob('*.ipynb')):
        cells = json.loads(nb_path.read_text(encoding='utf-8'))['cells']
        fm = _frontmatter(''.join(cells[0]['source'])) if cells and cells[0]['cell_type'] == 'raw' else {}
        page = Page(nb_path.name, fm.get('output-file', nb_path.stem + '.html'), str(fm.get('title', '')))
        for i, c in enumerate(cells):
            src = ''.join(c['source'])
            if c['cell_type'] == 'markdown': page.markdown.append((i, src)); continue
            if c['cell_type'] != 'code': continue
            opts, lines = _options(src)
            if opts.get('include') == 'false': continue
            if opts.get('echo') != 'false': page.code.append((i, lines))
            if opts.get('output') == 'false': continue
            asis = opts.get('output') == 'asis'           # text printed as markdown, part of the page
            for o in c.get('outputs', []):
                kind = o['output_type']
                if kind == 'stream' and asis: page.markdown.append((i, ''.join(o['text'])))
                elif kind == 'stream': page.outputs.append((i, 'text', ''.join(o['text'])))
                elif kind == 'error': page.outputs.append((i, 'error', '\n'.join(o.get('traceback', []))))
                elif kind in ('execute_result', 'display_data'):
                    d = o.get('data', {})
                    if any(k.startswith('image/') for k in d):
                        page.figures.append((i, opts.get('fig-cap')))
                    elif 'text/markdown' in d:
                        page.markdown.append((i, ''.join(d['text/markdown'])))
                    elif 'text/html' in d: page.outputs.append((i, 'html', None))
                    elif 'text/plain' in d: page.outputs.append((i, 'text', ''.join(d['text/plain'])))
        pages[page.name] = page
    return pages

# -- markdown helpers ------------------------------------------------------------------------------

_FENCE = re.compile(r'^(```+|~~~+)[^\n]*\n(.*?)^\1\s*$', re.S | re.M)
_DISPLAY = re.compile(r'\$\$(.+?)\$\$(\s*\{#(eq-[\w-]+)\})?', re.S)

def _split_fences(md):
    "Markdown without its fenced code blocks, and the blocks' lines."
    blocks = [m.group(2).splitlines() for m in _FENCE.finditer(md)]
    return _FENCE.sub('\n', md), blocks

def _prose(md):
    "Markdown text outside code blocks, code spans and math (where typography applies)."
    text, _ = _split_fences(md)
    text = _DISPLAY.sub(' ', text)
    text = re.sub(r'(?<!\\)\$[^$\n]+?\$', ' ', text)
    text = re.sub(r'(`+)[^`]*?\1', ' ', text)
    text = re.sub(r'<!--.*?-->', ' ', text, flags=re.S)
    text = re.sub(r'\]\([^)]*\)', ']', text)                       # link targets
    text = re.sub(r'\{[^}]*\}', ' ', text)                           # attributes, {.callout-note}
    return text

def slug(heading):
    "Pandoc's automatic identifier for a heading."
    s = re.sub(r'\{[^}]*\}\s*$', '', heading).strip()
    s = re.sub(r'\$[^$]*\$', lambda m: m.group(0).strip('$'), s)
    s = re.sub(r'[`*_\[\]()]', lambda m: '_' if m.group(0) == '_' else '', s)
    s = ''.join(ch for ch in s.lower() if ch.isalnum() or ch in ' _-.')
    s = re.sub(r'\s+', '-', s.strip())
    return re.sub(r'^[^a-z]+', '', s) or 'section'

def anchors(page: Page) -> set:
    "Every id a link can point at on the page: headings, labelled equations and figures, API entries."
    ids = set()
    for _, md in page.markdown:
        text, _ = _split_fences(md)
        for m in re.finditer(r'^#{1,6}\s+(.*?)\s*$', text, re.M):
            h = m.group(1)
            explicit = re.search(r'\{#([\w-]+)[^}]*\}\s*$', h)
            ids.add(explicit.group(1) if explicit else slug(h))
        ids |= set(re.findall(r'\{#([\w-]+)', md))
    for i, src in page.code:
        ids |= set(re.findall(r'#\|\s*label:\s*([\w-]+)', '\n'.join(src)))
    return ids

def equations(page: Page):
    "Display equations: (label or None, TeX) in page order."
    for _, md in page.markdown:
        text, _ = _split_fences(md)
        for m in _DISPLAY.finditer(text): yield m.group(3), m.group(1).strip()

# -- the checks without a browser ------------------------------------------------------------------

def check_lines(page: Page):
    for i, lines in page.code:
        for line in lines:
            if len(line.expandtabs()) > MAX_CODE:
                yield f'cell {i}: code line of {len(line)} characters: {line[:60]!r}...'
    for i, kind, text in page.outputs:
        if kind == 'error': yield f'cell {i}: an error is printed on the page'
        if kind != 'text': continue
        for line in text.splitlines():
            if len(line.expandtabs()) > MAX_CODE:
                yield f'cell {i}: output line of {len(line)} characters: {line[:60]!r}...'
        for bad in ('np.float64(', 'np.int64(', ' at 0x'):
            if bad in text: yield f'cell {i}: output shows {bad!r}: print with a format spec'
    for i, md in page.markdown:
        for block in _split_fences(md)[1]:
            for line in block:
                if len(line) > MAX_CODE:
                    yield f'cell {i}: code block line of {len(line)} characters: {line[:60]!r}...'
            for bad in ('NoneType', '<factory>'):     # what the API pages lose (issue 12)
                if any(bad in line for line in block):
                    yield f'cell {i}: a signature shows {bad!r}: annotate the parameter or field'

def check_refs(page: Page):
    ids = anchors(page)
    for i, md in page.markdown:
        for ref in re.findall(r'(?<![\w#/\\])@(eq-[\w-]*\w)', _prose(md)):
            if ref not in ids: yield f'cell {i}: @{ref} has no label on this page'
    for i, lines in page.code:
        for line in lines:
            if re.search(r'@eq-\w', line): yield f'cell {i}: raw label in code: {line.strip()[:70]!r}'
    for i, kind, text in page.outputs:
        if text and re.search(r'@eq-\w', text): yield f'cell {i}: raw label in an output'
    for i, md in page.markdown:
        text, _ = _split_fences(md)
        for m in re.finditer(r'(`+)(.+?)\1', text, re.S):              # inline code spans
            if re.search(r'@eq-\w', m.group(2)): yield f'cell {i}: raw label in code: {m.group(2)[:70]!r}'
        for block in _split_fences(md)[1]:
            if any(re.search(r'@eq-\w', l) for l in block): yield f'cell {i}: raw label in a code block'
        for m in re.finditer(r'(?<![\w-])--[a-zA-Z][\w-]*', _prose(md)):
            yield f'cell {i}: {m.group(0)!r} outside code prints as an en dash: write it as code'

def _site_prefix():
    import configparser
    cfg = configparser.ConfigParser(); cfg.read(ROOT / 'settings.ini')
    d = cfg['DEFAULT']
    return d.get('doc_host', '').rstrip('/') + '/' + d.get('doc_baseurl', '').strip('/') + '/'

def check_links(page: Page, pages: dict, proc: Path, failed=()):
    "Links, images and captions; `failed` pages exist but could not be processed (reported there)."
    by_html = {p.html: p for p in pages.values()}
    prefix = _site_prefix()
    for i, md in page.markdown:
        text, _ = _split_fences(md)
        text = re.sub(r'(`+)[^`]*?\1', lambda m: m.group(0) if '](' in m.group(0) else ' ', text)
        for img, target in re.findall(r'(!?)\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)', text):
            if img: continue
            if target.startswith(prefix): target = target[len(prefix):]
            elif re.match(r'[a-z]+:', target): continue                      # external
            file, _, anchor = target.partition('#')
            if not file: dest = page
            elif file.endswith('.ipynb'): dest = pages.get(file)
            elif file.endswith('.html'): dest = by_html.get(file)
            else:
                if not (proc / file).exists(): yield f'cell {i}: link to a missing file {target}'
                continue
            if dest is None and file in failed: continue
            if dest is None: yield f'cell {i}: link to a missing page {target}'; continue
            if anchor and anchor not in anchors(dest): yield f'cell {i}: {target}: no such anchor on {dest.name}'
    for i, md in page.markdown:
        for m in re.finditer(r'!\[([^\]]*)\]\(<?([^)\s>]+)>?', md):
            alt, target = m.groups()
            if not re.match(r'[a-z]+:', target) and not (proc / target).exists():
                yield f'cell {i}: image {target} is not in the processed site (is its folder copied?)'
            if not alt.strip(): yield f'cell {i}: image {target} has no caption (alt text)'
    for i, cap in page.figures:
        if not cap: yield f'cell {i}: figure without a caption (#| fig-cap)'

# -- the browser part: KaTeX in headless Chromium -------------------------------------------------

def browser_tools():
    "Paths of node, KaTeX and Chromium, or a message saying what is missing."
    node = shutil.which('node')
    katex = TOOLS / 'node_modules' / 'katex'
    chromium = next((c for c in map(shutil.which, ('chromium', 'chromium-browser', 'google-chrome')) if c), None)
    missing = [what for what, ok in (('node', node), ('KaTeX (npm install --prefix tools)', katex.exists()),
                                     ('Chromium (apt-get install chromium)', chromium)) if not ok]
    if missing: return None, 'browser part skipped: missing ' + ', '.join(missing)
    return (node, katex, chromium), None

_KATEX_JS = r"""
const katex = require(process.argv[process.argv.length - 1]);
const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = items.map(([tex, display]) => {
  try { return [katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: false}), null]; }
  catch (e) { return [katex.renderToString(tex, {displayMode: display, throwOnError: false}), String(e.message)]; }
});
process.stdout.write(JSON.stringify(out));
"""

def katex_render(items, tools):
    "[(tex, display)] -> [(html, error or None)], in one node run."
    node, katex, _ = tools
    r = subprocess.run([node, '-e', _KATEX_JS, str(katex)], input=json.dumps(items), capture_output=True,
                       text=True, check=True)
    return json.loads(r.stdout)

def chromium(tools, url, *args, timeout=120):
    "Run headless Chromium once on a page (fresh profile, no network chatter)."
    exe = tools[2]
    with tempfile.TemporaryDirectory(prefix='chromium_') as profile:
        cmd = [exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars',
               '--allow-file-access-from-files', f'--user-data-dir={profile}', *args, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout).stdout

def _css_links(tools):
    katex = tools[1]
    return (f'<link rel="stylesheet" href="{(katex / "dist" / "katex.min.css").as_uri()}">'
            f'<link rel="stylesheet" href="{(ROOT / "nbs" / "styles.css").as_uri()}">')

_MEASURE_JS = """
<script>
document.fonts.ready.then(() => {
  const res = [];
  for (const box of document.querySelectorAll('.eq')) {
    const html = box.querySelector('.katex-html');
    let left = Infinity, right = -Infinity;
    for (const b of html.querySelectorAll(':scope > .base')) {
      const r = b.getBoundingClientRect(); left = Math.min(left, r.left); right = Math.max(right, r.right);
    }
    const tag = html.querySelector(':scope > .tag');
    const t = tag ? tag.getBoundingClientRect().width : 0;
    // centred formula of width f and a number of width t at the right edge do not meet while W >= f + 2t
    res.push(Math.ceil((right - left) + 2 * t + (t ? 8 : 0)));
  }
  document.getElementById('result').textContent = JSON.stringify(res);
});
</script>"""

def measure_equations(eqs, tools):
    "Width in px that each display equation needs (with its number), and KaTeX's errors."
    items = [(tex + (f' \\tag{{{n}}}' if n else ''), True) for tex, n in eqs]
    rendered = katex_render(items, tools)
    body = ''.join(f'<div class="eq" style="width:{MAX_EQ}px">{h}</div>' for h, _ in rendered)
    page = (f'<!doctype html><html><head><meta charset="utf-8">{_css_links(tools)}</head>'
            f'<body style="font-size:{ROOT_FONT}px">{body}<pre id="result"></pre>{_MEASURE_JS}</body></html>')
    with tempfile.TemporaryDirectory(prefix='site_eq_') as d:
        f = Path(d) / 'eqs.html'; f.write_text(page, encoding='utf-8')
        dom = chromium(tools, f.as_uri(), '--virtual-time-budget=10000', '--dump-dom')
    m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    if not m or not m.group(1).strip(): raise RuntimeError('Chromium returned no measurements')
    return json.loads(html.unescape(m.group(1))), [e for _, e in rendered]

def _in_scroll_box(md, tex):
    "Is this equation inside a `::: {.scroll-x}` div?"
    for m in re.finditer(r'^:::+\s*\{\.scroll-x\}\s*$(.*?)^:::+\s*$', md, re.S | re.M):
        if tex in m.group(1): return True
    return False

def check_equations(pages: dict, tools):
    "Problems per page from the typeset equations."
    todo = []
    for page in pages.values():
        n = 0
        for label, tex in equations(page):
            if label: n += 1
            scroll = any(_in_scroll_box(md, tex) for _, md in page.markdown)
            todo.append((page.name, label, tex, n if label else None, scroll))
    widths, errors = measure_equations([(t[2], t[3]) for t in todo], tools)
    problems = {}
    for (name, label, tex, _, scroll), w, err in zip(todo, widths, errors):
        where = label or tex[:40].replace('\n', ' ')
        if err: problems.setdefault(name, []).append(f'equation {where}: KaTeX cannot typeset it: {err[:120]}')
        elif w > MAX_EQ and not scroll:
            problems.setdefault(name, []).append(f'equation {where}: {w} px wide with its number (column {MAX_EQ} px)')
    return problems, len(todo)

# -- the proxy pages and their screenshots --------------------------------------------------------

def _md_to_html(md, tools, numbers=None):
    "Markdown with math: KaTeX for the math, mistune for the rest; `numbers` maps labels to numbers."
    import mistune
    numbers = numbers if numbers is not None else {}
    md = re.sub(r'(?<![\w#/\\])@(eq-[\w-]*\w)',
                lambda m: f'[Eq. {numbers.get(m.group(1), "?")}](#{m.group(1)})', md)
    md = re.sub(r'\]\(([^)]*)\)\{[^}]*\}', r'](\1)', md)     # pandoc link attributes
    maths = []
    def keep(tex, display, label=None):
        maths.append((tex, display, label)); return f'MATHXX{len(maths) - 1}XX'
    text, fences = md, []
    def hold_fence(m): fences.append(m.group(0)); return f'\n\nFENCEXX{len(fences) - 1}XX\n\n'
    text = _FENCE.sub(hold_fence, text)
    text = _DISPLAY.sub(lambda m: '\n\n' + keep(m.group(1), True, m.group(3)) + '\n\n', text)
    text = re.sub(r'(?<![\\$])\$([^$\n]+?)\$', lambda m: keep(m.group(1), False), text)
    divs = []
    def hold_div(m):                      # fenced divs (callouts), their insides rendered on their own
        cls = m.group(1)
        cls = f'callout {cls}' if cls.startswith('callout') else cls
        inner = re.sub(r'FENCEXX(\d+)XX', lambda f: fences[int(f.group(1))], m.group(2))
        divs.append(f'<div class="{cls}">{mistune.html(inner)}</div>')
        return f'\n\nDIVXX{len(divs) - 1}XX\n\n'
    text = re.sub(r'^:::+\s*\{\.([\w-]+)[^}]*\}[ \t]*\n(.*?)\n:::+[ \t]*$', hold_div, text, flags=re.S | re.M)
    text = re.sub(r'FENCEXX(\d+)XX', lambda m: fences[int(m.group(1))], text)
    out = mistune.html(text)
    out = re.sub(r'(?:<p>)?DIVXX(\d+)XX(?:</p>)?', lambda m: divs[int(m.group(1))], out)
    def tagged(tex, label):
        return f'{tex} \\tag{{{numbers[label]}}}' if label in numbers else tex
    rendered = katex_render([(tagged(t, l), d) for t, d, l in maths], tools)
    def put(m):
        h = rendered[int(m.group(1))][0]
        return f'<div class="math-display">{h}</div>' if maths[int(m.group(1))][1] else h
    out = re.sub(r'(?:<p>)?MATHXX(\d+)XX(?:</p>)?', put, out)
    return out

_PROXY_CSS = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: {ROOT_FONT}px;
       line-height: 1.5; color: #343a40; margin: 0; }}
main {{ max-width: 749px; margin: 0 auto; padding: 1rem; }}
pre, code {{ font-family: SFMono-Regular, Menlo, Monaco, Consolas, "Liberation Mono", monospace;
            font-size: 0.875em; }}
pre {{ background: #f8f9fa; padding: .4rem; overflow-x: auto; white-space: pre; }}
.cell-output > pre {{ background: none; }}
.callout {{ border-left: 5px solid #0d6efd; padding: .3rem .8rem; margin: 1rem 0; background: #f8f9fa; }}
.callout-warning {{ border-left-color: #ffc107; }}
img {{ max-width: 100%; }}
figcaption {{ font-size: .9em; color: #6c757d; }}
h1.title {{ font-size: 2.2em; }}
@media (max-width: 991px) {{ main {{ max-width: 100%; }} }}
"""

def proxy_page(page: Page, proc: Path, tools) -> str:
    "A static HTML drawing of one processed page: markdown with KaTeX, code and outputs."
    cells = json.loads((proc / page.name).read_text(encoding='utf-8'))['cells']
    labels = [label for label, _ in equations(page) if label]
    numbers = {label: i + 1 for i, label in enumerate(dict.fromkeys(labels))}   # Quarto numbers per page
    parts = [f'<h1 class="title">{html.escape(page.title)}</h1>']
    for c in cells[1:]:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': parts.append(_md_to_html(src, tools, numbers)); continue
        if c['cell_type'] != 'code': continue
        opts, lines = _options(src)
        if opts.get('include') == 'false': continue
        if opts.get('echo') != 'false':
            parts.append(f'<div class="cell"><pre><code>{html.escape(chr(10).join(lines))}</code></pre>')
        for o in c.get('outputs', []):
            if o['output_type'] == 'stream' and opts.get('output') == 'asis':
                parts.append(_md_to_html(''.join(o['text']), tools, numbers))
            elif o['output_type'] == 'stream':
                parts.append(f'<div class="cell-output"><pre>{html.escape("".join(o["text"]))}</pre></div>')
            d = o.get('data', {})
            img = next((k for k in d if k.startswith('image/')), None)
            if img:
                data = ''.join(d[img]).replace('\n', '')
                cap = html.escape(opts.get('fig-cap', ''))
                parts.append(f'<figure><img src="data:{img};base64,{data}"><figcaption>{cap}</figcaption></figure>')
            elif 'text/markdown' in d: parts.append(_md_to_html(''.join(d['text/markdown']), tools, numbers))
            elif 'text/plain' in d:
                parts.append(f'<div class="cell-output"><pre>{html.escape("".join(d["text/plain"]))}</pre></div>')
        if opts.get('echo') != 'false': parts.append('</div>')
    body = '\n'.join(parts)
    body = re.sub(r'src="(images/[^"]+)"', lambda m: f'src="{(proc / m.group(1)).as_uri()}"', body)
    return (f'<!doctype html><html><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{_css_links(tools)}'
            f'<style>{_PROXY_CSS}</style></head><body><main>{body}</main></body></html>')

def screenshots(pages, proc, tools, out: Path, names=('index.ipynb', '05_mstep.ipynb'),
                widths=(1400, 390), height=5000):
    "Proxy pages of `names`, screenshotted at each width into `out`."
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    for name in names:
        f = out / (Path(name).stem + '.html')
        f.write_text(proxy_page(pages[name], proc, tools), encoding='utf-8')
        for w in widths:
            png = out / f'{Path(name).stem}_{w}.png'
            chromium(tools, f.as_uri(), f'--window-size={w},{height}', f'--screenshot={png}',
                     '--virtual-time-budget=10000')
            shots.append(png)
    return shots

# -- all of it -------------------------------------------------------------------------------------

def check_site(root: Path = ROOT, browser: bool = True):
    "Problems per page ({notebook: [message]}), and notes on what ran."
    proc, failed = process(root)
    pages = load_pages(proc)
    problems, notes = {}, []
    for page in pages.values():
        problems[page.name] = [*check_lines(page), *check_refs(page),
                               *check_links(page, pages, proc, failed)]
    for name, err in failed.items():          # nbdev could not process it: Quarto gets no page
        problems[name] = [f'nbdev cannot process this page: {err}']
    tools, why = browser_tools() if browser else (None, 'browser part skipped (--no-browser)')
    if tools:
        eq_problems, n = check_equations(pages, tools)
        for name, msgs in eq_problems.items(): problems[name] += msgs
        notes.append(f'{n} display equations typeset by KaTeX in headless Chromium')
    else: notes.append(why)
    return problems, notes, proc, pages, tools

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--no-browser', action='store_true', help='skip the KaTeX/Chromium part')
    ap.add_argument('--screens', type=Path, help='write proxy pages and screenshots of them here')
    ap.add_argument('--only', nargs='*', default=None, help='print only these notebooks')
    a = ap.parse_args(argv)
    problems, notes, proc, pages, tools = check_site(browser=not a.no_browser)
    total = 0
    for name, msgs in problems.items():
        if a.only and Path(name).stem not in a.only and name not in a.only: continue
        total += len(msgs)
        print(f'{name}: {"ok" if not msgs else f"{len(msgs)} problems"}')
        for m in msgs: print('   ', m)
    for n in notes: print(n)
    if a.screens:
        if tools: print('screenshots:', *screenshots(pages, proc, tools, a.screens), sep='\n  ')
        else: print('no screenshots:', notes[-1])
    shutil.rmtree(proc.parent, ignore_errors=True)
    return 1 if total else 0

if __name__ == '__main__':
    sys.exit(main())
