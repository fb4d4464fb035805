"""Mutations of the sample ordinances, shared by ``tests/test_fuzz.py`` and ``fuzz/run.py``.

Every mutation is a plain function of the seed bytes and a list of *operations* (tuples of
numbers and strings), so hypothesis can draw, shrink and print them. The operations are:

bytes level (every format)
    ("flip", pos, value)            xor one byte with ``value``
    ("truncate", pos)               cut the file at ``pos``
    ("cut", pos, length)            remove a range in the middle (a PDF keeps its %%EOF tail)
    ("dup", pos, length, times)     repeat a range of bytes
    ("junk", pos, blob)             insert raw bytes
text level (text, Markdown, HTML, XML, and the XML parts of a DOCX)
    ("insert", pos, text)           insert Unicode: RTL marks, zero-width characters, ...
    ("longline", pos, snippet, n)   insert one line of ``snippet * n`` (no line breaks)
    ("join", pos, length)           remove the line breaks in a range (long lines of real text)
    ("encode", codec)               re-encode the whole text (utf-16, utf-16-le with BOM, cp1252, ...)
tree level (CVDR XML, HTML, word/document.xml)
    ("t_dup", i, times)             duplicate element i
    ("t_nest", i, tag, depth)       wrap element i in ``depth`` nested ``tag`` elements
    ("t_move", i, j)                move element i into element j
    ("t_delete", i)                 remove element i
    ("t_text", i, text)             replace the text of element i
    ("t_rename", i, tag)            rename element i
PDF level
    ("pdf_number", pos, value)      replace a number in an (inflated) content stream
    ("pdf_token", pos, token)       insert an operator or token into an (inflated) content stream
"""
from __future__ import annotations

import base64
import io
import re
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "rendered"

FORMATS = ("text", "markdown", "html", "cvdr", "docx", "pdf")
_PATTERNS = {
    "text": "*.txt",
    "markdown": "*.md",
    "html": "*.html",
    "cvdr": "*-cvdr.xml",
    "docx": "*.docx",
    "pdf": "*.pdf",
}

# Unicode that readers have to survive: bidi controls, zero-width and invisible characters,
# odd separators and spaces, combining marks, noncharacters, astral and private-use code
# points, control characters, and pieces of the structure the readers look for.
SPECIAL = [
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
    "\u2068", "\u2069", "\u061c",  # bidi marks, embeddings, overrides, isolates
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u00ad", "\u034f",  # invisible
    "\u00a0", "\u202f", "\u2007", "\u3000", "\u2028", "\u2029", "\x85", "\x0b", "\x0c",  # spaces, separators
    "\u0301", "\u0308", "\u20dd",  # combining
    "\ufffd", "\ufffe", "\uffff", "\uf0b7", "\U0001F600", "\U0001D400", "\U0010FFFD",  # odd code points
    "漢", "ع", "ש", "\ufb01", "１", "²", "Ⅳ", "ĳ", "İ", "ß", "ﬀ",
    "\x00", "\x01", "\x1b", "\x7f", "\t", "\r", "\n", "\n\n", "\r\n",
    "Artikel ", "Artikel 1", "Hoofdstuk 2", "§ 3", "lid ", "1. ", "a. ", "Toelichting", "Bijlage",
    "gemeente A-A-A-A-A-A-A-A-A-A-A-A-A-A-A", "# ", "*", "**", "[", "](", "_", "-", "–", "•",
    "<", ">", "&", "&amp;", "&#0;", "&lol;", "]]>", "<!--", "-->", "<?x ?>", "<script>", "</p>",
    "<![CDATA[", "%", "\\", "'", '"',
]
SNIPPETS = ["a", "a ", " ", "*a ", "[a", "# ", "-", "A-", "\u200b", "\u202e", "x\u0301", "1.", "\t", "€", "&amp;"]
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252", "latin-1")

CVDR_TAGS = [
    "regeling", "regeling-tekst", "hoofdstuk", "paragraaf", "afdeling", "artikel", "lid", "lidnr", "al",
    "lijst", "li", "li.nr", "kop", "label", "nr", "titel", "toelichting", "vet", "cursief", "table", "tabel",
    "row", "entry", "noot", "definitielijst", "definitie-item", "term", "definitie", "bijlage", "aanhef",
    "afkondiging", "slotformulering", "body", "meta", "extref", "intref", "br", "sup", "plaatje", "p", "span",
]
HTML_TAGS = [
    "div", "p", "span", "h1", "h2", "h3", "h4", "ol", "ul", "li", "dl", "dt", "dd", "table", "tr", "td", "b",
    "strong", "i", "em", "a", "br", "section", "article", "main", "nav", "header", "footer", "script", "style",
    "pre", "blockquote", "sup",
]
DOCX_TAGS = ["p", "r", "t", "tbl", "tr", "tc", "sdt", "sdtContent", "ins", "del", "hyperlink", "smartTag", "body"]
PDF_TOKENS = [
    "0 Tf", "/F1 0 Tf", "/F1 1e9 Tf", "/F2 -12 Tf", "0 0 0 0 0 0 Tm", "1e30 0 0 1e30 0 0 Tm", "3 Tr", "q",
    "Q", "Q Q Q", "BT", "ET", "(Artikel 1) Tj", "T*", "0 -1e9 Td", "[(a) -1e9 (b)] TJ", "90 rotate",
    "0 1 -1 0 0 0 cm", "1 0 0 -1 0 0 cm", "(\\000\\377) Tj", "<FEFF0041> Tj", "/Fx 12 Tf",
]
HOSTILE_NUMBERS = ["0", "-0", "1e9", "-1e9", "0.000001", "99999999999999", "-1", "nan", "1e400", "3.4e38"]


# --------------------------------------------------------------------------- seeds


@lru_cache(maxsize=None)
def seed_paths(fmt: str) -> tuple[Path, ...]:
    return tuple(sorted(SAMPLES.glob(f"*/{_PATTERNS[fmt]}")))


@lru_cache(maxsize=256)
def seed_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        data = inflate_pdf(data)
    return data


# --------------------------------------------------------------------------- helpers


def _at(pos: float, length: int) -> int:
    """A position given as a fraction 0..1 of ``length``."""
    return max(0, min(length, int(pos * length)))


def encode(text: str, codec: str) -> bytes:
    if codec == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    if codec == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass")
    if codec in ("cp1252", "latin-1"):
        return text.encode(codec, "replace")
    return text.encode(codec, "surrogatepass")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _encode_back(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


# --------------------------------------------------------------------------- byte and text operations

BYTE_OPS = {"flip", "truncate", "cut", "dup", "junk"}
TEXT_OPS = {"insert", "longline", "join", "encode"}
TREE_OPS = {"t_dup", "t_nest", "t_move", "t_delete", "t_text", "t_rename"}
PDF_OPS = {"pdf_number", "pdf_token"}


def apply_byte_op(data: bytes, op: tuple, keep_tail: int = 0) -> bytes:
    kind = op[0]
    body = len(data) - keep_tail if keep_tail and len(data) > keep_tail else len(data)
    if kind == "flip":
        if not data:
            return data
        i = min(_at(op[1], body), len(data) - 1)
        return data[:i] + bytes([data[i] ^ (op[2] & 0xFF or 1)]) + data[i + 1:]
    if kind == "truncate":
        return data[: _at(op[1], len(data))]
    if kind == "cut":
        i = _at(op[1], body)
        return data[:i] + data[min(body, i + op[2]):]
    if kind == "dup":
        i = _at(op[1], body)
        piece = data[i:min(body, i + op[2])]
        return data[:i] + piece * op[3] + data[i:]
    if kind == "junk":
        i = _at(op[1], body)
        return data[:i] + op[2] + data[i:]
    raise ValueError(kind)


def apply_text_op(text: str, op: tuple) -> str:
    kind = op[0]
    if kind == "insert":
        i = _at(op[1], len(text))
        return text[:i] + op[2] + text[i:]
    if kind == "longline":
        i = _at(op[1], len(text))
        return text[:i] + "\n" + op[2] * op[3] + "\n" + text[i:]
    if kind == "join":
        i = _at(op[1], len(text))
        j = min(len(text), i + op[2])
        return text[:i] + re.sub(r"[\r\n]+", " ", text[i:j]) + text[j:]
    raise ValueError(kind)


def mutate_text_bytes(data: bytes, ops: list[tuple]) -> bytes:
    """Text and byte operations on a UTF-8 text file (text, Markdown, HTML, XML)."""
    text = _decode(data)
    codec = None
    for op in ops:
        if op[0] in TEXT_OPS - {"encode"}:
            text = apply_text_op(text, op)
        elif op[0] == "encode":
            codec = op[1]
    if codec:
        if codec.startswith("utf-16") and "<?xml" in text[:100]:
            text = text.replace('encoding="utf-8"', 'encoding="UTF-16"', 1)
        data = encode(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), codec)
    else:
        data = _encode_back(text)
    for op in ops:
        if op[0] in BYTE_OPS:
            data = apply_byte_op(data, op)
    return data


# --------------------------------------------------------------------------- tree operations


def apply_tree_ops(root, ops: list[tuple], tags: list[str], namespace: str | None = None) -> None:
    """Structural mutations of an lxml tree (in place)."""
    from lxml import etree

    def qname(tag: str) -> str:
        return f"{{{namespace}}}{tag}" if namespace else tag

    for op in ops:
        kind = op[0]
        if kind not in TREE_OPS:
            continue
        elements = [el for el in root.iter() if isinstance(el.tag, str)]
        if not elements:
            return
        el = elements[op[1] % len(elements)]
        parent = el.getparent()
        if kind == "t_dup" and parent is not None:
            index = parent.index(el)
            for n in range(op[2]):
                parent.insert(index + 1 + n, _copy(el))
        elif kind == "t_nest" and parent is not None:
            index = parent.index(el)
            outer = inner = etree.Element(qname(op[2]))
            for _ in range(op[3] - 1):
                inner = etree.SubElement(inner, qname(op[2]))
            tail, el.tail = el.tail, None
            parent.remove(el)
            inner.append(el)
            outer.tail = tail
            parent.insert(index, outer)
        elif kind == "t_move" and parent is not None:
            target = elements[op[2] % len(elements)]
            if target is not el and el not in set(target.iterancestors()):
                parent.remove(el)
                target.append(el)
        elif kind == "t_delete" and parent is not None:
            parent.remove(el)
        elif kind == "t_text":
            el.text = _xml_safe(op[2])
        elif kind == "t_rename":
            el.tag = qname(op[2])


def _copy(el):
    import copy

    return copy.deepcopy(el)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def mutate_cvdr(data: bytes, ops: list[tuple]) -> bytes:
    from lxml import etree

    tree_ops = [op for op in ops if op[0] in TREE_OPS]
    if tree_ops:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        namespace = etree.QName(root).namespace
        apply_tree_ops(root, tree_ops, CVDR_TAGS, namespace)
        data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return mutate_text_bytes(data, [op for op in ops if op[0] not in TREE_OPS])


def mutate_html(data: bytes, ops: list[tuple]) -> bytes:
    import lxml.html

    tree_ops = [op for op in ops if op[0] in TREE_OPS]
    if tree_ops:
        root = lxml.html.document_fromstring(data)
        apply_tree_ops(root, tree_ops, HTML_TAGS)
        data = lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")
    return mutate_text_bytes(data, [op for op in ops if op[0] not in TREE_OPS])


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def mutate_docx(data: bytes, ops: list[tuple]) -> bytes:
    """Tree and text operations on word/document.xml (and text ops on numbering/styles), re-zipped;
    then byte operations on the archive itself."""
    from lxml import etree

    tree_ops = [op for op in ops if op[0] in TREE_OPS]
    text_ops = [op for op in ops if op[0] in TEXT_OPS]
    byte_ops = [op for op in ops if op[0] in BYTE_OPS]
    if tree_ops or text_ops:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                part = zin.read(info)
                if info.filename == "word/document.xml":
                    if tree_ops:
                        root = etree.fromstring(part, etree.XMLParser(resolve_entities=False, no_network=True))
                        apply_tree_ops(root, tree_ops, DOCX_TAGS, W_NS)
                        part = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    part = _mutate_xml_text(part, text_ops)
                elif info.filename in ("word/numbering.xml", "word/styles.xml") and text_ops:
                    part = _mutate_xml_text(part, text_ops[:1])
                zout.writestr(info.filename, part)
        data = out.getvalue()
    for op in byte_ops:
        data = apply_byte_op(data, op)
    return data


def _mutate_xml_text(part: bytes, ops: list[tuple]) -> bytes:
    """Text operations that land inside ``<w:t>`` text (so the XML stays well-formed), except
    that an insert of markup characters may deliberately break it."""
    if not ops:
        return part
    text = part.decode("utf-8", "surrogateescape")
    spots = [m.end() for m in re.finditer(r"<w:t(?: [^>]*)?>", text)]
    for op in ops:
        if op[0] == "encode":
            continue
        if spots:
            at = spots[_at(op[1], len(spots) - 1)] if len(spots) > 1 else spots[0]
            snippet = apply_text_op("", (op[0], 0.0, *op[2:])) if op[0] != "join" else ""
            text = text[:at] + _xml_escape(snippet) + text[at:]
        else:
            text = apply_text_op(text, op)
    return text.encode("utf-8", "surrogateescape")


def _xml_escape(text: str) -> str:
    return _xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- PDF


_STREAM = re.compile(rb"<<(?P<dict>(?:(?!>>\s*stream).){0,2000}?)>>\s*stream\r?\n", re.S)


def inflate_pdf(data: bytes) -> bytes:
    """The PDF with its Flate (and ASCII85+Flate) streams stored uncompressed, so that
    mutations hit content-stream operators and numbers, not compressed noise. Object offsets
    change; pdfium rebuilds the cross-reference table, as it does for any damaged file."""
    out = []
    pos = 0
    for m in _STREAM.finditer(data):
        if m.start() < pos:
            continue
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        header = m.group("dict")
        raw = data[start:end].rstrip(b"\r\n")
        try:
            if re.search(rb"/Filter\s*\[\s*/ASCII85Decode\s*/FlateDecode\s*\]", header):
                body = zlib.decompress(base64.a85decode(raw.strip(), adobe=raw.strip().endswith(b"~>")))
            elif re.search(rb"/Filter\s*/FlateDecode", header):
                body = zlib.decompress(raw)
            else:
                continue
        except (ValueError, zlib.error):
            continue
        if re.search(rb"/DecodeParms|/Subtype\s*/Image|/Type\s*/XRef|/Type\s*/ObjStm", header):
            continue
        header = re.sub(rb"/Filter\s*(?:\[[^\]]*\]|/\w+)", b"", header)
        header = re.sub(rb"/Length\s+\d+(?:\s+\d+\s+R)?", b"/Length %d" % len(body), header)
        out.append(data[pos:m.start()])
        out.append(b"<<" + header + b">>\nstream\n" + body + b"\n")
        pos = end
    out.append(data[pos:])
    return b"".join(out)


_CONTENT_NUMBER = re.compile(rb"(?<![\w./])-?\d+(?:\.\d+)?(?![\w.])")


def mutate_pdf(data: bytes, ops: list[tuple]) -> bytes:
    """PDF operations on the content streams, then byte operations that keep the %%EOF tail
    (a truncated PDF is already tested; here the parser has to cope with damage inside)."""
    streams = [(m.end(), data.find(b"endstream", m.end())) for m in re.finditer(rb"stream\r?\n", data)]
    streams = [(s, e) for s, e in streams if e > s]
    for op in ops:
        if op[0] not in PDF_OPS or not streams:
            continue
        start, end = streams[_at(op[1], len(streams) - 1)]
        body = data[start:end]
        if op[0] == "pdf_number":
            numbers = list(_CONTENT_NUMBER.finditer(body))
            if not numbers:
                continue
            m = numbers[_at(op[1] * 7 % 1.0, len(numbers) - 1)]
            body = body[: m.start()] + op[2].encode() + body[m.end():]
        else:
            at = body.find(b"\n", _at(op[1] * 13 % 1.0, len(body)))
            at = len(body) if at < 0 else at
            body = body[:at] + b"\n" + op[2].encode("latin-1", "replace") + b"\n" + body[at:]
        data = data[:start] + body + data[end:]
        streams = [(m.end(), data.find(b"endstream", m.end())) for m in re.finditer(rb"stream\r?\n", data)]
        streams = [(s, e) for s, e in streams if e > s]
    for op in ops:
        if op[0] in BYTE_OPS:
            data = apply_byte_op(data, op, keep_tail=64 if op[0] != "truncate" else 0)
    return data


MUTATORS = {
    "text": mutate_text_bytes,
    "markdown": mutate_text_bytes,
    "html": mutate_html,
    "cvdr": mutate_cvdr,
    "docx": mutate_docx,
    "pdf": mutate_pdf,
}


def mutate(fmt: str, data: bytes, ops: list[tuple]) -> bytes:
    return MUTATORS[fmt](data, ops)
