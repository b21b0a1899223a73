"""What every shopper page does first and last: find the brand, the language and the shopper, render in
the brand's layout, and turn a refusal (DomainError) into a page with its message, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse

from comptoir.brands.services import get_brand
from comptoir.core.errors import DomainError, NotFound, RateLimited
from comptoir.web import session
from comptoir.web.texts import texts

LANGUAGES = ("en", "fr")
# Where a shared page has its forms' CSRF token (letters only: escaping keeps it as is).
_CSRF_TOKEN_SLOT = "csrfTokenOfTheVisitor"
_CSRF_TOKEN_SLOT_BYTES = _CSRF_TOKEN_SLOT.encode()


def page_language(request, policy) -> str:
    """`?lang=` (remembered for the session), then the session's choice, then the brand's default."""
    explicit = request.GET.get("lang")
    if explicit in LANGUAGES and explicit in policy.languages:
        session.remember_language(request, explicit)
        return explicit
    remembered = session.remembered_language(request)
    if remembered in policy.languages:
        return remembered
    return policy.default_language


def brand_page(view):
    """Decorate a view taking (request, brand, ...): sets request.brand, .language, .customer, .texts."""

    @functools.wraps(view)
    def wrapper(request, brand: str, *args, **kwargs):
        try:
            found = get_brand(brand)
        except NotFound:
            raise Http404("brand") from None
        policy = found.policy_object
        request.brand = found
        request.language = page_language(request, policy)
        request.texts = texts(request.language)
        request.customer = session.current_customer(request, found)
        try:
            return view(request, found, *args, **kwargs)
        except DomainError as error:
            return error_page(request, error)

    return wrapper


def account_page(view):
    """brand_page for the pages of "my account": a signed-out visitor signs in first, then comes back."""

    @functools.wraps(view)
    def signed_in(request, brand, *args, **kwargs):
        if request.customer is None:
            target = reverse("web:account", kwargs={"brand": brand.slug})
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, brand, *args, **kwargs)

    return brand_page(signed_in)


def show(request, template: str, context: dict | None = None, *, status: int = 200):
    """Render `template` in the brand's layout."""
    brand = request.brand
    policy = brand.policy_object
    base = {
        "brand": brand, "policy": policy, "language": request.language, "t": request.texts,
        "customer": request.customer, "currency": policy.currency,
        "cart_count": session.cart_count(request, brand),
        "other_languages": [code for code in policy.languages if code != request.language],
    }
    return render(request, template, {**base, **(context or {})}, status=status)


def same_for_every_visitor(request, brand, parameters: frozenset[str]) -> bool:
    """Whether the page about to be shown reads the same for every visitor who asks for its address: a GET,
    signed out, nothing in the cart, and no query parameter but the page's own `parameters`, each once (a
    `?lang=` choice is remembered in the visitor's session). Such a page may be rendered once and served
    to all, keyed by its full path (the language links repeat the query)."""
    if request.method != "GET" or request.customer is not None or session.cart_count(request, brand):
        return False
    return all(name in parameters and len(request.GET.getlist(name)) == 1 for name in request.GET)


def shared_page(request, cached, stock, render: Callable[..., HttpResponse]) -> HttpResponse:
    """A page that reads the same for every visitor (same_for_every_visitor): `render(csrf_token=…)` is called
    once per set of availabilities and kept by `cached` (a cached product sheet or page of sheets, keyed by
    the page's full path), then served to all; its forms get each visitor's own CSRF token in the copy."""
    html = cached.rendered(("page", request.get_full_path()), stock,
                           lambda: render(csrf_token=_CSRF_TOKEN_SLOT).content)
    if _CSRF_TOKEN_SLOT_BYTES in html:
        html = html.replace(_CSRF_TOKEN_SLOT_BYTES, get_token(request).encode())
    return HttpResponse(html)


def error_page(request, error: DomainError):
    """The refusal as a page; too many attempts (HTTP 429) says when to try again (Retry-After)."""
    response = show(request, "web/error.html", {"message": error.message(request.language), "code": error.code},
                    status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def message_of(request, error: DomainError) -> str:
    return error.message(request.language)
