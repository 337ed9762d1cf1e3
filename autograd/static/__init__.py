"""The static mode: trace a function once, write it out as straight-line Python, replay it.

Read in this order:

* ``guard.py``      what a trace cannot see (``if x > 0``, ``float(x)``): ``TraceError``
* ``tracing.py``    one call of f on Values, and the graph it built, as plain data
* ``source.py``     the text of generated code: literals, products, lines that fit
* ``inline.py``     how each op is written: inline arithmetic, or a call of the table
* ``arguments.py``  the arguments' names, the check of their structure, their unpacking
* ``wide.py``       a dot or sum over many numbers, written over lists
* ``writer.py``     the whole function: the forward pass, then the backward pass, unrolled
* ``program.py``    one trace written out and loaded, per call and summing a batch
* ``compiler.py``   ``autograd.compile``: a Program per structure of the arguments

Built on ``core/`` and ``tree.py`` only: the core calls the guard through
its number watcher and does not know this package.
"""
