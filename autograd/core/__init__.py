"""The engine, read first: a Value per number, one table of ops, and the chain rule.

Read the files in this order (each imports only the ones before it):

1. ``ieee.py``     float functions with IEEE results (log 0 = -inf), as PyTorch float64
2. ``ops.py``      the op table: each primitive's forward rule and local-derivative rule
3. ``modes.py``    no_grad, and the hook points the tools above install
4. ``convert.py``  a Value is not a float: comparisons, and the conversions refused
5. ``backward.py`` topological order and the chain rule
6. ``value.py``    Value: its fields, its operators, the node constructor
7. ``nary.py``     sum, dot and logsumexp: many inputs, one node

Nothing here imports anything outside ``core/``. The tools built on the
engine (``calculus/``, ``static/``, ``viz/``) reach it through the hooks of
``modes.py``; the public names are re-exported by ``autograd/__init__.py``.
This package's own ``__init__`` exports nothing, so that a module name such
as ``autograd.core.backward`` always means the module.
"""
