"""Tokens and lemmas equal spaCy's full Dutch pipeline; spaCy imported without its CLI.

``benchmarks/verify_nlp.py`` compares every unit of every sample (about 470,000 tokens);
this test compares a part of it in a fresh interpreter, so that spaCy is imported the way
a cold ``verordeningcheck check`` imports it (``nlp._import_spacy_without_cli``).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {benchmarks!r})
    from verordeningcheck import nlp, load
    from verordeningcheck.analyse import tokenize_document
    import verify_nlp

    ours_first = nlp.tokenize(verify_nlp.TRICKY)  # imports spaCy through the stand-ins
    assert "spacy.cli" not in sys.modules, "stand-in left behind"
    ref = verify_nlp.reference()  # the full pipeline: spacy.blank("nl") + lookup lemmatizer
    texts = list(verify_nlp.TRICKY) + verify_nlp.fuzz_texts(count=400) + verify_nlp.affix_runs(count=10)
    document = load({sample!r})
    units = [u.text for u in tokenize_document(document).units]
    texts += units
    ours = nlp.tokenize(texts)
    theirs = ref(texts)
    differ = [t for t, a, b in zip(texts, ours, theirs) if tuple(tuple(x) for x in a) != b]
    assert not differ, differ[:3]
    assert tuple(tuple(x) for x in ours_first[0]) == theirs[0]
    import spacy.cli, spacy.cli.info
    assert spacy.cli.__file__.endswith("__init__.py") and hasattr(spacy.cli, "download")
    assert callable(spacy.info)
    print("ok", len(texts), sum(len(b) for b in theirs))
    """
)


def test_tokens_and_lemmas_equal_the_full_spacy_pipeline_in_a_fresh_process():
    sample = ROOT / "samples" / "rendered" / "zuiderbroek-2012" / "zuiderbroek-2012-lokaleregelgeving.html"
    script = SCRIPT.format(root=str(ROOT), benchmarks=str(ROOT / "benchmarks"), sample=str(sample))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok ")
    assert int(done.stdout.split()[2]) > 5000  # tokens compared
