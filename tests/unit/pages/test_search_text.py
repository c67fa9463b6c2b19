"""Citizen search text becomes plain words: no Solr syntax, a bounded number of them."""

from __future__ import annotations

import pytest

from ckanext.partnercity.pages import search_text


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("Luftqualität Arnsberg", "Luftqualität Arnsberg"),
        ('title:"unclosed', "unclosed"),
        ("buget:", "buget"),
        ("{!xmlparser v='<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x\"><a/>'}", ""),
        ("{!lucene}buget", "buget"),
        ("{!join from=id to=owner_org}*:*", ""),
        ("+buget -bani OR (x AND y) NOT z [a TO b]", "buget bani x y z a b"),
        ('buget~ buget^9 /re.*x/ \\ " * ?', "buget buget 9 re x"),
        ("Baden-Württemberg", "Baden Württemberg"),
        ("Ort: Arnsberg", "Ort Arnsberg"),
    ],
)
def test_only_words_reach_solr(q, words):
    assert search_text.plain_query(q) == words


def test_words_and_characters_are_bounded():
    many = search_text.plain_query(" OR ".join(f"w{i}" for i in range(2000)))
    assert many.split() == [f"w{i}" for i in range(search_text.QUERY_MAX_WORDS)]
    assert len(search_text.plain_query("x" * 100_000)) == search_text.QUERY_MAX_CHARS


def test_filters_and_pages_are_bounded():
    fields = [("res_format", f"f{i}") for i in range(2000)]
    assert len(search_text.bounded_filters(fields)) == search_text.FILTERS_MAX
    assert search_text.bounded_filters([("a", "1"), ("a", "1"), ("b", "2")]) == [
        ("a", "1"),
        ("b", "2"),
    ]
    assert search_text.bounded_page(10**12) == search_text.PAGE_MAX
    assert search_text.bounded_page(3) == 3
