"""The token as the fuzz machine expects it to behave: every rule of the pipeline, in its order, in Python.

`tests/stateful/test_stateful_fuzz.py` drives the chain and this model side by side. Each operation
below either raises `Refused` with the exact custom error (name and arguments) the contract must
revert with, or changes the ledger and records the exact events the transaction must emit. It
encodes the behaviour the token promises (IDigitalTenge's NatSpec and the fixes of the core v2 issue),
not the code that implements it: the model never reads the contract.

Addresses are lower-case hex strings, bytes32 values lower-case 0x-prefixed hex.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from eth_utils.crypto import keccak

ZERO = "0x" + "00" * 20
UINT256_MAX = 2**256 - 1
# Stored limits are uint96, and tier 0's (kept in the token's word) 40 bits; the widest value of each
# stands for "none". The supply, and so the cap, is 80 bits: its widest value is "no cap".
NO_LIMIT = 2**96 - 1
NO_BASE_LIMIT = 2**40 - 1
NO_CAP = 2**80 - 1
DAY = 86_400
MINTER_ROLE = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6"  # keccak256("MINTER_ROLE")
PROPOSER_ROLE = "0x" + keccak(text="SEIZURE_PROPOSER_ROLE").hex()
APPROVER_ROLE = "0x" + keccak(text="SEIZURE_APPROVER_ROLE").hex()
MAX_HOLDS = 8  # holds an account carries at once
MAX_HOLD = 2**96 - 1  # a hold is at most a balance
MAX_TERM = 2**32 - 1  # the longest a longest term (and a notice period) may be
DEFAULT_MAX_TERM = 90 * DAY
# The seizure controller's Status enum.
PROPOSED, APPROVED, EXECUTED, CANCELLED = 1, 2, 3, 4

Event = tuple[Any, ...]  # (name, *arguments in ABI order)


class Refused(Exception):
    """The contract must revert with custom error `name(*arguments)`."""

    def __init__(self, name: str, *arguments: Any) -> None:
        super().__init__(name, *arguments)
        self.name = name
        self.arguments = arguments


@dataclass(frozen=True)
class Roles:
    """The role holders, who act in admin operations (events name them as actors)."""

    admin: str
    minter_admin: str
    pauser: str
    freezer: str
    blocklister: str
    proposer: str  # SEIZURE_PROPOSER_ROLE
    approver: str  # SEIZURE_APPROVER_ROLE
    kyc: str


@dataclass(frozen=True)
class Freeze:
    """A freeze as the token keeps it: applies while t < expires; the record stays after it lapses,
    until an unfreeze deletes it (the orders that froze the account are kept apart, for ever)."""

    expires: int
    order: str


@dataclass(frozen=True)
class Setting:
    """A due-process setting at the seizure controller: `value`, or `pending` from `pending_at` on (a
    weakening waits for the admin's delay)."""

    value: int
    pending: int = 0
    pending_at: int = 0

    def at(self, t: int) -> int:
        return self.pending if self.pending_at and t >= self.pending_at else self.value


@dataclass(frozen=True)
class Hold:
    """A hold under one order: keeps `amount` while t < expires. The record stays forever: an order is
    used once per account."""

    amount: int
    expires: int

    def at(self, t: int) -> int:
        return self.amount if t < self.expires else 0


@dataclass(frozen=True)
class Seizure:
    """A seizure's record at the seizure controller."""

    payer: str
    payee: str
    amount: int
    order: str
    reason: str
    proposer: str
    approver: str
    ready_at: int
    status: int


@dataclass(frozen=True)
class Minter:
    """A minter's record at the mint controller: a minter is an account that has one (MINTER_ROLE is not
    a role of the token)."""

    allowance: int  # as of `updated`
    capacity: int
    refill: int  # tiyn per second, up to `capacity`
    updated: int

    def current(self, t: int) -> int:
        if self.refill == 0:
            return self.allowance
        return min(self.capacity, self.allowance + self.refill * (t - self.updated))


@dataclass(frozen=True)
class Authorization:
    """A signed EIP-3009 authorization, kept to be replayed."""

    receive: bool
    payer: str
    payee: str
    value: int
    valid_after: int
    valid_before: int
    nonce: str
    signer: str


class Ledger:
    """Everything the token keeps that the machine's operations can change."""

    def __init__(self, roles: Roles, now: int) -> None:
        self.roles = roles
        self.now = now  # the latest block's timestamp; the next transaction runs at now + 1
        self.supply = 0
        self.cap = NO_CAP  # as stored
        self.paused = False
        self.policy = True
        self.limits: dict[int, tuple[int, int]] = {}  # widened: UINT256_MAX is "no limit"
        self.balances: dict[str, int] = {}
        self.blocked: set[str] = set()
        self.frozen: dict[str, Freeze] = {}  # lapsed ones included, until lifted
        self.holds: dict[tuple[str, str], Hold] = {}  # (account, order): every hold ever placed
        self.max_term = Setting(DEFAULT_MAX_TERM)  # the seizure controller's, for this token
        self.notice = Setting(0)  # the seizure controller's notice period for this token
        self.admin_delay = 0  # the token's defaultAdminDelay(): what a weakening waits for
        self.freeze_orders: set[tuple[str, str]] = set()  # (account, order): every order that froze it
        self.seizures: dict[int, Seizure] = {}  # the seizure controller's records, by id
        self.seizure_count = 0
        self.seizure_controller = ZERO  # its address: the HoldReleased of a seizure names it
        self.tiers: dict[str, int] = {}
        self.outflow: dict[str, tuple[int, int]] = {}  # (UTC day, tiyn) as the account's word keeps it
        self.links: dict[str, str] = {}
        self.proposals: dict[str, tuple[str, str]] = {}  # links KYC proposed: (linked, reason) by account
        self.token = ZERO  # the token's address: the mint controller's events name it
        self.minters: dict[str, Minter] = {}  # the mint controller's records of this token
        # Holders of MINTER_ROLE in the token's own AccessControl: a role that makes nobody a minter.
        self.minter_role_holders: set[str] = set()
        self.allowances: dict[tuple[str, str], int] = {}
        self.nonces: dict[str, int] = {}
        self.used: set[tuple[str, str]] = set()  # EIP-3009 authorizations (authorizer, nonce)
        self.references: set[tuple[str, str]] = set()  # payment references used (sender, reference)
        self.events: list[Event] = []  # what the operation being applied emits

    def copy(self) -> Ledger:
        """A copy to try an operation on: containers are copied, their values are immutable."""
        twin = Ledger.__new__(Ledger)
        for name, value in vars(self).items():
            setattr(twin, name, value.copy() if isinstance(value, dict | set | list) else value)
        twin.events = []
        return twin

    # --- reading the ledger ---------------------------------------------------------------------------

    @property
    def t(self) -> int:
        """The timestamp the next transaction (or a call at the pending block) runs at."""
        return self.now + 1

    def balance(self, account: str) -> int:
        return self.balances.get(account, 0)

    def is_frozen(self, account: str, t: int) -> bool:
        record = self.frozen.get(account)
        return record is not None and t < record.expires

    def frozen_until(self, account: str, t: int) -> int:
        return self.frozen[account].expires if self.is_frozen(account, t) else 0

    def held(self, account: str, t: int) -> int:
        """All holds of `account` that apply at time `t`."""
        return sum(hold.at(t) for (holder, _), hold in self.holds.items() if holder == account)

    def hold(self, account: str, order: str, t: int) -> int:
        """What the hold `order` keeps on `account` at time `t` (0 if none, emptied or lapsed)."""
        record = self.holds.get((account, order))
        return record.at(t) if record else 0

    def hold_expiry(self, account: str, order: str) -> int:
        record = self.holds.get((account, order))
        return record.expires if record else 0

    def active_holds(self, account: str, t: int) -> int:
        return sum(1 for (holder, _), hold in self.holds.items() if holder == account and hold.at(t))

    def max_balance(self, account: str) -> int:
        return self.limits[self.tiers.get(account, 0)][0]

    def daily_limit(self, account: str) -> int:
        return self.limits[self.tiers.get(account, 0)][1]

    def room(self, account: str) -> int:
        limit = self.max_balance(account)
        return UINT256_MAX if limit == UINT256_MAX else max(limit - self.balance(account), 0)

    def outflow_today(self, account: str, t: int) -> int:
        day, spent = self.outflow.get(account, (0, 0))
        return spent if day == t // DAY else 0

    def spendable(self, account: str, t: int) -> int:
        if self.is_frozen(account, t):
            return 0
        return max(self.balance(account) - self.held(account, t), 0)

    def outflow_left(self, account: str, t: int) -> int:
        limit = self.daily_limit(account)
        return UINT256_MAX if limit == UINT256_MAX else max(limit - self.outflow_today(account, t), 0)

    def available_to_send(self, account: str, t: int) -> int:
        if self.paused or account in self.blocked:
            return 0
        spendable = self.spendable(account, t)
        return min(spendable, self.outflow_left(account, t)) if self.policy else spendable

    def available_to_receive(self, account: str) -> int:
        if self.paused or account in self.blocked:
            return 0
        if not self.policy:
            return UINT256_MAX
        room = self.room(account)
        linked = self.links.get(account)
        if linked is not None and linked not in self.blocked:
            room = min(room + self.room(linked), UINT256_MAX)
        return room

    def minter_allowance(self, account: str, t: int) -> int:
        record = self.minters.get(account)
        return record.current(t) if record else 0

    def allowance(self, owner: str, spender: str) -> int:
        return self.allowances.get((owner, spender), 0)

    def cap_shown(self) -> int:
        return UINT256_MAX if self.cap == NO_CAP else self.cap

    # --- the pipeline ---------------------------------------------------------------------------------

    def move(self, operator: str, payer: str, payee: str, value: int) -> tuple[int, str | None]:
        """Every balance change but a seizure, rule by rule in the documented order; returns where the
        money went (tiyn `payee` keeps, and the linked account that takes the rest)."""
        t = self.t
        # 1. Pause.
        if self.paused:
            raise Refused("EnforcedPause")
        # 2. Blocklist: payer, payee, then whoever acts for them.
        for party in (payer, payee):
            if party in self.blocked:
                raise Refused("AccountBlocked", party)
        if operator not in (payer, payee) and operator in self.blocked:
            raise Refused("AccountBlocked", operator)
        if payer == ZERO:
            # 4. Supply cap (a mint).
            after = self.supply + value
            if after > self.cap:
                raise Refused("SupplyCapExceeded", after, self.cap_shown())
        else:
            # 3. Freeze and holds, then the balance.
            self.require_spendable(payer, value, t)
        if payer == payee:
            # A self-transfer moves nothing and counts no outflow.
            self.events.append(("Transfer", payer, payee, value))
            return value, None
        kept, linked = value, None
        # 5. Wallet policy: the payee's holding limit or the waterfall, then the payer's day outflow.
        if self.policy and payee != ZERO:
            room = self.room(payee)
            if value > room:
                linked = self.links.get(payee)
                if linked is None or linked == payer:
                    limit = self.max_balance(payee)
                    raise Refused("HoldingLimitExceeded", payee, self.balance(payee) + value, limit)
                if linked in self.blocked:
                    raise Refused("AccountBlocked", linked)
                excess = value - room
                if excess > self.room(linked):
                    after = self.balance(linked) + excess
                    raise Refused("HoldingLimitExceeded", linked, after, self.max_balance(linked))
                kept = room
            if payer != ZERO:
                self.count_outflow(payer, value, t)
        # 6. The move.
        if payer == ZERO:
            self.supply += value
        else:
            self.balances[payer] = self.balance(payer) - value
        if payee == ZERO:
            self.supply -= value
        else:
            self.balances[payee] = self.balance(payee) + kept
        if kept != 0 or linked is None:
            self.events.append(("Transfer", payer, payee, kept))
        if linked is not None:
            self.balances[linked] = self.balance(linked) + value - kept
            self.events.append(("Transfer", payer, linked, value - kept))
            self.events.append(("Waterfall", payee, linked, value - kept))
        return kept, linked

    def require_spendable(self, account: str, value: int, t: int) -> None:
        if self.is_frozen(account, t):
            raise Refused("AccountFrozen", account)
        held, balance = self.held(account, t), self.balance(account)
        # A hold that applies now is what stops the debit; past them all, OpenZeppelin's error.
        if held:
            available = max(balance - held, 0)
            if value > available:
                raise Refused("InsufficientUnfrozenBalance", account, available, value)
        if value > balance:
            raise Refused("ERC20InsufficientBalance", account, balance, value)

    def count_outflow(self, account: str, value: int, t: int) -> None:
        limit = self.daily_limit(account)
        if limit == UINT256_MAX:
            return  # unlimited tiers count nothing
        outflow = self.outflow_today(account, t) + value
        if outflow > limit:
            raise Refused("DailyOutflowExceeded", account, outflow, limit)
        self.outflow[account] = (t // DAY, outflow)

    def send(self, operator: str, payer: str, payee: str, value: int) -> None:
        """ERC-20's `_transfer`: the receiver check, then the pipeline."""
        if payee == ZERO:
            raise Refused("ERC20InvalidReceiver", ZERO)
        self.move(operator, payer, payee, value)

    # --- payments -------------------------------------------------------------------------------------

    def transfer(self, sender: str, to: str, value: int, reference: str | None = None) -> None:
        if reference is not None:
            self.use_reference(sender, reference)
        self.send(sender, sender, to, value)
        if reference is not None:
            self.events.append(("PaymentReference", sender, to, value, reference))

    def transfer_from(
        self, spender: str, owner: str, to: str, value: int, reference: str | None = None
    ) -> None:
        if reference is not None and value == 0 and self.allowance(owner, spender) == 0:
            raise Refused("ReferenceWithoutAllowance", owner, spender)
        self.spend_allowance(owner, spender, value)
        if reference is not None:
            self.use_reference(spender, reference)
        self.send(spender, owner, to, value)
        if reference is not None:
            self.events.append(("PaymentReference", owner, to, value, reference))

    def use_reference(self, sender: str, reference: str) -> None:
        """A sender cites a reference once (the copy the operation runs on keeps it only if it passes)."""
        if (sender, reference) in self.references:
            raise Refused("PaymentReferenceUsed", sender, bytes.fromhex(reference[2:]))
        self.references.add((sender, reference))

    def spend_allowance(self, owner: str, spender: str, value: int) -> None:
        current = self.allowance(owner, spender)
        if current == UINT256_MAX:
            return
        if current < value:
            raise Refused("ERC20InsufficientAllowance", spender, current, value)
        self.allowances[(owner, spender)] = current - value

    def approve(self, owner: str, spender: str, value: int) -> None:
        """Raising an allowance needs an owner neither blocked nor frozen and a spender not blocked;
        lowering or revoking it is always allowed."""
        if value > self.allowance(owner, spender):
            if owner in self.blocked:
                raise Refused("AccountBlocked", owner)
            if self.is_frozen(owner, self.t):
                raise Refused("AccountFrozen", owner)
            if spender in self.blocked:
                raise Refused("AccountBlocked", spender)
        self.allowances[(owner, spender)] = value
        self.events.append(("Approval", owner, spender, value))

    def permit(self, owner: str, spender: str, value: int, deadline: int, signer: str) -> None:
        """EIP-2612, signed by `signer` over the owner's current nonce."""
        if self.t > deadline:
            raise Refused("ERC2612ExpiredSignature", deadline)
        if signer != owner:
            raise Refused("ERC2612InvalidSigner", signer, owner)
        self.nonces[owner] = self.nonces.get(owner, 0) + 1
        self.approve(owner, spender, value)

    def authorization(self, submitter: str, auth: Authorization) -> None:
        """EIP-3009 transferWithAuthorization or receiveWithAuthorization, submitted by `submitter`."""
        if auth.receive and auth.payee != submitter:
            raise Refused("ERC3009CallerMustBePayee", submitter, auth.payee)
        # As USDC v2.2: the window and the nonce before the signature.
        if self.t <= auth.valid_after or self.t >= auth.valid_before:
            raise Refused("ERC3009InvalidAuthorizationTime", auth.valid_after, auth.valid_before)
        if (auth.payer, auth.nonce) in self.used:
            raise Refused("ERC3009UsedAuthorization", auth.payer, auth.nonce)
        if auth.signer != auth.payer:
            raise Refused("ERC3009InvalidSignature")
        self.used.add((auth.payer, auth.nonce))
        self.events.append(("AuthorizationUsed", auth.payer, auth.nonce))
        self.send(submitter, auth.payer, auth.payee, auth.value)

    def cancel_authorization(self, authorizer: str, nonce: str, signer: str) -> None:
        """EIP-3009 cancelAuthorization: the nonce first, then the signature."""
        if (authorizer, nonce) in self.used:
            raise Refused("ERC3009UsedAuthorization", authorizer, nonce)
        if signer != authorizer:
            raise Refused("ERC3009InvalidSignature")
        self.used.add((authorizer, nonce))
        self.events.append(("AuthorizationCanceled", authorizer, nonce))

    # --- issuance -------------------------------------------------------------------------------------

    def mint(self, minter: str, to: str, value: int) -> None:
        record = self.minters.get(minter)
        if record is None:
            raise Refused("AccessControlUnauthorizedAccount", minter, MINTER_ROLE)
        allowance = record.current(self.t)
        if value > allowance:
            raise Refused("MinterAllowanceExceeded", minter, allowance, value)
        if to == ZERO:
            raise Refused("ERC20InvalidReceiver", ZERO)
        kept, linked = self.move(minter, ZERO, to, value)
        self.minters[minter] = replace(record, allowance=allowance - value, updated=self.t)
        if kept != 0:
            self.events.append(("Minted", minter, to, kept))
        if linked is not None:
            self.events.append(("Minted", minter, linked, value - kept))

    def burn(self, minter: str, value: int) -> None:
        if minter not in self.minters:
            raise Refused("AccessControlUnauthorizedAccount", minter, MINTER_ROLE)
        self.move(minter, minter, ZERO, value)
        self.events.append(("Burned", minter, value))

    def configure_minter(self, minter: str, allowance: int, capacity: int, refill: int, reason: str) -> None:
        """configureMinter(WithRefill) at the mint controller: a new record, whatever the old one was."""
        if capacity < allowance or (refill != 0 and capacity == 0):
            raise Refused("InvalidMinterConfiguration", allowance, capacity, refill)
        self.minters[minter] = Minter(allowance, capacity, refill, self.t)
        admin = self.roles.minter_admin
        event = ("MinterConfigured", self.token, minter, allowance, capacity, refill, admin, reason)
        self.events.append(event)

    def remove_minter(self, account: str, actor: str, reason: str) -> None:
        """removeMinter (by the minter admin) or renounceMinter (by the minter): the record goes."""
        if account in self.minters:
            del self.minters[account]
            self.events.append(("MinterRemoved", self.token, account, actor, reason))

    def grant_token_minter_role(self, account: str) -> None:
        """grantRole(MINTER_ROLE) in the token (by the default admin): a role, and no minter."""
        if account not in self.minter_role_holders:
            self.minter_role_holders.add(account)
            self.events.append(("RoleGranted", MINTER_ROLE, account, self.roles.admin))

    def revoke_token_minter_role(self, account: str) -> None:
        """revokeRole(MINTER_ROLE) in the token: the minter's record at the controller stays."""
        if account in self.minter_role_holders:
            self.minter_role_holders.discard(account)
            self.events.append(("RoleRevoked", MINTER_ROLE, account, self.roles.admin))

    def set_supply_cap(self, cap: int, reason: str) -> None:
        if cap < self.supply:
            raise Refused("SupplyCapBelowSupply", cap, self.supply)
        self.cap = min(cap, NO_CAP)
        self.events.append(("SupplyCapChanged", cap, self.roles.admin, reason))

    # --- interventions --------------------------------------------------------------------------------

    def require_expiry(self, expires: int) -> None:
        """A new freeze or hold ends after now and within the longest term."""
        latest = self.t + self.max_term.at(self.t)
        if expires <= self.t or expires > latest:
            raise Refused("RestrictionExpiryInvalid", expires, latest)

    def freeze(self, account: str, expires: int, reason: str) -> None:
        """A freeze, or the renewal of one that applies or lapsed: an order freezes an account once."""
        if account == ZERO:
            raise Refused("ZeroAddressCannotBeFrozen")
        self.require_expiry(expires)
        if (account, reason) in self.freeze_orders:
            raise Refused("OrderAlreadyUsed", account, reason)
        self.freeze_orders.add((account, reason))
        self.frozen[account] = Freeze(expires, reason)
        self.events.append(("Frozen", account, self.roles.freezer, reason, expires))

    def unfreeze(self, account: str, reason: str) -> None:
        if not self.is_frozen(account, self.t):
            raise Refused("FreezeUnchanged", account, False)
        del self.frozen[account]
        self.events.append(("Unfrozen", account, self.roles.freezer, reason))

    def place_hold(self, account: str, amount: int, expires: int, order: str) -> None:
        if account == ZERO:
            raise Refused("ZeroAddressCannotBeFrozen")
        if amount == 0 or amount > MAX_HOLD:
            raise Refused("HoldAmountInvalid", amount)
        self.require_expiry(expires)
        if (account, order) in self.holds:
            raise Refused("OrderAlreadyUsed", account, order)
        # Lapsed and emptied holds make room: only those that apply count.
        if self.active_holds(account, self.t) + 1 > MAX_HOLDS:
            raise Refused("TooManyHolds", account, MAX_HOLDS)
        self.holds[(account, order)] = Hold(amount, expires)
        self.events.append(("HoldPlaced", account, order, amount, expires, self.roles.freezer))

    def release_hold(self, account: str, order: str, amount: int, reason: str, actor: str = "") -> None:
        """releaseHold by the freezer, or the first step of a seizure (`actor` the seizure controller)."""
        if amount == 0:
            raise Refused("HoldAmountInvalid", 0)
        held = self.hold(account, order, self.t)
        if held == 0:
            raise Refused("HoldNotActive", account, order)
        if amount > held:
            raise Refused("HoldExceeded", account, order, held, amount)
        self.holds[(account, order)] = replace(self.holds[(account, order)], amount=held - amount)
        actor = actor or self.roles.freezer
        self.events.append(("HoldReleased", account, order, amount, held - amount, actor, reason))

    def set_max_term(self, term: int, reason: str) -> None:
        if term == 0 or term > MAX_TERM:
            raise Refused("MaxRestrictionTermInvalid", term)
        current = self.max_term.at(self.t)
        self.max_term, effective = self.schedule(current, term, weaker=term > current)
        self.events.append(
            ("MaxRestrictionTermChanged", self.token, term, effective, self.roles.admin, reason)
        )

    def schedule(self, current: int, value: int, weaker: bool) -> tuple[Setting, int]:
        """A setting changed now: at once, or, weakening, after the admin's delay (saturating)."""
        delay = self.admin_delay if weaker else 0
        effective = min(self.t + delay, 2**48 - 1)
        return (Setting(value) if delay == 0 else Setting(current, value, effective)), effective

    # --- seizures, at the seizure controller ----------------------------------------------------------

    def require_hold(self, payer: str, order: str, amount: int) -> int:
        """The controller's check: the hold keeps `amount` now; returns its expiry."""
        held = self.hold(payer, order, self.t)
        if held == 0:
            raise Refused("HoldNotActive", payer, order)
        if amount > held:
            raise Refused("HoldExceeded", payer, order, held, amount)
        return self.hold_expiry(payer, order)

    def propose_seizure(
        self, sender: str, payer: str, payee: str, amount: int, order: str, reason: str
    ) -> None:
        if sender != self.roles.proposer:
            raise Refused("AccessControlUnauthorizedAccount", sender, PROPOSER_ROLE)
        if amount == 0:
            raise Refused("SeizureAmountZero", payer)
        if payee == payer:
            raise Refused("SeizureToSameAccount", payer)
        self.require_hold(payer, order, amount)
        self.seizure_count += 1
        number = self.seizure_count
        self.seizures[number] = Seizure(payer, payee, amount, order, reason, sender, ZERO, 0, PROPOSED)
        self.events.append(
            ("SeizureProposed", number, self.token, payer, payee, amount, order, sender, reason)
        )

    def pending(self, number: int, status: int) -> Seizure:
        record = self.seizures.get(number)
        actual = record.status if record else 0
        if actual != status:
            raise Refused("SeizureNotPending", number, actual)
        assert record is not None
        return record

    def approve_seizure(self, sender: str, number: int, reason: str) -> None:
        record = self.pending(number, PROPOSED)
        if sender != self.roles.approver:
            raise Refused("AccessControlUnauthorizedAccount", sender, APPROVER_ROLE)
        if sender == record.proposer:
            raise Refused("ApproverIsProposer", number, sender)
        expires = self.require_hold(record.payer, record.order, record.amount)
        ready_at = self.t + self.notice.at(self.t)
        if expires <= ready_at:
            raise Refused("HoldLapsesBeforeNotice", number, expires, ready_at)
        self.seizures[number] = replace(record, approver=sender, ready_at=ready_at, status=APPROVED)
        self.events.append(("SeizureApproved", number, sender, ready_at, reason))

    def execute_seizure(self, executor: str, number: int) -> None:
        """Anyone executes an approved seizure once its notice passed; the token then seizes: the one
        bypass of the pipeline (paused, frozen or blocked payer alike), which releases the amount from
        its own hold and never takes what other orders hold."""
        record = self.pending(number, APPROVED)
        if self.t < record.ready_at:
            raise Refused("SeizureNotReady", number, record.ready_at)
        self.seizures[number] = replace(record, status=EXECUTED)
        self.events.append(("SeizureExecuted", number, executor))
        payer, payee, value, order = record.payer, record.payee, record.amount, record.order
        self.release_hold(payer, order, value, record.reason, self.seizure_controller)
        balance = self.balance(payer)
        # What other orders hold stays theirs (the seized hold no longer counts, released above).
        others = self.held(payer, self.t) - self.hold(payer, order, self.t)
        seizable = max(balance - others, 0)
        if value > seizable:
            raise Refused("InsufficientUnfrozenBalance", payer, seizable, value)
        if payee != ZERO and payee in self.blocked:
            raise Refused("AccountBlocked", payee)
        self.balances[payer] = balance - value
        if payee == ZERO:
            self.supply -= value
        else:
            self.balances[payee] = self.balance(payee) + value
        self.events.append(("Transfer", payer, payee, value))
        self.events.append(("Seized", payer, payee, value, order, record.reason))

    def cancel_seizure(self, sender: str, number: int, reason: str) -> None:
        record = self.seizures.get(number)
        status = record.status if record else 0
        if status not in (PROPOSED, APPROVED):
            raise Refused("SeizureNotPending", number, status)
        if sender not in (self.roles.proposer, self.roles.approver):
            raise Refused("AccessControlUnauthorizedAccount", sender, APPROVER_ROLE)
        assert record is not None
        self.seizures[number] = replace(record, status=CANCELLED)
        self.events.append(("SeizureCancelled", number, sender, reason))

    def set_notice(self, period: int, reason: str) -> None:
        if period > MAX_TERM:
            raise Refused("NoticePeriodInvalid", period)
        current = self.notice.at(self.t)
        self.notice, effective = self.schedule(current, period, weaker=period < current)
        self.events.append(("NoticePeriodChanged", self.token, period, effective, self.roles.admin, reason))

    def set_blocked(self, account: str, blocked: bool, reason: str) -> None:
        if (account in self.blocked) == blocked:
            raise Refused("BlocklistUnchanged", account, blocked)
        (self.blocked.add if blocked else self.blocked.discard)(account)
        self.events.append(("Blocked" if blocked else "Unblocked", account, self.roles.blocklister, reason))

    def set_paused(self, paused: bool, reason: str) -> None:
        if self.paused == paused:
            raise Refused("EnforcedPause" if paused else "ExpectedPause")
        self.paused = paused
        self.events.append(("Paused" if paused else "Unpaused", self.roles.pauser))
        self.events.append(
            ("PausedWithReason" if paused else "UnpausedWithReason", self.roles.pauser, reason)
        )

    # --- wallet policy --------------------------------------------------------------------------------

    def set_tier(self, account: str, tier: int, reason: str) -> None:
        if self.limits.get(tier, (0, 0)) == (0, 0):
            raise Refused("TierNotConfigured", tier)
        old = self.tiers.get(account, 0)
        self.tiers[account] = tier
        self.events.append(("TierSet", account, old, tier, self.roles.kyc, reason))

    def set_tier_limits(self, tier: int, max_balance: int, daily_outflow: int, reason: str) -> None:
        none = NO_BASE_LIMIT if tier == 0 else NO_LIMIT
        for limit in (max_balance, daily_outflow):
            if limit != UINT256_MAX and limit >= none:
                raise Refused("TierLimitOutOfRange", limit)
        self.limits[tier] = (max_balance, daily_outflow)
        self.events.append(("TierLimitsSet", tier, max_balance, daily_outflow, self.roles.admin, reason))

    def set_link(self, account: str, linked: str, reason: str) -> None:
        """KYC proposes a link, which waits for the holder; unlinking needs no consent."""
        if linked == account:
            raise Refused("InvalidLinkedAccount", account, linked)
        if linked == ZERO:
            self.proposals.pop(account, None)
            self.links.pop(account, None)
            self.events.append(("LinkedAccountSet", account, linked, self.roles.kyc, reason))
        else:
            self.proposals[account] = (linked, reason)
            self.events.append(("LinkedAccountProposed", account, linked, self.roles.kyc, reason))

    def accept_link(self, account: str, linked: str) -> None:
        """The holder consents to the link proposed for it (exactly that one)."""
        proposal = self.proposals.get(account)
        if linked == ZERO or proposal is None or proposal[0] != linked:
            raise Refused("LinkedAccountNotProposed", account, linked)
        del self.proposals[account]
        self.links[account] = linked
        self.events.append(("LinkedAccountSet", account, linked, account, proposal[1]))

    def set_policy(self, enabled: bool, reason: str) -> None:
        self.policy = enabled
        self.events.append(("PolicyEnabledSet", enabled, self.roles.admin, reason))
