#!/usr/bin/env python3
"""Build minigd's documentation site into `_docs/` and regenerate `README.md` from `nbs/index.ipynb`.

    python tools/build_docs.py               # the site and the README
    python tools/build_docs.py --readme      # the README only
    python tools/build_docs.py --no-quarto   # the path without Quarto, even where quarto is on PATH

Where `quarto` is on PATH this runs nbdev's own `nbdev_docs`, exactly as an nbdev project does, and
writes the README as below (nbconvert), so that it is the same with and without Quarto. Where it is not (our machines and CI: no package registry carries Quarto, and nbdev's
commands would try to `sudo`-install it), it does what `nbdev_proc_nbs` does minus the installer
(`refresh_quarto_yml`, the module index, `nbdev_sidebar`, `proc_nbs`), renders `_proc/` with smalldocs,
which reads the same `_quarto.yml`, `nbdev.yml` and `sidebar.yml`, and writes the README with
nbconvert's Markdown exporter. Run it from anywhere inside the repository, with the dev requirements
installed (`pip install -e '.[dev]'`).
"""
import argparse, os, posixpath, re, shutil, sys, time
from pathlib import Path, PurePosixPath


def log(msg): print(f"build_docs: {msg}", flush=True)


def with_quarto(readme_only: bool):
    "The standard nbdev path: Quarto renders the site; the README is written as without Quarto, so it is the same on every machine."
    from nbdev.config import get_config
    from nbdev.quarto import nbdev_docs
    if not readme_only: nbdev_docs.__wrapped__()
    # Quarto's `nbdev_readme` writes a slightly different Markdown from nbconvert's; CI (which has no Quarto)
    # compares README.md with the nbconvert one, so both paths write that one.
    cfg = get_config()
    write_readme(proc_nbs(cfg), cfg)


def proc_nbs(cfg):
    "What `nbdev_proc_nbs` does, minus `_ensure_quarto` (which would try to install Quarto with sudo)."
    import nbdev.doclinks
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.serve import proc_nbs
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
    # force: start from an empty _proc, so a notebook that was deleted or renamed leaves no stale page
    try: return Path(proc_nbs(cfg.nbs_path, force=True))
    except Exception as e:
        # nbdev runs each exported cell, each cell with an import, and each show_doc, to render the docs;
        # a cell that mixes an import with code using the notebook's other state fails here (and in nbdev_docs)
        sys.exit(f"build_docs: nbdev could not process the notebooks for the docs:\n{e}\n"
                 "nbdev runs every exported cell and every cell that imports something (nbdev's FAQ: keep imports "
                 "in cells of their own).")


# ------------------------------------------------------------------ the site, with smalldocs

# What smalldocs says about nbdev's standard _quarto.yml that needs no action: Quarto uses the
# commonmark format and keep-md only to keep a Markdown copy of each page, and we honour output-file.
KNOWN = ("format commonmark is not built", "format.html.keep-md is ignored", "output-file is not read by smalldocs",
         # theme-offline.scss is for Quarto (it turns off cosmo's web font); site_fixes removes that import here
         "theme theme-offline.scss: smalldocs compiles no Sass",
         # MathML is what site_fixes makes of the maths, as Quarto does with this option
         "html-math-method")


def nbdev_site_class():
    "smalldocs' `Site`, taught nbdev's page names and nbdev's absolute links to its own docs."
    from smalldocs.site import Site

    class NbdevSite(Site):
        def read(self, src):
            # nbdev names each page with `output-file` (00_vector.ipynb -> vector.html) and links to
            # `vector.html#add`; smalldocs would write 00_vector.html, so use the name Quarto uses.
            page = super().read(src)
            out = page.front.get('output-file')
            if out: page.out = PurePosixPath(posixpath.normpath(str(src.parent / str(out))))
            return page

        def find_page(self, target):
            # a link to a page by its output name (`vector.html`) finds the page too
            found = super().find_page(target)
            if found is None: found = next((p for p in self.pages.values() if p.out == target), None)
            return found

        def resolve(self, href, page, record=True):
            # nbdev writes links to its own symbols as absolute URLs on the published site
            # (https://minigd.github.io/minigd/vector.html#add); make them relative, as the pages are
            # right here, so that the site works offline and the link check can follow them.
            base = str(self.project.website.get('site-url') or '').rstrip('/') + '/'
            if base != '/' and href.startswith(base): href = '/' + href[len(base):]
            return super().resolve(href, page, record)

    return NbdevSite


def render_site(cache: Path, cfg):
    "Render the processed notebooks in `cache` with smalldocs into the `doc_path` folder."
    try: from smalldocs.config import load
    except ImportError:
        sys.exit("build_docs: smalldocs is not installed (it needs Python 3.11 or newer): pip install -e '.[dev]' "
                 "on Python 3.11+, or install Quarto")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import site_fixes  # tools/site_fixes.py
    log(f"fixed the processed notebooks: {site_fixes.fix_proc(cache, cfg.lib_name)}")
    site = nbdev_site_class()(load(cache), quiet=True)
    dest = Path(cfg.doc_path)
    if dest.exists(): shutil.rmtree(dest)  # also what nbdev_docs does, so a Quarto build leaves nothing behind
    site.out = dest
    n = site.build()
    for w in site.warnings:
        if not any(k in w for k in KNOWN): log(f"smalldocs warning: {w}")
    log(f"wrote {n} page(s) to {dest}: {', '.join(sorted(str(p.out) for p in site.pages.values()))}")
    log(f"fixed the site: {site_fixes.fix_site(dest, str(site.project.website.get('site-url') or ''))}")
    return site


# ------------------------------------------------------------------ the README, with nbconvert

def _front_matter(cell):
    import yaml
    m = re.match(r"^---\n(.*?)\n---\s*$", cell.source.strip() + "\n", re.S)
    return yaml.safe_load(m.group(1)) if m else None


def _cell_options(src):
    "Quarto's `#| key: value` lines at the top of a code cell, and the code without them."
    import yaml
    lines, opts = src.split('\n'), []
    while lines and lines[0].startswith('#|'): opts.append(lines.pop(0)[2:].strip())
    try: parsed = yaml.safe_load('\n'.join(opts)) if opts else {}
    except yaml.YAMLError: parsed = {}
    return (parsed if isinstance(parsed, dict) else {}), '\n'.join(lines)


def readme_notebook(path: Path):
    "The processed index notebook, made ready for a plain exporter: the title block as a heading, Quarto's cell options applied."
    import nbformat
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == 'raw':
            fm = _front_matter(cell)
            if fm is not None:  # proc_nbs turned `# Title` + `> summary` into front matter; turn it back
                md = f"# {fm.get('title', '')}".rstrip()
                if fm.get('description'): md += f"\n\n> {fm['description']}"
                cells.append(nbformat.v4.new_markdown_cell(md))
                continue
        if cell.cell_type == 'code':
            opts, cell.source = _cell_options(cell.source)
            if opts.get('include') is False: continue
            if opts.get('echo') is False: cell.metadata['transient'] = {'remove_source': True}
            if opts.get('output') is False: cell.outputs = []
            if not cell.source.strip() and not cell.outputs: continue
            if opts.get('fig-alt'):  # the alt text of the cell's picture, for write_readme
                cell.metadata['readme_alt'] = str(opts['fig-alt'])
        cells.append(cell)
    nb.cells = cells
    nb.metadata.setdefault('language_info', {'name': 'python'})  # nbdev_clean drops it; the code fences want it
    return nb


def write_readme(cache: Path, cfg):
    "Write README.md from the processed index notebook with nbconvert's Markdown exporter, pictures in `index_files/`."
    from nbconvert import MarkdownExporter
    from nbconvert.writers import FilesWriter
    nb_name = cfg.get('readme_nb', 'index.ipynb')
    src = cache / nb_name
    if not src.exists():
        log(f"no {cfg.nbs_path.name}/{nb_name}: README.md left as it is")
        return
    stem = Path(nb_name).stem
    exporter = MarkdownExporter()
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    nb = readme_notebook(src)
    body, resources = exporter.from_notebook_node(nb, resources={'unique_key': stem, 'output_files_dir': f'{stem}_files'})
    # the exporter writes every picture as `![png](...)`: give each the alt text of its cell's `#| fig-alt:`
    for i, cell in enumerate(nb.cells):
        alt = cell.get('metadata', {}).get('readme_alt')
        if alt:
            picture = rf'!\[[^\]]*\]\(({re.escape(stem)}_files/{re.escape(stem)}_{i}_\d+\.\w+)\)'
            body = re.sub(picture, lambda m: f"![{alt.replace(']', '')}]({m.group(1)})", body)
    files_dir = cfg.config_path / f'{stem}_files'
    if files_dir.exists(): shutil.rmtree(files_dir)
    body = re.sub(r'^[ \t]+$', '', body, flags=re.M)  # the exporter leaves blank lines of spaces around pictures
    body = re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    FilesWriter(build_directory=str(cfg.config_path)).write(body, resources, notebook_name='README')
    extra = f" and {len(resources.get('outputs', {}))} picture(s) in {files_dir.name}/" if resources.get('outputs') else ""
    log(f"wrote README.md from {cfg.nbs_path.name}/{nb_name}{extra}")


def without_quarto(readme_only: bool):
    from nbdev.config import get_config
    cfg = get_config()
    t = time.time()
    cache = proc_nbs(cfg)
    log(f"processed the notebooks into {cache.name}/ ({time.time() - t:.1f} s)")
    write_readme(cache, cfg)
    if not readme_only:
        t = time.time()
        render_site(cache, cfg)
        log(f"rendered the site with smalldocs ({time.time() - t:.1f} s)")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--readme', action='store_true', help='regenerate README.md only, not the site')
    p.add_argument('--no-quarto', action='store_true', help='build without Quarto even where it is installed (as CI does)')
    args = p.parse_args(argv)
    from nbdev.config import get_config
    os.chdir(get_config().config_path)  # nbdev's commands and nbdev.yml's output-dir are relative to the project
    start = time.time()
    if shutil.which('quarto') and not args.no_quarto:
        log("quarto is on PATH: nbdev_readme and nbdev_docs")
        with_quarto(args.readme)
    else:
        log("no quarto on PATH: nbdev's notebook processing, smalldocs for the site, nbconvert for the README")
        without_quarto(args.readme)
    log(f"done in {time.time() - start:.1f} s")


if __name__ == '__main__': main()
