"""Brands are data: a preset folder is validated with errors naming file and field, and a fifth
brand is added by writing a folder, not code."""

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from comptoir.brands.presets import PresetError, bundled_preset_folders, load_preset, read_preset
from comptoir.cli import main as comptoir

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)


def test_the_four_bundled_presets_are_valid():
    slugs = sorted(read_preset(folder).policy.slug for folder in bundled_preset_folders())
    assert slugs == ["alme", "audrey-alexandre", "officine-generale", "opalook"]


def test_every_bundled_brand_lists_its_questions_in_both_languages():
    for folder in bundled_preset_folders():
        faq = read_preset(folder).faq
        assert all(entry.question.en and entry.question.fr and entry.answer.fr for entry in faq.entries)


def _copy_preset(tmp_path: Path, slug: str) -> Path:
    source = next(folder for folder in bundled_preset_folders() if folder.name == "alme")
    target = tmp_path / slug
    shutil.copytree(source, target)
    policy = (target / "policy.toml").read_text()
    (target / "policy.toml").write_text(policy.replace('slug = "alme"', f'slug = "{slug}"', 1))
    return target


def test_a_bad_value_is_refused_naming_the_file_and_the_field(tmp_path):
    folder = _copy_preset(tmp_path, "maison-test")
    policy = (folder / "policy.toml").read_text()
    (folder / "policy.toml").write_text(policy.replace('deadline = "until_dispatch"', 'deadline = "whenever"', 1))
    with pytest.raises(PresetError) as refused:
        read_preset(folder)
    assert "policy.toml" in str(refused.value)
    assert "orders.cancellation.deadline" in str(refused.value)


def test_a_missing_file_is_named(tmp_path):
    folder = _copy_preset(tmp_path, "maison-test")
    (folder / "faq.toml").unlink()
    with pytest.raises(PresetError, match="faq.toml: file is missing"):
        read_preset(folder)


@pytest.mark.django_db
def test_a_fifth_brand_is_added_from_a_folder_with_the_cli(tmp_path, api, capsys):
    folder = _copy_preset(tmp_path, "maison-cinq")
    assert comptoir(["brands", "load", str(folder)]) == 0
    assert "loaded maison-cinq" in capsys.readouterr().out
    slugs = [brand["slug"] for brand in api.get("/brands").body]
    assert "maison-cinq" in slugs
    products = api.get("/brands/maison-cinq/products")
    assert products.status == 200 and products["count"] > 0


@pytest.mark.django_db
def test_reloading_a_brand_keeps_the_stock_already_in_the_database(tmp_path):
    from comptoir.catalog.models import Variant

    folder = _copy_preset(tmp_path, "maison-stock")
    brand = load_preset(folder, now=NOW)
    variant = Variant.objects.filter(brand=brand).first()
    Variant.objects.filter(pk=variant.pk).update(stock=3)
    load_preset(folder, now=NOW)
    assert Variant.objects.get(pk=variant.pk).stock == 3
