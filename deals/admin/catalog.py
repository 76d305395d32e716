"""Admin of the catalog: products (tenant admins change) and house accounts (managers change), each with a CSV
import. Saving goes through the services, so the admin, the API and the imports apply the same rules."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import TenantModelAdmin, report_domain_error

from ..models import HouseAccount, Product
from ..services import (
    house_account_create,
    house_account_update,
    house_accounts_import,
    product_create,
    product_update,
    products_import,
)
from ..services.catalog import (
    HOUSE_ACCOUNT_FIELDS,
    HOUSE_ACCOUNT_REQUIRED_COLUMNS,
    PRODUCT_FIELDS,
    PRODUCT_REQUIRED_COLUMNS,
    house_account_validate,
    product_validate,
)
from .imports import CsvImportMixin


class ServiceValidatedForm(forms.ModelForm):
    """Runs the service's checks on the unsaved instance and shows its messages next to the fields."""

    service_fields: tuple[str, ...] = ()
    validate = None  # the service's `<model>_validate(instance, values)`, as a staticmethod

    def _post_clean(self):
        # Instead of the model form's own model validation: the service runs the model's field checks and
        # states its constraints (unique SKU, billing period) in words that say what to do.
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)
            return
        if self.errors:
            return
        values = {name: self.cleaned_data[name] for name in self.service_fields if name in self.cleaned_data}
        try:
            self.validate(self.instance, values)
        except DomainError as error:
            form_error_fields(self, error)


class ProductForm(ServiceValidatedForm):
    service_fields = PRODUCT_FIELDS

    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)

    validate = staticmethod(product_validate)


class ServiceSavedAdmin(CsvImportMixin, TenantModelAdmin):
    """Creates, updates and imports through the services named as staticmethods `create_service`,
    `update_service` (keyword `update_key` names the object) and `import_service`."""

    service_fields: tuple[str, ...] = ()
    update_key = ""
    create_service = update_service = import_service = None

    def run_import(self, request, rows, line_numbers):
        return self.import_service(rows=rows, actor=request.user, row_numbers=line_numbers)

    def has_delete_permission(self, request, obj=None):
        return False  # products are deactivated; house accounts stay as the evidence of past conflicts

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in self.service_fields if name in form.cleaned_data}
        try:
            if change:
                changed = {name: values[name] for name in form.changed_data if name in values}
                self.update_service(**{self.update_key: obj}, actor=request.user, **changed)
            else:
                created = self.create_service(actor=request.user, **values)
                obj.pk, obj.tenant_id = created.pk, created.tenant_id
                obj._state.adding = False
        except DomainError as error:
            report_domain_error(self, request, error)


@admin.register(Product)
class ProductAdmin(ServiceSavedAdmin):
    view_capability = "admin.view"
    change_capability = "catalog.manage"
    form = ProductForm
    service_fields = PRODUCT_FIELDS
    update_key = "product"
    list_display = ("sku", "name", "family", "list_price", "currency", "billing", "billing_period", "is_active")
    list_filter = ("is_active", "billing", "family")
    search_fields = ("sku", "name", "family")
    import_columns = PRODUCT_FIELDS
    import_required = PRODUCT_REQUIRED_COLUMNS
    import_help = _(
        "Products are matched by SKU (ignoring case): a known SKU is updated, a new one created. Columns left out "
        "of the file keep their values. billing is one_time or recurring; billing_period (month, quarter, year) "
        "only for recurring products; is_active yes or no."
    )

    create_service = staticmethod(product_create)
    update_service = staticmethod(product_update)
    import_service = staticmethod(products_import)


class HouseAccountForm(ServiceValidatedForm):
    service_fields = HOUSE_ACCOUNT_FIELDS

    class Meta:
        model = HouseAccount
        fields = list(HOUSE_ACCOUNT_FIELDS)

    validate = staticmethod(house_account_validate)


@admin.register(HouseAccount)
class HouseAccountAdmin(ServiceSavedAdmin):
    view_capability = "deals.view_all"
    change_capability = "deals.manage"
    form = HouseAccountForm
    service_fields = HOUSE_ACCOUNT_FIELDS
    update_key = "account"
    list_display = ("company_name", "domain", "owner_name", "owner_email", "created_at")
    search_fields = ("company_name", "domain", "owner_name")
    import_columns = HOUSE_ACCOUNT_FIELDS
    import_required = HOUSE_ACCOUNT_REQUIRED_COLUMNS
    import_help = _(
        "Accounts are matched by domain (or, without one, by company name): a known account is updated, a new one "
        "created. Domains are stored normalised (https://www.Example.com/ → example.com)."
    )

    create_service = staticmethod(house_account_create)
    update_service = staticmethod(house_account_update)
    import_service = staticmethod(house_accounts_import)
