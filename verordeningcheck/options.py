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
