"""nn.data: shapes, labels, determinism, and the geometry each dataset promises."""

import math

import pytest

import nn
from nn import data

MAKERS = {
    "moons": lambda seed: data.make_moons(60, noise=0.1, seed=seed),
    "circles": lambda seed: data.make_circles(60, noise=0.05, seed=seed),
    "blobs": lambda seed: data.make_blobs(60, centers=3, seed=seed),
    "spirals": lambda seed: data.make_spirals(60, classes=3, seed=seed),
    "xor": lambda seed: data.make_xor(60, noise=0.1, seed=seed),
}


@pytest.mark.parametrize("name", list(MAKERS))
def test_same_seed_same_data_other_seed_other_data(name):
    X, y = MAKERS[name](0)
    assert (X, y) == MAKERS[name](0)
    assert X != MAKERS[name](1)[0]
    assert len(X) == len(y) == 60
    assert all(len(x) == 2 and all(isinstance(c, float) for c in x) for x in X)
    assert all(type(label) is int for label in y)


@pytest.mark.parametrize("name, classes",
                         [("moons", 2), ("circles", 2), ("blobs", 3), ("spirals", 3)])
def test_classes_are_balanced_and_shuffled(name, classes):
    X, y = MAKERS[name](0)
    assert sorted(set(y)) == list(range(classes))
    assert all(y.count(k) == 60 // classes for k in range(classes))
    assert y != sorted(y)


def test_xor_without_noise_labels_each_point_by_its_quadrant():
    X, y = data.make_xor(200, noise=0.0, seed=3)
    assert all(-1 <= c <= 1 for x in X for c in x)
    assert y == [int((a > 0) == (b > 0)) for a, b in X]
    assert 60 < sum(y) < 140            # both classes, about half each


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = data.make_moons(40, noise=0.0)
    for (a, b), label in zip(X, y):
        cx, cy = (0.0, 0.0) if label == 0 else (1.0, 0.5)
        assert math.hypot(a - cx, b - cy) == pytest.approx(1.0)
        assert (b >= -1e-12) if label == 0 else (b <= 0.5 + 1e-12)


def test_circles_without_noise_have_radius_one_and_factor():
    X, y = data.make_circles(40, noise=0.0, factor=0.3)
    for x, label in zip(X, y):
        assert math.hypot(*x) == pytest.approx(1.0 if label == 0 else 0.3)


def test_blobs_cluster_around_given_centers():
    centers = [[-5.0, 0.0], [5.0, 0.0]]
    X, y = data.make_blobs(200, centers=centers, std=0.5, seed=3)
    for k, center in enumerate(centers):
        points = [x for x, label in zip(X, y) if label == k]
        mean = [sum(p[d] for p in points) / len(points) for d in range(2)]
        assert math.dist(mean, center) < 0.2


def test_sample_function_is_evenly_spaced_and_exact():
    X, y = data.sample_function(math.sin, 7, -3, 3)
    assert [x[0] for x in X] == pytest.approx([-3, -2, -1, 0, 1, 2, 3])
    assert y == [math.sin(x[0]) for x in X]
    noisy = data.sample_function(math.sin, 7, -3, 3, noise=0.1, seed=1)[1]
    assert noisy != y and max(abs(a - b) for a, b in zip(noisy, y)) < 0.5


def test_train_test_split_partitions_the_samples():
    X, y = data.make_moons(50)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.2, seed=1)
    assert (len(X_train), len(X_test)) == (40, 10)
    pairs = sorted(zip(map(tuple, X_train + X_test), y_train + y_test))
    assert pairs == sorted(zip(map(tuple, X), y))
    assert data.train_test_split(X, y, test_size=0.2, seed=1)[1] == X_test
    assert data.train_test_split(X, y, test_size=5, shuffle=False)[1] == X[:5]
    with pytest.raises(ValueError, match="test_size"):
        data.train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError, match="50 inputs but 49 targets"):
        data.train_test_split(X, y[:-1])


def test_data_is_reachable_from_nn():
    assert nn.data.make_moons is data.make_moons


@pytest.mark.parametrize("call, words", [
    (lambda: data.make_spirals(10, classes=0), "classes"),         # returned ([], [])
    (lambda: data.make_spirals(2, classes=3), "n >= 3"),           # a class with no samples
    (lambda: data.make_blobs(10, centers=[]), "at least one center"),  # ZeroDivisionError
    (lambda: data.make_blobs(2, centers=3), "n >= 3"),
    (lambda: data.make_blobs(10, dim=0), "dim"),                   # samples with no coordinates
    (lambda: data.make_moons(1), "n >= 2"),                        # a single class
    (lambda: data.make_moons(10, noise=-0.1), "noise"),
    (lambda: data.make_circles(10, noise=math.nan), "noise"),
    (lambda: data.sample_function(math.sin, 5, 0, 1, noise=-1), "noise"),
    (lambda: data.train_test_split([[1.0]], [0]), "at least 2 samples"),
], ids=["spirals 0 classes", "spirals n < classes", "blobs no centers", "blobs n < centers",
        "blobs dim 0", "moons n=1", "moons negative noise", "circles nan noise",
        "sample_function negative noise", "split one sample"])
def test_impossible_arguments_raise_instead_of_returning_too_little(call, words):
    with pytest.raises(ValueError, match=words):
        call()
