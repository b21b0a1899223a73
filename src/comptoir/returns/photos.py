"""Inspection photos (OG-RET-04, AA-RET-02, AL-RET-05): staff attach real images to a returned item; checking,
re-encoding, storing and serving are the shared `core.images`; this module keeps what is the return's (when
photos may be added, how many per item, which return a photo belongs to)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from comptoir.core import images
from comptoir.core.decisions import Decision
from comptoir.core.errors import InvalidInput, NotFound
from comptoir.returns import states
from comptoir.returns.models import InspectionPhoto, ReturnRequest
from comptoir.returns.transitions import lock_return, record_event

MAX_PHOTOS_PER_ITEM = 10
# Photos are taken while the parcel is inspected, and may still be added to a decided item before the refund.
OPEN_FOR_PHOTOS = frozenset({states.RECEIVED, states.INSPECTED})


def check_upload(upload) -> images.CheckedImage:
    """An uploaded file checked as an inspection photo (OG-RET-04)."""
    return images.check_upload(upload, rule="OG-RET-04")


def check_photo_count(existing: int, added: int) -> Decision:
    if existing + added > MAX_PHOTOS_PER_ITEM:
        return Decision.refuse("too_many_photos", "OG-RET-04", limit=MAX_PHOTOS_PER_ITEM)
    return Decision.allow()


def add_inspection_photos(ret: ReturnRequest, *, item_id: int, photos: list[images.CheckedImage], actor: str,
                          now: datetime) -> list[InspectionPhoto]:
    """Attach checked photos to one item of a return being inspected; an event lists them."""
    with transaction.atomic():
        ret = lock_return(ret.pk)
        if ret.status not in OPEN_FOR_PHOTOS:
            raise states.IllegalTransition("return", ret.status, "add_photos")
        item = ret.items.filter(pk=item_id).first()
        if item is None:
            raise InvalidInput("item_not_in_return", item=item_id)
        check_photo_count(item.inspection_photos.count(), len(photos)).enforce(InvalidInput)
        stored = images.save_images(photos, lambda: InspectionPhoto(item=item, uploaded_at=now, uploaded_by=actor))
        record_event(ret, "photos_added", actor=actor, now=now,
                     data={"item": item.pk, "photos": [row.pk for row in stored]})
    return stored


def photo_of(ret: ReturnRequest, photo_id: int) -> InspectionPhoto:
    """One photo of this return (the caller has checked who may see the return)."""
    photo = InspectionPhoto.objects.filter(pk=photo_id, item__return_request=ret).first()
    if photo is None:
        raise NotFound("not_found", thing="photo")
    return photo
