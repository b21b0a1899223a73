"""Journeys the return tests share: an order placed, shipped and delivered through the public and
staff APIs, then a return declared, approved, received and inspected — each step at an explicit time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from factories import PARIS, order, pass_challenge, shopper, staff, staff_move

PARIS_TZ = ZoneInfo("Europe/Paris")
OG, AA, OP, AL = "officine-generale", "audrey-alexandre", "opalook", "alme"
METHODS = {OG: "colissimo_expert", AA: "chrono_13", OP: "colissimo_home", AL: "mondial_relay"}


def paris(day: int, hour: int = 10, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS_TZ)


@dataclass
class Delivered:
    brand: str
    number: str
    access_token: str
    email: str
    shopper_token: str | None
    team: str
    lines: list[dict]
    shipments: list[dict]

    @property
    def guest(self) -> dict:
        return {"token": self.access_token}


def delivered_order(api, brand: str, skus: list[tuple[str, int]], *, placed_at: datetime, delivered_at: datetime,
                    address: dict = PARIS, method: str | None = None, signed_in: bool = True,
                    deliver: bool = True, codes: list[str] | None = None,
                    payment_method: str = "card") -> Delivered:
    """An order of `brand` placed at `placed_at`, shipped an hour later and delivered at `delivered_at`."""
    account = shopper(api, brand, now=placed_at) if signed_in else None
    email = account["email"] if account else "guest.returns@example.com"
    placed = order(api, brand, skus, now=placed_at, method=method or METHODS[brand], address=address,
                   token=account["token"] if account else None, email=email, codes=codes,
                   payment_method=payment_method)
    assert placed.status == 201, placed
    team = staff(api, brand, now=placed_at)
    if placed["status"] == "awaiting_payment":
        assert pass_challenge(api, brand, placed, now=placed_at + timedelta(minutes=1),
                              token=account["token"] if account else None).status == 200
    if placed["status"] == "awaiting_confirmation":
        confirmed = staff_move(api, brand, team, placed["number"], "confirm", now=placed_at + timedelta(minutes=5))
        assert confirmed.status == 200, confirmed
    shipped = staff_move(api, brand, team, placed["number"], "ship", now=placed_at + timedelta(hours=1))
    assert shipped.status == 200, shipped
    if deliver:
        delivered = staff_move(api, brand, team, placed["number"], "deliver", now=delivered_at)
        assert delivered.status == 200, delivered
    final = api.get(f"/staff/brands/{brand}/orders/{placed['number']}", token=team, now=delivered_at)
    return Delivered(brand, placed["number"], placed["access_token"], email,
                     account["token"] if account else None, team, final["lines"], final["shipments"])


def declare(api, delivered: Delivered, items: list[dict] | None = None, *, now: datetime, reason: str = "",
            as_guest: bool = False, **body):
    """POST a return of `items` ({"line_id", "quantity", "reason"}); default: every line, one reason."""
    if items is None:
        items = [{"line_id": line["id"], "quantity": line["quantity"], "reason": reason} for line in delivered.lines]
    token = None if as_guest else delivered.shopper_token
    query = delivered.guest if (as_guest or token is None) else None
    return api.post(f"/brands/{delivered.brand}/orders/{delivered.number}/returns", {"items": items, **body},
                    token=token, query=query, now=now)


def staff_return(api, delivered: Delivered, return_id: str, move: str, *, now: datetime, body: dict | None = None):
    return api.post(f"/staff/brands/{delivered.brand}/returns/{return_id}/{move}", body, token=delivered.team, now=now)


def shopper_view(api, delivered: Delivered, return_id: str, *, now: datetime, lang: str | None = None):
    return api.get(f"/brands/{delivered.brand}/returns/{return_id}", query=delivered.guest, now=now, lang=lang)


def inspect_all(api, delivered: Delivered, ret: dict, *, now: datetime, refuse: dict[int, str] | None = None,
                note: str = ""):
    """Inspect every item: accept it, or refuse it with `refuse[item_id]`."""
    refuse = refuse or {}
    items = [{"item_id": item["id"], "decision": "refuse" if item["id"] in refuse else "accept",
              "refusal_reason": refuse.get(item["id"], ""), "note": note if item["id"] in refuse else "",
              }
             for item in ret["items"]]
    return staff_return(api, delivered, ret["id"], "inspect", now=now, body={"items": items})


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (16, 12), colour: str = "red") -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


def upload_photos(api, delivered: Delivered, return_id: str, item_id: int, files: list[tuple[str, bytes, str]], *,
                  now: datetime):
    """POST multipart `photos` ((file name, bytes, declared content type)) to an item of the return, as staff."""
    uploads = [SimpleUploadedFile(name, data, content_type=kind) for name, data, kind in files]
    response = api.client.post(f"/api/staff/brands/{delivered.brand}/returns/{return_id}/items/{item_id}/photos",
                               {"photos": uploads}, HTTP_AUTHORIZATION=f"Bearer {delivered.team}",
                               HTTP_X_COMPTOIR_NOW=now.isoformat())
    from conftest import Reply

    return Reply(response.status_code, response.json() if response.content else None)
