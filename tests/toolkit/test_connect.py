"""`Tenge.connect` checks the chain and the code before anyone trusts a deployment record."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path
from typing import Any

import pytest

from tenge import ChainError, DeploymentError, DeploymentRecord, Tenge
from tenge.deployment import write_record
from toolkit.conftest import key_of


def test_connect_checks_and_reads(rpc_url: str, record: DeploymentRecord, token: Any) -> None:
    tenge = Tenge.connect(rpc_url, record)
    assert tenge.address == token.address
    assert tenge.chain_id == record.chain_id
    assert tenge.implementation() == record.implementation
    assert tenge.name() == "Digital Tenge" and tenge.symbol() == "DKZT" and tenge.decimals() == 2


def test_connect_finds_the_record_by_chain_id(rpc_url: str, record_path: Path, token: Any) -> None:
    tenge = Tenge.connect(rpc_url, directory=record_path.parent)
    assert tenge.address == token.address


def test_connect_reads_a_record_path(rpc_url: str, record_path: Path, token: Any) -> None:
    assert Tenge.connect(rpc_url, record_path).address == token.address


def test_missing_record(rpc_url: str, tmp_path: Path) -> None:
    with pytest.raises(DeploymentError, match="no deployment record"):
        Tenge.connect(rpc_url, directory=tmp_path)


def test_wrong_chain_id(rpc_url: str, record: DeploymentRecord, tmp_path: Path) -> None:
    bsc_testnet = write_record(dataclasses.replace(record, chain_id=97), tmp_path)
    with pytest.raises(DeploymentError, match=r"chain id 97, but the node is chain id \d+"):
        Tenge.connect(rpc_url, bsc_testnet)


def test_no_code_at_the_address(rpc_url: str, record: DeploymentRecord) -> None:
    elsewhere = dataclasses.replace(record, address=key_of("outsider").address)
    with pytest.raises(DeploymentError, match="no contract at"):
        Tenge.connect(rpc_url, elsewhere)


def test_proxy_code_hash_mismatch(rpc_url: str, record: DeploymentRecord) -> None:
    tampered = dataclasses.replace(record, proxy_code_hash="0x" + "ab" * 32)
    with pytest.raises(DeploymentError, match="not the recorded proxy"):
        Tenge.connect(rpc_url, tampered)


def test_mint_controller_other_than_the_tokens(rpc_url: str, record: DeploymentRecord) -> None:
    elsewhere = dataclasses.replace(record, mint_controller=record.implementation)
    with pytest.raises(DeploymentError, match="the token names mint controller"):
        Tenge.connect(rpc_url, elsewhere)


def test_mint_controller_code_hash_mismatch(rpc_url: str, record: DeploymentRecord) -> None:
    tampered = dataclasses.replace(record, mint_controller_code_hash="0x" + "ef" * 32)
    with pytest.raises(DeploymentError, match="not the recorded mint controller"):
        Tenge.connect(rpc_url, tampered)


def test_implementation_code_hash_mismatch(rpc_url: str, record: DeploymentRecord) -> None:
    tampered = dataclasses.replace(record, implementation_code_hash="0x" + "cd" * 32)
    with pytest.raises(DeploymentError, match="upgraded since the record"):
        Tenge.connect(rpc_url, tampered)


def test_implementation_read_from_the_erc1967_slot_not_the_record(
    rpc_url: str, record: DeploymentRecord, token: Any
) -> None:
    # A record naming another implementation address still checks the code the proxy really runs.
    moved = dataclasses.replace(record, implementation=key_of("outsider").address)
    assert Tenge.connect(rpc_url, moved).implementation() == token._implementation.address


def test_chain_down(record: DeploymentRecord) -> None:
    with socket.socket() as probe:  # a port nobody listens on: bound, then released
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ChainError, match="cannot reach a node"):
        Tenge.connect(f"http://127.0.0.1:{port}", record, timeout=2)


def test_malformed_record(rpc_url: str, tmp_path: Path) -> None:
    path = tmp_path / "31337.json"
    path.write_text('{"schema": 2, "address": "0x"}')
    with pytest.raises(DeploymentError, match="malformed"):
        Tenge.connect(rpc_url, path)
