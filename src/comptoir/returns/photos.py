"""Inspection photos (OG-RET-04, AA-RET-02, AL-RET-05): staff attach real images to a returned item, checked
from their own bytes (JPEG, PNG or WebP, size and count capped), re-encoded without their metadata, stored through Django's default storage
(MEDIA_ROOT) under random names, and read back only through views that check who asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from comptoir.core.decisions import Decision
from comptoir.core.errors import InvalidInput, NotFound
from comptoir.returns import states
from comptoir.returns.models import InspectionPhoto, ReturnRequest
from comptoir.returns.transitions import lock_return, record_event

MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a phone photo is 2–5 MB
MAX_PHOTOS_PER_ITEM = 10
MAX_PIXELS = 50_000_000  # refuse decompression bombs before decoding
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Photos are taken while the parcel is inspected, and may still be added to a decided item before the refund.
OPEN_FOR_PHOTOS = frozenset({states.RECEIVED, states.INSPECTED})


@dataclass(frozen=True, slots=True)
class CheckedPhoto:
    data: bytes
    content_type: str
    width: int
    height: int
    name: str


def check_photo(data: bytes, name: str = "") -> CheckedPhoto:
    """The image's real type and size, read from its bytes (never from the upload's header or file name)."""
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput("photo_too_large", rule="OG-RET-04", size=_megabytes(len(data)),
                           limit=_megabytes(MAX_PHOTO_BYTES))
    try:
        with Image.open(BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in CONTENT_TYPES or width * height > MAX_PIXELS:
                raise InvalidInput("photo_not_an_image", rule="OG-RET-04")
            image.verify()
        clean, (width, height) = _without_metadata(data, kind)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput("photo_not_an_image", rule="OG-RET-04") from None
    return CheckedPhoto(clean, CONTENT_TYPES[kind], width, height, name[:120])


def _without_metadata(data: bytes, kind: str) -> tuple[bytes, tuple[int, int]]:
    """The image re-encoded from its pixels only: EXIF (a phone's GPS position, its owner's name), XMP and
    text chunks are dropped; the EXIF orientation is applied first, so the photo still stands upright."""
    with Image.open(BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        if kind == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = BytesIO()
        options = {"quality": 90} if kind in ("JPEG", "WEBP") else {"optimize": True}
        upright.save(out, format=kind, **options)
        return out.getvalue(), upright.size


def check_upload(upload) -> CheckedPhoto:
    """An uploaded file (Django's UploadedFile) checked as a photo; its size is refused before it is read."""
    if upload.size > MAX_PHOTO_BYTES:
        raise InvalidInput("photo_too_large", rule="OG-RET-04", size=_megabytes(upload.size),
                           limit=_megabytes(MAX_PHOTO_BYTES))
    return check_photo(b"".join(upload.chunks()), upload.name or "")


def check_photo_count(existing: int, added: int) -> Decision:
    if existing + added > MAX_PHOTOS_PER_ITEM:
        return Decision.refuse("too_many_photos", "OG-RET-04", limit=MAX_PHOTOS_PER_ITEM)
    return Decision.allow()


def add_inspection_photos(ret: ReturnRequest, *, item_id: int, photos: list[CheckedPhoto], actor: str,
                          now: datetime) -> list[InspectionPhoto]:
    """Attach checked photos to one item of a return being inspected; an event lists them. A file written for
    a transaction that then rolls back stays unreferenced on disk (harmless, never served)."""
    with transaction.atomic():
        ret = lock_return(ret.pk)
        if ret.status not in OPEN_FOR_PHOTOS:
            raise states.IllegalTransition("return", ret.status, "add_photos")
        item = ret.items.filter(pk=item_id).first()
        if item is None:
            raise InvalidInput("item_not_in_return", item=item_id)
        check_photo_count(item.inspection_photos.count(), len(photos)).enforce(InvalidInput)
        stored = []
        for photo in photos:
            row = InspectionPhoto(item=item, content_type=photo.content_type, size_bytes=len(photo.data),
                                  width=photo.width, height=photo.height, original_name=photo.name,
                                  uploaded_at=now, uploaded_by=actor)
            row.image.save("photo", ContentFile(photo.data), save=False)
            row.save()
            stored.append(row)
        record_event(ret, "photos_added", actor=actor, now=now,
                     data={"item": item.pk, "photos": [row.pk for row in stored]})
    return stored


def photo_of(ret: ReturnRequest, photo_id: int) -> InspectionPhoto:
    """One photo of this return (the caller has checked who may see the return)."""
    photo = InspectionPhoto.objects.filter(pk=photo_id, item__return_request=ret).first()
    if photo is None:
        raise NotFound("not_found", thing="photo")
    return photo


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
