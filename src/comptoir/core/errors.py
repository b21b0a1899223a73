"""Typed domain errors: a stable code, a message in the shopper's language, the rule enforced.

The API maps each to a 4xx body `{"code", "message", "rule"}`; pages and the CLI show the message.
"""

from __future__ import annotations

from comptoir.core.messages import render_message


class DomainError(Exception):
    """A refusal the caller can act on. `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, code: str, *, rule: str | None = None, **params):
        self.code = code
        self.rule = rule
        self.params = params
        super().__init__(f"{code}: {self.message('en')}")

    def message(self, language: str = "en") -> str:
        return render_message(self.code, language, self.params)

    def as_dict(self, language: str = "en") -> dict:
        return {"code": self.code, "message": self.message(language), "rule": self.rule}


class InvalidInput(DomainError):
    status = 422


class NotAuthenticated(DomainError):
    status = 401


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PaymentRefused(DomainError):
    status = 402


class RateLimited(DomainError):
    """Too many attempts in a window (core.rate_limit); the API adds a Retry-After header."""

    status = 429

    def __init__(self, code: str = "rate_limited", *, retry_after: int, rule: str | None = None):
        super().__init__(code, rule=rule)
        self.retry_after = retry_after


class IllegalTransition(Conflict):
    """A move the state machine of `thing` does not allow from `state`."""

    def __init__(self, thing: str, state: str, move: str, *, rule: str | None = None):
        super().__init__("illegal_transition", rule=rule, thing=thing, state=state.replace("_", " "),
                         move=move.replace("_", " "))
        self.state = state
        self.move = move
