#!/usr/bin/env python3
"""The house rules of the minigd package, checked on minigd/*.py.

Limits (each breach prints a FAIL line): a module imports only modules of lower notebook numbers (its
floor), no import circle, no `_private` name imported across modules, modules of at most 400 code lines
and functions of at most 60 lines, lines of at most 110 characters (nbdev's generated `__all__` too:
nbdev 2.4.14 wraps it at 120, so write the modules with `python tools/export.py`, which wraps it at 110),
one statement per line (`a; b` and `if x: y` alike), the lesson
notebook 03 imports only 00-02, and `from minigd import fit` works.
Guidance (printed as NOTE lines): modules around 300 code lines, functions around 40.
Prints the notes, the problems and a summary line; exits 1 if there is any problem.

    python tools/house.py [project root, default: the current folder]
"""
import ast
import importlib
import re
import sys
from pathlib import Path

PACKAGE = 'minigd'
MAX_LINE = 110
MODULE_LIMIT, MODULE_GUIDE = 400, 300  # code lines
FUNCTION_LIMIT, FUNCTION_GUIDE = 60, 40  # lines, from `def` to the end
LESSON, LESSON_TOP = 3, 2  # notebook 03 imports only notebooks up to 02
EXPORT_HINT = " (nbdev's __all__: write the modules with python tools/export.py)"
NOTEBOOK = re.compile(r'File to edit: \.\./nbs/(\d+)_')


class Module:
    "One module of the package: its syntax tree, notebook number and sizes."

    def __init__(self, path):
        self.path = path
        self.name = path.stem
        self.source = path.read_text()
        self.tree = ast.parse(self.source)
        found = NOTEBOOK.search(self.source)
        self.notebook = int(found.group(1)) if found else None
        lines = self.source.splitlines()
        self.code_lines = sum(1 for l in lines if l.strip() and not l.lstrip().startswith('#'))
        generated = generated_lines(self.tree)
        self.long_lines = [(i, len(l), i in generated) for i, l in enumerate(lines, 1) if len(l) > MAX_LINE]


def generated_lines(tree):
    "The lines of the `__all__` that nbdev writes (nbdev_export wraps it at 120, tools/export.py at 110)."
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, 'id', None) for t in node.targets] == ['__all__']:
            return set(range(node.lineno, node.end_lineno + 1))
    return set()


def read_modules(root):
    "The package's public modules by name, skipping `_private` ones such as `_modidx`."
    paths = sorted((root / PACKAGE).glob('*.py'))
    return {p.stem: Module(p) for p in paths if not p.stem.startswith('_')}


def after_colon(tree, lines):
    "Line numbers of a statement written after a colon on the line of its `if`, `for`, `else`, `try`, `def`..."
    packed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            before = lines[node.lineno - 1][:node.col_offset]
            if before.strip().endswith(':'):
                packed.add(node.lineno)
    return packed


def packed_lines(tree, lines=None):
    "Line numbers on which one block holds more than one statement (`a; b`), or one follows a colon."
    packed = after_colon(tree, lines) if lines is not None else set()
    for node in ast.walk(tree):
        for field in ('body', 'orelse', 'finalbody'):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            starts = [st.lineno for st in block if isinstance(st, ast.stmt)]
            packed |= {n for n in starts if starts.count(n) > 1}
    return packed


def imported(node, names):
    "The package's modules an import statement reaches and the names it takes from a single module."
    if isinstance(node, ast.Import):
        mods = [a.name.split('.')[1] for a in node.names if a.name.startswith(PACKAGE + '.')]
        return mods, None
    if node.level == 1 and node.module:
        return [node.module.split('.')[0]], node.module.split('.')[0]
    if node.module and node.module.startswith(PACKAGE + '.'):
        return [node.module.split('.')[1]], node.module.split('.')[1]
    if (node.level == 1 and not node.module) or node.module == PACKAGE:
        # `from . import x` or `from minigd import x`: x counts when it is a module
        return [a.name for a in node.names if a.name in names], None
    return [], None


def read_imports(module, names):
    "The package's modules `module` imports (anywhere in it) and the private names it takes from them."
    deps, private = set(), []
    for node in ast.walk(module.tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        mods, source = imported(node, names)
        deps.update(mods)
        if source:
            taken = [a.name for a in node.names if a.name.startswith('_')]
            private += [f'{module.name} takes {source}.{name}' for name in taken]
    return {d for d in deps if d in names and d != module.name}, private


def function_sizes(module):
    "Functions and methods as (`module.function`, lines from `def` to the end), in the tree's order."
    functions = (n for n in ast.walk(module.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return [(f'{module.name}.{f.name}', f.end_lineno - f.lineno + 1) for f in functions]


def cycle_from(graph, start):
    "A path of imports that leads from `start` back to it, or None."
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph[node]:
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def circles(graph):
    "The import circles, each as the sorted names of its modules."
    found = (cycle_from(graph, name) for name in graph)
    return sorted({tuple(sorted(set(c))) for c in found if c})


def floors_run_up(graph, mods):
    "Imports of a module from the same or a higher notebook number."
    problems = []
    for a in graph:
        for b in sorted(graph[a]):
            na, nb = mods[a].notebook, mods[b].notebook
            if na is not None and nb is not None and nb >= na:
                problems.append(f'{a} (notebook {na:02d}) imports {b} (notebook {nb:02d}): a floor runs up')
    return problems


def lesson_problems(graph, mods):
    "The lesson notebook's module may import only the notebooks before it."
    lesson = next((m for m in mods if mods[m].notebook == LESSON), None)
    if lesson is None:
        return []
    numbers = [mods[d].notebook for d in graph[lesson]]
    if any(n is None or n > LESSON_TOP for n in numbers):
        return [f'{lesson} ({LESSON:02d}) imports {sorted(graph[lesson])}']
    return []


def import_problems(root):
    "`from minigd import fit` must work from the project's root."
    sys.path.insert(0, str(root.resolve()))
    try:
        package = importlib.import_module(PACKAGE)
    except Exception as e:
        return [f'import {PACKAGE} failed: {e}']
    if not callable(getattr(package, 'fit', None)):
        return [f'`from {PACKAGE} import fit` does not work']
    return []


def check(root):
    "Print the notes, the problems and a summary; return the number of problems."
    mods = read_modules(root)
    graph, private = {}, []
    for name, module in mods.items():
        graph[name], taken = read_imports(module, mods)
        private += taken
    functions = [f for m in mods.values() for f in function_sizes(m)]
    long_functions = [f'{name} {n} lines' for name, n in functions if n > FUNCTION_LIMIT]
    guide_functions = [f'{name} {n}' for name, n in functions if FUNCTION_GUIDE < n <= FUNCTION_LIMIT]
    long_lines = [f'{m.path.relative_to(root)}:{i} {n} characters' + (EXPORT_HINT if generated else '')
                  for m in mods.values() for i, n, generated in m.long_lines]
    packed = sorted({f'{m.path.relative_to(root)}:{n}' for m in mods.values() for n in packed_lines(m.tree, m.source.splitlines())})
    cycles = circles(graph)

    problems = [f'import circle: {" <-> ".join(c)}' for c in cycles]
    problems += floors_run_up(graph, mods)
    problems += [f'private name crosses modules: {p}' for p in private]
    problems += [f'module over {MODULE_LIMIT} code lines: {name} {m.code_lines}'
                 for name, m in mods.items() if m.code_lines > MODULE_LIMIT]
    problems += [f'function over {FUNCTION_LIMIT} lines: {f}' for f in long_functions]
    problems += [f'line over {MAX_LINE} characters: {line}' for line in long_lines]
    problems += [f'statements packed on one line: {line}' for line in packed]
    problems += lesson_problems(graph, mods)
    problems += import_problems(root)
    notes = [f'module over {MODULE_GUIDE} code lines (guidance): {name} {m.code_lines}'
             for name, m in mods.items() if m.code_lines > MODULE_GUIDE]
    notes += [f'function over {FUNCTION_GUIDE} lines (guidance): {f}' for f in guide_functions]

    for note in notes:
        print('NOTE', note)
    for problem in problems:
        print('FAIL', problem)
    biggest = max((m.code_lines for m in mods.values()), default=0)
    print(f'house: {len(mods)} modules, biggest {biggest} code lines, {len(cycles)} circles, '
          f'{len(private)} private imports, {len(long_lines)} lines > {MAX_LINE} characters, '
          f'{len(packed)} packed lines, {len(long_functions)} functions > {FUNCTION_LIMIT} lines, '
          f'{len(guide_functions)} of {FUNCTION_GUIDE + 1}-{FUNCTION_LIMIT}, {len(problems)} problems')
    return len(problems)


if __name__ == '__main__':
    sys.exit(1 if check(Path(sys.argv[1] if len(sys.argv) > 1 else '.')) else 0)
