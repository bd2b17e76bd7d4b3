"""The bank directory: loaded by a migration from vietnam-qr-pay, cleaned and completed."""

from __future__ import annotations

import pytest
from vietnam_qr_pay import BanksObject

from ansinh.payouts.banks import banks_load, directory
from ansinh.payouts.models import Bank

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("banks")]


def test_the_directory_holds_every_package_bin_once() -> None:
    package_bins = {b.bin for b in BanksObject.values() if b.bin}
    stored = set(Bank.objects.values_list("bin", flat=True))
    assert package_bins <= stored
    assert Bank.objects.count() == len(stored)


def test_the_bank_for_social_policies_and_mobile_money_are_added() -> None:
    assert Bank.objects.get(bin="999888").name == "Ngân hàng Chính sách xã hội"
    kinds = dict(Bank.objects.filter(bin__in=["971005", "971011"]).values_list("bin", "kind"))
    assert kinds == {"971005": "mobile_money", "971011": "mobile_money"}


def test_a_renamed_bank_keeps_its_current_name() -> None:
    assert Bank.objects.get(bin="970449").short_name == "LPBank"
    assert Bank.objects.get(bin="970406").short_name == "Vikki Bank"


def test_no_bank_has_an_empty_or_malformed_bin() -> None:
    assert all(len(b) == 6 and b.isdigit() for b in Bank.objects.values_list("bin", flat=True))


def test_loading_again_creates_nothing_and_keeps_an_administrators_edit() -> None:
    Bank.objects.filter(bin="970436").update(short_name="VCB (edited)")
    Bank.objects.create(bin="970999", short_name="Test bank", name="Ngân hàng thử")
    result = banks_load(Bank)
    assert result.created == 0
    assert Bank.objects.get(bin="970436").short_name == "VCB (edited)"
    assert Bank.objects.filter(bin="970999").exists()


def test_a_deleted_bank_comes_back_on_the_next_load() -> None:
    Bank.objects.filter(bin="999888").delete()
    assert banks_load(Bank).created == 1
    assert len(directory()) == Bank.objects.count()


def test_the_migration_loads_the_directory() -> None:
    from importlib import import_module

    from django.apps import apps

    Bank.objects.all().delete()
    import_module("ansinh.payouts.migrations.0004_bank_directory").load(apps, None)
    assert Bank.objects.filter(bin="999888").exists()
    assert Bank.objects.count() == len(directory())
