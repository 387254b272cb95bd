"""The package's exceptions: one root, so that callers can catch everything from tenge at once.

Each family carries the exit code the `tenge` command line ends with, so that scripts can tell bad
input (2) from a chain that is down (3), a contract that refused (4), a record that does not match the
chain (5) and a key that cannot be loaded (6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_CHAIN = 3
EXIT_REVERT = 4
EXIT_DEPLOYMENT = 5
EXIT_KEY = 6


class TengeError(Exception):
    """Root of every error raised by the tenge package."""

    exit_code = 1


class InvalidInput(TengeError, ValueError):
    """Input refused before anything was signed or sent."""

    exit_code = EXIT_BAD_INPUT


class InvalidAmount(InvalidInput):
    """An amount that is not a whole number of tiyn (negative, over two decimals, not a number)."""


class InvalidAddress(InvalidInput):
    """An address that is malformed, badly checksummed, or the zero address where one is not allowed."""


class InvalidReason(InvalidInput):
    """A reason that is neither text nor a 0x-prefixed 32-byte hex value."""


class InvalidReference(InvalidInput):
    """A payment reference that is empty, or hex that is not 32 bytes."""


class DeploymentError(TengeError):
    """A deployment record that is missing, malformed, or does not match the chain it is used on."""

    exit_code = EXIT_DEPLOYMENT


class ChainError(TengeError):
    """The node cannot be reached, or answered in a way that is not a contract's refusal."""

    exit_code = EXIT_CHAIN


class TransactionDropped(ChainError):
    """A sent transaction vanished from the node and could not be broadcast again."""


class TransactionReplaced(ChainError):
    """Another transaction consumed the nonce of a sent transaction: the sent one can never be mined."""

    def __init__(self, tx_hash: str, nonce: int) -> None:
        super().__init__(f"transaction {tx_hash} (nonce {nonce}) was replaced: its nonce is used by another")
        self.tx_hash = tx_hash
        self.nonce = nonce


class KeyProblem(TengeError):
    """No signing key, an unreadable keystore, or a wrong password. The message never contains a key."""

    exit_code = EXIT_KEY


class IndexProblem(TengeError):
    """An event index that cannot be opened, or that belongs to another token or chain."""

    exit_code = EXIT_BAD_INPUT


class JournalError(TengeError):
    """A payout journal that belongs to another payout, or a payout that cannot be run as asked."""

    exit_code = EXIT_BAD_INPUT


class JournalBusy(JournalError):
    """A journal or payer another process is using now: a second run of a payout beside the first."""


class PayoutAlreadyPaid(JournalError):
    """A payout (by its id) the chain shows paid, in whole or in part, by a run this journal did not make."""


@dataclass(frozen=True)
class RowProblem:
    """One bad row of a payout file: its 1-based line number and what is wrong with it."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class PayoutFileInvalid(InvalidInput):
    """A payout file with bad rows; every problem is listed, and nothing was sent."""

    def __init__(self, path: str, problems: Sequence[RowProblem]) -> None:
        self.path = path
        self.problems = list(problems)
        listing = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{path}: {len(self.problems)} bad row(s), nothing sent:\n{listing}")
