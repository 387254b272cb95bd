"""Stateful, everything at once: every path that moves value and every control, against one model.

One machine drives transfers (plain, by allowance, with a reference, signed: permit then transferFrom,
EIP-3009 transfer and receive and their cancellation, multicall batches of them), mints, burns and
seizures through the seizure controller (proposed, approved, executed, cancelled, after a notice the
admin sets), and every restriction: freezes and holds with their expiries (several holds per account,
each under its order, up to MAX_HOLDS; an order used once), the longest term, blocks, tiers and their
limits, links (the waterfall), the policy switch, the pause, the supply cap, every route into and out of
a minter's record at the mint controller (and MINTER_ROLE granted and revoked in the token, which must
change nothing), and time moving across UTC midnight and to each restriction's expiry (at it, or a
second before). Each example starts from its own world (`initialize_world`). `fuzz_model.Ledger`
predicts each outcome: the exact custom error, or the exact events, balances, allowances, freezes and
holds (lapsing exactly when the chain's clock reaches their expiry), outflows, minter allowances and
seizure records.

The invariants compare the chain with the model after every step, and check from the chain alone
(its views and the step's events): the supply is the sum of balances; nobody blocked receives, sends,
acts, or is routed through; nothing frozen or held is debited except by the seizure that executes an
order's hold, which never takes more than that hold nor what other orders hold; a hold changes only by
its own release or seizure, or lapses at its expiry; no daily outflow or holding limit is exceeded; no
minter mints beyond its allowance.

FUZZ_STEPS sets the budget (default: the short profile `make test` runs), FUZZ_DEPTH the steps per
example, FUZZ_SEED the seed (a run is reproducible from it); `make fuzz` runs the deep profile and, on
a failure, writes the shrunk example as a regression test to tests/stateful/regressions/.
FUZZ_SHRINK=0 and FUZZ_REPORT=<json> serve tools/mutation_check.py (the step of the first failure).
"""

from __future__ import annotations

import gc
import json
import os
import random
import sys
import time
import unittest
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

import brownie
import fuzz_regressions
import hypothesis
import pytest
import requests
from brownie import accounts, web3
from brownie.exceptions import VirtualMachineError
from brownie.test import strategy
from conftest import OTHER_REASON, REASON, reverts_with
from eth_abi.abi import decode
from eth_account import Account
from eth_utils.crypto import keccak
from fuzz_model import (
    APPROVED,
    DAY,
    MAX_HOLD,
    MAX_HOLDS,
    MAX_TERM,
    MINTER_ROLE,
    NO_CAP,
    PROPOSED,
    UINT256_MAX,
    ZERO,
    Authorization,
    Event,
    Hold,
    Ledger,
    Minter,
    Refused,
    Roles,
    Seizure,
    Setting,
)
from hypothesis import Phase
from hypothesis import strategies as st
from hypothesis.reporting import with_reporter

ACTORS = 5
Operation = Callable[[Ledger], None]
REASONS = (REASON.lower(), OTHER_REASON.lower())
# The orders holds are placed under: more than MAX_HOLDS, so that a full account still has new ones.
ORDERS = tuple("0x" + keccak(text=f"order {i}").hex() for i in range(MAX_HOLDS + 2))
# A new freeze's or hold's term: short ones lapse within an example's waits; the longest term and one
# second more (refused), and an expiry at or before the block's time (refused).
TERMS = (60, 3_600, 2 * 3_600, DAY, "max", "max+1", 0, 1)
NOTICES = (0, 0, 60, 3_600, MAX_TERM + 1)  # the last refused
MAX_TERMS = (DAY, 90 * DAY, 2 * DAY, 0, MAX_TERM + 1)  # the last two refused
NO_REASON = "0x" + "00" * 32  # what a minter's own renunciation cites
TIERS = 5  # 0-3 configured below, 4 left unconfigured (TierNotConfigured)
# Small limits, so that the machine's amounts (up to 30,000 tiyn) reach them within a few steps: the
# opening balances leave 5,000-10,000 tiyn of room, and two wallets start linked to another account.
LIMITS = {0: (25_000, 8_000), 1: (40_000, 20_000), 2: (15_000, 4_000), 3: (UINT256_MAX, UINT256_MAX)}
# The last is out of range; the one before it for tier 0 only, whose limits are 40 bits in the token's word.
MAX_BALANCES = (0, 5_000, 15_000, 25_000, 40_000, UINT256_MAX, 2**40 - 1, 2**96 - 1)
DAILY_OUTFLOWS = (0, 2_000, 8_000, 20_000, UINT256_MAX)
TIER_OF_ACTOR = (0, 1, 2, 3, 0)
OPENING_BALANCES = (20_000, 30_000, 10_000, 50_000, 0)
LINKS = {0: 3, 2: 1}  # actor 0's excess goes to actor 3 (unlimited: a bank), actor 2's to actor 1
# (allowance, capacity, refill per second): a fixed allowance, a refilling one, and none.
MINTER_SETTINGS = {0: (40_000, 40_000, 0), 1: (10_000, 30_000, 5)}
MINTER_CHOICES = ((0, 0, 0), (5_000, 5_000, 0), (20_000, 20_000, 0), (1_000, 10_000, 7), (0, 4_000, 100))
# Who may spend whose tiyn at the start: nothing, a finite amount, or everything (never written back).
ALLOWANCE_PATTERN = (0, 25_000, UINT256_MAX)
MNEMONIC = "test test test test test test test test test test test junk"
FIRST_ACTOR_INDEX = 14  # accounts 0-13 are conftest's named role holders and actors
SHORT_STEPS = 500
PROGRESS = 1_000  # a line every this many steps
DEPTH = 50
COUNTED_EVENTS = (
    "Waterfall",
    "Seized",
    "Minted",
    "MinterRemoved",
    "PaymentReference",
    "Frozen",
    "HoldPlaced",
    "HoldReleased",
    "SeizureCancelled",
)
PERMIT_FIELDS = "(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
PERMIT_TYPEHASH = keccak(text="Permit" + PERMIT_FIELDS)
AUTH_FIELDS = "(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
TRANSFER_AUTH_TYPEHASH = keccak(text="TransferWithAuthorization" + AUTH_FIELDS)
RECEIVE_AUTH_TYPEHASH = keccak(text="ReceiveWithAuthorization" + AUTH_FIELDS)
CANCEL_AUTH_TYPEHASH = keccak(text="CancelAuthorization(address authorizer,bytes32 nonce)")
PERMIT_VRS = "address,address,uint256,uint256,uint8,bytes32,bytes32"
PERMIT_BYTES = "address,address,uint256,uint256,bytes"
AUTH_VRS = "address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32"
AUTH_BYTES = "address,address,uint256,uint256,uint256,bytes32,bytes"


@dataclass(frozen=True)
class World:
    """The token and everyone who acts on it, built once per module."""

    token: Any
    controller: Any
    actors: list[Any]
    keys: list[bytes]
    admin: Any
    minter_admin: Any
    pauser: Any
    freezer: Any
    blocklister: Any
    proposer: Any
    approver: Any
    kyc: Any
    seizures: Any  # the seizure controller

    def roles(self) -> Roles:
        return Roles(
            *(
                str(a.address).lower()
                for a in (
                    self.admin,
                    self.minter_admin,
                    self.pauser,
                    self.freezer,
                    self.blocklister,
                    self.proposer,
                    self.approver,
                    self.kyc,
                )
            )
        )


@dataclass(frozen=True)
class AccountView:
    balance: int
    blocked: bool
    frozen: bool
    frozen_until: int
    held: int
    holds: tuple[int, ...]  # holdOf's amount, one per ORDERS
    hold_expiries: tuple[int, ...]  # holdOf's expiry, one per ORDERS
    tier: int
    outflow: int
    linked: str
    minter: bool
    minter_allowance: int
    minter_capacity: int
    minter_refill: int
    nonce: int
    can_send: int
    can_receive: int


@dataclass(frozen=True)
class View:
    """Everything the invariants read, from the chain (one multicall) or as the model predicts it."""

    height: int
    timestamp: int
    supply: int
    paused: bool
    policy: bool
    cap: int
    limits: tuple[tuple[int, int], ...]
    accounts: tuple[AccountView, ...]
    allowances: tuple[int, ...]  # owner-major: allowances[ACTORS * owner + spender]
    max_term: int
    notice: int
    seizure_count: int
    seizures: tuple[Seizure, ...]  # the controller's records 1..seizure_count


def differences(chain: Any, model: Any, path: str = "") -> list[str]:
    """The fields where two views differ, as `path: chain != model` lines."""
    if type(chain) is not type(model) or not hasattr(chain, "__dataclass_fields__"):
        if isinstance(chain, tuple) and isinstance(model, tuple) and len(chain) == len(model):
            return [
                d
                for i, (c, m) in enumerate(zip(chain, model, strict=True))
                for d in differences(c, m, f"{path}[{i}]")
            ]
        return [] if chain == model else [f"{path}: chain {chain!r} != model {model!r}"]
    return [
        d
        for f in fields(chain)
        for d in differences(getattr(chain, f.name), getattr(model, f.name), f"{path}.{f.name}")
    ]


def plain(value: Any) -> object:
    """An event or call value as the model writes it: lower-case hex for addresses and bytes32."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str):
        return value.lower()
    return value


def word(address: str) -> bytes:
    return bytes.fromhex(address[2:].rjust(64, "0"))


def uint(value: int) -> bytes:
    return value.to_bytes(32, "big")


class FuzzMachine:
    st_actor = strategy("uint8", max_value=ACTORS - 1)
    st_someone = strategy("uint8", max_value=2 * ACTORS - 1)  # 1..ACTORS: that actor, minus one; else nobody
    st_target = strategy("uint8", max_value=2 * ACTORS)  # actor index % ACTORS; 2 * ACTORS: zero
    st_amount = strategy("uint256", max_value=30_000)
    st_pick = strategy("uint8", max_value=7)  # 0-2 a raw amount (whole, an eighth, 0-2 tiyn), 3-7 a boundary
    st_order = strategy("uint8", max_value=len(ORDERS) - 1)
    st_term = strategy("uint8", max_value=len(TERMS) - 1)
    st_notice = strategy("uint8", max_value=len(NOTICES) - 1)
    st_max_term = strategy("uint8", max_value=len(MAX_TERMS) - 1)
    st_seizure = strategy("uint8", max_value=15)
    st_tier = strategy("uint8", max_value=TIERS - 1)
    st_max_balance = strategy("uint8", max_value=len(MAX_BALANCES) - 1)
    st_daily = strategy("uint8", max_value=len(DAILY_OUTFLOWS) - 1)
    st_flag = strategy("bool")
    st_toggle = strategy("uint8", max_value=2)  # 0 restricts, 1-2 lift: restrictions stay a minority
    st_window = strategy("uint8", max_value=3)
    st_route = strategy("uint8", max_value=5)
    st_minter = strategy("uint8", max_value=len(MINTER_CHOICES) - 1)
    st_wait = strategy("uint8", max_value=7)  # 5-7: to the next expiry, a second before it, or after it
    # A multicall batch: (kind, party, target, raw amount, pick) per call; see `batch_call`.
    st_batch = st.lists(
        st.tuples(
            strategy("uint8", max_value=7),
            strategy("uint8", max_value=ACTORS - 1),
            strategy("uint8", max_value=2 * ACTORS),
            strategy("uint256", max_value=30_000),
            strategy("uint8", max_value=7),
        ),
        min_size=1,
        max_size=3,
    )

    # Counted over every example of a run, for the mutation check and the steps-per-second report.
    steps = 0
    budget = SHORT_STEPS
    started = 0.0
    outcomes: ClassVar[Counter[tuple[str, str]]] = Counter()  # (step, "ok" or error): what was reached
    first_failure: int | None = None
    first_error = ""

    def __init__(cls, world: World) -> None:  # brownie calls __init__ on the class itself
        cls.world = world
        cls.token = world.token
        cls.actors = world.actors
        cls.addresses = [str(a.address).lower() for a in world.actors]
        cls.keys = world.keys
        cls.roles = world.roles()
        cls.domain_separator = bytes(world.token.DOMAIN_SEPARATOR())
        token = world.token
        cls.seizures = world.seizures
        cls.permit_fn = {False: token.permit[PERMIT_VRS], True: token.permit[PERMIT_BYTES]}
        cls.auth_fn = {
            (False, False): token.transferWithAuthorization[AUTH_VRS],
            (False, True): token.transferWithAuthorization[AUTH_BYTES],
            (True, False): token.receiveWithAuthorization[AUTH_VRS],
            (True, True): token.receiveWithAuthorization[AUTH_BYTES],
        }
        controller = cls.controller = world.controller
        reads = [token.totalSupply, token.paused, token.policyEnabled, token.supplyCap]
        cls.reads = [f.encode_input() for f in reads]
        cls.reads += [token.tierLimits.encode_input(tier) for tier in range(TIERS)]
        for a in world.actors:
            cls.reads += [
                token.balanceOf.encode_input(a),
                token.isBlocked.encode_input(a),
                token.isFrozen.encode_input(a),
                token.frozenUntil.encode_input(a),
                token.frozenAmount.encode_input(a),
                *(token.holdOf.encode_input(a, order) for order in ORDERS),
                token.tierOf.encode_input(a),
                token.outflowToday.encode_input(a),
                token.linkedAccount.encode_input(a),
                token.nonces.encode_input(a),
                token.availableToSend.encode_input(a),
                token.availableToReceive.encode_input(a),
            ]
        cls.reads += [token.allowance.encode_input(o, s) for o in world.actors for s in world.actors]
        cls.read_call = token.multicall.encode_input(cls.reads)
        # The minters are the controller's: read beside the token's multicall, in the same JSON-RPC batch.
        cls.controller_reads = [
            read
            for a in world.actors
            for read in (
                controller.isMinter.encode_input(token, a),
                controller.minterAllowance.encode_input(token, a),
                controller.minterRefill.encode_input(token, a),
            )
        ]
        # The seizure controller's: its notice for this token, its count, then each record (per view).
        seizures = world.seizures
        cls.controller_reads += [
            seizures.noticePeriod.encode_input(token),
            seizures.maxRestrictionTerm.encode_input(token),
            seizures.seizureCount.encode_input(),
        ]
        cls.admin_delay = int(token.defaultAdminDelay())

    def setup(self) -> None:
        # Brownie keeps every receipt and filters them all at each example's revert: start afresh.
        brownie.history.clear()
        self.cached: View | None = None
        view = self.view()
        self.model = ledger_from(view, self.roles, self.addresses, self.admin_delay)
        self.model.token = str(self.token.address).lower()
        self.model.seizure_controller = str(self.seizures.address).lower()
        self.before = view
        self.tx: Any = None
        self.events: list[Event] = []
        self.step: tuple[object, ...] = ("setup",)
        self.authorizations: list[Authorization] = []
        self.nonce_count = 0

    def teardown(self) -> None:
        # A failing example passes through here with its exception: remember when the first came.
        failure = sys.exc_info()[1]
        first = FuzzMachine.first_failure is None
        if first and isinstance(failure, Exception) and not isinstance(failure, BudgetSpent):
            # Printed now: shrinking replays the example, and the first failure is the evidence.
            FuzzMachine.first_failure = FuzzMachine.steps
            FuzzMachine.first_error = f"{type(failure).__name__}: {failure}"[:2000]
            print(f"\nfuzz: step {FuzzMachine.steps} failed: {FuzzMachine.first_error}", flush=True)

    # --- a different world for each example -------------------------------------------------------------
    # A rule parameter names its brownie strategy in the default ("st_actor"); brownie passes the drawn
    # value, so the annotation is the value's type and mypy is told to accept the string default.

    def initialize_world(
        self,
        blocked: int = "st_someone",  # type: ignore[assignment]
        frozen: int = "st_someone",  # type: ignore[assignment]
        held: int = "st_someone",  # type: ignore[assignment]
        linked: int = "st_someone",  # type: ignore[assignment]
        link: int = "st_target",  # type: ignore[assignment]
        tier: int = "st_tier",  # type: ignore[assignment]
        max_balance: int = "st_max_balance",  # type: ignore[assignment]
        daily: int = "st_daily",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
    ) -> None:
        """Before the first step: maybe one account blocked, one frozen, one held, one more link, and one
        tier's limits changed, so that examples start from different worlds, restrictions already in
        place (`st_someone` 0 is nobody; shrinking clears them)."""
        if 0 < blocked <= ACTORS:
            self.rule_block(blocked - 1, 0)
        if 0 < frozen <= ACTORS:
            self.rule_freeze(frozen - 1, 0, amount % 2, amount % 4)
        if 0 < held <= ACTORS:
            self.rule_hold(held - 1, amount, 0, 0, amount % 4)
        if 0 < linked <= ACTORS:
            self.rule_link(linked - 1, link)
        if max_balance or daily:
            self.rule_set_tier_limits(tier, max_balance, daily)

    # --- payments --------------------------------------------------------------------------------------

    def rule_transfer(
        self,
        sender: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
        reference: bool = "st_flag",  # type: ignore[assignment]
    ) -> None:
        src, dst = self.addresses[sender], self.target(receiver)
        value = self.amount(pick, amount, src, dst)
        self.begin("transfer", src)
        args: tuple[Any, ...]
        if reference:
            ref: str | None = self.reference(value)
            fn, args = self.token.transferWithReference, (dst, value, ref)
        else:
            ref, fn, args = None, self.token.transfer, (dst, value)
        self.act(self.actors[sender], fn, args, lambda m: m.transfer(src, dst, value, ref))

    def rule_transfer_from(
        self,
        spender: int = "st_actor",  # type: ignore[assignment]
        owner: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
        reference: bool = "st_flag",  # type: ignore[assignment]
    ) -> None:
        who, src, dst = self.addresses[spender], self.addresses[owner], self.target(receiver)
        value = self.amount(pick, amount, src, dst)
        self.begin("transferFrom", who)
        args: tuple[Any, ...]
        if reference:
            ref: str | None = self.reference(value)
            fn, args = self.token.transferFromWithReference, (src, dst, value, ref)
        else:
            ref, fn, args = None, self.token.transferFrom, (src, dst, value)
        self.act(self.actors[spender], fn, args, lambda m: m.transfer_from(who, src, dst, value, ref))

    def rule_approve(
        self,
        owner: int = "st_actor",  # type: ignore[assignment]
        spender: int = "st_actor",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        src, who = self.addresses[owner], self.addresses[spender]
        value = self.allowance_value(pick, amount, src, who)
        self.begin("approve", src)
        self.act(self.actors[owner], self.token.approve, (who, value), lambda m: m.approve(src, who, value))

    def rule_permit(
        self,
        submitter: int = "st_actor",  # type: ignore[assignment]
        owner: int = "st_actor",  # type: ignore[assignment]
        spender: int = "st_actor",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
        window: int = "st_window",  # type: ignore[assignment]
        packed: bool = "st_flag",  # type: ignore[assignment]
    ) -> None:
        src, who = self.addresses[owner], self.addresses[spender]
        value = self.allowance_value(pick, amount, src, who)
        # window 3: signed by the wrong key; otherwise a deadline after, at, or before the block's time.
        signer = (owner + 1) % ACTORS if window == 3 else owner
        deadline = self.model.t + (3_600, 0, -1, 3_600)[window]
        fn, args = self.permit_call(self.model, owner, spender, value, deadline, signer, packed)
        self.begin("permit", self.addresses[submitter])
        op = self.permit_op(src, who, value, deadline, signer)
        self.act(self.actors[submitter], fn, args, op)

    def rule_permit_then_pull(
        self,
        spender: int = "st_actor",  # type: ignore[assignment]
        owner: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        """The spender submits the owner's permit and spends it in one multicall."""
        who, src, dst = self.addresses[spender], self.addresses[owner], self.target(receiver)
        value = self.amount(pick, amount, src, dst)
        deadline = self.model.t + 600
        self.begin("permitThenPull", who)
        permit, permit_args = self.permit_call(
            self.model, owner, spender, value, deadline, owner, pick % 2 == 0
        )
        calls = [permit.encode_input(*permit_args), self.token.transferFrom.encode_input(src, dst, value)]

        def op(m: Ledger) -> None:
            m.permit(src, who, value, deadline, src)
            m.transfer_from(who, src, dst, value)

        self.act(self.actors[spender], self.token.multicall, (calls,), op)

    def rule_authorization(
        self,
        submitter: int = "st_actor",  # type: ignore[assignment]
        payer: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
        window: int = "st_pick",  # type: ignore[assignment]
        receive: bool = "st_flag",  # type: ignore[assignment]
        variant: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        """EIP-3009: a fresh authorization (variant 0-5), one signed by the wrong key (6), or a replay of
        one signed before (7); valid around the next block (window 0-4) or at one edge of its window
        (5-7). The payee submits a receive, unless `submitter` is 0."""
        if variant == 7 and self.authorizations:
            auth = self.authorizations[amount % len(self.authorizations)]
        else:
            src, dst = self.addresses[payer], self.target(receiver)
            value = self.amount(pick, amount, src, dst)
            auth = self.new_authorization(receive, src, dst, value, max(window - 4, 0), variant == 6)
        who = self.addresses[submitter]
        if auth.receive and auth.payee != ZERO and submitter != 0:
            who = auth.payee
        fn, args = self.authorization_call(auth, packed=pick % 2 == 1)
        self.begin("authorization", who)
        self.act(self.account(who), fn, args, lambda m: m.authorization(who, auth))

    def rule_cancel_authorization(
        self,
        authorizer: int = "st_actor",  # type: ignore[assignment]
        which: int = "st_amount",  # type: ignore[assignment]
        variant: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        """Cancels one of the authorizations signed so far (a used one is refused), or a fresh nonce
        (variant 7); signed by the wrong key at variant 6. Anyone submits it."""
        if self.authorizations and variant != 7:
            auth = self.authorizations[which % len(self.authorizations)]
            payer, nonce = auth.payer, auth.nonce
        else:
            self.nonce_count += 1
            payer, nonce = (
                self.addresses[authorizer],
                "0x" + keccak(text=f"authorization {self.nonce_count}").hex(),
            )
        signer = (self.addresses.index(payer) + 1) % ACTORS if variant == 6 else self.addresses.index(payer)
        v, r, s = self.sign(signer, keccak(CANCEL_AUTH_TYPEHASH + word(payer) + bytes.fromhex(nonce[2:])))
        fn = self.token.cancelAuthorization["address,bytes32,uint8,bytes32,bytes32"]
        self.begin("cancelAuthorization", self.addresses[authorizer])
        op = lambda m: m.cancel_authorization(payer, nonce, self.addresses[signer])  # noqa: E731
        self.act(self.actors[authorizer], fn, (payer, nonce, v, r, s), op)

    def rule_batch(
        self,
        sender: int = "st_actor",  # type: ignore[assignment]
        calls: list[tuple[int, int, int, int, int]] = "st_batch",  # type: ignore[assignment]
    ) -> None:
        """A multicall of payments, approvals and signed transfers: all of them, or none."""
        who = self.addresses[sender]
        trial = self.model.copy()  # each call is signed and sized against the state the previous leaves
        encoded: list[Any] = []
        ops: list[Operation] = []
        for call in calls:
            data, op = self.batch_call(trial, sender, *call)
            encoded.append(data)
            ops.append(op)
            with suppress(Refused):  # the batch fails here; later calls are sized against this state
                op(trial)

        def run(m: Ledger) -> None:
            for op in ops:
                op(m)

        self.begin("batch", who)
        self.act(self.actors[sender], self.token.multicall, (encoded,), run)

    # --- issuance ----------------------------------------------------------------------------------------

    def rule_mint(
        self,
        minter: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        who, dst = self.minter(minter), self.target(receiver)
        allowance = self.model.minter_allowance(who, self.model.t)
        value = {3: allowance, 6: allowance + 1}.get(pick, self.amount(pick, amount, None, dst))
        self.begin("mint", who)
        self.act(self.account(who), self.token.mint, (dst, value), lambda m: m.mint(who, dst, value))

    def rule_burn(
        self,
        minter: int = "st_actor",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        who = self.minter(minter)
        value = self.amount(pick, amount, who, None)
        self.begin("burn", who)
        self.act(self.account(who), self.token.burn, (value,), lambda m: m.burn(who, value))

    def rule_minter_role(
        self,
        who: int = "st_actor",  # type: ignore[assignment]
        route: int = "st_route",  # type: ignore[assignment]
        choice: int = "st_minter",  # type: ignore[assignment]
    ) -> None:
        """Every route into a minter's record at the mint controller (configureMinter,
        configureMinterWithRefill) and out of it (removeMinter, renounceMinter), and MINTER_ROLE granted
        and revoked in the token's AccessControl, which must neither make nor unmake a minter."""
        account, role = self.addresses[who], MINTER_ROLE
        token, controller, admin = self.token, self.controller, self.world.minter_admin
        allowance, capacity, rate = MINTER_CHOICES[choice]
        if route == 0:
            capacity, rate = allowance, 0
        sender, fn, args = [
            (admin, controller.configureMinter, (token, account, allowance, REASON)),
            (
                admin,
                controller.configureMinterWithRefill,
                (token, account, allowance, capacity, rate, REASON),
            ),
            (self.world.admin, token.grantRole, (role, account)),
            (admin, controller.removeMinter, (token, account, REASON)),
            (self.world.admin, token.revokeRole, (role, account)),
            (self.actors[who], controller.renounceMinter, (token,)),
        ][route]
        actor = str(sender.address).lower()
        ops: list[Operation] = [
            lambda m: m.configure_minter(account, allowance, capacity, rate, REASONS[0]),
            lambda m: m.configure_minter(account, allowance, capacity, rate, REASONS[0]),
            lambda m: m.grant_token_minter_role(account),
            lambda m: m.remove_minter(account, actor, REASONS[0]),
            lambda m: m.revoke_token_minter_role(account),
            lambda m: m.remove_minter(account, actor, NO_REASON),
        ]
        names = ["configureMinter", "configureMinterWithRefill", "grantRole", "removeMinter", "revokeRole"]
        self.begin([*names, "renounceMinter"][route], actor)
        self.act(sender, fn, args, ops[route])

    def rule_set_supply_cap(self, amount: int = "st_amount", pick: int = "st_pick") -> None:  # type: ignore[assignment]
        # Around the supply: below it (refused), at it, a little above it, or no cap.
        supply = self.model.supply
        cap = [supply + amount, supply, supply - 1, UINT256_MAX, supply + amount % 100][pick % 5]
        cap = max(cap, 0)
        self.begin("setSupplyCap", self.roles.admin)
        fn = self.token.setSupplyCap
        self.act(self.world.admin, fn, (cap, REASON), lambda m: m.set_supply_cap(cap, REASONS[0]))

    # --- interventions -----------------------------------------------------------------------------------

    def rule_seize(
        self,
        source: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
        order: int = "st_order",  # type: ignore[assignment]
        executor: int = "st_actor",  # type: ignore[assignment]
    ) -> None:
        """A seizure as it is done: proposed by the proposer, approved by the approver, executed by
        anyone; each step only if the one before passed (a refusal is a step of its own)."""
        m, t = self.model, self.model.t
        # An account with a hold that applies (if any), one of its holds, and another account (or a
        # burn) to receive: this rule means to get to the execution; rule_propose_seizure meets the
        # proposal's refusals.
        held = [a for a in self.addresses if m.held(a, t)]
        src = held[source % len(held)] if held else self.addresses[source]
        why = self.one_of_orders(src, order, active=True)
        hold, balance = m.hold(src, why, t), m.balance(src)
        value = {3: hold, 4: balance, 5: hold + 1, 6: min(hold, balance), 7: 0}.get(
            pick, amount % hold + 1 if hold else amount
        )
        dst = self.target(receiver)
        if dst == src:
            dst = self.addresses[(self.addresses.index(src) + 1) % ACTORS]
        if not self.propose(src, dst, value, why, self.world.proposer):
            return
        number = self.model.seizure_count
        if not self.approve(number, self.world.approver):
            return
        self.execute(number, executor)

    def rule_propose_seizure(
        self,
        source: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        order: int = "st_order",  # type: ignore[assignment]
        sender: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        """A proposal alone, by the proposer (or, at sender 7, the approver: not its role)."""
        m, t = self.model, self.model.t
        src = self.one_of([a for a in self.addresses if m.held(a, t)], source)
        why = self.one_of_orders(src, order, active=True)
        value = amount % (m.hold(src, why, t) + 2)  # 0 and one above the hold: refused
        who = self.world.approver if sender == 7 else self.world.proposer
        self.propose(src, self.target(receiver), value, why, who)

    def rule_approve_seizure(
        self,
        which: int = "st_seizure",  # type: ignore[assignment]
        sender: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        """Approves a proposed seizure (or another, refused), by the approver (or, at 7, the proposer)."""
        number = self.seizure_number(which, PROPOSED)
        self.approve(number, self.world.proposer if sender == 7 else self.world.approver)

    def rule_execute_seizure(
        self,
        which: int = "st_seizure",  # type: ignore[assignment]
        executor: int = "st_actor",  # type: ignore[assignment]
    ) -> None:
        self.execute(self.seizure_number(which, APPROVED), executor)

    def rule_cancel_seizure(
        self,
        which: int = "st_seizure",  # type: ignore[assignment]
        sender: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        """Either side cancels a pending seizure (or, at 7, an actor tries: no role)."""
        number = self.seizure_number(which, PROPOSED if sender % 2 else APPROVED)
        who = (self.world.proposer, self.world.approver)[sender % 2] if sender != 7 else self.actors[0]
        address = str(who.address).lower()
        self.begin("cancelSeizure", address, number)
        fn, args = self.seizures.cancelSeizure, (number, OTHER_REASON)
        self.act(who, fn, args, lambda m: m.cancel_seizure(address, number, REASONS[1]))

    def rule_notice(self, pick: int = "st_notice") -> None:  # type: ignore[assignment]
        period = NOTICES[pick]
        self.begin("setNoticePeriod", self.roles.admin)
        fn, args = self.seizures.setNoticePeriod, (self.token, period, REASON)
        self.act(self.world.admin, fn, args, lambda m: m.set_notice(period, REASONS[0]))

    def rule_max_term(self, pick: int = "st_max_term") -> None:  # type: ignore[assignment]
        term = MAX_TERMS[pick]
        self.begin("setMaxRestrictionTerm", self.roles.admin)
        fn, args = self.seizures.setMaxRestrictionTerm, (self.token, term, REASON)
        self.act(self.world.admin, fn, args, lambda m: m.set_max_term(term, REASONS[0]))

    def propose(self, src: str, dst: str, value: int, order: str, sender: Any) -> bool:
        who = str(sender.address).lower()
        self.begin("proposeSeizure", who, src, order)
        fn, args = self.seizures.proposeSeizure, (self.token, src, dst, value, order, REASON)
        return self.act(
            sender, fn, args, lambda m: m.propose_seizure(who, src, dst, value, order, REASONS[0])
        )

    def approve(self, number: int, sender: Any) -> bool:
        who = str(sender.address).lower()
        self.begin("approveSeizure", who, number)
        fn, args = self.seizures.approveSeizure, (number, OTHER_REASON)
        return self.act(sender, fn, args, lambda m: m.approve_seizure(who, number, REASONS[1]))

    def execute(self, number: int, executor: int) -> bool:
        who = self.addresses[executor]
        record = self.model.seizures.get(number)
        detail = (record.payer, record.order) if record else ()
        self.begin("executeSeizure", who, *detail)
        fn, args = self.seizures.executeSeizure, (number,)
        return self.act(self.actors[executor], fn, args, lambda m: m.execute_seizure(who, number))

    def seizure_number(self, which: int, status: int) -> int:
        """Mostly a seizure in `status`; else any number from 0 to one past the last."""
        m = self.model
        candidates = sorted(n for n, record in m.seizures.items() if record.status == status)
        if candidates and which < 12:
            return candidates[which % len(candidates)]
        return which % (m.seizure_count + 2)

    def one_of_orders(self, account: str, index: int, active: bool) -> str:
        """Mostly one of the orders that hold on `account` now (active) or that never held there (new);
        else ORDERS[index], whatever it is."""
        m, t = self.model, self.model.t
        if active:
            candidates = [o for o in ORDERS if m.hold(account, o, t)]
        else:
            candidates = [o for o in ORDERS if (account, o) not in m.holds]
        return candidates[index % len(candidates)] if candidates and index % 4 != 3 else ORDERS[index]

    def expiry(self, term: int) -> int:
        """An expiry `TERMS[term]` after the next transaction's time."""
        t, chosen = self.model.t, TERMS[term]
        if chosen == "max":
            return t + self.model.max_term.at(t)
        if chosen == "max+1":
            return t + self.model.max_term.at(t) + 1
        return t + int(chosen)

    def rule_freeze(
        self,
        who: int = "st_actor",  # type: ignore[assignment]
        toggle: int = "st_toggle",  # type: ignore[assignment]
        order: int = "st_order",  # type: ignore[assignment]
        term: int = "st_term",  # type: ignore[assignment]
    ) -> None:
        """A freeze (or its renewal) until an expiry under one of the orders, which freezes an account
        once (lifted or not, a repeat is refused), or the lifting of one."""
        m = self.model
        if toggle == 0:
            account, why, until = self.addresses[who], ORDERS[order], self.expiry(term)
            # One time in four, an order that froze the account before (lifted, lapsed or applying):
            # the renewal the outside audit made, refused.
            used = sorted(o for a, o in m.freeze_orders if a == account)
            if used and order % 4 == 3:
                why = used[order % len(used)]
            self.begin("freeze", self.roles.freezer, account)
            freeze = (account, until, why)
            self.act(self.world.freezer, self.token.freeze, freeze, lambda m: m.freeze(account, until, why))
            return
        account = self.one_of(sorted(a for a in m.frozen if m.is_frozen(a, m.t)), who)
        self.begin("unfreeze", self.roles.freezer, account)
        lift = (account, REASON)
        self.act(self.world.freezer, self.token.unfreeze, lift, lambda m: m.unfreeze(account, REASONS[0]))

    def rule_hold(
        self,
        who: int = "st_actor",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
        order: int = "st_order",  # type: ignore[assignment]
        term: int = "st_term",  # type: ignore[assignment]
    ) -> None:
        """A new hold, mostly on an account that has some already (so that one fills up to MAX_HOLDS),
        mostly under an order not yet used there."""
        m, t = self.model, self.model.t
        account = self.one_of([a for a in self.addresses if m.held(a, t)], who if who % 2 else 0)
        why, until = self.one_of_orders(account, order, active=False), self.expiry(term)
        value = {3: m.balance(account), 4: m.spendable(account, t), 5: 0, 6: MAX_HOLD + 1}.get(
            pick, max(amount >> 3 * (pick % 3), 1)
        )
        self.begin("hold", self.roles.freezer, account, why)
        fn, args = self.token.placeHold, (account, value, until, why)
        self.act(self.world.freezer, fn, args, lambda m: m.place_hold(account, value, until, why))

    def rule_holds(
        self,
        who: int = "st_actor",  # type: ignore[assignment]
        count: int = "st_seizure",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        term: int = "st_term",  # type: ignore[assignment]
    ) -> None:
        """Several new holds on one account in one multicall (each under a new order, 1 to 10 of them),
        so that an account fills up to MAX_HOLDS and beyond (TooManyHolds: all or nothing)."""
        m, t = self.model, self.model.t
        account = self.one_of([a for a in self.addresses if m.held(a, t)], who)
        fresh = [o for o in ORDERS if (account, o) not in m.holds][: count % len(ORDERS) + 1] or [ORDERS[0]]
        until = self.expiry(term % 4)  # one of the short terms: these are meant to pass but for the count
        value = max(amount >> 4, 1)
        calls = [self.token.placeHold.encode_input(account, value, until, o) for o in fresh]

        def op(m: Ledger) -> None:
            for o in fresh:
                m.place_hold(account, value, until, o)

        self.begin("holds", self.roles.freezer, account)
        self.act(self.world.freezer, self.token.multicall, (calls,), op)

    def rule_release(
        self,
        who: int = "st_actor",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
        order: int = "st_order",  # type: ignore[assignment]
    ) -> None:
        """Releases part or all of one hold (or one that holds nothing now: HoldNotActive)."""
        m, t = self.model, self.model.t
        account = self.one_of([a for a in self.addresses if m.held(a, t)], who)
        why = self.one_of_orders(account, order, active=True)
        hold = m.hold(account, why, t)
        value = {3: hold, 4: hold + 1, 5: max(hold // 2, 1), 7: 0}.get(pick, amount % hold + 1 if hold else 1)
        self.begin("release", self.roles.freezer, account, why)
        fn, args = self.token.releaseHold, (account, why, value, OTHER_REASON)
        self.act(self.world.freezer, fn, args, lambda m: m.release_hold(account, why, value, REASONS[1]))

    def rule_block(self, who: int = "st_actor", which: int = "st_pick") -> None:  # type: ignore[assignment]
        # A block three times in eight, else the release of a blocked account: about one of the five
        # is blocked at any time, long enough to meet the payments, links and limits around it.
        blocked = which < 3
        account = self.addresses[who] if blocked else self.one_of(sorted(self.model.blocked), who)
        fn = self.token.blockAccount if blocked else self.token.unblockAccount
        self.begin("block", self.roles.blocklister)
        self.act(
            self.world.blocklister,
            fn,
            (account, REASON),
            lambda m: m.set_blocked(account, blocked, REASONS[0]),
        )

    def rule_pause(self, which: int = "st_pick") -> None:  # type: ignore[assignment]
        # A pause is asked for one time in eight, an unpause otherwise: paused spells stay short, and
        # asking for the state in force (EnforcedPause, ExpectedPause) comes up often.
        paused = which == 0
        fn = self.token.pause if paused else self.token.unpause
        self.begin("pause", self.roles.pauser)
        self.act(self.world.pauser, fn, (REASON,), lambda m: m.set_paused(paused, REASONS[0]))

    # --- wallet policy ---------------------------------------------------------------------------------

    def rule_set_tier(self, who: int = "st_actor", tier: int = "st_tier") -> None:  # type: ignore[assignment]
        account = self.addresses[who]
        self.begin("setTier", self.roles.kyc)
        fn, args = self.token.setTier, (account, tier, REASON)
        self.act(self.world.kyc, fn, args, lambda m: m.set_tier(account, tier, REASONS[0]))

    def rule_set_tier_limits(
        self,
        tier: int = "st_tier",  # type: ignore[assignment]
        max_balance: int = "st_max_balance",  # type: ignore[assignment]
        daily: int = "st_daily",  # type: ignore[assignment]
    ) -> None:
        limits = MAX_BALANCES[max_balance], DAILY_OUTFLOWS[daily]
        self.begin("setTierLimits", self.roles.admin)
        fn, args = self.token.setTierLimits, (tier, *limits, REASON)
        self.act(self.world.admin, fn, args, lambda m: m.set_tier_limits(tier, *limits, REASONS[0]))

    def rule_link(self, who: int = "st_actor", receiver: int = "st_target") -> None:  # type: ignore[assignment]
        """KYC proposes a link (or unlinks); the holder then accepts what it reads as proposed."""
        account, linked = self.addresses[who], self.target(receiver)
        self.begin("setLinkedAccount", self.roles.kyc)
        fn, args = self.token.setLinkedAccount, (account, linked, REASON)
        self.act(self.world.kyc, fn, args, lambda m: m.set_link(account, linked, REASONS[0]))
        self.begin("acceptLinkedAccount", account)
        fn = self.token.acceptLinkedAccount
        self.act(self.actors[who], fn, (linked,), lambda m: m.accept_link(account, linked))

    def rule_policy(self, toggle: int = "st_toggle") -> None:  # type: ignore[assignment]
        enabled = toggle != 0  # mostly on, as production runs it
        self.begin("setPolicyEnabled", self.roles.admin)
        fn, args = self.token.setPolicyEnabled, (enabled, REASON)
        self.act(self.world.admin, fn, args, lambda m: m.set_policy(enabled, REASONS[0]))

    def rule_wait(self, kind: int = "st_wait") -> None:  # type: ignore[assignment]
        """A minute, an hour or six later; or to a second or two before UTC midnight, so that the next
        transactions fall on both sides of it; or to the next expiry of a freeze or hold (5: the block
        at it, so it has lapsed; 6: a second before, so that the next transaction runs at it; 7: a
        second after)."""
        now = self.model.now
        upcoming = self.expiries_after(now)
        if kind >= 5 and upcoming:
            later = max(upcoming[0] + (0, -1, 1)[kind - 5], now + 1)
        elif kind < 3 or kind >= 5:
            later = now + (60, 3_600, 6 * 3_600)[kind % 3]
        else:
            later = (now // DAY + 1) * DAY - kind + 1
            if later <= now:
                later += DAY
        self.begin("wait")
        move_to(later)
        self.count_lapses(now, later)
        self.model.now = later
        self.cached = None
        FuzzMachine.outcomes[("wait", "ok")] += 1

    def expiries_after(self, now: int) -> list[int]:
        """The expiries of the freezes and holds that still apply at `now`, soonest first."""
        m = self.model
        freezes = [f.expires for f in m.frozen.values() if f.expires > now]
        holds = [h.expires for h in m.holds.values() if h.amount and h.expires > now]
        return sorted(freezes + holds)

    def count_lapses(self, before: int, after: int) -> None:
        """Counts the freezes and holds that applied at `before` and lapse by `after` (the report)."""
        m = self.model
        for f in m.frozen.values():
            if before < f.expires <= after:
                FuzzMachine.outcomes[("lapse", "freeze")] += 1
        for h in m.holds.values():
            if h.amount and before < h.expires <= after:
                FuzzMachine.outcomes[("lapse", "hold")] += 1

    def rule_check_transfer(
        self,
        operator: int = "st_actor",  # type: ignore[assignment]
        payer: int = "st_actor",  # type: ignore[assignment]
        receiver: int = "st_target",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        pick: int = "st_pick",  # type: ignore[assignment]
    ) -> None:
        """The views run the same rules as the move: checkTransfer and canTransfer agree with the model."""
        who, src, dst = self.addresses[operator], self.addresses[payer], self.target(receiver)
        value = self.amount(pick, amount, src, dst)
        self.begin("checkTransfer", who)
        trial = self.model.copy()
        try:
            if dst == ZERO:
                raise Refused("ERC20InvalidReceiver", ZERO)
            kept, linked = trial.move(who, src, dst, value)
        except Refused as refusal:
            with reverts_with(refusal.name, *refusal.arguments):
                self.token.checkTransfer.call(who, src, dst, value, block_identifier="pending")
            FuzzMachine.outcomes[("checkTransfer", refusal.name)] += 1
        else:
            FuzzMachine.outcomes[("checkTransfer", "ok")] += 1
            try:
                result = self.token.checkTransfer.call(who, src, dst, value, block_identifier="pending")
            except VirtualMachineError as error:
                passes = f"{self.step}: the model passes it ({kept} kept, the rest to {linked})"
                raise AssertionError(f"{passes}; checkTransfer reverts: {error.revert_msg}") from None
            assert (int(result[0]), plain(result[1])) == (kept, linked or ZERO), f"{self.step}: {result}"
        try:
            self.model.copy().send(src, src, dst, value)
            expected = True
        except Refused:
            expected = False
        assert self.token.canTransfer.call(src, dst, value, block_identifier="pending") == expected

    # --- invariants ------------------------------------------------------------------------------------

    def invariant_chain_matches_model(self) -> None:
        chain, model = self.view(), self.expected_view()
        diff = differences(chain, model)
        assert not diff, "chain and model disagree after " + repr(self.step) + ":\n  " + "\n  ".join(diff)

    def invariant_supply_is_the_sum_of_balances(self) -> None:
        view = self.view()
        assert sum(a.balance for a in view.accounts) == view.supply

    def invariant_nobody_blocked_receives_sends_acts_or_is_routed_through(self) -> None:
        view = self.view()
        blocked = {self.addresses[i] for i, a in enumerate(view.accounts) if a.blocked}
        seizures = self.seizure_legs()
        moved = False
        for index, event in enumerate(self.events):
            name = event[0]
            if name == "Transfer":
                assert event[2] not in blocked, f"blocked {event[2]} received {event}"
                if index not in seizures:
                    moved = True
                    assert event[1] not in blocked, f"blocked {event[1]} sent {event}"
            elif name == "Waterfall":
                assert event[1] not in blocked and event[2] not in blocked, f"routed through blocked: {event}"
            elif name == "Minted":
                assert event[1] not in blocked and event[2] not in blocked, f"blocked party in {event}"
        if moved:
            assert self.step[1] not in blocked, f"blocked {self.step[1]} moved tiyn: {self.step}"
        # Minted names where the money went: one Minted per non-zero Transfer from the zero address.
        minted = sorted((e[2], e[3]) for e in self.events if e[0] == "Minted")
        issued = sorted(
            (e[2], e[3]) for e in self.events if e[0] == "Transfer" and e[1] == ZERO and e[3] != 0
        )
        assert minted == issued, f"Minted {minted} but issued {issued}"

    def invariant_only_the_naming_seizure_debits_frozen_or_held_funds(self) -> None:
        before, after = self.before, self.view()
        seizures = self.seizure_legs()
        seized = [e for e in self.events if e[0] == "Seized"]
        for i, account in enumerate(self.addresses):
            was, now = before.accounts[i], after.accounts[i]
            debited = sum(
                e[3]
                for k, e in enumerate(self.events)
                if e[0] == "Transfer" and e[1] == account and e[2] != account and k not in seizures
            )
            if debited:
                # Frozen when the transaction ran: frozen at the step's start and not lapsed by its block.
                assert not (was.frozen and was.frozen_until > after.timestamp), (
                    f"frozen {account} was debited {debited} without a seizure"
                )
                assert not was.blocked, f"blocked {account} was debited {debited} without a seizure"
                assert now.balance >= now.held, f"{account} was debited into its held amount"
            for k, order in enumerate(ORDERS):
                orders = [e for e in seized if e[1] == account and e[4] == order]
                if orders:
                    others = sum(h for j, h in enumerate(now.holds) if j != k)
                    assert now.balance >= others, f"a seizure under {order} took what other orders hold"
                    taken = sum(int(str(e[3])) for e in orders)
                    assert taken <= was.holds[k], f"seizure took {taken} from {account} beyond its order"
                    assert now.holds[k] == was.holds[k] - taken, (
                        f"the seizure of {account} under {order} did not reduce its own hold by what it took"
                    )
                elif self.step[0] == "release" and self.step[2:] == (account, order):
                    assert now.holds[k] <= was.holds[k]
                elif (self.step[0] == "hold" and self.step[2:] == (account, order)) or (
                    self.step[0] == "holds" and self.step[2] == account and not was.hold_expiries[k]
                ):
                    assert now.holds[k] >= was.holds[k]
                elif now.holds[k] != was.holds[k]:
                    # Else a hold only lapses, and only once the chain's clock reached its expiry.
                    lapsed = now.holds[k] == 0 and now.hold_expiries[k] <= after.timestamp
                    assert lapsed, f"{account}'s hold under {order} changed: {self.step}"
                # An expiry is set once, as the hold is placed: an order holds once per account.
                placed = self.step[0] == "hold" and self.step[2:] == (account, order)
                placed = placed or (self.step[0] == "holds" and self.step[2] == account)
                assert now.hold_expiries[k] == was.hold_expiries[k] or (placed and not was.hold_expiries[k])

    def invariant_no_limit_is_exceeded(self) -> None:
        before, after = self.before, self.view()
        same_day = before.timestamp // DAY == after.timestamp // DAY
        seizures = self.seizure_legs()
        for i, account in enumerate(self.addresses):
            was, now = before.accounts[i], after.accounts[i]
            max_balance, daily = after.limits[now.tier]
            legs = [e for k, e in enumerate(self.events) if e[0] == "Transfer" and k not in seizures]
            sent = sum(e[3] for e in legs if e[1] == account and e[2] not in (account, ZERO))
            received = sum(e[3] for e in legs if e[2] == account and e[1] != account)
            outflow_before = was.outflow if same_day else 0
            if after.policy and daily != UINT256_MAX:
                assert now.outflow - outflow_before == sent, f"{account} sent {sent}, counted otherwise"
                assert sent == 0 or now.outflow <= daily, f"{account} sent more today than its tier allows"
            else:
                assert now.outflow == outflow_before, f"{account}'s outflow counted, policy off or no limit"
            if after.policy and received and max_balance != UINT256_MAX:
                assert now.balance <= max_balance, f"{account} received above its holding limit"

    def invariant_no_minter_exceeds_its_allowance(self) -> None:
        before, after = self.before, self.view()
        elapsed = after.timestamp - before.timestamp
        for i, account in enumerate(self.addresses):
            was, now = before.accounts[i], after.accounts[i]
            minted = sum(e[3] for e in self.events if e[0] == "Minted" and e[1] == account)
            if minted:
                assert was.minter, f"{account} minted with no record at the mint controller"
                allowed = was.minter_allowance
                if was.minter_refill:
                    allowed = min(was.minter_capacity, allowed + was.minter_refill * elapsed)
                assert minted <= allowed, f"{account} minted {minted} with an allowance of {allowed}"
                assert now.minter_allowance == allowed - minted
            if not now.minter:
                assert (now.minter_allowance, now.minter_capacity, now.minter_refill) == (0, 0, 0), (
                    f"{account} is no minter but kept its allowance"
                )

    # --- driving the chain and the model side by side ---------------------------------------------------

    def begin(self, kind: str, actor: str = "", *detail: object) -> None:
        """Every rule starts here: the chain as the step finds it, and what the step is."""
        if FuzzMachine.steps >= FuzzMachine.budget and FuzzMachine.first_failure is None:
            raise BudgetSpent(f"{FuzzMachine.steps} steps")
        FuzzMachine.steps += 1
        if FuzzMachine.steps % PROGRESS == 0:
            elapsed = time.monotonic() - FuzzMachine.started
            print(f"fuzz: {FuzzMachine.steps} steps, {elapsed:.0f} s", flush=True)
        self.before = self.view()
        self.tx = None
        self.events = []
        self.step = (kind, actor, *detail)

    def act(self, sender: Any, fn: Any, args: tuple[Any, ...], op: Operation) -> bool:
        """Applies `op` to a copy of the model. If it refuses, a call at the pending block must revert
        with exactly that error; otherwise the transaction must emit exactly the model's events.
        Returns whether it passed."""
        trial = self.model.copy()
        try:
            op(trial)
        except Refused as refusal:
            # A call is enough to see the refusal, and much faster than mining a reverted transaction.
            try:
                with reverts_with(refusal.name, *refusal.arguments):
                    fn.call(*args, {"from": sender}, block_identifier="pending")
            except AssertionError as error:
                expected = f"{refusal.name}{refusal.arguments}"
                raise AssertionError(
                    f"{self.step}: the model refuses, {expected}; the chain: {error}"
                ) from None
            FuzzMachine.outcomes[(str(self.step[0]), refusal.name)] += 1
            return False
        try:
            self.tx = fn.transact(*args, {"from": sender, "_skip_undo": True}, silent=True)
        except VirtualMachineError as error:
            reverted = error.revert_msg
            raise AssertionError(
                f"{self.step}: the model expects success; the chain reverts: {reverted}"
            ) from None
        self.cached = None
        self.count_lapses(trial.now, trial.now + 1)
        trial.now += 1
        self.events = [(event.name, *(plain(v) for v in event[0].values())) for event in self.tx.events]
        assert self.events == trial.events, (
            f"{self.step}: events differ\n  chain {self.events}\n  model {trial.events}"
        )
        self.model = trial
        FuzzMachine.outcomes[(str(self.step[0]), "ok")] += 1
        for event in self.events:
            if event[0] in COUNTED_EVENTS:
                FuzzMachine.outcomes[("event", str(event[0]))] += 1
        return True

    def seizure_legs(self) -> set[int]:
        """Positions of the Transfer events that belong to a seizure (each is followed by its Seized)."""
        return {
            k
            for k, e in enumerate(self.events[:-1])
            if e[0] == "Transfer" and self.events[k + 1][0] == "Seized" and self.events[k + 1][1:4] == e[1:4]
        }

    def account(self, address: str) -> Any:
        return self.actors[self.addresses.index(address)]

    def target(self, index: int) -> str:
        return self.addresses[index % ACTORS] if index < 2 * ACTORS else ZERO

    def one_of(self, candidates: list[str], index: int) -> str:
        """Mostly one of `candidates` (where the step can do something), else actor `index` (0 always is)."""
        return candidates[index % len(candidates)] if candidates and index != 0 else self.addresses[index]

    def minter(self, index: int) -> str:
        return self.one_of(sorted(self.model.minters), index)

    def amount(self, pick: int, raw: int, payer: str | None, payee: str | None) -> int:
        """A raw amount (whole, an eighth of it, or 0, 1 or 2 tiyn), or one at a boundary: all the payer may
        spend, the payee's room (or one more), what the payer may still send today (or one more)."""
        m, t = self.model, self.model.t
        candidates: dict[int, int] = {}
        if payer is not None and payer != ZERO:
            candidates[3] = m.spendable(payer, t)
            left = m.outflow_left(payer, t)
            if left != UINT256_MAX:
                candidates[6], candidates[7] = left, left + 1
        if payee is not None and payee != ZERO:
            room = m.room(payee)
            if room != UINT256_MAX:
                candidates[4], candidates[5] = room, room + 1
        return candidates.get(pick, (raw, raw >> 3, raw % 3)[pick] if pick < 3 else raw)

    def allowance_value(self, pick: int, raw: int, owner: str, spender: str) -> int:
        """A raw allowance, or revoke, infinite, lower by one, higher by one, the same."""
        current = self.model.allowance(owner, spender)
        lower = max(current - 1, 0)
        higher = min(current + 1, UINT256_MAX)
        return {3: 0, 4: UINT256_MAX, 5: lower, 6: higher, 7: current}.get(pick, raw)

    def reference(self, value: int) -> str:
        # Few references, so that a sender cites one again often enough to meet PaymentReferenceUsed.
        return "0x" + keccak(text=f"invoice {value % 8}").hex()

    def sign(self, signer: int, struct_hash: bytes) -> tuple[int, bytes, bytes]:
        digest = keccak(b"\x19\x01" + self.domain_separator + struct_hash)
        signed = Account.unsafe_sign_hash(digest, self.keys[signer])
        return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")

    def permit_call(
        self, m: Ledger, owner: int, spender: int, value: int, deadline: int, signer: int, packed: bool
    ) -> tuple[Any, tuple[Any, ...]]:
        nonce = m.nonces.get(self.addresses[owner], 0)
        parts = [
            word(self.addresses[owner]),
            word(self.addresses[spender]),
            uint(value),
            uint(nonce),
            uint(deadline),
        ]
        v, r, s = self.sign(signer, keccak(PERMIT_TYPEHASH + b"".join(parts)))
        head = (self.addresses[owner], self.addresses[spender], value, deadline)
        return (
            (self.permit_fn[True], (*head, r + s + bytes([v])))
            if packed
            else (self.permit_fn[False], (*head, v, r, s))
        )

    def permit_op(self, owner: str, spender: str, value: int, deadline: int, signer: int) -> Operation:
        return lambda m: m.permit(owner, spender, value, deadline, self.addresses[signer])

    def new_authorization(
        self, receive: bool, payer: str, payee: str, value: int, window: int, wrong_key: bool
    ) -> Authorization:
        """Valid around the next block (window 0), from it (1: not yet), until it (2: expired), or for
        exactly the next second (3)."""
        t = self.model.t
        after, before = [(t - 3_600, t + 3_600), (t, t + 3_600), (t - 3_600, t), (t - 1, t + 1)][window]
        nonce = self.new_nonce()
        signer = self.addresses[(self.addresses.index(payer) + 1) % ACTORS] if wrong_key else payer
        auth = Authorization(receive, payer, payee, value, after, before, nonce, signer)
        if not wrong_key:
            self.authorizations.append(auth)
        return auth

    def new_nonce(self) -> str:
        """A fresh EIP-3009 nonce, the same in every replay of the example (wallets pick them at random)."""
        self.nonce_count += 1
        return "0x" + keccak(text=f"authorization {self.nonce_count}").hex()

    def authorization_call(self, auth: Authorization, packed: bool) -> tuple[Any, tuple[Any, ...]]:
        typehash = RECEIVE_AUTH_TYPEHASH if auth.receive else TRANSFER_AUTH_TYPEHASH
        parts = [word(auth.payer), word(auth.payee), uint(auth.value), uint(auth.valid_after)]
        parts += [uint(auth.valid_before), bytes.fromhex(auth.nonce[2:])]
        v, r, s = self.sign(self.addresses.index(auth.signer), keccak(typehash + b"".join(parts)))
        head = (auth.payer, auth.payee, auth.value, auth.valid_after, auth.valid_before, auth.nonce)
        fn = self.auth_fn[(auth.receive, packed)]
        return fn, ((*head, r + s + bytes([v])) if packed else (*head, v, r, s))

    def batch_call(
        self, m: Ledger, sender: int, kind: int, party: int, target: int, raw: int, pick: int
    ) -> tuple[Any, Operation]:
        """One call of a batch sent by `sender`: 0 transfer, 1 transferWithReference, 2 transferFrom,
        3 transferFromWithReference, 4 approve, 5 permit (party's, to the sender), 6
        transferWithAuthorization, 7 receiveWithAuthorization (party pays the sender)."""
        token, who = self.token, self.addresses[sender]
        other, dst = self.addresses[party], self.target(target)
        saved, self.model = self.model, m  # size amounts against the batch's state so far
        try:
            if kind in (0, 1):
                value = self.amount(pick, raw, who, dst)
                ref = self.reference(value) if kind == 1 else None
                if ref is None:
                    return token.transfer.encode_input(dst, value), lambda x: x.transfer(who, dst, value)
                data = token.transferWithReference.encode_input(dst, value, ref)
                return data, lambda x: x.transfer(who, dst, value, ref)
            if kind in (2, 3):
                value = self.amount(pick, raw, other, dst)
                ref = self.reference(value) if kind == 3 else None
                if ref is None:
                    data = token.transferFrom.encode_input(other, dst, value)
                    return data, lambda x: x.transfer_from(who, other, dst, value)
                data = token.transferFromWithReference.encode_input(other, dst, value, ref)
                return data, lambda x: x.transfer_from(who, other, dst, value, ref)
            if kind == 4:
                value = self.allowance_value(pick, raw, who, other)
                return token.approve.encode_input(other, value), lambda x: x.approve(who, other, value)
            if kind == 5:
                value = self.amount(pick, raw, other, dst)
                deadline = m.t + 600
                fn, args = self.permit_call(m, party, sender, value, deadline, party, pick % 2 == 0)
                return fn.encode_input(*args), self.permit_op(other, who, value, deadline, party)
            receive = kind == 7
            payee = who if receive else dst
            value = self.amount(pick, raw, other, payee)
            auth = self.new_authorization(receive, other, payee, value, 0, False)
            fn, args = self.authorization_call(auth, pick % 2 == 1)
            return fn.encode_input(*args), lambda x: x.authorization(who, auth)
        finally:
            self.model = saved

    # --- reading the chain -------------------------------------------------------------------------------

    def view(self) -> View:
        """Everything the invariants need, read in one multicall after each block the machine mines."""
        if self.cached is not None:
            return self.cached
        # Raw JSON-RPC, one batch: web3's and brownie's formatters took most of the time of these reads.
        calls = [{"to": self.controller.address, "data": data} for data in self.controller_reads[:-3]]
        seizures = self.seizures.address
        calls += [{"to": seizures, "data": data} for data in self.controller_reads[-3:]]
        # The seizure records the model knows of, and one more: the chain must have none there.
        known = self.model.seizure_count if hasattr(self, "model") else 0
        calls += [
            {"to": seizures, "data": self.seizures.seizure.encode_input(n)} for n in range(1, known + 2)
        ]
        batch = [
            ("eth_getBlockByNumber", ["latest", False]),
            ("eth_call", [{"to": self.token.address, "data": self.read_call}, "latest"]),
            *(("eth_call", [call, "latest"]) for call in calls),
        ]
        answers = [answer["result"] for answer in web3.provider.make_batch_request(batch)]
        block = answers[0]
        results = decode(["bytes[]"], bytes.fromhex(answers[1][2:]))[0]
        results = [*results, *(bytes.fromhex(answer[2:]) for answer in answers[2:])]
        words = [[int.from_bytes(r[i : i + 32], "big") for i in range(0, len(r), 32)] for r in results]
        head = 4 + TIERS
        per = 11 + len(ORDERS)
        allowances = head + per * ACTORS
        minters = allowances + ACTORS * ACTORS  # after the allowances
        accounts = []
        for i in range(ACTORS):
            w = words[head + per * i : head + per * (i + 1)]
            holds = w[5 : 5 + len(ORDERS)]
            rest = w[5 + len(ORDERS) :]
            minter = words[minters + 3 * i : minters + 3 * (i + 1)]
            accounts.append(
                AccountView(
                    balance=w[0][0],
                    blocked=bool(w[1][0]),
                    frozen=bool(w[2][0]),
                    frozen_until=w[3][0],
                    held=w[4][0],
                    holds=tuple(h[0] for h in holds),
                    hold_expiries=tuple(h[1] for h in holds),
                    tier=rest[0][0],
                    outflow=rest[1][0],
                    linked="0x" + rest[2][0].to_bytes(20, "big").hex(),
                    minter=bool(minter[0][0]),
                    minter_allowance=minter[1][0],
                    minter_capacity=minter[2][0],
                    minter_refill=minter[2][1],
                    nonce=rest[3][0],
                    can_send=rest[4][0],
                    can_receive=rest[5][0],
                )
            )
        controller = minters + 3 * ACTORS
        records = tuple(seizure_record(w) for w in words[controller + 3 :])
        self.cached = View(
            height=int(block["number"], 16),
            timestamp=int(block["timestamp"], 16),
            supply=words[0][0],
            paused=bool(words[1][0]),
            policy=bool(words[2][0]),
            cap=words[3][0],
            limits=tuple((w[0], w[1]) for w in words[4:head]),
            accounts=tuple(accounts),
            allowances=tuple(w[0] for w in words[allowances:minters]),
            max_term=words[controller + 1][0],
            notice=words[controller][0],
            seizure_count=words[controller + 2][0],
            seizures=records,
        )
        return self.cached

    def expected_view(self) -> View:
        m, t = self.model, self.model.now
        accounts = []
        for a in self.addresses:
            record = m.minters.get(a)
            accounts.append(
                AccountView(
                    balance=m.balance(a),
                    blocked=a in m.blocked,
                    frozen=m.is_frozen(a, t),
                    frozen_until=m.frozen_until(a, t),
                    held=m.held(a, t),
                    holds=tuple(m.hold(a, o, t) for o in ORDERS),
                    hold_expiries=tuple(m.hold_expiry(a, o) for o in ORDERS),
                    tier=m.tiers.get(a, 0),
                    outflow=m.outflow_today(a, t),
                    linked=m.links.get(a, ZERO),
                    minter=record is not None,
                    minter_allowance=m.minter_allowance(a, t),
                    minter_capacity=record.capacity if record else 0,
                    minter_refill=record.refill if record else 0,
                    nonce=m.nonces.get(a, 0),
                    can_send=m.available_to_send(a, t),
                    can_receive=m.available_to_receive(a),
                )
            )
        none = Seizure(ZERO, ZERO, 0, "0x" + "00" * 32, "0x" + "00" * 32, ZERO, ZERO, 0, 0)
        return View(
            height=self.view().height,
            timestamp=m.now,
            supply=m.supply,
            paused=m.paused,
            policy=m.policy,
            cap=m.cap_shown(),
            limits=tuple(m.limits.get(tier, (0, 0)) for tier in range(TIERS)),
            accounts=tuple(accounts),
            allowances=tuple(m.allowance(o, s) for o in self.addresses for s in self.addresses),
            max_term=m.max_term.at(t),
            notice=m.notice.at(t),
            seizure_count=m.seizure_count,
            seizures=(*(m.seizures[n] for n in range(1, m.seizure_count + 1)), none),
        )


def seizure_record(w: list[int]) -> Seizure:
    """The controller's `seizure(id)`: token, from, to, amount, order, reason, proposer, approver,
    readyAt, status (the token is the fuzz world's, compared by the count of records alone)."""

    def address(value: int) -> str:
        return "0x" + value.to_bytes(20, "big").hex()

    def bytes32(value: int) -> str:
        return "0x" + value.to_bytes(32, "big").hex()

    return Seizure(
        address(w[1]),
        address(w[2]),
        w[3],
        bytes32(w[4]),
        bytes32(w[5]),
        address(w[6]),
        address(w[7]),
        w[8],
        w[9],
    )


def ledger_from(view: View, roles: Roles, addresses: list[str], admin_delay: int) -> Ledger:
    """The model of the world the fixture built, read from the chain at the start of an example (no
    setting waits then: the fixture's shorter notice applied before the examples start)."""
    m = Ledger(roles, view.timestamp)
    m.supply, m.paused, m.policy = view.supply, view.paused, view.policy
    m.max_term, m.notice, m.admin_delay = Setting(view.max_term), Setting(view.notice), admin_delay
    m.seizure_count = view.seizure_count
    m.seizures = {n + 1: record for n, record in enumerate(view.seizures[: view.seizure_count])}
    m.cap = min(view.cap, NO_CAP)
    m.limits = {tier: limits for tier, limits in enumerate(view.limits)}
    for a, state in zip(addresses, view.accounts, strict=True):
        m.balances[a] = state.balance
        if state.blocked:
            m.blocked.add(a)
        # The fixture freezes nobody: a freeze's order cannot be read back from the views.
        assert not state.frozen, f"{a} frozen at the start of an example"
        for order, amount, expires in zip(ORDERS, state.holds, state.hold_expiries, strict=True):
            if expires:
                m.holds[(a, order)] = Hold(amount, expires)
        m.tiers[a] = state.tier
        m.outflow[a] = (view.timestamp // DAY, state.outflow)
        if state.linked != ZERO:
            m.links[a] = state.linked
        if state.minter:
            m.minters[a] = Minter(
                state.minter_allowance, state.minter_capacity, state.minter_refill, view.timestamp
            )
        m.nonces[a] = state.nonce
    for k, value in enumerate(view.allowances):
        m.allowances[(addresses[k // ACTORS], addresses[k % ACTORS])] = value
    return m


def move_to(timestamp: int) -> None:
    """Mines an empty block at `timestamp`; with the one-second interval the next block is a second later."""
    for method, params in (("evm_setNextBlockTimestamp", [timestamp]), ("evm_mine", [])):
        # Not brownie's chain.mine(): its RPC guard runs inspect.stack(), 15 ms deep in hypothesis.
        response = web3.provider.make_request(method, params)
        assert "error" not in response, response


@contextmanager
def one_session() -> Iterator[None]:
    """All RPC requests over one HTTP session, which does not read the proxy settings.

    web3.py keeps a session per thread, and brownie awaits each receipt in a thread of its own: a new
    session and connection per transaction, and once the cache of sessions is full an eviction and a
    timer each; transactions took four times as long after 3,000 of them. requests also reads the
    whole environment for proxies before each request. The machine waits for each receipt, so no two
    threads use the session at once."""
    manager = getattr(web3.provider, "_request_session_manager", None)
    if manager is None or not hasattr(manager, "_explicit_session"):
        yield
        return
    session = requests.Session()
    session.trust_env = False
    saved, manager._explicit_session = manager._explicit_session, session
    try:
        yield
    finally:
        manager._explicit_session = saved
        session.close()


@contextmanager
def one_second_blocks() -> Iterator[None]:
    """Every block a second after the one before, whatever the wall clock: the model knows each
    transaction's timestamp (the latest block's plus one), and so each refill and each UTC day."""
    web3.provider.make_request("anvil_setBlockTimestampInterval", [1])
    try:
        yield
    finally:
        web3.provider.make_request("anvil_removeBlockTimestampInterval", [])


def actor_accounts() -> tuple[list[Any], list[bytes]]:
    """Five funded accounts whose keys sign permits and authorizations: Anvil's own where they match
    its mnemonic, else new deterministic ones."""
    Account.enable_unaudited_hdwallet_features()
    found, keys = [], []
    for index in range(FIRST_ACTOR_INDEX, FIRST_ACTOR_INDEX + ACTORS):
        derived = Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
        if index < len(accounts) and accounts[index].address == derived.address:
            found.append(accounts[index])
            keys.append(bytes(derived.key))
        else:
            local = accounts.add(keccak(text=f"tenge fuzz actor {index}"))
            accounts[0].transfer(local, "1 ether")
            found.append(local)
            keys.append(bytes(keccak(text=f"tenge fuzz actor {index}")))
    return found, keys


@pytest.fixture(scope="module")
def fuzz_world(
    token: Any,
    controller: Any,
    admin: Any,
    minter_admin: Any,
    minter: Any,
    pauser: Any,
    freezer: Any,
    blocklister: Any,
    proposer: Any,
    approver: Any,
    kyc: Any,
    seizures: Any,
) -> Iterator[World]:
    """The token with small tier limits, five actors with balances, tiers, links and allowances among
    them, two of them minters (one refilling), and the policy on; blocks a second apart."""
    with one_second_blocks():
        actors, keys = actor_accounts()
        for tier, (max_balance, daily) in LIMITS.items():
            token.setTierLimits(tier, max_balance, daily, REASON, {"from": admin})
        for i, actor in enumerate(actors):
            if OPENING_BALANCES[i]:
                token.mint(actor, OPENING_BALANCES[i], {"from": minter})
            if TIER_OF_ACTOR[i]:
                token.setTier(actor, TIER_OF_ACTOR[i], REASON, {"from": kyc})
            for j, spender in enumerate(actors):
                allowance = ALLOWANCE_PATTERN[(i + 2 * j) % len(ALLOWANCE_PATTERN)]
                if allowance:
                    token.approve(spender, allowance, {"from": actor})
        for i, linked in LINKS.items():
            token.setLinkedAccount(actors[i], actors[linked], REASON, {"from": kyc})
            token.acceptLinkedAccount(actors[linked], {"from": actors[i]})
        for i, (allowance, capacity, refill) in MINTER_SETTINGS.items():
            controller.configureMinterWithRefill(
                token, actors[i], allowance, capacity, refill, REASON, {"from": minter_admin}
            )
        token.setPolicyEnabled(True, REASON, {"from": admin})
        yield World(
            token,
            controller,
            actors,
            keys,
            admin,
            minter_admin,
            pauser,
            freezer,
            blocklister,
            proposer,
            approver,
            kyc,
            seizures,
        )


def fuzz_settings() -> tuple[int, int, int, bool]:
    """(seed, steps, steps per example, shrink) from FUZZ_SEED, FUZZ_STEPS, FUZZ_DEPTH, FUZZ_SHRINK."""
    seed = int(os.environ.get("FUZZ_SEED") or random.randrange(2**32))
    steps = int(os.environ.get("FUZZ_STEPS") or SHORT_STEPS)
    depth = int(os.environ.get("FUZZ_DEPTH") or DEPTH)
    return seed, steps, depth, os.environ.get("FUZZ_SHRINK", "1") != "0"


class BudgetSpent(unittest.SkipTest):
    """The run's budget of steps is spent: hypothesis lets a skip through at once, without shrinking."""


def test_stateful_fuzz(state_machine: Any, fuzz_world: World) -> None:
    seed, budget, depth, shrink = fuzz_settings()
    print(f"\nfuzz: seed {seed}, {budget} steps, {depth} per example (FUZZ_SEED={seed} repeats this run)")
    FuzzMachine.steps, FuzzMachine.budget, FuzzMachine.first_failure = 0, budget, None
    FuzzMachine.first_error = ""
    FuzzMachine.outcomes.clear()
    settings = {
        "max_examples": budget,  # more than enough: the budget of steps ends the run (BudgetSpent)
        "stateful_step_count": depth,
        "phases": [Phase.generate, Phase.shrink] if shrink else [Phase.generate],
        "database": None,  # a run is its seed; a found example becomes a regression file instead
        "report_multiple_bugs": False,
        "deadline": None,
    }
    lines: list[str] = []
    started = FuzzMachine.started = time.monotonic()
    # Brownie runs a full gc.collect() at every example's revert; the objects already alive (the
    # compiled project, the fixtures) need no second look, which takes most of that time away.
    gc.freeze()
    hypothesis.core.global_force_seed = seed  # type: ignore[assignment]  # as --hypothesis-seed
    try:
        with one_second_blocks(), one_session(), with_reporter(lines.append):
            state_machine(FuzzMachine, fuzz_world, settings=settings)
    except BudgetSpent:
        pass
    except BaseException:
        path = fuzz_regressions.write(seed, lines)
        if path:
            print(f"fuzz: the shrunk example is now {path}")
        raise
    finally:
        hypothesis.core.global_force_seed = None
        gc.unfreeze()
        report(seed, time.monotonic() - started)


def report(seed: int, elapsed: float) -> None:
    """Prints the run's speed and, for tools/mutation_check.py, writes it to FUZZ_REPORT."""
    steps, first = FuzzMachine.steps, FuzzMachine.first_failure
    rate = steps / elapsed if elapsed else 0.0
    found = f"first failure at step {first} (then shrunk)" if first else "no failure"
    print(f"fuzz: seed {seed}: {steps} steps in {elapsed:.0f} s ({rate:.1f} steps/s); {found}")
    kinds = sorted({kind for kind, _ in FuzzMachine.outcomes})
    for kind in kinds:
        seen = sorted(((n, o) for (k, o), n in FuzzMachine.outcomes.items() if k == kind), reverse=True)
        print(f"fuzz:   {kind:<16} " + ", ".join(f"{o} {n}" for n, o in seen))
    if os.environ.get("FUZZ_REPORT"):
        record: dict[str, object] = {"seed": seed, "steps": steps, "seconds": round(elapsed, 1)}
        record.update(first_failure=first, first_error=FuzzMachine.first_error)
        Path(os.environ["FUZZ_REPORT"]).write_text(json.dumps(record) + "\n")


def replay(world: World, steps: list[tuple[str, dict[str, Any]]]) -> None:
    """Runs `steps` (rule name, arguments) on a fresh machine, with every invariant after each, as
    hypothesis ran them: what a regression test file calls."""
    FuzzMachine.__init__(FuzzMachine, world)  # type: ignore[arg-type]
    FuzzMachine.steps, FuzzMachine.budget, FuzzMachine.first_failure = 0, sys.maxsize, None
    invariants = sorted(name for name in dir(FuzzMachine) if name.startswith("invariant_"))
    with one_second_blocks():
        machine = FuzzMachine.__new__(FuzzMachine)
        machine.setup()
        for name in invariants:
            getattr(machine, name)()
        for rule, arguments in steps:
            getattr(machine, rule)(**arguments)
            for name in invariants:
                getattr(machine, name)()
