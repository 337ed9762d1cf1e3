"""Drawing an nn model's loss with cluster=model: one box per layer and per neuron, named."""

import re

import nn
from autograd import draw_graph, topological_order


def _clusters(source):
    """cluster name -> the node ids declared directly or in nested boxes inside it."""
    members, open_boxes = {}, []
    for line in source.splitlines():
        line = line.strip()
        opened = re.match(r'subgraph "cluster_([^"]+)" \{', line)
        if opened:
            open_boxes.append(opened.group(1))
            members[opened.group(1)] = set()
        elif line == "}" and open_boxes:
            open_boxes.pop()
        else:
            node = re.match(r"(n\d+)(_op|_c)? \[", line)
            if node:
                for box in open_boxes:
                    members[box].add(node.group(1) + (node.group(2) or ""))
    return members


def test_each_neuron_and_layer_of_an_mlp_gets_a_named_box_holding_its_parameters():
    model = nn.MLP(2, [3, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    source = draw_graph(loss, cluster=model).source
    boxes = _clusters(source)
    expected = {"layers.0", "layers.1"} | {f"layers.0.neurons.{j}" for j in range(3)} | {
        "layers.1.neurons.0"}
    assert set(boxes) == expected
    ids = {value: f"n{i}" for i, value in enumerate(topological_order(loss))}
    for name, parameter in model.named_parameters():
        neuron = name.rsplit(".", 2 if ".w." in name else 1)[0]  # layers.0.neurons.2
        assert ids[parameter] in boxes[neuron], name
        assert ids[parameter] in boxes[neuron.rsplit(".", 2)[0]], name  # and in its layer's box
    # the loss and the constant it subtracts stay outside every box
    assert not any(ids[loss] in members for members in boxes.values())
