"""Stateful: earmarked money (issue 16) under random deposits, withdrawals, earmarks, payments down a
three-level supply chain (two intermediate recipients, one final), recipients approved and removed, the
clock moving past expiries, purposes closed, and the token's controls (freeze, blocklist, pause)
switched on and off on every party.

Every rule predicts from a model whether the call succeeds or which error it must raise, in the order
the contract checks, and checks the chain agrees. The invariants: the DKZT the earmark contract holds is
the sum of its open purposes' unspent money (pool and every holder's balance), on chain and in the model;
an address that was never approved holds nothing earmarked and never receives DKZT; a purpose's return
at expiry is exactly its unspent amount; the supply never changes.
"""

from __future__ import annotations

import os
from typing import Any

import brownie
from brownie.test import strategy
from conftest import REASON, UINT256_MAX, chain_now, expect, move_to, traced

Error = tuple[Any, ...] | None
NONE_ID = "0x" + "00" * 32
DAY = 86_400
INTERMEDIATE, FINAL = 1, 2
# Each purpose's kind of recipient for the three approved parties: the contractor and the subcontractor
# carry the mark on, the supplier takes plain DKZT.
KINDS = (INTERMEDIATE, INTERMEDIATE, FINAL)
# One purpose ends within an example, one outlasts it. Waits are whole days and the short term a day
# and a half, so no step lands within seconds of an expiry, where a transaction mined a second after
# the latest block (the model's clock) would see the other side of it.
TERMS = (DAY + DAY // 2, 40 * DAY)


class EarmarkMachine:
    st_purpose = strategy("uint8", max_value=len(TERMS) - 1)
    st_party = strategy("uint8", max_value=2)  # contractor, subcontractor, supplier
    st_anyone = strategy("uint8", max_value=4)  # ... the funder, the never-approved firm
    st_amount = strategy("uint256", max_value=30_000)

    def __init__(
        cls, token: Any, earmarks: Any, funder: Any, parties: list[Any], stranger: Any, **roles: Any
    ) -> None:
        cls.token, cls.earmarks, cls.funder = token, earmarks, funder
        cls.parties, cls.stranger = parties, stranger
        cls.everyone = [*parties, funder, stranger]
        cls.freezer, cls.blocklister, cls.pauser = roles["freezer"], roles["blocklister"], roles["pauser"]
        cls.supply = token.totalSupply()
        cls.stranger_balance = token.balanceOf(stranger)

    def setup(self) -> None:
        """Two purposes, each with the three parties approved and nothing deposited yet."""
        self.ids: list[int] = []
        self.ends: list[int] = []
        for term in TERMS:
            ends = chain_now() + term
            number = int(
                self.earmarks.createPurpose(NONE_ID, ends, REASON, {"from": self.funder}).return_value
            )
            for party, kind in zip(self.parties, KINDS, strict=True):
                self.earmarks.approveRecipient(number, party, kind, REASON, {"from": self.funder})
            self.ids.append(number)
            self.ends.append(ends)
        self.pool = [0, 0]
        self.held: list[dict[Any, int]] = [{}, {}]  # earmarked balances, per purpose
        self.approved = [dict(zip(self.parties, KINDS, strict=True)) for _ in TERMS]
        self.closed = [False, False]
        self.frozen: set[Any] = set()
        self.blocked: set[Any] = set()
        self.paused = False
        self.orders = 0

    # --- rules ------------------------------------------------------------------------------------

    def rule_deposit(self, p: int = "st_purpose", amount: int = "st_amount") -> None:  # type: ignore[assignment]
        error = (
            self.open_error(p) or self.amount_error(amount) or self.token_error(self.funder, self.earmarks)
        )
        if expect(error, self.funder, self.earmarks.deposit, self.ids[p], amount):
            self.pool[p] += amount

    def rule_withdraw(self, p: int = "st_purpose", amount: int = "st_amount") -> None:  # type: ignore[assignment]
        error = self.open_error(p) or self.amount_error(amount)
        if error is None and amount > self.pool[p]:
            error = ("EarmarkInsufficient", self.ids[p], self.funder, self.pool[p], amount)
        error = error or self.token_error(self.earmarks, self.funder)
        if expect(error, self.funder, self.earmarks.withdraw, self.ids[p], amount, REASON):
            self.pool[p] -= amount

    def rule_earmark(self, p: int = "st_purpose", to: int = "st_anyone", amount: int = "st_amount") -> None:  # type: ignore[assignment]
        payee = self.everyone[to]
        error = self.open_error(p) or self.amount_error(amount)
        if error is None and amount > self.pool[p]:
            error = ("EarmarkInsufficient", self.ids[p], self.funder, self.pool[p], amount)
        error = error or self.delivery_error(p, self.funder, payee)
        if expect(error, self.funder, self.earmarks.earmark, self.ids[p], payee, amount, NONE_ID):
            self.pool[p] -= amount
            self.deliver(p, payee, amount)

    def rule_pay(
        self,
        p: int = "st_purpose",  # type: ignore[assignment]
        payer: int = "st_party",  # type: ignore[assignment]
        to: int = "st_anyone",  # type: ignore[assignment]
        amount: int = "st_amount",  # type: ignore[assignment]
    ) -> None:
        source, payee = self.parties[payer], self.everyone[to]
        balance = self.held[p].get(source, 0)
        error = self.open_error(p) or self.amount_error(amount)
        if error is None and amount > balance:
            error = ("EarmarkInsufficient", self.ids[p], source, balance, amount)
        error = error or self.delivery_error(p, source, payee)
        if expect(error, source, self.earmarks.pay, self.ids[p], payee, amount):
            self.held[p][source] = balance - amount
            self.deliver(p, payee, amount)

    def rule_toggle_recipient(self, p: int = "st_purpose", who: int = "st_party") -> None:  # type: ignore[assignment]
        """Removes an approved party, or approves it again as its kind (before the expiry)."""
        party = self.parties[who]
        if party in self.approved[p]:
            self.earmarks.removeRecipient(self.ids[p], party, REASON, {"from": self.funder})
            del self.approved[p][party]
            return
        error = self.open_error(p)
        kind = KINDS[who]
        if expect(error, self.funder, self.earmarks.approveRecipient, self.ids[p], party, kind, REASON):
            self.approved[p][party] = kind

    def rule_close(self, p: int = "st_purpose") -> None:  # type: ignore[assignment]
        unspent = self.pool[p] + sum(self.held[p].values())
        error: Error = None
        if self.closed[p]:
            error = ("PurposeClosedAlready", self.ids[p])
        elif chain_now() < self.ends[p]:
            error = ("PurposeNotExpired", self.ids[p], self.ends[p])
        elif unspent:
            error = self.token_error(self.earmarks, self.funder)
        if error is not None:
            expect(error, self.stranger, self.earmarks.close, self.ids[p])
            return
        before = self.token.balanceOf.call(self.funder)
        tx = self.earmarks.close(self.ids[p], {"from": self.stranger})
        assert tx.return_value == unspent  # exactly the unspent amount, back to the funder
        assert self.token.balanceOf.call(self.funder) == before + unspent
        self.closed[p], self.pool[p], self.held[p] = True, 0, {}

    def rule_toggle_freeze(self, who: int = "st_anyone") -> None:  # type: ignore[assignment]
        account = self.everyone[who]
        if account == self.stranger:
            return
        if account in self.frozen:
            self.token.unfreeze(account, REASON, {"from": self.freezer})
            self.frozen.remove(account)
        else:
            # A fresh order each time: an order freezes an account once.
            self.orders += 1
            order = "0x" + f"{self.orders:064x}"
            self.token.freeze(account, chain_now() + 60 * DAY, order, {"from": self.freezer})
            self.frozen.add(account)

    def rule_toggle_block(self, who: int = "st_anyone") -> None:  # type: ignore[assignment]
        account = self.everyone[who]
        if account == self.stranger:
            return
        if account in self.blocked:
            self.token.unblockAccount(account, REASON, {"from": self.blocklister})
            self.blocked.remove(account)
        else:
            self.token.blockAccount(account, REASON, {"from": self.blocklister})
            self.blocked.add(account)

    def rule_toggle_pause(self) -> None:
        if self.paused:
            self.token.unpause(REASON, {"from": self.pauser})
        else:
            self.token.pause(REASON, {"from": self.pauser})
        self.paused = not self.paused

    def rule_wait(self) -> None:
        """A day on: the short purpose ends within an example."""
        move_to(chain_now() + DAY)

    # --- invariants -------------------------------------------------------------------------------
    # Views by `.call`: under --coverage brownie sends a plain view call as a traced transaction.

    def invariant_the_contract_holds_exactly_the_unspent_of_its_open_purposes(self) -> None:
        unspent = [0 if self.closed[p] else self.pool[p] + sum(self.held[p].values()) for p in range(2)]
        assert self.token.balanceOf.call(self.earmarks) == sum(unspent)
        for p, number in enumerate(self.ids):
            record = self.earmarks.purpose.call(number)
            assert (int(record[5]), int(record[6]), bool(record[2])) == (
                self.pool[p] if not self.closed[p] else 0,
                unspent[p],
                self.closed[p],
            )

    def invariant_balances_are_the_models_and_nothing_earmarked_reaches_a_stranger(self) -> None:
        now = chain_now()
        for p, number in enumerate(self.ids):
            for account in self.everyone:
                expected = self.held[p].get(account, 0) if now < self.ends[p] else 0
                assert self.earmarks.balanceOf.call(number, account) == expected
            assert self.held[p].get(self.stranger, 0) == 0
        assert self.token.balanceOf.call(self.stranger) == self.stranger_balance

    def invariant_supply_is_conserved(self) -> None:
        assert self.token.totalSupply.call() == self.supply

    # --- the model --------------------------------------------------------------------------------

    def open_error(self, p: int) -> Error:
        """The funder's calls come from the funder and every purpose is known: only the expiry refuses."""
        return ("PurposeExpired", self.ids[p], self.ends[p]) if chain_now() >= self.ends[p] else None

    @staticmethod
    def amount_error(amount: int) -> Error:
        return ("EarmarkAmountZero",) if amount == 0 else None

    def delivery_error(self, p: int, payer: Any, payee: Any) -> Error:
        """`_deliver`: an approved payee, then the token's rules on the two parties."""
        if payee not in self.approved[p]:
            return ("RecipientNotApproved", self.ids[p], payee)
        return self.token_error(payer, payee)

    def token_error(self, payer: Any, payee: Any) -> Error:
        """The token's pipeline on a move from `payer` to `payee`: pause, blocklist, the payer's freeze."""
        if self.paused:
            return ("EnforcedPause",)
        for account in (payer, payee):
            if account in self.blocked:
                return ("AccountBlocked", account)
        return ("AccountFrozen", payer) if payer in self.frozen else None

    def deliver(self, p: int, payee: Any, amount: int) -> None:
        if self.approved[p][payee] == INTERMEDIATE:
            self.held[p][payee] = self.held[p].get(payee, 0) + amount


def test_stateful_earmarks(
    state_machine: Any,
    token: Any,
    admin: Any,
    minter: Any,
    freezer: Any,
    blocklister: Any,
    pauser: Any,
    outsider: Any,
) -> None:
    funder, parties = brownie.accounts[15], [brownie.accounts[n] for n in (16, 17, 18)]
    earmarks = traced(brownie.TengeEarmarks.deploy(token, {"from": admin}))
    token.grantRole(earmarks.BUDGET_HOLDER_ROLE(), funder, {"from": admin})
    token.mint(funder, 10_000_000, {"from": minter})
    token.approve(earmarks, UINT256_MAX, {"from": funder})
    state_machine(
        EarmarkMachine,
        token,
        earmarks,
        funder,
        parties,
        outsider,
        freezer=freezer,
        blocklister=blocklister,
        pauser=pauser,
        # `make test` runs 12 examples of 25 steps; EARMARK_EXAMPLES=120 for the deep run of the closing note.
        settings={
            "max_examples": int(os.environ.get("EARMARK_EXAMPLES", "12")),
            "stateful_step_count": int(os.environ.get("EARMARK_STEPS", "25")),
        },
    )
