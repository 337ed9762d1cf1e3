"""The text of generated code: literals, products, sums into a gradient, lines that fit.

Pure functions from strings to strings, shared by ``writer.py``, ``arguments.py``
and ``wide.py``: nothing here knows about graphs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def tuple_of(items: Sequence[str]) -> str:
    """``(a, b)``, or ``(a,)`` for one item: a tuple written out."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def literal(number: float) -> str:
    """A float as Python source: ``2.0``, ``-0.5``, ``inf``, ``nan``."""
    number = float(number)
    if number != number:
        return "nan"
    if number in (math.inf, -math.inf):
        return "inf" if number > 0 else "-inf"
    return repr(number)


def comment(label: object) -> str:
    """A node's label as a comment line (on one line, whatever the label holds)."""
    return "# " + " ".join(str(label).split())


def term(d: str, g: str | None) -> str:
    """local derivative × upstream gradient as source; g None is the output's gradient, 1.0."""
    if g is None:
        return d
    if d == "1.0":
        return g  # 1.0 * g is g, bit for bit (and nan stays nan)
    if d == "-1.0":
        return f"-{g}"
    return f"({d}) * {g}" if " " in d and _has_top_level_space(d) else f"{d} * {g}"


def accumulate(target: str, product: str, assigned: bool) -> str:
    """``g7 = …`` for the first term into a gradient, then ``g7 += …`` (``g7 -= g3`` for −g3)."""
    if not assigned:
        return f"{target} = {product}"  # the first term, as gradients() stores it
    if product[0] == "-" and product[1:].isidentifier():
        return f"{target} -= {product[1:]}"
    return f"{target} += {product}"


def _has_top_level_space(expression: str) -> bool:
    depth = 0
    for ch in expression:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == " " and depth == 0:
            return True
    return False


def zeros(names: Sequence[str]) -> list[str]:
    """``(G1, G2) = (0.0,) * 2``: the totals of g.sum, started at 0.0."""
    return wrap(f"{tuple_of(names)} = {tuple_of(['0.0'])} * {len(names)}") if names else []


def indent(lines: Sequence[str], prefix: str, width: int = 100) -> list[str]:
    """Each line after ``prefix``, wrapped to ``width``."""
    indented = []
    for line in lines:
        line = prefix + line
        if len(line) <= width:  # most lines: no need to look for where to break them
            indented.append(line)
        else:
            indented += wrap(line, width)
    return indented


def wrap(line: str, width: int = 100) -> list[str]:
    """``line`` broken after commas (and before ``and``) inside brackets, to fit ``width``.

    Each line is filled as far as it goes; the next is indented four more
    spaces. A comment (after ``"  # "``) is left whole, at the end of the last line.
    """
    if len(line) <= width or line.lstrip().startswith("#"):
        return [line]
    line, _, comment = line.partition("  # ")
    pad = " " * (len(line) - len(line.lstrip()) + 4)
    lines, start, prefix, depth = [], 0, "", 0
    while len(prefix) + len(line) - start > width:
        cut = _last_break(line, start, start + width - len(prefix), depth)
        if cut is None:
            break
        end, after = cut
        lines.append(prefix + line[start:end])
        depth += _depth(line[start:after])
        start, prefix = after, pad
    return lines + [prefix + line[start:] + (f"  # {comment}" if comment else "")]


def _last_break(line: str, start: int, limit: int, depth: int) -> tuple[int, int] | None:
    """``(end, next start)`` of the last break inside brackets whose line ends by ``limit``.

    A break is after ``", "``'s comma or before ``" and "``; when none fits,
    the first one after ``limit`` (a line longer than the width, rather than none).
    ``depth``: how many brackets are open at ``start``.
    """
    best = None
    for mark, keep in ((", ", 1), (" and ", 0)):
        at = line.rfind(mark, start + 1, limit - keep + len(mark))
        while at > start and depth + _depth(line[start:at]) == 0:
            at = line.rfind(mark, start + 1, at)
        if at > start and (best is None or at + keep > best[0]):
            best = (at + keep, at + 1 + keep)
    if best is None:
        later = [line.find(mark, limit) for mark in (", ", " and ")]
        later = [at for at in later if at > 0 and depth + _depth(line[start:at]) > 0]
        if later:
            at = min(later)
            keep = 1 if line.startswith(", ", at) else 0
            best = (at + keep, at + 1 + keep)
    return best


def _depth(text: str) -> int:
    """How many more brackets ``text`` opens than it closes."""
    return (text.count("(") + text.count("[") + text.count("{")
            - text.count(")") - text.count("]") - text.count("}"))
