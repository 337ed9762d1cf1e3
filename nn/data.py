"""Small datasets for classification and regression, in pure Python.

Every function returns ``(X, y)``: ``X`` a list of input lists (one per
sample), ``y`` a list of targets. Classification labels are ints 0, 1, …
(the losses also read 0 as −1 where that is their convention). The same
``seed`` always gives the same data, on every machine: draws come from a
private ``random.Random(seed)``, never from the global random state.
``load_digits`` is real data, not drawn: handwritten digits shipped with
the package, so it needs no download.
"""

import csv
import gzip
import math
import random
from pathlib import Path


def make_moons(n=100, noise=0.1, seed=0):
    """Two interleaving half circles in 2-D: class 0 on top, class 1 below, shifted right.

    Upper moon: ``(cos t, sin t)``; lower moon: ``(1 − cos t, 1/2 − sin t)``,
    t evenly spaced in [0, π]; then Gaussian noise of std ``noise`` on each
    coordinate, and the samples shuffled. Not linearly separable.
    """
    _check_n(n, "make_moons", classes=2)
    _check_noise(noise, "make_moons")
    rng = random.Random(seed)
    upper, lower = n // 2, n - n // 2
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, upper)]
    X += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, lower)]
    y = [0] * upper + [1] * lower
    return _shuffled(_noisy(X, noise, rng), y, rng)


def make_circles(n=100, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles in 2-D: class 0 on radius 1, class 1 on radius ``factor``.

    Angles evenly spaced in [0, 2π); Gaussian noise of std ``noise``.
    Separable by a circle, never by a line.
    """
    _check_n(n, "make_circles", classes=2)
    _check_noise(noise, "make_circles")
    if not 0 < factor < 1:
        raise ValueError(f"make_circles() needs 0 < factor < 1 (the inner radius), got {factor!r}")
    rng = random.Random(seed)
    outer, inner = n // 2, n - n // 2
    X = [[math.cos(t), math.sin(t)] for t in _angles(outer)]
    X += [[factor * math.cos(t), factor * math.sin(t)] for t in _angles(inner)]
    y = [0] * outer + [1] * inner
    return _shuffled(_noisy(X, noise, rng), y, rng)


def make_blobs(n=100, centers=3, std=1.0, dim=2, seed=0):
    """Gaussian clusters: a sample of class k is ``center_k`` + N(0, std²) in each coordinate.

    ``centers``: the number of clusters (their centers drawn uniformly in
    [−10, 10]^dim), or a list of center points. Classes get n/k samples
    each (the first ones one more when k does not divide n).
    """
    _check_noise(std, "make_blobs", "std")
    rng = random.Random(seed)
    if isinstance(centers, int) and not isinstance(centers, bool):
        _check_count(centers, "make_blobs", "centers", "the number of clusters")
        _check_count(dim, "make_blobs", "dim", "the number of coordinates")
        centers = [[rng.uniform(-10.0, 10.0) for _ in range(dim)] for _ in range(centers)]
    centers = _check_centers(centers)
    k = len(centers)
    _check_n(n, "make_blobs", classes=k)
    X, y = [], []
    for label, center in enumerate(centers):
        for _ in range(n // k + (label < n % k)):
            X.append([c + rng.gauss(0.0, std) for c in center])
            y.append(label)
    return _shuffled(X, y, rng)


def make_spirals(n=100, classes=3, turns=1.0, noise=0.2, seed=0):
    """``classes`` spiral arms in 2-D, one class each, winding out from the origin.

    Point j of arm k: radius r = j/(m−1) (m points per arm), angle
    ``θ = 2π (turns · r + k/classes) + noise · N(0, 1)``, at
    ``(r sin θ, r cos θ)``. Needs a non-linear model with a few hidden layers.
    """
    _check_count(classes, "make_spirals", "classes", "the number of spiral arms")
    _check_n(n, "make_spirals", classes=classes)
    _check_noise(noise, "make_spirals")
    rng = random.Random(seed)
    X, y = [], []
    for k in range(classes):
        count = n // classes + (k < n % classes)
        for r in _linspace(0.0, 1.0, count):
            angle = 2.0 * math.pi * (turns * r + k / classes) + noise * rng.gauss(0.0, 1.0)
            X.append([r * math.sin(angle), r * math.cos(angle)])
            y.append(k)
    return _shuffled(X, y, rng)


def make_xor(n=100, noise=0.1, seed=0):
    """The XOR problem in 2-D: class 1 where x₁ and x₂ have the same sign, class 0 elsewhere.

    Points drawn uniformly in [−1, 1]², each labelled by its quadrant
    (``x₁ x₂ > 0``: class 1), then Gaussian noise of std ``noise`` on each
    coordinate. No single line separates the classes: a hidden layer is needed.
    """
    _check_n(n, "make_xor", classes=1)
    _check_noise(noise, "make_xor")
    rng = random.Random(seed)
    X = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(n)]
    y = [int(x1 * x2 > 0) for x1, x2 in X]
    return _noisy(X, noise, rng), y


def sample_function(f, n, low, high, noise=0.0, seed=0):
    """1-D regression data: ``X = [[x₁], …, [xₙ]]`` evenly spaced in [low, high], ``yᵢ = f(xᵢ)``.

    With ``noise`` > 0, Gaussian noise of that std is added to each yᵢ.
    Example: ``sample_function(math.sin, 50, -3, 3)``.
    """
    _check_n(n, "sample_function")
    _check_noise(noise, "sample_function")
    rng = random.Random(seed)
    xs = _linspace(float(low), float(high), n)
    y = [float(f(x)) + (rng.gauss(0.0, noise) if noise else 0.0) for x in xs]
    return [[x] for x in xs], y


def train_test_split(X, y, test_size=0.25, seed=0, shuffle=True):
    """Split samples into ``X_train, X_test, y_train, y_test`` (scikit-learn's order).

    ``test_size``: a fraction in (0, 1) (rounded up to whole samples) or a
    number of samples. The samples are shuffled first unless ``shuffle=False``.
    """
    if len(X) != len(y):
        raise ValueError(f"train_test_split() got {len(X)} inputs but {len(y)} targets")
    n = len(X)
    if n < 2:
        raise ValueError(f"train_test_split() needs at least 2 samples to split, got {n}")
    if isinstance(test_size, float) and 0 < test_size < 1:
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, int) and 0 < test_size < n:
        n_test = test_size
    else:
        raise ValueError(f"test_size is a fraction in (0, 1) or a count in 1..{n - 1}, "
                         f"got {test_size!r}")
    order = list(range(n))
    if shuffle:
        random.Random(seed).shuffle(order)
    train, test = order[n_test:], order[:n_test]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]


def load_digits(scale=True, n_class=10):
    """The UCI handwritten digits: 1,797 images of 8×8 pixels, labels 0…9, no download needed.

    Returns ``(X, y)``: ``X`` a list of 1,797 lists of 64 floats, the pixels
    of one image row by row (pixel (r, c) is ``x[8 * r + c]``); ``y`` a list of
    1,797 int labels, the digit drawn. Each pixel is a grey level, the number
    of ink dots in a 4×4 block of a 32×32 scan, an integer 0…16 (0 is blank
    paper). ``scale=True`` (the default) divides by 16, so inputs lie in
    [0, 1], a range where a freshly initialised network trains well;
    ``scale=False`` keeps the counts 0.0…16.0. ``n_class=k`` keeps only the
    images of the digits 0…k−1 (``n_class=2``: the 0s and 1s), as
    scikit-learn's ``load_digits(n_class=k)`` does.

    The samples come in the file's fixed order (the first ten are the digits
    0, 1, …, 9); ``train_test_split`` shuffles them. Classes are nearly
    balanced: 178, 182, 177, 183, 181, 182, 181, 179, 174 and 180 images of
    the digits 0 to 9.

    Source: "Optical Recognition of Handwritten Digits" by E. Alpaydin and
    C. Kaynak (1998), UCI Machine Learning Repository,
    https://doi.org/10.24432/C50P49, licensed under Creative Commons
    Attribution 4.0 (CC BY 4.0). These 1,797 images are the data set's test
    part (``optdigits.tes``, written by 13 people), the set scikit-learn
    also ships as ``sklearn.datasets.load_digits``. Changes: only the format;
    the package keeps them as ``nn/digits.csv.gz``, one line per image: 64
    pixel counts, then the label.

        >>> X, y = load_digits()
        >>> len(X), len(X[0]), y[:10]
        (1797, 64, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        >>> load_digits(scale=False)[0][0][:8]    # the top row of the first image, a 0
        [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]
    """
    if isinstance(n_class, bool) or not isinstance(n_class, int) or not 1 <= n_class <= 10:
        raise ValueError(f"load_digits() needs n_class, the number of digits to keep, "
                         f"as an int in 1..10; got {n_class!r:.40}")
    divisor = 16.0 if scale else 1.0
    X, y = [], []
    for line, row in enumerate(_digit_rows(), start=1):
        if len(row) != 65:
            raise ValueError(f"{_DIGITS_FILE} line {line}: expected 64 pixels and a label, "
                             f"got {len(row)} fields")
        *pixels, label = map(int, row)
        if label < n_class:
            X.append([p / divisor for p in pixels])
            y.append(label)
    return X, y


def _digit_rows():
    try:
        with gzip.open(_DIGITS_FILE, "rt", encoding="ascii", newline="") as f:
            yield from csv.reader(f)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"load_digits() reads the digits from {_DIGITS_FILE}, a file that ships inside the "
            f"nn package, and it is missing: reinstall the package (pip install .) or restore "
            f"nn/digits.csv.gz from the repository"
        ) from None


_DIGITS_FILE = Path(__file__).parent / "digits.csv.gz"


# --- helpers -------------------------------------------------------------------------------

def _linspace(low, high, n):
    if n == 1:
        return [low]
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def _angles(n):
    return [2.0 * math.pi * i / n for i in range(n)]


def _noisy(X, noise, rng):
    if not noise:
        return X
    return [[c + rng.gauss(0.0, noise) for c in x] for x in X]


def _shuffled(X, y, rng):
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


def _check_n(n, where, classes=1):
    """A ValueError unless n is an int with at least one sample per class."""
    _check_count(n, where, "n", "the number of samples")
    if n < classes:
        raise ValueError(f"{where}() needs n >= {classes}, one sample for each of its {classes} "
                         f"classes; got n={n}")


def _check_count(count, where, name, meaning):
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"{where}() needs {name}, {meaning}, as a positive int; got {count!r:.40}")


def _check_noise(noise, where, name="noise"):
    """A ValueError unless ``noise`` is a standard deviation: a finite number >= 0."""
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise < math.inf:
        raise ValueError(f"{where}() needs {name}, a standard deviation, as a number >= 0; "
                         f"got {noise!r:.40}")


def _check_centers(centers):
    """The centers as lists of floats, all of one dimension (a ValueError otherwise)."""
    centers = [[float(c) for c in center] for center in centers]
    if not centers:
        raise ValueError("make_blobs() needs at least one center, got an empty list")
    dims = {len(center) for center in centers}
    if len(dims) != 1 or 0 in dims:
        raise ValueError(f"make_blobs() needs centers of one dimension >= 1, got dimensions "
                         f"{sorted(dims)}")
    return centers
