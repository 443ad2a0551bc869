"""Linear recurrences: the loop, the parallel scan, and their costs (chapter 09)."""

import numpy as np
import pytest

from rnnbook import scan


@pytest.mark.parametrize("num_steps", [1, 2, 3, 7, 8, 100, 1000])
def test_scan_equals_loop(num_steps):
    rng = np.random.default_rng(num_steps)
    a = rng.uniform(0.5, 1.0, (num_steps, 3, 4))
    b = rng.standard_normal((num_steps, 3, 4))
    h0 = rng.standard_normal((3, 4))
    loop = scan.linear_recurrence(a, b, h0)
    np.testing.assert_allclose(scan.linear_recurrence_scan(a, b, h0), loop, rtol=1e-12,
                               atol=1e-12)
    h = h0
    for t in range(num_steps):  # the definition, written out
        h = a[t] * h + b[t]
        np.testing.assert_allclose(loop[t], h, rtol=1e-12, atol=1e-12)


def test_inputs_are_not_modified_and_h0_defaults_to_zero():
    a, b = np.full((5, 2), 0.5), np.ones((5, 2))
    a_copy, b_copy = a.copy(), b.copy()
    out = scan.linear_recurrence_scan(a, b)
    assert np.array_equal(a, a_copy) and np.array_equal(b, b_copy)
    np.testing.assert_allclose(out[:, 0], [1, 1.5, 1.75, 1.875, 1.9375])
    np.testing.assert_allclose(scan.linear_recurrence(a, b, np.zeros(2)), out)


def test_cost_counts():
    assert scan.scan_cost(1) == {"loop": (0, 0), "scan": (0, 0)}
    assert scan.scan_cost(8) == {"loop": (7, 7), "scan": (7 + 6 + 4, 3)}
    work, depth = scan.scan_cost(1024)["scan"]
    assert depth == 10 and work == 1024 * 10 - 1023


def test_bad_input_is_refused():
    a = np.ones((4, 2))
    with pytest.raises(TypeError, match="a must be a numpy array"):
        scan.linear_recurrence([1.0, 2.0], a)
    with pytest.raises(TypeError, match="b must have a floating-point dtype"):
        scan.linear_recurrence_scan(a, np.ones((4, 2), dtype=np.int64))
    with pytest.raises(ValueError, match=r"b must have the shape of a \(4, 2\)"):
        scan.linear_recurrence_scan(a, np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2,\)"):
        scan.linear_recurrence(a, a, np.ones(3))
    with pytest.raises(ValueError, match="a must have a time axis"):
        scan.linear_recurrence(np.array(1.0), np.array(1.0))
    with pytest.raises(ValueError, match="num_steps must be"):
        scan.scan_cost(0)
