"""Dutch for the texts of click itself (help headings, usage errors) in the CLI.

click marks its own messages with :mod:`gettext` ("Usage:", "Error: {message}", "Invalid
value for ...") and looks them up in the current gettext domain. The command-line entry
point calls :func:`use_dutch_for_click`, which binds that domain to the catalogue in
``verordeningcheck/locale`` and asks gettext for Dutch; the Python API and the web app do
not touch gettext.

The catalogue is written as ``messages.po``; ``messages.mo`` is compiled from it with
``python -m verordeningcheck.i18n`` (no GNU gettext tools needed; a test checks that the two
agree).
"""
from __future__ import annotations

import ast
import gettext
import os
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PO_FILE = LOCALE_DIR / "nl" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def use_dutch_for_click() -> None:
    """Make click's own messages Dutch in this process (the CLI only)."""
    if not MO_FILE.is_file():  # pragma: no cover - a broken installation: stay English
        return
    gettext.bindtextdomain(gettext.textdomain(), str(LOCALE_DIR))
    # the language comes from the environment; the tool speaks Dutch whatever the locale
    os.environ["LANGUAGE"] = "nl"


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file (plural forms joined by NUL, as in a .mo file)."""
    entries: dict[str, str] = {}
    entry: dict | None = None  # {"msgid": [...], "plural": [...] or None, "forms": {n: [...]}}
    field: list[str] | None = None  # where a continuation line ("...") goes

    def flush() -> None:
        if entry is None:
            return
        key = "".join(entry["msgid"])
        forms = entry["forms"]
        if entry["plural"] is not None:
            key += "\0" + "".join(entry["plural"])
            entries[key] = "\0".join("".join(forms[n]) for n in sorted(forms))
        else:
            entries[key] = "".join(forms.get(0, []))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if field is None:
                raise ValueError(f"line {number}: text outside an entry")
            field.append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        if keyword == "msgid":
            flush()
            entry = {"msgid": [value], "plural": None, "forms": {}}
            field = entry["msgid"]
        elif entry is None:
            raise ValueError(f"line {number}: {keyword} before msgid")
        elif keyword == "msgid_plural":
            field = entry["plural"] = [value]
        elif keyword == "msgstr" or (keyword.startswith("msgstr[") and keyword.endswith("]")):
            n = 0 if keyword == "msgstr" else int(keyword[7:-1])
            field = entry["forms"][n] = [value]
        else:
            raise ValueError(f"line {number}: unknown keyword {keyword!r}")
    flush()
    return entries


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU .mo file (little-endian, revision 0) of ``entries``."""
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    count = len(keys)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets: list[tuple[int, int]] = []
    blob = b""
    for item in ids + strs:
        offsets.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, 0)
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    return out + blob


def build() -> bytes:
    return compile_mo(parse_po(PO_FILE.read_text(encoding="utf-8")))


if __name__ == "__main__":
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    MO_FILE.write_bytes(compile_mo(entries))
    print(f"{MO_FILE} ({len(entries)} entries)")
