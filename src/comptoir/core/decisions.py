"""A rule's answer: allowed or not, and if not, why (a stable code, the rule ID, message params)."""

from __future__ import annotations

from dataclasses import dataclass, field

from comptoir.core.errors import Conflict, DomainError


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    code: str | None = None
    rule: str | None = None
    params: dict = field(default_factory=dict)

    @classmethod
    def allow(cls) -> Decision:
        return cls(True)

    @classmethod
    def refuse(cls, code: str, rule: str | None = None, **params) -> Decision:
        return cls(False, code, rule, params)

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self, error: type[DomainError] = Conflict) -> None:
        """Raise `error` carrying this refusal; do nothing when allowed."""
        if not self.allowed:
            raise error(self.code, rule=self.rule, **self.params)
