"""Forms: a campaign from a preset, and the edit of one step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ansinh.campaigns.models import Step
from ansinh.campaigns.presets import PRESET_CHOICES
from ansinh.geo.models import Province


class CampaignForm(forms.Form):
    preset = forms.ChoiceField(label=_("Plan"), choices=PRESET_CHOICES)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False, empty_label=_("The whole nation")
    )

    def __init__(self, *args: Any, provinces: QuerySet[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = ["title", "owner_role", "owner_label", "deadline", "measure", "target_percent"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}), "title": forms.Textarea(attrs={"rows": 2})}
