"""Compare a parsed Document with the team's YAML source of the same ordinance."""
from __future__ import annotations

import re

_WS = re.compile(r"\s+")


def norm(text: str | None) -> str:
    text = (text or "").replace("\u00ad", "").replace("\u00a0", " ")
    return _WS.sub(" ", text).strip()


def _flatten_items(items) -> list[str]:
    out = []
    for item in items or []:
        text = item["text"] if isinstance(item, dict) else item.text
        out.append(norm(text))
        out.extend(_flatten_items(item.get("items") if isinstance(item, dict) else item.items))
    return out


def source_articles(source: dict) -> list[dict]:
    articles = []

    def add(article_list):
        for a in article_list or []:
            articles.append(a)

    add(source.get("articles"))
    for paragraaf in source.get("paragrafen") or []:  # paragrafen without chapters (render.py allows it)
        add(paragraaf.get("articles"))
    for chapter in source.get("chapters") or []:
        add(chapter.get("articles"))
        for paragraaf in chapter.get("paragrafen") or []:
            add(paragraaf.get("articles"))
    return articles


def expected_structure(source: dict) -> list[tuple]:
    result = []
    for a in source_articles(source):
        leden = []
        if a.get("status") != "vervallen":
            for lid in a.get("leden") or []:
                number = lid.get("number")
                leden.append((None if number is None else str(number), norm(lid.get("text")), _flatten_items(lid.get("items"))))
        result.append((str(a["number"]), norm(a.get("title")), a.get("status"), leden))
    return result


def parsed_structure(document) -> list[tuple]:
    result = []
    for a in document.articles:
        leden = [(lid.number, norm(lid.text), _flatten_items(lid.items)) for lid in a.leden]
        result.append((a.number, norm(a.title), a.status, leden))
    return result


def differences(document, source: dict, limit: int = 8) -> list[str]:
    expected = expected_structure(source)
    parsed = parsed_structure(document)
    problems = []
    if [e[0] for e in expected] != [p[0] for p in parsed]:
        problems.append(f"article numbers differ: expected {[e[0] for e in expected]}, got {[p[0] for p in parsed]}")
        return problems
    for e, p in zip(expected, parsed):
        if e[1] != p[1]:
            problems.append(f"art {e[0]} title: expected {e[1]!r}, got {p[1]!r}")
        if e[2] != p[2]:
            problems.append(f"art {e[0]} status: expected {e[2]!r}, got {p[2]!r}")
        if len(e[3]) != len(p[3]):
            problems.append(f"art {e[0]}: expected {len(e[3])} leden {[l[0] for l in e[3]]}, got {len(p[3])} {[l[0] for l in p[3]]}")
            continue
        for el, pl in zip(e[3], p[3]):
            if el[0] != pl[0]:
                problems.append(f"art {e[0]} lid number: expected {el[0]!r}, got {pl[0]!r}")
            if el[1] != pl[1]:
                problems.append(f"art {e[0]} lid {el[0]} text:\n   expected {el[1][:300]!r}\n   got      {pl[1][:300]!r}")
            if el[2] != pl[2]:
                problems.append(f"art {e[0]} lid {el[0]} items:\n   expected {el[2]}\n   got      {pl[2]}")
    return problems[:limit]
