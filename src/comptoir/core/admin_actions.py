"""Back-office actions that call one service per selected row, reporting each refusal by name.

The back office is in English; shoppers get messages in their own language elsewhere.
"""

from __future__ import annotations

from django.contrib import messages

from comptoir.core.errors import DomainError

STAFF_LANGUAGE = "en"


class ServiceActionsMixin:
    """For a ModelAdmin whose rows have a `number`: `apply_service` runs `service(row, actor, now, …)`
    for each selected row; a DomainError becomes an error message for that row, never a 500."""

    action_noun = "Item"  # "Order", "Return"… in messages
    action_related: tuple[str, ...] = ()  # select_related for the service

    def apply_service(self, request, queryset, service, done: str, **arguments) -> None:
        actor = f"staff:{request.user.username}"
        moved = []
        for row in queryset.select_related(*self.action_related):
            try:
                service(row, actor=actor, now=request.now, **arguments)
            except DomainError as error:
                self.message_user(request, f"{self.action_noun} {row.number}: {error.message(STAFF_LANGUAGE)}",
                                  messages.ERROR)
            else:
                moved.append(row.number)
        if moved:
            self.message_user(request, f"{done}: {', '.join(moved)}.", messages.SUCCESS)
