"""Ledger writes, hand-computed: adjustments, clawbacks (of paid lines, twice), payouts netting a clawback,
the payout state machine and its CSV."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from incentives.models import LedgerEntry, Payout, PayoutItem, ProgramPeriod
from incentives.selectors import ledger_balances, payout_list, with_entry_status
from incentives.services import (
    ledger_adjust,
    ledger_clawback,
    payout_approve,
    payout_cancel,
    payout_mark_paid,
    payouts_approve,
    payouts_csv,
    payouts_prepare,
    sale_clawback,
)
from prm.accounts.roles import Role
from prm.errors import InvalidInput, StateConflict
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import MembershipFactory, PartnerFactory, SaleRecordFactory, partner_member
from tests.incentives.factories import IncentiveProgramFactory, LedgerEntryFactory


@pytest.fixture
def book(tenant_a):
    """A partner (with an admin and a rep), a rebate and a SPIF program, and a manager."""
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a, name="Initech BV")
        admin = partner_member(partner)
        rep = partner_member(partner, role=Role.PARTNER_REP)
        rebate = IncentiveProgramFactory(tenant=tenant_a, name="Volume rebate")
        spif = IncentiveProgramFactory(tenant=tenant_a, name="Q1 SPIF", kind="spif", award_to="rep")
        manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER).user
        yield {
            "partner": partner,
            "admin": admin.user,
            "rep": rep.user,
            "rebate": rebate,
            "spif": spif,
            "manager": manager,
        }


def _rep_line(book, amount, source, **kwargs):
    return LedgerEntryFactory(
        program=book["spif"],
        partner=book["partner"],
        recipient_partner=None,
        recipient_user=book["rep"],
        amount=Decimal(amount),
        source=source,
        **kwargs,
    )


def _status(entry) -> str:
    return with_entry_status(LedgerEntry.objects.filter(pk=entry.pk)).get().status


@pytest.mark.django_db
def test_payouts_net_a_clawback_of_a_paid_line(book):
    partner, rep, manager = book["partner"], book["rep"], book["manager"]
    sale = SaleRecordFactory(partner=partner, rep=rep, amount=Decimal("5000.00"))
    volume = LedgerEntryFactory(program=book["rebate"], partner=partner, amount=Decimal("1000.00"))
    LedgerEntryFactory(program=book["rebate"], partner=partner, amount=Decimal("200.00"), entry_type="true_up")
    spif = _rep_line(book, "250.00", f"sale:{sale.pk}")

    # given: a first payout round, paid
    first = payouts_prepare(actor=manager, currency="USD")
    assert {(p.recipient_partner_id, p.recipient_user_id, p.amount) for p in first} == {
        (partner.pk, None, Decimal("1200.00")),
        (None, rep.pk, Decimal("250.00")),
    }
    assert PayoutItem.objects.count() == 3
    assert payouts_prepare(actor=manager, currency="USD") == []  # nothing pending any more
    payouts_approve(actor=manager, payouts=first)
    for payout in first:
        payout_mark_paid(actor=manager, payout=payout, external_reference=f"WIRE-{payout.pk}")
    assert _status(spif) == "paid" and _status(volume) == "paid"

    # when: the sale is refunded after its SPIF was paid
    [clawback] = sale_clawback(actor=manager, sale=sale, reason="Refunded in full")

    # then: a pending reversing line, which nets off the rep's next payout
    assert (clawback.amount, clawback.entry_type, clawback.reverses_id) == (Decimal("-250.00"), "clawback", spif.pk)
    assert clawback.source == f"entry:{spif.pk}" and clawback.reason == "Refunded in full"
    assert clawback.occurred_on == date.today() and _status(clawback) == "pending"
    _rep_line(book, "100.00", "sale:999001")
    assert payouts_prepare(actor=manager, currency="USD") == []  # -250 + 100 < 0: nothing to pay
    _rep_line(book, "400.00", "sale:999002")
    [second] = payouts_prepare(actor=manager, currency="USD")
    assert (second.recipient_user_id, second.amount) == (rep.pk, Decimal("250.00"))  # -250 + 100 + 400
    assert PayoutItem.objects.filter(payout=second).count() == 3
    [rep_balance] = [row for row in ledger_balances(LedgerEntry.objects.all()) if row["recipient_user_id"] == rep.pk]
    assert (rep_balance["pending"], rep_balance["paid"]) == (Decimal("250.00"), Decimal("250.00"))


@pytest.mark.django_db
def test_sale_clawback_reverses_the_net_and_the_channel_managers_share(book):
    sale = SaleRecordFactory(partner=book["partner"])
    earning = _rep_line(book, "300.00", f"sale:{sale.pk}")
    _rep_line(book, "-50.00", f"sale:{sale.pk}", entry_type="true_up")  # corrected down by a later run
    cam = LedgerEntryFactory(
        program=book["spif"],
        partner=book["partner"],
        recipient_partner=None,
        recipient_user=book["manager"],
        amount=Decimal("25.00"),
        source=f"cam:sale:{sale.pk}",
    )

    clawbacks = sale_clawback(actor=book["manager"], sale=sale, reason="Refund")

    assert sorted((c.reverses_id, c.amount) for c in clawbacks) == [
        (earning.pk, Decimal("-250.00")),  # the net 300 - 50, not the 300 line
        (cam.pk, Decimal("-25.00")),
    ]
    with pytest.raises(StateConflict):
        sale_clawback(actor=book["manager"], sale=sale, reason="Again")


@pytest.mark.django_db
def test_partial_then_full_clawback_then_a_second_full_one_conflicts(book):
    entry = LedgerEntryFactory(program=book["rebate"], partner=book["partner"], amount=Decimal("1000.00"))

    part = ledger_clawback(actor=book["manager"], entry=entry, reason="Disputed invoice", amount=Decimal("300.00"))
    rest = ledger_clawback(actor=book["manager"], entry=entry, reason="Customer churned")

    assert (part.amount, rest.amount) == (Decimal("-300.00"), Decimal("-700.00"))
    assert rest.explanation["remaining_after"] == "0.00"
    with pytest.raises(StateConflict) as conflict:
        ledger_clawback(actor=book["manager"], entry=entry, reason="Again")
    assert conflict.value.status == 409
    with pytest.raises(StateConflict):
        ledger_clawback(actor=book["manager"], entry=part, reason="A clawback is not credited")
    other = LedgerEntryFactory(program=book["rebate"], partner=book["partner"], amount=Decimal("10.00"))
    with pytest.raises(InvalidInput):
        ledger_clawback(actor=book["manager"], entry=other, reason="Too much", amount="10.01")
    with pytest.raises(InvalidInput):
        ledger_clawback(actor=book["manager"], entry=other, reason="  ")
    assert LedgerEntry.objects.filter(entry_type="clawback").count() == 2


@pytest.mark.django_db
def test_adjustments_need_a_reason_are_idempotent_and_refused_in_a_closed_period(book):
    partner, manager, program = book["partner"], book["manager"], book["rebate"]
    ProgramPeriod.objects.create(
        program=program, key="2026-Q1", starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31), status="closed"
    )
    outsider = partner_member(PartnerFactory(program=partner.program))
    common = {"actor": manager, "recipient": partner, "partner": partner, "unit": "money", "currency": "USD"}

    with pytest.raises(StateConflict):
        ledger_adjust(**common, program=program, period="2026-Q1", amount="50.00", reason="Goodwill")
    with pytest.raises(InvalidInput) as missing:
        ledger_adjust(**common, amount="50.00", reason="")
    assert "reason" in missing.value.fields
    with pytest.raises(InvalidInput):
        ledger_adjust(**common, amount="0", reason="Nothing")
    with pytest.raises(InvalidInput):
        ledger_adjust(**{**common, "recipient": outsider.user}, amount="5", reason="Not a partner user")

    first = ledger_adjust(
        **common, program=program, period="2026-Q2", amount="50.00", reason="Goodwill", idempotency_key="k1"
    )
    again = ledger_adjust(
        **common, program=program, period="2026-Q2", amount="50.00", reason="Goodwill", idempotency_key="k1"
    )
    rep_line = ledger_adjust(**{**common, "recipient": book["rep"]}, amount="-20.00", reason="Double-booked demo")

    assert first.pk == again.pk and LedgerEntry.objects.filter(entry_type="adjustment").count() == 2
    assert (first.entry_type, first.amount, first.period, first.reason) == (
        "adjustment",
        Decimal("50.00"),
        "2026-Q2",
        "Goodwill",
    )
    assert rep_line.recipient_user_id == book["rep"].pk and rep_line.period  # filed under today's quarter
    manager_share = ledger_adjust(**{**common, "recipient": manager}, amount="12.00", reason="Missed share")
    assert manager_share.recipient_user_id == manager.pk and manager_share.partner_id == partner.pk


@pytest.mark.django_db
def test_payout_state_machine(book):
    manager = book["manager"]
    LedgerEntryFactory(program=book["rebate"], partner=book["partner"], amount=Decimal("80.00"))
    [payout] = payouts_prepare(actor=manager, currency="usd")
    assert payout.status == "proposed"

    with pytest.raises(StateConflict):
        payout_mark_paid(actor=manager, payout=payout, external_reference="X")
    payout_cancel(actor=manager, payout=payout)
    assert PayoutItem.objects.count() == 0
    with pytest.raises(StateConflict):
        payout_approve(actor=manager, payout=payout)

    [payout] = payouts_prepare(actor=manager, currency="USD")  # the line is pending again
    payout_approve(actor=manager, payout=payout)
    with pytest.raises(StateConflict) as twice:
        payout_approve(actor=manager, payout=payout)
    assert twice.value.current_state == "approved"
    with pytest.raises(StateConflict):
        payout_cancel(actor=manager, payout=payout)
    with pytest.raises(InvalidInput):
        payout_mark_paid(actor=manager, payout=payout, external_reference="  ")
    payout_mark_paid(actor=manager, payout=payout, external_reference="SEPA-2026-0042", paid_on=date(2026, 4, 15))

    payout.refresh_from_db()
    assert (payout.status, payout.external_reference, payout.paid_by_id) == ("paid", "SEPA-2026-0042", manager.pk)
    assert payout.paid_at.date() == date(2026, 4, 15)
    [notice] = Notification.objects.filter(user=book["admin"], title__contains="80.00 USD")
    assert notice.url == "/incentives/" and "SEPA-2026-0042" in notice.body
    assert not Notification.objects.filter(user=book["rep"]).exists()
    with pytest.raises(StateConflict):
        payout_mark_paid(actor=manager, payout=payout, external_reference="again")


@pytest.mark.django_db
def test_prepare_filters_by_recipient_and_date_and_leaves_points_alone(book):
    manager = book["manager"]
    LedgerEntryFactory(
        program=book["rebate"], partner=book["partner"], amount=Decimal("10.00"), occurred_on=date(2026, 1, 10)
    )
    LedgerEntryFactory(
        program=book["rebate"], partner=book["partner"], amount=Decimal("20.00"), occurred_on=date(2026, 2, 10)
    )
    _rep_line(book, "5.00", "sale:1")
    LedgerEntryFactory(
        program=book["rebate"], partner=book["partner"], unit="points", currency="", amount=Decimal("900")
    )

    [payout] = payouts_prepare(actor=manager, currency="USD", recipients=[book["partner"]], up_to=date(2026, 1, 31))

    assert (payout.recipient_partner_id, payout.amount) == (book["partner"].pk, Decimal("10.00"))
    with pytest.raises(InvalidInput):
        payouts_prepare(actor=manager, currency="")


@pytest.mark.django_db
def test_payouts_csv(book):
    manager = book["manager"]
    book["partner"].name = "=HYPERLINK(evil)"
    book["partner"].save(update_fields=["name"])
    LedgerEntryFactory(program=book["rebate"], partner=book["partner"], amount=Decimal("1234.50"))
    _rep_line(book, "99.90", "sale:7")
    prepared = payouts_prepare(actor=manager, currency="USD")
    for payout in prepared:
        payout_approve(actor=manager, payout=payout)
        payout_mark_paid(actor=manager, payout=payout, external_reference="REF-1")

    rows = list(csv.DictReader(io.StringIO(payouts_csv(payout_list().order_by("amount")))))

    assert [
        (r["recipient"], r["recipient_type"], r["partner"], r["amount"], r["status"], r["reference"]) for r in rows
    ] == [
        (book["rep"].email, "person", "'=HYPERLINK(evil)", "99.90", "paid", "REF-1"),
        ("'=HYPERLINK(evil)", "partner", "'=HYPERLINK(evil)", "1234.50", "paid", "REF-1"),
    ]
    assert all(r["paid_at"] and r["prepared_at"] and r["approved_at"] for r in rows)
    paid = payout_list().get(pk=prepared[0].pk)
    assert paid.time_to_payment is not None and paid.time_to_payment.total_seconds() >= 0
    assert paid.line_count == 1


@pytest.mark.django_db
def test_payout_list_query_count_is_fixed(book, django_assert_num_queries):
    manager = book["manager"]
    for i in range(3):
        other = PartnerFactory(program=book["partner"].program)
        LedgerEntryFactory(program=book["rebate"], partner=other, amount=Decimal(10 + i))
    payouts_prepare(actor=manager, currency="USD")
    with django_assert_num_queries(1):
        rows = list(payout_list())
        payouts_csv(rows)
    assert len(rows) == 3 and Payout.objects.count() == 3


@pytest.mark.django_db
def test_a_channel_managers_payout_notice_points_at_the_payouts_page(book):
    manager = book["manager"]
    LedgerEntryFactory(
        program=book["rebate"],
        partner=book["partner"],
        recipient_partner=None,
        recipient_user=manager,
        amount=Decimal("9.00"),
    )
    [payout] = payouts_prepare(actor=manager, currency="USD")
    payout_approve(actor=manager, payout=payout)
    payout_mark_paid(actor=manager, payout=payout, external_reference="PAYROLL-3")
    assert Notification.objects.get(user=manager).url == "/incentives/payouts/"
