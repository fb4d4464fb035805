"""The Dutch spaCy pipeline, loaded once and lazily (blank "nl" + lookup lemmatizer).

Works offline: the lookup tables come from the spacy-lookups-data package.
"""
from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

_LOCK = threading.Lock()
_NLP = None


def pipeline():
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                import spacy

                nlp = spacy.blank("nl")
                nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
                nlp.initialize()
                _NLP = nlp
    return _NLP


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Cliënt" -> "client", "geïnventariseerd" -> "geinventariseerd"."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Token:
    text: str
    lower: str  # folded surface form
    lemma: str  # folded lemma
    start: int  # character offset in the analysed text
    end: int
    is_punct: bool


def tokenize(texts: list[str]) -> list[tuple[Token, ...]]:
    """Tokenise and lemmatise each text (one matching unit: a sentence or a list item)."""
    nlp = pipeline()
    results: list[tuple[Token, ...]] = []
    for doc in nlp.pipe(texts, batch_size=256):
        results.append(
            tuple(
                Token(
                    text=t.text,
                    lower=fold(t.text),
                    lemma=fold(t.lemma_ or t.text),
                    start=t.idx,
                    end=t.idx + len(t.text),
                    is_punct=t.is_punct,
                )
                for t in doc
                if not t.is_space
            )
        )
    return results
