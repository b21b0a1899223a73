"""The page behind a member's referral link (AL-RAF-01..03): what the friend gets, from the brand's policy;
her address to receive her code (the same answer whether or not she may have one); the code kept for her
sign-up. An unknown or stale link says so plainly."""

from __future__ import annotations

from django.shortcuts import redirect

from comptoir.accounts.services import normalise_email
from comptoir.core.errors import Conflict, DomainError, NotFound
from comptoir.core.rate_limit import limit_by_ip
from comptoir.loyalty.referrals import find_referrer, refer_friend, referral_policy
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show


@brand_page
def referral(request, brand, code: str):
    offer = referral_policy(brand)  # a brand without a programme: its "no referral programme" page
    try:
        member = find_referrer(brand, code[:16])
    except NotFound:
        return show(request, "web/referral/referral.html", {"unknown": True}, status=404)
    session.remember_referral(request, brand, member.referral_code)
    context = {"unknown": False, "offer": offer, "member": member.customer.first_name, "email": "", "error": "",
               "sent": request.GET.get("sent") == "1"}
    if request.method != "POST":
        return show(request, "web/referral/referral.html", context)
    limit_by_ip(request, "subscription_ip")  # each claim may e-mail a code
    email = request.POST.get("email", "").strip()[:254]
    try:
        refer_friend(brand, member, email=normalise_email(email), language=request.language, now=request.now)
    except Conflict:
        pass  # the same answer either way: nothing tells a stranger whether this address has ordered
    except DomainError as error:
        return show(request, "web/referral/referral.html", {**context, "email": email,
                                                            "error": message_of(request, error)},
                    status=error.status)
    return redirect(f"{request.path}?sent=1")
