"""The product catalog and the vendor's house accounts: create, update and all-or-nothing CSV import."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from partners.profile import normalise_domain
from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.errors import Duplicate, InvalidInput

from ..models import HouseAccount, Product
from ..rules import normalise_company_name
from ..sales_rules import is_blank, parse_amount, parse_bool
from .imports import ImportRejected, ImportResult, add_error, numbered, objects_only

PRODUCT_FIELDS = ("sku", "name", "family", "list_price", "currency", "billing", "billing_period", "is_active")
HOUSE_ACCOUNT_FIELDS = ("company_name", "domain", "owner_name", "owner_email", "notes")
# Columns a products CSV must have; the others (family, billing, billing_period, is_active) are optional.
PRODUCT_REQUIRED_COLUMNS = ("sku", "name", "list_price", "currency")
HOUSE_ACCOUNT_REQUIRED_COLUMNS = ("company_name",)

_STRIPPED = {"sku", "name", "family", "billing", "billing_period", "company_name", "owner_name", "owner_email"}


def _refuse_unknown(fields: Mapping, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _create(model, *, allowed: tuple[str, ...], validate, action: str, key: str, actor, fields: Mapping):
    """Create a `model` from `fields` through `validate`; the audit entry records its `key` field."""
    _refuse_unknown(fields, allowed)
    obj = model()
    validate(obj, fields)
    obj.save()
    audit_record(action=f"{action}.create", actor=actor, obj=obj, changes={key: [None, getattr(obj, key)]})
    return obj


def _update(obj, *, allowed: tuple[str, ...], validate, action: str, actor, fields: Mapping):
    """Lock `obj`, apply `fields` through `validate`, save, and audit what changed."""
    _refuse_unknown(fields, allowed)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = audit_snapshot(obj, allowed)
    validate(obj, fields)
    obj.save()
    changes = audit_diff(before, audit_snapshot(obj, allowed))
    if changes:
        audit_record(action=f"{action}.update", actor=actor, obj=obj, changes=changes)
    return obj


def _model_errors(obj, errors: dict[str, list[str]]) -> None:
    try:
        obj.full_clean(exclude=["tenant"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in errors:  # a parse error already says what is wrong with this field
                errors[name] = list(messages)


# --- products -------------------------------------------------------------------------------------


def _apply_product(product: Product, values: Mapping) -> dict[str, list[str]]:
    """Set `values` (typed, or text from a CSV cell) on `product`; {field: [messages]} for every problem."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if name in ("sku", "name", "family", "billing", "billing_period"):
            setattr(product, name, "" if value is None else str(value).strip())
        elif name == "currency":
            product.currency = "" if value is None else str(value).strip().upper()
        elif name == "list_price":
            try:
                product.list_price = parse_amount(value)
            except ValueError as exc:
                add_error(errors, "list_price", exc)
        elif name == "is_active":
            try:
                product.is_active = True if is_blank(value) else parse_bool(value)
            except ValueError as exc:
                add_error(errors, "is_active", exc)
    if not product.billing:
        product.billing = Product.Billing.ONE_TIME
    _model_errors(product, errors)
    if product.billing == Product.Billing.RECURRING and not product.billing_period:
        add_error(errors, "billing_period", _("A recurring product needs a billing period."))
    if product.billing == Product.Billing.ONE_TIME and product.billing_period:
        add_error(errors, "billing_period", _("Only recurring products have a billing period."))
    return errors


def _sku_taken_message(sku: str) -> str:
    return _("Another product already has the SKU %(sku)s.") % {"sku": sku}


def product_validate(product: Product, values: Mapping) -> None:
    """Apply and check `values` on `product` (unsaved); the admin form calls it to show errors per field."""
    errors = _apply_product(product, values)
    if errors:
        raise InvalidInput(_("Check the product's fields."), fields=errors)
    if Product.objects.filter(sku__iexact=product.sku).exclude(pk=product.pk).exists():
        message = _sku_taken_message(product.sku)
        raise Duplicate(message, fields={"sku": [message]})


@transaction.atomic
def product_create(*, actor, **fields) -> Product:
    return _create(
        Product,
        allowed=PRODUCT_FIELDS,
        validate=product_validate,
        action="product",
        key="sku",
        actor=actor,
        fields=fields,
    )


@transaction.atomic
def product_update(*, product: Product, actor, **fields) -> Product:
    return _update(
        product, allowed=PRODUCT_FIELDS, validate=product_validate, action="product", actor=actor, fields=fields
    )


@transaction.atomic
def products_import(*, rows: Sequence[Mapping], actor, row_numbers: Sequence[int] | None = None) -> ImportResult:
    """Upsert products by SKU (case-insensitive). Every row is checked first; any invalid row → ImportRejected
    and nothing changes. Columns missing from the rows keep an existing product's values."""
    pairs = numbered(rows, row_numbers)
    errors: dict[int, dict[str, list[str]]] = {}
    objects = objects_only(pairs, errors)
    skus = {str(row.get("sku") or "").strip().lower() for _number, row in objects}
    existing = {
        product.sku_lower: product
        for product in Product.objects.select_for_update()
        .annotate(sku_lower=Lower("sku"))
        .filter(sku_lower__in=skus - {""})
    }
    seen: dict[str, int] = {}
    to_create, to_update = [], []
    for number, row in objects:
        values = {name: row[name] for name in PRODUCT_FIELDS if name in row}
        for column in PRODUCT_REQUIRED_COLUMNS:
            values.setdefault(column, "")
        sku = str(values["sku"] or "").strip()
        product = existing.get(sku.lower()) or Product()
        if product.pk:
            values.pop("sku")  # matched ignoring case: the stored spelling stays
        row_errors = _apply_product(product, values)
        if sku and sku.lower() in seen:
            message = _("The SKU %(sku)s is already in row %(row)s.") % {"sku": sku, "row": seen[sku.lower()]}
            add_error(row_errors, "sku", message)
        seen.setdefault(sku.lower(), number)
        if row_errors:
            errors[number] = row_errors
        elif product.pk:
            to_update.append(product)
        else:
            to_create.append(product)
    if errors:
        raise ImportRejected(errors, total=len(pairs))
    Product.objects.bulk_create(to_create)
    if to_update:
        Product.objects.bulk_update(to_update, [*PRODUCT_FIELDS, "updated_at"])
    result = ImportResult(created=len(to_create), updated=len(to_update))
    audit_record(action="product.import", actor=actor, context={"created": result.created, "updated": result.updated})
    return result


# --- house accounts -----------------------------------------------------------------------------------


def _apply_house_account(account: HouseAccount, values: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        text = "" if value is None else str(value)
        setattr(account, name, text.strip() if name in _STRIPPED else text)
    if "domain" in values:
        raw = account.domain.strip()
        account.domain = normalise_domain(raw)
        if raw and ("." not in account.domain or " " in raw):
            add_error(errors, "domain", _("Enter a domain such as example.com."))
    account.owner_email = account.owner_email.lower()
    account.name_normalised = normalise_company_name(account.company_name)
    _model_errors(account, errors)
    if account.company_name and not account.name_normalised:
        add_error(errors, "company_name", _("Enter a company name with letters or digits."))
    return errors


def house_account_validate(account: HouseAccount, values: Mapping) -> None:
    """Apply and check `values` on `account` (unsaved); the admin form calls it to show errors per field."""
    errors = _apply_house_account(account, values)
    if errors:
        raise InvalidInput(_("Check the house account's fields."), fields=errors)
    if account.domain and HouseAccount.objects.filter(domain=account.domain).exclude(pk=account.pk).exists():
        message = _("Another house account already has the domain %(domain)s.") % {"domain": account.domain}
        raise Duplicate(message, fields={"domain": [message]})


@transaction.atomic
def house_account_create(*, actor, **fields) -> HouseAccount:
    return _create(
        HouseAccount,
        allowed=HOUSE_ACCOUNT_FIELDS,
        validate=house_account_validate,
        action="house_account",
        key="domain",
        actor=actor,
        fields=fields,
    )


@transaction.atomic
def house_account_update(*, account: HouseAccount, actor, **fields) -> HouseAccount:
    return _update(
        account,
        allowed=HOUSE_ACCOUNT_FIELDS,
        validate=house_account_validate,
        action="house_account",
        actor=actor,
        fields=fields,
    )


def _house_key(account: HouseAccount) -> tuple[str, str]:
    """What identifies a house account in an import: its domain, else its normalised name."""
    return ("domain", account.domain) if account.domain else ("name", account.name_normalised)


@transaction.atomic
def house_accounts_import(*, rows: Sequence[Mapping], actor, row_numbers: Sequence[int] | None = None) -> ImportResult:
    """Upsert house accounts, matched by domain (or, without one, by normalised name). All rows are checked
    first; any invalid row → ImportRejected and nothing changes."""
    pairs = numbered(rows, row_numbers)
    errors: dict[int, dict[str, list[str]]] = {}
    objects = objects_only(pairs, errors)
    current = list(HouseAccount.objects.select_for_update().order_by("pk"))
    by_key: dict[tuple[str, str], HouseAccount] = {}
    for account in current:
        by_key.setdefault(_house_key(account), account)
        by_key.setdefault(("name", account.name_normalised), account)
    seen: dict[tuple[str, str], int] = {}
    to_create, to_update = [], []
    for number, row in objects:
        values = {name: row[name] for name in HOUSE_ACCOUNT_FIELDS if name in row}
        values.setdefault("company_name", "")
        probe = HouseAccount()
        row_errors = _apply_house_account(probe, values)
        key = _house_key(probe)
        account = by_key.get(key)
        if account is not None and not row_errors:
            row_errors = _apply_house_account(account, values)
        if key in seen and key[1]:
            message = _("The same account is already in row %(row)s.") % {"row": seen[key]}
            add_error(row_errors, "domain" if key[0] == "domain" else "company_name", message)
        seen.setdefault(key, number)
        if row_errors:
            errors[number] = row_errors
        elif account is not None:
            to_update.append(account)
        else:
            to_create.append(probe)
    if errors:
        raise ImportRejected(errors, total=len(pairs))
    HouseAccount.objects.bulk_create(to_create)
    if to_update:
        HouseAccount.objects.bulk_update(to_update, [*HOUSE_ACCOUNT_FIELDS, "name_normalised"])
    result = ImportResult(created=len(to_create), updated=len(to_update))
    audit_record(
        action="house_account.import", actor=actor, context={"created": result.created, "updated": result.updated}
    )
    return result
