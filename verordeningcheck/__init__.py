"""verordeningcheck: toetst Wmo-verordeningen aan de VNG-modellen 2006 en 2010.

Python API::

    from verordeningcheck import load, check
    document = load("verordening.pdf")        # Document (articles, leden, toelichting)
    result = check("verordening.pdf")         # CheckResult: verdict, lean, elements, evidence
    print(result.verdict.verdict, result.to_dict()["elements"][0])
"""
__version__ = "0.1.0"

from .load import load  # noqa: E402
from .model import Document  # noqa: E402
from .pipeline import CheckResult, check  # noqa: E402

__all__ = ["load", "check", "CheckResult", "Document", "__version__"]
