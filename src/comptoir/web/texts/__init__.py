"""The words of the shopper pages in English and French, one module per concept (layout, shop, checkout,
account, after-sales, help, e-mail links). A missing key shows itself, never a blank; a key belongs to one
module only (tests/unit/test_page_texts.py)."""

from __future__ import annotations

from functools import lru_cache

from comptoir.web.texts import account, after_sales, checkout, email_links, help_center, layout, shop

PARTS = (layout, shop, checkout, account, after_sales, help_center, email_links)

TEXTS: dict[str, tuple[str, str]] = {key: pair for part in PARTS for key, pair in part.TEXTS.items()}


class Texts(dict):
    """The page's words; `{{ t.key }}` in templates. An unknown key renders as itself."""

    def __missing__(self, key: str) -> str:
        return key


@lru_cache(maxsize=2)
def texts(language: str) -> Texts:
    index = 1 if language == "fr" else 0
    return Texts({key: pair[index] for key, pair in TEXTS.items()})
