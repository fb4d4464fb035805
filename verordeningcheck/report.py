"""Stage 5: reports. Reads a CheckResult only; never the original file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from .resources import templates_dir

VERDICT_NL = {
    "old": "Oud model (VNG 2006)",
    "new": "Nieuw model (gekanteld, VNG 2010)",
    "tussenvorm": "Tussenvorm",
    "not_wmo": "Geen Wmo-verordening",
    "amendment": "Wijzigingsverordening",
}
LEAN_NL = {"old": "neigt naar het oude model", "new": "neigt naar het nieuwe model"}
GENERATION_NL = {"vng2006": "VNG-model 2006", "vng2010": "VNG-model 2010 (De Kanteling)", "wmo2015": "Wmo 2015"}
MODEL_NL = {"2006": "2006", "2010": "2010", "tussen": "tussenvorm"}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: f"{round(float(v) * 100)}%"
    env.filters["highlight"] = highlight
    return env


def highlight(text: str, fragments: list[str]) -> Markup:
    """Escape ``text`` and wrap each occurrence of a fragment in <mark>."""
    spans: list[tuple[int, int]] = []
    for fragment in sorted({f for f in fragments if f}, key=len, reverse=True):
        start = text.find(fragment)
        while start >= 0:
            end = start + len(fragment)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = text.find(fragment, end)
    spans.sort()
    out = []
    pos = 0
    for start, end in spans:
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def anchor(article: str, lid: str | None = None) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in article)
    return f"art-{safe}" + (f"-lid-{''.join(ch if ch.isalnum() else '-' for ch in lid)}" if lid else "")


def render_html(result, ruleset=None) -> str:
    from .pipeline import get_ruleset

    ruleset = ruleset or get_ruleset()
    v = result.verdict
    document = result.document
    marks: dict[tuple[str, str | None], list[str]] = {}
    for element in v.elements:
        for evidence in element.evidence:
            marks.setdefault((evidence.article, evidence.lid), []).append(evidence.text)
    env = _environment()
    template = env.get_template("report.html")
    return template.render(
        result=result,
        document=document,
        verdict=v,
        verdict_label=VERDICT_NL.get(v.verdict, v.verdict),
        lean_label=LEAN_NL.get(v.lean or "", ""),
        generation_label=GENERATION_NL.get(v.generation or "", "onbekend"),
        model_label=MODEL_NL,
        elements={e.id: e for e in ruleset.elements.values()},
        marks=marks,
        anchor=anchor,
    )


def write_atomic(path: Path, content: str) -> None:
    """Write to a temp file beside ``path`` and rename: never a truncated report."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
