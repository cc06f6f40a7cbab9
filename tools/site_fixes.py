"""What `build_docs.py` does to the site after nbdev and smalldocs, so that it reads well offline.

Two stages, each a list of small functions:

* `fix_proc(cache)`, on nbdev's processed notebooks (`_proc/`), before smalldocs renders them:
  classes that nbdev shows as `def X(*args, **kwargs)` (named tuples, exceptions, classes with no
  `__init__` of their own) get a `class X(Base):` block listing their fields with their comments;
  a parameter the code does not annotate is shown with no type (fastcore's docments would show the
  type of its default: `rng:NoneType=None`, `shuffle:bool=True`).
* `fix_site(docs, site_url)`, on the rendered HTML in `_docs/`:
  - maths: every `\\(...\\)` / `\\[...\\]` smalldocs wrote for KaTeX becomes MathML at build time
    (latex2mathml), and the KaTeX links to a CDN go, so no page asks anything of another site;
  - the theme's Google Fonts `@import` goes (the pages use the system's fonts, see styles.css);
  - signatures: the Markdown links nbdev writes into parameter comments become real links, and each
    line becomes a block of its own, its leading spaces in a span.indent, so that a long line wraps with
    a hanging indent that styles.css caps on a narrow screen;
  - display formulas and shell commands get the class `scroll-cue` (a shadow where they are cut);
  - command-line text in code: a list of choices, `{a,b,c}`, breaks only after a comma, an option `--name` never;
  - icons: bootstrap-icons' font goes; the few icons used are inline SVG, drawn from that font;
  - search: `search_rank.js` (tools/site_assets/) ranks exact matches first;
  - figures: base64 pictures become files in `figures/`;
  - tables: each sits in a box that scrolls sideways on a phone;
  - a table of contents at the top of the page for narrow screens (the margin one is hidden there);
  - `search.json`: Markdown links and TeX delimiters become plain text.
"""
import ast, base64, hashlib, html, inspect, json, re, shutil, textwrap
from pathlib import Path

# smalldocs (layout.py) loads KaTeX from here when a page has maths; the maths is MathML now
KATEX_CDN = 'https://cdn.jsdelivr.net/npm/katex@'
MD_LINK = re.compile(r'\[`?([^\]`]+?)`?\]\(([^)\s]+)\)')
REMOTE_IMPORT = re.compile(r'@import\s+url\(\s*["\']?https?://[^)]*\)\s*;?')


# ------------------------------------------------------------------ _proc/: class signatures

ARGS_SIG = re.compile(r'```python\ndef (\w+)\(\n    \*args, \*\*kwargs\n\):\n```')


def _field_lines(cls):
    "The annotated fields in a class's own body, as source lines: `name: type = default  # comment`."
    try: src = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError): return []
    lines, out = src.split('\n'), []
    node = ast.parse(src).body[0]
    for stmt in getattr(node, 'body', []):
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name): continue
        line = lines[stmt.lineno - 1]
        code = f'{stmt.target.id}: {ast.get_source_segment(src, stmt.annotation)}'
        if stmt.value is not None: code += f' = {ast.get_source_segment(src, stmt.value)}'
        comment = line[stmt.end_col_offset:].strip()
        out.append(f'    {code}' + (f'  {comment}' if comment.startswith('#') else ''))
    return out


def _bases(cls):
    "The bases as the class statement names them (`NamedTuple`, not `tuple`)."
    bases = getattr(cls, '__orig_bases__', None) or cls.__bases__
    return [getattr(b, '__name__', str(b)) for b in bases if b is not object]


def class_signature(cls):
    "A `class X(Base):` block with the fields, for a class nbdev can only show as `def X(*args, **kwargs)`."
    bases = _bases(cls)
    head = f"class {cls.__name__}{'(' + ', '.join(bases) + ')' if bases else ''}:"
    return '\n'.join([head] + (_field_lines(cls) or ['    ...']))


def _rewrite_markdown(nb, pattern, repl):
    "Apply `pattern.sub(repl, ...)` to every Markdown output of `nb` (where nbdev's show_doc puts signatures)."
    for cell in nb['cells']:
        for out in cell.get('outputs', []):
            md = out.get('data', {}).get('text/markdown')
            if md is None: continue
            text = ''.join(md) if isinstance(md, list) else md
            new = pattern.sub(repl, text)
            if new != text: out['data']['text/markdown'] = new


def fix_class_signatures(nb, modidx):
    "Replace nbdev's `def X(*args, **kwargs)` of a class by its fields. Returns how many it replaced."
    n = 0
    def repl(m):
        nonlocal n
        obj = _find_qualified(m.group(1), modidx)
        if not inspect.isclass(obj): return m.group(0)
        n += 1
        return f'```python\n{class_signature(obj)}\n```'
    _rewrite_markdown(nb, ARGS_SIG, repl)
    return n


# nbdev's show_doc heading and the signature block under it
DOC_SIG = re.compile(r'^#{2,4} (\S+)\n+```python\n(.*?\n)```', re.M | re.S)


def _find_qualified(name, modidx):
    "The exported object (or method: `Scaler.transform`) called `name`, through nbdev's index."
    import importlib
    for mod, syms in modidx['syms'].items():
        if f'{mod}.{name}' not in syms: continue
        obj = importlib.import_module(mod)
        for part in name.split('.'): obj = getattr(obj, part, None)
        if obj is not None: return obj
    return None


def annotation_name(o) -> str:
    "An annotation as Python 3.10 writes it: `float|str` for `Union[float, str]`, `int|None` for `Optional[int]`."
    import types, typing
    if o is inspect.Parameter.empty: return ''
    if isinstance(o, str): return o.replace(' ', '')   # a quoted annotation, as the code writes it
    if o is type(None) or o is None: return 'None'
    if isinstance(o, list): return f"[{', '.join(annotation_name(a) for a in o)}]"   # Callable's arguments
    args, origin = typing.get_args(o), typing.get_origin(o)
    if origin in (typing.Union, types.UnionType): return '|'.join(annotation_name(a) for a in args)
    name = getattr(o, '__name__', None) or str(o)
    if args and origin is not None and not isinstance(o, type):
        return f"{name}[{', '.join('...' if a is Ellipsis else annotation_name(a) for a in args)}]"
    return name


def declared(obj):
    "Each parameter of `obj` with its annotation as the code declares it, '' for none (None: no signature)."
    try: sig = inspect.signature(obj)
    except (TypeError, ValueError): return None
    return {k: annotation_name(p.annotation) for k, p in sig.parameters.items()}


def true_types(sig, params):
    """A signature block as nbdev writes it, each parameter shown with the annotation the code declares (`params`):
    none where fastcore's docments guesses one from the default (`rng:NoneType=None`, `shuffle:bool=True`), and
    `float|str` where it writes a `Union[float, str]` as `Union`. With `params` None (the object was not found) only
    `NoneType`, which is never an annotation, goes."""
    if params is None: return re.sub(r'(?<![\w.])(\w+):NoneType(?==)', r'\1', sig)
    for k, t in params.items():
        sig = re.sub(rf'(?<![\w.*]){re.escape(k)}:[\w.]+(?=[=,)\n])', k + (f':{t}' if t else ''), sig, count=1)
    return sig


def fix_signature_types(nb, modidx):
    "Show each signature's parameters with the annotations the code gives them, no guessed types. Returns how many changed."
    n = 0
    def repl(m):
        nonlocal n
        obj = _find_qualified(m.group(1), modidx)
        new = true_types(m.group(2), declared(obj) if obj is not None else None)
        n += new != m.group(2)
        return m.group(0).replace(m.group(2), new)
    _rewrite_markdown(nb, DOC_SIG, repl)
    return n


def fix_proc(cache: Path, lib_name: str):
    "Fix the processed notebooks in place. Returns what it did, for the log."
    import importlib
    modidx = importlib.import_module(f'{lib_name}._modidx').d
    n = typed = 0
    for path in sorted(cache.glob('*.ipynb')):
        nb = json.loads(path.read_text(encoding='utf-8'))
        k = fix_class_signatures(nb, modidx)
        t = fix_signature_types(nb, modidx)
        if k or t: path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding='utf-8')
        n += k; typed += t
    return f'{n} class signature(s) shown with their fields, {typed} signature(s) without guessed types'


# ------------------------------------------------------------------ _docs/: the HTML

def tex_to_mathml(tex, display):
    from latex2mathml.converter import convert
    return convert(tex, display='block' if display else 'inline')


def typeset_maths(soup):
    "Each `span.math` holding `\\(...\\)` or `\\[...\\]` gets its MathML instead. Returns how many."
    from bs4 import BeautifulSoup
    n = 0
    for span in soup.select('span.math'):
        text = span.get_text()
        m = re.fullmatch(r'\s*\\\((.*)\\\)\s*|\s*\\\[(.*)\\\]\s*', text, re.S)
        if not m: continue
        display = m.group(2) is not None
        mathml = tex_to_mathml(m.group(2) if display else m.group(1), display)
        span.clear()
        span.append(BeautifulSoup(mathml, 'html.parser'))
        # the TeX stays as an annotation for copying and screen readers that prefer it
        span.find('math')['alttext'] = text.strip()[2:-2].strip()
        if not display: keep_punctuation(span, soup)
        n += 1
    return n


def keep_punctuation(span, soup):
    "Keep the punctuation after an inline formula on its line (`$v$.` must not break before the full stop)."
    from bs4 import NavigableString
    nxt = span.next_sibling
    m = re.match(r'[.,;:!?)\]]+', str(nxt)) if isinstance(nxt, NavigableString) else None
    if not m: return
    nxt.replace_with(NavigableString(str(nxt)[m.end():]))
    box = soup.new_tag('span', attrs={'class': 'math-nowrap'})
    span.wrap(box)
    box.append(m.group(0))


def drop_katex(soup):
    "Remove the KaTeX stylesheet and scripts smalldocs links from a CDN: the maths is MathML already."
    gone = 0
    for tag in soup.select('link[href], script[src]'):
        if (tag.get('href') or tag.get('src') or '').startswith(KATEX_CDN): tag.decompose(); gone += 1
    return gone


def relative_url(url, site_url):
    "nbdev's absolute link to its own docs, made relative (the pages sit side by side in `_docs/`)."
    base = site_url.rstrip('/') + '/'
    return url[len(base):] if site_url and url.startswith(base) else url


def link_signature_comments(soup, site_url):
    "Markdown links nbdev wrote into the comments of a signature block become `<a>` links. Returns how many."
    from bs4 import BeautifulSoup
    n = 0
    for span in soup.select('main pre code span.co'):
        text = span.get_text()
        if not MD_LINK.search(text): continue
        parts, last = [], 0
        for m in MD_LINK.finditer(text):
            parts.append(html.escape(text[last:m.start()], quote=False))
            parts.append(f'<a href="{html.escape(relative_url(m.group(2), site_url))}">{html.escape(m.group(1))}</a>')
            last = m.end(); n += 1
        parts.append(html.escape(text[last:], quote=False))
        span.clear()
        span.append(BeautifulSoup(''.join(parts), 'html.parser'))
    return n


def split_lines(code, soup):
    """Put each line of a code block in a `span.line` with its indent, so CSS can wrap a long line with a
    hanging indent. The newline stays in the text, so copying the code gives it back unchanged. Leaves a
    block alone when a highlighted token crosses a line end."""
    if any('\n' in (c.get_text() if hasattr(c, 'select') else '') for c in code.children if getattr(c, 'name', None)):
        return False
    lines, cur = [], []
    for child in list(code.children):
        if getattr(child, 'name', None) is None and '\n' in str(child):
            pieces = str(child).split('\n')
            for i, piece in enumerate(pieces):
                if piece: cur.append(piece)
                if i < len(pieces) - 1: lines.append(cur + ['\n']); cur = []
        else: cur.append(child)
    if cur: lines.append(cur)
    code.clear()
    for items in lines:
        line = soup.new_tag('span', attrs={'class': 'line'})
        first = items[0] if items else None
        if getattr(first, 'name', None) and isinstance(first.string, str) and first.string.startswith(' '):
            # the spaces start a highlighted token (a string's continuation line): take them out of it
            text = str(first.string)
            first.string = text.lstrip(' ')
            items = [text[:len(text) - len(text.lstrip(' '))]] + items
        lead = len(items[0]) - len(items[0].lstrip(' ')) if items and isinstance(items[0], str) else 0
        if lead:
            # the leading spaces in a span.indent: CSS shows the indent as padding, capped on a narrow screen (styles.css)
            line['style'] = f'--indent:{lead}ch'
            box = soup.new_tag('span', attrs={'class': 'indent'})
            box.string = items[0][:lead]
            line.append(box)
            items = ([items[0][lead:]] if items[0][lead:] else []) + items[1:]
        for i in items: line.append(i)
        code.append(line)
    return True


def wrap_code_lines(soup):
    "Each code block in the page, line by line (see `split_lines`). Returns how many blocks."
    return sum(split_lines(code, soup) for code in soup.select('main pre > code'))


CHOICES = re.compile(r'\{[\w.-]+(?:,[\w.-]+)+\}')   # a list of choices as argparse prints it: {a,b,c}
OPTION = re.compile(r'(?<![\w-])--[A-Za-z][\w-]*')    # a command-line option: --name


def option_breaks(soup):
    """Command-line text in code blocks wraps where a reader expects: after a comma of a list of choices (a `<wbr>`),
    never inside a choice, and never after the dashes of an option (`--name` in a nowrap span), which a browser
    otherwise breaks like a hyphenated word. Copying the code is unchanged. Returns how many lists and options."""
    n = 0
    for code in soup.select('main pre > code'):
        for text in list(code.find_all(string=lambda t: CHOICES.search(t) or OPTION.search(t))):
            nodes, last = [], 0
            for m in re.finditer(f'{CHOICES.pattern}|{OPTION.pattern}', str(text)):
                nodes.append(str(text)[last:m.start()])
                if m[0].startswith('{'):
                    for i, choice in enumerate(m[0].split(',')):
                        nodes += [soup.new_tag('wbr')] * (i > 0) + [choice + ',' * (i < m[0].count(','))]
                else:
                    box = soup.new_tag('span', attrs={'class': 'code-nowrap'})
                    box.string = m[0]
                    nodes.append(box)
                last, n = m.end(), n + 1
            nodes.append(str(text)[last:])
            text.replace_with(*[x for x in nodes if x != ''])
    return n


def figures_as_files(soup, docs: Path, page: Path):
    "Write each base64 picture to `figures/` (named by its content) and point the `<img>` at the file. Returns how many."
    n = 0
    for img in soup.select('img[src^="data:image/"]'):
        m = re.match(r'data:image/(png|jpeg|gif|svg\+xml);base64,(.*)', img['src'], re.S)
        if not m: continue
        data = base64.b64decode(m.group(2))
        ext = {'svg+xml': 'svg', 'jpeg': 'jpg'}.get(m.group(1), m.group(1))
        name = f'{page.stem}-{hashlib.sha1(data).hexdigest()[:10]}.{ext}'
        (docs / 'figures').mkdir(exist_ok=True)
        (docs / 'figures' / name).write_bytes(data)
        depth = len(page.relative_to(docs).parts) - 1
        img['src'] = '../' * depth + f'figures/{name}'
        if not img.has_attr('alt'): img['alt'] = ''
        n += 1
    return n


def scrolling_tables(soup):
    "Put each table of the page in a `div.table-scroll` (unless already in one) so it scrolls sideways on a phone."
    n = 0
    for table in soup.select('main table'):
        if table.find_parent(class_=['table-scroll', 'table-responsive']): continue
        table.wrap(soup.new_tag('div', attrs={'class': 'table-scroll'})); n += 1
    return n


def scroll_cues(soup):
    """Display formulas and shell commands scroll sideways when wider than the column: give their box the class
    `scroll-cue` (styles.css draws a shadow at the cut edge). Returns how many."""
    boxes = soup.select('main span.math.display') + soup.select('main pre.sourceCode.sh, main pre.sourceCode.bash')
    for box in boxes: box['class'] = list(box.get('class', [])) + ['scroll-cue']
    return len(boxes)


# The icons the pages use, drawn from bootstrap-icons' font (MIT; its LICENSE stays in site_libs/bootstrap-icons)
# as inline SVG: the pages load no icon font. The copy button's `<i class="bi">` is drawn by CSS in smalldocs.css
# (a clipboard, a check once copied); here it becomes one symbol `copy` holding both, each shown by a custom property
# that styles.css switches on the button (custom properties reach into a `<use>`).
ICONS_DIR = 'bootstrap-icons'
COPY = 'copy'
COPY_ICONS = (('clipboard', 'var(--copy-idle, inline)'), ('check', 'var(--copy-done, none)'))


class Icons:
    "Each icon's SVG path, read once from the vendored bootstrap-icons font (its CSS maps names to code points)."
    def __init__(self):
        import smalldocs
        self.dir = Path(smalldocs.__file__).parent / 'assets' / 'vendor' / ICONS_DIR
        self.paths, self._font, self._points = {}, None, None

    def path(self, name):
        "The SVG path of icon `name` in a 300-unit square, y down; None if bootstrap-icons has no such icon."
        if name in self.paths: return self.paths[name]
        from fontTools.pens.svgPathPen import SVGPathPen
        from fontTools.pens.transformPen import TransformPen
        from fontTools.ttLib import TTFont
        if self._font is None:
            import logging
            logging.getLogger('fontTools').setLevel(logging.ERROR)  # "2 extra bytes in post.stringData array"
            self._font = TTFont(self.dir / 'fonts' / 'bootstrap-icons.woff')
            css = (self.dir / 'bootstrap-icons.min.css').read_text(encoding='utf-8')
            self._points = {m.group(1): int(m.group(2), 16)
                            for m in re.finditer(r'\.bi-([a-z0-9-]+)::?before\{content:"\\([0-9a-f]+)"', css)}
        glyph = self._font.getBestCmap().get(self._points.get(name, -1))
        if glyph is None: self.paths[name] = None; return None
        glyphs = self._font.getGlyphSet()
        pen = SVGPathPen(glyphs, ntos=lambda v: str(round(v)))
        upem = self._font['head'].unitsPerEm
        glyphs[glyph].draw(TransformPen(pen, (1, 0, 0, -1, 0, upem)))  # the font's y up, SVG's y down
        self.paths[name] = (pen.getCommands(), upem)
        return self.paths[name]


ICONS = None


def _icon_svg(soup, name, classes):
    svg = soup.new_tag('svg', attrs={'class': ' '.join(classes), 'aria-hidden': 'true'})
    svg.append(soup.new_tag('use', attrs={'href': f'#bi-{name}'}))
    return svg


def inline_icons(soup):
    """Each `<i class="bi bi-NAME">` of the page as an `<svg>` using a symbol defined once at the top of the body;
    the link to the icon font's stylesheet goes. Returns how many icons."""
    global ICONS
    ICONS = ICONS or Icons()
    used, n = [], 0
    for i in soup.select('i.bi'):
        classes = [c for c in i.get('class', [])]
        names = [c[3:] for c in classes if c.startswith('bi-')]
        if not names and i.find_parent(class_='code-copy-button'): names = [COPY]
        drawn = [nm for nm in names if nm == COPY or ICONS.path(nm)]
        if not drawn: continue
        for nm in drawn:
            keep = [c for c in classes if not c.startswith('bi-')] + [f'bi-{nm}']
            i.insert_before(_icon_svg(soup, nm, keep))
            if nm not in used: used.append(nm)
        i.decompose(); n += 1
    for link in soup.select('link[rel~="stylesheet"][href]'):
        if f'{ICONS_DIR}/' in link['href']: link.decompose()
    if used and soup.body:
        sprite = soup.new_tag('svg', attrs={'aria-hidden': 'true', 'width': '0', 'height': '0',
                                            'style': 'position:absolute;width:0;height:0;overflow:hidden'})
        for nm in used:
            parts = [(ICONS.path(icon), show) for icon, show in COPY_ICONS] if nm == COPY else [(ICONS.path(nm), None)]
            sym = soup.new_tag('symbol', attrs={'id': f'bi-{nm}', 'viewBox': f'0 0 {parts[0][0][1]} {parts[0][0][1]}'})
            for (d, _), show in parts:
                sym.append(soup.new_tag('path', attrs={'d': d, **({'style': f'display:{show}'} if show else {})}))
            sprite.append(sym)
        soup.body.insert(0, sprite)
    return n


# minigd's own script for the site: search ranks exact matches first (tools/site_assets/search_rank.js)
SITE_SCRIPTS = ('search_rank.js',)
ASSETS = Path(__file__).resolve().parent / 'site_assets'


def add_scripts(soup, page: Path, docs: Path):
    "Link minigd's scripts (copied to site_libs/minigd/ by `fix_site`) right after Fuse, the search library. Returns how many."
    fuse = soup.select_one('script[src$="fuse/fuse.min.js"]')
    if fuse is None: return 0
    depth = len(page.relative_to(docs).parts) - 1
    for name in reversed(SITE_SCRIPTS):
        fuse.insert_after(soup.new_tag('script', attrs={'src': '../' * depth + f'site_libs/minigd/{name}'}))
    return len(SITE_SCRIPTS)


def mobile_toc(soup):
    "Copy the margin's table of contents into a `<details>` at the top of the page, shown on narrow screens only."
    toc = soup.select_one('#TOC > ul')
    main = soup.select_one('main')
    if toc is None or main is None or soup.select_one('details.mobile-toc'): return 0
    details = soup.new_tag('details', attrs={'class': 'mobile-toc'})
    summary = soup.new_tag('summary'); summary.string = 'On this page'
    details.append(summary)
    copy = soup.new_tag('ul')
    for li in toc.find_all('li', recursive=False): copy.append(_copy_toc_item(li, soup))
    details.append(copy)
    header = main.select_one('#title-block-header')
    if header: header.insert_after(details)
    else: main.insert(0, details)
    return 1


def _copy_toc_item(li, soup):
    "One entry of the table of contents, copied without its ids (so that the page keeps unique ids)."
    from bs4 import BeautifulSoup
    item = BeautifulSoup(str(li), 'html.parser')
    for tag in item.find_all(True):
        for attr in ('id', 'data-scroll-target'): tag.attrs.pop(attr, None)
    return item


def fix_page(path: Path, docs: Path, site_url: str):
    "Every HTML fix, on one page. Returns the counts."
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(path.read_text(encoding='utf-8'), 'html.parser')
    counts = dict(maths=typeset_maths(soup), katex_links=drop_katex(soup),
                  signature_links=link_signature_comments(soup, site_url), code_blocks=wrap_code_lines(soup),
                  command_words=option_breaks(soup),
                  figures=figures_as_files(soup, docs, path), tables=scrolling_tables(soup), mobile_toc=mobile_toc(soup),
                  scroll_cues=scroll_cues(soup), icons=inline_icons(soup), scripts=add_scripts(soup, path, docs))
    path.write_text(str(soup), encoding='utf-8')
    return counts


def drop_remote_imports(docs: Path):
    "Remove `@import url(https://...)` (the cosmo theme's Google Fonts) from the site's stylesheets. Returns the files changed."
    changed = []
    for css in docs.rglob('*.css'):
        text = css.read_text(encoding='utf-8')
        new = REMOTE_IMPORT.sub('', text)
        if new != text: css.write_text(new, encoding='utf-8'); changed.append(css.name)
    return changed


def tex_symbol(m):
    "`\\theta` as θ (latex2mathml's table); a command it does not know (`\\log`, `\\left`) as its name or nothing."
    from latex2mathml.symbols_parser import convert_symbol
    name = m.group(0)
    if name in ('\\left', '\\right', '\\big', '\\Big'): return ''
    if name in ('\\quad', '\\qquad'): return ' '
    code = convert_symbol(name)
    if code: return chr(int(code, 16))
    return name[1:] if name[1:] in TEX_WORDS else name


TEX_WORDS = {'log', 'exp', 'sin', 'cos', 'tan', 'min', 'max', 'arg', 'lim', 'sum', 'dots'}


def _matrix_as_text(m):
    "A pmatrix as `[a, b; c, d]`."
    rows = [r.strip() for r in re.split(r'\\{1,2}(?![a-zA-Z])', m.group(1)) if r.strip()]
    return '[' + '; '.join(', '.join(c.strip() for c in r.split('&')) for r in rows) + ']'


def tex_as_text(s):
    """What smalldocs put in the search index is the TeX of each formula, without delimiters: write it as plain
    text (`\\frac{a}{b}` as a/b, `\\theta` as θ). Only TeX commands change, so code in the index keeps its braces."""
    s = re.sub(r'\\[\(\[](.*?)\\[\)\]]', r'\1', s, flags=re.S)
    s = re.sub(r'\\begin\{[pbvB]?matrix\}(.*?)\\end\{[pbvB]?matrix\}', _matrix_as_text, s, flags=re.S)
    s = re.sub(r'\\binom\{([^{}]*)\}\{([^{}]*)\}', r'C(\1, \2)', s)
    s = re.sub(r'\\[dt]?frac(\w)(\w)', r'\1/\2', s)
    for _ in range(3):  # nested fractions, innermost first
        s = re.sub(r'\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}', r'(\1)/(\2)', s)
    s = re.sub(r'\\bar\s*(\w)', '\\1\u0304', s)  # x̄
    s = re.sub(r'\\hat\s*(\w)', '\\1\u0302', s)  # x̂
    s = re.sub(r'\\(?:text|mathrm|mathbf|operatorname|bar|hat|overline|underbrace)\{([^{}]*)\}', r'\1', s)
    s = re.sub(r'([\^_])\{([^{}]*)\}', r'\1\2', s)
    s = re.sub(r'\\[a-zA-Z]{2,}', tex_symbol, s)
    return re.sub(r'\\[,;!: ]', ' ', s)


def plain_search_text(s):
    "Search text as a reader reads it: Markdown links as their text, TeX as plain text."
    return tex_as_text(MD_LINK.sub(r'\1', s))


def fix_search(docs: Path):
    "Clean `search.json`'s titles, sections and texts. Returns how many entries changed."
    path = docs / 'search.json'
    if not path.exists(): return 0
    entries, n = json.loads(path.read_text(encoding='utf-8')), 0
    for e in entries:
        for k in ('title', 'section', 'text'):
            if isinstance(e.get(k), str) and (new := plain_search_text(e[k])) != e[k]: e[k] = new; n += 1
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding='utf-8')
    return n


def drop_icon_font(docs: Path):
    "Remove bootstrap-icons' font and stylesheet from `site_libs` (no page links them now), keeping its LICENSE. Returns the bytes removed."
    gone = 0
    for f in (docs / 'site_libs' / ICONS_DIR).rglob('*'):
        if f.is_file() and f.name != 'LICENSE': gone += f.stat().st_size; f.unlink()
    for d in sorted((docs / 'site_libs' / ICONS_DIR).rglob('*'), reverse=True):
        if d.is_dir() and not any(d.iterdir()): d.rmdir()
    return gone


def fix_site(docs: Path, site_url: str):
    "Every fix on the rendered site. Returns a summary line for the log."
    total = {}
    for page in sorted(docs.rglob('*.html')):
        if 'site_libs' in page.parts: continue
        for k, v in fix_page(page, docs, site_url).items(): total[k] = total.get(k, 0) + v
    css = drop_remote_imports(docs)
    search = fix_search(docs)
    icon_font = drop_icon_font(docs)
    mine = docs / 'site_libs' / 'minigd'
    mine.mkdir(parents=True, exist_ok=True)
    for name in SITE_SCRIPTS: shutil.copy(ASSETS / name, mine / name)
    return (f"{total.get('maths', 0)} maths expression(s) as MathML, {total.get('katex_links', 0)} CDN link(s) removed, "
            f"{total.get('signature_links', 0)} link(s) in signatures, {total.get('code_blocks', 0)} code block(s) split in lines, "
            f"{total.get('command_words', 0)} option(s) and list(s) of choices kept whole, "
            f"{total.get('figures', 0)} figure(s) as files, {total.get('tables', 0)} table(s) made scrollable, "
            f"{total.get('scroll_cues', 0)} scrolling box(es) cued, {total.get('icons', 0)} icon(s) as inline SVG "
            f"(icon font and its CSS removed: {icon_font // 1000} kB), "
            f"remote @import removed from {', '.join(css) or 'no stylesheet'}, {search} search entr(y/ies) cleaned")
