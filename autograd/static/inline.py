"""How generated code computes each op: inline arithmetic for the common ops, a call otherwise.

``INLINE`` writes the common ops (``+ - * /``, ``**`` with a constant
exponent, ``exp log tanh sigmoid relu sqrt``, ``sum``, ``dot``) as Python
expressions with the same arithmetic as their rules in ``core/ops.py``, on
the operands' expressions ``a`` (names or literals) and the node's own name
``out``. Every other op, including ops registered at run time, is written as
a call of its entry of the table (``table_call``). ``HELPERS`` are the names
the generated code finds in its namespace.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..core import ieee
from ..core.ops import OPS, Op, as_is, one_list, positional
from ..core.value import Value
from .source import literal, term, tuple_of


class _Miss:
    def __repr__(self) -> str:
        return "MISS"


MISS = _Miss()  # what generated code returns for arguments of another structure

# The op table's IEEE-safe float functions, by the short names generated code uses.
HELPERS = {"mul": operator.mul, "add": operator.add, "repeat": itertools.repeat,
           "fdiv": ieee.fdiv, "fpow": ieee.fpow, "fexp": ieee.fexp, "flog": ieee.flog,
           "fsqrt": ieee.fsqrt, "fsigmoid": ieee.fsigmoid, "tanh": math.tanh,
           "inf": math.inf, "nan": math.nan, "MISS": MISS}


def _dot_forward(a: Sequence[str], out: str) -> str:
    # b + Σ wᵢxᵢ, as sum(map(mul, w, x), b): the same additions
    n = len(a) // 2
    return f"sum({tuple_of([f'{w} * {x}' for w, x in zip(a[:n], a[n:2 * n])])}, {a[2 * n]})"


def _dot_partial(a: Sequence[str], out: str, k: int) -> str:  # d/dwᵢ = xᵢ, d/dxᵢ = wᵢ, d/db = 1
    n = len(a) // 2
    return a[k + n] if k < n else a[k - n] if k < 2 * n else "1.0"


def _pow_partial(a: Sequence[str], out: str, k: int) -> str:
    # d/dx x^c = c·x^(c−1), and 0 when c = 0, as in the table's pow rule
    c = float(a[1])
    return "0.0" if c == 0 else f"{literal(c)} * fpow({a[0]}, {literal(c - 1)})"


# The ops whose local derivative the table masks (ops.MASKED): their term local × g is
# written as PyTorch's where(mask, 0, g), so that it is 0 even where g is inf or nan.
MASKED_TERMS: dict[str, Callable[[Sequence[str], str, int, str], str | None]] = {
    "relu": lambda a, out, k, g: f"({g} if not {a[0]} <= 0 else 0.0)",
    "pow": lambda a, out, k, g: "0.0" if float(a[1]) == 0 else None,  # x ** 0
}


Rule = tuple[Callable[[Sequence[str], str], str], Callable[[Sequence[str], str, int], str]]

# op name -> (forward expression, local derivative k)
INLINE: dict[str, Rule] = {
    "add": (lambda a, out: f"{a[0]} + {a[1]}", lambda a, out, k: "1.0"),
    "sub": (lambda a, out: f"{a[0]} - {a[1]}", lambda a, out, k: ("1.0", "-1.0")[k]),
    "mul": (lambda a, out: f"{a[0]} * {a[1]}", lambda a, out, k: a[1 - k]),
    "div": (lambda a, out: f"fdiv({a[0]}, {a[1]})",
            lambda a, out, k: (f"fdiv(1.0, {a[1]})", f"fdiv(fdiv(-{a[0]}, {a[1]}), {a[1]})")[k]),
    "pow": (lambda a, out: f"fpow({a[0]}, {a[1]})", _pow_partial),  # constant exponent only
    "neg": (lambda a, out: f"-{a[0]}", lambda a, out, k: "-1.0"),
    "exp": (lambda a, out: f"fexp({a[0]})", lambda a, out, k: out),
    "log": (lambda a, out: f"flog({a[0]})", lambda a, out, k: f"fdiv(1.0, {a[0]})"),
    "tanh": (lambda a, out: f"tanh({a[0]})", lambda a, out, k: f"(1.0 - {out}) * (1.0 + {out})"),
    "sigmoid": (lambda a, out: f"fsigmoid({a[0]})", lambda a, out, k: f"{out} * (1.0 - {out})"),
    "relu": (lambda a, out: f"{a[0]} if not {a[0]} <= 0 else 0.0",
             lambda a, out, k: f"0.0 if {a[0]} <= 0 else 1.0"),
    "sqrt": (lambda a, out: f"fsqrt({a[0]})", lambda a, out, k: f"fdiv(1.0, 2.0 * {out})"),
    "sum": (lambda a, out: f"sum({tuple_of(a)}, 0.0)", lambda a, out, k: "1.0"),
    "dot": (_dot_forward, _dot_partial),
}
_BUILT_IN = {name: OPS[name] for name in INLINE}  # an entry replaced at run time is not inlined


def inline_rule(node: Value, flat: Sequence[Any]) -> Rule | None:
    """The inline rule for ``node`` (whose operands are ``flat``), or None to call the table."""
    name = node.op or ""  # (a node made by an op: never a leaf)
    if _BUILT_IN.get(name) is not OPS[name]:
        return None
    if name == "pow" and (isinstance(flat[1], Value) or not isinstance(flat[0], Value)):
        return None  # inlined only as x ** c
    return INLINE[name]


def inline_term(name: str, a: Sequence[str], out: str, k: int, g: str | None) -> str:
    """Local derivative k of the inline op ``name`` × the gradient ``g`` (None: the output's, 1).

    ``a``: the operands' sources, ``out``: the node's name.
    """
    masked = MASKED_TERMS.get(name)
    if masked is not None and g is not None:
        text = masked(a, out, k, g)
        if text is not None:
            return text
    return term(INLINE[name][1](a, out, k), g)


def table_call(op: Op, rule: str, a: Sequence[str], namespace: dict,
               out: str | None = None) -> str:
    """``sin_forward(v3)``: a call of ``OPS[op].forward`` (or ``.partials``, given ``out``).

    The functions it calls are put into ``namespace`` under the names it uses.
    """
    stem = re.sub(r"\W", "_", op.name)
    name = f"{stem}_{rule}"
    namespace[name] = getattr(op, rule)
    first = [out] if out else []
    if op.pack is positional:
        args = [*first, *a]
    elif op.pack is one_list:
        args = [*first, "[" + ", ".join(a) + "]"]
    else:
        namespace[f"{stem}_pack"] = op.pack
        args = [*first, f"*{stem}_pack([{', '.join(a)}])"]
    text = f"{name}({', '.join(args)})"
    if rule == "partials" and op.unpack is not as_is:
        namespace[f"{stem}_unpack"] = op.unpack
        text = f"{stem}_unpack({text})"
    return text
