"""OG-ACC-05: an online account is usable in store, found by first and last name."""

from datetime import datetime, timezone

from factories import shopper, staff

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_OG_ACC_05_staff_find_an_online_account_by_first_and_last_name(api):
    """"Your account created online is also usable in store. Please use your first and last name.\""""
    camille = shopper(api, "officine-generale", now=NOW, first_name="Camille")
    team = staff(api, "officine-generale", now=NOW)

    found = api.get("/staff/brands/officine-generale/customers", token=team, now=NOW,
                    query={"first_name": "camille", "last_name": "MARTIN"})

    assert found.status == 200
    assert [c["email"] for c in found.body] == [camille["email"]]
    assert found.body[0]["orders"] == 0


def test_OG_ACC_05_the_search_stays_within_the_brand_and_needs_staff(api):
    """Another brand's shoppers are never found; a shopper cannot search."""
    shopper(api, "alme", now=NOW, first_name="Camille")
    team = staff(api, "officine-generale", now=NOW)
    found = api.get("/staff/brands/officine-generale/customers", token=team, now=NOW,
                    query={"last_name": "Martin"})
    assert found.status == 200 and found.body == []
    camille = shopper(api, "officine-generale", now=NOW)
    refused = api.get("/staff/brands/officine-generale/customers", token=camille["token"], now=NOW,
                      query={"last_name": "Martin"})
    assert refused.status == 401
    assert refused["code"] == "not_authenticated"
