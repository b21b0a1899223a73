"""Staff finding a shopper's account, e.g. in store by first and last name (OG-ACC-05)."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from comptoir.accounts.auth import require_staff
from comptoir.accounts.services import find_customers
from comptoir.brands.services import get_brand

router = Router(tags=["staff"])


class CustomerQuery(Schema):
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(min_length=1, max_length=100)


class CustomerCard(Schema):
    email: str
    first_name: str
    last_name: str
    phone: str
    orders: int


@router.get("/staff/brands/{slug}/customers", response=list[CustomerCard],
            summary="Find an online account by name (OG-ACC-05)")
def search_customers(request, slug: str, query: Query[CustomerQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    return [
        {"email": c.email, "first_name": c.first_name, "last_name": c.last_name, "phone": c.phone,
         "orders": c.order_count}
        for c in find_customers(brand, first_name=query.first_name, last_name=query.last_name)
    ]
