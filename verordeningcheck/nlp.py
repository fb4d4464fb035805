"""Dutch tokens and lemmas: spaCy's Dutch tokenizer and its lookup lemmas, loaded once, lazily.

The matcher needs, per token, its text, offset, whether it is punctuation, and its lemma as
given by spaCy's lookup lemmatizer for Dutch. That is exactly what ``spacy.blank("nl")`` plus
``nlp.add_pipe("lemmatizer", config={"mode": "lookup"})`` produce, but loading that pipeline
costs more than a whole check of a typical ordinance (the ``Language`` object and its config
machinery, all 4,670 tokenizer exceptions, and the 213,000-entry lemma table converted into a
spaCy ``Table``). So only what is used is loaded, and none of it changes a token or a lemma:

* the tokenizer is spaCy's own ``Tokenizer`` built from the Dutch language defaults exactly
  as spaCy's tokenizer factory builds it (prefix, suffix and infix rules, URL pattern,
  tokenizer exceptions). A tokenizer exception ("special case") can only influence the
  tokens of a text that contains its string (whitespace ignored: the special-case matcher
  matches token sequences), so each exception is added the first time a text containing it
  is tokenised, instead of all of them up front;
* the vocabulary computes only the two lexical flags that are read (``is_punct``,
  ``is_space``), with spaCy's own functions;
* the lemma is what spaCy's ``DutchLemmatizer.lookup_lemmatize`` returns: the entry for the
  lower-cased token text in the ``lemma_lookup`` table of spacy-lookups-data, else the
  lower-cased text. The table is read from spacy-lookups-data directly; a copy in SQLite in
  the user cache directory (keyed by the spacy-lookups-data version and the table file) lets
  later processes look up only the words they meet instead of parsing the whole table. If
  the cache directory cannot be written, the table is read into memory instead (offline in
  both cases). ``VERORDENINGCHECK_CACHE_DIR`` sets the cache directory; ``off`` disables it.

Long inputs stay linear: spaCy's suffix search is given an equivalent function that looks
only at the end of a long string (see ``_SuffixSearch``), and a list item, matched together
with its introducing sentence, reuses that sentence's tokens (``tokenize_extended``). Two
differences from ``nlp(text)``: the tokenizer has no ``nlp.max_length`` check, so a matching
unit of more than 1,000,000 characters is analysed instead of raising spaCy's error E088; and
a run of more than 1,000 characters without whitespace is tokenised in pieces of 1,000
(``_DutchNLP._rows``: spaCy's affix splitting is quadratic in the length of such a run).
``benchmarks/verify_nlp.py`` compares every token and lemma with the full spaCy pipeline.
"""
from __future__ import annotations

import gc
import gzip
import hashlib
import json
import os
import re
import sqlite3
import sys
import threading
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

_LOCK = threading.RLock()
_NLP: "_DutchNLP | None" = None

_CACHE_SCHEMA = 1  # bump when the layout of the SQLite cache changes
_SQL_BATCH = 900  # host parameters per query (SQLite's historic limit is 999)
_MAX_WORDS = 500_000  # bound of the per-process memo of token texts
_MAX_SCREENED = 200_000  # bound of the per-process memo of texts screened for exceptions


def pipeline() -> "_DutchNLP":
    """The shared tokenizer and lemma table (created on first use, thread-safe)."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                _NLP = _DutchNLP()
    return _NLP


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects without cycles.

    Bursts of allocations (a token per word) trigger collections that rescan every object
    the process holds, spaCy's included; on the benchmark that was 60% of tokenising.
    Objects are never leaked: cycles made meanwhile are collected once it runs again.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_FOLDED: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Cliënt" -> "client", "geïnventariseerd" -> "geinventariseerd"."""
    folded = _FOLDED.get(text)
    if folded is None:
        folded = text.lower()
        if not folded.isascii():
            folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
        if len(_FOLDED) < 500_000:  # words repeat; bounded so that odd input cannot grow it forever
            _FOLDED[text] = folded
    return folded


class Token(NamedTuple):
    text: str
    lower: str  # folded surface form
    lemma: str  # folded lemma
    start: int  # character offset in the analysed text
    end: int
    is_punct: bool


def tokenize(texts: list[str]) -> list[tuple[Token, ...]]:
    """Tokenise and lemmatise each text (one matching unit: a sentence or a list item)."""
    return pipeline().tokenize(texts)


def tokenize_extended(texts: list[str], bases: list[int | None]) -> list[tuple[Token, ...]]:
    """:func:`tokenize`, for texts that extend an earlier text of the list by a space and more.

    ``bases[i]`` is the index of an earlier text that ``texts[i]`` may start with, followed by
    one space (a list item matched together with its introducing sentence), or None. The
    tokens of such a text are the tokens of the base followed by those of the rest, shifted,
    whenever that is what spaCy gives for the whole text: the tokenizer splits at the space,
    and only a tokenizer exception whose string spans the space could join across it (then
    the whole text is tokenised). The result equals ``tokenize(texts)``.
    """
    return pipeline().tokenize_extended(texts, bases)


# --------------------------------------------------------------------------- the pipeline


def _import_spacy_without_cli() -> None:
    """``import spacy``, minus its command-line package, which a check never uses.

    ``spacy/__init__.py`` imports ``spacy.cli.info`` for the ``spacy.info`` helper, and with it
    the whole ``spacy.cli`` package (typer, weasel, requests, httpx, rich): about 0.3 s of a
    cold start of 1.5 s. While spaCy is imported, ``spacy.cli`` and ``spacy.cli.info`` are
    stand-ins; afterwards they are removed from ``sys.modules``, so a later ``import
    spacy.cli`` (by an application, say) gets the real package, and ``spacy.info`` calls the
    real function. If the stand-ins ever break the import (a future spaCy), spaCy is imported
    again the normal way. Tokens and lemmas do not depend on any of this
    (``benchmarks/verify_nlp.py``, ``tests/test_nlp.py``).
    """
    if "spacy" in sys.modules:
        return
    import types

    def info(*args, **kwargs):  # the real spacy.info, imported when called
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package: "spacy.cli.info" resolves to the stand-in below
    cli_info = types.ModuleType("spacy.cli.info")
    cli_info.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": cli_info}
    sys.modules.update(stand_ins)
    try:
        import spacy  # noqa: F401
    except Exception:  # noqa: BLE001 - fall back to a plain import below
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    import spacy  # noqa: F401,F811 - a no-op when the import above succeeded


class _DutchNLP:
    """spaCy's Dutch tokenizer with lazily added exceptions, plus the lookup lemmas."""

    def __init__(self) -> None:
        _import_spacy_without_cli()
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
        from spacy.lang.lex_attrs import LEX_ATTRS
        from spacy.lang.nl import Dutch
        from spacy.tokenizer import Tokenizer
        from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
        from spacy.vocab import Vocab

        defaults = Dutch.Defaults
        vocab = Vocab(lex_attr_getters={IS_PUNCT: LEX_ATTRS[IS_PUNCT], IS_SPACE: LEX_ATTRS[IS_SPACE]})
        # as spacy.language.create_tokenizer, but without the exceptions (added on demand)
        self.tokenizer = Tokenizer(
            vocab,
            rules={},
            prefix_search=compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
            suffix_search=_SuffixSearch(defaults.suffixes, compile_suffix_regex) if defaults.suffixes else None,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )
        self._attrs = [IDX, LENGTH, IS_PUNCT, IS_SPACE]
        self._exceptions = _ExceptionIndex(defaults.tokenizer_exceptions)
        for key in self._exceptions.always():  # whitespace exceptions: needed by every text
            self.tokenizer.add_special_case(key, self._exceptions.rules[key])
        self.lemmas = _LemmaTable()
        self._words: dict[str, tuple[str, str]] = {}  # token text -> (folded text, folded lemma)

    def tokenize(self, texts: list[str], offsets: list[int] | None = None) -> list[tuple[Token, ...]]:
        """Tokens of each text; ``offsets[i]`` is added to the offsets of text i's tokens."""
        offsets = offsets or [0] * len(texts)
        with _LOCK, gc_paused():  # the tokenizer's cache and the exception set are shared state
            for key in self._exceptions.needed(texts):
                self.tokenizer.add_special_case(key, self._exceptions.rules[key])
            rows_per_text = [self._rows(text) for text in texts]
            # (text, start, end, is_punct) of every token that is not whitespace
            spans_per_text = [
                [(text[idx:idx + length], idx + shift, idx + length + shift, punct)
                 for idx, length, punct, space in rows if not space]
                for text, rows, shift in zip(texts, rows_per_text, offsets)
            ]
            words = self._words
            new = {span[0] for spans in spans_per_text for span in spans if span[0] not in words}
            if new:
                if len(words) + len(new) > _MAX_WORDS:  # bounded memo: start again
                    words.clear()
                table = self.lemmas.lookup({word.lower() for word in new})
                for word in new:
                    lower = word.lower()
                    lemma = table[lower]
                    if lemma is None:  # DutchLemmatizer.lookup_lemmatize: table.get(lower, lower)
                        lemma = lower
                    words[word] = (fold(word), fold(lemma or word))
            make = tuple.__new__
            return [
                tuple(make(Token, (word, *words[word], start, end, punct == 1)) for word, start, end, punct in spans)
                for spans in spans_per_text
            ]

    def _rows(self, text: str) -> list[list[int]]:
        """(offset, length, is_punct, is_space) of each token of ``text``.

        spaCy strips a prefix or suffix from a chunk (the text between two whitespace
        characters) by copying the rest of the chunk: a chunk of n affix characters ("????",
        "((((", "€€€€") costs n copies of up to n characters. A chunk of more than
        ``_MAX_CHUNK`` characters (no word of any ordinance is that long) is therefore
        tokenised in pieces of that size: linear, and the same tokens as spaCy's everywhere
        else in the text (200,000 "?" in one title: 13 s before, about 1 s now).
        """
        if len(text) <= _MAX_CHUNK or _LONG_CHUNK.search(text) is None:
            return self.tokenizer(text).to_array(self._attrs).tolist()
        rows: list[list[int]] = []
        for piece, start in _pieces(text):
            for idx, length, punct, space in self.tokenizer(piece).to_array(self._attrs).tolist():
                rows.append([idx + start, length, punct, space])
        return rows

    def tokenize_extended(self, texts: list[str], bases: list[int | None]) -> list[tuple[Token, ...]]:
        # plan[i] = (base index or None, segment to tokenise, its offset in texts[i])
        plan: list[tuple[int | None, str, int]] = []
        for i, (text, base_index) in enumerate(zip(texts, bases)):
            if base_index is not None and 0 <= base_index < i:
                base = texts[base_index]
                rest = text[len(base) + 1:]
                if (
                    base
                    and rest
                    and text[len(base):len(base) + 1] == " "
                    and text.startswith(base)
                    and not base[-1].isspace()
                    and not rest[0].isspace()
                    and not self._exceptions.spans_junction(base, rest)
                ):
                    plan.append((base_index, rest, len(base) + 1))
                    continue
            plan.append((None, text, 0))
        segments = list(dict.fromkeys((segment, offset) for _, segment, offset in plan))
        tokens = dict(zip(segments, self.tokenize([s for s, _ in segments], [o for _, o in segments])))
        results: list[tuple[Token, ...]] = []
        for base_index, segment, offset in plan:
            own = tokens[(segment, offset)]
            results.append(own if base_index is None else results[base_index] + own)
        return results


_MAX_CHUNK = 1000  # longest run without whitespace given to spaCy's tokenizer in one piece
_LONG_CHUNK = re.compile(r"\S{%d,}" % (_MAX_CHUNK + 1))


def _pieces(text: str) -> Iterator[tuple[str, int]]:
    """``text`` cut before and inside each run of more than ``_MAX_CHUNK`` non-whitespace
    characters (runs cut into pieces of ``_MAX_CHUNK``), with the offset of each piece."""
    position = 0
    for m in _LONG_CHUNK.finditer(text):
        if m.start() > position:
            yield text[position:m.start()], position
        for start in range(m.start(), m.end(), _MAX_CHUNK):
            yield text[start:min(start + _MAX_CHUNK, m.end())], start
        position = m.end()
    if position < len(text):
        yield text[position:], position


class _SuffixSearch:
    """spaCy's suffix search (``compile_suffix_regex(suffixes).search``), fast on long strings.

    The tokenizer strips one prefix or suffix at a time and searches the rest of the chunk
    for a suffix again, so a chunk of thousands of affix characters ("€€€...", "(((...")
    costs a full regex scan per character: quadratic. Every alternative ends in ``$``, so
    a match ends at the end of the string (strings with a line break, where ``$`` can also
    match before it, and short strings use the plain search). The alternatives of bounded
    width are therefore searched only from ``len - widest``; lookbehinds still see the whole
    string. The unbounded ones (the ellipsis ``\\.\\.+``) are searched as before, and the
    leftmost match of both is spaCy's match: same start, same end.
    """

    _SHORT = 64

    def __init__(self, suffixes, compile_suffix_regex) -> None:
        pieces = [piece for piece in suffixes if piece.strip()]
        self._search = compile_suffix_regex(pieces).search
        self._bounded = self._unbounded = None
        self._width = 0
        try:
            from re import _parser
        except ImportError:  # pragma: no cover - Python < 3.11
            return
        bounded, unbounded = [], []
        try:
            for piece in pieces:
                if not isinstance(piece, str) or _top_level_bar(piece):
                    return  # "a|b$": not every alternative is anchored at the end
                low, high = _parser.parse(piece + "$").getwidth()
                if high <= 1000:
                    bounded.append(piece)
                    self._width = max(self._width, high)
                else:
                    unbounded.append(piece)
        except Exception:  # an unexpected pattern: keep the plain search
            return
        self._bounded = compile_suffix_regex(bounded).search if bounded else None
        self._unbounded = compile_suffix_regex(unbounded).search if unbounded else None

    def __call__(self, string: str):
        if len(string) <= self._SHORT or (self._bounded is None and self._unbounded is None) or "\n" in string:
            return self._search(string)
        found = self._bounded(string, max(0, len(string) - self._width)) if self._bounded else None
        if self._unbounded is not None:
            other = self._unbounded(string)
            if other is not None and (found is None or other.start() < found.start()):
                found = other
        return found


def _top_level_bar(pattern: str) -> bool:
    """Does the regular expression have a "|" outside groups and character classes?"""
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # skip the class; "]" right after "[" or "[^" is a literal
            i += 1
            if i < len(pattern) and pattern[i] == "^":
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                i += 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        i += 1
    return False


def _visible_end(text: str, n: int) -> str:
    """``"".join(text.split())[-n:]`` without squeezing all of a long text."""
    size = 2 * n + 16
    while True:
        piece = text[-size:]
        squeezed = "".join(piece.split())
        if len(squeezed) >= n or size >= len(text):
            return squeezed[-n:] if n > 0 else ""
        size *= 4


def _visible_start(text: str, n: int) -> str:
    """``"".join(text.split())[:n]`` without squeezing all of a long text."""
    size = 2 * n + 16
    while True:
        squeezed = "".join(text[:size].split())
        if len(squeezed) >= n or size >= len(text):
            return squeezed[:n] if n > 0 else ""
        size *= 4


class _ExceptionIndex:
    """Which tokenizer exceptions a batch of texts can trigger.

    An exception with key K can only change the tokens of a text whose non-whitespace
    characters contain K's non-whitespace characters: chunks are split at whitespace, affix
    splitting only looks at substrings of a chunk, and the special-case matcher compares
    token texts (which never contain whitespace). Each key is indexed under one of its
    character bigrams (the rarest among all keys), so a batch is screened with the set of
    its bigrams (all of a key's bigrams must occur); survivors get a substring test.
    """

    def __init__(self, rules: dict) -> None:
        self.rules = rules
        self._added: set[str] = set()
        self._screened: set[str] = set()
        self._always: list[str] = []  # keys of whitespace only
        self._single: list[tuple[str, str]] = []  # keys of one visible character
        self._by_gram: dict[tuple[str, str], list[tuple[str, str, frozenset]]] = {}
        squeezed = {key: "".join(key.split()) for key in rules}
        self._longest = max(map(len, squeezed.values()), default=1)
        counts: dict[tuple[str, str], int] = {}
        for compact in squeezed.values():
            for gram in zip(compact, compact[1:]):
                counts[gram] = counts.get(gram, 0) + 1
        for key in sorted(rules):
            compact = squeezed[key]
            if not compact:
                self._always.append(key)
            elif len(compact) == 1:
                self._single.append((key, compact))
            else:
                grams = frozenset(zip(compact, compact[1:]))
                anchor = min(grams, key=lambda gram: (counts[gram], gram))
                self._by_gram.setdefault(anchor, []).append((key, compact, grams))

    def spans_junction(self, left: str, right: str) -> bool:
        """Could an exception's string occur across the space in ``left + " " + right``?"""
        reach = self._longest - 1
        tail = _visible_end(left, reach)
        head = _visible_start(right, reach)
        joined = tail + head
        junction = len(tail)
        grams = set(zip(joined, joined[1:]))
        by_gram = self._by_gram
        for gram in grams & by_gram.keys():
            for _key, key_compact, key_grams in by_gram[gram]:
                if key_grams <= grams:
                    found = joined.find(key_compact, max(0, junction - len(key_compact) + 1))
                    if 0 <= found < junction:
                        return True
        return False

    def always(self) -> list[str]:
        self._added.update(self._always)
        return list(self._always)

    def needed(self, texts: Iterable[str]) -> list[str]:
        """Keys not added yet that occur in the texts, in sorted order (as spaCy adds them).

        A text screened before needs nothing new: every key it contains was added then.
        """
        screened = self._screened
        texts = [text for text in dict.fromkeys(texts) if text not in screened]
        if not texts:
            return []
        if len(screened) + len(texts) > _MAX_SCREENED:
            screened.clear()
        screened.update(texts)
        compact = "".join("\x00".join(texts).split())  # \x00: never join two texts into a key
        added = self._added
        found = [key for key, char in self._single if key not in added and char in compact]
        grams = set(zip(compact, compact[1:]))
        by_gram = self._by_gram
        for gram in grams & by_gram.keys():
            for key, key_compact, key_grams in by_gram[gram]:
                if key not in added and key_grams <= grams and key_compact in compact:
                    found.append(key)
        found.sort()
        added.update(found)
        return found


# --------------------------------------------------------------------------- lemma table


class _LemmaTable:
    """spaCy's Dutch ``lemma_lookup`` table, looked up for the words met only."""

    def __init__(self) -> None:
        self._memo: dict[str, str | None] = {}
        self._source = _lookup_file()
        self._cache = _cache_path(self._source)
        self._table: dict[str, str] | None = None
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        if self._connect() is None:
            self._table = _read_table(self._source)

    def _connect(self) -> sqlite3.Connection | None:
        """A read-only connection to the cache (built first if missing), or None."""
        self._db = None
        if self._cache is None:
            return None
        try:
            if not self._cache.exists():
                _build_cache(self._source, self._cache)
            db = sqlite3.connect(f"{self._cache.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            db.execute("SELECT v FROM lemma WHERE k = ''").fetchall()
        except (OSError, sqlite3.Error):
            return None  # unwritable or broken cache: the caller reads the table into memory
        self._db, self._pid = db, os.getpid()
        return db

    def lookup(self, words: set[str]) -> dict[str, str | None]:
        """The memo, filled for ``words``: lemma, or None when the word is not in the table."""
        memo = self._memo
        missing = [word for word in words if word not in memo]
        if not missing:
            return memo
        with _LOCK:
            if self._table is None:
                try:
                    if self._pid != os.getpid():  # a forked child must not share the connection
                        self._connect()
                    if self._db is None:
                        raise sqlite3.DatabaseError("no lemma cache")
                    found: dict[str, str] = {}
                    for start in range(0, len(missing), _SQL_BATCH):
                        chunk = missing[start:start + _SQL_BATCH]
                        marks = ",".join("?" * len(chunk))
                        found.update(self._db.execute(f"SELECT k, v FROM lemma WHERE k IN ({marks})", chunk))
                    for word in missing:
                        memo[word] = found.get(word)
                    return memo
                except sqlite3.Error:  # the cache broke meanwhile: use the table itself from now on
                    self._db = None
                    self._table = _read_table(self._source)
            for word in missing:
                memo[word] = self._table.get(word)
        return memo


def _lookup_file() -> Path:
    """The Dutch lemma lookup table of spacy-lookups-data (``.json`` or ``.json.gz``)."""
    import spacy_lookups_data

    path = Path(str(spacy_lookups_data.nl["lemma_lookup"]))
    if path.exists():
        return path
    return path.with_suffix(path.suffix + ".gz")


def _read_table(path: Path) -> dict[str, str]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return json.loads(data)


def _cache_path(source: Path) -> Path | None:
    from .cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    try:
        import spacy_lookups_data

        version = getattr(spacy_lookups_data, "__version__", "unknown")
        stat = source.stat()
    except (ImportError, OSError):
        return None
    stamp = hashlib.sha256(f"{_CACHE_SCHEMA}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return base / f"nl_lemma_lookup-{version}-{stamp}.sqlite3"


def _build_cache(source: Path, cache: Path) -> None:
    """Write the table to SQLite beside the target, then rename it into place (atomic)."""
    from .cache import replacing

    table = _read_table(source)
    with replacing(cache) as tmp:
        db = sqlite3.connect(tmp)
        try:
            db.execute("CREATE TABLE lemma (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO lemma VALUES (?, ?)", table.items())
            db.commit()
        finally:
            db.close()
