"""Digital Tenge (DKZT) integrator toolkit: amounts, deployment records, a client and a command line.

from decimal import Decimal
from tenge import Tenge, load_signer

tenge = Tenge.connect("http://127.0.0.1:8545", signer=load_signer())
tenge.transfer("0x...", Decimal("12.50")).wait()
"""

from tenge.addresses import ZERO_ADDRESS, checked_address
from tenge.client import AccountStatus, Tenge, TierLimits, TokenInfo, WalletPolicy
from tenge.deployment import DeploymentRecord, load_record, write_record
from tenge.errors import (
    ChainError,
    DeploymentError,
    InvalidAddress,
    InvalidAmount,
    InvalidInput,
    InvalidReason,
    InvalidReference,
    JournalError,
    KeyProblem,
    PayoutFileInvalid,
    RowProblem,
    TengeError,
    TransactionDropped,
    TransactionReplaced,
)
from tenge.events import AuditEntry, EventLog, HistoryEntry
from tenge.keys import load_signer
from tenge.payout import PayoutRow, PayoutSummary, policy_problems, read_payout_file, run_payout
from tenge.reasons import reason_bytes32
from tenge.references import reference_bytes32, reference_text
from tenge.reverts import ContractRevert, UnknownRevert, revert_class
from tenge.transactions import GasPolicy, NonceManager, Pending, Receipt
from tenge.units import Tiyn, format_kzt, kzt_to_tiyn, parse_kzt, tiyn_to_kzt, to_tiyn

__all__ = [
    "ZERO_ADDRESS",
    "AccountStatus",
    "AuditEntry",
    "ChainError",
    "ContractRevert",
    "DeploymentError",
    "DeploymentRecord",
    "EventLog",
    "GasPolicy",
    "HistoryEntry",
    "InvalidAddress",
    "InvalidAmount",
    "InvalidInput",
    "InvalidReason",
    "InvalidReference",
    "JournalError",
    "KeyProblem",
    "NonceManager",
    "PayoutFileInvalid",
    "PayoutRow",
    "PayoutSummary",
    "Pending",
    "Receipt",
    "RowProblem",
    "Tenge",
    "TengeError",
    "TierLimits",
    "Tiyn",
    "TokenInfo",
    "TransactionDropped",
    "TransactionReplaced",
    "UnknownRevert",
    "WalletPolicy",
    "checked_address",
    "format_kzt",
    "kzt_to_tiyn",
    "load_record",
    "load_signer",
    "parse_kzt",
    "policy_problems",
    "read_payout_file",
    "reason_bytes32",
    "reference_bytes32",
    "reference_text",
    "revert_class",
    "run_payout",
    "tiyn_to_kzt",
    "to_tiyn",
    "write_record",
]
