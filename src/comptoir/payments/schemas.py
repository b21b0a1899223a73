"""The card a shopper types, as every API that takes one reads it (checkout, repair quotes, exchanges)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from comptoir.payments.gateway import CardDetails


class CardIn(Schema):
    number: str = Field(min_length=12, max_length=23, pattern=r"^[0-9 ]+$")
    expiry_month: int = Field(ge=1, le=12)
    expiry_year: int = Field(ge=2000, le=2100)
    cvc: str = Field(min_length=3, max_length=4, pattern=r"^[0-9]+$")
    holder: str = Field(default="", max_length=100)

    def details(self) -> CardDetails:
        return CardDetails(self.number.replace(" ", ""), self.expiry_month, self.expiry_year, self.cvc, self.holder)
