"""Every path that moves value x every restriction, generated from two tables.

PATHS says how each path moves `AMOUNT` from its payer to its payee and who sends it (the operator);
RESTRICTIONS says how each restriction is put in place and what it does to a path. Each cell asserts
the exact custom error, or the exact balance changes (both legs of a waterfall included) and the
minter's allowance at the mint controller (a mint spends it; a refused one spends nothing). A new path
or a new rule is one row in one of the two tables, and the whole matrix covers it.

Freezes and holds carry an expiry (issue 14): a lapsed one binds no path from that second on, with no
transaction. A seizure executes its own order's hold through the seizure controller (proposed by one
account, approved by another, notice 0 here): it meets the pause, the payer's blocklisting, freeze and
the wallet policy not at all, but other orders' holds and a blocked payee as every path does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from brownie import ZERO_ADDRESS, TengeEarmarks, accounts
from conftest import (
    OTHER_REASON,
    REASON,
    UINT256_MAX,
    chain_now,
    expiry,
    move_to,
    new_nonce,
    reverts_with,
    seize,
    sign_authorization,
    sign_permit,
    traced,
)
from eth_utils.crypto import keccak

AMOUNT = 1_000  # 10.00 KZT
T0_MAX = 100_000_00  # tier 0's default holding limit, in tiyn
MINTER_ROLE = "0x" + keccak(text="MINTER_ROLE").hex()  # named by the refusal of a non-minter
SEIZURE_ORDER = "0x" + "5e" * 32  # the order the seizure paths execute (their own hold)
THIRD_ORDER = "0x" + "3d" * 32  # a second order besides the seizure's, holding with OTHER_REASON's
REFERENCE = "0x" + "ab" * 32
LAPSE = 600  # seconds until a lapsing freeze or hold of a cell ends
CANCELLED = 4  # ISeizureController.Status.Cancelled

Error = tuple[Any, ...]


@dataclass
class World:
    """The actors of one cell: the payer signs (it has a key), the operator acts for it."""

    token: Any
    payer: Any
    payee: Any
    operator: Any
    permit_spender: Any
    bank: Any
    minter: Any
    admin: Any
    kyc: Any
    freezer: Any
    blocklister: Any
    pauser: Any
    proposer: Any
    approver: Any
    seizures: Any
    controller: Any
    minter_admin: Any
    seizure: int = 0  # the seizure a path proposed and approved in its `prepare` (0: none)
    earmarks: Any = None  # the earmark contract beside the token (issue 16)
    # The purpose of each earmark path: the payer holds earmarked money of both; the payee is a final
    # recipient of one, an intermediate recipient of the other.
    purposes: dict[str, int] = field(default_factory=dict)


# --- the paths ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    name: str
    payer: Callable[[World], Any]  # ZERO_ADDRESS for a mint
    payee: Callable[[World], Any]  # ZERO_ADDRESS for a burn
    operator: Callable[[World], Any]  # who sends the transaction
    send: Callable[[World], Any]
    counts_outflow: bool = True
    bypass: bool = False  # the seizure: executes an order, outside the rules
    cites_reference: bool = False  # the operator cites REFERENCE, which it may use once
    prepare: Callable[[World], None] = lambda w: None
    # An earmark payment (issue 16): from the payer's earmarked balance of a purpose, to a "final" payee
    # as plain DKZT (the earmark contract's transfer), or to an "intermediate" one still earmarked.
    earmark: str = ""


def _authorization(w: World, kind: str, to: Any) -> tuple[Any, ...]:
    valid_before, nonce = chain_now() + 3600, new_nonce()
    v, r, s = sign_authorization(w.token, kind, w.payer, to, AMOUNT, 0, valid_before, nonce)
    return (w.payer, to, AMOUNT, 0, valid_before, nonce, v, r, s)


def _permit_then_transfer_from(w: World) -> Any:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(w.token, w.payer, w.permit_spender, AMOUNT, deadline)
    calls = [
        _overload(w.token.permit, 7).encode_input(w.payer, w.permit_spender, AMOUNT, deadline, v, r, s),
        w.token.transferFrom.encode_input(w.payer, w.payee, AMOUNT),
    ]
    return w.token.multicall(calls, {"from": w.permit_spender})


def _overload(method: Any, arity: int) -> Any:
    """The form of an overloaded function that takes `arity` arguments."""
    return next(m for m in method.methods.values() if len(m.abi["inputs"]) == arity)


def _held_for_seizure(w: World) -> None:
    w.token.placeHold(w.payer, AMOUNT, expiry(), SEIZURE_ORDER, {"from": w.freezer})


def _seizure_approved(w: World) -> None:
    """The hold, and its seizure proposed and approved: what is left is the execution."""
    _held_for_seizure(w)
    proposed = w.seizures.proposeSeizure(
        w.token, w.payer, w.payee, AMOUNT, SEIZURE_ORDER, REASON, {"from": w.proposer}
    )
    w.seizure = proposed.events["SeizureProposed"]["id"]
    w.seizures.approveSeizure(w.seizure, REASON, {"from": w.approver})


def _earmark_pay(w: World, kind: str) -> Any:
    return w.earmarks.pay(w.purposes[kind], w.payee, AMOUNT, {"from": w.payer})


PATHS = [
    Path(
        "transfer",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.payer,
        lambda w: w.token.transfer(w.payee, AMOUNT, {"from": w.payer}),
    ),
    Path(
        "transferFrom",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.operator,
        lambda w: w.token.transferFrom(w.payer, w.payee, AMOUNT, {"from": w.operator}),
    ),
    Path(
        "permit + transferFrom",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.permit_spender,
        _permit_then_transfer_from,
    ),
    Path(
        "transferWithReference",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.payer,
        lambda w: w.token.transferWithReference(w.payee, AMOUNT, REFERENCE, {"from": w.payer}),
        cites_reference=True,
    ),
    Path(
        "transferFromWithReference",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.operator,
        lambda w: w.token.transferFromWithReference(
            w.payer, w.payee, AMOUNT, REFERENCE, {"from": w.operator}
        ),
        cites_reference=True,
    ),
    Path(
        "transferWithAuthorization",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.operator,
        lambda w: w.token.transferWithAuthorization(
            *_authorization(w, "TransferWithAuthorization", w.payee), {"from": w.operator}
        ),
    ),
    Path(
        "receiveWithAuthorization",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.payee,
        lambda w: w.token.receiveWithAuthorization(
            *_authorization(w, "ReceiveWithAuthorization", w.payee), {"from": w.payee}
        ),
    ),
    Path(
        "multicall(transfer)",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.payer,
        lambda w: w.token.multicall([w.token.transfer.encode_input(w.payee, AMOUNT)], {"from": w.payer}),
    ),
    Path(
        "multicall(transferFrom)",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.operator,
        lambda w: w.token.multicall(
            [w.token.transferFrom.encode_input(w.payer, w.payee, AMOUNT)], {"from": w.operator}
        ),
    ),
    Path(
        "mint",
        lambda w: ZERO_ADDRESS,
        lambda w: w.payee,
        lambda w: w.minter,
        lambda w: w.token.mint(w.payee, AMOUNT, {"from": w.minter}),
        counts_outflow=False,
    ),
    Path(
        "burn",
        lambda w: w.minter,
        lambda w: ZERO_ADDRESS,
        lambda w: w.minter,
        lambda w: w.token.burn(AMOUNT, {"from": w.minter}),
        counts_outflow=False,
    ),
    Path(
        "seize (propose, approve, execute)",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.approver,  # the conftest helper executes as the approver
        lambda w: seize(w.token, w.proposer, w.approver, w.payer, w.payee, AMOUNT, order=SEIZURE_ORDER),
        counts_outflow=False,
        bypass=True,
        prepare=_held_for_seizure,
    ),
    Path(
        "executeSeizure (approved before the restriction)",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.operator,  # anyone executes
        lambda w: w.seizures.executeSeizure(w.seizure, {"from": w.operator}),
        counts_outflow=False,
        bypass=True,
        prepare=_seizure_approved,
    ),
    # The earmark contract moves the DKZT (the payer's own balance is untouched); the token's rules on
    # the two parties (pause, blocklist, the payer's freeze) and, for a release, on the payee's holding.
    Path(
        "earmark pay (final recipient)",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.payer,
        lambda w: _earmark_pay(w, "final"),
        counts_outflow=False,
        earmark="final",
    ),
    Path(
        "earmark pay (intermediate recipient)",
        lambda w: w.payer,
        lambda w: w.payee,
        lambda w: w.payer,
        lambda w: _earmark_pay(w, "intermediate"),
        counts_outflow=False,
        earmark="intermediate",
    ),
]


# --- the restrictions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restriction:
    """`arrange` puts the restriction on the cell's path; `refusal` is the error it must cause on that
    path (None: the move succeeds), and `waterfall` the linked account's share of a successful move."""

    name: str
    arrange: Callable[[World, Path], None]
    refusal: Callable[[World, Path], Error | None]
    waterfall: int = 0


def _real(account: Any) -> bool:
    return bool(account != ZERO_ADDRESS)


def _fill(w: World, account: Any, balance: int) -> None:
    """Mints `account` up to `balance` (the minter is in the unlimited tier)."""
    w.token.mint(account, balance - w.token.balanceOf(account), {"from": w.minter})


def _block(w: World, account: Any) -> None:
    if _real(account) and not w.token.isBlocked(account):
        w.token.blockAccount(account, REASON, {"from": w.blocklister})


def _payer_blocked_refusal(w: World, p: Path) -> Error | None:
    payer = p.payer(w)
    return None if p.bypass or not _real(payer) else ("AccountBlocked", payer)


def _payee_blocked_refusal(w: World, p: Path) -> Error | None:
    payee = p.payee(w)
    return ("AccountBlocked", payee) if _real(payee) else None


def _operator_blocked_arrange(w: World, p: Path) -> None:
    # A seizure's executor (and its approver) is blocked too: the order binds the holder, not them.
    if p.operator(w) not in (p.payer(w), p.payee(w)):
        _block(w, p.operator(w))


def _operator_blocked_refusal(w: World, p: Path) -> Error | None:
    operator = p.operator(w)
    if p.bypass or operator in (p.payer(w), p.payee(w)):
        return None
    return ("AccountBlocked", operator)


def _frozen_arrange(w: World, p: Path) -> None:
    if _real(p.payer(w)):
        w.token.freeze(p.payer(w), expiry(), REASON, {"from": w.freezer})


def _freeze_lapsed_arrange(w: World, p: Path) -> None:
    """Frozen until LAPSE seconds from now, then the chain's clock moved to that second: no transaction
    lifts it, the time alone."""
    if _real(p.payer(w)):
        until = expiry(LAPSE)
        w.token.freeze(p.payer(w), until, REASON, {"from": w.freezer})
        move_to(until)


def _payee_frozen_arrange(w: World, p: Path) -> None:
    if _real(p.payee(w)):
        w.token.freeze(p.payee(w), expiry(), REASON, {"from": w.freezer})


def _frozen_refusal(w: World, p: Path) -> Error | None:
    payer = p.payer(w)
    if p.bypass or not _real(payer):
        return None
    return ("AccountFrozen", payer)


def _unheld_by_others(w: World, payer: Any) -> int:
    """What the payer's balance has above its holds, the seizure's own hold aside (a seizure takes it)."""
    own = w.token.holdOf(payer, SEIZURE_ORDER)[0]
    return int(w.token.balanceOf(payer) - w.token.frozenAmount(payer) + own)


def _held_arrange(w: World, p: Path) -> None:
    payer = p.payer(w)
    if _real(payer):
        # Another order holds all but AMOUNT - 1 of what the payer has free.
        free = _unheld_by_others(w, payer)
        w.token.placeHold(payer, free - AMOUNT + 1, expiry(), OTHER_REASON, {"from": w.freezer})


def _held_by_two_arrange(w: World, p: Path) -> None:
    payer = p.payer(w)
    if _real(payer):
        # Two other orders hold, together, all but AMOUNT - 1 of what the payer has free.
        held = _unheld_by_others(w, payer) - AMOUNT + 1
        w.token.placeHold(payer, held // 2, expiry(), OTHER_REASON, {"from": w.freezer})
        w.token.placeHold(payer, held - held // 2, expiry(2 * LAPSE), THIRD_ORDER, {"from": w.freezer})


def _hold_lapsed_arrange(w: World, p: Path) -> None:
    payer = p.payer(w)
    if _real(payer):
        # Another order held all but AMOUNT - 1 of it, until the clock reached its expiry.
        until = expiry(LAPSE)
        free = _unheld_by_others(w, payer)
        w.token.placeHold(payer, free - AMOUNT + 1, until, OTHER_REASON, {"from": w.freezer})
        move_to(until)


def _hold_released_to_the_amount_arrange(w: World, p: Path) -> None:
    payer = p.payer(w)
    if _real(payer):
        # Another order held all but AMOUNT - 1; a release of 1 leaves exactly AMOUNT to move.
        free = _unheld_by_others(w, payer)
        w.token.placeHold(payer, free - AMOUNT + 1, expiry(), OTHER_REASON, {"from": w.freezer})
        w.token.releaseHold(payer, OTHER_REASON, 1, REASON, {"from": w.freezer})


def _held_refusal(w: World, p: Path) -> Error | None:
    # A seizure takes only what the other orders' holds leave, as every other path spends.
    # Holds bind a token balance: earmarked money is the earmark contract's (see README, Earmarked).
    payer = p.payer(w)
    if not _real(payer) or p.earmark:
        return None
    return ("InsufficientUnfrozenBalance", payer, AMOUNT - 1, AMOUNT)


def _seized_hold_lapsed_arrange(w: World, p: Path) -> None:
    """The hold a seizure executes reaches its expiry before the execution."""
    if p.bypass:
        move_to(int(w.token.holdOf(p.payer(w), SEIZURE_ORDER)[1]))


def _seized_hold_released_arrange(w: World, p: Path, amount: int) -> None:
    if p.bypass:
        w.token.releaseHold(p.payer(w), SEIZURE_ORDER, amount, OTHER_REASON, {"from": w.freezer})


def _seized_hold_gone_refusal(w: World, p: Path) -> Error | None:
    return ("HoldNotActive", p.payer(w), SEIZURE_ORDER) if p.bypass else None


def _seized_hold_short_refusal(w: World, p: Path) -> Error | None:
    return ("HoldExceeded", p.payer(w), SEIZURE_ORDER, AMOUNT - 1, AMOUNT) if p.bypass else None


def _seizure_cancelled_arrange(w: World, p: Path) -> None:
    if w.seizure:
        w.seizures.cancelSeizure(w.seizure, OTHER_REASON, {"from": w.approver})


def _seizure_cancelled_refusal(w: World, p: Path) -> Error | None:
    # Only a path with a seizure already approved has one to cancel; the others start afresh.
    return ("SeizureNotPending", w.seizure, CANCELLED) if w.seizure else None


def _at_limit_arrange(w: World, p: Path) -> None:
    if _real(p.payee(w)):
        _fill(w, p.payee(w), T0_MAX)


def _at_limit_refusal(w: World, p: Path) -> Error | None:
    # Money still earmarked is no holding of the payee's: only a release meets its limit.
    payee = p.payee(w)
    if p.bypass or not _real(payee) or p.earmark == "intermediate":
        return None
    return ("HoldingLimitExceeded", payee, T0_MAX + AMOUNT, T0_MAX)


ROOM = 400  # what the payee can still hold in the waterfall cells


def _near_limit_linked_arrange(w: World, p: Path) -> None:
    if _real(p.payee(w)):
        _fill(w, p.payee(w), T0_MAX - ROOM)
        w.token.setLinkedAccount(p.payee(w), w.bank, REASON, {"from": w.kyc})
        w.token.acceptLinkedAccount(w.bank, {"from": p.payee(w)})


def _near_limit_linked_refusal(w: World, p: Path) -> Error | None:
    # Earmarked money released to a final recipient may fall through only to an approved recipient.
    return ("RecipientNotApproved", w.purposes["final"], w.bank) if p.earmark == "final" else None


def _at_limit_blocked_link_arrange(w: World, p: Path) -> None:
    if _real(p.payee(w)):
        _fill(w, p.payee(w), T0_MAX)
        w.token.setLinkedAccount(p.payee(w), w.bank, REASON, {"from": w.kyc})
        w.token.acceptLinkedAccount(w.bank, {"from": p.payee(w)})
    _block(w, w.bank)


def _at_limit_blocked_link_refusal(w: World, p: Path) -> Error | None:
    if p.bypass or not _real(p.payee(w)) or p.earmark == "intermediate":
        return None
    return ("AccountBlocked", w.bank)


def _unused_blocked_link_arrange(w: World, p: Path) -> None:
    if _real(p.payee(w)):
        w.token.setLinkedAccount(p.payee(w), w.bank, REASON, {"from": w.kyc})
        w.token.acceptLinkedAccount(w.bank, {"from": p.payee(w)})
    _block(w, w.bank)


def _blocked_at_limit_linked_arrange(w: World, p: Path) -> None:
    """The audit's bypass: a blocked payee at its limit whose excess would go on to its (clean) bank."""
    if _real(p.payee(w)):
        _fill(w, p.payee(w), T0_MAX)
        w.token.setLinkedAccount(p.payee(w), w.bank, REASON, {"from": w.kyc})
        w.token.acceptLinkedAccount(w.bank, {"from": p.payee(w)})
    _block(w, p.payee(w))


def _outflow_arrange(w: World, p: Path) -> None:
    payer = p.payer(w)
    if _real(payer) and p.counts_outflow:
        # Tier 1 with a day's outflow of AMOUNT - 1 and room to hold.
        w.token.setTierLimits(1, 1_000_000_00, AMOUNT - 1, REASON, {"from": w.admin})
        w.token.setTier(payer, 1, REASON, {"from": w.kyc})


def _outflow_refusal(w: World, p: Path) -> Error | None:
    if not p.counts_outflow:
        return None
    return ("DailyOutflowExceeded", p.payer(w), AMOUNT, AMOUNT - 1)


def _minter_short_arrange(w: World, p: Path) -> None:
    w.controller.configureMinter(w.token, w.minter, AMOUNT - 1, REASON, {"from": w.minter_admin})


def _minter_short_refusal(w: World, p: Path) -> Error | None:
    # Only issuance spends an allowance: a burn, or any move the minter is not the issuer of, is untouched.
    return ("MinterAllowanceExceeded", w.minter, AMOUNT - 1, AMOUNT) if not _real(p.payer(w)) else None


def _minter_removed_refusal(w: World, p: Path) -> Error | None:
    if p.operator(w) != w.minter or p.bypass:
        return None
    return ("AccessControlUnauthorizedAccount", w.minter, MINTER_ROLE)


def _reference_used_arrange(w: World, p: Path) -> None:
    if p.cites_reference:
        p.send(w)  # the same payment once already: its reference is used


def _reference_used_refusal(w: World, p: Path) -> Error | None:
    return (
        ("PaymentReferenceUsed", p.operator(w), bytes.fromhex(REFERENCE[2:])) if p.cites_reference else None
    )


RESTRICTIONS = [
    Restriction("none", lambda w, p: None, lambda w, p: None),
    Restriction(
        "paused",
        lambda w, p: w.token.pause(REASON, {"from": w.pauser}),
        lambda w, p: None if p.bypass else ("EnforcedPause",),
    ),
    Restriction("payer blocked", lambda w, p: _block(w, p.payer(w)), _payer_blocked_refusal),
    Restriction("payee blocked", lambda w, p: _block(w, p.payee(w)), _payee_blocked_refusal),
    Restriction("operator blocked", _operator_blocked_arrange, _operator_blocked_refusal),
    Restriction("linked account blocked, link unused", _unused_blocked_link_arrange, lambda w, p: None),
    Restriction("payer frozen", _frozen_arrange, _frozen_refusal),
    Restriction("payer's freeze lapsed", _freeze_lapsed_arrange, lambda w, p: None),
    Restriction("payee frozen", _payee_frozen_arrange, lambda w, p: None),
    Restriction("payer's funds held by another order", _held_arrange, _held_refusal),
    Restriction("payer's funds held by two other orders", _held_by_two_arrange, _held_refusal),
    Restriction("another order's hold lapsed", _hold_lapsed_arrange, lambda w, p: None),
    Restriction(
        "another order's hold released down to the amount",
        _hold_released_to_the_amount_arrange,
        lambda w, p: None,
    ),
    # The seizure's own hold and its record: they bind the seizure paths only.
    Restriction("the seized hold lapsed", _seized_hold_lapsed_arrange, _seized_hold_gone_refusal),
    Restriction(
        "the seized hold released",
        lambda w, p: _seized_hold_released_arrange(w, p, AMOUNT),
        _seized_hold_gone_refusal,
    ),
    Restriction(
        "the seized hold partly released",
        lambda w, p: _seized_hold_released_arrange(w, p, 1),
        _seized_hold_short_refusal,
    ),
    Restriction("the approved seizure cancelled", _seizure_cancelled_arrange, _seizure_cancelled_refusal),
    Restriction("payee at its holding limit, no link", _at_limit_arrange, _at_limit_refusal),
    Restriction(
        "payee near its limit, linked",
        _near_limit_linked_arrange,
        _near_limit_linked_refusal,
        waterfall=AMOUNT - ROOM,
    ),
    Restriction(
        "payee at its limit, link blocked", _at_limit_blocked_link_arrange, _at_limit_blocked_link_refusal
    ),
    Restriction(
        "payee blocked, at its limit, linked", _blocked_at_limit_linked_arrange, _payee_blocked_refusal
    ),
    Restriction("payer over its daily outflow", _outflow_arrange, _outflow_refusal),
    Restriction("reference already used by its sender", _reference_used_arrange, _reference_used_refusal),
    # The mint controller's rules: they bind the minter, whatever the pipeline would allow.
    Restriction("minter's allowance below the amount", _minter_short_arrange, _minter_short_refusal),
    Restriction(
        "minter removed",
        lambda w, p: w.controller.removeMinter(w.token, w.minter, REASON, {"from": w.minter_admin}),
        _minter_removed_refusal,
    ),
]


# --- the world and the cells -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(
    policy_token: Any,
    controller: Any,
    minter_admin: Any,
    admin: Any,
    minter: Any,
    kyc: Any,
    freezer: Any,
    blocklister: Any,
    pauser: Any,
    proposer: Any,
    approver: Any,
    seizures: Any,
    bob: Any,
    carol: Any,
    outsider: Any,
) -> World:
    """Policy on with its default tiers; the payer (tier 0, a key we hold) has 1,000.00 KZT and gave the
    operator an infinite allowance; the bank is tier 2; the minter is a system account (tier 3)."""
    token = policy_token
    payer = accounts.add()
    admin.transfer(payer, "1 ether")
    token.setTier(minter, 3, REASON, {"from": kyc})
    token.setTier(outsider, 2, REASON, {"from": kyc})
    token.mint(payer, 100_000, {"from": minter})
    token.mint(minter, 100_000, {"from": minter})
    token.approve(carol, UINT256_MAX, {"from": payer})
    earmarks, purposes = _earmarks(token, admin, minter, kyc, payer, bob)
    return World(
        token,
        payer,
        bob,
        carol,
        accounts[15],
        outsider,
        minter,
        admin,
        kyc,
        freezer,
        blocklister,
        pauser,
        proposer,
        approver,
        seizures,
        controller,
        minter_admin,
        earmarks=earmarks,
        purposes=purposes,
    )


def _earmarks(
    token: Any, admin: Any, minter: Any, kyc: Any, payer: Any, payee: Any
) -> tuple[Any, dict[str, int]]:
    """The earmark contract (a system account, tier 3) and two purposes, each earmarking 100.00 KZT to
    the payer: the payee is a final recipient of one, an intermediate recipient of the other."""
    budget = accounts[16]
    earmarks = traced(TengeEarmarks.deploy(token, {"from": admin}))
    token.setTier(earmarks, 3, REASON, {"from": kyc})
    token.grantRole(earmarks.BUDGET_HOLDER_ROLE(), budget, {"from": admin})
    token.setTier(budget, 3, REASON, {"from": kyc})
    token.mint(budget, 100_000, {"from": minter})
    token.approve(earmarks, UINT256_MAX, {"from": budget})
    purposes = {}
    for kind, code in (("final", 2), ("intermediate", 1)):
        number = earmarks.createPurpose(
            REFERENCE, chain_now() + 365 * 86_400, REASON, {"from": budget}
        ).return_value
        earmarks.approveRecipient(number, payer, 1, REASON, {"from": budget})
        earmarks.approveRecipient(number, payee, code, REASON, {"from": budget})
        earmarks.deposit(number, 10_000, {"from": budget})
        earmarks.earmark(number, payer, 10_000, "0x" + "00" * 32, {"from": budget})
        purposes[kind] = int(number)
    return earmarks, purposes


def _holdings(w: World, path: Path) -> dict[str, int]:
    parties = {"payer": path.payer(w), "payee": path.payee(w), "bank": w.bank}
    held = {name: w.token.balanceOf(a) for name, a in parties.items() if _real(a)}
    # A plain call: under --coverage a view called as a transaction would trace twice per cell.
    allowance = w.controller.minterAllowance.call(w.token, w.minter)
    found = {**held, "supply": w.token.totalSupply(), "minter allowance": allowance}
    if path.earmark:
        purpose = w.purposes[path.earmark]
        found["payer earmarked"] = w.earmarks.balanceOf(purpose, path.payer(w))
        found["payee earmarked"] = w.earmarks.balanceOf(purpose, path.payee(w))
        found["earmark contract"] = w.token.balanceOf(w.earmarks)
    return found


@pytest.mark.parametrize("restriction", RESTRICTIONS, ids=lambda r: r.name)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_cell(world: World, path: Path, restriction: Restriction) -> None:
    world.seizure = 0  # the world outlives each cell's chain state: no seizure from an earlier cell
    path.prepare(world)
    restriction.arrange(world, path)
    refusal = restriction.refusal(world, path)
    before = _holdings(world, path)
    if refusal is not None:
        with reverts_with(*refusal):
            path.send(world)
        assert _holdings(world, path) == before
        return
    path.send(world)
    linked_share = 0 if path.bypass or not _real(path.payee(world)) else restriction.waterfall
    expected = dict(before)
    if path.earmark:
        # The earmarked balance pays; the DKZT leaves the earmark contract on a release only.
        expected["payer earmarked"] -= AMOUNT
        if path.earmark == "intermediate":
            expected["payee earmarked"] += AMOUNT
            assert _holdings(world, path) == expected
            return
        expected["earmark contract"] -= AMOUNT
        expected["payer"] += AMOUNT  # offsets the payer's debit below: its own DKZT did not move
    if _real(path.payer(world)):
        expected["payer"] -= AMOUNT
    if _real(path.payee(world)):
        expected["payee"] += AMOUNT - linked_share
    expected["bank"] += linked_share
    expected["supply"] += (
        AMOUNT if not _real(path.payer(world)) else -AMOUNT if not _real(path.payee(world)) else 0
    )
    # The mint went through the controller: it spent exactly the amount of the minter's allowance.
    expected["minter allowance"] -= AMOUNT if not _real(path.payer(world)) else 0
    assert _holdings(world, path) == expected
