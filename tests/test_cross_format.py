"""One structure whatever the format: every rendering of a sample reads into the same
articles, lid numbers, list items (label, text, nested items), chapters and words.

The per-rendering test in test_samples_parse.py compares each rendering with the YAML
source; this one compares the renderings with each other on the whole structure, item
labels included, and on the words of the regulation text.
"""
from __future__ import annotations

import re
import unicodedata

import pytest

from verordeningcheck import load

from conftest import HELDOUT, SAMPLES, manifest_samples, renderings

CASES = [
    pytest.param(base, s["id"], id=f"{base.name}/{s['id']}")
    for base in (SAMPLES, HELDOUT)
    for s in manifest_samples(base)
]

_WS = re.compile(r"\s+")
# quotes and dashes differ between typesetting paths (PDF fonts, Word autocorrect)
_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                        "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u00a0": " ", "\u00ad": None})


def words(text: str | None) -> str:
    """Text compared as words: NFKC (ligatures "ﬁ" -> "fi"), one kind of quote and dash,
    soft hyphens dropped, whitespace collapsed. A hyphen at a PDF line end is the reader's
    business (it must rejoin the word), so hyphens are not normalised away."""
    text = unicodedata.normalize("NFKC", text or "").translate(_CHARS)
    return _WS.sub(" ", text).strip()


def label(text: str) -> str:
    """A list label as written, without the surrounding punctuation that formats add or drop
    ("a." / "a)" / "(a)" are the same label; "1°" stays "1°")."""
    return words(text).strip("().")


def item_tree(items) -> list:
    return [(label(i.label), words(i.text), item_tree(i.items)) for i in items]


def structure(document) -> list:
    return [
        (
            a.number,
            words(a.title),
            a.status,
            [(lid.number, words(lid.text), item_tree(lid.items)) for lid in a.leden],
        )
        for a in document.articles
    ]


def article_words(document) -> list[str]:
    """The words of every article, then of the ondertekening (which must not end up in the
    last article in one format and in the slot in another)."""
    return [words(a.text) for a in document.articles] + [words(" ".join(document.slot))]


def divisions(document) -> list:
    return [(d.kind, d.number, words(d.title)) for d in document.divisions]


def first_difference(left, right, path="") -> str:
    """Where two nested structures first differ, readably."""
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        for i, (l, r) in enumerate(zip(left, right)):
            if l != r:
                return first_difference(l, r, f"{path}[{i}]")
        return f"{path}: length {len(left)} != {len(right)}"
    return f"{path}: {str(left)[:240]!r} != {str(right)[:240]!r}"


@pytest.mark.parametrize("base,sample_id", CASES)
def test_all_renderings_have_one_structure(base, sample_id):
    paths = renderings(sample_id, base)
    assert len(paths) >= 10
    reference_path = next(p for p in paths if p.name.endswith("-cvdr.xml"))
    reference = load(reference_path)
    expected = structure(reference)
    expected_words = article_words(reference)
    expected_divisions = divisions(reference)
    assert expected, f"{reference_path.name}: no articles"
    problems = []
    for path in paths:
        if path == reference_path:
            continue
        document = load(path)
        got = structure(document)
        if got != expected:
            problems.append(f"{path.name}: structure {first_difference(got, expected)}")
            continue
        if divisions(document) != expected_divisions:
            problems.append(f"{path.name}: chapters {first_difference(divisions(document), expected_divisions)}")
        got_words = article_words(document)
        if got_words != expected_words:
            problems.append(f"{path.name}: words {first_difference(got_words, expected_words)}")
    assert not problems, "\n".join(problems)


def test_cross_format_comparison_sees_a_wrong_item_label():
    """The comparison itself: a list item with another label or nesting is a difference."""
    from verordeningcheck.model import Article, Document, Lid, ListItem

    def doc(label_a: str, nested: bool):
        inner = [ListItem("1°", "eerste geval;")]
        items = [ListItem(label_a, "de aanvrager;", inner if nested else []), ListItem("b.", "het college.")]
        if not nested:
            items.insert(1, inner[0])
        return Document(articles=[Article("2", "Aanvraag", leden=[Lid("1", "Een aanvraag bevat:", items)])])

    assert structure(doc("a.", True)) == structure(doc("a)", True))
    assert structure(doc("a.", True)) != structure(doc("c.", True))
    assert structure(doc("a.", True)) != structure(doc("a.", False))
