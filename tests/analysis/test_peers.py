import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.analysis.peers import PeerMatrix, nearest


def matrix(rows):
    return PeerMatrix([f"{i:03d}" for i in range(len(rows))], ["a", "b"], np.array(rows, dtype=float))


def test_the_nearest_municipality_comes_first_and_the_chosen_one_is_left_out():
    m = matrix([[0, 0], [1, 0], [5, 5], [0.5, 0]])
    result = nearest(m, "000", k=2)
    assert [n.geo for n in result] == ["003", "001"]


def test_contributions_say_which_variable_separates_them():
    m = matrix([[0, 0], [0, 3], [1, 1], [2, 2]])
    (first, *_rest) = [n for n in nearest(m, "000", k=3) if n.geo == "001"]
    assert first.contributions["b"] == pytest.approx(1.0)
    assert sum(first.contributions.values()) == pytest.approx(1.0)


def test_weights_change_who_is_similar():
    m = matrix([[0, 0], [0, 2], [2, 0]])
    assert nearest(m, "000", k=1, weights={"a": 0.0, "b": 1.0})[0].geo == "002"
    assert nearest(m, "000", k=1, weights={"a": 1.0, "b": 0.0})[0].geo == "001"
    with pytest.raises(ValueError):
        nearest(m, "000", weights={"a": 0, "b": 0})


def test_an_unknown_code_is_an_error():
    with pytest.raises(KeyError):
        nearest(matrix([[0, 0], [1, 1]]), "999")


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=3, max_size=30))
def test_distances_are_symmetric(rows):
    m = matrix(rows)
    a, b = m.geos[0], m.geos[1]
    d_ab = next(n.distance for n in nearest(m, a, k=len(rows)) if n.geo == b)
    d_ba = next(n.distance for n in nearest(m, b, k=len(rows)) if n.geo == a)
    assert d_ab == pytest.approx(d_ba)
