"""Calculus on the engine: derivatives as functions, checked derivatives, new ops, nan hunting.

* ``functional.py``  ``grad``, ``value_and_grad``, ``hessian``: derivatives as functions (JAX's
  style), composing for higher derivatives through ``gradients(create_graph=True)``
* ``check.py``       ``gradcheck``: the engine's gradient against central differences, naming
  the op whose local derivative is wrong
* ``register.py``    ``register_op``: a new primitive as one more entry of the op table
* ``tape.py``        ``gradients`` and ``backward`` of many outputs, for nested inputs
  (TensorFlow's ``tape.gradient(f, [W, b])``)
* ``anomaly.py``     ``detect_anomaly``: the first nan or inf, forward or backward, installed
  in the core's hook points

Built on ``core/`` and ``tree.py`` only; the public names are re-exported by
``autograd/__init__.py``.
"""
