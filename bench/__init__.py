"""The side-by-side benchmark (``make bench``, i.e. ``python -m bench``); not part of the tests.

What is measured, and why:

* **One training step** of micrograd's demo, on seven implementations in one
  process: an MLP 2 -> 16 ReLU -> 16 ReLU -> 1 on 100 two-moons points, loss
  = mean hinge relu(1 − y·score) + 1e-4·Σ p², one backward pass, one SGD step
  (lr 0.1). They are this engine's dynamic graph with each neuron one
  ``autograd.dot(w, x, b)`` node or two, ``dot(w, x) + b`` (``impl_autograd``);
  this engine's static mode, ``autograd.compile``, called per sample or
  summing over the samples in its own generated loop (``impl_compiled``,
  with the time a first step takes to trace and generate the code);
  micrograd 0.1.0 as published (``impl_micrograd``), PyTorch with one 0-dim
  float64 tensor per scalar (``impl_torch``) and a hand-written forward and
  backward pass on plain floats (``impl_floats``), the floor: the same
  arithmetic with no graph at all. All start from the same weights
  (``workload``), and the benchmark refuses to time them unless they agree on
  the losses and the parameters to 1e-9 after 3 steps
  (``steps.check_parity``), so they do the same work. Steps are timed
  interleaved, with the garbage collector on, and reported as medians and as
  multiples of the floor (``steps``). The scalar engines' cost is per node:
  the floor says how much of a step is arithmetic and how much is graph.

* **A chain a million ops deep** (``chain``): ``y = y + 1`` from one leaf, then
  ``backward()``, in µs per op, with the garbage collector on and paused; and
  the bytes each node keeps alive (tracemalloc). This isolates the engine's
  cost per node, and shows that backward() needs no recursion.

The targets for this engine (checked in ``report``): a dynamic step at most
3.6× the floor (4.5× with ``dot(w, x) + b``), a compiled step at most 0.7×
per sample and 0.5× batched, compiling in at most 50 ms; a chain at most 1.5
µs per op forward + backward, at most 200 bytes per op.

``python -m bench --update-docs`` writes the tables into ``docs/benchmark.md``
and the summary into the README (``docs``).
"""
