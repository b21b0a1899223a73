"""Object-level access: nobody reaches another shopper's or another brand's objects by guessing ids.

Every operation of the OpenAPI schema has an entry below (a new route without one fails
`test_every_route_has_an_access_entry`):
- PUBLIC: anyone may call it (catalog, help, sign-in…); the reason is in the comment;
- ME: the signed-in shopper's own data: no token → 401, another brand's shopper → 401;
- OWNED: takes the id of a shopper's object (in the path, or in the body when given a body builder):
  another shopper of the brand, a guest without or with a wrong token, a shopper of another brand on
  their own brand's path → 404 (never 403: the answer must not confirm the object exists) or 401;
- STAFF: no token → 401, a shopper (even the owner) → 401/403, the staff of another brand → 403 on
  this brand's path and, for a route taking an id, 404 on their own brand's path with this brand's id.
The owner reaches each OWNED object it reads (GET), so the ids used are real.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass, field
from typing import Callable

import pytest

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.accounts.models import Customer
from comptoir.orders.models import Order
from comptoir.payouts.models import POSTAGE_REIMBURSEMENT
from comptoir.payouts.opening import open_payout
from comptoir.returns.models import InspectionPhoto, ReturnItem
from comptoir.api import api as ninja_api
from factories import PARIS, VISA, shopper, staff
from return_journeys import AA, AL, OG, declare, delivered_order, image_bytes, paris

NOW = paris(10)
PUBLIC, ME, STAFF = "public", "me", "staff"


@dataclass(frozen=True)
class Owned:
    """A route taking a shopper's object; `body(world)` builds a valid body (ids in it are the owner's)."""

    body: Callable[[dict], dict] | None = None
    kind: str = field(default="owned")


def _line(world):
    return {"line_id": world["line_id"][1], "quantity": 1, "reason": "wrong_size"}


OWNED = Owned()
ROUTES = {
    # Public: catalog, help center, brand policy, sign-up and sign-in, secret links from e-mails.
    "GET /api/brands": PUBLIC, "GET /api/brands/{slug}": PUBLIC, "GET /api/brands/{slug}/categories": PUBLIC,
    "GET /api/brands/{slug}/products": PUBLIC, "GET /api/brands/{slug}/products/{product_slug}": PUBLIC,
    "GET /api/brands/{slug}/delivery-estimate": PUBLIC, "GET /api/brands/{slug}/shipping-methods": PUBLIC,
    "POST /api/brands/{slug}/customers": PUBLIC, "POST /api/brands/{slug}/sessions": PUBLIC,
    "POST /api/staff/sessions": PUBLIC, "POST /api/brands/{slug}/password-reset": PUBLIC,
    "POST /api/brands/{slug}/password-reset/confirm": PUBLIC,  # the e-mailed secret is the credential
    "POST /api/brands/{slug}/carts": PUBLIC,
    "POST /api/payments/sandbox/webhook": PUBLIC,  # signed by the gateway
    # The payment's random UUID, given only to the payer at checkout, is the credential of the 3-D Secure /
    # PayPal return (guests have no token there). See the note in the module docstring of orders.api.
    "POST /api/brands/{slug}/payments/{payment_id}/challenge": PUBLIC,
    "GET /api/brands/{slug}/gift-cards/{code}": PUBLIC,  # the code is the secret (one path for any wrong one)
    "GET /api/brands/{slug}/returns/options": PUBLIC,
    "POST /api/brands/{slug}/returns/lookup": PUBLIC,  # number + e-mail; same 404 for either wrong
    "POST /api/brands/{slug}/newsletter/subscriptions": PUBLIC, "POST /api/brands/{slug}/stock-alerts": PUBLIC,
    "GET /api/brands/{slug}/newsletter/confirm": PUBLIC, "POST /api/brands/{slug}/newsletter/confirm": PUBLIC,
    "GET /api/brands/{slug}/newsletter/unsubscribe": PUBLIC, "POST /api/brands/{slug}/newsletter/unsubscribe": PUBLIC,
    "GET /api/brands/{slug}/stock-alerts/confirm": PUBLIC, "POST /api/brands/{slug}/stock-alerts/confirm": PUBLIC,
    "GET /api/brands/{slug}/stock-alerts/unsubscribe": PUBLIC,
    "POST /api/brands/{slug}/stock-alerts/unsubscribe": PUBLIC,
    "POST /api/brands/{slug}/referral/{referral_code}/claims": PUBLIC,  # a friend uses a member's shared code
    "GET /api/brands/{slug}/guarantee": PUBLIC,
    "POST /api/brands/{slug}/help/ask": PUBLIC, "GET /api/brands/{slug}/help": PUBLIC,
    "GET /api/brands/{slug}/help/search": PUBLIC, "GET /api/brands/{slug}/help/{key}": PUBLIC,
    "GET /api/brands/{slug}/care/hours": PUBLIC,
    # The signed-in shopper's own account.
    "GET /api/brands/{slug}/me": ME, "PATCH /api/brands/{slug}/me": ME, "DELETE /api/brands/{slug}/me": ME,
    "POST /api/brands/{slug}/me/password": ME, "GET /api/brands/{slug}/me/addresses": ME,
    "POST /api/brands/{slug}/me/addresses": ME, "GET /api/brands/{slug}/orders": ME,
    "GET /api/brands/{slug}/me/newsletter": ME, "PUT /api/brands/{slug}/me/newsletter": ME,
    "GET /api/brands/{slug}/me/data-export": ME, "GET /api/brands/{slug}/me/cases": ME,
    "GET /api/brands/{slug}/me/loyalty": ME, "POST /api/brands/{slug}/me/loyalty/vouchers": ME,
    "POST /api/brands/{slug}/me/loyalty/missions/{code}": ME, "GET /api/brands/{slug}/me/referral": ME,
    "POST /api/brands/{slug}/me/referral/invitations": ME, "GET /api/brands/{slug}/me/repairs": ME,
    # A shopper's objects, by id.
    "DELETE /api/brands/{slug}/me/addresses/{address_id}": OWNED,
    "GET /api/brands/{slug}/carts/{cart_id}": OWNED,
    "PUT /api/brands/{slug}/carts/{cart_id}/lines/{sku}": Owned(lambda w: {"quantity": 1}),
    "POST /api/brands/{slug}/carts/{cart_id}/checkout": Owned(lambda w: {
        "email": "x@example.com", "shipping_address": PARIS, "shipping_method": "mondial_relay",
        "payment": {"method": "card", "card": VISA}}),
    "GET /api/brands/{slug}/orders/{number}": OWNED, "POST /api/brands/{slug}/orders/{number}/cancel": OWNED,
    "PUT /api/brands/{slug}/orders/{number}/shipping-address": Owned(lambda w: PARIS),
    "PUT /api/brands/{slug}/orders/{number}/lines/{line_id}/variant": Owned(lambda w: {"sku": "AL-TEE-WHT-M"}),
    "GET /api/brands/{slug}/orders/{number}/invoice.pdf": OWNED,
    "POST /api/brands/{slug}/returns/preview": Owned(lambda w: {"order_number": w["number"][1], "items": [_line(w)]}),
    "POST /api/brands/{slug}/orders/{number}/returns": Owned(lambda w: {"items": [_line(w)]}),
    "GET /api/brands/{slug}/orders/{number}/returns": OWNED,
    "GET /api/brands/{slug}/returns/{return_id}": OWNED,
    "POST /api/brands/{slug}/returns/{return_id}/items": Owned(lambda w: {"items": [_line(w)]}),
    "POST /api/brands/{slug}/returns/{return_id}/cancel": OWNED,
    "GET /api/brands/{slug}/returns/{return_id}/label.pdf": OWNED,
    "GET /api/brands/{slug}/returns/{return_id}/photos/{photo_id}": OWNED,
    "POST /api/brands/{slug}/returns/{return_id}/exchange": Owned(lambda w: {"item_id": 1, "sku": "AL-TEE-WHT-M"}),
    "GET /api/brands/{slug}/returns/{return_id}/exchanges": OWNED,
    "POST /api/brands/{slug}/cases": Owned(lambda w: {"order_number": w["number"][1], "subject": "Where",
                                                      "message": "Where is it?", "email": "x@example.com"}),
    "POST /api/brands/{slug}/repairs": Owned(lambda w: {"order_number": w["repair_order"][1],
                                                        "line_id": w["repair_line"][1], "description": "Strap"}),
    "GET /api/brands/{slug}/repairs/{repair_id}": OWNED,
    "POST /api/brands/{slug}/repairs/{repair_id}/quote/accept": Owned(lambda w: {"card": VISA}),
    "POST /api/brands/{slug}/repairs/{repair_id}/quote/challenge": Owned(lambda w: {"answer": "123456"}),
    "POST /api/brands/{slug}/repairs/{repair_id}/quote/decline": OWNED,
    "POST /api/brands/{slug}/repairs/{repair_id}/photos": OWNED,  # multipart; refused before the files are read
    "GET /api/brands/{slug}/repairs/{repair_id}/photos/{photo_id}": OWNED,
}
# Bodies the schema alone does not make valid (cross-field rules, nested required objects).
BODIES = {
    "POST /api/staff/brands/{slug}/discount-codes": lambda w: {
        "code": "MATRIX10", "kind": "percentage", "percentage_basis_points": 1000, "starts_at": NOW.isoformat()},
    "POST /api/staff/brands/{slug}/gift-cards": lambda w: {
        "kind": "gift_card", "amount_minor": 1000, "recipient_email": "friend@example.com"},
    "POST /api/staff/brands/{slug}/orders/{number}/transfers": lambda w: {
        "amount_minor": 100, "reference": w["number"][1], "received_on": "2026-11-05"},
    "POST /api/staff/brands/{slug}/orders/{number}/returns": lambda w: {"items": [_line(w)]},
    "POST /api/staff/brands/{slug}/payouts/{payout_id}/sent": lambda w: {
        "bank_reference": "VIR-MATRIX", "sent_on": "2026-11-10"},
    "POST /api/staff/brands/{slug}/returns/{return_id}/inspect": lambda w: {"items": [
        {"item_id": 1, "decision": "accept"}]},
}
# Body-carried ids name the brand their object lives in (the path has only {slug}).
BODY_BRAND = {"POST /api/brands/{slug}/repairs": AA}
# A path parameter whose value comes from another entry of the world for the routes under this path prefix
# (a repair's photo is not a return's photo).
PARAM_SOURCES = {"/api/brands/{slug}/repairs/{repair_id}/photos/": {"photo_id": "repair_photo_id"},
                 "/api/staff/brands/{slug}/repairs/{repair_id}/photos/": {"photo_id": "repair_photo_id"}}


@functools.cache
def _openapi() -> dict:
    return ninja_api.get_openapi_schema()


def _schema_routes() -> set[str]:
    schema = _openapi()
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def _operation(route: str) -> tuple[dict, dict]:
    method, path = route.split(" ", 1)
    schema = _openapi()
    return schema, schema["paths"][path][method.lower()]


def _example(schema: dict, node: dict):
    """A minimal valid value of a JSON schema: required properties only, the first enum value…"""
    if "$ref" in node:
        return _example(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in node:
            options = [option for option in node[combined] if option.get("type") != "null"]
            return _example(schema, options[0])
    if "enum" in node:
        return node["enum"][0]
    if "default" in node and node["default"] is not None:
        return node["default"]
    kind = node.get("type", "object")
    if kind == "object":
        properties = node.get("properties", {})
        return {name: _example(schema, properties[name]) for name in node.get("required", [])}
    if kind == "array":
        return [_example(schema, node.get("items", {})) for _ in range(node.get("minItems", 0))]
    if kind in ("integer", "number"):
        return max(node.get("minimum", 1), node.get("exclusiveMinimum", 0) + 1)
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return "2026-11-05"
    if node.get("format") == "date-time":
        return "2026-11-05T10:00:00+01:00"
    if node.get("pattern") == "^[A-Za-z]{2}$":
        return "FR"
    if node.get("format") == "email" or "email" in node.get("title", "").lower():
        return "someone@example.com"
    return "x" * max(node.get("minLength", 1), 1)


def _body(route: str, world: dict) -> dict | None:
    entry = ROUTES.get(route)
    if isinstance(entry, Owned) and entry.body:
        return entry.body(world)
    if route in BODIES:
        return BODIES[route](world)
    schema, operation = _operation(route)
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return _example(schema, content["schema"]) if content else None


def _query(route: str) -> dict:
    schema, operation = _operation(route)
    return {p["name"]: _example(schema, p["schema"]) for p in operation.get("parameters", [])
            if p["in"] == "query" and p.get("required")}


def test_every_route_has_an_access_entry():
    routes = _schema_routes()
    staff_routes = {route for route in routes if route.split(" ", 1)[1].startswith("/api/staff/brands/")}
    declared = set(ROUTES) | staff_routes
    assert routes - declared == set(), "new routes need an entry in ROUTES (public, me, owned)"
    assert set(ROUTES) - routes == set(), "entries for routes that no longer exist"


@pytest.fixture
def world(api, media_root):
    """One signed-in shopper's objects at Alme (delivered order, return, case, address, cart), a repair
    with a photo at Audrey Alexandre and a deletion request at Officine Générale: {param: (brand, value)}."""
    order = delivered_order(api, AL, [("AL-TEE-WHT-S", 1)], placed_at=paris(1), delivered_at=paris(3))
    token = order.shopper_token
    ret = declare(api, order, now=paris(4), reason="wrong_size")
    assert ret.status == 201, ret
    case = api.post(f"/brands/{AL}/cases", {"order_number": order.number, "subject": "Hello", "message": "Hi"},
                    token=token, now=NOW)
    address = api.post(f"/brands/{AL}/me/addresses", PARIS, token=token, now=NOW)
    cart = api.post(f"/brands/{AL}/carts", {"lines": [{"sku": "AL-TEE-WHT-S", "quantity": 1}]}, token=token, now=NOW)
    detail = api.get(f"/staff/brands/{AL}/orders/{order.number}", token=order.team, now=NOW)
    item = ReturnItem.objects.get(return_request_id=ret["id"])
    photo = InspectionPhoto(item=item, content_type="image/jpeg", size_bytes=1, width=16, height=12, uploaded_at=NOW,
                            uploaded_by="staff:matrix")
    photo.image.save("photo", ContentFile(image_bytes()), save=False)
    photo.save()
    email = api.get(f"/brands/{AL}/me", token=token, now=NOW)["email"]
    payout = open_payout(Order.objects.get(number=order.number), kind=POSTAGE_REIMBURSEMENT, amount_minor=600,
                         reason="matrix", now=NOW)  # a transfer staff send by hand (staff payouts routes)
    repair_order = delivered_order(api, AA, [("AA-TOTE-BLK-S", 1)], placed_at=paris(1), delivered_at=paris(2))
    repair = api.post(f"/brands/{AA}/repairs", {"order_number": repair_order.number,
                                                "line_id": repair_order.lines[0]["id"], "description": "Strap"},
                      token=repair_order.shopper_token, now=NOW)
    with_photo = api.client.post(f"/api/brands/{AA}/repairs/{repair['id']}/photos",
                                 {"photos": [SimpleUploadedFile("strap.jpg", image_bytes(), "image/jpeg")]},
                                 HTTP_AUTHORIZATION=f"Bearer {repair_order.shopper_token}",
                                 HTTP_X_COMPTOIR_NOW=NOW.isoformat())
    assert with_photo.status_code == 201, with_photo.content
    leaving = shopper(api, OG, now=NOW)
    deletion = api.delete(f"/brands/{OG}/me", token=leaving["token"], now=NOW)
    assert {case.status, address.status, cart.status, repair.status} == {201}, (case, address, cart, repair)
    assert deletion.status == 409, deletion
    return {
        "number": (AL, order.number), "line_id": (AL, order.lines[0]["id"]), "return_id": (AL, ret["id"]),
        "item_id": (AL, item.pk), "photo_id": (AL, photo.pk),
        "shipment_id": (AL, order.shipments[0]["id"]), "payment_id": (AL, detail["payments"][0]["id"]),
        "case_id": (AL, case["id"]), "address_id": (AL, address["id"]), "cart_id": (AL, cart["id"]),
        "sku": (AL, "AL-TEE-WHT-S"), "customer_id": (AL, Customer.objects.get(brand__slug=AL, email=email).pk),
        "repair_id": (AA, repair["id"]), "payout_id": (AL, payout.pk), "repair_order": (AA, repair_order.number),
        "repair_photo_id": (AA, with_photo.json()["photos"][0]["id"]),
        "repair_line": (AA, repair_order.lines[0]["id"]), "request_id": (OG, deletion["request"]["id"]),
        # No exchange is made here: an unknown id stands in (refusal before any lookup is still proved).
        "exchange_id": (AL, str(uuid.uuid4())), "code": (AL, "no-such-code"),
        "owners": {AL: (token, order.access_token), AA: (repair_order.shopper_token, repair["access_token"])},
        "teams": {AL: order.team, AA: repair_order.team, OG: staff(api, OG, now=NOW)},
    }


def _params(route: str) -> list[str]:
    return [name for name in re.findall(r"{(\w+)}", route) if name != "slug"]


def _source(route: str, name: str) -> str:
    """The world entry holding the value of path parameter `name` for this route."""
    path = route.split(" ", 1)[1]
    for prefix, sources in PARAM_SOURCES.items():
        if path.startswith(prefix):
            return sources.get(name, name)
    return name


def _brand_of(route: str, world: dict) -> str:
    params = _params(route)
    brands = {world[_source(route, name)][0] for name in params if name not in ("sku", "code")}
    assert len(brands) <= 1, route
    return brands.pop() if brands else BODY_BRAND.get(route, AL)


def _path(route: str, world: dict, slug: str) -> str:
    path = route.split(" ", 1)[1].removeprefix("/api").replace("{slug}", slug)
    for name in _params(route):
        path = path.replace("{" + name + "}", str(world[_source(route, name)][1]))
    return path


def _call(api, route: str, path: str, *, token=None, query=None, body=None, world=None):
    method = route.split(" ", 1)[0].lower()
    query = {**_query(route), **(query or {})}
    if body is None and world is not None:
        body = _body(route, world)
    if method == "get":
        return api.get(path, token=token, query=query, now=NOW)
    return api.call(method, path, body or {}, token=token, query=query or None, now=NOW, key="access-matrix")


def _other_brand(brand: str) -> str:
    return OG if brand != OG else AL


def _hidden(reply, allowed=(404,)) -> bool:
    """Refused without confirming anything: 404, or 401 where a sign-in is needed."""
    return reply.status in allowed and (reply.status == 404 or reply["code"] == "not_authenticated")


class Findings(list):
    def expect(self, ok: bool, route: str, who: str, reply) -> None:
        if not ok:
            self.append(f"{route} [{who}] -> {reply!r}"[:400])


# One world per test, every route of a kind in a loop: building the world is the expensive part, and the
# probes change nothing (each is refused), so the routes can share it.

def test_my_account_routes_need_my_own_sign_in(api, world):
    findings, other_brand_shopper = Findings(), shopper(api, OG, now=NOW)["token"]
    for route in sorted(r for r, kind in ROUTES.items() if kind == ME):
        path = _path(route, world, AL)
        findings.expect(_hidden(_call(api, route, path, world=world), (401,)), route, "nobody", None)
        reply = _call(api, route, path, token=other_brand_shopper, world=world)
        findings.expect(_hidden(reply, (401,)), route, "another brand's shopper", reply)
    assert findings == []


def test_someone_elses_object_is_not_found(api, world, client):
    findings, strangers = Findings(), {brand: shopper(api, brand, now=NOW)["token"] for brand in (AL, AA, OG)}
    for route in sorted(r for r, kind in ROUTES.items() if isinstance(kind, Owned)):
        brand, other = _brand_of(route, world), None
        other = _other_brand(brand)
        body, path = _body(route, world), _path(route, world, brand)
        for who, token, query, allowed in (
            ("another shopper", strangers[brand], None, (404,)),
            ("a guest", None, None, (401, 404)),
            ("a guest with a wrong token", None, {"token": "not-the-token"}, (401, 404)),
        ):
            reply = _call(api, route, path, token=token, query=query, body=body)
            findings.expect(_hidden(reply, allowed), route, who, reply)
        reply = _call(api, route, _path(route, world, other), token=strangers[other], body=body)
        findings.expect(_hidden(reply), route, "another brand's shopper on their brand", reply)
        if route.startswith("GET "):  # the owner is not refused: the id is real
            owner_token, _ = world["owners"][brand]
            response = client.get("/api" + path, {**_query(route)}, HTTP_AUTHORIZATION=f"Bearer {owner_token}",
                                  HTTP_X_COMPTOIR_NOW=NOW.isoformat())
            findings.expect(response.status_code < 400 or response.status_code == 409, route, "the owner",
                            b"" if response.streaming else response.content[:200])
    assert findings == []


def _staff_routes() -> list[str]:
    return sorted(r for r in _schema_routes() if r.split(" ", 1)[1].startswith("/api/staff/brands/"))


def test_staff_routes_serve_only_their_own_brand(api, world):
    findings = Findings()
    for route in _staff_routes():
        brand = _brand_of(route, world)
        path, other = _path(route, world, brand), _other_brand(brand)
        owner_token, _ = world["owners"].get(brand, world["owners"][AL])
        other_team = world["teams"][other]
        for who, token, allowed in (("nobody", None, (401,)), ("a shopper", owner_token, (401, 403)),
                                    ("another brand's staff", other_team, (403,))):
            reply = _call(api, route, path, token=token, world=world)
            findings.expect(reply.status in allowed, route, who, reply)
        if _params(route):  # their own brand's path, this brand's id: unknown there
            reply = _call(api, route, _path(route, world, other), token=other_team, world=world)
            findings.expect(_hidden(reply), route, "another brand's staff on their brand", reply)
    assert findings == []
