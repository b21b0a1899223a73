"""Images people send us (inspection photos, photos of a damaged item): checked from their own bytes (JPEG, PNG
or WebP, size and pixel caps), re-encoded from their pixels without metadata, stored through Django's default
storage (MEDIA_ROOT) under random names, and served only by views that have checked who asks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse
from ninja import Schema
from PIL import Image, ImageOps, UnidentifiedImageError

from comptoir.core.errors import InvalidInput

MAX_IMAGE_BYTES = 8 * 1024 * 1024  # a phone photo is 2–5 MB
MAX_PIXELS = 50_000_000  # refuse decompression bombs before decoding
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
ACCEPT = ",".join(sorted(CONTENT_TYPES.values()))  # for a file input's `accept` attribute


class StoredImage(models.Model):
    """The columns of a stored image; each kind of photo adds what it belongs to and its `upload_to`."""

    content_type = models.CharField(max_length=20)  # checked from the file's own bytes, not the upload's header
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(max_length=120, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.CharField(max_length=80)

    class Meta:
        abstract = True


class PhotoOut(Schema):
    """A stored image as the API lists it; `url` is a view that checks who asks."""

    id: int
    url: str
    content_type: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int
    name: str


def check_image(data: bytes, name: str = "", *, rule: str) -> CheckedImage:
    """The image's real type and size, read from its bytes (never from the upload's header or file name);
    `rule` is the rule ID the refusal cites."""
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput("photo_too_large", rule=rule, size=_megabytes(len(data)), limit=_megabytes(MAX_IMAGE_BYTES))
    try:
        with Image.open(BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in CONTENT_TYPES or width * height > MAX_PIXELS:
                raise InvalidInput("photo_not_an_image", rule=rule)
            image.verify()
        clean, (width, height) = _without_metadata(data, kind)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput("photo_not_an_image", rule=rule) from None
    return CheckedImage(clean, CONTENT_TYPES[kind], width, height, name[:120])


def check_upload(upload, *, rule: str) -> CheckedImage:
    """An uploaded file (Django's UploadedFile) checked as an image; its size is refused before it is read."""
    if upload.size > MAX_IMAGE_BYTES:
        raise InvalidInput("photo_too_large", rule=rule, size=_megabytes(upload.size),
                           limit=_megabytes(MAX_IMAGE_BYTES))
    return check_image(b"".join(upload.chunks()), upload.name or "", rule=rule)


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


def random_image_name(folder: str, content_type: str) -> str:
    """Where a checked image is stored: a random name, so a sender's file name never reaches the file system."""
    return f"{folder}/{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


def store_image(row, image: CheckedImage) -> None:
    """Fill a photo row's image fields (image, content_type, size_bytes, width, height, original_name) and write
    the file through its FileField's `upload_to`; the caller saves the row in its transaction. A file written
    for a transaction that then rolls back stays unreferenced on disk (harmless, never served)."""
    row.content_type, row.size_bytes = image.content_type, len(image.data)
    row.width, row.height, row.original_name = image.width, image.height, image.name
    row.image.save("photo", ContentFile(image.data), save=False)


def save_images(images: list[CheckedImage], new_row) -> list:
    """One saved row per checked image, each from `new_row()` (a photo model with its owner and uploader set),
    inside the caller's transaction."""
    rows = []
    for image in images:
        row = new_row()
        store_image(row, image)
        row.save()
        rows.append(row)
    return rows


def image_response(row) -> FileResponse:
    """A stored photo row's file with the type checked at upload: never sniffed, never kept by shared caches.
    Only for a caller that has checked who may see it."""
    response = FileResponse(row.image.open("rb"), content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="photo-{row.pk}.{EXTENSIONS.get(row.content_type, "bin")}"'
    return response


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
