"""Statements whose lines explain themselves and link to their sources; the live accrual view,
hand-computed (next band, the next 1,000's worth, SPIF progress per rep)."""

from datetime import date
from decimal import Decimal

import pytest

from incentives.models import LedgerEntry, Run
from incentives.rules import NextBand
from incentives.selectors import explain_entry, partner_accrual, statement_detail, statement_key
from incentives.selectors.ledger import entry_list
from incentives.services import (
    ledger_adjust,
    ledger_clawback,
    payout_approve,
    payouts_prepare,
    run_execute,
    run_request,
)
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, PartnerFactory, SaleRecordFactory, TierFactory
from tests.incentives.factories import LedgerEntryFactory
from tests.incentives.ledger_world import ledger_world, rebate_program

TODAY = date(2026, 11, 22)  # in 2026-Q4


@pytest.mark.django_db
def test_a_statement_explains_each_line_and_links_its_sources(tenant_a):
    with tenant_context(tenant_a):
        gold = TierFactory(program__tenant=tenant_a, name="Gold", rebate_multiplier=Decimal("1.50"))
        partner = PartnerFactory(program=gold.program, tier=gold)
        SaleRecordFactory(partner=partner, amount=Decimal("200000.00"), booked_on=date(2026, 2, 1))
        SaleRecordFactory(partner=partner, amount=Decimal("60000.00"), booked_on=date(2026, 3, 31))
        program = rebate_program()
        run = run_execute(run_id=run_request(program=program, period_key="2026-Q1", kind=Run.Kind.MANUAL).pk)
        earning = LedgerEntry.objects.get(run=run)
        clawback = ledger_clawback(actor=None, entry=earning, reason="Invoice INV-7 disputed", amount="600.00")
        deal = DealFactory(partner=partner)
        sale = SaleRecordFactory(partner=partner, deal=deal, external_id="INV-DEAL-1", booked_on=date(2026, 3, 2))
        sale_line = LedgerEntryFactory(
            program=program, partner=partner, amount=Decimal("10.00"), source=f"sale:{sale.pk}"
        )
        adjustment = ledger_adjust(
            actor=None,
            recipient=partner,
            partner=partner,
            program=program,
            period="2026-Q1",
            unit="money",
            currency="USD",
            amount="-25.00",
            reason="Marketing fee",
        )

        key = statement_key(partner.pk, None, "2026-Q1")
        statement = statement_detail(entry_list(), key, vendor=False)
        lines = {line.pk: line for line in statement.entries}

        # 260,000 reached the 4% band: 10,400 x 1.5 = 15,600
        assert lines[earning.pk].amount == Decimal("15600.00")
        text = lines[earning.pk].explanation_text
        assert "rules v1" in text and "revenue 260000.00 from 2 sales, 2026-01-01 to 2026-03-31" in text
        assert "band from 250000: 4% (retroactive)" in text and "× 1.50 tier multiplier (Gold)" in text
        assert lines[earning.pk].links == [
            {
                "label": "Sales 2026-01-01 to 2026-03-31",
                "url": "/our-sales/?booked_after=2026-01-01&booked_before=2026-03-31",
            }
        ]
        assert lines[adjustment.pk].explanation_text == "Manual adjustment; reason: Marketing fee"
        assert [link["url"] for link in lines[sale_line.pk].links] == [
            "/our-sales/?external_id=INV-DEAL-1",
            f"/deals/{deal.pk}/",
        ]
        # The clawback is dated today, so it is on this quarter's statement, pointing back at the line.
        later = statement_detail(entry_list(), statement_key(partner.pk, None, clawback.period), vendor=True)
        [reversal] = [line for line in later.entries if line.pk == clawback.pk]
        assert reversal.explanation_text.startswith(f"Reverses line #{earning.pk} (volume, 2026-Q1)")
        assert "reason: Invoice INV-7 disputed" in reversal.explanation_text
        assert reversal.links == [
            {"label": f"Line #{earning.pk}", "url": f"/incentives/statements/{key}/#entry-{earning.pk}"}
        ]
        assert statement.totals == [
            {
                "unit": "money",
                "currency": "USD",
                "total": Decimal("15585.00"),
                "pending": Decimal("15585.00"),
                "approved": Decimal("0"),
                "paid": Decimal("0"),
            }
        ]
        vendor_view = statement_detail(entry_list(), key, vendor=True)
        [volume] = [line for line in vendor_view.entries if line.pk == earning.pk]
        assert (
            volume.links[0]["url"] == f"/sales/?partner={partner.pk}&booked_after=2026-01-01&booked_before=2026-03-31"
        )
        assert statement_detail(entry_list(), "p999999_2026-Q1", vendor=True) is None
        assert statement_detail(entry_list(), "nonsense", vendor=True) is None


@pytest.mark.django_db
def test_live_accrual_next_band_and_the_next_1000_hand_computed(tenant_a):
    with tenant_context(tenant_a):
        gold = TierFactory(program__tenant=tenant_a, rebate_multiplier=Decimal("1.50"))
        partner = PartnerFactory(program=gold.program, tier=gold)
        plain = PartnerFactory(program=gold.program)
        program = rebate_program()
        SaleRecordFactory(partner=partner, amount=Decimal("90000.00"), booked_on=date(2026, 10, 5))
        SaleRecordFactory(partner=partner, amount=Decimal("9500.00"), booked_on=date(2026, 11, 1))
        SaleRecordFactory(partner=partner, amount=Decimal("70000.00"), booked_on=date(2026, 9, 30))  # last quarter
        SaleRecordFactory(partner=partner, amount=Decimal("1000.00"), booked_on=date(2026, 11, 2), currency="EUR")
        SaleRecordFactory(partner=plain, amount=Decimal("120000.00"), booked_on=date(2026, 10, 9))
        approved = LedgerEntryFactory(
            program=program, partner=partner, period="2026-Q4", amount=Decimal("500.00"), occurred_on=date(2026, 10, 31)
        )
        LedgerEntryFactory(
            program=program, partner=partner, period="2026-Q4", amount=Decimal("200.00"), occurred_on=date(2026, 11, 15)
        )
        LedgerEntryFactory(
            program=program, partner=partner, period="2026-Q3", amount=Decimal("7.00")
        )  # not this period
        [payout] = payouts_prepare(actor=None, currency="USD", recipients=[partner], up_to=date(2026, 10, 31))
        payout_approve(actor=None, payout=payout)

        [accrual] = partner_accrual(partner=partner, entries=entry_list(), today=TODAY)
        [plain_accrual] = partner_accrual(partner=plain, entries=entry_list(), today=TODAY)

    assert approved.pk and accrual.period.key == "2026-Q4"
    assert (accrual.pending, accrual.approved, accrual.paid, accrual.earned) == (
        Decimal("200.00"),
        Decimal("500.00"),
        Decimal(0),
        Decimal("700.00"),
    )
    # 99,500 so far (USD, this quarter): below the 100k band, 500 short of 2%.
    assert (accrual.revenue, accrual.multiplier, accrual.rebate_to_date) == (
        Decimal("99500.00"),
        Decimal("1.50"),
        Decimal("0.00"),
    )
    assert accrual.next_band == NextBand(Decimal("100000"), Decimal("2"), Decimal("500.00"))
    # 100,500 x 2% = 2,010 x 1.5 = 3,015: the next 1,000 lifts the whole volume into the band.
    assert accrual.next_step_value == Decimal("3015.00")
    # 120,000 at 2% = 2,400 now; 130,000 short of 4%; the next 1,000 adds 20.
    assert plain_accrual.rebate_to_date == Decimal("2400.00")
    assert plain_accrual.next_band == NextBand(Decimal("250000"), Decimal("4"), Decimal("130000.00"))
    assert plain_accrual.next_step_value == Decimal("20.00")


@pytest.mark.django_db
def test_spif_progress_per_rep_and_a_rep_sees_only_their_own(tenant_a):
    world = ledger_world(tenant_a)
    with tenant_context(tenant_a):
        LedgerEntryFactory(
            program=world.spif,
            partner=world.partner,
            recipient_partner=None,
            recipient_user=world.rep.user,
            period="2026-Q4",
            amount=Decimal("600.00"),
        )
        company = partner_accrual(partner=world.partner, entries=entry_list(), today=TODAY)
        mine = partner_accrual(
            partner=world.partner,
            entries=entry_list().filter(recipient_user=world.rep.user),
            today=TODAY,
            rep_user=world.rep.user,
        )
    [spif] = [a for a in company if a.program == world.spif]
    # program to date against the cap of 1,000: 150 (Q1) + 600 (Q4) = 750 → 75 %
    assert [(r.email, r.earned, r.cap, r.percent) for r in spif.reps] == sorted(
        [
            (world.rep.user.email, Decimal("750.00"), Decimal("1000"), 75),
            (world.rep2.user.email, Decimal("50.00"), Decimal("1000"), 5),
            (world.manager.user.email, Decimal("15.00"), Decimal("1000"), 1),
        ]
    )
    [my_spif] = [a for a in mine if a.program == world.spif]
    assert [(r.email, r.earned) for r in my_spif.reps] == [(world.rep.user.email, Decimal("750.00"))]
    assert my_spif.pending == Decimal("600.00")  # this quarter's own line only
    # The rebate awards the company: not on a rep's page (company figures are not a rep's).
    assert world.rebate not in [a.program for a in mine]


def test_explanations_of_true_ups_and_channel_manager_shares():
    true_up = LedgerEntry(
        entry_type="true_up",
        amount=Decimal("8000.00"),
        explanation={
            "rule_version": 2,
            "revenue": "260000.00",
            "sales": 2,
            "rate": "4",
            "mode": "incremental",
            "multiplier": "1",
            "previously": "2400.00",
            "now": "10400.00",
            "first_day": "2026-01-01",
            "last_day": "2026-03-31",
        },
    )
    assert explain_entry(true_up) == (
        "rules v2; revenue 260000.00 from 2 sales, 2026-01-01 to 2026-03-31; band rate 4% (incremental); "
        "true-up: previously 2400.00, now 10400.00"
    )
    share = LedgerEntry(
        entry_type="earning",
        amount=Decimal("52.00"),
        explanation={"channel_manager_share_pct": "5.00", "of_amount": "1040.00", "units": 3, "multiplier": "oops"},
    )
    assert explain_entry(share) == "channel manager share 5.00% of 1040.00; units 3"
