from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ansinh.outbox.models import Message
from ansinh.outbox.services import OutsideTransactionError, message_enqueue
from tests import factories as f

PHONE = "0912345678"
BODY = "Kính gửi ông Trần Văn Bình: khoản trợ cấp tháng 7 đã được chuyển vào tài khoản."


def enqueue(**fields: object) -> Message:
    return message_enqueue(**{"channel": "sms", "recipient": PHONE, "body": BODY, **fields})


def test_message_queued_in_a_rolled_back_transaction_is_not_there(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue()
            raise RuntimeError("the payment could not be saved")

    assert not Message.objects.exists()
    assert callbacks == []
    assert not DBTaskResult.objects.exists()


def test_messages_commit_with_their_change_and_schedule_one_send(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            first = enqueue()
            enqueue(recipient="0987654321")
        assert not DBTaskResult.objects.exists()  # nothing is sent before the change commits

    assert first.status == Message.Status.PENDING
    assert Message.objects.count() == 2
    assert len(callbacks) == 1
    assert DBTaskResult.objects.get().task_path == "ansinh.outbox.tasks.send_pending_task"


def test_the_same_notice_is_not_queued_twice(db):
    with transaction.atomic():
        first = enqueue(dedupe_key="payment:42:paid")
        second = enqueue(dedupe_key="payment:42:paid", body="another text")

    assert second.pk == first.pk
    assert Message.objects.get().body == BODY


def test_the_related_object_is_kept_as_type_and_id(world):
    person = f.person("Trần Văn Bình", world.ba_dinh)
    with transaction.atomic():
        message = enqueue(related=person)
        other = enqueue(related=("payments.payment", 7))

    assert (message.related_type, message.related_id) == ("registry.person", str(person.pk))
    assert (other.related_type, other.related_id) == ("payments.payment", "7")


def test_unknown_channel_and_empty_recipient_are_refused(db):
    with transaction.atomic():
        with pytest.raises(ValueError):
            enqueue(channel="fax")
        with pytest.raises(ValueError):
            enqueue(recipient="  ")


def test_the_string_of_a_message_does_not_name_its_recipient(db):
    with transaction.atomic():
        message = enqueue()
    assert PHONE not in str(message)
    assert PHONE not in repr(message)


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused():
    with pytest.raises(OutsideTransactionError):
        enqueue()
    assert not Message.objects.exists()
