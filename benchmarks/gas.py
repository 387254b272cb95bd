"""Gas per operation: the Digital Tenge and two baselines, each operation in the same transaction shape.

Every figure is a receipt's `gasUsed`. Each operation is one transaction starting from the same funded
state (`fund`), so every storage slot it touches is cold; an operation's `state` says which slots hold a
value before it runs (writing a zero slot costs 20,000 gas, a non-zero one 2,900). The suite's
`tests/test_gas_snapshot.py` runs the same `OPS` on its own `token` fixture and compares them with
`gas-snapshot.json`.

Our token runs as deployed: the wallet policy on, with its default tiers (holders in tier 0), and every
holder has sent before today, so its policy record exists (a wallet's very first limited transfer pays
about 20,000 gas more to create it). Adding a row is one line in `OPS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brownie import BareERC20, SoladyERC20, TengeEarmarks, accounts, chain, web3
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from benchmarks import dev_key
from scripts.deploy import deploy_token

OURS, BARE, SOLADY = "tenge", "bare", "solady"
KINDS = (OURS, BARE, SOLADY)
ALL = KINDS
LABELS = {OURS: "Digital Tenge (proxy)", BARE: "OpenZeppelin 5 ERC20", SOLADY: "Solady ERC20"}
SNAPSHOT = Path(__file__).with_name("gas-snapshot.json")

# The suite's actors (tests/conftest.py): the same accounts make the same calldata, hence the same gas.
ACTORS = {
    "admin": 0,
    "minter_admin": 1,
    "minter": 2,
    "freezer": 4,
    "blocklister": 5,
    "proposer": 6,
    "kyc": 13,
    "approver": 14,
    "budget": 15,
}
HOLDERS = {"alice": 9, "bob": 10, "carol": 11}
ROLE_ACCOUNTS = {
    "MINTER_ADMIN_ROLE": 1,
    "PAUSER_ROLE": 3,
    "FREEZER_ROLE": 4,
    "BLOCKLISTER_ROLE": 5,
    "SEIZURE_PROPOSER_ROLE": 6,
    "SEIZURE_APPROVER_ROLE": 14,
    "RESCUER_ROLE": 7,
    "UPGRADER_ROLE": 8,
    "KYC_ROLE": 13,
}
ADMIN_DELAY = 86_400
MINTER_ALLOWANCE = 100_000_000
FUNDS = {"alice": 100_000, "bob": 50_000, "minter": 10_000}
AMOUNT = 1_000  # 10.00 KZT: every transfer, mint, burn and seizure moves this much
ALLOWANCE = 5_000
REASON = keccak(text="Court order 2-1234/2026")
ORDER = keccak(text="Court order 2-1235/2026")  # the hold a seizure executes
TERM = 30 * 86_400  # a freeze's or hold's term
# 0xEE6B2800 (year 2096) plus 1..200: four non-zero bytes whatever is added, so calldata costs the same.
DEADLINE_BASE = 0xEE6B2800


@dataclass
class World:
    """One token (ours or a baseline) and the accounts that act on it."""

    token: Any
    kind: str
    earmarks: Any = None  # set by an earmark operation's setup

    def __getattr__(self, name: str) -> Any:
        index = {**ACTORS, **HOLDERS}.get(name)
        if index is None:
            raise AttributeError(name)
        return accounts[index]

    def key(self, name: str) -> LocalAccount:
        """The private key of a holder (the dev mnemonic's)."""
        return dev_key(HOLDERS[name])


Action = Callable[[World], Any]


@dataclass(frozen=True)
class GasOp:
    """One row of the gas table: `act` is measured, after `setup` (not measured) on the funded state."""

    name: str
    state: str
    act: Action
    kinds: tuple[str, ...] = ALL
    setup: Action | None = None
    # Addresses the call passes as arguments (the token's, to the seizure controller): they depend on
    # the deployer's nonce, and each zero byte makes calldata 12 gas cheaper; counted as if they had none.
    addresses: Callable[[World], tuple[str, ...]] | None = None


# --- the operations ------------------------------------------------------------------------------------


def transfer_new_holder(w: World) -> Any:
    return w.token.transfer(w.carol, AMOUNT, {"from": w.alice})


def transfer_existing(w: World) -> Any:
    return w.token.transfer(w.bob, AMOUNT, {"from": w.alice})


def transfer_with_reference(w: World) -> Any:
    # A reference with no zero byte: calldata the same shape as a payout row's derived reference.
    return w.token.transferWithReference(w.bob, AMOUNT, "0x" + "ab" * 32, {"from": w.alice})


def approve(w: World) -> Any:
    return w.token.approve(w.bob, ALLOWANCE, {"from": w.alice})


def transfer_from(w: World) -> Any:
    return w.token.transferFrom(w.alice, w.bob, AMOUNT, {"from": w.bob})


def permit(w: World) -> Any:
    owner = w.key("alice")
    for i in range(1, 200):
        deadline = DEADLINE_BASE + i
        message = {"owner": owner.address, "spender": w.bob.address, "value": ALLOWANCE, "nonce": 0}
        v, r, s = _sign(w, owner, "Permit", {**message, "deadline": deadline})
        if 0 not in r + s:  # a zero byte of calldata costs 4 gas, not 16: keep the shape identical
            return w.token.permit(owner.address, w.bob, ALLOWANCE, deadline, v, r, s, {"from": w.bob})
    raise RuntimeError("no permit signature without zero bytes in 200 deadlines")


def transfer_with_authorization(w: World) -> Any:
    owner = w.key("alice")
    valid_before = DEADLINE_BASE + 1
    for i in range(200):
        nonce = keccak(text=f"bench authorization {i}")
        message = {"from": owner.address, "to": w.bob.address, "value": AMOUNT}
        message |= {"validAfter": 0, "validBefore": valid_before, "nonce": nonce}
        v, r, s = _sign(w, owner, "TransferWithAuthorization", message)
        if 0 not in nonce + r + s:
            args = (owner.address, w.bob, AMOUNT, 0, valid_before, nonce, v, r, s)
            return w.token.transferWithAuthorization(*args, {"from": w.carol})
    raise RuntimeError("no authorization without zero bytes in 200 nonces")


def mint(w: World) -> Any:
    return w.token.mint(w.alice, AMOUNT, {"from": w.minter})


def burn(w: World) -> Any:
    return w.token.burn(AMOUNT, {"from": w.minter})


def expiry() -> int:
    """A freeze's or hold's expiry a term from the chain's clock, with no zero byte: calldata costs the
    same whatever the day (a zero byte is 12 gas cheaper)."""
    at = int(chain[-1].timestamp) + TERM
    while any(byte == 0 for byte in at.to_bytes(4, "big")):
        at += 1  # at most 18 hours on (the third byte stays zero for 65,536 s): well inside the term
    return at


def freeze(w: World) -> Any:
    return w.token.freeze(w.alice, expiry(), REASON, {"from": w.freezer})


def place_hold(w: World) -> Any:
    return w.token.placeHold(w.alice, AMOUNT, expiry(), ORDER, {"from": w.freezer})


def release_hold(w: World) -> Any:
    return w.token.releaseHold(w.alice, ORDER, AMOUNT // 2, REASON, {"from": w.freezer})


def propose_seizure(w: World) -> Any:
    seizures = w.token._seizure_controller
    return seizures.proposeSeizure(w.token, w.alice, w.bob, AMOUNT, ORDER, REASON, {"from": w.proposer})


def approve_seizure(w: World) -> Any:
    return w.token._seizure_controller.approveSeizure(1, REASON, {"from": w.approver})


def execute_seizure(w: World) -> Any:
    return w.token._seizure_controller.executeSeizure(1, {"from": w.approver})


def held_and_proposed(w: World) -> None:
    place_hold(w)
    propose_seizure(w)


def frozen_held_proposed_approved(w: World) -> None:
    """Alice frozen, her hold under the order, its seizure proposed and approved (notice 0)."""
    freeze(w)
    held_and_proposed(w)
    approve_seizure(w)


def block(w: World) -> Any:
    return w.token.blockAccount(w.alice, REASON, {"from": w.blocklister})


def next_utc_day(w: World) -> None:
    """The next UTC day has begun: the sender's outflow record is from yesterday."""
    chain.sleep(86_400)
    chain.mine()


def policy_off(w: World) -> None:
    w.token.setPolicyEnabled(False, REASON, {"from": w.admin})


def bob_at_his_limit(w: World) -> None:
    """Bob's tier holds half a transfer more than he has; the rest goes on to his bank (the minter)."""
    tier = 4
    w.token.setTierLimits(tier, w.token.balanceOf(w.bob) + AMOUNT // 2, 2**256 - 1, REASON, {"from": w.admin})
    w.token.setTier(w.bob, tier, REASON, {"from": w.kyc})
    w.token.setLinkedAccount(w.bob, w.minter, REASON, {"from": w.kyc})
    w.token.acceptLinkedAccount(w.minter, {"from": w.bob})


# --- earmarked money (issue 16): the earmark contract beside the token, a purpose, alice and bob approved


def purpose_open(w: World, bob_kind: int = 1) -> None:
    """An earmark contract (a system account, tier 3) with purpose 1: alice intermediate, bob of
    `bob_kind` (1 intermediate, 2 final); the budget holder deposited 10 x AMOUNT."""
    earmarks = TengeEarmarks.deploy(w.token, {"from": w.admin})
    w.token.setTier(earmarks, 3, REASON, {"from": w.kyc})
    w.token.grantRole(earmarks.BUDGET_HOLDER_ROLE(), w.budget, {"from": w.admin})
    w.token.mint(w.budget, 10 * AMOUNT, {"from": w.minter})
    w.token.approve(earmarks, 10 * AMOUNT, {"from": w.budget})
    earmarks.createPurpose(REASON, DEADLINE_BASE, REASON, {"from": w.budget})
    earmarks.approveRecipient(1, w.alice, 1, REASON, {"from": w.budget})
    earmarks.approveRecipient(1, w.bob, bob_kind, REASON, {"from": w.budget})
    earmarks.deposit(1, 9 * AMOUNT, {"from": w.budget})
    w.earmarks = earmarks


def earmarked_to_alice(w: World, bob_kind: int = 1) -> None:
    purpose_open(w, bob_kind)
    w.earmarks.earmark(1, w.alice, 2 * AMOUNT, ORDER, {"from": w.budget})


def deposit(w: World) -> Any:
    return w.earmarks.deposit(1, AMOUNT, {"from": w.budget})


def earmark(w: World) -> Any:
    return w.earmarks.earmark(1, w.alice, AMOUNT, REASON, {"from": w.budget})


def pay_earmarked(w: World) -> Any:
    return w.earmarks.pay(1, w.bob, AMOUNT, {"from": w.alice})


OPS: list[GasOp] = [
    GasOp("transfer, new holder", "sender holds; receiver never held", transfer_new_holder),
    GasOp("transfer, existing holders", "both hold a balance", transfer_existing),
    GasOp(
        "transfer, first of the day",
        "both hold; the sender last sent yesterday (UTC)",
        transfer_existing,
        (OURS,),
        next_utc_day,
    ),
    GasOp("transferFrom", "finite allowance left non-zero; both hold", transfer_from, setup=approve),
    GasOp(
        "transferWithReference",
        "both hold; the sender's first use of the reference (it pays once)",
        transfer_with_reference,
        (OURS,),
    ),
    GasOp("approve", "allowance 0 -> non-zero", approve),
    GasOp("permit", "allowance 0 -> non-zero, first nonce; relayed", permit),
    GasOp(
        "transferWithAuthorization", "both hold; fresh nonce; relayed", transfer_with_authorization, (OURS,)
    ),
    GasOp("mint", "receiver holds; supply non-zero", mint),
    GasOp("burn", "minter holds; supply non-zero", burn, (OURS,)),
    GasOp("freeze", "account not frozen", freeze, (OURS,)),
    GasOp("block", "account not blocked", block, (OURS,)),
    GasOp("placeHold", "account without holds", place_hold, (OURS,)),
    GasOp("releaseHold", "half of the account's one hold", release_hold, (OURS,), setup=place_hold),
    GasOp(
        "proposeSeizure",
        "the seizure controller's first record",
        propose_seizure,
        (OURS,),
        place_hold,
        addresses=lambda w: (str(w.token.address),),
    ),
    GasOp("approveSeizure", "a proposed seizure, notice 0", approve_seizure, (OURS,), held_and_proposed),
    GasOp(
        "seize",
        "executeSeizure: a frozen holder's approved seizure of its hold, to a holder",
        execute_seizure,
        (OURS,),
        frozen_held_proposed_approved,
    ),
    GasOp(
        "transfer, policy off",
        "both hold; wallet policy switched off",
        transfer_existing,
        (OURS,),
        policy_off,
    ),
    GasOp(
        "transfer, waterfall",
        "receiver reaches its holding limit; the excess goes on to its linked account",
        transfer_existing,
        (OURS,),
        bob_at_his_limit,
    ),
    GasOp(
        "earmark deposit", "the purpose's pool holds; the funder's allowance", deposit, (OURS,), purpose_open
    ),
    GasOp(
        "earmark to a holder",
        "from the pool to an intermediate recipient that held none; a new disbursement id",
        earmark,
        (OURS,),
        purpose_open,
    ),
    GasOp(
        "earmark to a holder that holds",
        "from the pool to an intermediate recipient that holds earmarked money; a new disbursement id",
        earmark,
        (OURS,),
        earmarked_to_alice,
    ),
    GasOp(
        "earmark pay, intermediate",
        "the holder pays on, still earmarked, to one that held none",
        pay_earmarked,
        (OURS,),
        earmarked_to_alice,
    ),
    GasOp(
        "earmark pay, final",
        "the holder pays a final recipient: plain DKZT to a holder",
        pay_earmarked,
        (OURS,),
        lambda w: earmarked_to_alice(w, 2),
    ),
]
# Earmarked money's operations, each against a plain transfer (issue 16's target: 2x at most).
EARMARK_OPS = (
    "earmark deposit",
    "earmark to a holder",
    "earmark to a holder that holds",
    "earmark pay, intermediate",
    "earmark pay, final",
)
# The token's own interventions; proposing and approving are the seizure controller's records.
INTERVENTIONS = ("freeze", "block", "placeHold", "seize")


def _sign(w: World, key: LocalAccount, primary: str, message: dict[str, Any]) -> tuple[int, bytes, bytes]:
    signed = Account.sign_typed_data(key.key, _domain(w), {primary: _TYPES[primary]}, message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def _domain(w: World) -> dict[str, Any]:
    if w.kind == SOLADY:  # no EIP-5267 eip712Domain(); its domain is (name(), "1", chain id, address)
        return {
            "name": w.token.name(),
            "version": "1",
            "chainId": chain.id,
            "verifyingContract": w.token.address,
        }
    _fields, name, version, chain_id, verifying, _salt, _ext = w.token.eip712Domain()
    return {"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying}


def _fields(*pairs: str) -> list[dict[str, str]]:
    return [{"name": name, "type": kind} for name, kind in (pair.split() for pair in pairs)]


_TYPES = {
    "Permit": _fields(
        "owner address", "spender address", "value uint256", "nonce uint256", "deadline uint256"
    ),
    "TransferWithAuthorization": _fields(
        "from address",
        "to address",
        "value uint256",
        "validAfter uint256",
        "validBefore uint256",
        "nonce bytes32",
    ),
}


# --- worlds and measurement ----------------------------------------------------------------------------


def deploy(kind: str) -> tuple[Any, int]:
    """Deploys `kind` as the suite does (ours: behind its proxy, roles granted); returns it and its gas."""
    admin = accounts[ACTORS["admin"]]
    if kind == BARE:
        token = BareERC20.deploy({"from": admin})
        return token, token.tx.gas_used
    if kind == SOLADY:
        token = SoladyERC20.deploy({"from": admin})
        return token, token.tx.gas_used
    token = deploy_token(admin, admin_delay=ADMIN_DELAY)
    for role, index in ROLE_ACCOUNTS.items():
        token.grantRole(getattr(token, role)(), accounts[index], {"from": admin})
    token._controller.configureMinter(
        token,
        accounts[ACTORS["minter"]],
        MINTER_ALLOWANCE,
        REASON,
        {"from": accounts[ACTORS["minter_admin"]]},
    )
    # As on a local chain (and the suite's token): a seizure executes at its approval. A shorter
    # notice waits for the admin's delay.
    shortened = token._seizure_controller.setNoticePeriod(token, 0, REASON, {"from": admin})
    effective_at = int(shortened.events["NoticePeriodChanged"]["effectiveAt"])
    web3.provider.make_request("evm_setNextBlockTimestamp", [effective_at])
    chain.mine()
    return token, deploy_gas(token)


def deploy_gas(token: Any) -> int:
    """Implementation plus proxy deployment (the proxy's constructor runs the set-up): what each token
    costs. The mint controller and the set-up (`DigitalTengeInitializer`) are deployed once per chain and
    serve every token: not counted here.

    The constructors' arguments hold the controllers' and the implementation's addresses, which depend on
    the deployer's nonce; each zero byte of them makes calldata 12 gas cheaper. Counted as if they had
    none, so the figure depends on the code only.
    """
    implementation, proxy = token._implementation, token._proxy
    addresses = (implementation.address, token._controller.address, token._seizure_controller.address)
    zero_bytes = sum(bytes.fromhex(address[2:]).count(0) for address in addresses)
    return int(implementation.tx.gas_used + proxy.tx.gas_used + 12 * zero_bytes)


def fund(w: World) -> None:
    """The state every operation starts from: alice, bob and the minter hold tokens, and alice and bob
    have each sent once today (with the policy on, their day's outflow record exists)."""
    for name, amount in FUNDS.items():
        w.token.mint(getattr(w, name), amount, {"from": w.minter})
    w.token.transfer(w.bob, 1, {"from": w.alice})
    w.token.transfer(w.alice, 1, {"from": w.bob})


def run_op(w: World, op: GasOp) -> int:
    """Runs `op` on a funded world; its gas used (the transaction must succeed)."""
    if op.setup is not None:
        op.setup(w)
    tx = op.act(w)
    if tx.status != 1:
        raise RuntimeError(f"{op.name} on {w.kind} failed")
    passed = op.addresses(w) if op.addresses is not None else ()
    return int(tx.gas_used) + 12 * sum(bytes.fromhex(address[2:]).count(0) for address in passed)


def measure(ops: list[GasOp] = OPS) -> tuple[dict[str, dict[str, int | None]], dict[str, int]]:
    """Gas of every op on every kind, on the chain brownie is connected to: {op: {kind: gas or None}};
    and, for each kind, how many cold storage slots its transfer between existing holders reads."""
    table: dict[str, dict[str, int | None]] = {"deploy": {}}
    table.update({op.name: dict.fromkeys(KINDS) for op in ops})
    cold: dict[str, int] = {}
    for kind in KINDS:
        chain.reset()
        token, gas = deploy(kind)
        table["deploy"][kind] = gas
        world = World(token, kind)
        fund(world)
        chain.snapshot()
        for op in ops:
            if kind in op.kinds:
                table[op.name][kind] = run_op(world, op)
                chain.revert()
        cold[kind] = cold_sloads(transfer_existing(world).txid)
        chain.revert()
    return table, cold


def cold_sloads(tx_hash: str) -> int:
    """How many storage reads of a transaction pay the cold price (2,100 gas): Anvil's opcode trace."""
    trace = web3.provider.make_request(
        "debug_traceTransaction", [tx_hash, {"disableStorage": True, "disableMemory": True}]
    )
    return sum(step["op"] == "SLOAD" and step["gasCost"] == 2100 for step in trace["result"]["structLogs"])


# Each kind's deployed contract: for ours, the implementation (the proxy's code is 1.4 KB beside it).
CONTRACT_NAMES = {OURS: "DigitalTenge", BARE: "BareERC20", SOLADY: "SoladyERC20"}
SIZE_LIMIT = 24_576  # EIP-170: no chain deploys more runtime code


BUILD = Path(__file__).resolve().parent.parent / "build" / "contracts"


def runtime_sizes(build: Path = BUILD) -> dict[str, int]:
    """Runtime bytecode size in bytes of each kind, as compiled in this run."""
    sizes = {}
    for kind, name in CONTRACT_NAMES.items():
        code = json.loads((build / f"{name}.json").read_text())["deployedBytecode"]
        sizes[kind] = len(code) // 2
    return sizes


def snapshot_of(table: dict[str, dict[str, int | None]]) -> dict[str, int]:
    """Our figures only: what `tests/test_gas_snapshot.py` compares exactly."""
    return {name: gas[OURS] for name, gas in table.items() if gas.get(OURS) is not None}  # type: ignore[misc]


def write_snapshot(table: dict[str, dict[str, int | None]], path: Path = SNAPSHOT) -> None:
    figures = {**snapshot_of(table), "runtime size (bytes)": runtime_sizes()[OURS]}
    path.write_text(json.dumps(figures, indent=1) + "\n")


def read_snapshot(path: Path = SNAPSHOT) -> dict[str, int]:
    return {str(k): int(v) for k, v in json.loads(path.read_text()).items()}
