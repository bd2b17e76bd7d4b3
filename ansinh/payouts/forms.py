"""The capture form: a payout method for one person, typed twice or read from a VietQR, and the bank form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ansinh.access.models import Organisation
from ansinh.payouts import selectors
from ansinh.payouts.models import AccountChangeRequest, Bank, Channel, Proxy
from ansinh.payouts.vietqr import VietQRError, account_number_normalise, vietqr_parse
from ansinh.registry.models import Benefit, Person


class CaptureForm(forms.Form):
    channel = forms.ChoiceField(label=_("Payout channel"), choices=Channel.choices, initial=Channel.BANK)
    bank_bin = forms.ChoiceField(label=_("Bank or provider"), required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=40, required=False)
    account_number_again = forms.CharField(label=_("Account number again"), max_length=40, required=False)
    holder_name = forms.CharField(label=_("Account holder as the bank app shows it"), max_length=200, required=False)
    benefit = forms.ModelChoiceField(
        label=_("For benefit"), queryset=Benefit.objects.none(), required=False, empty_label=_("every active benefit")
    )
    proxy = forms.ModelChoiceField(
        label=_("Paid to a proxy"), queryset=Proxy.objects.none(), required=False, empty_label=_("no proxy")
    )
    organisation = forms.ModelChoiceField(
        label=_("Payment service organisation (cash)"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PAYMENT_SERVICE),
        required=False,
    )
    source = forms.ChoiceField(
        choices=[(AccountChangeRequest.Source.TYPED, ""), (AccountChangeRequest.Source.SCANNED, "")],
        initial=AccountChangeRequest.Source.TYPED,
        widget=forms.HiddenInput,
    )
    qr_text = forms.CharField(required=False, max_length=512, widget=forms.HiddenInput)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        banks = selectors.banks_active()
        bank_field = self.fields["bank_bin"]
        assert isinstance(bank_field, forms.ChoiceField)
        bank_field.choices = [("", "—"), *((b.bin, f"{b.short_name} ({b.bin})") for b in banks)]
        self.fields["benefit"].queryset = person.benefits.exclude(status=Benefit.Status.ENDED)  # type: ignore[attr-defined]
        self.fields["proxy"].queryset = person.proxies.exclude(status=Proxy.Status.REVOKED)  # type: ignore[attr-defined]
        self.fields["account_number"].widget.attrs.update(autocomplete="off", inputmode="text", spellcheck="false")
        self.fields["account_number_again"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") not in (Channel.BANK, Channel.MOBILE_MONEY, Channel.VNEID):
            return data
        if data.get("source") == AccountChangeRequest.Source.SCANNED:
            # The browser decoded the QR; the server reads it again and it must agree with what is sent.
            try:
                account = vietqr_parse(data.get("qr_text", ""), bank_known=selectors.bank_known)
            except VietQRError as error:
                raise forms.ValidationError(gettext(error.msgid) % error.params) from None
            if (account.bank_bin, account.account_number) != (
                data.get("bank_bin"),
                account_number_normalise(data.get("account_number", "")),
            ):
                raise forms.ValidationError(_("The account differs from the scanned QR code; scan again or type it."))
            return data
        first = account_number_normalise(data.get("account_number", ""))
        second = account_number_normalise(data.get("account_number_again", ""))
        if first != second:
            self.add_error("account_number_again", _("The two account numbers differ; type them again."))
        return data


class BankForm(forms.ModelForm):
    class Meta:
        model = Bank
        fields = ["bin", "code", "short_name", "name", "kind", "swift", "active"]

    def clean_bin(self) -> str:
        value = str(self.cleaned_data["bin"]).strip()
        if len(value) != 6 or not value.isdigit():
            raise forms.ValidationError(_("A BIN has 6 digits."))
        return value
