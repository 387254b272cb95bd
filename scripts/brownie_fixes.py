"""Work-arounds for brownie 1.22 (no longer maintained) on Anvil: the suites' conftest and
tools/brownie_run.py apply them once brownie is connected."""

from __future__ import annotations

import time
from typing import Any

from web3.exceptions import TransactionNotFound

# How long a receipt that is not found is asked for again before brownie hears so.
RECEIPT_PATIENCE = 2.0
RECEIPT_POLL = 0.05


def patient_receipts(web3: Any) -> None:
    """Anvil can count a sender's nonce as used a moment before it serves the receipt of the transaction
    that used it. Brownie reads the nonce first: it then takes a mined transaction for dropped ("Tx
    dropped without known replacement"), as seen under load in module fixtures, matrix cells and the
    fuzzer. So brownie's `web3.eth.get_transaction_receipt` (that instance only, not web3.py's class:
    the tenge library keeps its own behaviour) asks again for RECEIPT_PATIENCE seconds first."""
    eth = web3.eth
    ask = eth.get_transaction_receipt
    if getattr(ask, "patient", False):
        return

    def get_transaction_receipt(transaction_hash: Any, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + RECEIPT_PATIENCE
        while True:
            try:
                return ask(transaction_hash, *args, **kwargs)
            except TransactionNotFound:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(RECEIPT_POLL)

    get_transaction_receipt.patient = True  # type: ignore[attr-defined]
    eth.get_transaction_receipt = get_transaction_receipt
