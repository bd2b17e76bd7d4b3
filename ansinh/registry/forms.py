from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.reader import parse_date
from ansinh.registry.models import Person, Sex


class PersonForm(forms.Form):
    """An officer's edit of a person; the birth date may be a year, a month and year, or a full date."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    birth_date = forms.CharField(
        label=_("Date of birth"), max_length=20, required=False, help_text=_("dd/mm/yyyy, mm/yyyy or yyyy")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    citizen_id = forms.RegexField(
        label=_("ID number"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("An ID number has 12 digits.")},
    )
    old_id = forms.RegexField(
        label=_("Old ID number (9 digits)"),
        regex=r"^\d{9}$",
        required=False,
        error_messages={"invalid": _("An old ID number has 9 digits.")},
    )
    hamlet = forms.CharField(label=_("Hamlet / street"), max_length=200, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^0\d{9}$",
        required=False,
        error_messages={"invalid": _("A phone number has 10 digits and starts with 0.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_person(cls, person: Person) -> PersonForm:
        return cls(
            initial={
                "full_name": person.full_name,
                "birth_date": person.birth_date_display,
                "sex": person.sex,
                "citizen_id": person.citizen_id,
                "old_id": person.old_id,
                "hamlet": person.hamlet,
                "house_number": person.house_number,
                "phone": person.phone,
                "version": person.version,
            }
        )

    def clean_birth_date(self) -> dict[str, int | None]:
        text = self.cleaned_data["birth_date"].strip()
        if not text:
            return {"birth_year": None, "birth_month": None, "birth_day": None}
        date, findings = parse_date(text)
        if date is None or findings:
            raise forms.ValidationError(_("Write the date as dd/mm/yyyy, mm/yyyy or yyyy."))
        return {"birth_year": date.year, "birth_month": date.month, "birth_day": date.day}

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        return {**data.pop("birth_date"), **data}
