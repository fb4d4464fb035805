"""Command-line glue for the official source: the ``--offline`` option, ids/links as arguments
of check/parse/diff, the ``geschiedenis`` command and ``batch --zoek``."""
from __future__ import annotations

from pathlib import Path

import click

from ..labels import VERDICT_NL
from ..limits import limits_from_options
from ..options import limit_options, rules_option
from . import check_fetched, is_remote, load_fetched

offline_option = click.option(
    "--offline", is_flag=True, default=False,
    help="Gebruik voor CVDR-nummers en links alleen de cache (geen internet).",
)


def make_source(offline: bool = False, limits=None) -> Source:
    from .net import Client
    from .source import Source

    def notify(message: str) -> None:
        click.echo(f"verordeningcheck: {message}", err=True)

    max_bytes = limits.max_bytes if limits is not None else 50 * 1024 * 1024
    return Source(Client(offline=offline, notify=notify, max_bytes=max_bytes))


def check_remote(source: Source, argument: str, *, rules, limits, wet=None, exceptions=None):
    """(public link, CheckResult) for an id or link; ``wet``/``exceptions`` as for a local file."""
    fetched = source.fetch(argument)
    return fetched.url, check_fetched(fetched, rules=rules, limits=limits, wet=wet, exceptions=exceptions)


def check_argument(source: Source, argument: str, *, rules, limits, wet=None, config_path=None):
    """The CheckResult of an id/link (fetched) or of a local file (diff may mix them), with
    ``--wet`` and the exceptions of ``--config``/.verordeningcheck.yaml like ``check``."""
    from ..options import exceptions_for
    from ..pipeline import check, get_ruleset

    exceptions = exceptions_for(argument, get_ruleset(rules), config_path)
    if is_remote(argument):
        return check_fetched(source.fetch(argument), rules=rules, limits=limits, require_wmo=False, wet=wet,
                             exceptions=exceptions)
    return check(Path(argument), rules=rules, limits=limits, wet=wet, exceptions=exceptions)


def load_remote(source: Source, argument: str, *, limits):
    return load_fetched(source.fetch(argument), limits)


def last_two(source: Source, argument: str) -> tuple[str, str]:
    """``diff CVDR152048``: the last two versions of the regulation (as lokaleregelgeving links)."""
    from .refs import parse_reference

    reference = parse_reference(argument)
    if reference.kind != "cvdr":
        raise click.UsageError("met één argument vergelijkt diff de laatste twee versies van een CVDR-regeling.")
    versions = source.versions(reference.work)
    if reference.version is not None:
        versions = [r for r in versions if r.version <= reference.version]
    if len(versions) < 2:
        raise click.UsageError(f"{reference.work} heeft maar één versie; er is niets te vergelijken.")
    return versions[-2].label, versions[-1].label


# ---------------------------------------------------------------- geschiedenis



@click.command("geschiedenis")
@click.argument("regeling", metavar="CVDR-NUMMER")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map voor geschiedenis.html, geschiedenis.csv, geschiedenis.json en de rapporten per versie "
                   "(standaard: geschiedenis-CVDR…).")
@rules_option
@limit_options
@offline_option
def geschiedenis_command(regeling: str, output: Path | None, rules_dirs, max_mb, max_pages, offline: bool) -> None:
    """Toets alle versies van een verordening uit de CVDR-databank en toon de tijdlijn.

    CVDR-NUMMER is bijvoorbeeld CVDR152048 of een link naar lokaleregelgeving.overheid.nl. In de
    uitvoermap komen geschiedenis.html (grafiek van de scores op de modellen van 2006 en 2010,
    het oordeel per versie, de versie waarin de verordening kantelde en per versie de elementen
    die erbij kwamen of vervielen), geschiedenis.csv, geschiedenis.json en een rapport per versie.
    """
    from .history import build_history, write_history
    from .refs import parse_reference

    reference = parse_reference(regeling)
    if reference.kind != "cvdr":
        raise click.UsageError("geschiedenis werkt met een CVDR-nummer of een link naar lokaleregelgeving.overheid.nl.")
    limits = limits_from_options(max_mb=max_mb, max_pages=max_pages)
    output = output or Path(f"geschiedenis-{reference.work}")

    def progress(done: int, total: int, row) -> None:
        what = row.error and f"fout: {row.error}" or VERDICT_NL.get(row.verdict, row.verdict)
        click.echo(f"  versie {row.version} ({done}/{total}): {what}", err=True)

    history = build_history(make_source(offline, limits), reference.work, rules=list(rules_dirs), limits=limits,
                            progress=progress)
    write_history(history, output, rules=list(rules_dirs))
    click.echo(render_history_terminal(history))
    click.echo(f"Geschiedenis geschreven naar {output / 'geschiedenis.html'} (ook .csv en .json).", err=True)
    if any(row.error for row in history.rows):
        raise click.exceptions.Exit(1)


# ---------------------------------------------------------------- batch --zoek


def search_options(func):
    """The options of ``batch`` that search the CVDR repository instead of reading a folder."""
    options = [
        click.option("--zoek", "zoek", default="", metavar="TEKST",
                     help="Zoek regelingen in de CVDR-databank met deze woorden en toets wat gevonden wordt."),
        click.option("--gemeente", "gemeente", default="", metavar="NAAM",
                     help="Zoek de regelingen van deze gemeente in de CVDR-databank (te combineren met --zoek)."),
        click.option("--titel", "titel", default="", metavar="WOORDEN", help="Met --zoek/--gemeente: woorden in de titel."),
        click.option("--vanaf", "vanaf", default="", metavar="JJJJ-MM-DD", help="Met --zoek/--gemeente: in werking op of na deze datum."),
        click.option("--tot", "tot", default="", metavar="JJJJ-MM-DD", help="Met --zoek/--gemeente: in werking op of vóór deze datum."),
        click.option("--alle-versies", "alle_versies", is_flag=True, default=False,
                     help="Met --zoek/--gemeente: alle versies, niet alleen de geldende."),
        click.option("--max-resultaten", "max_resultaten", type=click.IntRange(min=1), default=2000, show_default=True,
                     metavar="AANTAL", help="Met --zoek/--gemeente: stop met een foutmelding als er meer resultaten zijn."),
        offline_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def search_inputs(output: Path, *, zoek: str, gemeente: str, titel: str, vanaf: str, tot: str,
                  alle_versies: bool, max_resultaten: int, offline: bool, limits=None) -> str:
    """Search and download into ``output/bronnen``; return that folder for the batch."""
    from .search import SOURCES_DIR, download_search

    folder = output / SOURCES_DIR

    def progress(done: int, total: int, item) -> None:
        if item.error:
            click.echo(f"  {item.record.label}: fout: {item.error}", err=True)
        elif done == total or done % 25 == 0:
            click.echo(f"  {done}/{total} regelingen opgehaald", err=True)

    found = download_search(make_source(offline, limits), folder, words=zoek, gemeente=gemeente, title=titel,
                            since=vanaf, until=tot, all_versions=alle_versies, limit=max_resultaten, progress=progress)
    ok = sum(1 for item in found if item.path)
    click.echo(f"{len(found)} regelingen gevonden, {ok} opgeslagen in {folder} (lijst met links: {folder / 'bronnen.csv'}).", err=True)
    if not ok:
        from .errors import ServiceError

        raise ServiceError("geen enkele gevonden regeling kon worden opgehaald.", str(folder))
    return str(folder)


def render_history_terminal(history) -> str:
    from .history import VERDICT_SHORT, _date_nl

    lines = [f"{history.work}: {history.title}" + (f" ({history.gemeente})" if history.gemeente else "")]
    for row in history.rows:
        period = f"{_date_nl(row.in_force) or '?'} – {_date_nl(row.out_of_force) if row.out_of_force else 'heden'}"
        if row.error:
            lines.append(f"  versie {row.version:<3} {period:<25} fout: {row.error}")
            continue
        verdict = VERDICT_SHORT.get((row.verdict, row.lean), VERDICT_SHORT.get((row.verdict, None), row.verdict))
        change = " ".join([f"+{e}" for e in row.added] + [f"-{e}" for e in row.dropped])
        lines.append(f"  versie {row.version:<3} {period:<25} {verdict:<15} 2006 {round(row.score_2006 * 100):>3}%  "
                     f"2010 {round(row.score_2010 * 100):>3}%" + (f"  {change}" if change else ""))
    lines.append(history.kanteling_text)
    return "\n".join(lines)
