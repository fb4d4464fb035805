"""Command-line interface (Dutch user messages)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ConfigError, OutputError, VerordeningcheckError, os_reason
from .i18n import use_dutch_for_click
from .limits import limits_from_options
from .load import load
from .model import Document
from .options import config_option, exceptions_for, limit_options, rules_option, wet_option
from .bron import is_remote
from .bron.cli import offline_option


def _silence_stdout() -> None:
    """After a broken pipe, send what is still to be flushed to /dev/null (no second error)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


use_dutch_for_click()  # click's own texts ("Gebruik:", "Fout: ...") in Dutch, before any parsing


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
        except BrokenPipeError:  # the reader of the output went away ("... | head"): stop quietly
            _silence_stdout()
            ctx.exit(141)
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


@main.command()
@click.argument("file", metavar="BESTAND")
@click.option(
    "--format", "output_format", type=click.Choice(["outline", "json"]), default="outline", show_default=True,
    help="Uitvoer: leesbaar overzicht of JSON.",
)
@limit_options
@offline_option
def parse(file: str, output_format: str, max_mb: float | None, max_pages: int | None, offline: bool) -> None:
    """Lees een verordening en toon de structuur (hoofdstukken, artikelen, leden).

    BESTAND mag ook een CVDR-nummer (CVDR152048, CVDR152048/2) of een link naar
    lokaleregelgeving.overheid.nl of een gemeenteblad zijn: dan wordt de officiële versie opgehaald.
    """
    limits = limits_from_options(max_mb=max_mb, max_pages=max_pages)
    if is_remote(file):
        from .bron.cli import load_remote, make_source

        document = load_remote(make_source(offline, limits), file, limits=limits)
    else:
        document = load(Path(file), limits=limits)
    if output_format == "json":
        click.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_outline(document))


def render_outline(document: Document) -> str:
    lines = []
    lines.append(document.title or "(zonder titel)")
    details = []
    if document.gemeente:
        details.append(f"gemeente {document.gemeente}")
    from .labels import FORMAT_NL

    details.append(f"formaat {FORMAT_NL.get(document.format, document.format)}")
    count = len(document.articles)
    details.append(f"{count} {'artikel' if count == 1 else 'artikelen'}")
    if document.toelichting:
        details.append("met toelichting")
    lines.append("  " + ", ".join(details))
    if document.metadata.get("bron_url"):
        lines.append(f"  bron: {document.metadata['bron_url']}")
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
    lines.extend(_leesverantwoording(document))
    return "\n".join(lines)


_DROPPED_SHOWN = 12


def _leesverantwoording(document: Document) -> list[str]:
    """What the reader left out as page chrome, for the terminal (all of it is in the JSON)."""
    if not document.dropped:
        return []
    total = sum(d.count for d in document.dropped)
    lines = ["", f"Leesverantwoording: {total} {'stuk' if total == 1 else 'stukken'} tekst weggelaten "
             "(opmaak van de pagina, de website of het bestand, geen regeltekst):"]
    for dropped in document.dropped[:_DROPPED_SHOWN]:
        where = dropped.location.describe()
        times = f" ({dropped.count}×)" if dropped.count > 1 else ""
        text = dropped.text if len(dropped.text) <= 90 else dropped.text[:89] + "…"
        lines.append(f"  - {dropped.reason}{times}: “{text}”" + (f" ({where})" if where else ""))
    rest = len(document.dropped) - _DROPPED_SHOWN
    if rest > 0:
        lines.append(f"  … en nog {rest} (alles staat in --format json, onder \"dropped\")")
    return lines


def run() -> None:  # pragma: no cover - console entry point helper
    sys.exit(main())


# ---------------------------------------------------------------- check

from .labels import GENERATION_NL, KIND_NL, VERDICT_NL, verdict_label  # noqa: E402


def _require_callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Element or requirement ids; checked against the rule set (with --rules) in check_policy."""
    return tuple(dict.fromkeys(value))


FAIL_ON_VERDICTS = ("old", "tussenvorm", "none")


def check_policy(fail_on: tuple[str, ...], required: tuple[str, ...], ruleset):
    """The CI policy from --fail-on and --require, validated against the loaded rule set."""
    from .ci_formats import Policy

    catalogues = [c.id for c in ruleset.requirement_catalogues()]
    verdicts = [v for v in fail_on if v in FAIL_ON_VERDICTS]
    unknown = [v for v in fail_on if v not in FAIL_ON_VERDICTS and v not in catalogues]
    if unknown:
        raise click.BadParameter(
            f"onbekende waarde {', '.join(repr(u) for u in unknown)}; kies uit: "
            f"{', '.join(FAIL_ON_VERDICTS + tuple(catalogues))}.", param_hint="'--fail-on'",
        )
    if len(set(v for v in verdicts if v != "none")) > 1:
        raise click.BadParameter("kies één oordeel (old of tussenvorm); tussenvorm omvat old.", param_hint="'--fail-on'")
    unknown = [v for v in required if v not in ruleset.elements]
    if unknown:
        known = list(ruleset.elements)
        raise click.BadParameter(
            f"onbekend element {', '.join(repr(u) for u in unknown)}; kies uit: {', '.join(known)}.",
            param_hint="'--require'",
        )
    verdict = next((v for v in verdicts if v != "none"), "none")
    return Policy(fail_on=verdict, require=required,
                  fail_catalogues=tuple(dict.fromkeys(v for v in fail_on if v in catalogues)))


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="BESTAND...")
@click.option(
    "--format", "output_format", type=click.Choice(["terminal", "json", "html", "sarif", "junit", "github"]),
    default="terminal", show_default=True,
    help="Uitvoer: kort overzicht, JSON, HTML-rapport, SARIF 2.1.0 (code scanning), JUnit-XML of "
         "GitHub-annotaties.",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Schrijf de uitvoer naar dit bestand (verplicht bij --format html; bij html met meerdere "
                   "bestanden een map met één rapport per bestand).")
@click.option("--fail-on", "fail_on", multiple=True, default=("none",), show_default=True, metavar="WAARDE",
              help="Afsluitcode 1 bij dit oordeel: old = bij oud; tussenvorm = bij oud of tussenvorm; none = nooit. "
                   "Geen Wmo-verordening en wijzigingsverordeningen tellen nooit als overtreding. "
                   "wettelijk = als een verplicht onderdeel uit de Wmo ontbreekt (herhaalbaar, bijvoorbeeld "
                   "--fail-on tussenvorm --fail-on wettelijk).")
@click.option("--require", "required", multiple=True, metavar="ELEMENT", callback=_require_callback,
              help="Afsluitcode 1 als een Wmo-verordening dit element of deze wettelijke eis mist (herhaalbaar), "
                   "bijvoorbeeld --require melding --require wmo15_mantelzorgwaardering.")
@wet_option
@config_option
@click.option("--evidence", is_flag=True, default=False,
              help="SARIF en GitHub: neem ook de gevonden elementen met hun vindplaats op (als notitie).")
@rules_option
@limit_options
@offline_option
@click.pass_context
def check(ctx: click.Context, files: tuple[str, ...], output_format: str, output: Path | None, fail_on: tuple[str, ...],
          required: tuple[str, ...], wet: str | None, config_path: Path | None, evidence: bool,
          rules_dirs: tuple[Path, ...], max_mb, max_pages, offline: bool) -> None:
    """Toets een of meer verordeningen: oud, nieuw of tussenvorm, met de gevonden elementen.

    BESTAND mag een bestand, een map (alle ondersteunde bestanden daarin) of een patroon zijn
    (zoals 'verordeningen/*.pdf' of 'regels/**/*.md'; het programma vult het patroon zelf aan),
    of een CVDR-nummer (CVDR152048, CVDR152048/2) of een link naar lokaleregelgeving.overheid.nl,
    de CVDR-repository of een gemeenteblad: dan wordt de officiële versie opgehaald.

    Afsluitcode: 0 in orde, 1 het beleid (--fail-on, --require) is overtreden, 2 een bestand kon
    niet worden gelezen of de opdracht is onjuist.
    """
    import time

    from . import ci_formats as ci
    from .pipeline import check as run_check, get_ruleset

    if output_format == "html" and output is None:
        raise click.UsageError("bij --format html is --output verplicht, bijvoorbeeld --output rapport.html.")
    remote = [f for f in files if is_remote(f)]
    entries, single = ci.expand_inputs([f for f in files if f not in remote]) if len(remote) < len(files) else ([], False)
    if remote:
        entries, single = remote + entries, len(files) == 1
    paths = [entry for entry in entries if isinstance(entry, str)]
    if output is not None:
        target = output.resolve()
        for path in paths:
            if Path(path).resolve() == target:
                raise click.UsageError("het uitvoerbestand mag niet hetzelfde zijn als de invoer.")
        if output_format != "html" and output.is_dir():
            raise click.UsageError(f"{output} is een map; geef bij --output een bestandsnaam.")
        if output_format == "html" and not single and (
            (output.exists() and not output.is_dir()) or (not output.exists() and output.suffix.lower() in (".html", ".htm"))
        ):
            raise click.UsageError(
                "bij --format html met meerdere bestanden is --output een map (één rapport per bestand), "
                "bijvoorbeeld --output rapporten/."
            )
    ruleset = get_ruleset(list(rules_dirs))  # a broken rule set is a usage error (exit 2) before any file
    policy = check_policy(fail_on, required, ruleset)
    limits = limits_from_options(max_mb=max_mb, max_pages=max_pages)
    legacy = single and output_format in ("terminal", "json", "html")  # one file: unchanged behaviour

    # errors also go to stderr as they happen: stdout may be a file, and CI logs show stderr
    outcomes: list = []
    for path in entries:
        if isinstance(path, ci.Outcome):  # a directory or pattern without files
            click.echo(f"verordeningcheck: fout: {path.error.user_message()}", err=True)
            outcomes.append(path)
            continue
        started = time.perf_counter()
        try:
            if path in remote:
                from .bron.cli import check_remote, make_source

                path, result = check_remote(make_source(offline, limits), path, rules=list(rules_dirs), limits=limits,
                                             wet=wet, exceptions=exceptions_for(path, ruleset, config_path))
            else:
                result = run_check(path, rules=list(rules_dirs), limits=limits, wet=wet,
                                   exceptions=exceptions_for(path, ruleset, config_path))
        except ConfigError:
            raise  # the settings are wrong, not this file: stop (exit 2)
        except VerordeningcheckError as exc:
            if legacy:
                raise
            click.echo(f"verordeningcheck: fout: {exc.user_message()}", err=True)
            outcomes.append(ci.Outcome(path, error=exc, seconds=time.perf_counter() - started))
            continue
        outcomes.append(ci.Outcome(path, result=result, seconds=time.perf_counter() - started))
    for outcome in outcomes:
        ci.judge(outcome, policy)
    code = ci.exit_code(outcomes)

    if output_format == "html":
        _write_html_reports(outcomes, output, single)
    else:
        if output_format == "json":
            data = outcomes[0].result.to_dict() if legacy else [ci.json_entry(o) for o in outcomes]
            text = json.dumps(data, ensure_ascii=False, indent=2)
        elif output_format == "sarif":
            text = ci.render_sarif(outcomes, policy, ruleset, notes=evidence)
        elif output_format == "junit":
            text = ci.render_junit(outcomes, policy, ruleset)
        elif output_format == "github":
            text = ci.render_github(outcomes, policy, ruleset, notes=evidence)
        elif legacy:
            text = "\n".join([render_terminal(outcomes[0].result)] + ci.policy_lines(outcomes[0], policy))
        else:
            text = ci.render_compact(outcomes, policy)
        if output is None:
            click.echo(text)
        else:
            from .report import write_output

            write_output(output, text if legacy or text.endswith("\n") else text + "\n")
            if legacy:
                verdict = outcomes[0].result.verdict.verdict
                click.echo(f"Rapport geschreven naar {output}: {VERDICT_NL.get(verdict, verdict)}.", err=True)
            else:
                click.echo(f"Uitvoer geschreven naar {output} ({len(outcomes)} bestand{'en' if len(outcomes) != 1 else ''}).", err=True)
    if code:
        ctx.exit(code)


def _write_html_reports(outcomes, output: Path, single: bool) -> None:
    """One HTML report per readable file: ``output`` itself for one file, else files in directory ``output``."""
    from .report import render_html, write_output

    from .ci_formats import report_names

    if single and not output.is_dir():
        targets = {outcomes[0].path: output}
    else:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"kan de map niet maken ({os_reason(exc)}).", str(output)) from None
        names = report_names([o.path for o in outcomes if o.result is not None])
        targets = {path: output / name for path, name in names.items()}
    inputs = {Path(o.path).resolve() for o in outcomes}
    for target in targets.values():
        if target.resolve() in inputs:
            raise click.UsageError(f"het rapport {target} zou een invoerbestand overschrijven; kies een andere map bij --output.")
    for outcome in outcomes:
        if outcome.result is None:
            continue
        target = targets[outcome.path]
        write_output(target, render_html(outcome.result))
        verdict = outcome.result.verdict.verdict
        click.echo(f"Rapport geschreven naar {target}: {VERDICT_NL.get(verdict, verdict)}.", err=True)


def render_terminal(result) -> str:
    v = result.verdict
    d = result.document
    out = [f"{d.source_name}: {d.title or '(zonder titel)'}"]
    if d.gemeente:
        out.append(f"  Gemeente:   {d.gemeente}")
    verdict = verdict_label(v.verdict, v.lean)
    out.append(f"  Oordeel:    {verdict} (zekerheid {round(v.confidence * 100)}%)")
    if v.generation:
        out.append(f"  Generatie:  {GENERATION_NL.get(v.generation, v.generation)}")
    out.append(f"  Soort:      {KIND_NL.get(v.kind, v.kind)}")
    if v.kind_reason:
        out.append(f"              {v.kind_reason}")
    for reason in v.confidence_reasons:
        out.append(f"  Zekerheid:  {reason}")
    if v.excluded_chapters:
        out.append(f"  Niet beoordeeld: {'; '.join(v.excluded_chapters)}")
    if v.changes:
        out.append("  Wijzigingen:")
        for c in v.changes:
            where = c["label"] or f"artikel {c['article']}"
            line = f"    {where}: {c['text']} ({c['operation_nl']})"
            if c["adds"]:
                line += f"; voegt toe: {', '.join(c['adds'])}"
            if c["removes"]:
                line += f"; haalt weg: {', '.join(c['removes'])}"
            out.append(line)
    out.append(f"  Scores:     model 2010 {round(v.scores['2010'] * 100)}%, model 2006 {round(v.scores['2006'] * 100)}%")
    if v.explanation:
        out.append(f"  Waarom:     {v.explanation}")
    for catalogue in result.requirements.values():
        out.extend(render_requirements_terminal(catalogue))
    out.append("")
    for element in v.elements:
        mark = "✓" if element.present else "·"
        where = ""
        if element.present and element.evidence:
            e = element.evidence[0]
            where = f"  art. {e.article}" + (f" lid {e.lid}" if e.lid else "")
        elif element.rejected:
            e = element.rejected[0]
            why = {"ontkend": "ontkend", "vervangen": "alleen in vervangen tekst"}.get(e.reason, "telt niet mee")
            where = f"  ({why} in art. {e.article})"
        out.append(f"  {mark} [{element.model:>6}] {element.id:<27}{where}")
    return "\n".join(out)


def render_requirements_terminal(catalogue) -> list[str]:
    """The summary line of a requirement catalogue, then one line per requirement of its law."""
    out = ["", f"  {catalogue.summary()}"]
    if not catalogue.applicable:
        return out
    out.append(f"    (wet gekozen: {catalogue.basis})")
    marks = {"present": "✓", "missing": "✗", "exception": "~", "absent": "·"}
    for r in catalogue.requirements:
        if r.group != catalogue.group:
            continue
        where = ""
        if r.status == "present" and r.evidence:
            e = r.evidence[0]
            where = f"  art. {e.article}" + (f" lid {e.lid}" if e.lid else "")
        elif r.status == "exception":
            where = f"  elders geregeld: {r.exception}"
        elif r.status == "absent":
            where = "  (niet verplicht)"
        if r.note:
            e = r.evidence[0]
            where += f"  ({r.note}: art. {e.article}" + (f" lid {e.lid}" if e.lid else "") + ")"
        out.append(f"  {marks.get(r.status, '·')} {r.id:<29} {r.short_reference:<24}{where}")
    return out


# ---------------------------------------------------------------- rules

@main.group()
def rules() -> None:
    """Beheer en test de regelset."""


@rules.command("lint")
@rules_option
def rules_lint(rules_dirs: tuple[Path, ...]) -> None:
    """Controleer alle regelbestanden tegen het schema en de elementencatalogus."""
    from .ruleset import load_ruleset

    ruleset = load_ruleset(list(rules_dirs), strict=False)
    if ruleset.problems:
        for problem in ruleset.problems:
            click.echo(f"fout: {problem}", err=True)
        count = len(ruleset.problems)
        click.echo(f"{count} {'probleem' if count == 1 else 'problemen'} gevonden.", err=True)
        raise SystemExit(1)
    click.echo(
        f"Regelset in orde: {len(ruleset.elements)} elementen, {len(ruleset.rules)} regels (versie {ruleset.version}); "
        + "catalogi: " + ", ".join(f"{c.id} ({len(c.items)})" for c in ruleset.catalogues.values()) + "."
    )


@rules.command("test")
@rules_option
@click.option("--verbose", "-v", is_flag=True, help="Toon ook de geslaagde voorbeelden.")
def rules_test(rules_dirs: tuple[Path, ...], verbose: bool) -> None:
    """Draai de positieve en negatieve voorbeelden van elke regel."""
    from .analyse import match_sentence
    from .ruleset import load_ruleset

    ruleset = load_ruleset(list(rules_dirs))
    failures = 0
    total = 0
    for rule in ruleset.rules:
        for sentence in rule.positive:
            total += 1
            matched, negated = match_sentence(sentence, rule)
            if not matched or negated:
                failures += 1
                why = "ontkend" if matched else "geen match"
                click.echo(f"MIS  {rule.id}: positief voorbeeld ({why}): {sentence}")
            elif verbose:
                click.echo(f"ok   {rule.id}: {sentence}")
        for sentence in rule.negative:
            total += 1
            matched, negated = match_sentence(sentence, rule)
            if matched and not negated:
                failures += 1
                click.echo(f"MIS  {rule.id}: negatief voorbeeld matcht toch: {sentence}")
            elif verbose:
                click.echo(f"ok   {rule.id}: (negatief) {sentence}")
    from .analyse import matches_terms

    for name, spec in (ruleset.markers or {}).items():
        examples = spec.get("examples") or {}
        terms = spec.get("terms") or []
        for expected, sentences in ((True, examples.get("positive") or []), (False, examples.get("negative") or [])):
            for sentence in sentences:
                total += 1
                if (matches_terms(sentence, terms) is not None) != expected:
                    failures += 1
                    what = "positief voorbeeld (geen match)" if expected else "negatief voorbeeld matcht toch"
                    click.echo(f"MIS  kenmerk {name}: {what}: {sentence}")
                elif verbose:
                    click.echo(f"ok   kenmerk {name}: {'' if expected else '(negatief) '}{sentence}")
    click.echo(f"{total - failures} voorbeelden goed, {failures} fout")
    if failures:
        raise SystemExit(1)


# ---------------------------------------------------------------- eval

@main.command("eval")
@click.argument("manifest", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=False)
@click.option("--renderings", default="all", show_default=True, help="Welke weergaven: all, source of een lijst zoals md,pdf.")
@rules_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def evaluate(manifest: Path | None, renderings: str, rules_dirs: tuple[Path, ...], output_format: str) -> None:
    """Vergelijk oordelen en elementen met de verwachte waarden in een manifest."""
    from .evaluate import evaluate_manifest, render_table

    report = evaluate_manifest(manifest, renderings=renderings, rules=list(rules_dirs))
    if output_format == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(report))
    if report["verdict_accuracy"] < 1.0:
        raise SystemExit(1)

from .versiondiff import diff_command  # noqa: E402

main.add_command(diff_command)
from .web import serve_command  # noqa: E402
main.add_command(serve_command)
from .batch import batch_command  # noqa: E402
main.add_command(batch_command)
from .bron.cli import geschiedenis_command  # noqa: E402
main.add_command(geschiedenis_command)


_TYPE_METAVARS = {"integer": "AANTAL", "integer range": "AANTAL", "float": "GETAL", "float range": "GETAL",
                  "text": "TEKST"}


def _dutch_metavars(command: click.Command) -> None:
    """"[OPTIONS]", "COMMAND [ARGS]..." and "INTEGER", "FLOAT", "TEXT" in help, in Dutch
    (click's own words such as "directory" and "required" come from the gettext catalogue)."""
    command.options_metavar = "[OPTIES]"
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            metavar = _TYPE_METAVARS.get(param.type.name)
            if metavar:
                param.metavar = metavar
    if isinstance(command, click.Group):
        command.subcommand_metavar = "OPDRACHT [ARGUMENTEN]..."
        for sub in command.commands.values():
            _dutch_metavars(sub)


_dutch_metavars(main)
