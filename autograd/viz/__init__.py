"""Drawing computation graphs: what a picture shows, and how it is rendered.

* ``style.py``     the looks: fonts, colours, outlines
* ``clusters.py``  a model's neurons and layers as named boxes
* ``picture.py``   what the slide shows: records, op nodes, edge labels (DOT, via ``graphviz``)
* ``renderers.py`` DOT to SVG and PNG: the system ``dot``, else Graphviz in WebAssembly
* ``wasm.py``      the WebAssembly Graphviz: a deeper stack, a render that Ctrl-C stops
* ``cache.py``     its compiled module, kept per user between processes
* ``raster.py``    SVG to PNG with resvg-py, Helvetica mapped to an installed font
* ``layout.py``    one layout for many pictures (the backward steps' nodes stay put)
* ``drawing.py``   ``draw_graph`` and the ``Drawing`` it returns (inline in Jupyter)
* ``steps.py``     ``backward_steps``: the backward pass replayed, one picture per node

Built on ``core/`` only. A drawing reads the fields the engine writes and never
changes them; ``autograd/__init__.py`` attaches ``Value.draw``.
"""
