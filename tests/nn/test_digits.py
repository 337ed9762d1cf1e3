"""nn.data.load_digits: the shipped UCI digits, their documented facts, and the options.

The numbers hard-coded here (class counts, pixel sums, the first and last
images) were read from scikit-learn's copy of the same 1,797 images when the
data file was written; scikit-learn is never imported by the project.
"""

import gzip

import pytest

from nn import data

# Images of the digits 0…9 in the UCI test set (optdigits.tes), as UCI and scikit-learn list them.
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
# The sum of all 0…16 pixel counts of each digit's images: any changed pixel changes one.
PIXEL_SUMS = [56415, 57007, 55566, 56151, 56239, 55915, 56336, 54289, 57408, 56392]
FIRST_IMAGE = [  # a 0, row by row
    [0, 0, 5, 13, 9, 1, 0, 0],
    [0, 0, 13, 15, 10, 15, 5, 0],
    [0, 3, 15, 2, 0, 11, 8, 0],
    [0, 4, 12, 0, 0, 8, 8, 0],
    [0, 5, 8, 0, 0, 9, 8, 0],
    [0, 4, 11, 0, 1, 12, 7, 0],
    [0, 2, 14, 5, 10, 12, 0, 0],
    [0, 0, 6, 13, 10, 0, 0, 0],
]
LAST_IMAGE_TOP_ROWS = [0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0]  # an 8


@pytest.fixture(scope="module")
def raw():
    return data.load_digits(scale=False)


def test_shape_and_types(raw):
    X, y = raw
    assert len(X) == len(y) == 1797
    assert all(len(x) == 64 for x in X)
    assert all(type(p) is float for x in X for p in x)
    assert all(type(label) is int for label in y)


def test_labels_are_the_digits_with_the_documented_class_counts(raw):
    _, y = raw
    assert sorted(set(y)) == list(range(10))
    assert [y.count(k) for k in range(10)] == CLASS_COUNTS
    assert sum(CLASS_COUNTS) == 1797


def test_raw_pixels_are_whole_counts_from_0_to_16(raw):
    X, _ = raw
    pixels = [p for x in X for p in x]
    assert all(p.is_integer() and 0 <= p <= 16 for p in pixels)
    assert min(pixels) == 0 and max(pixels) == 16


def test_pixel_sums_per_digit(raw):
    X, y = raw
    sums = [int(sum(sum(x) for x, label in zip(X, y) if label == k)) for k in range(10)]
    assert sums == PIXEL_SUMS


def test_known_images_row_major(raw):
    X, y = raw
    assert X[0] == [float(p) for row in FIRST_IMAGE for p in row]
    assert X[0][8 * 1 + 5] == 15.0  # row 1, column 5
    assert y[:10] == list(range(10))
    assert X[-1][:16] == LAST_IMAGE_TOP_ROWS and y[-1] == 8


def test_scale_divides_by_16_into_0_1(raw):
    X_raw, y_raw = raw
    X, y = data.load_digits()  # scale=True is the default
    assert y == y_raw
    assert X[0][2] == 5 / 16
    assert all(s == r / 16 for xs, xr in zip(X, X_raw) for s, r in zip(xs, xr))
    pixels = [p for x in X for p in x]
    assert min(pixels) == 0.0 and max(pixels) == 1.0


def test_same_data_every_call_in_fresh_lists(raw):
    X, y = data.load_digits(scale=False)
    assert (X, y) == raw
    X[0][0] = 99.0
    y[0] = 7
    assert data.load_digits(scale=False) == raw  # the caller's edits do not leak into the next call
    assert raw[0][0][0] == 0.0


def test_n_class_keeps_the_first_digits(raw):
    X_raw, y_raw = raw
    X, y = data.load_digits(scale=False, n_class=2)
    assert len(X) == len(y) == CLASS_COUNTS[0] + CLASS_COUNTS[1] == 360
    assert set(y) == {0, 1}
    assert X == [x for x, label in zip(X_raw, y_raw) if label < 2]
    assert len(data.load_digits(n_class=10)[0]) == 1797
    for bad in (0, 11, 2.0, True, "10"):
        with pytest.raises(ValueError, match="n_class"):
            data.load_digits(n_class=bad)


def test_missing_file_says_what_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "_DIGITS_FILE", tmp_path / "digits.csv.gz")
    with pytest.raises(FileNotFoundError, match=r"ships inside the nn package.*reinstall"):
        data.load_digits()


def test_a_damaged_line_is_reported(monkeypatch, tmp_path):
    damaged = tmp_path / "digits.csv.gz"
    with gzip.open(damaged, "wt") as f:
        f.write(",".join(["0"] * 65) + "\n" + ",".join(["0"] * 10) + "\n")
    monkeypatch.setattr(data, "_DIGITS_FILE", damaged)
    with pytest.raises(ValueError, match="line 2: expected 64 pixels and a label, got 10"):
        data.load_digits()


def test_the_data_file_ships_with_the_package():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert data._DIGITS_FILE.name in config["tool"]["setuptools"]["package-data"]["nn"]
    assert data._DIGITS_FILE.parent == root / "nn"
    header = data._DIGITS_FILE.read_bytes()[:10]
    assert header[:2] == b"\x1f\x8b"  # gzip
    assert header[4:8] == b"\0\0\0\0"  # mtime 0: the file was written reproducibly
