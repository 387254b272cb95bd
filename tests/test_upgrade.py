"""Upgrades through DigitalTengeProxy: state survives, only UPGRADER_ROLE upgrades, nothing initializes twice;
ERC-7201 slots and the packed ledger words pinned bit by bit."""

import re
from pathlib import Path
from typing import Any

import pytest
from brownie import (
    DigitalTengeV2Mock,
    ERC20Mock,
    TengeMintController,
    TengeSeizureController,
    WrongSlotImplementationMock,
    accounts,
    web3,
)
from brownie.network.contract import Contract
from conftest import (
    REASON,
    assert_event,
    expiry,
    new_nonce,
    reverts_with,
    sign_authorization,
    upgrade_after_notice,
)
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from scripts.deploy import deploy_token

NAMESPACES = [
    "Ledger",
    "Freezable",
    "TransferAuthorization",
    "TieredPolicy",
    "PaymentReferences",
    "UpgradeNotice",  # the proxy's own, pinned in test_upgrade_notice.py
]
PAYMENT_REFERENCE = "0x" + keccak(text="Invoice 7").hex()
# bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)
IMPLEMENTATION_SLOT = int.from_bytes(keccak(text="eip1967.proxy.implementation"), "big") - 1


def erc7201_slot(namespace: str) -> int:
    """keccak256(abi.encode(uint256(keccak256("tenge.storage.<namespace>")) - 1)) & ~0xff."""
    inner = int.from_bytes(keccak(text=f"tenge.storage.{namespace}"), "big") - 1
    return int.from_bytes(keccak(encode(["uint256"], [inner])), "big") & ~0xFF


def mapping_slot(key: Any, slot: int) -> int:
    """Where `mapping[key]` lives for a mapping at `slot` (keccak256(abi.encode(key, slot)))."""
    key_type = "bytes32" if isinstance(key, bytes) else "address"
    key = key if isinstance(key, bytes) else str(getattr(key, "address", key))
    return int.from_bytes(keccak(encode([key_type, "uint256"], [key, slot])), "big")


def word(token: Any, slot: int) -> int:
    """The 32-byte storage word at `slot` of the proxy, as an integer."""
    return int.from_bytes(web3.eth.get_storage_at(token.address, slot), "big")


@pytest.fixture(scope="module")
def token(
    admin: Any,
    minter_admin: Any,
    minter: Any,
    freezer: Any,
    blocklister: Any,
    upgrader: Any,
) -> Any:
    """A real proxy even under `--coverage` (where the shared `token` fixture runs without one)."""
    token = deploy_token(admin, admin_delay=86400)
    for role, holder in [
        ("MINTER_ADMIN_ROLE", minter_admin),
        ("FREEZER_ROLE", freezer),
        ("BLOCKLISTER_ROLE", blocklister),
        ("UPGRADER_ROLE", upgrader),
    ]:
        token.grantRole(getattr(token, role)(), holder, {"from": admin})
    token._controller.configureMinter(token, minter, 100_000_000, REASON, {"from": minter_admin})
    return token


@pytest.fixture(scope="module")
def populated(
    token: Any,
    admin: Any,
    minter_admin: Any,
    minter: Any,
    freezer: Any,
    blocklister: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    outsider: Any,
) -> dict[str, Any]:
    """Every kind of state the token keeps, set to a known value; returns what a test needs to find it."""
    signer = accounts.add()
    for holder, amount in [(alice, 100_000), (bob, 50_000), (signer, 20_000)]:
        token.mint(holder, amount, {"from": minter})
    token.approve(carol, 12_345, {"from": alice})
    held_until, frozen_until = expiry(), expiry(2 * 86_400)
    token.placeHold(alice, 5_000, held_until, REASON, {"from": freezer})
    token.freeze(bob, frozen_until, REASON, {"from": freezer})
    token.blockAccount(outsider, REASON, {"from": blocklister})
    token.transferWithReference(alice, 0, PAYMENT_REFERENCE, {"from": carol})  # a used reference, no money
    refill = token._controller.configureMinterWithRefill(
        token, carol, 1_000, 5_000, 10, REASON, {"from": minter_admin}
    )
    token.setSupplyCap(10_000_000, REASON, {"from": admin})
    nonce = new_nonce()
    valid_before = web3.eth.get_block("latest").timestamp + 10**6
    v, r, s = sign_authorization(
        token, "TransferWithAuthorization", signer, alice, 1_000, 0, valid_before, nonce
    )
    transfer = token.transferWithAuthorization(
        signer, alice, 1_000, 0, valid_before, nonce, v, r, s, {"from": alice}
    )
    token.grantRole(token.KYC_ROLE(), admin, {"from": admin})
    token.setTier(bob, 2, REASON, {"from": admin})
    token.setLinkedAccount(alice, carol, REASON, {"from": admin})
    token.acceptLinkedAccount(carol, {"from": alice})
    return {
        "signer": signer,
        "nonce": nonce,
        "refill_configured_at": refill.timestamp,
        "signer_paid_on_day": transfer.timestamp // 86_400,
        "held_until": held_until,
        "frozen_until": frozen_until,
    }


def observable_state(token: Any, state: dict[str, Any], actors: list[Any]) -> dict[str, Any]:
    """Everything the getters say about the populated token, and its minters at the mint controller."""
    controller = TengeMintController.at(token.mintController())
    carol, signer = actors[2], state["signer"]
    return {
        "balances": [token.balanceOf(a) for a in [*actors, signer]],
        "totalSupply": token.totalSupply(),
        "allowance": token.allowance(actors[0], carol),
        "frozen": [token.isFrozen(a) for a in actors],
        "frozenUntil": [token.frozenUntil(a) for a in actors],
        "frozenAmount": [token.frozenAmount(a) for a in actors],
        "hold": tuple(token.holdOf(actors[0], REASON)),
        "maxRestrictionTerm": TengeSeizureController.at(token.seizureController()).maxRestrictionTerm(token),
        "seizureController": token.seizureController(),
        "blocked": [token.isBlocked(a) for a in actors],
        "mintController": token.mintController(),
        "minterAllowance": controller.minterAllowance(token, actors[4]),
        "minterRefill": tuple(controller.minterRefill(token, carol)),
        "supplyCap": token.supplyCap(),
        "nonceUsed": token.authorizationState(signer, state["nonce"]),
        "referenceUsed": token.referenceUsed(carol, PAYMENT_REFERENCE),
        "roles": [token.hasRole(token.UPGRADER_ROLE(), actors[5]), controller.isMinter(token, carol)],
        "defaultAdmin": token.defaultAdmin(),
        "name": (token.name(), token.symbol(), token.decimals()),
        "domainSeparator": token.DOMAIN_SEPARATOR(),
    }


@pytest.fixture
def actors(alice: Any, bob: Any, carol: Any, outsider: Any, minter: Any, upgrader: Any) -> list[Any]:
    return [alice, bob, carol, outsider, minter, upgrader]


def upgrade(token: Any, upgrader: Any, answer: int = 42) -> tuple[Any, Any, Any]:
    """Deploys V2 and upgrades the proxy to it; returns (tx, implementation, the token with V2's ABI)."""
    implementation = DigitalTengeV2Mock.deploy(
        token.mintController(), token.seizureController(), {"from": upgrader}
    )
    calldata = implementation.initializeV2.encode_input(answer)
    tx = upgrade_after_notice(token, implementation, calldata, upgrader)
    return tx, implementation, Contract.from_abi("DigitalTengeV2Mock", token.address, DigitalTengeV2Mock.abi)


def test_upgrade_keeps_every_kind_of_state(
    token: Any, populated: dict[str, Any], upgrader: Any, actors: list[Any]
) -> None:
    before = observable_state(token, populated, actors)
    slots = pinned_slots(populated, actors)
    raw_before = {name: word(token, slot) for name, slot in slots.items()}

    tx, implementation, v2 = upgrade(token, upgrader)

    assert observable_state(v2, populated, actors) == before
    assert {name: word(token, slot) for name, slot in slots.items()} == raw_before
    assert v2.version() == "2"
    assert v2.answer() == 42
    assert_event(tx, "Upgraded", {"implementation": implementation})
    assert word(token, IMPLEMENTATION_SLOT) == int(implementation.address, 16)


def test_rules_still_apply_after_upgrade(
    token: Any, populated: dict[str, Any], upgrader: Any, alice: Any, bob: Any, outsider: Any
) -> None:
    _, _, v2 = upgrade(token, upgrader)
    with reverts_with("AccountFrozen", bob):
        v2.transfer(alice, 1, {"from": bob})
    with reverts_with("AccountBlocked", outsider):
        v2.transfer(outsider, 1, {"from": alice})
    # alice holds 101,000 tiyn with 5,000 held.
    with reverts_with("InsufficientUnfrozenBalance", alice, 96_000, 96_001):
        v2.transfer(bob, 96_001, {"from": alice})


def test_used_authorization_stays_used_after_upgrade(
    token: Any, populated: dict[str, Any], upgrader: Any, alice: Any
) -> None:
    _, _, v2 = upgrade(token, upgrader)
    signer, nonce = populated["signer"], populated["nonce"]
    valid_before = web3.eth.get_block("latest").timestamp + 3600
    v, r, s = sign_authorization(
        v2, "TransferWithAuthorization", signer, alice, 1_000, 0, valid_before, nonce
    )
    with reverts_with("ERC3009UsedAuthorization", signer, nonce):
        v2.transferWithAuthorization(signer, alice, 1_000, 0, valid_before, nonce, v, r, s, {"from": alice})


def test_upgrade_refused_to_non_upgrader(token: Any, admin: Any, outsider: Any, unauthorized: Any) -> None:
    implementation = DigitalTengeV2Mock.deploy(
        token.mintController(), token.seizureController(), {"from": outsider}
    )
    calldata = implementation.initializeV2.encode_input(42)
    for caller in [outsider, admin]:
        with unauthorized(caller, token.UPGRADER_ROLE()):
            token.upgradeToAndCall(implementation, calldata, {"from": caller})
    assert token.version() == "1"


def test_upgrade_to_a_non_uups_contract_refused(token: Any, upgrader: Any) -> None:
    not_a_token = ERC20Mock.deploy({"from": upgrader})
    # Refused as it is announced: no notice is given of an upgrade that could never run.
    with reverts_with("ERC1967InvalidImplementation", not_a_token):
        token.announceUpgrade(not_a_token, keccak(b""), REASON, {"from": upgrader})


def test_implementation_and_set_up_cannot_be_initialized(token: Any, outsider: Any) -> None:
    implementation, initializer = token._implementation, token._initializer
    # The token has no `initialize` at all: its proxy ran DigitalTengeInitializer's once, as it was created.
    calldata = initializer.initialize.encode_input(outsider, 0)
    with pytest.raises(ValueError, match="execution reverted") as refused:
        web3.eth.call({"from": outsider.address, "to": implementation.address, "data": calldata})
    assert refused.value.args[0]["data"] == "0x"  # nothing there answers the selector
    with reverts_with("InvalidInitialization"):
        initializer.initialize(outsider, 0, {"from": outsider})
    assert implementation.defaultAdmin() == "0x" + "00" * 20
    assert initializer.defaultAdmin() == "0x" + "00" * 20


def test_v2_implementation_cannot_be_initialized(token: Any, upgrader: Any, outsider: Any) -> None:
    implementation = DigitalTengeV2Mock.deploy(
        token.mintController(), token.seizureController(), {"from": upgrader}
    )
    with reverts_with("InvalidInitialization"):
        implementation.initializeV2(7, {"from": outsider})


def test_implementation_has_no_upgrade_of_its_own(token: Any, upgrader: Any) -> None:
    # The proxy answers upgradeToAndCall; the implementation has no such function (nor a fallback).
    calldata = token.upgradeToAndCall.encode_input(token._implementation, b"")
    with pytest.raises(ValueError, match="execution reverted") as refused:
        web3.eth.call({"from": upgrader.address, "to": token._implementation.address, "data": calldata})
    assert refused.value.args[0]["data"] == "0x"  # no error: nothing there answers the selector


def test_upgrade_to_an_implementation_for_another_slot_refused(token: Any, upgrader: Any) -> None:
    wrong = WrongSlotImplementationMock.deploy({"from": upgrader})
    with reverts_with("UnsupportedProxiableUUID", "0x" + "11" * 32):
        token.announceUpgrade(wrong, keccak(b""), REASON, {"from": upgrader})


def test_proxy_cannot_be_initialized_twice(token: Any, outsider: Any) -> None:
    # The set-up ran in the proxy's constructor; its call, sent to the token now, reaches nothing.
    calldata = token._initializer.initialize.encode_input(outsider, 0)
    with pytest.raises(ValueError, match="execution reverted"):
        web3.eth.call({"from": outsider.address, "to": token.address, "data": calldata})
    assert not token.hasRole(token.DEFAULT_ADMIN_ROLE(), outsider)


def test_v2_initializer_runs_only_once(token: Any, upgrader: Any, outsider: Any) -> None:
    _, _, v2 = upgrade(token, upgrader, answer=42)
    with reverts_with("InvalidInitialization"):
        v2.initializeV2(7, {"from": outsider})
    assert v2.answer() == 42


def pinned_slots(state: dict[str, Any], actors: list[Any]) -> dict[str, int]:
    """The storage slots of one known value per namespace, and of the packed ledger words."""
    alice, bob, carol, outsider = actors[:4]
    ledger = erc7201_slot("Ledger")
    freezable = erc7201_slot("Freezable")
    nonces = mapping_slot(state["signer"], erc7201_slot("TransferAuthorization"))
    policy = erc7201_slot("TieredPolicy")
    return {
        "config": ledger,
        "accounts[alice]": mapping_slot(alice, ledger + 1),
        "accounts[bob]": mapping_slot(bob, ledger + 1),
        "accounts[outsider]": mapping_slot(outsider, ledger + 1),
        "accounts[signer]": mapping_slot(state["signer"], ledger + 1),
        "held[alice]": mapping_slot(alice, freezable),
        "holds[alice][REASON]": mapping_slot(bytes.fromhex(REASON[2:]), mapping_slot(alice, freezable + 1)),
        "orders[alice]": mapping_slot(alice, freezable + 2),
        "orders[alice][0]": int.from_bytes(
            keccak(encode(["uint256"], [mapping_slot(alice, freezable + 2)])), "big"
        ),
        "frozenUntil[bob]": mapping_slot(bob, freezable + 3),
        "freezeOrders[bob][REASON]": mapping_slot(
            bytes.fromhex(REASON[2:]), mapping_slot(bob, freezable + 4)
        ),
        # The namespace that held minter records before they moved to the mint controller.
        "former minters[carol]": mapping_slot(carol, erc7201_slot("MinterAllowances")),
        "usedNonces[signer][nonce]": mapping_slot(state["nonce"], nonces),
        "limits[1]": int.from_bytes(keccak(encode(["uint8", "uint256"], [1, policy])), "big"),
        "linked[alice]": mapping_slot(alice, policy + 1),
        "references[carol][ref]": mapping_slot(
            bytes.fromhex(PAYMENT_REFERENCE[2:]), mapping_slot(carol, erc7201_slot("PaymentReferences"))
        ),
    }


def test_storage_layout_is_pinned(token: Any, populated: dict[str, Any], actors: list[Any]) -> None:
    slots = pinned_slots(populated, actors)
    # The token's word, low bits first: paused (bit 0), policy on (bit 8), total supply (bits 16-95),
    # supply cap (bits 96-175), tier 0's holding and daily outflow limits (bits 176-215, 216-255): its
    # defaults, 100,000 and 50,000 KZT in tiyn.
    tier_0 = 100_000_00 << 176 | 50_000_00 << 216
    assert word(token, slots["config"]) == 1 << 8 | 170_000 << 16 | 10_000_000 << 96 | tier_0
    # An account's word: balance (bits 0-95), blocked (96), frozen (104), held (112), tier (120-127),
    # UTC day (128-159), that day's outflow (160-255).
    assert word(token, slots["accounts[alice]"]) == 101_000 | 1 << 112
    assert word(token, slots["accounts[bob]"]) == 50_000 | 1 << 104 | 2 << 120
    assert word(token, slots["accounts[outsider]"]) == 1 << 96
    day = populated["signer_paid_on_day"]
    assert word(token, slots["accounts[signer]"]) == 19_000 | day << 128 | 1_000 << 160
    # The freezable namespace: holds' total (uint208) and earliest expiry (uint48); each hold's amount
    # (uint96) and expiry (uint48); the list of an account's orders; a freeze's expiry; the orders that
    # froze an account, ever (the longest term lives at the seizure controller).
    held_until = populated["held_until"]
    assert word(token, slots["held[alice]"]) == 5_000 | held_until << 208
    assert word(token, slots["holds[alice][REASON]"]) == 5_000 | held_until << 96
    assert word(token, slots["orders[alice]"]) == 1
    assert word(token, slots["orders[alice][0]"]) == int(REASON, 16)
    assert word(token, slots["frozenUntil[bob]"]) == populated["frozen_until"]
    assert word(token, slots["freezeOrders[bob][REASON]"]) == 1
    # Minters live at the mint controller: one word per (token, minter), its only storage variable
    # (slot 0): allowance (uint88), capacity (uint88), refillPerSecond (uint32), updatedAt (uint40),
    # active (bool). The token keeps none.
    controller = token._controller
    packed = 1_000 | 5_000 << 88 | 10 << 176 | populated["refill_configured_at"] << 208 | 1 << 248
    assert word(controller, mapping_slot(actors[2], mapping_slot(token, 0))) == packed
    assert word(token, slots["former minters[carol]"]) == 0
    assert word(token, slots["usedNonces[signer][nonce]"]) == 1
    # Two limits per word for the other tiers, maxBalance low: tier 1's defaults, 1,000,000 and 500,000 KZT.
    assert word(token, slots["limits[1]"]) == 1_000_000_00 | 500_000_00 << 96
    assert word(token, slots["linked[alice]"]) == int(actors[2].address, 16)  # carol
    assert word(token, slots["references[carol][ref]"]) == 1
    assert word(token, IMPLEMENTATION_SLOT) == int(token._implementation.address, 16)


def test_every_namespace_is_pinned() -> None:
    # A new namespace in the token must get a pinned value above before it ships.
    contracts = Path(__file__).resolve().parents[1] / "contracts"
    sources = [p for p in contracts.rglob("*.sol") if "mocks" not in p.parts]
    found = {m for p in sources for m in re.findall(r"erc7201:tenge\.storage\.(\w+)", p.read_text())}
    assert found == set(NAMESPACES)
