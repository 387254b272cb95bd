"""Checks that run before anything is signed: amounts, addresses, reasons, roles, keys, revert decoding."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from eth_abi import abi as eth_abi
from eth_utils.crypto import keccak

from tenge import InvalidAddress, InvalidAmount, InvalidReason, KeyProblem, Tiyn, tiyn_to_kzt, to_tiyn
from tenge.abi import entries, signature, token_abi
from tenge.addresses import ZERO_ADDRESS, checked_address
from tenge.keys import load_signer
from tenge.reasons import reason_bytes32
from tenge.references import reference_bytes32
from tenge.reverts import ContractRevert, UnknownRevert, default_decoder, revert_class
from tenge.roles import parse_role, role_name
from toolkit.conftest import dev_key
from toolkit.test_bad_input import LIBRARY_AMOUNTS

ALICE = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"


@pytest.mark.parametrize(
    ("amount", "tiyn"),
    [
        ("1", 100),
        ("0.01", 1),
        ("12.3", 1230),
        ("007.50", 750),
        ("1000000.00", 100_000_000),
        (Decimal("7.50"), 750),
        (Decimal("1.000"), 100),  # a Decimal that is a whole number of tiyn, however written
        (Tiyn(500), 500),
        ("0", 0),
        (str(tiyn_to_kzt(2**256 - 1)), 2**256 - 1),
    ],
)
def test_amount_converts_exactly(amount: Any, tiyn: int) -> None:
    assert to_tiyn(amount) == tiyn


@pytest.mark.parametrize(("amount", "message"), LIBRARY_AMOUNTS.values(), ids=LIBRARY_AMOUNTS.keys())
def test_amount_refused_with_its_exact_message(amount: Any, message: str) -> None:
    with pytest.raises(InvalidAmount) as refused:
        to_tiyn(amount, nonzero=True)
    assert str(refused.value) == message


def test_zero_is_an_amount_where_it_means_something() -> None:
    assert to_tiyn("0") == 0  # approve(spender, 0) revokes an allowance
    with pytest.raises(InvalidAmount, match="is zero: it would move nothing"):
        to_tiyn("0.00", nonzero=True)


def test_tiyn_to_kzt_keeps_two_decimals_even_for_uint256() -> None:
    assert str(tiyn_to_kzt(123456)) == "1234.56"
    assert str(tiyn_to_kzt(5)) == "0.05"
    assert to_tiyn(tiyn_to_kzt(2**256 - 1)) == 2**256 - 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ALICE, ALICE),
        (ALICE.lower(), ALICE),
        ("0x" + ALICE[2:].upper(), ALICE),
        (f"  {ALICE} ", ALICE),
    ],
)
def test_address_checksummed(value: str, expected: str) -> None:
    assert checked_address(value) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (ALICE.replace("E", "e", 1), "bad checksum"),
        ("0xa0ee7a142d267C1f36714E4a8F75612F20a79720", "bad checksum"),
        (ZERO_ADDRESS, "zero address"),
        ("0x" + "0" * 40, "zero address"),
        (ALICE[:-2], "not an address"),
        ("a0Ee7A142d267C1f36714E4a8F75612F20a79720", "not an address"),
        ("0xZZee7A142d267C1f36714E4a8F75612F20a79720", "not an address"),
        (12, "not a string"),
    ],
)
def test_address_refused(value: Any, why: str) -> None:
    with pytest.raises(InvalidAddress, match=why):
        checked_address(value)


def test_zero_address_allowed_where_asked() -> None:
    assert checked_address("0x" + "0" * 40, allow_zero=True) == ZERO_ADDRESS


def test_reason_text_is_hashed_and_hex_taken_as_is() -> None:
    text = "Court order 2-1234/2026"
    assert reason_bytes32(text) == keccak(text=text)
    digest = "0x" + keccak(text=text).hex()
    assert reason_bytes32(digest) == keccak(text=text)
    assert reason_bytes32(b"\x01" * 32) == b"\x01" * 32
    # A capital X is still hex, never text to hash: the same reference or reason either way.
    assert reason_bytes32("0X" + keccak(text=text).hex()) == keccak(text=text)
    assert reference_bytes32("0X" + keccak(text=text).hex().upper()) == keccak(text=text)


@pytest.mark.parametrize("reason", ["", "   ", "0x1234", "0X1234", b"short"])
def test_reason_refused(reason: Any) -> None:
    with pytest.raises(InvalidReason):
        reason_bytes32(reason)


def test_roles_by_name_or_hex() -> None:
    freezer = keccak(text="FREEZER_ROLE")
    assert parse_role("FREEZER_ROLE") == freezer
    assert parse_role("freezer") == freezer
    assert parse_role("0x" + freezer.hex()) == freezer
    assert parse_role("admin") == b"\x00" * 32
    assert role_name(freezer) == "FREEZER_ROLE"
    with pytest.raises(ValueError, match="unknown role"):
        parse_role("KING_ROLE")


def test_every_abi_error_decodes_to_its_named_exception() -> None:
    decoder = default_decoder()
    samples = {"address": ALICE, "uint256": 7, "uint48": 3, "uint8": 1, "bool": True, "bytes32": b"\x11" * 32}
    errors = entries(token_abi(), "error")
    assert len(errors) >= 40  # the token's own and OpenZeppelin's
    for entry in errors:
        types = [i["type"] for i in entry["inputs"]]
        data = keccak(text=signature(entry))[:4] + eth_abi.encode(types, [samples[t] for t in types])
        refused = decoder.decode(data)
        assert type(refused) is revert_class(entry["name"])
        assert type(refused).__name__ == entry["name"]
        assert isinstance(refused, ContractRevert)
        assert list(refused.arguments) == [i["name"] for i in entry["inputs"]]


def test_revert_renders_like_the_contract_error() -> None:
    data = keccak(text="AccountFrozen(address)")[:4] + eth_abi.encode(["address"], [ALICE])
    refused = default_decoder().decode(data)
    assert str(refused) == f"AccountFrozen(account={ALICE})"
    assert refused.account == ALICE
    from tenge.reverts import AccountFrozen  # importable by name

    assert isinstance(refused, AccountFrozen)
    assert refused.exit_code == 4


def test_unknown_revert_keeps_its_data() -> None:
    refused = default_decoder().decode(bytes.fromhex("deadbeef"))
    assert isinstance(refused, UnknownRevert)
    assert refused.data == bytes.fromhex("deadbeef")


def test_error_string_and_panic_decode() -> None:
    error = bytes.fromhex("08c379a0") + eth_abi.encode(["string"], ["nope"])
    panic = bytes.fromhex("4e487b71") + eth_abi.encode(["uint256"], [0x11])
    assert str(default_decoder().decode(error)) == "Error(reason=nope)"
    assert default_decoder().decode(panic).arguments == {"code": 0x11}


# --- keys ------------------------------------------------------------------------------------------------


def _keystore(tmp_path: Path, password: str) -> Path:
    from eth_account import Account

    path = tmp_path / "signer.json"
    path.write_text(json.dumps(Account.encrypt(dev_key(9).key, password, kdf="pbkdf2", iterations=2)))
    return path


def test_keystore_with_password_from_env(tmp_path: Path) -> None:
    path = _keystore(tmp_path, "correct horse")
    account = load_signer(path, environ={"TENGE_KEYSTORE_PASSWORD": "correct horse"})
    assert account.address == dev_key(9).address


def test_keystore_password_prompted_when_not_in_env(tmp_path: Path) -> None:
    path = _keystore(tmp_path, "correct horse")
    asked: list[str] = []

    def prompt(message: str) -> str:
        asked.append(message)
        return "correct horse"

    account = load_signer(path, environ={}, prompt=prompt)
    assert account.address == dev_key(9).address
    assert asked == [f"Password for {path}"]


def test_keystore_wrong_password(tmp_path: Path) -> None:
    path = _keystore(tmp_path, "correct horse")
    with pytest.raises(KeyProblem, match="wrong password"):
        load_signer(path, environ={"TENGE_KEYSTORE_PASSWORD": "battery staple"})


def test_keystore_missing_or_damaged(tmp_path: Path) -> None:
    with pytest.raises(KeyProblem, match="no such file"):
        load_signer(tmp_path / "nope.json", environ={"TENGE_KEYSTORE_PASSWORD": "x"})
    damaged = tmp_path / "damaged.json"
    damaged.write_text("{not json")
    with pytest.raises(KeyProblem, match="not a readable JSON keystore"):
        load_signer(damaged, environ={"TENGE_KEYSTORE_PASSWORD": "x"})


def test_key_from_env_and_never_echoed() -> None:
    key = dev_key(9).key.hex()
    assert load_signer(environ={"TENGE_PRIVATE_KEY": key}).address == dev_key(9).address
    bad = key[:-4] + "zzzz"
    with pytest.raises(KeyProblem) as refused:
        load_signer(environ={"TENGE_PRIVATE_KEY": bad})
    assert key[2:20] not in str(refused.value) and bad[2:20] not in str(refused.value)


def test_no_key_at_all() -> None:
    with pytest.raises(KeyProblem, match="no signing key"):
        load_signer(environ={})
