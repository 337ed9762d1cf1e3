"""Drawing an nn model's loss with cluster=model: one box per layer and per neuron, named."""

import nn
from autograd import draw_graph, topological_order
from tests.strategies import dot_clusters


def test_each_neuron_and_layer_of_an_mlp_gets_a_named_box_holding_its_parameters():
    model = nn.MLP(2, [3, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.backward()
    boxes = dot_clusters(draw_graph(loss, cluster=model).source)
    neurons = {f"layers.0.neurons.{j}" for j in range(3)} | {"layers.1.neurons.0"}
    assert set(boxes) == {"layers.0", "layers.1"} | neurons
    ids = {value: f"n{i}" for i, value in enumerate(topological_order(loss))}
    for name, parameter in model.named_parameters():
        neuron = name.rsplit(".", 2 if ".w." in name else 1)[0]  # layers.0.neurons.2
        assert ids[parameter] in boxes[neuron], name
    # the layers' boxes hold only their neurons' boxes; the loss stays outside every box
    assert boxes["layers.0"] == boxes["layers.1"] == set()
    assert not any(ids[loss] in members for members in boxes.values())
