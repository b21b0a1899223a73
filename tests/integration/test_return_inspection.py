"""Inspection against the database: accepted items back in stock exactly once, refused ones and refunds without
return never; real photos uploaded (multipart), checked and read back only by who may see the return."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from django.test import Client

from comptoir.returns.models import InspectionPhoto, ReturnEvent, ReturnItem
from factories import OSLO, staff_client, stock_of
from return_journeys import (
    AL, OP, declare, delivered_order, image_bytes, inspect_all, paris, shopper_view, staff_return, upload_photos,
)

TEE, JEAN = "AL-TEE-WHT-M", "AL-JEAN-BLU-38"
RING = "OP-RING-AUR-GLD-54"



def received_return(api, skus=((TEE, 2), (JEAN, 1))):
    order = delivered_order(api, AL, list(skus), placed_at=paris(1), delivered_at=paris(2, 15))
    declared = declare(api, order, now=paris(4), reason="does_not_suit")
    received = staff_return(api, order, declared["id"], "receive", now=paris(7))
    return order, received


def test_accepted_items_go_back_to_stock_once_and_refused_ones_never(api):
    order, received = received_return(api)
    tee, jean = (next(i for i in received["items"] if i["sku"] == sku) for sku in (TEE, JEAN))
    before = (stock_of(TEE), stock_of(JEAN))

    inspected = inspect_all(api, order, received.body, now=paris(7, 11), refuse={jean["id"]: "worn"})
    again = inspect_all(api, order, received.body, now=paris(7, 12))
    staff_return(api, order, received["id"], "refund", now=paris(8))

    assert (inspected["status"], again.status) == ("refunded", 409)
    assert (stock_of(TEE), stock_of(JEAN)) == (before[0] + 2, before[1])
    assert ReturnItem.objects.get(pk=tee["id"]).restocked_at is not None
    assert ReturnItem.objects.get(pk=jean["id"]).restocked_at is None
    assert ReturnEvent.objects.filter(return_request_id=received["id"], kind="items_restocked").count() == 1


def test_a_refund_without_return_puts_nothing_back_in_stock(api):
    order = delivered_order(api, OP, [(RING, 1)], placed_at=paris(1), delivered_at=paris(2, 15), address=OSLO,
                            method="colissimo_international")
    before = stock_of(RING)
    requested = declare(api, order, now=paris(3), reason="defective")

    accepted = staff_return(api, order, requested["id"], "approve", now=paris(4))

    assert (accepted["status"], accepted["refund_without_return"]) == ("refunded", True)
    assert stock_of(RING) == before


def test_staff_attach_real_photos_that_only_the_return_s_readers_see(api, media_root):
    order, received = received_return(api, skus=((TEE, 1),))
    item = received["items"][0]["id"]

    added = upload_photos(api, order, received["id"], item, [("front.jpg", image_bytes(), "image/jpeg"),
                                                            ("label.png", image_bytes("PNG"), "image/png")],
                          now=paris(7, 11))
    [staff_view] = added["items"]
    shopper = shopper_view(api, order, received["id"], now=paris(7, 12))["items"][0]["photos"]
    by_shopper = api.client.get(shopper[0]["url"], order.guest)
    by_stranger = api.client.get(shopper[0]["url"], {"token": "not-the-token"})
    by_staff = api.client.get(staff_view["photos"][1]["url"], HTTP_AUTHORIZATION=f"Bearer {order.team}")

    assert added.status == 201, added
    assert [p["content_type"] for p in staff_view["photos"]] == ["image/jpeg", "image/png"]
    assert (by_shopper.status_code, by_shopper["Content-Type"]) == (200, "image/jpeg")
    with Image.open(BytesIO(b"".join(by_shopper.streaming_content))) as served:
        assert (served.format, served.size) == ("JPEG", Image.open(BytesIO(image_bytes())).size)
    assert by_stranger.status_code == 404
    assert (by_staff.status_code, by_staff["X-Content-Type-Options"]) == (200, "nosniff")
    stored = InspectionPhoto.objects.filter(item_id=item)
    assert all(".." not in p.image.name and p.image.name.startswith("inspections/") for p in stored)


def test_a_file_that_is_not_an_image_is_refused_whatever_it_claims_and_nothing_is_stored(api, media_root):
    order, received = received_return(api, skus=((TEE, 1),))
    item = received["items"][0]["id"]

    refused = upload_photos(api, order, received["id"], item,
                            [("ok.jpg", image_bytes(), "image/jpeg"), ("evil.jpg", b"<script>x</script>", "image/jpeg")],
                            now=paris(7, 11))
    gif = upload_photos(api, order, received["id"], item, [("anim.gif", image_bytes("GIF"), "image/gif")],
                        now=paris(7, 11))

    assert (refused.status, refused["code"], gif.status) == (422, "photo_not_an_image", 422)
    assert "JPEG" in refused["message"]
    assert not InspectionPhoto.objects.exists()


def test_too_large_and_too_many_photos_are_refused(api, media_root, monkeypatch):
    from comptoir.core import images
    from comptoir.returns import photos

    order, received = received_return(api, skus=((TEE, 1),))
    item = received["items"][0]["id"]
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 100)
    too_large = upload_photos(api, order, received["id"], item, [("big.jpg", image_bytes(), "image/jpeg")],
                              now=paris(7, 11))
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 8 * 1024 * 1024)
    monkeypatch.setattr(photos, "MAX_PHOTOS_PER_ITEM", 1)
    too_many = upload_photos(api, order, received["id"], item, [("a.jpg", image_bytes(), "image/jpeg")] * 2,
                             now=paris(7, 11))

    assert (too_large.status, too_large["code"], too_many.status, too_many["code"]) == (
        422, "photo_too_large", 422, "too_many_photos")
    assert not InspectionPhoto.objects.exists()


def test_no_photo_once_the_return_is_refunded(api, media_root):
    order, received = received_return(api, skus=((TEE, 1),))
    inspect_all(api, order, received.body, now=paris(7, 11))

    late = upload_photos(api, order, received["id"], received["items"][0]["id"],
                         [("late.jpg", image_bytes(), "image/jpeg")], now=paris(8))

    assert (late.status, late["code"]) == (409, "illegal_transition")


def test_the_back_office_inspects_item_by_item_with_the_brand_s_reasons_a_note_and_photos(api, media_root):
    order, received = received_return(api)
    tee, jean = (next(i for i in received["items"] if i["sku"] == sku) for sku in (TEE, JEAN))
    salon, other_brand = staff_client(AL, "salon-inspector"), staff_client("opalook", "op-inspector")
    url = f"/admin/returns/returnrequest/{received['id']}/inspect/"
    before = stock_of(TEE)

    page = salon.get(url, HTTP_X_COMPTOIR_NOW=paris(7, 11).isoformat())
    posted = salon.post(url, {
        f"item-{tee['id']}-outcome": "accept",
        f"item-{jean['id']}-outcome": "refuse", f"item-{jean['id']}-refusal_reason": "stains_or_washout",
        f"item-{jean['id']}-note": "Washing marks on the left leg",
        f"item-{jean['id']}-photos": [SimpleUploadedFile("leg.jpg", image_bytes(), "image/jpeg"),
                                      SimpleUploadedFile("tag.png", image_bytes("PNG"), "image/png")],
    }, HTTP_X_COMPTOIR_NOW=paris(7, 11).isoformat())
    shopper = shopper_view(api, order, received["id"], now=paris(7, 12))
    refused = next(i for i in shopper["items"] if i["sku"] == JEAN)

    assert page.status_code == 200 and b"stains_or_washout" in page.content
    assert posted.status_code == 302, posted.content[:2000]
    assert shopper["status"] == "refunded"
    assert (refused["inspection_status"], refused["refusal_reason"], refused["inspection_note"]) == (
        "refused", "stains_or_washout", "Washing marks on the left leg")
    assert [p["content_type"] for p in refused["photos"]] == ["image/jpeg", "image/png"]
    assert stock_of(TEE) == before + 2
    photo = InspectionPhoto.objects.filter(item_id=jean["id"]).first()
    assert salon.get(f"/admin/returns/returnrequest/{received['id']}/photos/{photo.pk}/").status_code == 200
    assert other_brand.get(url).status_code == 404
    assert other_brand.get(f"/admin/returns/returnrequest/{received['id']}/photos/{photo.pk}/").status_code == 404


def test_every_field_of_the_inspection_form_has_a_label_naming_its_item(api):
    order, received = received_return(api, skus=((TEE, 1),))
    item = received["items"][0]["id"]

    page = staff_client(AL, "label-reader").get(f"/admin/returns/returnrequest/{received['id']}/inspect/")

    html = page.content.decode()
    for field, label in (("outcome", "Outcome of"), ("refusal_reason", "Refusal reason of"), ("note", "Note on"),
                         ("photos", "Photos of")):
        assert f'<label class="visually-hidden" for="id_item-{item}-{field}">{label} {TEE}</label>' in html

def test_the_shopper_s_return_page_shows_the_refusal_its_reason_and_photos(api, media_root, client):
    order, received = received_return(api, skus=((TEE, 1),))
    item = received["items"][0]["id"]
    upload_photos(api, order, received["id"], item, [("stain.jpg", image_bytes(), "image/jpeg")], now=paris(7, 11))
    inspect_all(api, order, received.body, now=paris(7, 11), refuse={item: "stains_or_washout"}, note="Red stain")
    client.post(f"/{AL}/returns/new/", {"step": "lookup", "order_number": order.number, "email": order.email})

    page = client.get(f"/{AL}/returns/{received['id']}/?order={order.number}")
    [photo] = InspectionPhoto.objects.filter(item_id=item)
    image = client.get(f"/{AL}/returns/{received['id']}/photos/{photo.pk}?order={order.number}")
    stranger = Client().get(f"/{AL}/returns/{received['id']}/photos/{photo.pk}?order={order.number}")

    assert page.status_code == 200
    assert "traces de lavage".encode() in page.content and b"Red stain" in page.content  # the brand speaks French first
    assert f"/photos/{photo.pk}".encode() in page.content
    assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")
    assert stranger.status_code == 404


def test_a_photo_is_stored_without_its_metadata_and_upright(api, media_root):
    """A phone photo carries where it was taken: the stored copy keeps the pixels only."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90°, as phones write it
    exif[0x013B] = "Staff member's name"  # Artist
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS
    taken = BytesIO()
    Image.new("RGB", (64, 48), "white").save(taken, format="JPEG", exif=exif)
    order, received = received_return(api, skus=((TEE, 1),))

    added = upload_photos(api, order, received["id"], received["items"][0]["id"],
                          [("phone.jpg", taken.getvalue(), "image/jpeg")], now=paris(7, 11))

    assert added.status == 201, added
    [photo] = InspectionPhoto.objects.filter(item_id=received["items"][0]["id"])
    with Image.open(photo.image.open("rb")) as stored:
        assert not stored.getexif() and "exif" not in stored.info
        assert stored.size == (48, 64)  # turned upright
