"""`make bench`: gas per operation (`gas`), payout throughput (`throughput`), tables and chart (`report`)."""

from __future__ import annotations

from functools import cache

from eth_account import Account
from eth_account.signers.local import LocalAccount

# Anvil's well-known development mnemonic: its keys hold value on no real chain.
DEV_MNEMONIC = "test test test test test test test test test test test junk"


@cache
def dev_key(index: int) -> LocalAccount:
    """The dev account `index` of the mnemonic, as brownie's `accounts[index]` on Anvil."""
    Account.enable_unaudited_hdwallet_features()
    key: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return key
