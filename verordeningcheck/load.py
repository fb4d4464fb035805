"""Stage 1: load a file, detect its format from its content, hand it to a reader."""
from __future__ import annotations

import os
import re
import zipfile
import io
from pathlib import Path

from .errors import (
    EmptyDocument,
    InputError,
    LimitExceeded,
    MalformedDocument,
    UnsupportedFormat,
    VerordeningcheckError,
    os_reason,
)
from .limits import Limits
from .model import Document

FORMATS = ("pdf", "docx", "xml", "html", "markdown", "text")

_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<div[\s>]|<p[\s>]|<h[1-6][\s>]", re.I)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)


def read_input(source: str | os.PathLike | bytes, limits: Limits) -> tuple[bytes, str]:
    """Read the raw bytes of a file (read-only) within the size limit."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        name = "<invoer>"
    else:
        path = Path(source)
        name = str(source)
        try:
            if path.is_dir():
                raise InputError("dit is een map, geen bestand.", name)
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise LimitExceeded(
                    f"het bestand is te groot ({_mb(size)}; de grens is {_mb(limits.max_bytes)}).", name
                )
            with open(path, "rb") as fh:
                data = fh.read(limits.max_bytes + 1)
        except FileNotFoundError:
            raise InputError("bestand niet gevonden.", name) from None
        except PermissionError:
            raise InputError("geen leesrechten voor dit bestand.", name) from None
        except IsADirectoryError:
            raise InputError("dit is een map, geen bestand.", name) from None
        except OSError as exc:
            raise InputError(f"het bestand kan niet worden gelezen ({os_reason(exc)}).", name) from None
    if len(data) > limits.max_bytes:
        raise LimitExceeded(f"het bestand is te groot (de grens is {_mb(limits.max_bytes)}).", name)
    return data, name


def _is_blank(data: bytes) -> bool:
    """Only whitespace? Looks at the start first, so a large file is not copied by strip()."""
    if data[:4096].strip():
        return False
    return not data.strip()


def _mb(n: int) -> str:
    """Bytes in MB, Dutch style: "2,6 MB"; below 0,1 MB in kB ("40 kB")."""
    if n < 0.1 * 1024 * 1024:
        return f"{max(1, round(n / 1024))} kB"
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def detect_format(data: bytes, name: str = "") -> str:
    """Detect the format from the content; the extension only breaks ties (md vs txt)."""
    head = data[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            kind = "Word-bestand (.docx)" if name.lower().endswith(".docx") else "ZIP-bestand"
            raise UnsupportedFormat(f"dit {kind} is beschadigd en kan niet worden gelezen.", name) from None
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            raise UnsupportedFormat(
                "OpenDocument-bestanden (.odt) worden niet ondersteund; sla het document op als .docx of PDF.", name
            )
        raise UnsupportedFormat("dit is een ZIP-archief, geen Word-document (.docx).", name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormat(
            "oude Word-bestanden (.doc) worden niet ondersteund; sla het document op als .docx of PDF.", name
        )
    if stripped.startswith(b"{\\rtf"):
        raise UnsupportedFormat("RTF-bestanden worden niet ondersteund; sla het document op als .docx of PDF.", name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text: decide between markup and text after decoding
        try:
            text_head = data[:4096].decode("utf-16", errors="ignore").lstrip()
        except Exception:  # pragma: no cover - decode with ignore cannot fail
            text_head = ""
        if text_head.startswith("<"):
            return "html" if _HTML_SNIFF.search(text_head.encode("utf-8", "ignore")) else "xml"
        return _text_kind(text_head, name)
    if stripped.startswith(b"<"):
        lowered = stripped[:4096].lower()
        root = _first_root(stripped[:65536])
        if root in ("cvdr", "officiele-publicatie"):
            return "xml"
        if root == "html" or lowered.startswith(b"<!doctype html") or b"<!doctype html" in lowered[:512]:
            return "html"
        if lowered.startswith((b"<?xml", b"<!doctype", b"<!--")) and root is not None:
            return "html" if root in ("body", "div", "p", "head") else "xml"
        if _HTML_SNIFF.search(lowered):
            return "html"
        return "xml"
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("pdf", "docx") and _binary(head):
        # binary data named after a format it is not (text under a wrong name is still read)
        what = "PDF-bestand (de PDF-kop ontbreekt)" if suffix == "pdf" else "Word-bestand (.docx): het is geen ZIP-archief"
        raise MalformedDocument(f"dit is geen geldig {what}; het bestand is mogelijk beschadigd.", name)
    return _text_kind(None, name, data)


def _binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > 0.02 * max(1, len(head))


def _first_root(data: bytes) -> str | None:
    # Skip declarations, comments and doctype; return the local name of the first element.
    pos = 0
    while True:
        m = _XML_ROOT.search(data, pos)
        if not m:
            return None
        start = m.start()
        before = data[max(0, start - 1):start + 2]
        if data[start + 1:start + 2] in (b"?", b"!"):
            pos = m.end()
            continue
        if before.startswith(b"<!") or before.startswith(b"<?"):
            pos = m.end()
            continue
        return m.group(2).decode("ascii", "ignore").lower()


def _text_kind(text_head: str | None, name: str, data: bytes | None = None) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".md", ".markdown"):
        return "markdown"
    if text_head is None and data is not None:
        text_head = data[:65536].decode("utf-8", errors="ignore")
    if text_head and _MD_HEADING.search(text_head):
        return "markdown"
    return "text"


def load(
    source: str | os.PathLike | bytes,
    *,
    name: str | None = None,
    limits: Limits | None = None,
    format: str | None = None,
) -> Document:
    """Read an ordinance from a path or bytes and return its :class:`Document`.

    Raises :class:`~verordeningcheck.errors.InputError` (Dutch message) for anything that
    cannot be read as an ordinance.
    """
    limits = limits or Limits.from_env()
    data, default_name = read_input(source, limits)
    name = name or default_name
    if _is_blank(data):
        raise EmptyDocument("het bestand is leeg.", name)
    kind = format or detect_format(data, name)
    try:
        document = _dispatch(kind, data, name, limits)
    except VerordeningcheckError as exc:
        if exc.source is None:
            exc.source = name
        raise
    except RecursionError:
        raise InputError("het document is te diep genest om te lezen.", name) from None
    except MemoryError:
        raise LimitExceeded("het document is te groot om in het geheugen te lezen.", name) from None
    document.source_name = name
    if not document.articles:
        raise EmptyDocument(
            "er zijn geen artikelen gevonden; is dit wel een verordening? "
            "(Verwacht worden kopjes als 'Artikel 1' of 'Artikel 1.1'.)",
            name,
        )
    return document


def _dispatch(kind: str, data: bytes, name: str, limits: Limits) -> Document:
    if kind == "pdf":
        from .readers.pdf import read_pdf

        return read_pdf(data, name, limits)
    if kind == "docx":
        from .readers.docx import read_docx

        return read_docx(data, name, limits)
    if kind == "xml":
        from .readers.xml import read_xml

        return read_xml(data, name, limits)
    if kind == "html":
        from .readers.html import read_html

        return read_html(data, name, limits)
    if kind in ("markdown", "text"):
        from .readers.text import read_text

        return read_text(data, name, limits, markdown=(kind == "markdown"))
    raise UnsupportedFormat(f"onbekend formaat '{kind}'.", name)
