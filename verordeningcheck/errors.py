"""One error taxonomy: every expected failure is an InputError with a Dutch message.

The CLI turns an InputError into ``verordeningcheck: <file>: <message>`` on stderr and
exit code 2; batch turns it into a failed row; the web app into an error page.
"""
from __future__ import annotations

import errno


class VerordeningcheckError(Exception):
    """Base class for expected, user-facing failures (message in Dutch)."""

    exit_code = 2
    code = "error"

    def __init__(self, message: str, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source

    def user_message(self) -> str:
        if self.source:
            return f"{self.source}: {self.message}"
        return self.message


class InputError(VerordeningcheckError):
    """The input cannot be read as an ordinance (unreadable, empty, malformed, ...)."""

    code = "input"


class UnsupportedFormat(InputError):
    code = "unsupported"


class EmptyDocument(InputError):
    code = "empty"


class EncryptedDocument(InputError):
    code = "encrypted"


class NeedsOCR(InputError):
    code = "needs_ocr"


class MalformedDocument(InputError):
    code = "malformed"


class UnsafeDocument(InputError):
    """Rejected for safety: entities/DTDs in XML, archive bombs, limits exceeded."""

    code = "unsafe"


class LimitExceeded(InputError):
    code = "limit"


class ConfigError(VerordeningcheckError):
    """A limit in the configuration file (``VERORDENINGCHECK_CONFIG``) or in an environment
    variable is invalid. Not an InputError: it is about the settings, not about one file, so
    ``batch`` should stop instead of failing every row. ``source`` is the file or variable."""

    code = "config"


class RulesError(VerordeningcheckError):
    """A rule file is invalid (schema, unknown element id, duplicate rule id)."""

    code = "rules"


class OutputError(VerordeningcheckError):
    """A report or other output cannot be written (exit 2: the run did not complete)."""

    code = "output"


_OS_REASONS = {
    errno.ENOENT: "de map of het bestand bestaat niet",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quotum) is op",
    errno.EISDIR: "dit is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "bestaat al",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EADDRINUSE: "dit adres en deze poort zijn al in gebruik",
    errno.EADDRNOTAVAIL: "dit adres hoort niet bij deze computer",
    errno.EMFILE: "te veel open bestanden",
    errno.EBUSY: "het bestand of de map is bezet",
}


def os_reason(exc: OSError) -> str:
    """A short Dutch reason for an operating-system error (the English text when unknown)."""
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
