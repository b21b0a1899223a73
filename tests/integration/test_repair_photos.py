"""Photos of the damage on a repair request (AA-REP-01: "the customer e-mails first, then sends the item"),
on the page and through the API (multipart), in English and French: up to 3 real images, checked from their
bytes, stored without metadata, shown to the shopper and to staff of the brand only; a bad file or one too many
is refused with a clear message and nothing is stored."""

from __future__ import annotations

import html
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from comptoir.accounts.models import Customer
from comptoir.consent.erasure import erase_account
from comptoir.consent.personal_data import export_personal_data
from comptoir.repairs.models import RepairEvent, RepairPhoto, RepairRequest
from factories import shopper, staff, staff_client
from return_journeys import AA, AL, delivered_order, image_bytes, paris

BAG = "AA-TOTE-BLK-S"
NOW = paris(20)

pytestmark = pytest.mark.django_db


def jpeg(name: str = "strap.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), "image/jpeg")


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def aa_order(api):
    return delivered_order(api, AA, [(BAG, 1)], placed_at=paris(1), delivered_at=paris(2, 15))


def ask_repair(api, order):
    reply = api.post(f"/brands/{AA}/repairs", {"order_number": order.number, "line_id": order.lines[0]["id"],
                                               "description": "The strap came loose"},
                     token=order.shopper_token, now=NOW)
    assert reply.status == 201, reply
    return reply.body


def add_photos(client, repair: dict, files: list, *, token: str | None = None, query: str = "", lang: str = "en"):
    headers = {"HTTP_X_COMPTOIR_NOW": NOW.isoformat(), "HTTP_ACCEPT_LANGUAGE": lang}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = client.post(f"/api/brands/{AA}/repairs/{repair['id']}/photos{query}", {"photos": files}, **headers)
    return response.status_code, response.json()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


# --- API ------------------------------------------------------------------------------------------------

def test_AA_REP_01_the_shopper_adds_photos_that_she_and_the_brand_s_staff_see(api, media_root):
    order = aa_order(api)
    repair = ask_repair(api, order)

    status, added = add_photos(api.client, repair, [jpeg(), SimpleUploadedFile("tag.png", image_bytes("PNG"),
                                                                                 "image/png")],
                               token=order.shopper_token)
    mine = api.get(f"/brands/{AA}/repairs/{repair['id']}", token=order.shopper_token, now=NOW)
    by_owner = api.client.get(added["photos"][0]["url"], HTTP_AUTHORIZATION=f"Bearer {order.shopper_token}")
    by_guest_token = api.client.get(added["photos"][1]["url"], {"token": repair["access_token"]})
    queue = api.get(f"/staff/brands/{AA}/repairs", token=order.team, now=NOW)
    [staff_view] = [r for r in queue.body if r["id"] == repair["id"]]
    by_staff = api.client.get(staff_view["photos"][0]["url"], HTTP_AUTHORIZATION=f"Bearer {order.team}")

    assert status == 201, added
    assert [(p["content_type"], p["width"], p["height"]) for p in mine["photos"]] == [
        ("image/jpeg", 16, 12), ("image/png", 16, 12)]
    assert mine["photos"][0]["url"] == f"/api/brands/{AA}/repairs/{repair['id']}/photos/{mine['photos'][0]['id']}"
    assert staff_view["photos"][0]["url"].startswith(f"/api/staff/brands/{AA}/repairs/")
    assert (by_owner.status_code, by_owner["Content-Type"], by_owner["X-Content-Type-Options"],
            by_owner["Cache-Control"]) == (200, "image/jpeg", "nosniff", "private, max-age=3600")
    with Image.open(BytesIO(body_of(by_owner))) as served:
        assert (served.format, served.size) == ("JPEG", (16, 12))
    assert (by_guest_token.status_code, by_guest_token["Content-Type"]) == (200, "image/png")
    assert by_staff.status_code == 200
    rows = RepairPhoto.objects.filter(repair_id=repair["id"])
    assert all(row.image.name.startswith(f"repairs/{repair['id']}/") and "strap" not in row.image.name
               for row in rows)
    assert RepairEvent.objects.get(repair_id=repair["id"], kind="photos_added").data == {
        "photos": [row.pk for row in rows]}


def test_AA_REP_01_another_shopper_a_wrong_token_or_another_brand_s_staff_do_not_see_the_photos(api, media_root):
    order = aa_order(api)
    repair = ask_repair(api, order)
    _, added = add_photos(api.client, repair, [jpeg()], token=order.shopper_token)
    url = added["photos"][0]["url"]
    stranger = shopper(api, AA, now=NOW)["token"]
    other_brand_shopper = shopper(api, AL, now=NOW)["token"]
    other_team = staff(api, AL, now=NOW)

    assert api.client.get(url, HTTP_AUTHORIZATION=f"Bearer {stranger}").status_code == 404
    assert api.client.get(url, {"token": "not-the-token"}).status_code == 404
    assert api.client.get(url.replace(f"/{AA}/", f"/{AL}/"),
                          HTTP_AUTHORIZATION=f"Bearer {other_brand_shopper}").status_code == 404
    staff_url = url.replace("/api/brands/", "/api/staff/brands/")
    assert api.client.get(staff_url, HTTP_AUTHORIZATION=f"Bearer {other_team}").status_code == 403
    assert api.client.get(staff_url.replace(f"/{AA}/", f"/{AL}/"),
                          HTTP_AUTHORIZATION=f"Bearer {other_team}").status_code == 404
    assert add_photos(api.client, repair, [jpeg()], token=stranger)[0] == 404
    assert RepairPhoto.objects.count() == 1


@pytest.mark.parametrize("lang, words", [("en", "not a photo"), ("fr", "n'est pas une photo")])
def test_AA_REP_01_a_file_that_is_not_an_image_is_refused_in_her_language_and_nothing_is_stored(
        api, media_root, lang, words):
    order = aa_order(api)
    repair = ask_repair(api, order)

    status, refused = add_photos(api.client, repair, [jpeg(), SimpleUploadedFile(
        "evil.jpg", b"<script>alert(1)</script>", "image/jpeg")], token=order.shopper_token, lang=lang)
    gif_status, gif = add_photos(api.client, repair, [SimpleUploadedFile("anim.gif", image_bytes("GIF"),
                                                                         "image/gif")], token=order.shopper_token)

    assert (status, refused["code"], refused["rule"], gif_status, gif["code"]) == (
        422, "photo_not_an_image", "AA-REP-01", 422, "photo_not_an_image")
    assert words in refused["message"] and "JPEG" in refused["message"]
    assert not RepairPhoto.objects.exists() and stored_files(media_root) == []


def test_AA_REP_01_at_most_three_photos_per_repair(api, media_root):
    order = aa_order(api)
    repair = ask_repair(api, order)

    four = add_photos(api.client, repair, [jpeg(f"{n}.jpg") for n in range(4)], token=order.shopper_token,
                      lang="fr")
    two = add_photos(api.client, repair, [jpeg(), jpeg()], token=order.shopper_token)
    two_more = add_photos(api.client, repair, [jpeg(), jpeg()], token=order.shopper_token)
    one_more = add_photos(api.client, repair, [jpeg()], token=order.shopper_token)

    assert (four[0], four[1]["code"], four[1]["rule"]) == (422, "too_many_repair_photos", "AA-REP-01")
    assert "au plus 3 photos" in four[1]["message"]
    assert (two[0], two_more[0], two_more[1]["code"], one_more[0]) == (201, 422, "too_many_repair_photos", 201)
    assert RepairPhoto.objects.filter(repair_id=repair["id"]).count() == 3
    assert len(stored_files(media_root)) == 3


def test_AA_REP_01_no_more_photos_once_the_item_is_in_the_workshop(api, media_root):
    order = aa_order(api)
    repair = ask_repair(api, order)
    api.post(f"/staff/brands/{AA}/repairs/{repair['id']}/receive", token=order.team, now=paris(24))

    status, late = add_photos(api.client, repair, [jpeg()], token=order.shopper_token)

    assert (status, late["code"]) == (409, "illegal_transition")
    assert not RepairPhoto.objects.exists()


def test_a_photo_loses_its_metadata_and_stands_upright(api, media_root):
    order = aa_order(api)
    repair = ask_repair(api, order)
    exif = Image.Exif()
    exif[0x010F], exif[0x0112] = "Camille's phone", 6  # maker; orientation "rotate 90°"
    buffer = BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "JPEG", exif=exif.tobytes())

    add_photos(api.client, repair, [SimpleUploadedFile("p.jpg", buffer.getvalue(), "image/jpeg")],
               token=order.shopper_token)

    with RepairPhoto.objects.get().image.open("rb") as stored, Image.open(stored) as image:
        assert (image.size, dict(image.getexif())) == ((20, 40), {})


# --- Pages ----------------------------------------------------------------------------------------------

def signed_in_page_client(api, *, language: str = "en"):
    """A browser signed in as the AA shopper of a delivered order."""
    order = aa_order(api)
    client = Client()
    email = api.get(f"/brands/{AA}/me", token=order.shopper_token, now=NOW)["email"]
    assert client.post(f"/{AA}/account/sign-in", {"email": email, "password": "a-long-enough-passphrase"}
                       ).status_code == 302
    return client, order


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("lang, label", [("en", "Photos of the damage"), ("fr", "Photos du dommage")])
def test_AA_REP_01_the_request_form_takes_photos_with_a_labelled_file_input(api, lang, label):
    client, _ = signed_in_page_client(api)

    page = text(client.get(f"/{AA}/account/repairs/new?lang={lang}"))

    assert 'enctype="multipart/form-data"' in page
    assert f'<label for="f-photos">{label}' in page
    assert 'type="file" id="f-photos" name="photos" accept="image/jpeg,image/png,image/webp" multiple' in page


def test_AA_REP_01_a_shopper_sends_photos_with_her_request_and_sees_them_on_her_repair(api, media_root):
    client, order = signed_in_page_client(api)
    line = order.lines[0]["id"]

    response = client.post(f"/{AA}/account/repairs/new?lang=en", {
        "order": order.number, "line": line, "description": "The strap came loose",
        "photos": [jpeg(), SimpleUploadedFile("tag.webp", image_bytes("WEBP"), "image/webp")]})
    repair = RepairRequest.objects.get(order__number=order.number)
    page = text(client.get(response["Location"] + "?lang=fr"))
    photo_urls = [f"/{AA}/account/repairs/{repair.pk}/photos/{photo.pk}" for photo in repair.photos.all()]
    served = client.get(photo_urls[1])

    assert response.status_code == 302
    assert [p.content_type for p in repair.photos.all()] == ["image/jpeg", "image/webp"]
    assert all(f'src="{url}"' in page for url in photo_urls) and 'alt="Photo du dommage 1"' in page
    assert (served.status_code, served["Content-Type"], served["X-Content-Type-Options"]) == (
        200, "image/webp", "nosniff")
    assert RepairEvent.objects.get(repair=repair, kind="requested").data["photos"] == [
        p.pk for p in repair.photos.all()]


@pytest.mark.parametrize("lang, message", [
    ("en", "This file is not a photo: send a JPEG, PNG or WebP image."),
    ("fr", "Ce fichier n'est pas une photo : envoyez une image JPEG, PNG ou WebP."),
])
def test_AA_REP_01_a_bad_file_refuses_the_request_with_a_clear_message_and_stores_nothing(
        api, media_root, lang, message):
    client, order = signed_in_page_client(api)

    response = client.post(f"/{AA}/account/repairs/new?lang={lang}", {
        "description": "The strap came loose",
        "photos": [jpeg(), SimpleUploadedFile("notes.jpg", b"%PDF-1.4 not an image", "image/jpeg")]})

    assert response.status_code == 422
    assert message in text(response) and "The strap came loose" in text(response)  # what she typed is kept
    assert not RepairRequest.objects.exists() and not RepairPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_AA_REP_01_four_photos_on_the_page_are_refused_and_nothing_is_stored(api, media_root):
    client, _ = signed_in_page_client(api)

    response = client.post(f"/{AA}/account/repairs/new?lang=en", {
        "description": "The strap came loose", "photos": [jpeg(f"{n}.jpg") for n in range(4)]})

    assert response.status_code == 422
    assert "A repair request takes at most 3 photos of the damage." in text(response)
    assert not RepairRequest.objects.exists() and stored_files(media_root) == []


def test_another_shopper_or_another_brand_does_not_reach_the_photo_page(api, media_root):
    client, _ = signed_in_page_client(api)
    client.post(f"/{AA}/account/repairs/new", {"description": "A strap is torn", "photos": [jpeg()]})
    photo = RepairPhoto.objects.get()
    url = f"/{AA}/account/repairs/{photo.repair_id}/photos/{photo.pk}"
    intruder, _ = signed_in_page_client(api)

    assert client.get(url).status_code == 200
    assert intruder.get(url).status_code == 404
    assert client.get(url.replace(f"/{AA}/", f"/{AL}/")).status_code in (302, 404)  # not signed in there
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page


# --- Back office ----------------------------------------------------------------------------------------

def test_staff_see_the_photos_in_the_repair_admin_and_other_brands_do_not(api, media_root):
    order = aa_order(api)
    repair = ask_repair(api, order)
    add_photos(api.client, repair, [jpeg()], token=order.shopper_token)
    photo = RepairPhoto.objects.get()
    workshop, other_brand = staff_client(AA, "aa-workshop"), staff_client(AL, "al-desk")
    change = f"/admin/repairs/repairrequest/{repair['id']}/change/"
    photo_url = f"/admin/repairs/repairrequest/{repair['id']}/photos/{photo.pk}/"

    page = workshop.get(change)
    served = workshop.get(photo_url)

    assert page.status_code == 200 and f'src="{photo_url}"' in page.content.decode()
    assert (served.status_code, served["Content-Type"], served["X-Content-Type-Options"]) == (
        200, "image/jpeg", "nosniff")
    assert "private" in served["Cache-Control"]  # the admin keeps it out of every cache (never_cache)
    assert other_brand.get(photo_url).status_code == 404
    assert other_brand.get(change).status_code in (302, 404)


# --- Personal data --------------------------------------------------------------------------------------

def test_ALL_ACC_04_her_repairs_are_in_her_export_and_their_photos_go_with_her_account(
        api, media_root, django_capture_on_commit_callbacks):
    order = aa_order(api)
    repair = ask_repair(api, order)
    assert add_photos(Client(), repair, [jpeg("strap.jpg")], token=order.shopper_token)[0] == 201
    customer = Customer.objects.get(brand__slug=AA, email=order.email)

    [exported] = export_personal_data(customer, now=NOW)["repairs"]
    assert (exported["number"], exported["description"], exported["photos"]) == (
        repair["number"], "The strap came loose", ["strap.jpg"])

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the erasure is committed
        erase_account(customer, actor="test", source="test", now=NOW)

    kept = RepairRequest.objects.get(pk=repair["id"])
    assert kept.email != order.email and "strap" not in kept.description
    assert not RepairPhoto.objects.filter(repair=kept).exists() and stored_files(media_root) == []
