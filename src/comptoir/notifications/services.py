"""Enqueue e-mails and webhooks in the business transaction; send them later from the worker.

`notify_email` and `notify_webhook` write one outbox row in the caller's transaction (principle 7:
side effects after commit). `drain_outbox`, called by the worker, sends what is due and retries
failures with a backoff. Delivery is at least once: every message carries its idempotency key in the
`X-Comptoir-Idempotency-Key` header so the receiver can drop a duplicate.

E-mail context — every template receives a dict of plain JSON values, amounts and dates already
formatted in the recipient's language. Any key may be missing; templates then leave it out.

    brand:     {"name", "contact_email", "contact_phone"}
    customer:  {"first_name"}
    order:     {"number", "placed_on", "status_label",
                "lines": [{"name", "size", "colour", "quantity", "unit_price", "total"}],
                "subtotal", "shipping", "total",
                "tax_note",            # "incl. VAT €12.00" or "net of VAT — duties payable on delivery"
                "shipping_method", "shipping_address" (list of lines),
                "dispatch_on",         # a bare date: "Tuesday 13 May" / "mardi 13 mai" (after "on" / "le")
                "delivery_window",     # shown after "Estimated delivery:" / "Livraison estimée :"
                "url"}
    shipment:  {"carrier", "tracking_number", "tracking_url", "lines": [...]}   # order_shipped
    store:     {"name", "address" (one string)}                               # pickup_ready
    reason:    a sentence                                  # order_refused, order_cancelled
    reset_url, expires_in_hours                            # password_reset (no order)
    action_url                                             # payment_action_required
    card:      {"kind", "amount", "code", "valid_until"}      # gift_card_issued ("order" when bought or refunded)
    transfer:  {"amount", "reference", "account_holder", "iban", "bic", "pay_by"}  # bank_transfer_instructions
    charge:    {"sequence", "amount", "due_on"}, reason       # instalment_failed
    return:    {"number", "status_label", "url", "document", "document_url", "document_until", "carrier",
                "ship_by", "shipping_paid_by_brand", "reimbursed_up_to",
                "items": [{"name", "size", "quantity", "reason", "accepted", "refusal", "note"}]}
               reason (return_rejected)                    # return_accepted, return_label, return_received…
    refund:    {"amount", "parts": [{"label", "amount"}], "delay"}  # refund_issued (order: number, url)
    payout:    {"amount", "what", "sent_on", "bank_reference", "iban_ending", "delay"}  # payout_sent (order: number)
    exchange:  {"status_label", "returned", "wanted", "order_number", "supplement", "refund", "arrives_between",
                "arrives_by", "reason"}                    # exchange_ordered, exchange_converted (order: original)
    repair:    {"number", "status_label", "item", "assessment", "note", "quote", "quote_valid_until",
                "tracking_number", "url"}                  # repair_* (order: number, when the repair names one)
    case:      {"reference", "subject", "kind", "message", "expected_answer_by", "opening_hours",
                "damage_reminder", "reported_to_carrier"}  # case_received, case_reply (order: number)
    confirm_url                                            # newsletter_confirm, stock_alert_confirm
    subject, text, unsubscribe_url                         # newsletter_issue
    product:   {"name", "size", "colour", "url"}, unsubscribe_url  # stock_alert_confirm, back_in_stock
    loyalty:   {"programme", "tier", "surprise", "kept_until"}  # loyalty_tier_reached
    referral:  {"member_first_name", "code", "amount", "valid_until"}  # referral_friend_code
    voucher:   {"code", "amount", "valid_until"}             # referral_reward
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr
from functools import cache
from time import monotonic

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.template import Context, Engine, engines

from comptoir.notifications.models import OutboxMessage

TEMPLATES = (
    "order_received",
    "order_confirmed",
    "order_refused",
    "order_cancelled",
    "order_shipped",
    "pickup_ready",
    "password_reset",
    "payment_action_required",
    "gift_card_issued",
    "bank_transfer_instructions",
    "instalment_failed",
    "refund_issued",
    "payout_sent",
    "return_accepted",
    "return_label",
    "return_received",
    "return_refused",
    "return_rejected",
    "newsletter_confirm",
    "newsletter_issue",
    "stock_alert_confirm",
    "back_in_stock",
    "case_received",
    "case_reply",
    "loyalty_tier_reached",
    "referral_friend_code",
    "referral_reward",
    "exchange_ordered",
    "exchange_converted",
    "repair_requested",
    "repair_send_item",
    "repair_received",
    "repair_quote",
    "repair_in_progress",
    "repair_completed",
    "repair_returned",
)
LANGUAGES = ("en", "fr")
IDEMPOTENCY_HEADER = "X-Comptoir-Idempotency-Key"

# Delay before attempt n + 1 after the n-th failure; the attempt after the last delay is the last one.
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A claimed message is hidden from other workers this long; if its worker dies before recording the
# outcome, the message becomes due again afterwards.
CLAIM_LEASE = timedelta(minutes=2)
WEBHOOK_TIMEOUT_SECONDS = 5
# A batch stops sending once it has run this long and gives its unsent messages back, so that no message is
# still being sent when its lease ends: each send waits at most settings.EMAIL_TIMEOUT or WEBHOOK_TIMEOUT_SECONDS.
SEND_BUDGET_SECONDS = CLAIM_LEASE.total_seconds() / 2


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0  # claimed, then given back unsent when the batch ran out of time

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


EmailSender = Callable[[OutboxMessage, RenderedEmail], None]
WebhookPoster = Callable[[OutboxMessage], None]


def notify_email(*, brand_slug: str, to: str, template: str, language: str, context: dict,
                 idempotency_key: str, now: datetime, headers: dict | None = None) -> None:
    """Enqueue an e-mail in the caller's transaction; a second call with the same key does nothing.

    `headers` are extra e-mail headers, such as List-Unsubscribe on newsletters (RFC 8058)."""
    notify_emails([email_message(brand_slug=brand_slug, to=to, template=template, language=language, context=context,
                                 idempotency_key=idempotency_key, now=now, headers=headers)])


def notify_emails(messages: list[OutboxMessage]) -> None:
    """Enqueue e-mails made by `email_message` in one INSERT, in the caller's transaction."""
    _enqueue(messages)


def email_message(*, brand_slug: str, to: str, template: str, language: str, context: dict,
                  idempotency_key: str, now: datetime, headers: dict | None = None) -> OutboxMessage:
    """An outbox e-mail, checked, not yet saved (notify_email's arguments)."""
    if template not in TEMPLATES:
        raise ValueError(f"Unknown e-mail template {template!r}; known: {', '.join(TEMPLATES)}")
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported e-mail language {language!r}")
    _check_plain_json(context)
    return OutboxMessage(
        channel=OutboxMessage.Channel.EMAIL, brand_slug=brand_slug, recipient=to, template=template,
        language=language, context=context, idempotency_key=idempotency_key,
        headers={str(name): str(value) for name, value in (headers or {}).items()},
        available_at=now, created_at=now,
    )


def notify_webhook(*, brand_slug: str, url: str, body: bytes | str, headers: dict,
                   idempotency_key: str, now: datetime) -> None:
    """Enqueue a webhook POST in the caller's transaction; a second call with the same key does nothing."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"Webhook URL must be http or https: {url!r}")
    if isinstance(body, bytes):
        body = body.decode("utf-8")  # payloads are JSON text; a signature over the bytes stays valid
    _check_plain_json(headers)
    _enqueue([OutboxMessage(
        channel=OutboxMessage.Channel.WEBHOOK, brand_slug=brand_slug, recipient=url, body=body,
        headers={str(name): str(value) for name, value in headers.items()},
        idempotency_key=idempotency_key, available_at=now, created_at=now,
    )])


def _enqueue(messages: list[OutboxMessage]) -> None:
    # One INSERT; the unique idempotency key turns a repeat into a no-op (ON CONFLICT DO NOTHING).
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)


def _check_plain_json(value: dict) -> None:
    try:
        json.dumps(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"Outbox values must be plain JSON: {error}") from error


def drain_outbox(*, now: datetime, limit: int = 100, send_email: EmailSender | None = None,
                 post_webhook: WebhookPoster | None = None) -> DrainReport:
    """Send up to `limit` due messages, oldest first, and record each outcome.

    Messages are claimed in a short transaction (SKIP LOCKED where the database has it, so workers
    share the work), then sent outside any transaction so no lock is held during network calls.
    A crash between a send and its record may send that message once more after `CLAIM_LEASE`;
    the idempotency-key header lets the receiver drop the duplicate. A batch that runs out of time
    (SEND_BUDGET_SECONDS, half the lease) gives its unsent messages back rather than outlive their lease.
    """
    post_webhook = post_webhook or post_webhook_request
    messages = _claim_due(now=now, limit=limit)
    mailer = None
    if send_email is None and any(message.channel == OutboxMessage.Channel.EMAIL for message in messages):
        # One connection of the mail backend for the batch: an SMTP server is greeted (and TLS set up) once.
        mailer = get_connection(fail_silently=False)
        send_email = functools.partial(_send_on, mailer)
    try:
        return _send_batch(messages, now=now, send_email=send_email, post_webhook=post_webhook)
    finally:
        if mailer is not None:
            mailer.close()


def _send_on(mailer, message: OutboxMessage, rendered: RenderedEmail) -> None:
    """send_email_message through a batch's connection, opened at its first send (a server that cannot be
    reached fails that message, not the batch) and again after a failure."""
    mailer.open()  # a no-op once open
    try:
        send_email_message(message, rendered, mailer=mailer)
    except Exception:
        mailer.close()  # the next message starts on a fresh connection
        raise


def _send_batch(messages: list[OutboxMessage], *, now: datetime, send_email: EmailSender,
                post_webhook: WebhookPoster) -> DrainReport:
    sent = retried = failed = 0
    started = monotonic()
    for index, message in enumerate(messages):
        if monotonic() - started > SEND_BUDGET_SECONDS:
            _release(messages[index:], now=now)
            return DrainReport(sent=sent, retried=retried, failed=failed, released=len(messages) - index)
        try:
            if message.channel == OutboxMessage.Channel.EMAIL:
                rendered = render_email(message.template, message.language, message.context)
                send_email(message, rendered)
                _record_sent(message, now=now, rendered=rendered)
            else:
                post_webhook(message)
                _record_sent(message, now=now, rendered=None)
        except Exception as error:  # any failure of one message must not stop the batch
            if _record_failure(message, now=now, error=error) == OutboxMessage.Status.FAILED:
                failed += 1
            else:
                retried += 1
        else:
            sent += 1
    return DrainReport(sent=sent, retried=retried, failed=failed)


def _claim_due(*, now: datetime, limit: int) -> list[OutboxMessage]:
    """Lock the due messages, move them out of sight for `CLAIM_LEASE`, and return them."""
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, available_at__lte=now
        ).order_by("available_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        # SQLite has no row locks; its IMMEDIATE transactions serialise the claim instead.
        messages = list(due[:limit])
        if messages:
            OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(
                available_at=now + CLAIM_LEASE
            )
    return messages


def _release(messages: list[OutboxMessage], *, now: datetime) -> None:
    """Give claimed messages back unsent: due again at once, for any worker."""
    OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(available_at=now)


def _record_sent(message: OutboxMessage, *, now: datetime, rendered: RenderedEmail | None) -> None:
    changes = {"status": OutboxMessage.Status.SENT, "sent_at": now, "attempts": message.attempts + 1,
               "last_error": ""}
    if rendered is not None:
        changes.update(subject=rendered.subject[:300], rendered_text=rendered.text)
    OutboxMessage.objects.filter(pk=message.pk).update(**changes)


def _record_failure(message: OutboxMessage, *, now: datetime, error: Exception) -> str:
    attempts = message.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        status, available_at = OutboxMessage.Status.FAILED, message.available_at
    else:
        status, available_at = OutboxMessage.Status.PENDING, now + RETRY_DELAYS[attempts - 1]
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, attempts=attempts, available_at=available_at,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    return status


def render_email(template: str, language: str, context: dict) -> RenderedEmail:
    """Render the subject, plain text and HTML of an e-mail template in one language."""
    if template not in TEMPLATES:
        raise ValueError(f"Unknown e-mail template {template!r}")
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported e-mail language {language!r}")
    prefix = f"notifications/email/{language}/{template}"
    subject = _text_engine().get_template(f"{prefix}.subject.txt").render(_context(context))
    text = _text_engine().get_template(f"{prefix}.txt").render(_context(context))
    html = engines["django"].get_template(f"{prefix}.html").render(context)
    return RenderedEmail(subject=" ".join(subject.split()), text=_tidy_text(text), html=html)


@cache
def _text_engine() -> Engine:
    """Django templates without HTML escaping, for subjects and plain-text bodies."""
    options = settings.TEMPLATES[0]
    return Engine(dirs=[str(path) for path in options.get("DIRS", [])], app_dirs=True,
                  autoescape=False)


def _context(values: dict) -> Context:
    return Context(values, autoescape=False)  # a bare Engine takes a Context, not a dict


def _tidy_text(text: str) -> str:
    """Drop the blank lines template tags leave behind: at most one empty line in a row."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def send_email_message(message: OutboxMessage, rendered: RenderedEmail, *, mailer=None) -> None:
    """Send one e-mail through Django's configured backend (`mailer`: a connection of it, open for a batch);
    raise on failure."""
    brand = message.context.get("brand") or {}
    sender = formataddr((brand.get("name", ""), settings.DEFAULT_FROM_EMAIL))
    reply_to = [brand["contact_email"]] if brand.get("contact_email") else []
    email = EmailMultiAlternatives(
        subject=rendered.subject, body=rendered.text, from_email=sender, to=[message.recipient],
        reply_to=reply_to, headers={**message.headers, IDEMPOTENCY_HEADER: message.idempotency_key},
        connection=mailer,
    )
    email.attach_alternative(rendered.html, "text/html")
    email.send(fail_silently=False)


def post_webhook_request(message: OutboxMessage) -> None:
    """POST a webhook with its stored headers; any answer but 2xx raises."""
    headers = {"Content-Type": "application/json", **message.headers,
               IDEMPOTENCY_HEADER: message.idempotency_key}
    request = urllib.request.Request(
        message.recipient, data=message.body.encode("utf-8"), headers=headers, method="POST"
    )
    # The opener raises HTTPError for 3xx (never followed: urllib would re-send a POST as a GET),
    # 4xx and 5xx.
    opener = urllib.request.build_opener(_RefuseRedirects)
    with opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"Webhook answered HTTP {response.status}")


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

