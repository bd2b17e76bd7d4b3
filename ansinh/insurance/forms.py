"""Forms of the insurance pages: they parse input only; services decide."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.insurance import rules

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (what <input type="month"> sends), cleaned to a month index."""

    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value: object) -> int:
        text = str(super().clean(value) or "")
        match = MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        return rules.month_index(int(match.group(1)), int(match.group(2)))


class PaymentForm(forms.Form):
    from_month = MonthField(label=_("First month paid"))
    months = forms.IntegerField(label=_("Months (years ahead, lump sum)"), required=False, min_value=1, max_value=600)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.IntegerField(label=_("Amount received (VND)"), required=False, min_value=0)
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=60)


class StopForm(forms.Form):
    stopped_on = forms.DateField(label=_("Stopped on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("List"), choices=[("participants", _("participants")), ("payments", _("payments"))]
    )
    file = forms.FileField(label=_("Excel file"))
