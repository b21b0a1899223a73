"""Photos of the damage on a repair request (AA-REP-01: the customer writes first, then sends the item): checked,
re-encoded and stored by core.images; this module keeps what is the repair's (how many, until when, whose)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from comptoir.core import images
from comptoir.core.errors import InvalidInput, NotFound
from comptoir.repairs import rules, states
from comptoir.repairs.models import RepairEvent, RepairPhoto, RepairRequest


def check_uploads(uploads) -> list[images.CheckedImage]:
    """Uploaded files checked as photos of the damage; too many are refused before any is read."""
    uploads = list(uploads or [])
    rules.check_photo_count(0, len(uploads)).enforce(InvalidInput)
    return [images.check_upload(upload, rule="AA-REP-01") for upload in uploads]


def store_photos(repair: RepairRequest, photos: list[images.CheckedImage], *, actor: str,
                 now: datetime) -> list[RepairPhoto]:
    """Write checked photos for a repair; inside the caller's transaction, the repair row locked or new."""
    return images.save_images(photos, lambda: RepairPhoto(repair=repair, uploaded_at=now, uploaded_by=actor))


def add_photos(repair: RepairRequest, photos: list[images.CheckedImage], *, actor: str,
               now: datetime) -> list[RepairPhoto]:
    """More photos on a request whose item has not reached the workshop yet; at most MAX_PHOTOS_PER_REPAIR in
    all. An event lists them."""
    with transaction.atomic():
        repair = RepairRequest.objects.select_for_update().filter(pk=repair.pk).first()
        if repair is None:
            raise NotFound("not_found", thing="repair")
        if repair.status not in rules.OPEN_FOR_PHOTOS:
            raise states.IllegalTransition("repair", repair.status, "add_photos")
        rules.check_photo_count(repair.photos.count(), len(photos)).enforce(InvalidInput)
        stored = store_photos(repair, photos, actor=actor, now=now)
        RepairEvent.objects.create(repair=repair, kind="photos_added", actor=actor, at=now,
                                   data={"photos": [row.pk for row in stored]})
    return stored


def photo_of(repair: RepairRequest, photo_id: int) -> RepairPhoto:
    """One photo of this repair (the caller has checked who may see the repair)."""
    photo = RepairPhoto.objects.filter(pk=photo_id, repair=repair).first()
    if photo is None:
        raise NotFound("not_found", thing="photo")
    return photo
