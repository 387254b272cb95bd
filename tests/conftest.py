"""Fixtures: the token deployed once per module behind its proxy, named actors, a clean state per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import brownie
import pytest
from brownie import accounts
from brownie.network.contract import ProjectContract
from eth_account import Account

from scripts.brownie_fixes import patient_receipts
from scripts.deploy import deploy_token, gas_price_for_network
from tenge import signatures
from tenge.signatures import Domain

UINT256_MAX = 2**256 - 1
# 0x-prefixed: HexBytes 1.x `.hex()` drops the prefix, and events and errors render bytes32 with it.
REASON = brownie.web3.keccak(text="Court order 2-1234/2026").to_0x_hex()
OTHER_REASON = brownie.web3.keccak(text="Lifted by ruling 2-1300/2026").to_0x_hex()
POLICY_OFF_REASON = brownie.web3.keccak(text="Test suites of other features").to_0x_hex()
# A freeze's or hold's term in the tests: inside the longest term (90 days unless the admin sets another).
TERM = 30 * 86400


@pytest.fixture(scope="session", autouse=True)
def network_gas_price() -> None:
    gas_price_for_network()


@pytest.fixture(scope="session", autouse=True)
def receipts_waited_for() -> None:
    """A mined transaction is never taken for dropped (scripts/brownie_fixes.py)."""
    patient_receipts(brownie.web3)


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
def proposer() -> Any:
    """Holds SEIZURE_PROPOSER_ROLE: proposes seizures at the seizure controller."""
    return accounts[6]


@pytest.fixture(scope="module")
def approver() -> Any:
    """Holds SEIZURE_APPROVER_ROLE: approves another's seizure proposals."""
    return accounts[14]


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
def kyc() -> Any:
    """Holds KYC_ROLE: assigns tiers and links accounts."""
    return accounts[13]


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
    proposer: Any,
    approver: Any,
    rescuer: Any,
    upgrader: Any,
    kyc: Any,
) -> Any:
    """The token behind its proxy, each role held by its own account, the minter allowed 1,000,000 KZT
    at the mint controller (`controller`), seizures executable at approval (notice 0, as on a local
    chain; tests/test_seizure.py tests the notice), and the wallet policy off: each suite tests its
    own feature; `policy_token` switches it back on."""
    token = deploy_token(admin, admin_delay=86400)
    for role, holder in [
        ("MINTER_ADMIN_ROLE", minter_admin),
        ("PAUSER_ROLE", pauser),
        ("FREEZER_ROLE", freezer),
        ("BLOCKLISTER_ROLE", blocklister),
        ("SEIZURE_PROPOSER_ROLE", proposer),
        ("SEIZURE_APPROVER_ROLE", approver),
        ("RESCUER_ROLE", rescuer),
        ("UPGRADER_ROLE", upgrader),
        ("KYC_ROLE", kyc),
    ]:
        token.grantRole(getattr(token, role)(), holder, {"from": admin})
    token._controller.configureMinter(token, minter, 100_000_000, REASON, {"from": minter_admin})
    # A shorter notice waits for the admin's delay (a day here), as it would on a live chain.
    shortened = token._seizure_controller.setNoticePeriod(token, 0, REASON, {"from": admin})
    move_to(shortened.events["NoticePeriodChanged"]["effectiveAt"])
    # Tier limits would otherwise bound every other suite's amounts; tests/test_policy.py and friends
    # switch the policy back on (`policy_token`), as production runs it.
    token.setPolicyEnabled(False, POLICY_OFF_REASON, {"from": admin})
    return _unproxied_for_coverage(token)


@pytest.fixture(scope="module")
def controller(token: Any) -> Any:
    """The mint controller the token names (`mintController()`): its minters and their allowances."""
    return token._controller


@pytest.fixture(scope="module")
def seizures(token: Any) -> Any:
    """The seizure controller the token names (`seizureController()`): the only account that seizes."""
    return token._seizure_controller


def _unproxied_for_coverage(token: Any) -> Any:
    """Under `--coverage`, runs the implementation's code at the proxy's address.

    Brownie attributes the steps of a delegatecall to the proxy, so through a proxy every contract
    line reads as uncovered. Anvil's `anvil_setCode` puts the implementation's runtime code (its
    immutables included: the mint controller's address) where the proxy was, over the same storage.
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
    unproxied._controller = token._controller
    unproxied._seizure_controller = token._seizure_controller
    unproxied._initializer = token._initializer
    return unproxied


def traced(contract: Any) -> Any:
    """`contract` as brownie's coverage can trace it: brownie compares the code at an address with the
    build, finds the immutables filled in (a token's address) and drops the pcMap; registered again here
    with the whole build, as `_unproxied_for_coverage` does for the token."""
    container = getattr(brownie, contract._name)
    if not brownie._config.CONFIG.argv.get("coverage") or "pcMap" in contract._build:
        return contract
    brownie.network.state._remove_contract(contract)
    container._contracts.remove(contract)
    again = ProjectContract(container._project, container._build, contract.address)
    brownie.network.state._add_contract(again)
    container._contracts.append(again)
    return again


@pytest.fixture(scope="module")
def funded(token: Any, minter: Any, alice: Any, bob: Any) -> Any:
    """The token with 1,000.00 KZT for alice and 500.00 KZT for bob."""
    token.mint(alice, 100_000, {"from": minter})
    token.mint(bob, 50_000, {"from": minter})
    return token


@pytest.fixture(scope="module")
def policy_token(token: Any, admin: Any) -> Any:
    """The token with the wallet policy on and its default tiers, as `initialize` leaves it."""
    token.setPolicyEnabled(True, REASON, {"from": admin})
    return token


def expect(error: tuple[Any, ...] | None, sender: Any, function: Any, *args: Any) -> bool:
    """A state machine's step: sends `function(*args)` from `sender`, which must succeed (True), or
    calls it, which must fail with exactly `error` (False: a call sees the refusal, and is much faster
    than mining a reverted transaction)."""
    if error is None:
        function(*args, {"from": sender})
        return True
    with reverts_with(*error):
        function.call(*args, {"from": sender})
    return False


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


# --- EIP-712 signing (EIP-2612 permit, EIP-3009 authorizations), as a wallet does it ------------------


def eip712_domain(token: Any) -> Domain:
    """The token's EIP-712 domain as it reports it (EIP-5267)."""
    _fields, name, version, chain_id, verifying_contract, _salt, _extensions = token.eip712Domain()
    return Domain(name, version, chain_id, verifying_contract)


def typed_data(token: Any, primary_type: str, message: dict[str, Any]) -> dict[str, Any]:
    """The full EIP-712 message a wallet would be asked to sign (the types are the toolkit's own)."""
    return signatures.typed_data(eip712_domain(token), primary_type, message)


def sign(signer: Any, token: Any, primary_type: str, message: dict[str, Any]) -> tuple[int, bytes, bytes]:
    """Signs `message` with `signer`'s private key; returns (v, r, s) ready for the contract."""
    full_message = typed_data(token, primary_type, message)
    signed = Account.sign_typed_data(signer.private_key, full_message=full_message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def sign_permit(
    token: Any, owner: Any, spender: Any, value: int, deadline: int, nonce: int | None = None
) -> tuple[int, bytes, bytes]:
    """An EIP-2612 permit signed by `owner` (its next nonce unless `nonce` is given)."""
    message = {
        "owner": owner.address,
        "spender": _address(spender),
        "value": value,
        "nonce": token.nonces(owner) if nonce is None else nonce,
        "deadline": deadline,
    }
    return sign(owner, token, "Permit", message)


def sign_authorization(
    token: Any,
    primary_type: str,
    signer: Any,
    to: Any,
    value: int,
    valid_after: int,
    valid_before: int,
    nonce: bytes,
    authorizer: Any = None,
) -> tuple[int, bytes, bytes]:
    """An EIP-3009 `primary_type` authorization from `authorizer` (default `signer`), signed by `signer`."""
    message = {
        "from": _address(authorizer or signer),
        "to": _address(to),
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": nonce,
    }
    return sign(signer, token, primary_type, message)


def new_nonce() -> bytes:
    """A random EIP-3009 nonce, as wallets pick them."""
    return os.urandom(32)


def _address(value: Any) -> str:
    return str(value.address) if hasattr(value, "address") else str(value)


@pytest.fixture(scope="module")
def signer(token: Any, admin: Any, minter: Any) -> Any:
    """A holder whose private key we know (it signs permits and authorizations), with 1,000.00 KZT."""
    holder = accounts.add()
    token.mint(holder, 100_000, {"from": minter})
    admin.transfer(holder, "1 ether")  # gas, where the chain charges for it (Ganache)
    return holder


@pytest.fixture(scope="module")
def impostor() -> Any:
    """An account with a private key and no tokens: its signatures authorize nothing of others'."""
    return accounts.add()


def chain_now() -> int:
    """The latest block's timestamp: the chain's own clock (`chain.time()` drifts ahead across reverts)."""
    return int(brownie.chain[-1].timestamp)


def move_to(timestamp: int) -> None:
    """Mines an empty block at `timestamp`; the next transaction runs a moment after it."""
    # Anvil refuses brownie's `chain.mine(timestamp=...)` (`evm_mine` with a timestamp) as invalid;
    # Ganache has no `evm_setNextBlockTimestamp` but mines at a timestamp.
    response = brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    if "error" in response and "does not exist" in str(response["error"].get("message", "")):
        brownie.chain.mine(timestamp=timestamp)
        return
    assert "error" not in response, response
    brownie.chain.mine()


def next_block_at(timestamp: int) -> None:
    """The next transaction (and the estimate before it) runs at exactly `timestamp` (Anvil)."""
    response = brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    assert "error" not in response, response


def ints(values: Any) -> tuple[int, ...]:
    """A returned tuple as plain ints (brownie's values compare only with their own kind)."""
    return tuple(int(v) for v in values)


def expiry(seconds: int = TERM) -> int:
    """A freeze's or hold's expiry `seconds` from the chain's clock."""
    return chain_now() + seconds


def propose(
    token: Any, proposer: Any, holder: Any, to: Any, amount: int, order: str = REASON, reason: str = REASON
) -> int:
    """A seizure of `amount` of `holder`'s hold `order` proposed at the token's seizure controller; its id."""
    tx = token._seizure_controller.proposeSeizure(
        token, holder, to, amount, order, reason, {"from": proposer}
    )
    return int(tx.events["SeizureProposed"]["id"])


def seize(
    token: Any,
    proposer: Any,
    approver: Any,
    holder: Any,
    to: Any,
    amount: int,
    order: str = REASON,
    reason: str = REASON,
) -> Any:
    """A seizure as it is done: proposed by one account, approved by another, executed once the
    notice passes (the test token's notice is 0); returns the executing transaction."""
    controller = token._seizure_controller
    seizure_id = propose(token, proposer, holder, to, amount, order, reason)
    approved = controller.approveSeizure(seizure_id, reason, {"from": approver})
    ready_at = approved.events["SeizureApproved"]["readyAt"]
    if ready_at > chain_now():
        move_to(ready_at)
    return controller.executeSeizure(seizure_id, {"from": approver})


def upgrade_after_notice(
    token: Any, implementation: Any, data: Any, upgrader: Any, reason: str = REASON
) -> Any:
    """What every upgrade takes: its announcement, the default admin's delay, then the upgrade itself."""
    announced = token.announceUpgrade(
        implementation, brownie.web3.keccak(hexstr=_hex(data)), reason, {"from": upgrader}
    )
    move_to(announced.timestamp + int(token.defaultAdminDelay()))
    return token.upgradeToAndCall(implementation, data, {"from": upgrader})


def _hex(data: Any) -> str:
    return data if isinstance(data, str) else "0x" + bytes(data).hex()
