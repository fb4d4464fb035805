"""Benchmark inputs generated from the project's sample ordinances.

Everything here is built from ``samples/sources/*.yaml`` with the renderers in
``samples/render.py`` (reportlab for PDF, lxml for CVDR XML), so the benchmark reads
the same kind of text, layout and markup as the test corpus, only more of it:

* ``long_ordinance``: the articles of several Wmo samples one after another, renumbered
  as one chaptered ordinance ("Artikel 7.3"), with an artikelsgewijze toelichting built
  from the samples' own toelichting paragraphs;
* ``mixed_documents``: the committed renderings in ``samples/rendered/`` (every format and
  layout), cycled to the requested count.

Generation is deterministic: the same arguments give the same text.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def load_renderer():
    """Import samples/render.py as a module (it is a script, not part of the package)."""
    name = "verordeningcheck_samples_render"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLES / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses need the module registered while executing
    spec.loader.exec_module(module)
    return module


def wmo_sources(render) -> list:
    """The complete Wmo ordinances among the samples (no amendments, no other subjects)."""
    sources = [render.load_source(path) for path in sorted((SAMPLES / "sources").glob("*.yaml"))]
    return [o for o in sources if o.kind == "wmo"]


def long_ordinance(render, articles: int, toelichting_per_article: int = 2, sources: list | None = None):
    """One Wmo ordinance with ``articles`` articles taken from the samples in turn.

    Chapters are renumbered 1, 2, 3, ... and articles "<chapter>.<n>"; a sample without
    chapters becomes one chapter. The toelichting has a general part (the samples'
    general toelichting) and one section per article with ``toelichting_per_article``
    paragraphs from the samples' artikelsgewijze toelichting, cycled.
    """
    sources = sources or wmo_sources(render)
    chapters = []
    toelichting_pool: list[str] = []
    general = []
    count = 0
    for source in itertools.cycle(sources):
        if count >= articles:
            break
        for section in source.toelichting:
            toelichting_pool.extend(section.paragraphs)
            if section.heading.lower().startswith("algemene") and len(general) < 3:
                general.append(section)
        nodes = [n for n in source.body if isinstance(n, render.Chapter)]
        if not nodes:  # top-level articles: one chapter
            nodes = [render.Chapter(number="1", title="Algemene bepalingen", children=list(source.body))]
        for chapter in nodes:
            if count >= articles:
                break
            number = str(len(chapters) + 1)
            children = []
            n_article = 0
            for child in chapter.children:
                if count >= articles:
                    break
                if isinstance(child, render.Paragraaf):
                    renumbered = []
                    for article in child.children:
                        if count >= articles:
                            break
                        n_article += 1
                        count += 1
                        renumbered.append(dataclasses.replace(article, number=f"{number}.{n_article}"))
                    if renumbered:
                        children.append(dataclasses.replace(
                            child, number=f"{number}.{len(children) + 1}", children=renumbered))
                else:
                    n_article += 1
                    count += 1
                    children.append(dataclasses.replace(child, number=f"{number}.{n_article}"))
            if children:
                chapters.append(render.Chapter(number=number, title=chapter.title, children=children))

    first = sources[0]
    pool = itertools.cycle(toelichting_pool or ["Dit artikel behoeft geen toelichting."])
    toelichting = [dataclasses.replace(s, heading=s.heading) for s in general]
    if toelichting_per_article > 0:
        toelichting.append(render.ToelichtingSection(heading="Artikelsgewijze toelichting", paragraphs=[]))
        for node in render.walk(chapters):
            if isinstance(node, render.Article):
                toelichting.append(render.ToelichtingSection(
                    heading=f"Artikel {node.number}",
                    paragraphs=[next(pool) for _ in range(toelichting_per_article)],
                ))
    title = f"Verordening maatschappelijke ondersteuning {first.gemeente} {first.date.year}"
    return dataclasses.replace(
        first,
        id=f"bench-{articles}",
        title=title,
        citeertitel=title,
        numbering="chaptered",
        body=chapters,
        toelichting=toelichting,
    )


def write_pdf(render, ordinance, path: Path, layout: str = "inline") -> Path:
    render.render_pdf(ordinance, layout, path)
    return path


def write_cvdr(render, ordinance, path: Path) -> Path:
    path.write_bytes(render.render_cvdr(ordinance))
    return path


def write_html(render, ordinance, path: Path) -> Path:
    path.write_text(render.render_lokaleregelgeving(ordinance), encoding="utf-8")
    return path


def mixed_documents(count: int, root: Path = SAMPLES / "rendered") -> list[Path]:
    """``count`` paths from the committed renderings (all formats), cycled in a fixed order.

    The order takes each sample in turn and rotates through its formats, so that any
    prefix of the list mixes samples and formats.
    """
    per_sample = [sorted(p for p in d.iterdir() if p.is_file()) for d in sorted(root.iterdir()) if d.is_dir()]
    per_sample = [files for files in per_sample if files]
    if not per_sample:
        raise SystemExit(f"no rendered samples in {root}; run python samples/render.py")
    rotated = [files[j % len(files):] + files[:j % len(files)] for j, files in enumerate(per_sample)]
    order = [files[k] for k in range(max(map(len, rotated))) for files in rotated if k < len(files)]
    return [order[i % len(order)] for i in range(count)]
