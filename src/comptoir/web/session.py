"""What a shopper's browser session remembers, per brand: who is signed in, the open cart, and the access
tokens of the guest orders placed or looked up in it (the pages' counterpart of the API's bearer token)."""

from __future__ import annotations

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand

LANGUAGE_KEY = "comptoir:language"


def _key(brand: Brand, what: str) -> str:
    return f"comptoir:{brand.slug}:{what}"


def current_customer(request, brand: Brand) -> Customer | None:
    """The signed-in shopper of `brand`, or None (a closed account signs out)."""
    customer_id = request.session.get(_key(brand, "customer"))
    if customer_id is None:
        return None
    customer = Customer.objects.filter(pk=customer_id, brand=brand, is_active=True).first()
    if customer is None:
        request.session.pop(_key(brand, "customer"), None)
    return customer


def sign_in(request, brand: Brand, customer: Customer) -> None:
    """Remember the shopper; a new session key on every sign-in (no session fixation)."""
    request.session.cycle_key()
    request.session[_key(brand, "customer")] = customer.pk


def sign_out(request, brand: Brand) -> None:
    request.session.pop(_key(brand, "customer"), None)
    forget_cart(request, brand)
    request.session.cycle_key()


def cart_id(request, brand: Brand) -> str | None:
    return request.session.get(_key(brand, "cart"))


def remember_cart(request, brand: Brand, cart) -> None:
    request.session[_key(brand, "cart")] = str(cart.pk)
    request.session[_key(brand, "cart_count")] = sum(line["quantity"] for line in cart.lines)


def forget_cart(request, brand: Brand) -> None:
    request.session.pop(_key(brand, "cart"), None)
    request.session.pop(_key(brand, "cart_count"), None)


def cart_count(request, brand: Brand) -> int:
    return request.session.get(_key(brand, "cart_count"), 0)


def remember_order(request, brand: Brand, number: str, access_token: str) -> None:
    """A guest placed or found this order: its pages open in this session without signing in."""
    tokens = dict(request.session.get(_key(brand, "orders"), {}))
    tokens[number] = access_token
    request.session[_key(brand, "orders")] = dict(list(tokens.items())[-20:])


def order_token(request, brand: Brand, number: str | None) -> str | None:
    if not number:
        return None
    return request.session.get(_key(brand, "orders"), {}).get(number)


def remember_referral(request, brand: Brand, code: str) -> None:
    """A friend followed a member's link (AL-RAF-01): her sign-up asks for her code."""
    request.session[_key(brand, "referral")] = code


def referral_code(request, brand: Brand) -> str | None:
    return request.session.get(_key(brand, "referral"))


def forget_referral(request, brand: Brand) -> None:
    request.session.pop(_key(brand, "referral"), None)


def remembered_language(request) -> str | None:
    return request.session.get(LANGUAGE_KEY)


def remember_language(request, language: str) -> None:
    if request.session.get(LANGUAGE_KEY) != language:
        request.session[LANGUAGE_KEY] = language
