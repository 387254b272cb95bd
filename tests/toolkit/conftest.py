"""Fixtures for the integrator toolkit: the token from the suite's fixtures, a deployment record for it,
the dev accounts' keys (derived from Anvil's public test mnemonic), clients connected as each actor, and
the report's servers (a throwaway PostgreSQL, Debian's chromium)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import brownie
import pytest
from click.testing import CliRunner, Result
from eth_account import Account
from eth_account.signers.local import LocalAccount
from playwright.sync_api import Browser
from servers import PostgresServer, chromium_browser

from tenge import DeploymentRecord, Tenge
from tenge.cli import cli
from tenge.deployment import code_hash, write_record

# Anvil's well-known development mnemonic: its keys hold value on no real chain.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
ACTORS = {
    "admin": 0,
    "minter_admin": 1,
    "minter": 2,
    "pauser": 3,
    "freezer": 4,
    "blocklister": 5,
    "proposer": 6,
    "rescuer": 7,
    "upgrader": 8,
    "alice": 9,
    "bob": 10,
    "carol": 11,
    "outsider": 12,
    "kyc": 13,
    "approver": 14,
    "budget_holder": 15,
}


@cache
def dev_key(index: int) -> LocalAccount:
    """The dev account `index` of the mnemonic, as brownie's `accounts[index]` on Anvil."""
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return account


def key_of(name: str) -> LocalAccount:
    return dev_key(ACTORS[name])


def run_cli(args: list[str], actor: str | None = None, input: str | None = None, **env: str | None) -> Result:
    """Runs `tenge args` in-process, signing as `actor` (its key in TENGE_PRIVATE_KEY) if given."""
    environment: dict[str, str | None] = {
        "TENGE_PRIVATE_KEY": key_of(actor).key.hex() if actor else None,
        "TENGE_KEYSTORE": None,
        "TENGE_KEYSTORE_PASSWORD": None,
        **env,
    }
    return CliRunner().invoke(cli, args, input=input, env=environment, catch_exceptions=False)


def rpc(method: str, *params: Any) -> Any:
    """A raw JSON-RPC call to the test chain (anvil_* and evm_* methods)."""
    response = brownie.web3.provider.make_request(method, list(params))
    assert "error" not in response, response
    return response.get("result")


@pytest.fixture(scope="module")
def rpc_url() -> str:
    return str(brownie.web3.provider.endpoint_uri)


@pytest.fixture(scope="module")
def keys() -> dict[str, LocalAccount]:
    """The private keys of the suite's named actors; checked against brownie's accounts."""
    derived = {name: dev_key(index) for name, index in ACTORS.items()}
    for name, index in ACTORS.items():
        assert derived[name].address == brownie.accounts[index].address, f"{name}: key does not match"
    return derived


@pytest.fixture(scope="module")
def earmarks(token: Any, admin: Any) -> Any:
    """The earmark contract beside the suite's token (the suites that move earmarked money put it in the
    system tier 3, as deploys do: here it would add a TierSet to every module's audit)."""
    return brownie.TengeEarmarks.deploy(token, {"from": admin})


@pytest.fixture(scope="module")
def record(token: Any, earmarks: Any) -> DeploymentRecord:
    """The deployment record of the suite's token, as scripts/deploy.py writes one."""
    web3 = brownie.web3
    proxy, implementation, controller = token._proxy, token._implementation, token._controller
    seizures = token._seizure_controller
    return DeploymentRecord(
        network=brownie.network.show_active(),
        chain_id=web3.eth.chain_id,
        address=proxy.address,
        implementation=implementation.address,
        block=proxy.tx.block_number,
        deployer=str(proxy.tx.sender),
        admin=token.defaultAdmin(),
        admin_transfer_delay=86400,
        proxy_code_hash=code_hash(bytes(web3.eth.get_code(proxy.address))),
        implementation_code_hash=code_hash(bytes(web3.eth.get_code(implementation.address))),
        mint_controller=controller.address,
        mint_controller_code_hash=code_hash(bytes(web3.eth.get_code(controller.address))),
        seizure_controller=seizures.address,
        seizure_controller_code_hash=code_hash(bytes(web3.eth.get_code(seizures.address))),
        earmarks=earmarks.address,
        earmarks_code_hash=code_hash(bytes(web3.eth.get_code(earmarks.address))),
        deployed_at="2026-01-01T00:00:00+00:00",
        transactions={
            "mint_controller": controller.tx.txid,
            "seizure_controller": seizures.tx.txid,
            "implementation": implementation.tx.txid,
            "proxy": proxy.tx.txid,
            "earmarks": earmarks.tx.txid,
        },
    )


@pytest.fixture(scope="module")
def record_path(record: DeploymentRecord, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The record written where the deploy script writes it: <dir>/<chain id>.json."""
    return write_record(record, tmp_path_factory.mktemp("deployments"))


@pytest.fixture
def connect(rpc_url: str, record: DeploymentRecord) -> Callable[..., Tenge]:
    """`connect("alice")`: a fresh client signing as that actor (fresh nonces after each snapshot revert)."""

    def make(actor: str | None = None, **kwargs: Any) -> Tenge:
        signer = key_of(actor) if actor else None
        return Tenge.connect(rpc_url, record, signer=signer, **kwargs)

    return make


@pytest.fixture
def manual_mining() -> Iterator[Callable[[], None]]:
    """Turns automine off for one test (transactions wait in the pool); yields `mine()`; restores automine."""
    rpc("evm_setAutomine", False)
    try:
        yield lambda: rpc("evm_mine")
    finally:
        rpc("evm_setIntervalMining", 0)
        rpc("evm_setAutomine", True)
        rpc("evm_mine")  # nothing left pending across the snapshot revert


@pytest.fixture
def cli_env(rpc_url: str, record_path: Path) -> Callable[..., list[str]]:
    """`cli_env("transfer", ...)`: the tenge arguments that point at the test chain and its record."""

    def args(*rest: str) -> list[str]:
        return ["--rpc", rpc_url, "--deployment", str(record_path), *rest]

    return args


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The SQLAlchemy URL of a throwaway PostgreSQL database (Debian's server, tests/servers.py)."""
    with PostgresServer() as server:
        yield server.url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright; `open_page(chromium, path)` opens a page."""
    with chromium_browser() as browser:
        yield browser
