"""Stateful, with the wallet policy on: the token machine's rules plus tier changes and jumps in time.

The model predicts each holding and outflow refusal; the invariants check from the chain that no
balance rose above its tier's limit except by a seizure, and that no account that sent today has sent
more than its tier allows.
"""

from __future__ import annotations

from typing import Any

import brownie
import test_stateful_token as base
from brownie.test import strategy
from conftest import REASON, UINT256_MAX, move_to
from hypothesis import HealthCheck

DAY = 86_400
NOON = DAY // 2
# Small limits, so that the machine's amounts (up to 600.00 KZT) often reach them; tier 3 is unlimited.
LIMITS = {0: (60_000, 8_000), 1: (100_000, 25_000), 2: (150_000, 4_000), 3: (UINT256_MAX, UINT256_MAX)}


def chain_day_and_time() -> tuple[int, int]:
    now = int(brownie.chain[-1].timestamp)
    return now // DAY, now % DAY


class PolicyMachine(base.TokenMachine):
    st_tier = strategy("uint8", max_value=3)
    st_hours = strategy("uint8", min_value=1, max_value=4)

    def __init__(cls, token: Any, actors: list[Any], kyc: Any, *roles: Any) -> None:
        base.TokenMachine.__init__(cls, token, actors, *roles)  # brownie calls __init__ on the class itself
        cls.kyc = kyc
        cls.limits = {tier: token.tierLimits(tier) for tier in LIMITS}
        views = [token.tierOf, token.outflowToday]
        cls.policy_reads = [v.encode_input(a) for a in actors for v in views]

    def setup(self) -> None:
        super().setup()
        # Start each run at noon of a later day: no step below crosses midnight by the wall clock.
        day, _ = chain_day_and_time()
        move_to((day + 1) * DAY + NOON)
        self.day = day + 1
        self.tiers = {a: 0 for a in self.actors}
        self.outflow = {a: (0, 0) for a in self.actors}  # (day, tiyn) as the contract keeps it
        self.balances_before = dict(self.balances)
        self.outflows_before = {a: 0 for a in self.actors}
        self.seized_into: set[Any] = set()

    # --- rules -----------------------------------------------------------------------------------------
    # A rule parameter names its brownie strategy in the default ("st_actor"); brownie passes the drawn
    # value, so the annotation is the value's type and mypy is told to accept the string default.

    def rule_set_tier(self, who: int = "st_actor", tier: int = "st_tier") -> None:  # type: ignore[assignment]
        account = self.actors[who]
        self.token.setTier(account, tier, REASON, {"from": self.kyc})
        self.tiers[account] = tier

    def rule_later_today(self, hours: int = "st_hours") -> None:  # type: ignore[assignment]
        day, time = chain_day_and_time()
        if time + hours * 3600 < DAY - 3600:
            move_to(day * DAY + time + hours * 3600)

    def rule_next_day(self) -> None:
        day, _ = chain_day_and_time()
        move_to((day + 1) * DAY + NOON)
        self.day = day + 1

    # --- the policy in the model ------------------------------------------------------------------------

    def transfer_error(self, src: Any, dst: Any, amount: int, operator: Any = None) -> base.Error:
        """After the other rules: the receiver's holding limit, then the sender's outflow (a transfer
        to oneself meets neither)."""
        error = super().transfer_error(src, dst, amount, operator)
        if error is not None or src == dst:
            return error
        return self.holding_error(dst, amount) or self.outflow_error(src, amount)

    def mint_error(self, dst: Any, amount: int) -> base.Error:
        return super().mint_error(dst, amount) or self.holding_error(dst, amount)

    def holding_error(self, account: Any, amount: int) -> base.Error:
        limit = LIMITS[self.tiers[account]][0]
        after = self.balances[account] + amount
        return ("HoldingLimitExceeded", account, after, limit) if after > limit else None

    def outflow_error(self, account: Any, amount: int) -> base.Error:
        limit = LIMITS[self.tiers[account]][1]
        after = self.outflow_today(account) + amount
        return ("DailyOutflowExceeded", account, after, limit) if after > limit else None

    def outflow_today(self, account: Any) -> int:
        day, spent = self.outflow[account]
        return spent if day == self.day else 0

    def sent(self, src: Any, amount: int) -> None:
        # Counted only while the tier has a daily limit, as the contract does.
        if LIMITS[self.tiers[src]][1] != UINT256_MAX:
            self.outflow[src] = (self.day, self.outflow_today(src) + amount)

    def rule_seize(
        self,
        source: int = "st_actor",  # type: ignore[assignment]
        destination: int = "st_destination",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
        order: int = "st_order",  # type: ignore[assignment]
    ) -> None:
        if destination < len(self.actors):
            self.seized_into.add(self.actors[destination])
        super().rule_seize(source, destination, amount, order)

    # --- invariants ------------------------------------------------------------------------------------

    def invariant_policy_matches_model(self) -> None:
        tiers, outflows = self.policy_view()
        assert tiers == self.tiers
        assert outflows == {a: self.outflow_today(a) for a in self.actors}

    def invariant_no_balance_rises_above_its_limit(self) -> None:
        # From the chain alone: balances, tiers and the limits the contract reports.
        _, accounts = self.chain_view()
        tiers, _ = self.policy_view()
        for a in self.actors:
            balance = accounts[a].balance
            if balance > self.balances_before[a] and a not in self.seized_into:
                assert balance <= self.limits[tiers[a]][0], f"{a} rose above its holding limit"
        self.balances_before = {a: accounts[a].balance for a in self.actors}
        self.seized_into = set()

    def invariant_no_days_outflow_above_its_limit(self) -> None:
        # From the chain alone: whoever sent in this step is within its tier's daily limit.
        tiers, outflows = self.policy_view()
        for a in self.actors:
            if outflows[a] > self.outflows_before[a]:
                assert outflows[a] <= self.limits[tiers[a]][1], f"{a} sent more today than its tier allows"
        self.outflows_before = outflows

    def policy_view(self) -> tuple[dict[Any, int], dict[Any, int]]:
        words = [int.from_bytes(r, "big") for r in self.token.multicall.call(self.policy_reads)]
        tiers = {a: words[2 * i] for i, a in enumerate(self.actors)}
        outflows = {a: words[2 * i + 1] for i, a in enumerate(self.actors)}
        return tiers, outflows


def test_stateful_policy(
    state_machine: Any,
    policy_token: Any,
    admin: Any,
    minter: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    outsider: Any,
    kyc: Any,
    freezer: Any,
    blocklister: Any,
    proposer: Any,
    approver: Any,
) -> None:
    for tier, (max_balance, daily) in LIMITS.items():
        policy_token.setTierLimits(tier, max_balance, daily, REASON, {"from": admin})
    policy_token.mint(alice, 50_000, {"from": minter})
    policy_token.mint(bob, 30_000, {"from": minter})
    actors = [alice, bob, carol, outsider]
    for owner in actors:
        for spender in actors:
            policy_token.approve(spender, UINT256_MAX, {"from": owner})
    state_machine(
        PolicyMachine,
        policy_token,
        actors,
        kyc,
        minter,
        freezer,
        blocklister,
        proposer,
        approver,
        settings={
            "max_examples": 20,
            "stateful_step_count": 15,
            # A step draws several uint256 amounts: Hypothesis's size check can trip on a run of large draws
            # (seen once in 20 runs), which says nothing about the token.
            "suppress_health_check": [HealthCheck.data_too_large],
        },
    )
