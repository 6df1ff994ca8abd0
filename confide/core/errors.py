"""The one shape of a domain's refusal: a stable ``code`` for programs and tests, a translated
``message`` for the person. Each domain subclasses it (CareError, MessagingError, …), so a view
catches its own domain's errors and shows ``message``, never the code."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
