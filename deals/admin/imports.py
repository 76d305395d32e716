"""The admin's CSV import page, shared by products, house accounts and sale records: upload → report."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from prm.accounts.permissions import on_platform_host
from prm.errors import DomainError

from ..forms.imports import CsvImportForm
from ..services import ImportRejected


class CsvImportMixin:
    """Adds `<model>/import/` and an "Import CSV" button to a TenantModelAdmin.

    Subclasses name the columns and call their service in `run_import(request, rows, line_numbers)`.
    Nothing is imported when any row is invalid; the report lists each invalid row's line and fields.
    """

    change_list_template = "admin/deals/change_list_import.html"
    import_columns: tuple[str, ...] = ()
    import_required: tuple[str, ...] = ()
    import_help = ""

    def run_import(self, request, rows, line_numbers):
        raise NotImplementedError

    def import_url_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_import"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=self.import_url_name()), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"import_url_name": f"admin:{self.import_url_name()}", "can_import": self._can_change(request)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def import_view(self, request):
        if on_platform_host(request) or not self._can_change(request):
            raise PermissionDenied
        form = CsvImportForm(
            request.POST or None, request.FILES or None, columns=self.import_columns, required=self.import_required
        )
        result = rejected = error = None
        if request.method == "POST" and form.is_valid():
            try:
                result = self.run_import(request, form.rows, form.line_numbers)
            except ImportRejected as exc:
                rejected = exc
            except DomainError as exc:
                error = exc
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import %(things)s from CSV") % {"things": self.model._meta.verbose_name_plural},
            "form": form,
            "columns": self.import_columns,
            "required": self.import_required,
            "import_help": self.import_help,
            "result": result,
            "rejected": rejected,
            "error": error,
            "row_errors": _row_errors(rejected) if rejected else [],
        }
        status = 400 if (rejected or error or form.errors) else 200
        return TemplateResponse(request, "admin/deals/import.html", context, status=status)


def _row_errors(rejected: ImportRejected) -> list[dict]:
    return [
        {"line": line, "errors": [(name, messages) for name, messages in errors.items()]}
        for line, errors in rejected.rows.items()
    ]
