"""Forms of the import pages: the upload, the column mapping and the fix of one row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Commune
from ansinh.imports.models import ImportBatch, ImportRow
from ansinh.reader import FIELD_LABELS, PartialDate
from ansinh.registry.models import Category

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".xlsx", ".xls", ".csv")
NAME_FIELDS = frozenset({"full_name", "family_middle_name", "citizen_id"})


def check_upload(upload: UploadedFile) -> str | None:
    """Why an uploaded file is refused (too big, wrong kind), or None; shared with the API."""
    if Path(upload.name or "").suffix.lower() not in EXTENSIONS:
        return gettext("Upload an Excel (.xlsx, .xls) or CSV (.csv) file.")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        return gettext("The file is %(size)s; the largest file accepted is %(limit)s.") % {
            "size": filesizeformat(upload.size or 0),
            "limit": filesizeformat(MAX_UPLOAD_BYTES),
        }
    if not upload.size:
        return gettext("The file is empty.")
    return None


class CommuneChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} ({obj.code}) · {obj.province.name}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("List file"),
        help_text=_("Excel (.xlsx, .xls) or CSV, up to 50 MB, in the official layout."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    commune = CommuneChoice(
        label=_("Default commune"),
        queryset=Commune.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("None: every row names its commune"),
        help_text=_("Used for rows that name no commune."),
    )
    sheet = forms.CharField(
        label=_("Sheet"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to read the first sheet with a recognisable header."),
    )

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, CommuneChoice)
        field.queryset = communes
        only = list(communes[:2])
        if len(only) == 1 and not self.is_bound:
            self.initial.setdefault("commune", only[0].code)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        problem = check_upload(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


def field_choices() -> list[tuple[str, str]]:
    return [("", gettext("Keep, not mapped")), *((key, gettext(label)) for key, label in FIELD_LABELS.items())]


class MappingForm(forms.Form):
    """One select per column of the batch: a field of the reader, or kept without a field."""

    def __init__(self, *args: Any, batch: ImportBatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch
        choices = field_choices()
        for column in batch.columns:
            header = column["header"] or gettext("(no header)")
            self.fields[f"col_{column['index']}"] = forms.ChoiceField(
                label=f"{column['letter']} · {header}",
                choices=choices,
                required=False,
                initial=column["field"] or "",
            )

    def mapping(self) -> dict[int, str | None]:
        return {
            column["index"]: self.cleaned_data.get(f"col_{column['index']}") or None for column in self.batch.columns
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not NAME_FIELDS & set(cleaned.values()):
            raise forms.ValidationError(gettext("Map a column to the full name or the ID number."))
        return cleaned

    @property
    def unchanged(self) -> bool:
        return self.mapping() == {column["index"]: column["field"] or None for column in self.batch.columns}


def _date_text(value: object) -> str:
    """An ISO partial date as an officer writes it: dd/mm/yyyy, mm/yyyy or yyyy."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        date = PartialDate.from_iso(value)
    except ValueError:
        return value
    if date.day is not None and date.month is not None:
        return f"{date.day:02d}/{date.month:02d}/{date.year:04d}"
    return f"{date.month:02d}/{date.year:04d}" if date.month is not None else f"{date.year:04d}"


def raw_cell(batch: ImportBatch, row: ImportRow, field: str) -> str:
    """The cell as written in the first column mapped to `field` (keys as the reader made them)."""
    seen: set[str] = set()
    for column in batch.columns:
        key = column["header"] or column["letter"]
        if key in seen:
            key = f"{column['header']} ({column['letter']})"
        seen.add(key)
        if column["field"] == field:
            return str(row.raw.get(key, ""))
    return ""


class RowFixForm(forms.Form):
    """The fields that make a row invalid, prefilled with what was read (or, unread, with the cell)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    date_of_birth = forms.CharField(
        label=_("Date of birth"), max_length=40, required=False, help_text=_("dd/mm/yyyy, mm/yyyy or yyyy")
    )
    commune_code = forms.CharField(label=_("Commune code"), max_length=20, required=False)
    amount = forms.CharField(label=_("Monthly amount (VND)"), max_length=40, required=False)

    @classmethod
    def initial_for(cls, batch: ImportBatch, row: ImportRow) -> dict[str, str]:
        """What was read; for a field that could not be read, the text last typed for it, else the cell."""
        values = row.values
        typed: dict[str, str] = {}
        for entry in row.problems:
            if entry["level"] == "fix":
                typed.update(entry.get("typed") or {})

        def unread(field: str) -> str:
            return typed[field] if field in typed else raw_cell(batch, row, field)

        amount = values.get("amount")
        return {
            "full_name": str(values.get("full_name") or unread("full_name")),
            "date_of_birth": _date_text(values.get("date_of_birth")) or unread("date_of_birth"),
            "commune_code": str(values.get("commune_code") or unread("commune_code")),
            "amount": str(amount) if amount is not None else unread("amount"),
        }

    def changes(self) -> dict[str, str]:
        """The fields whose text differs from what the form showed."""
        return {name: self.cleaned_data[name] or "" for name in self.changed_data if name in self.fields}
