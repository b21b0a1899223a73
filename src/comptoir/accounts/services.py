"""Shopper accounts: registration, sign-in tokens, addresses, password reset by e-mail link."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count

from comptoir.accounts.models import ADDRESS_FIELDS, Address, ApiToken, Customer, PasswordResetToken
from comptoir.brands.models import Brand
from comptoir.brands.services import brand_contact
from comptoir.consent.newsletter import ACCOUNT_CREATION, subscribe_account
from comptoir.core.errors import InvalidInput, NotAuthenticated, NotFound
from comptoir.core.rate_limit import check_rate_limit
from comptoir.loyalty.services import join as join_loyalty
from comptoir.notifications.services import notify_email
from comptoir.shipping.rules import check_address_deliverable

TOKEN_LIFETIME = timedelta(days=30)
RESET_LINK_LIFETIME = timedelta(hours=2)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("invalid_email") from None
    return email


def check_password_strength(password: str) -> None:
    try:
        validate_password(password)
    except ValidationError as error:
        raise InvalidInput("weak_password", reason=" ".join(error.messages)) from None


def register_customer(
    brand: Brand, *, email: str, password: str, first_name: str, last_name: str,
    language: str, newsletter_consent: bool, now: datetime,
) -> Customer:
    """Create a shopper account; news consent is recorded with its date only when given (AL-NEWS-02)."""
    email = normalise_email(email)
    check_password_strength(password)
    customer = Customer(
        brand=brand, email=email, first_name=first_name.strip(), last_name=last_name.strip(),
        language=language, created_at=now, newsletter_consent_at=now if newsletter_consent else None,
    )
    customer.set_password(password)
    with transaction.atomic():
        try:
            with transaction.atomic():
                customer.save()
        except IntegrityError:
            raise InvalidInput("email_already_registered") from None
        if newsletter_consent:  # the subscription and its consent event, dated (AL-NEWS-02)
            subscribe_account(customer, source=ACCOUNT_CREATION, actor=f"customer:{customer.pk}", now=now)
        join_loyalty(customer, now=now)  # AL-LOY-09: every new account joins the brand's programme, if any
    return customer


def issue_token(*, customer: Customer | None = None, user=None, now: datetime) -> str:
    """A new bearer token; only its hash is kept."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        key_hash=hash_secret(key), customer=customer, user=user, created_at=now, expires_at=now + TOKEN_LIFETIME
    )
    return key


def sign_in(brand: Brand, *, email: str, password: str, now: datetime) -> tuple[Customer, str]:
    """Check the password and return a token. The same error, and the same work (one password hash),
    for an unknown e-mail and a wrong password; attempts per address are rate-limited (any face)."""
    email = (email or "").strip().lower()
    check_rate_limit("sign_in_account", f"{brand.pk}:{email}", now)
    customer = Customer.objects.filter(brand=brand, email=email, is_active=True).first()
    if customer is None:
        Customer(password="").set_password(password)  # same cost as a real check: no account enumeration
        raise NotAuthenticated("invalid_credentials")
    if not customer.check_password(password):
        raise NotAuthenticated("invalid_credentials")
    return customer, issue_token(customer=customer, now=now)


def sign_in_staff(*, username: str, password: str, now: datetime) -> str:
    check_rate_limit("sign_in_account", f"staff:{username}", now)
    user = authenticate(username=username, password=password)
    if user is None or not user.is_staff:
        raise NotAuthenticated("invalid_credentials")
    return issue_token(user=user, now=now)


def resolve_token(key: str, now: datetime) -> ApiToken | None:
    """The live token for a bearer key, with its owner loaded, or None."""
    token = (
        ApiToken.objects.select_related("customer", "user")
        .filter(key_hash=hash_secret(key), expires_at__gt=now)
        .first()
    )
    if token is None:
        return None
    if token.customer is not None and not token.customer.is_active:
        return None
    if token.user is not None and not token.user.is_active:
        return None
    return token


def update_profile(customer: Customer, *, changes: dict) -> Customer:
    """Update name, language or phone (ALL-ACC-02)."""
    allowed = {"first_name", "last_name", "language", "phone"}
    for field, value in changes.items():
        if field in allowed and value is not None:
            setattr(customer, field, value.strip() if isinstance(value, str) else value)
    customer.save(update_fields=list(allowed))
    return customer


def confirm_password(customer: Customer, password: str, *, now: datetime) -> None:
    """A signed-in shopper proves it is her before an irreversible step (account deletion); attempts count
    against the same limit as signing in."""
    check_rate_limit("sign_in_account", f"{customer.brand_id}:{customer.email}", now)
    if not customer.check_password(password):
        raise NotAuthenticated("invalid_password")


def change_password(customer: Customer, *, current_password: str, new_password: str) -> None:
    if not customer.check_password(current_password):
        raise NotAuthenticated("invalid_credentials")
    check_password_strength(new_password)
    customer.set_password(new_password)
    customer.save(update_fields=["password"])


REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "postal_code", "city", "country")
ADDRESS_LIMITS = {"label": 60, "first_name": 100, "last_name": 100, "line1": 200, "line2": 200, "postal_code": 20,
                  "city": 100, "country": 2, "phone": 40}


def check_address(policy, fields: dict) -> dict:
    """The address as stored: trimmed, the country upper-cased; refused when a required field is missing or too
    long, or when it is a post-office box and the brand does not deliver to them (OG-SHP-04)."""
    values = {field: " ".join((fields.get(field) or "").split()) for field in ("label", *ADDRESS_FIELDS)}
    values["country"] = values["country"].upper()
    wrong = [field for field in REQUIRED_ADDRESS_FIELDS if not values[field]]
    wrong += [field for field, limit in ADDRESS_LIMITS.items() if len(values[field]) > limit]
    if len(values["country"]) != 2 or not values["country"].isalpha():
        wrong.append("country")
    if wrong:
        raise InvalidInput("invalid_input", fields=", ".join(dict.fromkeys(wrong)))
    check_address_deliverable(policy, [values["line1"], values["line2"]]).enforce(InvalidInput)
    return values


def add_address(customer: Customer, *, fields: dict, now: datetime) -> Address:
    """Store one more delivery or billing address (OG-SHP-05)."""
    values = check_address(customer.brand.policy_object, fields)
    return Address.objects.create(customer=customer, created_at=now, **values)


def update_address(customer: Customer, address_id: int, *, fields: dict) -> Address:
    """Change a stored address of the shopper's (never another's: NotFound)."""
    address = get_address(customer, address_id)
    for field, value in check_address(customer.brand.policy_object, fields).items():
        setattr(address, field, value)
    address.save()
    return address


def get_address(customer: Customer, address_id: int) -> Address:
    address = Address.objects.filter(customer=customer, id=address_id).first()
    if address is None:
        raise NotFound("address_not_found")
    return address


def delete_address(customer: Customer, address_id: int) -> None:
    get_address(customer, address_id).delete()


def request_password_reset(brand: Brand, *, email: str, base_url: str, now: datetime) -> None:
    """E-mail a single-use reset link if the account exists; say nothing either way (ALL-ACC-02).
    Requests per address are rate-limited, known or not: no flooding of someone's inbox."""
    email = (email or "").strip().lower()
    check_rate_limit("password_reset_account", f"{brand.pk}:{email}", now)
    customer = Customer.objects.filter(brand=brand, email=email, is_active=True).first()
    if customer is None:
        return
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        reset = PasswordResetToken.objects.create(
            customer=customer, token_hash=hash_secret(secret), created_at=now, expires_at=now + RESET_LINK_LIFETIME
        )
        notify_email(
            brand_slug=brand.slug,
            to=customer.email,
            template="password_reset",
            language=customer.language,
            context={
                "brand": brand_contact(brand),
                "customer": {"first_name": customer.first_name},
                "reset_url": f"{base_url}/{brand.slug}/account/reset?"
                             f"{urlencode({'token': secret, 'lang': customer.language})}",
                "expires_in_hours": int(RESET_LINK_LIFETIME.total_seconds() // 3600),
            },
            idempotency_key=f"password-reset:{reset.pk}",
            now=now,
        )


def reset_password(brand: Brand, *, token: str, new_password: str, now: datetime) -> None:
    check_password_strength(new_password)
    with transaction.atomic():
        reset = (
            PasswordResetToken.objects.select_for_update()
            .select_related("customer")
            .filter(token_hash=hash_secret(token or ""), customer__brand=brand, used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if reset is None:
            raise InvalidInput("invalid_reset_link")
        reset.customer.set_password(new_password)
        reset.customer.save(update_fields=["password"])
        reset.used_at = now
        reset.save(update_fields=["used_at"])


def find_customers(brand: Brand, *, first_name: str, last_name: str, limit: int = 20) -> list[Customer]:
    """Accounts whose names match, case-insensitively, with their order count (OG-ACC-05)."""
    customers = Customer.objects.filter(brand=brand, is_active=True, last_name__iexact=last_name.strip())
    if first_name.strip():
        customers = customers.filter(first_name__iexact=first_name.strip())
    return list(customers.annotate(order_count=Count("orders")).order_by("last_name", "first_name")[:limit])
