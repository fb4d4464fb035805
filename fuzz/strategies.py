"""Hypothesis strategies: a sample ordinance of one format plus a list of mutations.

``inputs(fmt)`` draws ``(data, name, ops)``: the mutated bytes, the file name given to
``load``/``check`` (usually the sample's own name, sometimes another extension) and the
operations (for the report when an example fails). See :mod:`mutators` for the operations.
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from mutators import (
    CVDR_TAGS,
    DOCX_TAGS,
    ENCODINGS,
    FORMATS,
    HOSTILE_NUMBERS,
    HTML_TAGS,
    PDF_TOKENS,
    SNIPPETS,
    SPECIAL,
    mutate,
    seed_bytes,
    seed_paths,
)

ALL_FORMATS = FORMATS + ("random",)

pos = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
index = st.integers(min_value=0, max_value=10**6)
unicode_text = st.one_of(
    st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=12).map("".join),
    st.text(min_size=1, max_size=24),
)


def _byte_ops() -> list[st.SearchStrategy]:
    return [
        st.tuples(st.just("flip"), pos, st.integers(1, 255)),
        st.tuples(st.just("truncate"), pos),
        st.tuples(st.just("cut"), pos, st.integers(1, 5000)),
        st.tuples(st.just("dup"), pos, st.integers(1, 2000), st.integers(2, 40)),
        st.tuples(st.just("junk"), pos, st.binary(min_size=1, max_size=64)),
    ]


def _text_ops(max_repeat: int) -> list[st.SearchStrategy]:
    snippet = st.one_of(st.sampled_from(SNIPPETS), st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=4).map("".join))
    return [
        st.tuples(st.just("insert"), pos, unicode_text),
        st.tuples(st.just("insert"), pos, unicode_text),  # twice: the most common operation
        st.tuples(st.just("longline"), pos, snippet, st.integers(50, max_repeat)),
        st.tuples(st.just("join"), pos, st.integers(100, 100_000)),
        st.tuples(st.just("encode"), st.sampled_from(ENCODINGS)),
    ]


def _tree_ops(tags: list[str], max_depth: int) -> list[st.SearchStrategy]:
    tag = st.sampled_from(tags)
    return [
        st.tuples(st.just("t_dup"), index, st.integers(1, 30)),
        st.tuples(st.just("t_nest"), index, tag, st.integers(1, max_depth)),
        st.tuples(st.just("t_move"), index, index),
        st.tuples(st.just("t_delete"), index),
        st.tuples(st.just("t_text"), index, unicode_text),
        st.tuples(st.just("t_rename"), index, tag),
    ]


def _pdf_ops() -> list[st.SearchStrategy]:
    return [
        st.tuples(st.just("pdf_number"), pos, st.sampled_from(HOSTILE_NUMBERS)),
        st.tuples(st.just("pdf_token"), pos, st.sampled_from(PDF_TOKENS)),
    ]


def operations(fmt: str, max_repeat: int = 20_000, max_depth: int = 300, max_ops: int = 6) -> st.SearchStrategy:
    if fmt in ("text", "markdown"):
        choices = _text_ops(max_repeat) + _byte_ops()[:2]
    elif fmt == "html":
        choices = _text_ops(max_repeat) + _tree_ops(HTML_TAGS, max_depth) + _byte_ops()[:2]
    elif fmt == "cvdr":
        choices = _text_ops(max_repeat) + _tree_ops(CVDR_TAGS, max_depth) * 2 + _byte_ops()[:2]
    elif fmt == "docx":
        choices = _text_ops(max_repeat) + _tree_ops(DOCX_TAGS, max_depth) + _byte_ops()[:2]
    elif fmt == "pdf":
        choices = _pdf_ops() * 2 + _byte_ops()
    else:
        raise ValueError(fmt)
    return st.lists(st.one_of(choices), min_size=1, max_size=max_ops)


_PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<cvdr>", b"\xff\xfe", b"\xef\xbb\xbf", b"<html><body>", b"# "]


def _clamp_lines(ops: list[tuple], max_line: int) -> list[tuple]:
    """Keep every inserted line within ``max_line`` characters."""
    out = []
    for op in ops:
        if op[0] == "longline" and len(op[2]) * op[3] > max_line:
            op = (op[0], op[1], op[2], max(1, max_line // len(op[2])))
        out.append(op)
    return out


@st.composite
def inputs(draw, fmt: str, max_repeat: int = 20_000, max_depth: int = 300, max_ops: int = 6,
           max_line: int = 1_000_000):
    """(data, name, description) for one fuzz example of format ``fmt``."""
    if fmt == "random":
        prefix = draw(st.sampled_from(_PREFIXES))
        data = prefix + draw(st.binary(max_size=4096))
        name = draw(st.sampled_from(["x.txt", "x.md", "x.pdf", "x.docx", "x.xml", "x.html", "x"]))
        return data, name, f"random bytes with prefix {prefix!r}"
    path: Path = draw(st.sampled_from(seed_paths(fmt)))
    ops = _clamp_lines(draw(operations(fmt, max_repeat, max_depth, max_ops)), max_line)
    data = mutate(fmt, seed_bytes(path), ops)
    suffix = draw(st.sampled_from([None, None, None, None, ".txt", ".md", ".xml", ""]))
    name = path.name if suffix is None else Path(path.name).stem + suffix
    return data, name, f"{path.parent.name}/{path.name} {ops!r}"
