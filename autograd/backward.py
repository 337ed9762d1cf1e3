"""The chain rule, in one place.

``backward(root)`` orders the graph so that every node comes after all the
nodes it was computed from (a topological order), then walks that order in
reverse. At each node it knows d(root)/d(node) (``node.grad``, complete
because every use of the node has already been visited) and hands it on:

    parent.grad += local_grad × node.grad        for each edge node -> parent

That sum over edges is the whole of backpropagation. A node used twice (a + a,
a * a, a diamond through intermediate nodes) has two edges and so receives
both contributions.
"""


def topological_order(root, leaves=True):
    """The nodes ``root`` depends on, each after all its parents; ``root`` last.

    Built with an explicit stack, not recursion, so a chain a million nodes
    deep works under Python's default recursion limit. With ``leaves=False``
    the leaves (Values with no parents) are left out: backward() does not need
    to visit them, only to add into their ``grad``.
    """
    order = []
    seen = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen and (leaves or parent.parents):
                seen.add(parent)
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent is placed: the node can follow them
            stack.pop()
            order.append(node)
    return order


def backward(root, gradient=1.0):
    """Set ``root.grad = gradient`` and add d(root)/d(node) into every node's ``grad``.

    Intermediate (non-leaf) grads are reset to 0 first, so after the pass they
    show this pass only. Leaf grads accumulate across passes, as in PyTorch:
    reset them with ``zero_grad()`` between training steps. For a leaf root,
    ``gradient`` is added to its grad like any leaf's.

    The order is found by counting (Kahn's algorithm): first count, for every
    intermediate node, the edges that lead into it from nodes above; then a
    node is processed once all of those have handed their gradient on, which
    is exactly when its ``grad`` is complete. Both passes use flat lists and
    one dict, so a deep graph allocates nothing per node for the garbage
    collector to chase.
    """
    if not root.parents:  # a leaf: nothing to propagate
        root.grad += gradient
        return
    pending = {root: 0}  # intermediate node -> edges from nodes above not yet processed
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if parent.parents:  # leaves need no bookkeeping: they only receive
                if parent in pending:
                    pending[parent] += 1
                else:
                    pending[parent] = 1
                    stack.append(parent)
    for node in pending:
        node.grad = 0.0
    root.grad = gradient

    ready = [root]
    while ready:
        node = ready.pop()
        grad = node.grad
        for parent, local_grad in zip(node.parents, node.local_grads):
            parent.grad += local_grad * grad  # the chain rule, one edge
            if parent.parents:
                left = pending[parent] - 1
                pending[parent] = left
                if not left:
                    ready.append(parent)
