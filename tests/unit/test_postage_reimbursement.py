"""Where the reimbursement of return postage goes (AL-RET-02) and what a capped credit note credits (OP-GAR-01):
pure functions, no database."""

import pytest

from comptoir.invoices.amounts import capped_amounts
from comptoir.refunds.allocation import RefundPart, Tender, after_parts, allocate_refund, allocate_reimbursement
from comptoir.returns.rules import check_postage_advanced, postage_reimbursement

CARD = Tender("card", "card", paid_minor=10000, refunded_minor=0)


def test_AL_RET_02_reimbursed_up_to_the_cap_and_the_cap_when_the_postage_is_unknown():
    assert [postage_reimbursement(600, advanced) for advanced in (850, 450, 0, None)] == [600, 450, 0, 600]
    assert postage_reimbursement(0, 850) == 0


def test_AL_RET_02_postage_is_noted_only_where_it_is_reimbursed():
    assert check_postage_advanced(600, 850).allowed and check_postage_advanced(0, None).allowed
    assert (check_postage_advanced(0, 850).code, check_postage_advanced(0, 850).rule) == (
        "postage_not_reimbursed", "AL-RET-02")


def test_AL_RET_02_the_card_pays_the_postage_only_beyond_what_later_returns_may_claim():
    """4,000 refunded of 10,000; 5,000 of items are kept (they may still come back): 1,000 of headroom."""
    parts = allocate_refund([CARD], 4000, choice="original")
    after = after_parts([CARD], parts)

    assert allocate_reimbursement(after, 600, choice="original", reserved_minor=5000) == [
        RefundPart("card", "original", 600)]
    assert allocate_reimbursement(after, 600, choice="original", reserved_minor=6000) == [
        RefundPart(None, "payout", 600)]


def test_AL_RET_02_the_postage_joins_the_credit_note_chosen_and_nothing_is_allocated_for_nothing():
    assert allocate_reimbursement([CARD], 600, choice="credit_note", reserved_minor=10000) == [
        RefundPart(None, "new_credit_note", 600)]
    assert allocate_reimbursement([CARD], 0, choice="original", reserved_minor=0) == []
    with pytest.raises(ValueError):
        allocate_reimbursement([CARD], -1, choice="original", reserved_minor=0)


def test_AL_RET_02_a_gift_card_or_a_transfer_never_carries_postage():
    gift = Tender("gift", "gift_card", paid_minor=10000, refunded_minor=0, card_id=1)
    transfer = Tender("transfer", "bank_transfer", paid_minor=10000, refunded_minor=0)
    assert allocate_reimbursement([gift, transfer], 600, choice="original", reserved_minor=0) == [
        RefundPart(None, "payout", 600)]


def test_OP_GAR_01_a_capped_credit_shares_the_amount_by_line_with_the_vat_of_its_rate():
    """12,000 at 20 % and 6,000 at 5.5 % capped to 15,000: 10,000 and 5,000, VAT 1,667 and 261."""
    assert capped_amounts([(12000, 2000), (6000, 550)], 15000) == [(10000, 1667), (5000, 261)]
    assert sum(amount for amount, _ in capped_amounts([(3333, 2000), (3333, 2000), (3334, 2000)], 1000)) == 1000
    with pytest.raises(ValueError):
        capped_amounts([(12000, 2000)], 12001)
