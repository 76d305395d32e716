"""Files and assets for the library tests: real small PDFs (reportlab), PNGs, and file assets made through the
services (so versions are checked and stored as in production)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

from content.services import asset_create, asset_publish, asset_version_add


def pdf_bytes(*pages: str) -> bytes:
    """A PDF with one page per text."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for text in pages or ("Partner price list",):
        sheet.drawString(72, 720, text)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def pdf_upload(*pages: str, name: str = "price-list.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(*pages), content_type="application/pdf")


def png_bytes(color: str = "teal", size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "logo.png", color: str = "teal") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(color), content_type="image/png")


def file_asset(*, actor, library, pages=("Partner price list",), published=True, name="price-list.pdf", **values):
    """A file asset with its first version (a PDF), published unless told otherwise."""
    asset = asset_create(
        actor=actor, library=library, kind="file", title=values.pop("title", "Price list"),
        upload=pdf_upload(*pages, name=name), **values,
    )  # fmt: skip
    return asset_publish(actor=actor, asset=asset) if published else asset


def add_version(*, actor, asset, pages, note=""):
    return asset_version_add(actor=actor, asset=asset, upload=pdf_upload(*pages), note=note)


class LibraryWorld:
    """One tenant's library for the surface tests: a vendor manager and staff member, a gold reseller partner in
    Europe with an admin, another partner of the same program (silver, an ISV in Asia) with an admin, and one
    published file asset per visibility case (plus a draft), keyed by case."""

    CASES = ("everyone", "public", "our program", "other program", "gold", "silver", "resellers", "isvs",
             "europe", "apac", "draft")  # fmt: skip
    PARTNER_SEES = {"everyone", "public", "our program", "gold", "resellers", "europe"}

    def __init__(self, tenant):
        from prm.accounts.roles import Role
        from prm.tenancy.context import tenant_context
        from tests.content.factories import LibraryFactory
        from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, TierFactory, partner_member

        self.tenant = tenant
        with tenant_context(tenant):
            self.manager = MembershipFactory(tenant=tenant, role=Role.CHANNEL_MANAGER)
            self.staff = MembershipFactory(tenant=tenant, role=Role.VENDOR_STAFF)
            self.program, self.other_program = ProgramFactory(tenant=tenant), ProgramFactory(tenant=tenant)
            self.gold, self.silver = TierFactory(program=self.program), TierFactory(program=self.program)
            self.partner = PartnerFactory(
                program=self.program, tier=self.gold, types=["reseller"], regions=["europe"], name="Ruiz Soluciones"
            )
            self.other_partner = PartnerFactory(
                program=self.program, tier=self.silver, types=["isv"], regions=["asia_pacific"], name="Tan Systems"
            )
            self.partner_admin = partner_member(self.partner)
            self.other_partner_admin = partner_member(self.other_partner)
            self.library = LibraryFactory(tenant=tenant)
            restrictions = {
                "everyone": {},
                "public": {"is_public": True, "visible_program_ids": [self.other_program.pk]},
                "our program": {"visible_program_ids": [self.program.pk]},
                "other program": {"visible_program_ids": [self.other_program.pk]},
                "gold": {"visible_tier_ids": [self.gold.pk]},
                "silver": {"visible_tier_ids": [self.silver.pk]},
                "resellers": {"visible_types": ["reseller"]},
                "isvs": {"visible_types": ["isv"]},
                "europe": {"visible_regions": ["europe"]},
                "apac": {"visible_regions": ["asia_pacific"]},
                "draft": {},
            }
            self.assets = {
                case: file_asset(
                    actor=self.manager.user,
                    library=self.library,
                    title=case,
                    pages=(f"{case} sheet",),
                    published=case != "draft",
                    **values,
                )  # fmt: skip
                for case, values in restrictions.items()
            }
