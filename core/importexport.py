"""The admin's import and export of reference data (django-import-export), made safe.

Three things import-export does not do the way this portal needs:

- Files are read by `core.tabular`, the one hardened reader of every upload: Excel's
  semicolon CSV in Windows-1252, XLSX and ODS told by their content and bounded before
  they are parsed. (import-export reads XLSX with openpyxl unbounded, and treats ODS as
  a text format, so an .ods upload could not be read at all.)
- Exports escape formulas as every other export does, with an apostrophe that our own
  reader takes away again (import-export's escaping drops the '=' and turns every
  empty cell into the text "None").
- Rows are saved by the app's service (`save_service`): its cross-row checks, its
  Swedish messages for violated database constraints and the history context.

Columns are named by the models' verbose names, so the files speak Swedish; a foreign key
is given by the natural key users know (a region's länskod, a body's name within its
sjukvårdsregion), see ScopedForeignKeyWidget.
"""

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats

from core import tabular

# A register of people or groups has hundreds of rows, a few thousand at most.
LIMITS = tabular.Limits(
    max_bytes=5 * 1024 * 1024,
    max_rows=20_000,
    max_unpacked_bytes=50 * 1024 * 1024,
    max_xml_tags=3_000_000,
    max_columns=60,
)


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


class TabularFormat:
    """A format whose files are read by core.tabular: the first filled row is the header."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        import tablib

        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        table = tabular.read_table("", data, limits=LIMITS, header_score=_filled, min_score=1)
        header = [cell.strip() for cell in table.rows[table.header]] if table.rows else []
        while header and not header[-1]:
            header.pop()
        width = len(header)
        dataset = tablib.Dataset(headers=header)
        for row in table.rows[table.header + 1 :]:
            if not _filled(row):
                continue
            cells = [tabular.unescape_formula(cell.strip()) for cell in row[:width]]
            dataset.append(cells + [""] * (width - len(cells)))
        return dataset

    def _escape_formulae(self, dataset):
        escaped = [
            [tabular.escape_formula(v) if isinstance(v, str) else v for v in row] for row in dataset
        ]
        for _row in escaped:
            dataset.lpop()
        for row in escaped:
            dataset.append(row)


class CSV(TabularFormat, base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        # Semicolons and a BOM: what Excel with Swedish settings opens without asking.
        return "\ufeff" + super().export_data(dataset, delimiter=";", **kwargs)


class XLSX(TabularFormat, base_formats.XLSX):
    pass


class ODS(TabularFormat, base_formats.ODS):
    pass


FORMATS = [XLSX, CSV, ODS]


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key, looked up within the row's other columns.

    `scope` maps a lookup to the column that gives its value, e.g. a body by its name
    within the sjukvårdsregion of the row: {"healthcare_region__slug": "sjukvårdsregion"}.
    An unknown or ambiguous value is a Swedish error on its row, never an exception.
    """

    def __init__(self, model, field="pk", *, scope: dict[str, str] | None = None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.scope = scope or {}

    def get_queryset(self, value, row, *args, **kwargs):
        lookups = {key: (row or {}).get(column) or "" for key, column in self.scope.items()}
        return self.model.objects.filter(**lookups)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(
                _("%(model)s ”%(value)s” finns inte.")
                % {"model": self.model._meta.verbose_name.capitalize(), "value": value}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                _("Flera %(models)s heter ”%(value)s”.")
                % {"models": self.model._meta.verbose_name_plural, "value": value}
            ) from None
        except (ValueError, TypeError):
            raise ValueError(
                _("”%(value)s” är inte ett giltigt värde.") % {"value": value}
            ) from None


def column(model, attribute: str, *, label: str | None = None, **kwargs) -> fields.Field:
    """A field named by the model field's verbose name (or `label`), with its type's widget.

    A declared field gets no widget of its own type, so an empty date cell would reach
    the model as '' instead of None.
    """
    model_field = model._meta.get_field(attribute.split("__")[0])
    if "widget" not in kwargs and "__" not in attribute:
        widget = resources.ModelResource.widget_from_django_field(model_field)
        kwargs["widget"] = widget(
            **resources.ModelResource.widget_kwargs_for_field(attribute, model_field)
        )
    name = label or model_field.verbose_name
    return fields.Field(attribute=attribute, column_name=str(name), **kwargs)


class ServiceResource(resources.ModelResource):
    """A resource whose rows are validated by full_clean and saved by the app's service.

    `save_service(actor=…, obj=…)` is the app's write for one imported row. Meta of each
    subclass sets clean_model_instances and use_transactions (all or nothing).
    """

    save_service = None

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        type(self).save_service(actor=kwargs.get("user"), obj=instance)
        self.after_save_instance(instance, row, **kwargs)


class ImportExportAdmin(ImportExportModelAdmin):
    """Import and export in the admin: XLSX, CSV and ODS through core.tabular.

    Importing needs the right to add and to change (an import does both); a file the
    reader refuses shows its Swedish messages on the form.
    """

    formats = FORMATS

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, tabular.UploadRejected):
            for error in e.errors:
                where = _("rad %(row)s: ") % {"row": error.row} if error.row else ""
                form.add_error("import_file", f"{where}{error.message}")
            return
        super().add_data_read_fail_error_to_form(form, e)
