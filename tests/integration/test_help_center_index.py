"""The assistant's per-process index is keyed on the brand's help-content version (ALL-CARE-04): a write
rebuilds it, and a rollback that brings back an earlier primary key or timestamp with other content never
serves a stale index."""

from __future__ import annotations

from datetime import datetime, timezone

from django.db import transaction

from comptoir.brands.models import Brand
from comptoir.care.help_center import brand_index, notice_state, record_help_content_change
from comptoir.care.hybrid import HybridIndex
from comptoir.care.models import FaqEntry, ServiceNotice

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)


class Rollback(Exception):
    pass


def _index(brand):
    return brand_index(brand, notice_state(brand, NOW))


def _answers(brand, question):
    return [hit.passage.id for hit in _index(brand).search(question).shown()]


def _notice(brand, pk, word):
    return ServiceNotice.objects.create(
        pk=pk, brand=brand, key="strike", title={"en": f"{word} strike", "fr": f"grève {word}"},
        body={"en": f"The {word} strike delays parcels.", "fr": f"La grève {word} retarde les colis."},
        starts_at=NOW, updated_at=NOW,
    )


def test_ALL_CARE_04_a_notice_reusing_a_rolled_back_primary_key_and_timestamp_rebuilds_the_index(db):
    brand = Brand.objects.get(slug="opalook")
    pk = (ServiceNotice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    try:
        with transaction.atomic():
            _notice(brand, pk, "zorblax")
            assert _answers(brand, "zorblax strike") == ["notice:strike"]
            raise Rollback
    except Rollback:
        pass

    _notice(brand, pk, "quimbly")  # same pk, key and updated_at as the rolled-back notice, other content

    assert _answers(brand, "quimbly strike") == ["notice:strike"]
    assert "zorblax" not in repr(_index(brand).passages[-1].question)


def test_ALL_CARE_04_faq_content_rolled_back_under_the_same_brand_row_is_not_served_from_the_cache(db):
    brand = Brand.objects.get(slug="opalook")
    entry = FaqEntry.objects.get(brand=brand, key="return-address")
    original = _index(brand)
    try:
        with transaction.atomic():
            FaqEntry.objects.filter(pk=entry.pk).update(phrasings=["where do the flumbergasts go"])
            record_help_content_change(brand)
            assert _answers(brand, "flumbergasts") == ["return-address"]
            raise Rollback
    except Rollback:
        pass

    brand.refresh_from_db()  # the brand row, and so its updated_at, never changed
    rebuilt = _index(brand)
    assert _answers(brand, "flumbergasts") == []
    assert rebuilt is not original or "flumbergasts" not in repr(rebuilt.passages)


def test_ALL_CARE_04_an_unchanged_brand_reuses_its_index(db):
    brand = Brand.objects.get(slug="opalook")
    assert _index(brand) is _index(brand)


def test_ALL_CARE_04_dense_off_keeps_the_lexical_index(db, settings):
    settings.ASSISTANT_DENSE = "off"
    brand = Brand.objects.get(slug="opalook")

    assert not isinstance(_index(brand), HybridIndex)


def test_ALL_CARE_04_switching_dense_on_rebuilds_a_hybrid_index_over_the_same_passages(db, settings,
                                                                                      sentence_encoder):
    brand = Brand.objects.get(slug="opalook")
    settings.ASSISTANT_DENSE = "off"
    lexical = _index(brand)
    settings.ASSISTANT_DENSE = "on"

    hybrid = _index(brand)

    assert isinstance(hybrid, HybridIndex) and hybrid is _index(brand)
    assert [passage.id for passage in hybrid.passages] == [passage.id for passage in lexical.passages]
