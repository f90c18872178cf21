"""Where the pages of a long list start (kiosk.domain.paging)."""

from __future__ import annotations

from kiosk.domain.paging import page_holding, page_starts, rows_of


def test_rows_go_to_the_next_page_once_the_room_is_full():
    # 300 + 10 + 300 fits 650; a third row would not.
    assert page_starts([300, 300, 300, 300, 300], 650, 10) == (0, 2, 4)


def test_everything_on_one_page_when_it_fits():
    assert page_starts([100, 100], 210, 10) == (0,)


def test_a_row_taller_than_the_room_still_has_a_page_of_its_own():
    assert page_starts([100, 900, 100], 500, 10) == (0, 1, 2)


def test_the_page_that_shows_a_row_and_the_rows_a_page_shows():
    starts = (0, 2, 4)
    assert [page_holding(starts, row) for row in range(5)] == [0, 0, 1, 1, 2]
    assert list(rows_of(1, starts, 5)) == [2, 3]
    assert list(rows_of(2, starts, 5)) == [4]
