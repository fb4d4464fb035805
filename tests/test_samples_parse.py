"""Every rendering of every sample parses to the articles of its source (format invariance)."""
from __future__ import annotations

import re

import pytest

from verordeningcheck import load

from conftest import HELDOUT, SAMPLES, manifest_samples, renderings, sample_source
from sample_compare import differences, source_articles

CASES = [
    (base, s["id"], path)
    for base in (SAMPLES, HELDOUT)
    for s in manifest_samples(base)
    for path in renderings(s["id"], base)
]
NOISE = re.compile(
    r"Pagina \d+ van \d+|- \d+ -|https?://|lokaleregelgeving\.overheid\.nl|Gemeenteblad \d{4}|\d+/\d+\s*$|"
    r"__VIEWSTATE|Over deze site|Cookies",
    re.M,
)


def test_every_sample_has_all_renderings():
    kinds = ["-inline.pdf", "-nextline.pdf", "-browser.pdf", "-lokaleregelgeving.html", "-gemeenteblad.html",
             "-cvdr.xml", "-typed.docx", "-autonum.docx", ".md", ".txt", "-pasted.txt"]
    samples = manifest_samples()
    assert len(samples) >= 12
    for sample in samples:
        names = [p.name for p in renderings(sample["id"])]
        for kind in kinds:
            assert any(n.endswith(kind) for n in names), f"{sample['id']} lacks {kind}"


@pytest.mark.parametrize("base,sample_id,path", CASES, ids=[p.name for _, _, p in CASES])
def test_rendering_parses_to_source_articles(base, sample_id, path):
    source = sample_source(sample_id, base)
    document = load(path)
    problems = differences(document, source)
    assert not problems, "\n".join(problems)
    # no running header/footer, page number, URL or site chrome inside the regulation text
    for article in document.articles:
        assert not NOISE.search(article.text), (article.number, NOISE.search(article.text).group(0))
        assert article.title == "" or not NOISE.search(article.title)
    # the toelichting is kept apart, never inside an article
    if source.get("toelichting"):
        assert document.toelichting, "toelichting not found"
        first = source["toelichting"][-1]["paragraphs"][-1]
        probe = " ".join(first.split()[:8])
        assert all(probe not in a.text for a in document.articles)
    assert len(document.articles) == len(source_articles(source))
