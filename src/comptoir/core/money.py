"""Money as integer minor units plus an ISO 4217 currency; all rounding happens here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision


@lru_cache(maxsize=32)
def minor_unit_exponent(currency: str) -> int:
    """Number of decimals of a currency (2 for EUR, 0 for JPY)."""
    return get_currency_precision(currency)


def round_half_up(value: Decimal) -> int:
    """The one rounding rule of Comptoir: half away from zero, to a whole minor unit."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True, order=False)
class Money:
    amount: int  # minor units (cents for EUR)
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError(f"Money amount must be an int of minor units, got {self.amount!r}")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"Not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal | str | int, currency: str) -> Money:
        """Money from a major-unit amount such as Decimal("12.50")."""
        scale = Decimal(10) ** minor_unit_exponent(currency)
        return cls(round_half_up(Decimal(value) * scale), currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-minor_unit_exponent(self.currency))

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an integer; use a rate function")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def __bool__(self) -> bool:
        return self.amount != 0

    def format(self, language: str) -> str:
        """The amount as a shopper reads it: "€12.50" in English, "12,50 €" in French."""
        return _formatted(self.amount, self.currency, _LOCALES.get(language, "en_GB"))

    def __str__(self) -> str:
        return f"{self.to_decimal()} {self.currency}"


_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@lru_cache(maxsize=4096)
def _formatted(amount: int, currency: str, locale: str) -> str:
    # Babel takes ~0.1 ms per call and a page shows the same few prices again and again.
    return format_currency(Money(amount, currency).to_decimal(), currency, locale=locale)


def net_of_vat(amount_including_vat: int, vat_rate_basis_points: int) -> int:
    """The VAT-exclusive part of a VAT-inclusive amount (rate in basis points: 2000 = 20 %)."""
    return round_half_up(Decimal(amount_including_vat) * 10000 / (10000 + vat_rate_basis_points))


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` minor units in proportion to `weights`, the parts summing exactly to `total`.

    Remainders go to the largest fractional parts first (ties to the earliest weight).
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    weight_sum = sum(weights)
    if weight_sum == 0:
        parts = [0] * len(weights)
        parts[0] = total
        return parts
    exact = [Decimal(total) * w / weight_sum for w in weights]
    parts = [int(x) if total >= 0 else -int(-x) for x in exact]
    remainder = total - sum(parts)
    step = 1 if remainder > 0 else -1
    order = sorted(range(len(weights)), key=lambda i: (-(abs(exact[i] - parts[i])), i))
    for i in order[: abs(remainder)]:
        parts[i] += step
    return parts
