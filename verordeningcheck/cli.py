"""Command-line interface (Dutch user messages)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import VerordeningcheckError
from .limits import Limits
from .load import load
from .model import Document


class _Group(click.Group):
    """Turns expected errors into a Dutch message and exit 2; no traceback unless --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except VerordeningcheckError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"verordeningcheck: fout: {exc.user_message()}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("verordeningcheck: afgebroken.", err=True)
            ctx.exit(130)
        except Exception as exc:  # an unexpected failure must not look like a result
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                "verordeningcheck: interne fout: "
                f"{type(exc).__name__}: {exc}. Draai opnieuw met --debug voor details en meld dit probleem.",
                err=True,
            )
            ctx.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="verordeningcheck", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Toon bij een fout de volledige technische melding.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Toetst een Wmo-verordening aan de VNG-modelverordeningen 2006 (oud) en 2010 (De Kanteling)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _limits_from_options(max_mb: float | None, max_pages: int | None) -> Limits:
    limits = Limits.from_env()
    changes = {}
    if max_mb:
        changes["max_bytes"] = int(max_mb * 1024 * 1024)
    if max_pages:
        changes["max_pages"] = max_pages
    if changes:
        from dataclasses import replace

        limits = replace(limits, **changes)
    return limits


_limit_options = [
    click.option("--max-mb", type=float, default=None, help="Maximale bestandsgrootte in MB (standaard 50)."),
    click.option("--max-pages", type=int, default=None, help="Maximaal aantal PDF-pagina's (standaard 500)."),
]


def limit_options(func):
    for option in reversed(_limit_options):
        func = option(func)
    return func


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["outline", "json"]), default="outline", show_default=True,
    help="Uitvoer: leesbaar overzicht of JSON.",
)
@limit_options
def parse(file: Path, output_format: str, max_mb: float | None, max_pages: int | None) -> None:
    """Lees een verordening en toon de structuur (hoofdstukken, artikelen, leden)."""
    document = load(file, limits=_limits_from_options(max_mb, max_pages))
    if output_format == "json":
        click.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_outline(document))


def render_outline(document: Document) -> str:
    lines = []
    lines.append(document.title or "(geen titel gevonden)")
    details = []
    if document.gemeente:
        details.append(f"gemeente {document.gemeente}")
    details.append(f"formaat {document.format}")
    details.append(f"{len(document.articles)} artikelen")
    if document.toelichting:
        details.append("met toelichting")
    lines.append("  " + ", ".join(details))
    lines.append("")
    current_chapter = object()
    for article in document.articles:
        if article.chapter != current_chapter:
            current_chapter = article.chapter
            if article.chapter is not None:
                title = document.chapter_title(article.chapter)
                lines.append(f"Hoofdstuk {article.chapter}" + (f" {title}" if title else ""))
        heading = f"  Artikel {article.number}"
        if article.title:
            heading += f" {article.title}"
        if article.status:
            heading += f" [{article.status}]"
        leden = [lid for lid in article.leden if lid.number]
        if leden:
            heading += f" ({len(leden)} leden)"
        lines.append(heading)
    if document.toelichting:
        lines.append("")
        lines.append(f"Toelichting: {len(document.toelichting)} onderdelen (telt niet mee voor het oordeel)")
    for warning in document.warnings[:5]:
        lines.append(f"Let op: {warning}")
    return "\n".join(lines)


def run() -> None:  # pragma: no cover - console entry point helper
    sys.exit(main())
