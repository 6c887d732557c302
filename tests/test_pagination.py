"""pagination.py: numbered pages at base/, base/page/2/, ..."""

from __future__ import annotations

from broadsheet.model.pagination import paginate


def test_exactly_per_page_items_is_one_page() -> None:
    (page,) = paginate(list(range(5)), 5, "tags/x/")
    assert (page.number, page.total, list(page.items), page.count) == (1, 1, [0, 1, 2, 3, 4], 5)
    assert (page.url, page.prev_url, page.next_url) == ("tags/x/", None, None)


def test_one_more_item_makes_a_second_page() -> None:
    first, second = paginate(list(range(6)), 5, "tags/x/")
    assert list(first.items) == [0, 1, 2, 3, 4] and list(second.items) == [5]
    assert (first.url, first.next_url, first.prev_url) == ("tags/x/", "tags/x/page/2/", None)
    assert (second.url, second.prev_url, second.next_url) == ("tags/x/page/2/", "tags/x/", None)
    assert list(first.numbers) == [1, 2]


def test_no_items_is_one_empty_page() -> None:
    (page,) = paginate([], 5, "")
    assert (page.number, page.total, list(page.items), page.url) == (1, 1, [], "")


def test_every_item_appears_once_in_order() -> None:
    items = list(range(23))
    pages = paginate(items, 4, "")
    assert [i for p in pages for i in p.items] == items
    assert [p.url for p in pages][-1] == "page/6/"


def test_page_numbers_are_the_ends_and_a_run_around_the_current_page() -> None:
    pages = paginate(list(range(100)), 1, "")
    assert pages[0].numbers == [1, 2, 3, None, 100]
    assert pages[49].numbers == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert pages[99].numbers == [1, None, 98, 99, 100]
    # A gap of a single page shows that page's number instead of "…".
    assert pages[4].numbers == [1, 2, 3, 4, 5, 6, 7, None, 100]
    assert paginate(list(range(7)), 1, "")[3].numbers == [1, 2, 3, 4, 5, 6, 7]
