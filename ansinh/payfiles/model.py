"""The plain values that go into and come out of payment files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["accepted", "settled", "rejected", "pending"]


def gettext_noop(message: str) -> str:
    """Marks a msgid for extraction; the Django caller translates (`gettext(p.message) % p.params`)."""
    return message


@dataclass(frozen=True, slots=True)
class Debtor:
    """The paying office's account for an area: the debtor of one payment-information block."""

    name: str
    account: str
    bank_bin: str
    bic: str = ""


@dataclass(frozen=True, slots=True)
class Transfer:
    """One payment attempt to a bank or mobile-money account; amount in whole đồng."""

    end_to_end_id: str
    amount: int
    creditor_name: str
    creditor_account: str
    creditor_bank_bin: str
    remittance: str = ""
    creditor_bank_name: str = ""  # only bank templates that print the bank's name need it


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A status a bank reported for one of our end-to-end IDs, in the order the file gives them."""

    end_to_end_id: str
    status: Status
    reason_code: str = ""
    reason_text: str = ""
    amount: int | None = None
    source_line: int = 0


@dataclass(frozen=True, slots=True)
class ForeignEntry:
    """A movement in a notification that is not one of this system's payments: listed, then ignored."""

    description: str
    amount: int | None
    source_line: int


@dataclass(frozen=True, slots=True)
class GroupStatus:
    """A pain.002 status for a whole message or one payment-information block, with no transaction detail.

    The reader cannot know which attempts a message held; the caller applies it to every attempt of the
    export run whose message ID is `original_message_id` (and, when `original_payment_info_id` is set,
    only to that block) that has no transaction-level entry of its own in the same file.
    """

    original_message_id: str
    original_payment_info_id: str
    status: Status
    reason_code: str = ""
    reason_text: str = ""
    source_line: int = 0


@dataclass(frozen=True, slots=True)
class ResultProblem:
    """A reason the file (or one of its rows) cannot be used; `message` is an English msgid."""

    message: str
    params: dict[str, object] = field(default_factory=dict)
    line: int = 0
    column: str = ""

    @property
    def text(self) -> str:
        """The English text with its values filled in."""
        return self.message % self.params if self.params else self.message


@dataclass(slots=True)
class ResultFile:
    """What a result file says: our entries, others' movements, and the problems that refuse it.

    `errors` are English sentences for logs and plain callers; `problems` carry the same with msgids and
    values for translation. A file with any error must change nothing.
    """

    entries: list[StatusEntry] = field(default_factory=list)
    foreign: list[ForeignEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    groups: list[GroupStatus] = field(default_factory=list)
    problems: list[ResultProblem] = field(default_factory=list)
    original_message_id: str = ""
    kind: str = ""  # "pain.002", "camt.054", "table"

    def problem(self, message: str, *, line: int = 0, column: str = "", **params: object) -> None:
        """Records one problem in both forms."""
        values: dict[str, object] = {"line": line, "column": column, **params}
        found = ResultProblem(message=message, params=values, line=line, column=column)
        self.problems.append(found)
        self.errors.append(found.text)
