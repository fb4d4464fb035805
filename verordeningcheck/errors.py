"""One error taxonomy: every expected failure is an InputError with a Dutch message.

The CLI turns an InputError into ``verordeningcheck: <file>: <message>`` on stderr and
exit code 2; batch turns it into a failed row; the web app into an error page.
"""
from __future__ import annotations


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
