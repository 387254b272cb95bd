"""Where no rule applies, the token's plain ERC-20 is OpenZeppelin's: the same calls, the same outcomes.

The token (its wallet policy off, as the `token` fixture leaves it) and OpenZeppelin's ERC20 as it ships
(`ERC20Mock`) hold the same balances; each case drives the same calls on both, from the same accounts,
and compares every call's outcome: the revert (error name and arguments, decoded from each contract's
revert data with its own ABI) or the return value, the events (name, arguments, order), and what changed
in balances, allowances and total supply. Permit is compared the same way with OpenZeppelin's ERC20Permit
(`ERC20PermitMock`). Calls go through web3.py's contract API, as an integrator's would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from brownie import ERC20Mock, ERC20PermitMock, web3
from conftest import chain_now, typed_data
from eth_abi.abi import decode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

MAX = 2**256 - 1
ZERO_ADDRESS = "0x" + "00" * 20
ALICE_BALANCE = 100_000
BOB_BALANCE = 50_000
HOLDERS = ("alice", "bob", "carol", "zero", "token")
SPENDERS = ("alice", "bob", "carol", "zero")
# Solidity's own reverts, which no ABI lists.
BUILTIN_ERRORS = (
    {"name": "Error", "inputs": [{"type": "string"}]},
    {"name": "Panic", "inputs": [{"type": "uint256"}]},
)

TRANSFER = "transfer(address,uint256)"
TRANSFER_FROM = "transferFrom(address,address,uint256)"
APPROVE = "approve(address,uint256)"
PERMIT = "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"


# --- What a call did -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A call's effect, with every address named by its actor (`alice`, `zero`, `token`...)."""

    error: tuple[str, tuple[Any, ...]] | None
    returned: Any = None
    events: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    changes: tuple[tuple[str, int], ...] = ()

    @property
    def error_name(self) -> str | None:
        return self.error[0] if self.error else None


@dataclass
class Subject:
    """One of the two contracts under comparison, as web3.py sees it, and who is who around it."""

    deployed: Any  # the brownie object, through which `typed_data` reads the EIP-712 domain
    contract: Any
    names: dict[str, str]
    queries: list[tuple[str, str, tuple[Any, ...]]] = field(default_factory=list)

    def address(self, actor: Any) -> Any:
        """An actor's address (names stand for accounts; other values pass through)."""
        if isinstance(actor, str) and actor in self.names.values():
            return next(address for address, name in self.names.items() if name == actor)
        return actor

    def plain(self, value: Any) -> Any:
        """A value with its addresses replaced by actor names, bytes as hex, ints as ints."""
        if isinstance(value, (bytes, bytearray)):
            return "0x" + bytes(value).hex()
        if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
            return self.names.get(to_checksum_address(value), to_checksum_address(value))
        if isinstance(value, (list, tuple)):
            return tuple(self.plain(item) for item in value)
        return value

    def observe(self) -> dict[str, int]:
        """The balances, allowances, nonces and supply this comparison watches, in one batch."""
        with web3.batch_requests() as batch:
            for _label, signature, args in self.queries:
                batch.add(self.contract.get_function_by_signature(signature)(*map(self.address, args)))
            values = batch.execute()
        return {label: value for (label, _signature, _args), value in zip(self.queries, values, strict=True)}

    def run(self, sender: str, signature: str, args: Sequence[Any]) -> Outcome:
        """Calls, then (if the call returns) sends, `signature(args)` from `sender`."""
        function = self.contract.get_function_by_signature(signature)(*map(self.address, args))
        transaction = {"from": self.address(sender)}
        before = self.observe()
        try:
            returned = function.call(transaction)
        except Exception as error:
            return Outcome(error=self.decode_error(revert_data(error)))
        receipt = web3.eth.wait_for_transaction_receipt(function.transact(transaction))
        assert receipt["status"] == 1, "the call returned but the transaction reverted"
        after = self.observe()
        changes = tuple(
            (label, after[label] - before[label]) for label in after if after[label] != before[label]
        )
        return Outcome(None, self.plain(returned), self.decode_events(receipt), changes)

    def decode_error(self, data: bytes) -> tuple[str, tuple[Any, ...]]:
        for entry in [*self.contract.abi, *BUILTIN_ERRORS]:
            if entry.get("type", "error") != "error":
                continue
            types = [item["type"] for item in entry["inputs"]]
            if keccak(text=f"{entry['name']}({','.join(types)})")[:4] == data[:4]:
                return entry["name"], self.plain(decode(types, data[4:]))
        return "unknown error", (self.plain(data),)

    def decode_events(self, receipt: Any) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
        topics = {}
        for entry in self.contract.abi:
            if entry["type"] == "event":
                types = ",".join(item["type"] for item in entry["inputs"])
                topics[keccak(text=f"{entry['name']}({types})")] = entry["name"]
        events: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
        for log in receipt["logs"]:
            name = topics.get(bytes(log["topics"][0]), "unknown event")
            if name == "unknown event":
                events.append((name, (("topics", self.plain(log["topics"])),)))
                continue
            decoded = self.contract.events[name]().process_log(log)
            events.append((name, tuple((key, self.plain(value)) for key, value in decoded["args"].items())))
        return tuple(events)


def revert_data(error: Exception) -> bytes:
    """The revert data a failed `eth_call` carries, whichever exception web3.py raised it as."""
    data = getattr(error, "data", None)
    if data is None and error.args and isinstance(error.args[0], dict):
        data = error.args[0].get("data")
    assert isinstance(data, str) and data.startswith("0x"), f"no revert data in {error!r}"
    return bytes.fromhex(data[2:])


def subject(
    deployed: Any, actors: dict[str, Any], queries: list[tuple[str, str, tuple[Any, ...]]]
) -> Subject:
    contract = web3.eth.contract(address=deployed.address, abi=deployed.abi)
    names: dict[str, str] = {
        to_checksum_address(str(getattr(a, "address", a))): name for name, a in actors.items()
    }
    names[to_checksum_address(deployed.address)] = "token"
    return Subject(deployed, contract, names, queries)


def ledger_queries() -> list[tuple[str, str, tuple[Any, ...]]]:
    """Every balance (the contract's own too), every allowance between the accounts, the supply."""
    balances = [(f"balance {h}", "balanceOf(address)", (h,)) for h in HOLDERS]
    allowances = [
        (f"allowance {owner}->{spender}", "allowance(address,address)", (owner, spender))
        for owner in SPENDERS
        for spender in SPENDERS
    ]
    return [*balances, *allowances, ("totalSupply", "totalSupply()", ())]


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zero() -> str:
    """The zero address as a sender: Anvil impersonates it (and pays its gas)."""
    for method, params in [
        ("anvil_impersonateAccount", [ZERO_ADDRESS]),
        ("anvil_setBalance", [ZERO_ADDRESS, hex(10**18)]),
    ]:
        response = web3.provider.make_request(method, params)
        assert "error" not in response, response
    return ZERO_ADDRESS


@pytest.fixture(scope="module")
def actors(alice: Any, bob: Any, carol: Any, zero: str) -> dict[str, Any]:
    return {"alice": alice, "bob": bob, "carol": carol, "zero": zero}


@pytest.fixture(scope="module")
def tenge(token: Any, minter: Any, alice: Any, bob: Any, actors: dict[str, Any]) -> Subject:
    """The token, 1,000.00 KZT for alice and 500.00 KZT for bob, minted by the minter."""
    token.mint(alice, ALICE_BALANCE, {"from": minter})
    token.mint(bob, BOB_BALANCE, {"from": minter})
    return subject(token, actors, ledger_queries())


@pytest.fixture(scope="module")
def openzeppelin(admin: Any, alice: Any, bob: Any, actors: dict[str, Any]) -> Subject:
    """OpenZeppelin's ERC20 with the same balances."""
    reference = ERC20Mock.deploy({"from": admin})
    reference.mint(alice, ALICE_BALANCE, {"from": admin})
    reference.mint(bob, BOB_BALANCE, {"from": admin})
    return subject(reference, actors, ledger_queries())


# --- The plain ERC-20 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """Calls (sender, function, args) driven on both contracts; `expected` is OpenZeppelin's last outcome."""

    id: str
    calls: tuple[tuple[str, str, tuple[Any, ...]], ...]
    expected: str | None


def transfer(sender: str, to: str, value: int) -> tuple[str, str, tuple[Any, ...]]:
    return (sender, TRANSFER, (to, value))


def transfer_from(spender: str, owner: str, to: str, value: int) -> tuple[str, str, tuple[Any, ...]]:
    return (spender, TRANSFER_FROM, (owner, to, value))


def approve(owner: str, spender: str, value: int) -> tuple[str, str, tuple[Any, ...]]:
    return (owner, APPROVE, (spender, value))


INSUFFICIENT_BALANCE = "ERC20InsufficientBalance"
INSUFFICIENT_ALLOWANCE = "ERC20InsufficientAllowance"
CASES = [
    # transfer
    Case("transfer 0", (transfer("alice", "bob", 0),), None),
    Case("transfer the whole balance", (transfer("alice", "bob", ALICE_BALANCE),), None),
    Case("transfer balance + 1", (transfer("alice", "bob", ALICE_BALANCE + 1),), INSUFFICIENT_BALANCE),
    Case("transfer from an empty account", (transfer("carol", "bob", 1),), INSUFFICIENT_BALANCE),
    Case("transfer 0 from an empty account", (transfer("carol", "bob", 0),), None),
    Case("transfer to oneself", (transfer("alice", "alice", 40_000),), None),
    Case("transfer the whole balance to oneself", (transfer("alice", "alice", ALICE_BALANCE),), None),
    Case(
        "transfer balance + 1 to oneself",
        (transfer("alice", "alice", ALICE_BALANCE + 1),),
        INSUFFICIENT_BALANCE,
    ),
    Case("transfer to the zero address", (transfer("alice", "zero", 1),), "ERC20InvalidReceiver"),
    Case("transfer 0 to the zero address", (transfer("alice", "zero", 0),), "ERC20InvalidReceiver"),
    Case("transfer from the zero address", (transfer("zero", "bob", 1),), "ERC20InvalidSender"),
    Case("transfer 0 from the zero address", (transfer("zero", "bob", 0),), "ERC20InvalidSender"),
    Case("transfer to the token contract", (transfer("alice", "token", 1_000),), None),
    Case(
        "transfer back and forth", (transfer("alice", "bob", 1_000), transfer("bob", "alice", 51_000)), None
    ),
    # approve
    Case("approve 0", (approve("alice", "bob", 0),), None),
    Case("approve max", (approve("alice", "bob", MAX),), None),
    Case("approve beyond the balance", (approve("alice", "bob", ALICE_BALANCE * 10),), None),
    Case("approve oneself", (approve("alice", "alice", 5),), None),
    Case("approve overwrites", (approve("alice", "bob", 100), approve("alice", "bob", 50)), None),
    Case("approve 0 revokes", (approve("alice", "bob", 100), approve("alice", "bob", 0)), None),
    Case("approve the zero address", (approve("alice", "zero", 1),), "ERC20InvalidSpender"),
    Case("approve 0 to the zero address", (approve("alice", "zero", 0),), "ERC20InvalidSpender"),
    Case("approve from the zero address", (approve("zero", "bob", 1),), "ERC20InvalidApprover"),
    Case("approve 0 from an empty account", (approve("carol", "bob", 0),), None),
    # transferFrom
    Case(
        "transferFrom without allowance", (transfer_from("bob", "alice", "carol", 1),), INSUFFICIENT_ALLOWANCE
    ),
    Case("transferFrom 0 without allowance", (transfer_from("bob", "alice", "carol", 0),), None),
    Case(
        "transferFrom exactly the allowance",
        (approve("alice", "bob", 30_000), transfer_from("bob", "alice", "carol", 30_000)),
        None,
    ),
    Case(
        "transferFrom allowance + 1",
        (approve("alice", "bob", 30_000), transfer_from("bob", "alice", "carol", 30_001)),
        INSUFFICIENT_ALLOWANCE,
    ),
    Case(
        "transferFrom the allowance in parts, then 1 more",
        (
            approve("alice", "bob", 30_000),
            transfer_from("bob", "alice", "carol", 10_000),
            transfer_from("bob", "alice", "carol", 20_000),
            transfer_from("bob", "alice", "carol", 1),
        ),
        INSUFFICIENT_ALLOWANCE,
    ),
    Case(
        "transferFrom the whole balance",
        (approve("alice", "bob", ALICE_BALANCE), transfer_from("bob", "alice", "carol", ALICE_BALANCE)),
        None,
    ),
    Case(
        "transferFrom balance + 1 within the allowance",
        (approve("alice", "bob", MAX), transfer_from("bob", "alice", "carol", ALICE_BALANCE + 1)),
        INSUFFICIENT_BALANCE,
    ),
    Case(
        "transferFrom beyond both allowance and balance",
        (approve("alice", "bob", 100), transfer_from("bob", "alice", "carol", ALICE_BALANCE + 1)),
        INSUFFICIENT_ALLOWANCE,
    ),
    Case(
        "infinite allowance is not decreased",
        (
            approve("alice", "bob", MAX),
            transfer_from("bob", "alice", "carol", 30_000),
            transfer_from("bob", "alice", "carol", 30_000),
        ),
        None,
    ),
    Case(
        "allowance of max - 1 is decreased",
        (approve("alice", "bob", MAX - 1), transfer_from("bob", "alice", "carol", 30_000)),
        None,
    ),
    Case(
        "transferFrom to the spender",
        (approve("alice", "bob", 30_000), transfer_from("bob", "alice", "bob", 30_000)),
        None,
    ),
    Case(
        "transferFrom to the owner",
        (approve("alice", "bob", 30_000), transfer_from("bob", "alice", "alice", 30_000)),
        None,
    ),
    Case(
        "transferFrom by the owner without allowance",
        (transfer_from("alice", "alice", "bob", 1),),
        INSUFFICIENT_ALLOWANCE,
    ),
    Case(
        "transferFrom by the owner with an allowance to itself",
        (approve("alice", "alice", 1), transfer_from("alice", "alice", "bob", 1)),
        None,
    ),
    Case(
        "transferFrom to the zero address",
        (approve("alice", "bob", 30_000), transfer_from("bob", "alice", "zero", 1)),
        "ERC20InvalidReceiver",
    ),
    Case(
        "transferFrom from the zero address",
        (transfer_from("bob", "zero", "carol", 1),),
        INSUFFICIENT_ALLOWANCE,
    ),
    Case(
        "transferFrom 0 from the zero address",
        (transfer_from("bob", "zero", "carol", 0),),
        "ERC20InvalidApprover",
    ),
    Case(
        "transferFrom 0 by the zero address",
        (transfer_from("zero", "alice", "carol", 0),),
        "ERC20InvalidSpender",
    ),
    Case(
        "transferFrom after the allowance was revoked",
        (
            approve("alice", "bob", 30_000),
            approve("alice", "bob", 0),
            transfer_from("bob", "alice", "carol", 1),
        ),
        INSUFFICIENT_ALLOWANCE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_plain_erc20_is_openzeppelins(tenge: Subject, openzeppelin: Subject, case: Case) -> None:
    assert tenge.observe() == openzeppelin.observe(), "the two ledgers must start alike"
    reference = [openzeppelin.run(*call) for call in case.calls]
    assert reference[-1].error_name == case.expected, "the case does not test what it says"
    assert [tenge.run(*call) for call in case.calls] == reference


# --- Permit against OpenZeppelin's ERC20Permit -----------------------------------------------------


@dataclass(frozen=True)
class Permit:
    """A permit as a wallet would build it; what differs from a plain valid permit is named."""

    key: str = "signer"  # whose key signs
    owner: str = "signer"
    spender: str = "bob"
    value: int = 25_000
    submitted_value: int | None = None  # submitted with another value than the signed one
    nonce_ahead: int = 0  # signed for a nonce this far past the owner's next
    deadline: str = "in an hour"
    replay: bool = False  # resubmits the previous permit exactly


@dataclass(frozen=True)
class PermitCase:
    id: str
    permits: tuple[Permit, ...]
    expected: str | None


PERMIT_CASES = [
    PermitCase("valid", (Permit(),), None),
    PermitCase("nonces increment", (Permit(), Permit(value=1_000), Permit(spender="carol")), None),
    PermitCase("no deadline", (Permit(deadline="never"),), None),
    PermitCase("expired", (Permit(deadline="a second ago"),), "ERC2612ExpiredSignature"),
    PermitCase("wrong signer", (Permit(key="impostor"),), "ERC2612InvalidSigner"),
    PermitCase("altered value", (Permit(submitted_value=25_001),), "ERC2612InvalidSigner"),
    PermitCase("replayed", (Permit(), Permit(replay=True)), "ERC2612InvalidSigner"),
    PermitCase("next nonce skipped", (Permit(nonce_ahead=1),), "ERC2612InvalidSigner"),
    PermitCase("to the zero address", (Permit(spender="zero"),), "ERC20InvalidSpender"),
    PermitCase("for the zero address", (Permit(owner="zero"),), "ERC2612InvalidSigner"),
]


def permit_queries() -> list[tuple[str, str, tuple[Any, ...]]]:
    owners_spenders = [("signer", "bob"), ("signer", "carol"), ("signer", "zero"), ("zero", "bob")]
    return [
        *[(f"nonce {owner}", "nonces(address)", (owner,)) for owner in ("signer", "zero")],
        *[(f"allowance {o}->{s}", "allowance(address,address)", (o, s)) for o, s in owners_spenders],
    ]


@pytest.fixture(scope="module")
def permit_actors(actors: dict[str, Any], signer: Any, impostor: Any) -> dict[str, Any]:
    return {**actors, "signer": signer, "impostor": impostor}


@pytest.fixture(scope="module")
def tenge_permit(token: Any, permit_actors: dict[str, Any]) -> Subject:
    return subject(token, permit_actors, permit_queries())


@pytest.fixture(scope="module")
def openzeppelin_permit(admin: Any, permit_actors: dict[str, Any]) -> Subject:
    return subject(ERC20PermitMock.deploy({"from": admin}), permit_actors, permit_queries())


def sign_permit(target: Subject, key: Any, message: dict[str, Any]) -> bytes:
    """`key`'s 65-byte signature of the permit `message` over `target`'s own domain."""
    full_message = typed_data(target.deployed, "Permit", message)
    return bytes(Account.sign_typed_data(key.private_key, full_message=full_message).signature)


def name_the_recovered_signer(target: Subject, message: dict[str, Any], signature: bytes) -> None:
    """Names the address ECDSA recovers from `signature` over `message` as `target` now reads it:
    the address ERC2612InvalidSigner must report. It depends on each contract's own domain."""
    signable = encode_typed_data(full_message=typed_data(target.deployed, "Permit", message))
    recovered = to_checksum_address(Account.recover_message(signable, signature=signature))
    for address in [a for a, name in target.names.items() if name == "recovered signer"]:
        del target.names[address]
    target.names.setdefault(recovered, "recovered signer")


def run_permits(target: Subject, permits: Sequence[Permit], keys: dict[str, Any], now: int) -> list[Outcome]:
    """Submits the permits in order on `target` (bob relays them), each signed over its domain."""
    deadlines = {"in an hour": now + 3600, "a second ago": now - 1, "never": MAX}
    outcomes: list[Outcome] = []
    signed: tuple[dict[str, Any], bytes] | None = None
    for permit in permits:
        if not permit.replay:
            owner = target.address(permit.owner)
            message = {
                "owner": owner,
                "spender": target.address(permit.spender),
                "value": permit.value,
                "nonce": target.deployed.nonces(owner) + permit.nonce_ahead,
                "deadline": deadlines[permit.deadline],
            }
            if permit.submitted_value is not None:
                message = {**message, "value": permit.submitted_value}
                signature = sign_permit(target, keys[permit.key], {**message, "value": permit.value})
            else:
                signature = sign_permit(target, keys[permit.key], message)
            signed = (message, signature)
        assert signed is not None, "a replay needs a permit before it"
        message, signature = signed
        # What the contract hashes: the submitted message at the owner's current nonce.
        read = {**message, "nonce": target.deployed.nonces(message["owner"])}
        name_the_recovered_signer(target, read, signature)
        arguments = (*(message[k] for k in ("owner", "spender", "value", "deadline")), *split(signature))
        outcomes.append(target.run("bob", PERMIT, arguments))
    return outcomes


def split(signature: bytes) -> tuple[int, bytes, bytes]:
    """(v, r, s) of a 65-byte (r, s, v) signature."""
    return signature[64], signature[:32], signature[32:64]


@pytest.mark.parametrize("case", PERMIT_CASES, ids=[case.id for case in PERMIT_CASES])
def test_permit_is_openzeppelins(
    tenge_permit: Subject, openzeppelin_permit: Subject, signer: Any, impostor: Any, case: PermitCase
) -> None:
    keys, now = {"signer": signer, "impostor": impostor}, chain_now()
    assert tenge_permit.observe() == openzeppelin_permit.observe(), "nonces and allowances start alike"
    reference = run_permits(openzeppelin_permit, case.permits, keys, now)
    assert reference[-1].error_name == case.expected, "the case does not test what it says"
    assert run_permits(tenge_permit, case.permits, keys, now) == reference


def test_malformed_permit_signature_is_reported_unlike_openzeppelin(
    tenge_permit: Subject, openzeppelin_permit: Subject, signer: Any
) -> None:
    """A documented difference (ERC20PermitSignatureUpgradeable): OpenZeppelin's ECDSA.recover reverts
    with its own error on a recovery byte that is neither 27 nor 28; the token, whose contract owners
    may accept any bytes, reports ERC2612InvalidSigner(address(0), owner)."""
    deadline = chain_now() + 3600
    errors = []
    for target in (tenge_permit, openzeppelin_permit):
        message = {"owner": signer.address, "spender": target.address("bob"), "value": 1, "nonce": 0}
        _v, r, s = split(sign_permit(target, signer, {**message, "deadline": deadline}))
        errors.append(target.run("bob", PERMIT, (signer.address, "bob", 1, deadline, 29, r, s)).error)
    assert errors == [("ERC2612InvalidSigner", ("zero", "signer")), ("ECDSAInvalidSignature", ())]
