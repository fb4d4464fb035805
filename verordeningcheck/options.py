"""Command-line options shared by check, parse, diff, batch and serve (only click needed)."""
from __future__ import annotations

from pathlib import Path

import click

rules_option = click.option(
    "--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="MAP",  # explicit: click's translated type name depends on when gettext is set up
    help="Extra map met regels die de meegeleverde regels aanvullen of vervangen (herhaalbaar).",
)
max_mb_option = click.option(
    "--max-mb", type=float, default=None, help="Maximale bestandsgrootte in MB (standaard 50)."
)
max_pages_option = click.option(
    "--max-pages", type=int, default=None, help="Maximaal aantal PDF-pagina's (standaard 500)."
)


def limit_options(func):
    """--max-mb and --max-pages (passed as ``max_mb``, ``max_pages``; see limits.limits_from_options)."""
    return max_mb_option(max_pages_option(func))


wet_option = click.option(
    "--wet", "wet", type=click.Choice(["2007", "2015"]), default=None,
    help="Toets de wettelijke eisen aan deze Wmo (2007 of 2015) in plaats van de wet die uit de aanhef en de "
         "datum van de verordening volgt.",
)
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
    metavar="BESTAND",
    help="Bestand met uitzonderingen (zoals .verordeningcheck.yaml). Standaard: het dichtstbijzijnde "
         ".verordeningcheck.yaml naast of boven het getoetste bestand.",
)


def exceptions_for(path, ruleset, config_path: Path | None) -> dict:
    """Exceptions from .verordeningcheck.yaml (or --config) for one checked file. For a CVDR id
    or link (no local file) the nearest .verordeningcheck.yaml from the working directory
    applies, with the exceptions that are not limited to certain files."""
    import os

    from .repoconfig import exceptions_for_file, find

    known = {i for c in ruleset.requirement_catalogues() for i in c.items}
    local = isinstance(path, Path) or (isinstance(path, str) and os.path.exists(path))
    if local:
        return exceptions_for_file(path, known, config_path)
    explicit = config_path if config_path is not None else find(os.getcwd())
    return exceptions_for_file(None, known, explicit) if explicit is not None else {}
