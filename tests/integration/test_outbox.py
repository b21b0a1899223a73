"""The transactional outbox: enqueue in the transaction, send from the worker, retry with backoff."""

from __future__ import annotations

import http.server
import threading
from datetime import datetime, timedelta, timezone

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import (
    CLAIM_LEASE,
    IDEMPOTENCY_HEADER,
    LANGUAGES,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    TEMPLATES,
    DrainReport,
    drain_outbox,
    notify_email,
    notify_webhook,
    render_email,
)
from comptoir.worker.loop import run_worker

NOW = datetime(2025, 5, 12, 9, 0, tzinfo=timezone.utc)

FULL_CONTEXT = {
    "brand": {"name": "Maison Exemple", "contact_email": "care@maison.example", "contact_phone": "+33 1 23 45 67 89"},
    "customer": {"first_name": "Camille"},
    "order": {
        "number": "MX-10042",
        "placed_on": "12 May 2025",
        "status_label": "Confirmed",
        "lines": [
            {"name": "Wool overcoat", "size": "M", "colour": "Navy", "quantity": 1,
             "unit_price": "€480.00", "total": "€480.00"},
            {"name": "Poplin shirt", "size": "39", "colour": "White", "quantity": 2,
             "unit_price": "€120.00", "total": "€240.00"},
        ],
        "subtotal": "€720.00",
        "shipping": "€0.00",
        "total": "€720.00",
        "tax_note": "incl. VAT €120.00",
        "shipping_method": "Home delivery",
        "shipping_address": ["Camille Martin", "12 rue de Bretagne", "75003 Paris", "France"],
        "dispatch_on": "Tuesday 13 May",
        "delivery_window": "between Wednesday 14 and Friday 16 May",
        "url": "https://shop.example/orders/MX-10042",
    },
    "shipment": {"carrier": "Colissimo", "tracking_number": "6A12345678", "tracking_url": "https://track.example/6A12345678",
                 "lines": [{"name": "Poplin shirt", "size": "39", "colour": "White", "quantity": 2,
                            "unit_price": "€120.00", "total": "€240.00"}]},
    "store": {"name": "Le Marais", "address": "12 rue de Bretagne, 75003 Paris"},
    "return": {"number": "R-7KQ2M9XD", "status_label": "Return received", "url": "https://shop.example/returns/1",
               "document": "prepaid return label", "document_url": "https://shop.example/returns/1/label.pdf",
               "document_until": "15 May 2025", "carrier": "Mondial Relay", "ship_by": "",
               "shipping_paid_by_brand": True, "reimbursed_up_to": "",
               "items": [{"name": "Poplin shirt", "size": "39", "quantity": 1, "reason": "Wrong size",
                          "accepted": False, "refusal": "Worn", "note": "Make-up stain on the collar"}]},
    "reason": "The size you chose is no longer available.",
    "reset_url": "https://shop.example/account/reset/abc123",
    "expires_in_hours": 2,
    "action_url": "https://shop.example/orders/MX-10042/pay",
    "confirm_url": "https://shop.example/api/brands/maison/newsletter/confirm?token=abc",
    "unsubscribe_url": "https://shop.example/api/brands/maison/newsletter/unsubscribe?token=xyz",
    "subject": "The winter collection",
    "text": "Our coats are here.",
    "product": {"name": "Wool overcoat", "size": "M", "colour": "Navy", "url": "https://shop.example/maison/products/coat"},
}
FULL_CONTEXT.update({  # loyalty and referral e-mails (AL-LOY-04, AL-RAF-01)
    "loyalty_url": "https://shop.example/maison-exemple/account/loyalty", "shop_url": "https://shop.example/maison-exemple",
    "loyalty": {"programme": "Lovers", "tier": "Crush", "surprise": "a gift", "kept_until": "19 November 2027"},
    "referral": {"member_first_name": "Léa", "code": "FRIEND-ABCD2345", "amount": "€15.00", "valid_until": "16 November 2026"},
    "voucher": {"code": "LOY-ABCD2345", "amount": "€15.00", "valid_until": "16 December 2026"},
})
MINIMAL_CONTEXT = {"order": {"number": "MX-10042"}}
# Templates about no order, and the link each must carry.
WITHOUT_ORDER = {"password_reset": "reset_url", "newsletter_confirm": "confirm_url", "newsletter_issue": "unsubscribe_url",
                 "stock_alert_confirm": "confirm_url", "back_in_stock": "unsubscribe_url",
                 "loyalty_tier_reached": "loyalty_url", "referral_reward": "loyalty_url", "referral_friend_code": "shop_url"}


def enqueue_confirmation(*, key: str = "order-confirmed:MX-10042", now: datetime = NOW) -> None:
    notify_email(brand_slug="maison-exemple", to="camille@example.com", template="order_confirmed",
                 language="en", context=FULL_CONTEXT, idempotency_key=key, now=now)


def failing_sender(message, rendered):
    raise ConnectionError("SMTP server unavailable")


@pytest.mark.django_db
def test_notify_email_writes_one_row_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        enqueue_confirmation()

    message = OutboxMessage.objects.get()
    assert (message.channel, message.status, message.attempts) == ("email", "pending", 0)
    assert message.available_at == NOW and message.created_at == NOW
    assert message.context == FULL_CONTEXT


@pytest.mark.django_db
def test_notify_email_twice_with_the_same_key_keeps_one_row():
    enqueue_confirmation()
    enqueue_confirmation(now=NOW + timedelta(minutes=5))

    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().created_at == NOW


@pytest.mark.django_db
def test_notify_email_refuses_an_unknown_template_and_writes_nothing():
    with pytest.raises(ValueError, match="order_lost"):
        notify_email(brand_slug="maison-exemple", to="camille@example.com", template="order_lost",
                     language="en", context={}, idempotency_key="k", now=NOW)

    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_nothing_is_sent_before_the_drain(mailoutbox):
    enqueue_confirmation()

    assert mailoutbox == []


@pytest.mark.django_db
def test_drain_sends_a_due_email_and_records_it(mailoutbox):
    enqueue_confirmation()

    report = drain_outbox(now=NOW + timedelta(seconds=1))

    assert report == DrainReport(sent=1, retried=0, failed=0)
    [email] = mailoutbox
    assert email.to == ["camille@example.com"]
    assert email.subject == "Your order MX-10042 is confirmed"
    assert email.extra_headers[IDEMPOTENCY_HEADER] == "order-confirmed:MX-10042"
    assert email.reply_to == ["care@maison.example"]
    assert "Maison Exemple" in email.from_email
    assert "Hello Camille," in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html" and "MX-10042" in html
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("sent", 1)
    assert message.sent_at == NOW + timedelta(seconds=1)
    assert message.subject == "Your order MX-10042 is confirmed"
    assert message.rendered_text == email.body


@pytest.mark.django_db
def test_a_sent_email_is_not_sent_again(mailoutbox):
    enqueue_confirmation()
    drain_outbox(now=NOW)

    report = drain_outbox(now=NOW + timedelta(days=1))

    assert report == DrainReport()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_message_available_later_is_not_sent_now(mailoutbox):
    enqueue_confirmation(now=NOW)

    report = drain_outbox(now=NOW - timedelta(seconds=1))

    assert report == DrainReport()
    assert mailoutbox == []
    assert OutboxMessage.objects.get().status == "pending"


@pytest.mark.django_db
def test_drain_sends_oldest_first_within_its_limit(mailoutbox):
    enqueue_confirmation(key="second", now=NOW)
    enqueue_confirmation(key="first", now=NOW - timedelta(minutes=1))

    report = drain_outbox(now=NOW, limit=1)

    assert report.sent == 1
    assert mailoutbox[0].extra_headers[IDEMPOTENCY_HEADER] == "first"


@pytest.mark.django_db
def test_a_failing_send_is_retried_with_backoff_then_marked_failed(mailoutbox):
    enqueue_confirmation()
    now = NOW
    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        assert drain_outbox(now=now, send_email=failing_sender) == DrainReport(retried=1)
        message = OutboxMessage.objects.get()
        assert (message.status, message.attempts) == ("pending", attempt)
        assert message.available_at == now + delay
        assert message.last_error == "ConnectionError: SMTP server unavailable"
        # Not due one second before the backoff ends.
        assert drain_outbox(now=now + delay - timedelta(seconds=1), send_email=failing_sender) == DrainReport()
        now += delay

    assert drain_outbox(now=now, send_email=failing_sender) == DrainReport(failed=1)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    assert MAX_ATTEMPTS == 6
    assert drain_outbox(now=now + timedelta(days=30)) == DrainReport()
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_retry_that_succeeds_is_sent(mailoutbox):
    enqueue_confirmation()
    drain_outbox(now=NOW, send_email=failing_sender)

    report = drain_outbox(now=NOW + RETRY_DELAYS[0])

    assert report == DrainReport(sent=1)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")


@pytest.mark.django_db
def test_a_message_being_sent_is_hidden_from_a_second_worker_until_its_lease_ends():
    enqueue_confirmation()
    seen = []

    def send_while_another_worker_drains(message, rendered):
        seen.append(drain_outbox(now=NOW, send_email=send_while_another_worker_drains))

    drain_outbox(now=NOW, send_email=send_while_another_worker_drains)

    assert seen == [DrainReport()]
    assert OutboxMessage.objects.get().status == "sent"


@pytest.mark.django_db
def test_a_claimed_message_whose_worker_died_is_sent_after_the_lease(mailoutbox):
    enqueue_confirmation()

    def worker_dies(message, rendered):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        drain_outbox(now=NOW, send_email=worker_dies)
    assert drain_outbox(now=NOW + CLAIM_LEASE - timedelta(seconds=1)) == DrainReport()

    assert drain_outbox(now=NOW + CLAIM_LEASE) == DrainReport(sent=1)
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_notify_webhook_enqueues_once_and_drain_posts_it():
    notify_webhook(brand_slug="maison-exemple", url="https://erp.example/hooks", body=b'{"event": "order.paid"}',
                   headers={"X-Signature": "abc"}, idempotency_key="webhook:1", now=NOW)
    notify_webhook(brand_slug="maison-exemple", url="https://erp.example/hooks", body=b'{"event": "order.paid"}',
                   headers={"X-Signature": "abc"}, idempotency_key="webhook:1", now=NOW)
    posted = []

    report = drain_outbox(now=NOW, post_webhook=posted.append)

    assert report == DrainReport(sent=1)
    [message] = posted
    assert (message.recipient, message.body, message.headers) == (
        "https://erp.example/hooks", '{"event": "order.paid"}', {"X-Signature": "abc"})
    assert OutboxMessage.objects.get().status == "sent"


def test_notify_webhook_refuses_a_non_http_url():
    with pytest.raises(ValueError, match="http"):
        notify_webhook(brand_slug="maison-exemple", url="file:///etc/passwd", body="{}", headers={},
                       idempotency_key="webhook:2", now=NOW)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list = []
    answer = 204

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        RecordingHandler.requests.append((dict(self.headers), self.rfile.read(length)))
        self.send_response(RecordingHandler.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_receiver():
    RecordingHandler.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
@pytest.mark.parametrize(("answer", "expected"), [(204, DrainReport(sent=1)), (500, DrainReport(retried=1)),
                                                  (302, DrainReport(retried=1))])
def test_a_webhook_is_posted_with_its_headers_and_only_2xx_counts_as_sent(webhook_receiver, answer, expected):
    RecordingHandler.answer = answer
    notify_webhook(brand_slug="maison-exemple", url=webhook_receiver, body='{"event": "order.paid"}',
                   headers={"X-Signature": "abc"}, idempotency_key="webhook:3", now=NOW)

    assert drain_outbox(now=NOW) == expected

    [(headers, body)] = RecordingHandler.requests
    assert body == b'{"event": "order.paid"}'
    assert headers["X-Signature"] == "abc"
    assert headers[IDEMPOTENCY_HEADER] == "webhook:3"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_with_a_full_context(template, language):
    rendered = render_email(template, language, FULL_CONTEXT)

    assert rendered.subject and "\n" not in rendered.subject
    assert "Camille" in rendered.text and "Camille" in rendered.html
    assert "care@maison.example" in rendered.text and "care@maison.example" in rendered.html
    if template in WITHOUT_ORDER:
        url = FULL_CONTEXT[WITHOUT_ORDER[template]]
        assert url in rendered.text and url.replace("&", "&amp;") in rendered.html
    else:
        assert "MX-10042" in rendered.subject and "MX-10042" in rendered.text and "MX-10042" in rendered.html
    assert f'lang="{language}"' in rendered.html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_with_a_minimal_context(template, language):
    rendered = render_email(template, language, MINIMAL_CONTEXT)

    assert rendered.subject
    assert rendered.text.startswith(("Hello,", "Bonjour,"))
    if template not in WITHOUT_ORDER:
        assert "MX-10042" in rendered.subject and "MX-10042" in rendered.text


def test_templates_escape_html_but_keep_plain_text_verbatim():
    context = {**FULL_CONTEXT, "customer": {"first_name": "Zoë <Admin>"}}

    rendered = render_email("order_received", "en", context)

    assert "Hello Zoë <Admin>," in rendered.text
    assert "Zoë &lt;Admin&gt;" in rendered.html and "<Admin>" not in rendered.html


def test_french_templates_speak_french():
    rendered = render_email("order_shipped", "fr", FULL_CONTEXT)

    assert rendered.subject == "Votre commande MX-10042 est en route"
    assert "Bonjour Camille," in rendered.text
    assert "Numéro de suivi : 6A12345678" in rendered.text
    assert "L’équipe Maison Exemple" in rendered.text


@pytest.mark.django_db
def test_run_worker_once_calls_each_task_with_the_fixed_now_and_drains(mailoutbox):
    enqueue_confirmation()
    calls = []

    def sweep(now):
        calls.append(now)
        return 0

    rounds = run_worker(tasks=[sweep], once=True, fixed_now=NOW, log=lambda line: None)

    assert rounds == 1
    assert calls == [NOW]
    assert len(mailoutbox) == 1
    assert OutboxMessage.objects.get().sent_at == NOW


@pytest.mark.django_db
def test_run_worker_logs_a_failing_task_by_name_and_carries_on(mailoutbox):
    enqueue_confirmation()
    lines = []

    def sweep_expired_carts(now):
        raise RuntimeError("boom")

    rounds = run_worker(tasks=[sweep_expired_carts], once=True, fixed_now=NOW, log=lines.append)

    assert rounds == 1
    assert any("sweep_expired_carts" in line and "boom" in line for line in lines)
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_run_worker_stops_after_the_round_in_which_it_is_asked_to():
    stop = threading.Event()
    calls = []

    def sweep(now):
        calls.append(now)
        if len(calls) == 3:
            stop.set()
        return 0

    rounds = run_worker(tasks=[sweep], once=False, fixed_now=NOW, poll_seconds=0, stop=stop,
                        log=lambda line: None)

    assert rounds == 3 and calls == [NOW, NOW, NOW]


class _RecordingStop(threading.Event):
    """A stop event that records the pauses the worker loop takes."""

    def __init__(self):
        super().__init__()
        self.pauses = []

    def wait(self, timeout=None):
        self.pauses.append(timeout)
        return self.is_set()


@pytest.mark.django_db
def test_the_worker_pauses_after_a_light_round_and_goes_on_at_once_through_a_backlog():
    from comptoir.worker.loop import BACKLOG_ROUND

    handled = [BACKLOG_ROUND, BACKLOG_ROUND, 3, 0]  # two full batches, the tail, then nothing
    stop = _RecordingStop()

    def sweep(now):
        done = handled.pop(0)
        if not handled:
            stop.set()
        return done

    rounds = run_worker(tasks=[sweep], once=False, fixed_now=NOW, poll_seconds=0.5, stop=stop, log=lambda line: None)

    assert rounds == 4
    assert stop.pauses == [0.5, 0.5]  # after the tail and after the empty round; none between full batches


@pytest.mark.django_db
def test_a_slow_sweep_runs_again_only_once_its_period_has_passed(monkeypatch):
    from comptoir.worker import loop

    clock = iter([0.0, 10.0, 59.0, 61.0])
    monkeypatch.setattr(loop, "monotonic", lambda: next(clock))
    stop = threading.Event()
    fast, slow = [], []

    def every_round(now):
        fast.append(now)
        if len(fast) == 4:
            stop.set()
        return 0

    def daily_deadlines(now):
        slow.append(now)
        return 0

    rounds = run_worker(tasks=[every_round, daily_deadlines], once=False, fixed_now=NOW, poll_seconds=0, stop=stop,
                        every={daily_deadlines: 60}, log=lambda line: None)

    assert rounds == 4
    assert len(fast) == 4 and len(slow) == 2  # the first round, then the one 61 s later


class CountingBackend(LocmemBackend):
    """Django's in-memory mail backend, counting the connections it opens."""

    opened = 0

    def open(self):
        if getattr(self, "is_open", False):
            return False
        self.is_open = True
        CountingBackend.opened += 1
        return True

    def close(self):
        self.is_open = False


def test_a_batch_of_e_mails_goes_through_one_connection_of_the_mail_backend(db, settings, mailoutbox):
    """An SMTP server is greeted (and TLS negotiated) once per batch, not once per e-mail."""
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = 0
    for number in range(3):
        notify_email(brand_slug="alme", to=f"camille{number}@example.com", template="order_confirmed",
                     language="en", context=FULL_CONTEXT, idempotency_key=f"batch-{number}", now=NOW)

    assert drain_outbox(now=NOW) == DrainReport(sent=3)
    assert CountingBackend.opened == 1
    assert [message.to for message in mailoutbox] == [[f"camille{number}@example.com"] for number in range(3)]


@pytest.mark.django_db
def test_a_batch_that_runs_out_of_time_gives_its_unsent_messages_back_before_their_lease_ends(monkeypatch):
    """No message may still be in a worker's hands when its lease ends (another worker would send it too):
    past half the lease, a batch stops and its unsent messages are due again at once."""
    from comptoir.notifications import services

    for number in range(3):
        notify_email(brand_slug="alme", to=f"camille{number}@example.com", template="order_confirmed",
                     language="en", context=FULL_CONTEXT, idempotency_key=f"slow-{number}", now=NOW)
    clock = iter([0.0, 1.0, services.SEND_BUDGET_SECONDS + 1])  # the first send took the whole budget
    monkeypatch.setattr(services, "monotonic", lambda: next(clock))
    sent = []

    assert drain_outbox(now=NOW, send_email=lambda message, rendered: sent.append(message.recipient)) == \
        DrainReport(sent=1, released=2)
    assert sent == ["camille0@example.com"]
    assert OutboxMessage.objects.filter(status="pending", available_at=NOW).count() == 2  # due again, for anyone
    monkeypatch.setattr(services, "monotonic", lambda: 0.0)
    assert drain_outbox(now=NOW, send_email=lambda message, rendered: sent.append(message.recipient)) == \
        DrainReport(sent=2)

    # The last send a batch starts ends before the lease does, whatever the server's silence.
    from django.conf import settings
    worst_send = max(settings.EMAIL_TIMEOUT, services.WEBHOOK_TIMEOUT_SECONDS)
    assert services.SEND_BUDGET_SECONDS + worst_send < CLAIM_LEASE.total_seconds()
