"""Fixtures: the token deployed once per module behind its proxy, named actors, a clean state per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import brownie
import pytest
from brownie import accounts
from brownie.network.contract import ProjectContract

from scripts.deploy import deploy_token

UINT256_MAX = 2**256 - 1
# 0x-prefixed: HexBytes 1.x `.hex()` drops the prefix, and events and errors render bytes32 with it.
REASON = brownie.web3.keccak(text="Court order 2-1234/2026").to_0x_hex()
OTHER_REASON = brownie.web3.keccak(text="Lifted by ruling 2-1300/2026").to_0x_hex()


@pytest.fixture(autouse=True)
def isolation(fn_isolation: Any) -> None:
    """Every test starts from the module's freshly deployed world."""


@pytest.fixture(scope="module")
def admin() -> Any:
    return accounts[0]


@pytest.fixture(scope="module")
def minter_admin() -> Any:
    return accounts[1]


@pytest.fixture(scope="module")
def minter() -> Any:
    return accounts[2]


@pytest.fixture(scope="module")
def pauser() -> Any:
    return accounts[3]


@pytest.fixture(scope="module")
def freezer() -> Any:
    return accounts[4]


@pytest.fixture(scope="module")
def blocklister() -> Any:
    return accounts[5]


@pytest.fixture(scope="module")
def seizer() -> Any:
    return accounts[6]


@pytest.fixture(scope="module")
def rescuer() -> Any:
    return accounts[7]


@pytest.fixture(scope="module")
def upgrader() -> Any:
    return accounts[8]


@pytest.fixture(scope="module")
def alice() -> Any:
    return accounts[9]


@pytest.fixture(scope="module")
def bob() -> Any:
    return accounts[10]


@pytest.fixture(scope="module")
def carol() -> Any:
    return accounts[11]


@pytest.fixture(scope="module")
def outsider() -> Any:
    """Holds no role: every gated call from it must be refused."""
    return accounts[12]


@pytest.fixture(scope="module")
def token(
    admin: Any,
    minter_admin: Any,
    minter: Any,
    pauser: Any,
    freezer: Any,
    blocklister: Any,
    seizer: Any,
    rescuer: Any,
    upgrader: Any,
) -> Any:
    """The token behind its proxy, each role held by its own account, the minter allowed 1,000,000 KZT."""
    token = deploy_token(admin, admin_delay=86400)
    for role, holder in [
        ("MINTER_ADMIN_ROLE", minter_admin),
        ("PAUSER_ROLE", pauser),
        ("FREEZER_ROLE", freezer),
        ("BLOCKLISTER_ROLE", blocklister),
        ("SEIZER_ROLE", seizer),
        ("RESCUER_ROLE", rescuer),
        ("UPGRADER_ROLE", upgrader),
    ]:
        token.grantRole(getattr(token, role)(), holder, {"from": admin})
    token.configureMinter(minter, 100_000_000, {"from": minter_admin})
    return _unproxied_for_coverage(token)


def _unproxied_for_coverage(token: Any) -> Any:
    """Under `--coverage`, runs the implementation's code at the proxy's address.

    Brownie attributes the steps of a delegatecall to the proxy, so through a proxy every contract
    line reads as uncovered. Anvil's `anvil_setCode` puts the implementation's runtime code (its
    immutables included, so UUPS checks still pass) where the proxy was, over the same storage.
    Upgrade tests deploy their own real proxy and are unaffected.
    """
    if not brownie._config.CONFIG.argv.get("coverage"):
        return token
    code = brownie.web3.eth.get_code(token._implementation.address)
    brownie.web3.provider.make_request("anvil_setCode", [token.address, code.hex()])
    brownie.DigitalTengeProxy.remove(token._proxy)
    brownie.network.state._remove_contract(token)
    # Built by hand: `DigitalTenge.at` compares bytecode, finds the UUPS immutable and drops the pcMap.
    container = brownie.DigitalTenge
    unproxied = ProjectContract(container._project, container._build, token.address)
    brownie.network.state._add_contract(unproxied)
    container._contracts.append(unproxied)
    unproxied._implementation = token._implementation
    unproxied._proxy = token._proxy
    return unproxied


@pytest.fixture(scope="module")
def funded(token: Any, minter: Any, alice: Any, bob: Any) -> Any:
    """The token with 1,000.00 KZT for alice and 500.00 KZT for bob."""
    token.mint(alice, 100_000, {"from": minter})
    token.mint(bob, 50_000, {"from": minter})
    return token


def reverts_with(error: str, *args: Any) -> Any:
    """Expects a revert with custom error `error` and exactly these arguments, as brownie renders them."""
    # Brownie renders `f"{name}: {', '.join(args)}"`, so an error without arguments ends in ": ".
    rendered = ", ".join(_render(a) for a in args)
    return brownie.reverts(f"{error}: {rendered}")


def _render(value: Any) -> str:
    """Brownie prints addresses in lower case and bytes32 as a Python bytes literal (`b'...'`)."""
    if hasattr(value, "address"):
        value = value.address
    if isinstance(value, bytes):
        return str(bytes(value))
    if isinstance(value, str) and value.startswith("0x") and len(value) == 66:
        return str(bytes.fromhex(value[2:]))
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    return str(value)


def _plain(value: Any) -> Any:
    """An event or call value as a plain Python value: checksummed str for addresses, hex for bytes."""
    if hasattr(value, "address"):
        return str(value.address)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.startswith("0x") and len(value) == 66:
        return value.lower()
    return str(value) if isinstance(value, str) else value


def assert_event(tx: Any, name: str, expected: dict[str, Any], index: int = 0) -> None:
    """Asserts that `tx` emitted event `name` (the `index`-th one) with exactly these arguments."""
    assert name in tx.events, f"{name} not emitted; got {list(tx.events.keys())}"
    actual = {key: _plain(value) for key, value in tx.events[name][index].items()}
    assert actual == {key: _plain(value) for key, value in expected.items()}


def assert_no_event(tx: Any, name: str) -> None:
    assert name not in tx.events, f"{name} emitted unexpectedly"


@pytest.fixture
def unauthorized() -> Iterator[Any]:
    """The revert of an AccessControl gate: AccessControlUnauthorizedAccount(account, role)."""
    yield lambda account, role: reverts_with("AccessControlUnauthorizedAccount", account, role)
