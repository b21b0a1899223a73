"""My loyalty page (AL-LOY-02/04/05) and my referral link (AL-RAF-01), read-only views of the
same summaries the API serves."""

from __future__ import annotations

from django.shortcuts import redirect

from comptoir.core.errors import NotFound
from comptoir.loyalty.services import active_membership
from comptoir.loyalty.summary import loyalty_page, referral_page
from comptoir.web.pages import brand_page, show


@brand_page
def loyalty(request, brand):
    if request.customer is None:
        return redirect(f"/{brand.slug}/account/?next=/{brand.slug}/account/loyalty/")
    try:
        membership = active_membership(brand, request.customer, now=request.now)
    except NotFound:
        return show(request, "web/account/loyalty.html", {"programme": None}, status=404)
    page = loyalty_page(brand, membership, language=request.language, now=request.now, limit=20)
    referral = referral_page(brand, membership, now=request.now) if brand.policy_object.referral else None
    return show(request, "web/account/loyalty.html", {"programme": page, "referral": referral})
