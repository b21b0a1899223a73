"""Staff endpoints for discount codes (AL-PAY-07): create one, list a brand's codes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field, model_validator

from comptoir.accounts.auth import require_staff
from comptoir.brands.services import get_brand
from comptoir.discounts import services
from comptoir.discounts.models import DiscountCode

router = Router(tags=["staff"])

# Exact codes (AL-PAY-07): letters, digits, "-" and "_", no spaces; case is kept as typed.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
CategoryCode = Annotated[str, Field(min_length=1, max_length=80)]
Sku = Annotated[str, Field(min_length=1, max_length=64)]


class DiscountIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=CODE_PATTERN)
    kind: Literal["percentage", "fixed_amount"]
    percentage_basis_points: int | None = Field(default=None, ge=1, le=10000, description="1000 = 10 %")
    amount_minor: int | None = Field(default=None, ge=1, le=100_000_000, description="In cents")
    starts_at: datetime
    ends_at: datetime | None = None
    eligible_categories: list[CategoryCode] = Field(default=[], max_length=100,
                                                    description="Category codes; empty: all")
    eligible_skus: list[Sku] = Field(default=[], max_length=500, description="SKUs; empty: all")
    minimum_purchase_minor: int = Field(default=0, ge=0, le=100_000_000)
    usage_limit: int | None = Field(default=None, ge=1, le=100_000_000)
    usage_limit_per_customer: int | None = Field(default=None, ge=1, le=100_000)
    is_active: bool = True

    @model_validator(mode="after")
    def _value_matches_kind(self):
        if self.kind == "percentage" and (self.percentage_basis_points is None or self.amount_minor is not None):
            raise ValueError("a percentage code takes percentage_basis_points and no amount_minor")
        if self.kind == "fixed_amount" and (self.amount_minor is None or self.percentage_basis_points is not None):
            raise ValueError("a fixed_amount code takes amount_minor and no percentage_basis_points")
        if self.starts_at.tzinfo is None or (self.ends_at is not None and self.ends_at.tzinfo is None):
            raise ValueError("starts_at and ends_at need a time zone offset")
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must come after starts_at")
        return self


class DiscountOut(Schema):
    code: str
    kind: str
    percentage_basis_points: int | None
    amount_minor: int | None
    starts_at: datetime
    ends_at: datetime | None
    eligible_categories: list[str]
    eligible_skus: list[str]
    minimum_purchase_minor: int
    usage_limit: int | None
    usage_limit_per_customer: int | None
    times_used: int
    is_active: bool
    created_at: datetime


class DiscountPage(Schema):
    count: int
    offset: int
    limit: int
    results: list[DiscountOut]


class PageQuery(Schema):
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=50, ge=1, le=200)


def _out(discount: DiscountCode) -> dict:
    return {field: getattr(discount, field) for field in DiscountOut.model_fields}


@router.post("/staff/brands/{slug}/discount-codes", response={201: DiscountOut},
             summary="Create a discount code (AL-PAY-07)")
def create_discount_code(request, slug: str, payload: DiscountIn):
    brand = get_brand(slug)
    require_staff(request, brand)
    new = services.NewDiscount(**{**payload.dict(), "eligible_categories": tuple(payload.eligible_categories),
                                  "eligible_skus": tuple(payload.eligible_skus)})
    return Status(201, _out(services.create_discount(brand, new, now=request.now)))


@router.get("/staff/brands/{slug}/discount-codes", response=DiscountPage, summary="A brand's discount codes")
def list_discount_codes(request, slug: str, query: Query[PageQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    total, rows = services.brand_discounts(brand, offset=query.offset, limit=query.limit)
    return {"count": total, "offset": query.offset, "limit": query.limit, "results": [_out(row) for row in rows]}
