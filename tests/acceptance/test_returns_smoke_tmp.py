from return_journeys import AL, OG, declare, delivered_order, inspect_all, paris, shopper_view, staff_return


def test_smoke_al(api):
    d = delivered_order(api, AL, [("AL-TEE-WHT-M", 2)], placed_at=paris(2), delivered_at=paris(5), signed_in=False)
    r = declare(api, d, now=paris(6), reason="does_not_suit", as_guest=True, refund_choice="credit_note")
    assert r.status == 201, r
    print(r.body)
    pdf = api.client.get(f"/api/brands/{AL}/returns/{r['id']}/label.pdf", {"token": d.access_token},
                         HTTP_X_COMPTOIR_NOW=paris(7).isoformat())
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF", pdf.content[:300]
    open("/tmp/rt/label.pdf", "wb").write(pdf.content)
    rec = staff_return(api, d, r["id"], "receive", now=paris(9))
    assert rec.status == 200, rec
    assert rec["status_label"] == "Return received"
    ins = inspect_all(api, d, rec.body, now=paris(10))
    assert ins.status == 200, ins
    print(ins.body)


def test_smoke_og(api):
    d = delivered_order(api, OG, [("OG-SHIRT-OXF-BLU-M", 1)], placed_at=paris(2), delivered_at=paris(5))
    r = declare(api, d, now=paris(6), reason="changed_mind")
    assert r.status == 201, r
    assert r["status"] == "requested"
    a = staff_return(api, d, r["id"], "approve", now=paris(7))
    assert a.status == 200, a
    rec = staff_return(api, d, r["id"], "receive", now=paris(9), body={"location": "paris"})
    ins = inspect_all(api, d, rec.body, now=paris(10))
    assert ins.status == 200, ins
    print(ins.body)
    ref = staff_return(api, d, r["id"], "refund", now=paris(11))
    print(ref)
    assert ref.status == 200
