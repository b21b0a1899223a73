"""Brand presets: a folder of TOML files (policy, FAQ, demo catalog, demo logins) loaded as data.

`load_preset(folder, now)` validates every file against the schema in `policy.py`, then creates or
updates the brand, its FAQ and its catalog in one transaction. Adding a brand never touches Python.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from pydantic import BaseModel, ValidationError

from comptoir.brands.models import Brand
from comptoir.brands.policy import BrandPolicy, CatalogFile, DemoFile, FaqFile
from comptoir.care.help_center import record_help_content_change
from comptoir.care.models import FaqEntry
from comptoir.care.notices import NoticesFile, load_notices
from comptoir.catalog.models import Category, Product, Variant

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
PRESET_FILES = {"policy.toml": BrandPolicy, "faq.toml": FaqFile, "catalog.toml": CatalogFile}


class PresetError(Exception):
    """A preset file is missing or invalid; the message names the file and the field."""


@dataclass(frozen=True)
class Preset:
    folder: Path
    policy: BrandPolicy
    faq: FaqFile
    catalog: CatalogFile
    demo: DemoFile | None


def read_model(path: Path, model: type[BaseModel]):
    """Parse and validate one TOML file, or raise PresetError naming the file and each bad field."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise PresetError(f"{path}: file is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{path}: not valid TOML: {error}") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or '(top level)'}: {issue['msg']}"
            for issue in error.errors()
        )
        raise PresetError(f"{path}: {problems}") from None


def read_preset(folder: Path) -> Preset:
    folder = Path(folder)
    if not folder.is_dir():
        raise PresetError(f"{folder}: not a folder")
    parsed = {name: read_model(folder / name, model) for name, model in PRESET_FILES.items()}
    demo_path = folder / "demo.toml"
    demo = read_model(demo_path, DemoFile) if demo_path.exists() else None
    return Preset(folder, parsed["policy.toml"], parsed["faq.toml"], parsed["catalog.toml"], demo)


def bundled_preset_folders() -> list[Path]:
    return sorted(path for path in PRESETS_DIR.iterdir() if (path / "policy.toml").exists())


@transaction.atomic
def load_preset(folder: Path, *, now: datetime) -> Brand:
    """Create or update a brand from its preset folder. Existing stock is kept; new variants get theirs."""
    preset = read_preset(folder)
    policy = preset.policy
    brand, _ = Brand.objects.update_or_create(
        slug=policy.slug,
        defaults={"name": policy.name, "policy": policy.model_dump(mode="json"), "updated_at": now},
        create_defaults={
            "name": policy.name, "policy": policy.model_dump(mode="json"), "created_at": now, "updated_at": now,
        },
    )
    _load_faq(brand, preset.faq)
    notices_path = preset.folder / "notices.toml"  # optional: service notices (AL-CARE-03)
    if notices_path.exists():
        load_notices(brand, read_model(notices_path, NoticesFile).notices, now=now)
    _load_catalog(brand, preset.catalog)
    return brand


def _load_faq(brand: Brand, faq: FaqFile) -> None:
    record_help_content_change(brand)  # the assistant's cached index must not outlive this content
    FaqEntry.objects.filter(brand=brand).exclude(key__in=[entry.id for entry in faq.entries]).delete()
    for position, entry in enumerate(faq.entries):
        FaqEntry.objects.update_or_create(
            brand=brand,
            key=entry.id,
            defaults={
                "category": entry.category,
                "category_title": faq.categories[entry.category].model_dump() if entry.category in faq.categories
                else {"en": entry.category, "fr": entry.category},
                "question": entry.question.model_dump(),
                "answer": entry.answer.model_dump(),
                "phrasings": entry.phrasings,
                "position": position,
            },
        )


def _load_catalog(brand: Brand, catalog: CatalogFile) -> None:
    categories = {}
    for position, (code, title) in enumerate(catalog.categories.items()):
        categories[code], _ = Category.objects.update_or_create(
            brand=brand, code=code, defaults={"name": title.model_dump(), "position": position}
        )
    for position, item in enumerate(catalog.products):
        product, _ = Product.objects.update_or_create(
            brand=brand,
            slug=item.slug,
            defaults={
                "category": categories[item.category],
                "name": item.name.model_dump(),
                "description": item.description.model_dump(),
                "composition": item.composition.model_dump(),
                "care": item.care.model_dump(),
                "origin": item.origin.model_dump(),
                "price_minor": item.price_minor,
                "size_guide": item.size_guide,
                "preorder_ships_on": item.preorder_ships_on,
                "is_gift_card": item.is_gift_card,
                "position": position,
                "is_active": True,
            },
        )
        for variant_position, variant in enumerate(item.variants):
            Variant.objects.update_or_create(
                brand=brand,
                sku=variant.sku,
                defaults={
                    "product": product,
                    "size": variant.size,
                    "colour": variant.colour,
                    "when_out_of_stock": variant.when_out_of_stock,
                    "position": variant_position,
                },
                create_defaults={
                    "product": product,
                    "size": variant.size,
                    "colour": variant.colour,
                    "when_out_of_stock": variant.when_out_of_stock,
                    "position": variant_position,
                    "stock": variant.stock,
                },
            )
