"""Dutch labels for verdicts, leans, generations and formats in terminal, CI and report output.

The HTML report uses its own capitalised heading variants (report.py).
"""

VERDICT_NL = {
    "old": "oud (VNG-model 2006)",
    "new": "nieuw (gekanteld, VNG-model 2010)",
    "tussenvorm": "tussenvorm",
    "not_wmo": "geen Wmo-verordening",
    "amendment": "wijzigingsverordening",
}
KIND_NL = {
    "wmo": "Wmo-verordening",
    "sociaal_domein": "verordening sociaal domein (Wmo, Jeugdwet en Participatiewet samen)",
    "not_wmo": "geen Wmo-verordening",
    "amendment": "wijzigingsverordening",
}
LEAN_NL = {"old": "neigt naar oud", "new": "neigt naar nieuw"}
MODEL_NL = {"2006": "2006", "2010": "2010", "tussen": "tussenvorm"}
GENERATION_NL = {"vng2006": "VNG 2006", "vng2010": "VNG 2010 (De Kanteling)", "wmo2015": "Wmo 2015"}
FORMAT_NL = {
    "pdf": "PDF",
    "html": "HTML",
    "cvdr-xml": "CVDR-XML",
    "op-xml": "XML (officiële publicaties)",
    "docx": "Word (DOCX)",
    "markdown": "Markdown",
    "text": "platte tekst",
}


def verdict_label(verdict: str, lean: str | None) -> str:
    """"tussenvorm, neigt naar nieuw": the verdict in Dutch, with the lean when there is one."""
    label = VERDICT_NL.get(verdict, verdict)
    if lean:
        label += f", {LEAN_NL.get(lean, lean)}"
    return label
