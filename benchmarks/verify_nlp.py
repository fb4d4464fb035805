"""Check that verordeningcheck.nlp gives exactly the tokens and lemmas of the full spaCy pipeline.

``verordeningcheck.nlp`` builds spaCy's Dutch tokenizer itself (exceptions added on demand)
and reads the lemma lookup table directly. This script tokenises every matching unit of
every rendered sample (all formats) as the analysis does, the rule examples, a set of
punctuation-heavy strings and random strings of tokenizer exceptions both ways and compares text, offsets, punctuation flag and lemma of every token::

    python benchmarks/verify_nlp.py

The reference is ``spacy.blank("nl")`` with the "lemmatizer" pipe in lookup mode, which is
what verordeningcheck used before. Exit status 1 on any difference.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verordeningcheck import nlp  # noqa: E402
from verordeningcheck.analyse import tokenize_document  # noqa: E402
from verordeningcheck.errors import VerordeningcheckError  # noqa: E402
from verordeningcheck.load import load  # noqa: E402
from verordeningcheck.pipeline import get_ruleset  # noqa: E402

# strings that exercise exceptions, affixes, URLs, special-case matching across spaces
TRICKY = [
    "Zie art. 2 lid 3 sub a, m.b.t. de Wmo (o.a. i.v.m. de aanvraag), z.s.m. na 1-1-2012.",
    "De cliënt c.q. zijn vertegenwoordiger; d.w.z. de belanghebbende e.d. enz. enz.",
    "https://lokaleregelgeving.overheid.nl/CVDR12345/1 en www.meerwijk.nl/wmo!",
    "'s Avonds, 's morgens en ’s nachts: 't is zo; m'n huis, z'n auto.",
    "a.b. a. b. c. \u00a0 Jan.-feb. L’exp.-compt.b.. :) :-) (:  C++  \t\n  ''  \"quote\"",
    "Artikel 2:3, Artikel 4.1a, § 5, 1°, 2°, €\u00a010.000,-; 50%; 3x/week.",
    "Wmo-loket/Wmo-consulent, zorgaanbieder/huisarts, in- en uitgang, ex-partner.",
    "bijv. etc. evt. ca. nr. nrs. o.b.v. t.a.v. resp. jo. i.c.m. e.a. a.s. m.u.v.",
    "A.B.C.D. Mr. Dr. Ir. Drs. ing. prof. St. blz. p. pag. hfd. afd. par. lid. art.",
]


def reference():
    import spacy

    pipe = spacy.blank("nl")
    pipe.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipe.initialize()

    def tokenize(texts):
        out = []
        for doc in pipe.pipe(texts, batch_size=256):
            out.append(tuple(
                (t.text, nlp.fold(t.text), nlp.fold(t.lemma_ or t.text), t.idx, t.idx + len(t.text), t.is_punct)
                for t in doc if not t.is_space
            ))
        return out

    return tokenize


def fuzz_texts(seed: int = 7, count: int = 3000) -> list[str]:
    """Random strings of tokenizer-exception keys, words, punctuation and whitespace."""
    import random

    from spacy.lang.nl import Dutch

    keys = sorted(Dutch.Defaults.tokenizer_exceptions)
    words = ["de", "cliënt", "Wmo", "aanvraag", "melding", "(", ")", ".", ",", ";", ":", "'", "’", "-", "/",
             "a", "b", "1.", "2", "art", "nr", "lid", "sub", "’s", "'s", "http://x.nl", "e-mail"]
    separators = [" ", "", "  ", "\n", "\t", "\u00a0", " "]
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [rnd.choice(keys) if rnd.random() < 0.5 else rnd.choice(words) for _ in range(rnd.randint(1, 12))]
        texts.append("".join(part + rnd.choice(separators) for part in parts).strip() or "x")
    return texts


def affix_runs(seed: int = 11, count: int = 60) -> list[str]:
    """Long chunks of prefix/suffix characters (the tokenizer's suffix search on long strings)."""
    import random

    alphabet = list("€$%()[]'\".,;:!?-/&*+") + ["..", "...", "a", "b", "1", "2", "km", "€1", "’", "«", "»"]
    rnd = random.Random(seed)
    runs = []
    for _ in range(count):
        run = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(40, 700)))
        if rnd.random() < 0.5:
            run = run.replace(" ", "")
        runs.append(f"Zie {run} en {rnd.choice(alphabet) * rnd.randint(65, 400)} verder.")
    return runs


def main() -> int:
    ref = reference()
    differences = 0
    tokens = 0

    def compare(name: str, ours, texts) -> None:
        nonlocal differences, tokens
        theirs = ref(texts)
        for a, b in zip(ours, theirs):
            a = tuple(tuple(t) for t in a)
            tokens += len(b)
            if a != b:
                differences += 1
                if differences <= 10:
                    print(f"DIFFERENT in {name}:\n  ours:   {a}\n  spaCy:  {b}")

    files = sorted(p for pattern in ("samples/rendered/*/*", "samples/heldout/rendered/*/*")
                   for p in ROOT.glob(pattern) if p.is_file())
    for path in files:
        try:
            document = load(path)
        except VerordeningcheckError:
            continue
        tokenized = tokenize_document(document)  # what analyse() uses
        compare(str(path.relative_to(ROOT)), tokenized.tokens, [u.text for u in tokenized.units])
        compare(f"{path.relative_to(ROOT)} (title, aanhef)", tokenized.head_tokens,
                [document.title] + list(document.aanhef))

    examples = [s for rule in get_ruleset().rules for s in rule.positive + rule.negative]
    compare("rule examples, one per call", [nlp.tokenize([t])[0] for t in examples], examples)
    compare("tricky strings", nlp.tokenize(TRICKY), TRICKY)
    fuzz = fuzz_texts()
    compare("fuzz, one per call", [nlp.tokenize([t])[0] for t in fuzz[:1500]], fuzz[:1500])
    compare("fuzz, one batch", nlp.tokenize(fuzz[1500:]), fuzz[1500:])
    runs = affix_runs()
    compare("long runs of affix characters", nlp.tokenize(runs), runs)
    # a text that extends another by a space (list item + introducing sentence)
    bases_texts = fuzz[:1000]
    extended = [f"{base} {rest}" for base, rest in zip(bases_texts, fuzz[1000:2000])]
    texts = bases_texts + extended
    bases = [None] * len(bases_texts) + list(range(len(bases_texts)))
    compare("fuzz, extended texts", nlp.tokenize_extended(texts, bases), texts)
    print(f"{tokens} tokens compared, {differences} texts differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
