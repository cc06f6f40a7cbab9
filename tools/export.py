#!/usr/bin/env python3
"""`nbdev_export` with the house's line length: the modules from the notebooks, `__all__` wrapped at 110.

nbdev 2.4.14 wraps the `__all__` it writes at 120 characters, a width no setting changes, and the house
allows 110. This runs nbdev's own export with nbdev's own wrapper narrowed to fit, so every line of `minigd/`
is the house's.
Run it from the repository's root, in place of `nbdev_export`:

    python tools/export.py
"""
import textwrap

import nbdev.maker
from nbdev.doclinks import nbdev_export

MAX_LINE = 110   # the house's longest line (tools/house.py)
PREFIX = '__all__ = '   # what nbdev writes before the wrapped list's first line


class HouseWrapper(textwrap.TextWrapper):
    "nbdev's wrapper of `__all__`, at the house's width once nbdev puts `PREFIX` before it."
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, 'width': MAX_LINE - len(PREFIX)})


def main():
    if getattr(nbdev.maker, 'TextWrapper', None) is not textwrap.TextWrapper:
        raise SystemExit("tools/export.py: nbdev.maker no longer wraps __all__ with textwrap.TextWrapper; "
                         "check how this nbdev version writes it")
    nbdev.maker.TextWrapper = HouseWrapper
    nbdev_export.__wrapped__()   # the function behind the command, with the command's defaults


if __name__ == '__main__':
    main()
