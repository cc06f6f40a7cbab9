#!/usr/bin/env python3
"""Check the built documentation site in a real browser: Debian's headless Chromium, driven by selenium.

    python tools/build_docs.py && python tools/check_site.py

Serves `_docs/` on 127.0.0.1 and opens every page. On each page: it loads with no console error and no
failed request; the navbar shows the site's title; the sidebar lists every page; the title and the
one-line summary of its notebook show; every exported function or class of `minigd` that nbdev's index
(`minigd/_modidx.py`) puts on the page has its heading, its signature, its parameter comments and a
source link to the right line; every picture has loaded (natural width above zero) and every plot
the notebook saved is shown; every animation (a GIF) is shown at the size it is stored and plays (its picture
changes on screen); every link inside the site resolves, anchors included. It fails on raw TeX
left in the text, on any request to a host other than the site (Chromium's performance log), on a
signature or code block cut off at 1280 px, on Markdown link syntax shown in a signature or the prose,
on a page without a favicon, on a lesson (Gradients, Minibatches, Training, Losses) that shows no figure, and on a
page whose HTML and pictures weigh more than 1 MB. At 390 px (device emulation) the search box and the table of
contents must be reachable and every table must fit or scroll; every page must have previous/next links at its foot in
the sidebar's order, and each lesson (the sidebar's 'Lessons' section) must end with its Summary and Exercises, never on
a test cell, and show at most one short test line per code cell (the rest folded); on the home page a search must show
results whose text has a contrast of 4.5:1 or more, and no entry of search.json may hold raw link syntax or TeX.
Issue 21 adds: at 390 px no wrapped code line with less than 20 characters of room (deep hanging indents), no URL,
choice ({a,b,c}) or option (--name) broken inside in a code block, no display formula wider than its column unless
it scrolls with a cue at the edge, no word broken inside in a table and every column reachable, every picture within the column; every link's text (page,
sidebar, contents, navbar, previous/next, code links) at 4.5:1 on its background; no icon font loaded, every inline
icon's symbol present, the shared CSS and JavaScript under 420 kB a page; searches for 'momentum' and 'divergence'
list the entries holding the word first, the first naming it in its heading; no signature showing a type its code
does not declare (`rng:NoneType`, `shuffle:bool`, guessed by fastcore's docments from the default).
Phase 2 of issue 11 (notebook changes) is reported as notes until its flags are set: EXAMPLES_REQUIRED
(an example with output under every public symbol; the list of those lacking one is printed),
FIGURE_TEXT_REQUIRED (alt text and a caption on every picture), TESTS_FOLDED_REQUIRED (no long shown
test-only cell). It also checks that README.md and index_files/ are what the build made from
index.ipynb (no change against git).
Screenshots of each page at 1280 px (`page.png`) and 390 px (`page-390px.png`), and of the search
dropdown (`search.png`), go to ci-artifacts/screenshots/. It prints one line per page and closes
with `site_check: N passed, M failed`; it exits 1 if anything failed.

Needs Debian's `chromium` and `chromium-driver` (/usr/bin/chromium, /usr/bin/chromedriver, or
$CHROMIUM and $CHROMEDRIVER) and selenium; it downloads nothing.
"""
import argparse, ast, base64, html.parser, http.server, json, os, re, shutil, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.request
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

BROWSER_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage', '--window-size=1280,900',
                 # the browser reaches 127.0.0.1 and nothing else: a third-party resource (the theme's web font)
                 # fails at once, the same on every machine, and is reported apart from the site's own errors
                 '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']
# A browser asks for /favicon.ico by itself when a page names no icon. Our _quarto.yml names one (favicon.svg),
# so that request must not happen, and a 404 for it counts against the page like any other.
NO_FAVICON = False
SHOT_MAX_HEIGHT = 16000  # px; a longer page is cut in its screenshot (the checks still cover all of it)
DESKTOP, PHONE = (1280, 900), (390, 844)  # window sizes: every check at the first; search, contents and tables at the second
MIN_CONTRAST = 4.5  # WCAG AA for body text, for the search results
SEARCH_QUERY = 'gradient'
# Markdown link syntax or TeX in a search result (whose text mixes prose and code, so only TeX's own commands count)
SEARCH_RAW = re.compile(r'\]\(|\\[(\[]|\\(frac|tfrac|dfrac|binom|begin|end|sqrt|text|mathrm|left|right|sum|partial|nabla|'
                        r'theta|eta|lambda|mu|alpha|beta|kappa|epsilon|top|cdot|times|approx|leq?|geq?|to|bar|hat|overline|'
                        r'underbrace|quad|qquad|lceil|rceil|lVert|rVert)(?![a-zA-Z])')
# Phase 2 of issue 11 needs the notebooks changed: until then these are notes; set True to make them failures.
EXAMPLES_REQUIRED = True       # every public symbol has a shown example cell with output under its heading
FIGURE_TEXT_REQUIRED = True    # every picture has alt text (`#| fig-alt:`) and a caption (`#| fig-cap:`)
TESTS_FOLDED_REQUIRED = True   # no shown cell of more than TEST_LINES_SHOWN lines of only tests (fold it: `#| code-fold: true`)
TEST_LINES_SHOWN = 3
# The learning path (issue 21): the sidebar section whose pages are the lessons, in order; on each of them at most
# LESSON_TEST_LINES shown test line per code cell, none longer than SHORT_TEST_LINE characters (the rest folded).
LESSON_SECTION = 'Lessons'
LESSON_TEST_LINES, SHORT_TEST_LINE = 1, 90
LESSON_ENDING = ('Summary', 'Exercises')  # the last two sections of a lesson, in this order
# The lessons (issue 21): each shows at least one figure where its idea is taught.
LESSONS_WITH_FIGURES = ('vector.html', 'gradient.html', 'minibatch.html', 'training.html', 'losses.html')
MAX_PAGE_BYTES = 1_000_000  # a page's own weight: its HTML and the pictures it shows (the shared site_libs aside)
# Phones (issue 21): at PHONE width a wrapped code line's text gets at least MIN_CODE_ROOM characters of room (a deep
# hanging indent once left one-character columns); display formulas wider than the column scroll in a box that shows
# a cue at its cut edge (class scroll-cue); a URL in a code block never breaks; no word in a table breaks inside
# (`minigd.gradien|t`) and every column can be reached; pictures and animations fit the column.
MIN_CODE_ROOM = 20
# Contrast (issue 21): every link's text, in the page, the sidebar, the contents, the navbar and the previous/next
# links, at MIN_CONTRAST (WCAG AA) on its real background.
# Weight (issue 21): no page loads an icon font (the icons are inline SVG); the CSS and JavaScript every page shares
# (site_libs and styles.css) stay under MAX_SHARED_BYTES (608 kB with bootstrap-icons' font and CSS; about 400 kB now).
MAX_SHARED_BYTES = 420_000
# Search (issue 21): for each query, the results holding the word come before any that do not (no fuzzy "moments"
# above "momentum"), and the first names it in its title or section heading.
SEARCH_RANKED = ('momentum', 'divergence')
# Signatures (issue 21): a parameter shows the annotation the code gives it, or none: never the type fastcore's
# docments guesses from its default (`rng:NoneType=None`; `shuffle:bool=True` for a shuffle that takes strings too).
# Nor `Union`/`Optional` without their types (fastcore writes `Union[float, str]` as `Union`).
GUESSED_TYPES = re.compile(r'(?<![\w.])(\w+:NoneType\b|shuffle:\s*bool\b(?!\s*\|)|\w+:(?:Union|Optional)\b(?!\[))')


# ------------------------------------------------------------------ what the site should hold

def expected_pages(cfg):
    "Each page nbdev makes from nbs/: its source, and its output path as nbdev names it (00_vector.ipynb -> vector.html)."
    from nbdev.doclinks import nbglob, _nbpath2html
    nbs = Path(cfg.nbs_path)
    res = {}
    for f in nbglob(nbs, file_glob=None, file_re=r'\.(?:ipynb|qmd|md)$', as_path=True):
        rel = Path(f).relative_to(nbs)
        out = _nbpath2html(rel) if rel.suffix == '.ipynb' else rel.with_suffix('.html')
        res[PurePosixPath(out.as_posix())] = rel
    return res


def front_matter(cfg, src: Path):
    "The title and description nbdev put in the processed page (`_proc/`), or read from the notebook's first cell."
    import yaml
    proc = Path(cfg.config_path) / '_proc' / src
    for path in (proc, Path(cfg.nbs_path) / src):
        if not path.exists() or path.suffix != '.ipynb': continue
        cells = json.loads(path.read_text(encoding='utf-8'))['cells']
        for c in cells[:3]:
            s = ''.join(c['source'])
            m = re.match(r'^---\n(.*?)\n---', s.strip() + '\n', re.S)
            if c['cell_type'] == 'raw' and m:
                fm = yaml.safe_load(m.group(1)) or {}
                return fm.get('title'), fm.get('description')
            if c['cell_type'] == 'markdown':
                t, d = re.search(r'^#\s+(.+)$', s, re.M), re.search(r'^>\s*(.+)$', s, re.M)
                return (t.group(1).strip() if t else None), (d.group(1).strip() if d else None)
    return None, None


def module_all(path: Path):
    "The names in a module's `__all__`, read without importing it."
    for node in ast.parse(path.read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '__all__' for t in node.targets):
            return list(ast.literal_eval(node.value))
    return []


def exported_symbols(cfg):
    """Every exported function and class that nbdev documents, by page: nbdev's index (`_modidx.py`) gives its page
    and anchor; the module's `__all__` says it is exported. Names in `__all__` that nbdev does not index (type
    aliases, constants) get no heading from nbdev and are listed apart."""
    import importlib
    root = Path(cfg.config_path)
    modidx = importlib.import_module(f'{cfg.lib_name}._modidx')
    importlib.reload(modidx)
    by_page, unindexed = {}, []
    for mod, syms in modidx.d['syms'].items():
        src = root / (mod.replace('.', '/') + '.py')
        names = module_all(src) if src.exists() else []
        indexed = set()
        for key, (url, py) in syms.items():
            name = key[len(mod) + 1:]
            if '.' in name or name not in names: continue  # methods, and private helpers
            indexed.add(name)
            page, _, anchor = url.partition('#')
            by_page.setdefault(PurePosixPath(page), []).append(dict(mod=mod, name=name, anchor=anchor, py=py))
        unindexed += [f'{mod}.{n}' for n in names if n not in indexed]
    return by_page, unindexed


def guessed_types(mod, name, shown):
    "The parameters of `mod.name` that have no annotation in the code but are shown with one in the signature `shown`."
    import importlib, inspect
    try: params = inspect.signature(getattr(importlib.import_module(mod), name)).parameters
    except Exception: return []
    code = '\n'.join(line.split('#')[0] for line in shown.split('\n'))  # the signature without its comments
    return [f'{k}:{m.group(1)}' for k, p in params.items() if p.annotation is inspect.Parameter.empty
            and (m := re.search(rf'(?<![\w.*]){re.escape(k)}\s*:\s*([\w.]+)', code))]


def docments_of(mod, name):
    "The parameter comments of an exported function or class, as fastcore's docments reads them (what nbdev shows)."
    import importlib
    from fastcore.docments import docments
    try: obj = getattr(importlib.import_module(mod), name)
    except Exception as e: return None, f'cannot import {mod}.{name}: {e}'
    try: d = docments(obj, full=False)
    except Exception: return {}, None
    return {k: v for k, v in d.items() if v}, None


def saved_images(cfg, src: Path):
    "How many pictures the processed notebook shows: image outputs of cells that do not hide their output."
    path = Path(cfg.config_path) / '_proc' / src
    if not path.exists() or path.suffix != '.ipynb': return None
    n = 0
    for c in json.loads(path.read_text(encoding='utf-8'))['cells']:
        if c['cell_type'] != 'code': continue
        opts = '\n'.join(l for l in ''.join(c['source']).split('\n') if l.startswith('#|'))
        if re.search(r'^#\|\s*(output|include)\s*:\s*false', opts, re.M | re.I): continue
        for o in c.get('outputs', []):
            if any(k.startswith('image/') for k in o.get('data', {})): n += 1
    return n


# ------------------------------------------------------------------ serving and fetching

class Server:
    "`_docs/` on 127.0.0.1, on a free port, noting every request that failed."
    def __init__(self, docs: Path):
        self.failed = []
        failed = self.failed

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, fmt, *args): pass
            def log_request(self, code='-', size='-'):
                if str(code).isdigit() and int(code) >= 400: failed.append((int(code), self.path))

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), partial(Handler, directory=str(docs)))
        self.origin = f'http://127.0.0.1:{self.httpd.server_address[1]}'
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self): self.httpd.shutdown(); self.httpd.server_close()


class IdParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.ids = set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ('id', 'name') and v: self.ids.add(v)


class Fetcher:
    "Fetch a URL of the local site once, and answer whether it is there and which ids it holds."
    def __init__(self): self.cache = {}

    def get(self, url):
        if url not in self.cache:
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    body, ctype = r.read(), r.headers.get('Content-Type', '')
                ids = None
                if 'html' in ctype:
                    p = IdParser(); p.feed(body.decode('utf-8', 'replace')); ids = p.ids
                self.cache[url] = (200, ids)
            except urllib.error.HTTPError as e: self.cache[url] = (e.code, None)
            except Exception as e: self.cache[url] = (str(e), None)
        return self.cache[url]


# ------------------------------------------------------------------ the browser

def start_browser(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get('CHROMIUM', '/usr/bin/chromium')
    for f in BROWSER_FLAGS + [f'--user-data-dir={profile}']: opts.add_argument(f)
    # the performance log holds every request the page makes, to any host: the check for requests outside the site
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})
    # a driver path given: selenium does not run Selenium Manager, so nothing is downloaded
    return webdriver.Chrome(service=Service(os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')), options=opts)


PAGE_JS = r"""
const q = (s) => [...document.querySelectorAll(s)];
const txt = (e) => e ? e.textContent.replace(/\s+/g, ' ').trim() : null;
return {
  navbar: txt(document.querySelector('#quarto-header nav.navbar .navbar-title, nav.navbar .navbar-brand')),
  sidebar: q('#quarto-sidebar a.sidebar-link, #quarto-sidebar a.sidebar-item-text').map(a => a.href),
  title: txt(document.querySelector('#title-block-header h1.title, header h1.title, main h1')),
  description: txt(document.querySelector('#title-block-header .description, header .description, header p.subtitle')),
  links: q('a[href]').map(a => [a.getAttribute('href'), a.href]),
  images: q('main img, #quarto-document-content img').map(i => ({src: i.getAttribute('src').slice(0, 80), full: i.src, complete: i.complete, w: i.naturalWidth})),
  svgplots: q('.cell-output svg:not(.bi), .cell-output-display svg:not(.bi)').filter(s => !s.closest('svg.bi') && s.getBoundingClientRect().width > 0).length,
  code: q('main pre code').length,
  prose: q('main p').length,
  maths: q('main .math').length,
  typeset: q('main .math .katex, main mjx-container, main .MathJax').length,
};
"""

SYMBOL_JS = r"""
const [anchor, name] = arguments;
const el = document.getElementById(anchor);
if (!el) return {found: false};
const h = /^H[1-6]$/.test(el.tagName) ? el : el.querySelector('h1,h2,h3,h4,h5,h6');
// nbdev's show_doc output: the source link, the heading, the signature and the docstring, in one cell output
const block = el.closest('.cell-output, .cell') || el.parentElement;
const src = [...block.querySelectorAll('a[href]')].filter(a => a.textContent.trim() === 'source').map(a => a.href);
const sig = [...block.querySelectorAll('pre')].map(p => p.textContent).join('\n');
// what follows it up to the next symbol or the next section: where a notebook explains what the
// signature cannot show (a dataclass's fields, say)
let after = '', n = (block.closest('.cell') || block).nextElementSibling;
while (n && !n.matches('h1, h2, section.level2, section.level1') && !n.querySelector('.cell-output h1[id], .cell-output h2[id], .cell-output h3[id], .cell-output h4[id]')) {
  after += ' ' + n.textContent; n = n.nextElementSibling;
}
return {found: true, heading: h ? h.textContent.replace(/\s+/g, ' ').trim() : null, tag: h ? h.tagName : el.tagName,
        sources: src, signature: sig, text: block.textContent.replace(/\s+/g, ' '), after: after.replace(/\s+/g, ' ')};
"""


# What a reader reads: TeX left unrendered, Markdown link syntax shown as text, and code blocks cut off.
READING_JS = r"""
const main = document.querySelector('main');
const skip = 'pre, code, math, script, style, .sourceCode';
const TEX = /\\\(|\\\)|\\\[|\\\]|\$\$|\\[a-zA-Z]{2,}|\$[^$\s][^$]*\$/;
const MDLINK = /\]\([^)\s]*\)/;
const tex = [], mdProse = [];
const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT,
  {acceptNode: (n) => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
for (let n = walk.nextNode(); n; n = walk.nextNode()) {
  const t = n.textContent, m = t.match(TEX);
  if (m) tex.push(t.slice(Math.max(0, m.index - 20), m.index + 40).replace(/\s+/g, ' '));
  if (MDLINK.test(t)) mdProse.push(t.trim().slice(0, 80));
}
// maths the build should have turned into MathML but did not
for (const e of main.querySelectorAll('.math')) if (!e.querySelector('math')) tex.push(e.textContent.slice(0, 60));
const limit = main.getBoundingClientRect().right, vw = document.documentElement.clientWidth;
const clipped = [], mdSig = [];
let blocks = 0, sigs = 0;
for (const pre of main.querySelectorAll('pre')) {
  const r = pre.getBoundingClientRect();
  if (r.width === 0) continue;  // not shown (a folded cell)
  const sig = !!pre.closest('.cell-output-markdown') && /^\s*(async\s+)?(def|class)\s/.test(pre.textContent);
  sig ? sigs++ : blocks++;
  const over = Math.max(pre.scrollWidth - pre.clientWidth, r.right - Math.min(limit, vw));
  if (over > 1) clipped.push(`${sig ? 'signature' : 'code block'} ${Math.round(over)}px too wide: ${pre.textContent.trim().slice(0, 50)}`);
  if (sig && MDLINK.test(pre.textContent)) mdSig.push(pre.textContent.trim().split('\n')[0].slice(0, 60));
}
return {tex, mdProse, clipped, mdSig, blocks, sigs, mathml: main.querySelectorAll('math').length,
        favicon: [...document.querySelectorAll('link[rel~="icon"]')].map(l => l.href)};
"""

# At a phone's width: the search box and the table of contents can be reached, and tables fit or scroll.
PHONE_JS = r"""
const vw = document.documentElement.clientWidth;
const shown = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'
  && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().left >= -1 && e.getBoundingClientRect().right <= vw + 1;
const hasToc = document.querySelectorAll('#TOC li').length > 0;
const scrolls = (t) => { const box = t.closest('.table-scroll, .table-responsive');
  return !!box && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX) && box.getBoundingClientRect().right <= vw + 1; };
const tables = [...document.querySelectorAll('main table')].filter(t => t.getBoundingClientRect().width > 0)
  .filter(t => t.getBoundingClientRect().right > vw + 1 && !scrolls(t)).map(t => t.textContent.trim().slice(0, 40));
return {vw, search: shown(document.querySelector('#quarto-search input, .sidebar-search input')),
        hasToc, toc: !hasToc || shown(document.querySelector('details.mobile-toc > summary')) || shown(document.querySelector('#TOC')),
        tables};
"""

# At a phone's width, what a reader of code, maths and tables meets (see MIN_CODE_ROOM).
NARROW_JS = r"""
const vw = document.documentElement.clientWidth;
const MIN = arguments[0];
const visible = (e) => e.getClientRects().length > 0 && e.getBoundingClientRect().width > 0 && !e.closest('details:not([open])');
// the width of one character of the code's font, in px
const chOf = (el) => { const s = document.createElement('span'); s.textContent = '0'.repeat(20);
  s.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;text-indent:0;padding:0'; el.appendChild(s);
  const w = s.getBoundingClientRect().width / 20; s.remove(); return w; };
const rowsOf = (range) => [...new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)))];
// code lines: the narrowest room a wrapped line's text gets, in characters (its first row after its indent, its
// continuation rows after the hanging indent)
const narrow = []; let narrowest = Infinity, lines = 0;
for (const code of document.querySelectorAll('main pre code')) {
  if (!visible(code)) continue;
  const ch = chOf(code);
  for (const line of code.querySelectorAll(':scope > .line')) {
    lines++;
    const range = document.createRange(); range.selectNodeContents(line);
    const cs = getComputedStyle(line), r = line.getBoundingClientRect();
    if (r.height < 1.6 * (parseFloat(cs.lineHeight) || 1.5 * parseFloat(cs.fontSize))) continue;  // one row
    const right = r.right - parseFloat(cs.paddingRight), contLeft = r.left + parseFloat(cs.paddingLeft);
    let first = (right - contLeft) / ch;  // continuation rows
    // the first character that is not a space: where the first row's text starts
    const walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const i = n.textContent.search(/\S/); if (i < 0) continue;
      const cr = document.createRange(); cr.setStart(n, i); cr.setEnd(n, i + 1);
      const c = cr.getBoundingClientRect();
      const lh = parseFloat(cs.lineHeight) || 1.5 * parseFloat(cs.fontSize);
      const room = c.top > r.top + 0.8 * lh ? 0 : (right - c.left) / ch;  // a blank first row: no room
      first = Math.min(first, room); break;
    }
    narrowest = Math.min(narrowest, first);
    if (first < MIN) narrow.push(`${Math.round(first)} ch: ${line.textContent.trim().slice(0, 40)}`);
  }
}
// a URL in a code block broken across rows
const urls = [];
for (const code of document.querySelectorAll('main pre code')) {
  if (!visible(code)) continue;
  const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) for (const m of n.textContent.matchAll(/https?:\/\/[^\s"'<>)]+/g)) {
    const rg = document.createRange(); rg.setStart(n, m.index); rg.setEnd(n, m.index + m[0].length);
    if (rowsOf(rg).length > 1) urls.push(m[0].slice(0, 50));
  }
}
// command-line text in a code block broken inside a word: a choice of a list ({a,b,c}, as argparse prints them),
// or an option (--name) after its dashes
const choices = [];
for (const code of document.querySelectorAll('main pre code')) {
  if (!visible(code)) continue;
  const nodes = [], walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  let at = 0;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) { nodes.push([n, at]); at += n.textContent.length; }
  const place = i => { let k = nodes.length - 1; while (k > 0 && nodes[k][1] > i) k--; return [nodes[k][0], i - nodes[k][1]]; };
  for (const m of code.textContent.matchAll(/\{[\w.-]+(?:,[\w.-]+)+\}/g)) for (const w of m[0].matchAll(/[\w.-]{2,}/g)) {
    const rg = document.createRange(), start = m.index + w.index;
    rg.setStart(...place(start)); rg.setEnd(...place(start + w[0].length));
    if (rowsOf(rg).length > 1) choices.push(w[0]);
  }
  for (const m of code.textContent.matchAll(/(?<![\w-])--[A-Za-z][\w-]*/g)) {
    const rg = document.createRange();
    rg.setStart(...place(m.index)); rg.setEnd(...place(m.index + m[0].length));
    if (rowsOf(rg).length > 1) choices.push(m[0]);
  }
}
// display formulas wider than their column: they must scroll in a box that shows a cue at the cut edge
const cut = [], cued = []; let formulas = 0;
for (const m of document.querySelectorAll('main math[display="block"]')) {
  if (!visible(m)) continue;
  formulas++;
  const box = m.closest('.math.display') || m;
  const inner = Math.max(m.scrollWidth, ...[...m.children].map(c => c.getBoundingClientRect().width));
  const br = box.getBoundingClientRect();
  const wide = inner > br.width + 1 || m.getBoundingClientRect().right > vw + 1;
  if (!wide) continue;
  const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX) && box.scrollWidth > box.clientWidth && br.right <= vw + 1;
  const cue = box.classList.contains('scroll-cue') && /gradient/.test(getComputedStyle(box).backgroundImage);
  (scrolls && cue ? cued : cut).push(`${Math.round(inner)} px in ${Math.round(br.width)} px${scrolls ? ' (scrolls, no cue)' : ''}: ${(m.getAttribute('alttext') || '').slice(0, 40)}`);
}
// tables: no word broken inside (a break inside a run of letters, digits or _), every column reachable
const broken = [], lost = [];
for (const t of document.querySelectorAll('main table')) {
  if (!visible(t)) continue;
  const box = t.closest('.table-scroll, .table-responsive') || t.parentElement;
  const walk = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) for (const m of n.textContent.matchAll(/\w{2,}/g)) {
    const rg = document.createRange(); rg.setStart(n, m.index); rg.setEnd(n, m.index + m[0].length);
    if (rowsOf(rg).length > 1) broken.push(m[0]);
  }
  const reach = box.getBoundingClientRect().left + Math.max(box.scrollWidth, box.clientWidth);
  const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
  for (const c of t.querySelectorAll('th, td')) {
    const r = c.getBoundingClientRect();
    if (r.width < 8 || r.right > reach + 1 || (!scrolls && r.right > vw + 1)) { lost.push(`${c.textContent.trim().slice(0, 20)} (${Math.round(r.width)} px)`); }
  }
}
// pictures and animations: within the column
const wideImgs = [...document.querySelectorAll('main img, main video, main canvas, main .animation, main iframe')]
  .filter(visible).filter(i => i.getBoundingClientRect().right > document.querySelector('main').getBoundingClientRect().right + 1 || i.getBoundingClientRect().right > vw + 1)
  .map(i => `${(i.getAttribute('src') || i.className).split('/').pop().slice(0, 40)} ${Math.round(i.getBoundingClientRect().width)} px`);
return {vw, lines, narrowest: narrowest === Infinity ? null : narrowest, narrow, urls, choices, formulas, cut, cued, broken, lost, wideImgs,
        height: document.documentElement.scrollHeight};
"""

# WCAG's relative luminance of a colour, and the colour an element's text really sits on (its backgrounds composited).
COLOURS_JS = r"""
const rgba = (c) => { const m = c.match(/[\d.]+/g) || [0, 0, 0, 0]; return m.map(Number).concat([1]).slice(0, 4); };
const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
const ground = (e) => { const layers = [];
  for (let n = e; n && n.nodeType === 1; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
  return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]); };
"""

# The colours of the search results (text on its real, composited background), and any raw link text in them.
SEARCH_JS = COLOURS_JS + r"""
const RAW = new RegExp(arguments[0]);
const out = [];
for (const e of document.querySelectorAll('.smalldocs-search-results .search-result *')) {
  if (!e.textContent.trim() || [...e.children].some(c => c.textContent.trim() === e.textContent.trim())) continue;
  const fg = over(rgba(getComputedStyle(e).color), ground(e)), bg = ground(e);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  out.push({cls: e.className || e.tagName.toLowerCase(), ratio: (a + 0.05) / (b + 0.05), text: e.textContent.trim().slice(0, 60)});
}
return {results: document.querySelectorAll('.smalldocs-search-results .search-result').length, parts: out,
        raw: [...document.querySelectorAll('.smalldocs-search-results .search-result')].map(r => r.textContent)
               .filter(t => RAW.test(t)).map(t => t.slice(0, 80))};
"""

# The colour of every link's text on its real (composited) background, by where the link is; the icons (inline SVG,
# no icon font) and the bytes of the shared CSS and JavaScript the page loaded.
LINKS_JS = COLOURS_JS + r"""
const REGIONS = [['navbar', '#quarto-header'], ['sidebar', '#quarto-sidebar'], ['contents', '#TOC, .toc-actions'],
                 ['previous/next', 'nav.page-navigation'], ['page', 'main']];
const seen = new Set(), links = [];
for (const [region, sel] of REGIONS) for (const a of document.querySelectorAll(`:is(${sel}) a[href]`)) {
  if (seen.has(a)) continue;
  seen.add(a);
  if (!a.getClientRects().length || a.getBoundingClientRect().width === 0) continue;
  // each element of the link that holds text of its own (a code span in a link has its own colour and ground)
  for (const e of [a, ...a.querySelectorAll('*')]) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || getComputedStyle(e).visibility === 'hidden' || !e.getClientRects().length) continue;
    const bg = ground(e), fg = over(rgba(getComputedStyle(e).color), bg);
    const [x, y] = [lum(fg), lum(bg)].sort((p, q) => q - p);
    links.push({region, code: !!e.closest('code'), ratio: (x + 0.05) / (y + 0.05), text: e.textContent.trim().slice(0, 30),
                color: getComputedStyle(e).color});
  }
}
const res = performance.getEntriesByType('resource');
const shared = res.filter(r => /\/site_libs\/|\/styles\.css$/.test(new URL(r.name).pathname) && !/\.(png|svg|gif|jpe?g|ico)$/.test(r.name));
const fonts = res.filter(r => /\.(woff2?|ttf|otf|eot)(\?|$)/.test(r.name)).map(r => r.name);
const missing = [...document.querySelectorAll('svg.bi use')].map(u => u.getAttribute('href'))
  .filter(h => !h || !document.getElementById(h.slice(1)));
return {links, shared: shared.reduce((n, r) => n + (r.decodedBodySize || r.encodedBodySize || 0), 0),
        sharedFiles: shared.map(r => new URL(r.name).pathname), fonts,
        fontCss: [...document.querySelectorAll('link[rel~="stylesheet"]')].map(l => l.href).filter(h => /icons/.test(h)),
        iconTags: document.querySelectorAll('i.bi, i[class*="bi-"]').length, svgIcons: document.querySelectorAll('svg.bi').length, missing,
        guessed: [...document.querySelectorAll('main .cell-output-markdown pre')].map(p => p.textContent)
                   .filter(t => /^\s*(async\s+)?(def|class)\s/.test(t))};
"""

# Phase 2 (notes until the notebooks are changed): examples under each symbol, alt text and captions, folded tests.
PHASE2_JS = r"""
const [names, testLines] = arguments;
const main = document.querySelector('main');
const items = [...main.querySelectorAll('.cell, h2')];
const isDoc = (c) => c.matches('.cell') && !!c.querySelector('.cell-output-markdown h3[id], .cell-output-markdown h4[id]');
const noExample = [];
for (const name of names) {
  const start = items.findIndex(c => isDoc(c) && [...c.querySelectorAll('.cell-output-markdown h3, .cell-output-markdown h4')]
                                      .some(h => h.textContent.trim() === name));
  if (start < 0) continue;
  let found = false;
  for (const c of items.slice(start + 1)) {
    if (c.tagName === 'H2' || isDoc(c)) break;
    if (c.querySelector('.cell-code') && c.querySelector('.cell-output')) { found = true; break; }
  }
  if (!found) noExample.push(name);
}
const figures = [...main.querySelectorAll('img')].filter(i => !i.closest('.cell-output-markdown hr ~ *'))
  .filter(i => !(i.getAttribute('alt') || '').trim() || !i.closest('figure')?.querySelector('figcaption'))
  .map(i => i.getAttribute('src').split('/').pop().slice(0, 40));
const TEST = /^\s*(test_\w+\(|test_fail\(|assert\b|with\s.*(raises|fail)|#|\)|\])/;
const tests = [...main.querySelectorAll('.cell')].map(c => c.querySelector('pre.cell-code'))
  .filter(p => p && !p.closest('details'))   /* a folded cell's code sits in a <details> inside the cell */
  .map(p => p.textContent.split('\n').filter(l => l.trim()))
  .filter(ls => ls.length > testLines && ls.every(l => TEST.test(l))).map(ls => `${ls.length} lines: ${ls[0].trim().slice(0, 40)}`);
return {noExample, figures, tests};
"""

# The learning path: the previous/next links at the foot of the page against the sidebar's order; on a lesson, its
# last sections, what the page ends on, and the test lines shown in its code cells.
PATH_JS = r"""
const [testLines, shortLine] = arguments;
const main = document.querySelector('main');
const seen = new Set(), order = [];
for (const a of document.querySelectorAll('#quarto-sidebar a.sidebar-link[href]')) {
  const u = a.href.split('#')[0];
  if (!seen.has(u)) { seen.add(u); order.push(u); }
}
const link = (side) => { const a = document.querySelector(`nav.page-navigation .nav-page-${side} a[href]`); return a ? a.href.split('#')[0] : null; };
const h2 = [...main.querySelectorAll('h2')].map(h => h.textContent.replace(/\s+/g, ' ').trim());
// what a reader reads last: the last shown cell, paragraph, list or heading of the content, outside the page's foot
const blocks = [...main.querySelectorAll('.cell, p, ol, ul, h2, h3, table')]
  .filter(e => !e.closest('nav, footer, .cell-output, #title-block-header, details.mobile-toc, .page-navigation'))
  .filter(e => !e.parentElement.closest('.cell, p, ol, ul, table'))
  .filter(e => e.getBoundingClientRect().height > 0);
const last = blocks[blocks.length - 1];
const TEST = /^\s*(test_\w*\(|test\(|assert\b)/;
const codeOf = (c) => [...c.querySelectorAll('pre.cell-code, pre.sourceCode')].filter(p => !p.closest('details, .cell-output'))
  .map(p => p.textContent).join('\n');
const lastTests = last && last.matches('.cell') ? codeOf(last).split('\n').filter(l => TEST.test(l)).length : 0;
const tests = [];
for (const c of main.querySelectorAll('.cell')) {
  const ls = codeOf(c).split('\n').filter(l => TEST.test(l));
  if (ls.length > testLines || ls.some(l => l.trim().length > shortLine))
    tests.push(`${ls.length} test line(s): ${ls[0].trim().slice(0, 50)}`);
}
return {here: location.href.split('#')[0], order, prev: link('previous'), next: link('next'), h2,
        last: last ? (last.matches('.cell') ? 'a code cell' : last.tagName.toLowerCase()) + ': ' + last.textContent.trim().slice(0, 50) : null,
        lastTests, tests};
"""

def wait_loaded(driver, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        state = driver.execute_script(
            "return document.readyState === 'complete' && [...document.images].every(i => i.complete)")
        if state: return True
        time.sleep(0.1)
    return False


def screenshot(driver, path: Path, width=DESKTOP[0]):
    "The whole page (up to SHOT_MAX_HEIGHT px), through the DevTools protocol."
    m = driver.execute_cdp_cmd('Page.getLayoutMetrics', {})
    size = m.get('cssContentSize') or m['contentSize']
    w, h = min(int(size['width']), width), min(int(size['height']), SHOT_MAX_HEIGHT)
    shot = driver.execute_cdp_cmd('Page.captureScreenshot', {
        'format': 'png', 'captureBeyondViewport': True, 'clip': {'x': 0, 'y': 0, 'width': w, 'height': h, 'scale': 1}})
    path.write_bytes(base64.b64decode(shot['data']))
    return h


# ------------------------------------------------------------------ the checks

class Results:
    def __init__(self): self.passed, self.failed = 0, []
    def check(self, where, what, ok, detail=''):
        if ok: self.passed += 1
        else: self.failed.append(f'{where}: {what}' + (f': {detail}' if detail else ''))
        return ok


def norm(s):
    "Text as a reader reads it: typographic quotes as plain ones (the renderers make them), no backticks, Markdown links as their text."
    s = (s or '').translate(str.maketrans({'\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"'}))
    s = re.sub(r'\[([^\]]*)\]\([^)\s]*\)', r'\1', s)
    return re.sub(r'\s+', ' ', s.replace('`', '')).strip()


def check_link(href, absolute, origin, site_url, cfg, fetcher, counts):
    """One link: inside the site it must resolve (anchor included); into the repository's source it must name a
    file and line that exist here. Returns what is wrong, or None."""
    if absolute.startswith(('mailto:', 'javascript:', 'data:', 'tel:')): return None
    url = absolute
    if site_url and url.startswith(site_url + '/'): url = origin + url[len(site_url):]  # nbdev's absolute links to its own docs
    blob = f"{cfg.git_url.rstrip('/')}/blob/{cfg.branch}/"
    if url.startswith(blob):  # a source link: the file and line must exist here
        counts['source'] += 1
        parts = urlsplit(url)
        rel = unquote(parts.path[len(urlsplit(blob).path):])
        f = Path(cfg.config_path) / rel
        m = re.match(r'L(\d+)', parts.fragment or '')
        if not f.is_file() or (m and int(m.group(1)) > len(f.read_text(encoding='utf-8').split('\n'))):
            return f'{href}: {rel} has no such file or line here'
        return None
    if not url.startswith(origin + '/'):
        counts['external'] += 1
        return None
    counts['internal'] += 1
    parts = urlsplit(url)
    status, ids = fetcher.get(origin + parts.path)
    if status != 200: return f'{href}: {parts.path} answers {status}'
    frag = unquote(parts.fragment)
    if frag and ids is not None and frag not in ids: return f'{href}: {parts.path} has no element with id "{frag}"'
    return None


def check_symbol(res, driver, where, sym, cfg):
    name = f"{sym['mod']}.{sym['name']}"
    info = driver.execute_script(SYMBOL_JS, sym['anchor'], sym['name'])
    if not res.check(where, f'{name} has its heading (#{sym["anchor"]})', info['found'] and info['heading']
                     and info['heading'].startswith(sym['name']), 'no heading with that id'): return
    res.check(where, f'{name} shows its signature', re.search(rf"\b(def|class)\s+{re.escape(sym['name'])}\b", info['signature'] or ''),
              'no `def`/`class` line under the heading')
    comments, err = docments_of(sym['mod'], sym['name'])
    if err: res.check(where, f'{name} parameter comments', False, err)
    else:
        # in the signature nbdev shows, or else in the prose that follows it (nbdev's show_doc of a dataclass
        # shows the fields but not their comments)
        missing = [k for k, v in comments.items() if norm(v) not in norm(info['text']) + ' ' + norm(info['after'])]
        res.check(where, f'{name} shows its parameter comments', not missing,
                  f'the comments on {", ".join(missing)} show neither in the signature nor in the prose after it')
    guessed = guessed_types(sym['mod'], sym['name'], info['signature'] or '')
    res.check(where, f'{name} shows no type its code does not declare', not guessed,
              f"{', '.join(guessed)}: fastcore's docments guesses a type from the default; show the annotation or none")
    # the source link points at the line where the symbol is defined
    blob = f"{cfg.git_url.rstrip('/')}/blob/{cfg.branch}/{sym['py']}"
    ok, detail = False, f'no source link to {blob}'
    for s in info['sources']:
        m = re.match(re.escape(blob) + r'#L(\d+)$', s)
        if m:
            lines = (Path(cfg.config_path) / sym['py']).read_text(encoding='utf-8').split('\n')
            n = int(m.group(1))
            line = lines[n - 1] if 0 < n <= len(lines) else ''
            ok = bool(re.match(rf"\s*(async\s+)?(def|class)\s+{re.escape(sym['name'])}\b", line))
            detail = f'{s} is line {n}: {line.strip()!r}'
            break
    res.check(where, f'{name} has a source link to its definition', ok, detail)


def outside_requests(driver, origin):
    "Every request the page made to anywhere but the site itself, from Chromium's performance log (which this drains)."
    urls = []
    for entry in driver.get_log('performance'):
        msg = json.loads(entry['message'])['message']
        if msg.get('method') != 'Network.requestWillBeSent': continue
        url = msg['params']['request']['url']
        # only what goes over a network: chrome:// and the like are the browser's own pages, not the site's requests
        if re.match(r'(https?|wss?|ftp)://', url) and not url.startswith(origin + '/'): urls.append(url)
    return sorted(set(urls))


def check_reading(res, driver, where):
    "What a reader reads at the desktop width: maths typeset, no raw Markdown, nothing cut off, a favicon."
    r = driver.execute_script(READING_JS)
    res.check(where, 'no raw TeX in the text (the maths is typeset)', not r['tex'],
              f"{len(r['tex'])} fragment(s), e.g. " + ' | '.join(r['tex'][:5]))
    res.check(where, f'no signature or code block cut off at {DESKTOP[0]} px', not r['clipped'],
              f"{len(r['clipped'])} of {r['blocks'] + r['sigs']}: " + ' | '.join(r['clipped'][:5]))
    res.check(where, 'no Markdown link syntax shown in a signature', not r['mdSig'], ' | '.join(r['mdSig'][:5]))
    res.check(where, 'no Markdown link syntax shown in the prose (no doubled links)', not r['mdProse'], ' | '.join(r['mdProse'][:5]))
    res.check(where, 'names a favicon', bool(r['favicon']), 'no <link rel="icon">')
    return r


# seconds within which a GIF must change on screen (the plots page's holds its last frame 2.2 s)
ANIMATION_PERIOD = 2.4
# the picture's box in the page, for a screenshot of it alone
RECT_JS = r"""
const r = arguments[0].getBoundingClientRect();
return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height, scale: 1};
"""


def shown_frame(driver, img):
    "What the page shows of `img` now: Chromium's screenshot of its box (a base64 PNG)."
    clip = driver.execute_script(RECT_JS, img)
    # the viewport as it is: capturing beyond it lays the page out again, without its scrollbar
    opts = {'format': 'png', 'captureBeyondViewport': False, 'clip': clip}
    shot = driver.execute_cdp_cmd('Page.captureScreenshot', opts)
    return shot['data']


def check_animations(res, driver, where):
    """Each GIF on the page (an animation a notebook saved as a file) is shown at the size it is stored
    and plays: the frame it shows changes within ANIMATION_PERIOD. Returns how many."""
    from selenium.webdriver.common.by import By
    gifs = driver.find_elements(By.CSS_SELECTOR, 'main img[src$=".gif"]')
    for img in gifs:
        name = img.get_attribute('src').rsplit('/', 1)[-1]
        nw, nh, w, h = driver.execute_script(
            'const i = arguments[0]; return [i.naturalWidth, i.naturalHeight, i.clientWidth, i.clientHeight]',
            img)
        res.check(where, f'{name} shown at the size it is stored', (nw, nh) == (w, h),
                  f'stored {nw}x{nh}, shown {w}x{h}')
        # in view (a browser may pause an animation out of sight), at once: the theme scrolls smoothly
        driver.execute_script('arguments[0].scrollIntoView({block: "center", behavior: "instant"})', img)
        seen, t0 = {shown_frame(driver, img)}, time.time()
        while len(seen) == 1 and time.time() - t0 < ANIMATION_PERIOD:
            time.sleep(0.3)
            seen.add(shown_frame(driver, img))
        res.check(where, f'{name} plays', len(seen) > 1, f'the same frame shown for {ANIMATION_PERIOD} s')
    driver.execute_script("window.scrollTo(0, 0)")
    return len(gifs)


def check_links_and_weight(res, driver, where):
    "Link contrast by region, icons as inline SVG with no icon font, the shared CSS/JS bytes, no guessed type in a signature."
    r = driver.execute_script(LINKS_JS)
    low = [l for l in r['links'] if l['ratio'] < MIN_CONTRAST]
    res.check(where, f'every link (page, sidebar, contents, navbar, previous/next; code links too) at {MIN_CONTRAST}:1 or more',
              not low, f'{len(low)}: ' + ' | '.join(f"{l['region']}{' code' if l['code'] else ''} {l['ratio']:.2f}:1 "
                                                    f"{l['color']} ({l['text']!r})" for l in low[:5]))
    res.check(where, 'loads no icon font (icons are inline SVG)', not r['fonts'] and not r['fontCss'] and not r['iconTags'],
              f"fonts {r['fonts']}, icon stylesheets {r['fontCss']}, {r['iconTags']} <i class=bi> icon(s)")
    res.check(where, 'every inline icon has its symbol on the page', not r['missing'], ', '.join(r['missing'][:5]))
    res.check(where, f'shared CSS and JavaScript at most {MAX_SHARED_BYTES // 1000} kB', 0 < r['shared'] <= MAX_SHARED_BYTES,
              f"{r['shared'] / 1e3:.0f} kB: {', '.join(r['sharedFiles'])}")
    guessed = [f"{m.group(0)} in {t.strip().split(chr(10))[0][:40]}" for t in r['guessed'] for m in GUESSED_TYPES.finditer(t)]
    res.check(where, 'no signature shows a type guessed from a default (NoneType, shuffle:bool) or a bare Union/Optional', not guessed,
              f'{len(guessed)}: ' + ' | '.join(guessed[:5]))
    by = {}
    for l in r['links']: by[l['region']] = min(by.get(l['region'], 99), l['ratio'])
    return r, by


def check_phone(res, driver, where, shot: Path):
    """The page at a phone's width (Chromium's device emulation): search and contents reachable, tables fit or scroll,
    code lines keep room, URLs whole, wide formulas scroll with a cue, table words whole, pictures within the column.
    Returns the screenshot's height and the measures."""
    w, h = PHONE
    driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {'width': w, 'height': h, 'deviceScaleFactor': 1, 'mobile': True})
    try:
        r = driver.execute_script(PHONE_JS)
        res.check(where, f'search box reachable at {w} px', r['search'], f'no visible search box (viewport {r["vw"]} px)')
        res.check(where, f'table of contents reachable at {w} px', r['toc'], 'neither the margin contents nor details.mobile-toc shows')
        res.check(where, f'every table fits or scrolls at {w} px', not r['tables'], ' | '.join(r['tables']))
        n = driver.execute_script(NARROW_JS, MIN_CODE_ROOM)
        res.check(where, f'no wrapped code line with less than {MIN_CODE_ROOM} characters of room at {w} px', not n['narrow'],
                  f"{len(n['narrow'])} line(s) (a hanging indent too deep?): " + ' | '.join(n['narrow'][:5]))
        res.check(where, f'no URL broken across rows in a code block at {w} px', not n['urls'], ' | '.join(n['urls'][:5]))
        res.check(where, f'no choice ({{a,b,c}}) or option (--name) broken inside in a code block at {w} px',
                  not n['choices'], f"{len(n['choices'])}: " + ', '.join(n['choices'][:8]))
        res.check(where, f'no display formula cut at {w} px (wider than the column: it scrolls, with a cue at the edge)',
                  not n['cut'], f"{len(n['cut'])} of {n['formulas']}: " + ' | '.join(n['cut'][:5]))
        res.check(where, f'no word broken inside in a table at {w} px', not n['broken'],
                  f"{len(n['broken'])}: " + ', '.join(n['broken'][:8]))
        res.check(where, f'every table column reachable at {w} px', not n['lost'], ' | '.join(n['lost'][:5]))
        res.check(where, f'every picture and animation within the column at {w} px', not n['wideImgs'], ' | '.join(n['wideImgs'][:5]))
        return screenshot(driver, shot, w), n
    finally:
        driver.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})


def check_search(res, driver, origin, docs: Path, shot: Path):
    "Type a word in the search box of the home page: results come, their text has contrast enough, no raw link text."
    from selenium.webdriver.common.by import By
    driver.get(f'{origin}/index.html'); wait_loaded(driver)
    box = driver.find_element(By.CSS_SELECTOR, '#quarto-search input')
    box.click(); box.send_keys(SEARCH_QUERY)
    end = time.time() + 10
    while time.time() < end and not driver.execute_script(
            "return document.querySelectorAll('.smalldocs-search-results .search-result').length"): time.sleep(0.1)
    r = driver.execute_script(SEARCH_JS, SEARCH_RAW.pattern)
    driver.save_screenshot(str(shot))
    res.check('search', f'{SEARCH_QUERY!r} finds something', r['results'] > 0, 'no result')
    low = [p for p in r['parts'] if p['ratio'] < MIN_CONTRAST]
    res.check('search', f'result text has contrast at least {MIN_CONTRAST}:1', r['parts'] and not low,
              ' | '.join(f"{p['cls']} {p['ratio']:.1f}:1 ({p['text'][:30]!r})" for p in low[:5]))
    res.check('search', 'no raw link text or TeX in the results shown', not r['raw'], ' | '.join(r['raw'][:3]))
    # and in every entry of the index, not only those this word finds
    index = json.loads((docs / 'search.json').read_text(encoding='utf-8'))
    raw = [f"{e.get('href')}: {m.group(0)}" for e in index for k in ('title', 'section', 'text')
           if (m := SEARCH_RAW.search(str(e.get(k) or '')))]
    res.check('search', 'no raw link text or TeX in search.json', not raw, f'{len(raw)} entr(y/ies), e.g. ' + ' | '.join(raw[:5]))
    worst = min((p['ratio'] for p in r['parts']), default=0)
    print(f"search {SEARCH_QUERY!r}: {r['results']} result(s), lowest text contrast {worst:.1f}:1; screenshot {shot.name}")


RESULTS_JS = r"""
return [...document.querySelectorAll('.smalldocs-search-results .search-result')].map(a => ({
  href: a.getAttribute('href').replace(/^(\.\/)+/, ''), title: (a.querySelector('.search-result-title') || {}).textContent || '',
  section: (a.querySelector('.search-result-section') || {}).textContent || ''}));
"""


def search_results(driver, query):
    "What the home page's search box shows for `query`: each result's href, title and section, in order."
    from selenium.webdriver.common.by import By
    box = driver.find_element(By.CSS_SELECTOR, '#quarto-search input')
    box.clear(); box.click(); box.send_keys(query)
    end, last = time.time() + 10, None
    while time.time() < end:
        time.sleep(0.3)
        now = driver.execute_script(RESULTS_JS)
        if now and now == last: return now
        last = now
    return last or []


def check_search_ranks(res, driver, docs: Path):
    """Exact matches first: for each of SEARCH_RANKED, every result holding the word (whole, or as a name's start:
    `DivergenceGuard`) comes before any that does not, and the first result names it in its title or section."""
    index = json.loads((docs / 'search.json').read_text(encoding='utf-8'))
    by_key = {(e.get('href'), e.get('title', ''), e.get('section', '')): e for e in index}
    for q in SEARCH_RANKED:
        word = re.compile(rf'(?<![A-Za-z0-9]){re.escape(q)}', re.I)
        shown = search_results(driver, q)
        holds = []
        for r in shown:
            e = by_key.get((r['href'], r['title'], r['section'])) or {}
            holds.append(bool(word.search(' '.join(str(e.get(k) or r.get(k) or '') for k in ('title', 'section', 'text')))))
        first_miss = holds.index(False) if False in holds else len(holds)
        late = [shown[i] for i in range(first_miss, len(holds)) if holds[i]]
        ok = res.check('search', f'{q!r}: results holding the word come before the rest', shown and not late,
                       f"result {first_miss + 1} ({shown[first_miss]['title'] if shown[first_miss:] else ''}: "
                       f"{shown[first_miss]['section'] if shown[first_miss:] else ''}) lacks it, yet "
                       + ', '.join(f"{r['title']}: {r['section']}" for r in late[:3]) + ' hold it' if shown else 'no result')
        top = shown[0] if shown else {}
        res.check('search', f'{q!r}: the first result names it in its title or section',
                  bool(word.search(f"{top.get('title', '')} {top.get('section', '')}")), f'first result {top}')
        print(f"search {q!r}: {sum(holds)} of {len(shown)} result(s) hold the word, first without it at rank "
              f"{first_miss + 1 if first_miss < len(holds) else 'none'}; top: "
              + ' | '.join(f"{r['title']}: {r['section']}" for r in shown[:5]) + ('' if ok else ' (FAILED)'))


def phase2_notes(res, driver, where, names, lacking: list):
    "Examples under each symbol, alt text and captions, folded tests: notes until the flags above are True."
    r = driver.execute_script(PHASE2_JS, names, TEST_LINES_SHOWN)
    lacking += [f'{where}#{n}' for n in r['noExample']]
    for required, items, what in (
            (EXAMPLES_REQUIRED, r['noExample'], 'public symbol(s) with no example output under their heading'),
            (FIGURE_TEXT_REQUIRED, r['figures'], 'picture(s) without alt text and a caption'),
            (TESTS_FOLDED_REQUIRED, r['tests'], f'shown cell(s) of more than {TEST_LINES_SHOWN} lines of tests only, not folded')):
        if required: res.check(where, f'no {what}', not items, ', '.join(items))
        elif items: print(f"note {where}: {len(items)} {what}: {', '.join(items)}")


def lesson_pages(cfg, pages):
    "The output pages of the sidebar's LESSON_SECTION, in order (None if the sidebar has no such section)."
    import yaml
    side = yaml.safe_load((Path(cfg.nbs_path) / 'sidebar.yml').read_text(encoding='utf-8')) or {}
    by_src = {str(src): out for out, src in pages.items()}
    for item in side.get('website', {}).get('sidebar', {}).get('contents', []):
        if isinstance(item, dict) and item.get('section') == LESSON_SECTION:
            return [by_src.get(str(c), c) for c in item.get('contents', [])]
    return None


def check_path(res, driver, where, lesson: bool):
    """The learning path on one page: previous and next links at its foot, in the sidebar's order; a lesson also ends
    with its Summary and Exercises (never on a test cell) and shows at most one short test line per code cell."""
    r = driver.execute_script(PATH_JS, LESSON_TEST_LINES, SHORT_TEST_LINE)
    name = lambda u: u.rsplit('/', 1)[-1] if u else 'none'
    order, here = r['order'], r['here']
    if here in order:
        i = order.index(here)
        want_prev, want_next = (order[i - 1] if i > 0 else None), (order[i + 1] if i + 1 < len(order) else None)
        res.check(where, "previous/next links at the foot of the page, in the sidebar's order",
                  (r['prev'], r['next']) == (want_prev, want_next),
                  f"shows previous {name(r['prev'])}, next {name(r['next'])}; the sidebar's order wants "
                  f"{name(want_prev)} and {name(want_next)} (website.page-navigation in _quarto.yml, order in sidebar.yml)")
    else: res.check(where, 'is in the sidebar (for its previous/next links)', False, 'not linked from the sidebar')
    if not lesson: return
    res.check(where, 'lesson has a previous and a next link', bool(r['prev'] and r['next']),
              f"previous {name(r['prev'])}, next {name(r['next'])}")
    res.check(where, f"lesson ends with the sections {' and '.join(LESSON_ENDING)}", tuple(r['h2'][-2:]) == LESSON_ENDING,
              f"its last sections are {r['h2'][-2:]}: end the notebook with `## Summary` and `## Exercises` cells")
    res.check(where, 'lesson does not end on a test cell', not r['lastTests'],
              f"the page ends on {r['last']!r}: move the Summary and Exercises after it")
    res.check(where, f'lesson shows at most {LESSON_TEST_LINES} test line of at most {SHORT_TEST_LINE} characters per code cell',
              not r['tests'], f"{len(r['tests'])} cell(s), fold them (`#| code-fold: true`, `#| code-summary: \"Tests\"`): "
              + ' | '.join(r['tests'][:5]))


def page_bytes(docs: Path, out: PurePosixPath, images):
    "A page's own weight: its HTML file and each local picture it shows, once (site_libs, shared by all, aside)."
    page = docs / out
    total, seen = page.stat().st_size, set()
    for i in images:
        src = unquote(urlsplit(i['full']).path) if i.get('full') else ''
        if not src or src in seen or 'site_libs' in src: continue
        seen.add(src)
        f = docs / src.lstrip('/')
        if f.is_file(): total += f.stat().st_size
    return total


def check_readme(res, cfg):
    "README.md (and its pictures) must be what the build makes from index.ipynb: no change against git."
    root = Path(cfg.config_path)
    if not (root / '.git').exists() or not shutil.which('git'):
        print('README: not a git checkout, not compared'); return
    paths = ['README.md', f"{Path(cfg.get('readme_nb', 'index.ipynb')).stem}_files"]
    out = subprocess.run(['git', 'status', '--porcelain', '--', *paths], cwd=root, capture_output=True, text=True,
                         timeout=60).stdout
    diff = subprocess.run(['git', 'diff', '--stat', '--', *paths], cwd=root, capture_output=True, text=True,
                          timeout=60).stdout
    ok = res.check('README.md', 'is what the build makes from index.ipynb', not out.strip(),
                   'the build changed it: edit nbs/index.ipynb, not README.md; run `python tools/build_docs.py --readme` '
                   '(what CI runs) and commit README.md and index_files/\n' + out + diff)
    print(f"README.md: {'same as committed' if ok else 'CHANGED by the build'}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--shots', default='ci-artifacts/screenshots', help='where to save the screenshots')
    p.add_argument('--no-readme', action='store_true', help='do not compare README.md with git')
    args = p.parse_args(argv)
    from nbdev.config import get_config
    import yaml
    cfg = get_config()
    root = Path(cfg.config_path)
    os.chdir(root)
    sys.path.insert(0, str(root))  # check the library of this checkout
    docs = Path(cfg.doc_path)
    shots = root / args.shots
    start = time.time()
    res = Results()
    if not (docs / 'index.html').exists() and not any(docs.glob('*.html')):
        print(f'no site in {docs}: run tools/build_docs.py first'); res.check('site', 'built', False)
        print(f'site_check: {res.passed} passed, {len(res.failed)} failed'); return 1
    nbdev_yml = yaml.safe_load((Path(cfg.nbs_path) / 'nbdev.yml').read_text()) or {}
    site = nbdev_yml.get('website', {})
    site_title, site_url = str(site.get('title') or cfg.title), str(site.get('site-url') or '').rstrip('/')

    pages = expected_pages(cfg)
    built = {PurePosixPath(p.relative_to(docs).as_posix()) for p in docs.rglob('*.html') if 'site_libs' not in p.parts}
    for out, src in pages.items():
        res.check(str(out), f'built from {src}', out in built, f'{docs}/{out} is missing')
    symbols, unindexed = exported_symbols(cfg)
    for page in symbols:
        res.check(str(page), 'page for exported symbols exists', page in built, f'nbdev index points at {page}, not built')
    if unindexed: print(f"exported names nbdev gives no heading (aliases, constants): {', '.join(unindexed)}")

    if shots.exists(): shutil.rmtree(shots)
    shots.mkdir(parents=True)
    server, fetcher = Server(docs), Fetcher()
    profile = tempfile.mkdtemp(prefix='check-site-chromium-')
    driver = start_browser(profile)
    try:
        print(f'browser: {driver.capabilities.get("browserName")} {driver.capabilities.get("browserVersion")}, site served at {server.origin}')
        expected_sidebar = {f'{server.origin}/{o}' for o in pages}
        lessons = lesson_pages(cfg, pages)
        res.check('sidebar.yml', f'has a section {LESSON_SECTION!r} (the lessons, in order)', bool(lessons))
        lessons = set(lessons or [])
        lacking = []
        for out in sorted(built, key=lambda o: (o.name != 'index.html', str(o))):
            where, before = str(out), len(res.failed)
            server.failed.clear()
            driver.get_log('performance')  # drop what earlier pages asked for
            driver.get(f'{server.origin}/{out}')
            loaded = wait_loaded(driver)
            # scroll through the page, so that anything loaded lazily loads, then wait again
            driver.execute_script("window.scrollTo(0, document.body.scrollHeight)"); wait_loaded(driver)
            driver.execute_script("window.scrollTo(0, 0)")
            info = driver.execute_script(PAGE_JS)
            logs = [l for l in driver.get_log('browser') if l['level'] == 'SEVERE']
            offline = [l for l in logs if re.match(r'https?://', l['message']) and not l['message'].startswith(server.origin)
                       and 'net::ERR_NAME_NOT_RESOLVED' in l['message']]
            logs = [l for l in logs if l not in offline
                    and not (NO_FAVICON and l['message'].startswith(f'{server.origin}/favicon.ico '))]
            res.check(where, 'loads', loaded, 'not complete after 20 s')
            res.check(where, 'no console error', not logs, '; '.join(l['message'] for l in logs))
            failed = [(c, p) for c, p in server.failed if not (NO_FAVICON and p == '/favicon.ico')]
            res.check(where, 'no failed request', not failed, ', '.join(f'{c} {p}' for c, p in failed))
            outside = outside_requests(driver, server.origin)
            res.check(where, 'no request outside the site', not outside, ', '.join(outside))
            res.check(where, 'navbar shows the site title', info['navbar'] == site_title, f'navbar says {info["navbar"]!r}')
            side = set(info['sidebar'])
            res.check(where, 'sidebar lists every page', expected_sidebar <= side,
                      f"missing {', '.join(sorted(u.split('/')[-1] for u in expected_sidebar - side))}")
            src = pages.get(out)
            if src is not None:
                title, desc = front_matter(cfg, src)
                res.check(where, 'shows the notebook title', title and norm(info['title']) == norm(title), f'page title {info["title"]!r}, notebook {title!r}')
                if desc: res.check(where, 'shows the one-line summary', norm(info['description']) == norm(desc), f'page shows {info["description"]!r}, notebook {desc!r}')
                else: res.check(where, 'notebook has a one-line summary (`> ...` under the title)', False)
            for sym in symbols.get(out, []): check_symbol(res, driver, where, sym, cfg)
            bad = [i['src'] for i in info['images'] if not (i['complete'] and i['w'] > 0)]
            res.check(where, 'every picture loaded', not bad, ', '.join(bad))
            animations = check_animations(res, driver, where)
            shown = sum(1 for i in info['images'] if i['w'] > 0) + info['svgplots']
            want = saved_images(cfg, src) if src is not None else None
            if want is not None: res.check(where, 'shows every saved plot', shown >= want, f'{shown} shown, the notebook saved {want}')
            if out.name in LESSONS_WITH_FIGURES and out.parent == PurePosixPath('.'):
                res.check(where, 'a lesson shows a figure', shown > 0, 'no picture on a lesson page: draw its idea')
            weight = page_bytes(docs, out, info['images'])
            res.check(where, f'weighs at most {MAX_PAGE_BYTES / 1e6:.0f} MB (its HTML and pictures)', weight <= MAX_PAGE_BYTES,
                      f'{weight / 1e6:.2f} MB')
            counts = dict(internal=0, external=0, source=0)
            broken = [b for href, absolute in info['links']
                      if (b := check_link(href, absolute, server.origin, site_url, cfg, fetcher, counts))]
            res.check(where, 'every link inside the site resolves, and every source link names a line that exists', not broken, '; '.join(broken))
            reading = check_reading(res, driver, where)
            weight_info, contrast = check_links_and_weight(res, driver, where)
            phase2_notes(res, driver, where, [s['name'] for s in symbols.get(out, [])], lacking)
            check_path(res, driver, where, out in lessons)
            shot = shots / (str(out.with_suffix('')).replace('/', '__') + '.png')
            h = screenshot(driver, shot)
            phone_shot = shot.with_name(f'{shot.stem}-{PHONE[0]}px.png')
            ph, narrow = check_phone(res, driver, where, phone_shot)
            n_fail = len(res.failed) - before
            print(f"{'ok  ' if not n_fail else 'FAIL'} {where}: title {info['title']!r}, {len(symbols.get(out, []))} symbol(s), "
                  f"{len(info['images']) + info['svgplots']} picture(s), {weight / 1e3:.0f} kB"
                  + (f" ({animations} animation(s))" if animations else '')
                  + f", {info['code']} code block(s), {info['prose']} paragraph(s), "
                  f"sidebar {len(side & expected_sidebar)}/{len(expected_sidebar)}, links: {counts['internal']} in the site, "
                  f"{counts['source']} to source, {counts['external']} external (not followed), {len(logs)} console error(s)"
                  + f", {reading['mathml']} formula(s) as MathML, {reading['sigs']} signature(s) and {reading['blocks']} other code block(s)"
                  + (f", {len(outside)} request(s) outside the site ({', '.join(sorted({urlsplit(u).netloc for u in outside}))})" if outside else '')
                  + f", shared CSS/JS {weight_info['shared'] / 1e3:.0f} kB, {weight_info['svgIcons']} inline icon(s), lowest link contrast "
                  + ', '.join(f'{k} {v:.2f}' for k, v in contrast.items())
                  + f"; at {PHONE[0]} px: narrowest wrapped code line "
                  + (f"{narrow['narrowest']:.0f} ch" if narrow['narrowest'] is not None else 'none (no line wraps)')
                  + f", {len(narrow['cued'])} of "
                  f"{narrow['formulas']} formula(s) scroll with a cue"
                  + "; "
                  f"screenshots {shot.relative_to(root)} ({h}px), {phone_shot.name} ({ph}px)" + (f'; {n_fail} failed' if n_fail else ''))
        check_search(res, driver, server.origin, docs, shots / 'search.png')
        check_search_ranks(res, driver, docs)
        print(f"public symbols with no example output under their heading ({len(lacking)}"
              f"{'' if EXAMPLES_REQUIRED else ', a note until EXAMPLES_REQUIRED'}): {', '.join(lacking) or 'none'}")
    finally:
        driver.quit(); server.close(); shutil.rmtree(profile, ignore_errors=True)
    if not args.no_readme: check_readme(res, cfg)
    for f in res.failed: print(f'FAILED {f}')
    print(f'checked {len(built)} page(s) in {time.time() - start:.1f} s')
    print(f'site_check: {res.passed} passed, {len(res.failed)} failed')
    return 1 if res.failed else 0


if __name__ == '__main__': sys.exit(main())
