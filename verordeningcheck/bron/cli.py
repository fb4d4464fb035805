"""Command-line glue for the official source: the ``--offline`` option, ids/links as arguments
of check/parse/diff, the ``geschiedenis`` command and ``batch --zoek``."""
from __future__ import annotations

import click

from . import Source, check_fetched, is_remote, load_fetched
from .net import Client

offline_option = click.option(
    "--offline", is_flag=True, default=False,
    help="Gebruik voor CVDR-nummers en links alleen de cache (geen internet).",
)


def make_source(offline: bool = False, limits=None) -> Source:
    def notify(message: str) -> None:
        click.echo(f"verordeningcheck: {message}", err=True)

    max_bytes = limits.max_bytes if limits is not None else 50 * 1024 * 1024
    return Source(Client(offline=offline, notify=notify, max_bytes=max_bytes))


def remote_arguments(arguments) -> list[str]:
    return [a for a in arguments if is_remote(a)]


def check_remote(source: Source, argument: str, *, rules, limits):
    """(public link, CheckResult) for an id or link."""
    fetched = source.fetch(argument)
    return fetched.url, check_fetched(fetched, rules=rules, limits=limits)


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
