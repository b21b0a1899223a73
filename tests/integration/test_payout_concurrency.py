"""Two clerks marking the same transfer as sent at the same moment, each on its own connection: the order and
payout row locks serialise them, the second sees it sent (ALL-RFD-06). PostgreSQL only, as the invoice race:
SQLite's in-memory test database is not shared between threads.

Transactional (the threads must see each other's commits): the flush empties the presets, so the test loads
the one it needs and the module restores them all afterwards."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection

from comptoir.core.errors import Conflict
from comptoir.notifications.models import OutboxMessage
from comptoir.payments.models import PaymentEntry
from comptoir.payouts.services import record_payout_sent
from conftest import reload_preset
from payout_journeys import AA, EXPIRED_AT, cancelled_transfer_payout

pytestmark = [
    pytest.mark.usefixtures("presets_restored_afterwards"),
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks across connections)"),
]



@pytest.mark.django_db(transaction=True)
def test_ALL_RFD_06_two_clerks_marking_the_same_transfer_at_once_record_it_once(api):
    reload_preset(AA)
    payout = cancelled_transfer_payout(api)
    sent_at = EXPIRED_AT + timedelta(days=1)
    outcomes, barrier = [], threading.Barrier(2)

    def click(reference):
        try:
            barrier.wait()
            outcomes.append(record_payout_sent(payout, bank_reference=reference, sent_on=sent_at.date(),
                                               actor="staff:lea", now=sent_at).recorded)
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=click, args=(f"VIR-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(map(str, outcomes)) == ["True", "payout_already_sent"]
    assert PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund").count() == 1
    assert OutboxMessage.objects.filter(template="payout_sent").count() == 1
