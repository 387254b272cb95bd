"""Signing and sending: local signatures, pipelined nonces, recovery from dropped or replaced transactions.

A `TransactionSender` simulates every transaction first (`eth_estimateGas`), so that a contract's
refusal surfaces as a named `ContractRevert` before anything is signed. It then signs locally with
eth-account, takes the next nonce from its `NonceManager` and broadcasts without waiting for the
receipt: many transactions from one sender are in flight at once. `wait` and `reconcile` follow a
transaction to its receipt; one that the node forgot is broadcast again (the same signed bytes, so
it can never land twice), and one whose nonce another transaction consumed is reported as replaced.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from enum import Enum
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_keys.datatypes import PrivateKey
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractConstructor, ContractFunction
from web3.exceptions import ContractLogicError, TransactionNotFound
from web3.types import RPCEndpoint, TxParams

from tenge.errors import ChainError, TransactionDropped, TransactionReplaced
from tenge.node import RpcRefused, read_many, talking
from tenge.reverts import ContractRevert, RevertDecoder, UnknownRevert, revert_data

# A node may answer these when it already holds the transaction: broadcasting it again is a no-op.
_ALREADY_KNOWN = ("already known", "already imported", "known transaction", "alreadyknown")


class RPC:
    eth_getTransactionReceipt = RPCEndpoint("eth_getTransactionReceipt")


_NONCE_TOO_LOW = ("nonce too low", "nonce is too low", "oldnonce", "nonce has already been used")
NONCE_TOO_LOW = _NONCE_TOO_LOW  # what a node says of a nonce another transaction used (tenge.earmarks)


class FeeMode(Enum):
    """Which kind of transaction pays for gas."""

    LEGACY = "legacy"  # type 0, a gas price: what BNB Chain's tooling sends
    EIP1559 = "eip1559"  # type 2, a max fee and a tip
    AUTO = "auto"  # type 2 where the node's latest block has a base fee, legacy where not


@dataclass(frozen=True)
class GasPolicy:
    """How transactions pay for gas, priced by the node unless told otherwise.

    Legacy (type 0) transactions with a gas price are the default, as BNB Chain uses them; the price is
    the node's `eth_gasPrice` unless `gas_price_wei` is set. With `eip1559` (or `mode=FeeMode.EIP1559`),
    type-2 transactions are sent instead (`max_fee_wei` defaults to twice the base fee plus the tip);
    `FeeMode.AUTO` picks by what the node's latest block shows.
    """

    gas_price_wei: int | None = None
    eip1559: bool = False
    max_fee_wei: int | None = None
    priority_fee_wei: int | None = None
    gas_margin: Decimal = Decimal("1.2")
    mode: FeeMode | None = None  # None: EIP1559 if `eip1559`, else LEGACY

    @property
    def fee_mode(self) -> FeeMode:
        if self.mode is not None:
            return self.mode
        return FeeMode.EIP1559 if self.eip1559 else FeeMode.LEGACY

    def fee_fields(self, w3: Web3) -> dict[str, int]:
        """The fee fields of a transaction, asking the node only for what is not fixed."""
        mode = self.fee_mode
        if mode is FeeMode.AUTO:
            with talking("eth_getBlockByNumber"):
                latest = w3.eth.get_block("latest")
            # A fixed gas price asks for legacy; a chain without a base fee takes only legacy.
            has_base_fee = latest.get("baseFeePerGas") is not None
            mode = FeeMode.EIP1559 if has_base_fee and self.gas_price_wei is None else FeeMode.LEGACY
        if mode is FeeMode.LEGACY:
            price = self.gas_price_wei
            if price is None:
                with talking("eth_gasPrice"):
                    price = int(w3.eth.gas_price)
            return {"gasPrice": price}
        tip = self.priority_fee_wei
        if tip is None:
            try:
                with talking("eth_maxPriorityFeePerGas"):
                    tip = int(w3.eth.max_priority_fee)
            except RpcRefused:
                tip = 10**9
        max_fee = self.max_fee_wei
        if max_fee is None:
            with talking("eth_getBlockByNumber"):
                block = w3.eth.get_block("latest")
            max_fee = 2 * int(block.get("baseFeePerGas", 0)) + tip
        return {"maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip, "type": 2}

    def gas_limit(self, estimate: int) -> int:
        """The estimate with a safety margin: state can change between estimate and inclusion."""
        return int((Decimal(estimate) * self.gas_margin).to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class SignedTx:
    """A transaction signed locally: its raw bytes are all that is needed to broadcast it again."""

    hash: str
    nonce: int
    raw: bytes
    sender: str
    to: str
    data: str
    gas: int
    description: str = ""


@dataclass(frozen=True)
class Receipt:
    """What a mined transaction did."""

    hash: str
    block: int
    succeeded: bool
    gas_used: int
    gas_price: int
    logs: list[Any] = field(default_factory=list, repr=False)  # web3.py's decoded log entries
    contract_address: str | None = None  # the contract a creation transaction deployed
    block_hash: str | None = None  # which block at that height: a reorg replaces it

    @property
    def fee_wei(self) -> int:
        return self.gas_used * self.gas_price


class TxState(Enum):
    """Where a sent transaction stands."""

    MINED = "mined"
    PENDING = "pending"
    REBROADCAST = "rebroadcast"
    REPLACED = "replaced"


class NonceManager:
    """Hands out consecutive nonces for one sender without asking the node for each one.

    Starts from the node's pending count; `resync` starts again from the node (after another program
    used the key), never going below nonces already handed out unless told so.
    """

    def __init__(self, w3: Web3, address: str) -> None:
        self._w3 = w3
        self._address = address
        self._next: int | None = None

    def next(self) -> int:
        if self._next is None:
            self._next = self.chain_nonce("pending")
        nonce = self._next
        self._next += 1
        return nonce

    def peek(self) -> int:
        if self._next is None:
            self._next = self.chain_nonce("pending")
        return self._next

    def resync(self, at_least: int = 0) -> None:
        """Starts again from the node's pending nonce, or from `at_least` if that is higher."""
        self._next = max(self.chain_nonce("pending"), at_least)

    def give_back(self, nonce: int) -> None:
        """Returns a nonce that was never broadcast, so that no gap is left."""
        if self._next is not None and nonce == self._next - 1:
            self._next = nonce
        else:
            self._next = None

    def chain_nonce(self, block: str = "latest") -> int:
        """How many transactions of the sender the node counts at `block` ("latest": mined)."""
        with talking("eth_getTransactionCount"):
            return int(self._w3.eth.get_transaction_count(self._address, block))  # type: ignore[arg-type]


class Pending:
    """A broadcast transaction: `wait()` for its receipt (raises the decoded revert if it failed)."""

    def __init__(self, tx: SignedTx, sender: TransactionSender) -> None:
        self.tx = tx
        self._sender = sender

    @property
    def hash(self) -> str:
        return self.tx.hash

    @property
    def nonce(self) -> int:
        return self.tx.nonce

    def wait(self, timeout: float = 120.0) -> Receipt:
        return self._sender.wait(self.tx, timeout=timeout)

    def __repr__(self) -> str:
        return f"Pending({self.tx.description or 'transaction'}, hash={self.hash}, nonce={self.nonce})"


class TransactionSender:
    """Simulates, signs, sends and follows the transactions of one local account."""

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        chain_id: int,
        decoder: RevertDecoder,
        gas: GasPolicy | None = None,
        poll_interval: float = 0.05,
        settle_checks: int = 3,
        settle_delay: float = 1.0,
    ) -> None:
        self._w3 = w3
        # Parsed once: eth-account derives the public key again on every signature from raw key bytes.
        self._private_key = PrivateKey(account.key)
        self.settle_checks = settle_checks
        self.settle_delay = settle_delay
        self._account = account
        self._decoder = decoder
        self.chain_id = chain_id
        self.gas = gas or GasPolicy()
        self.nonces = NonceManager(w3, account.address)
        self.poll_interval = poll_interval

    @property
    def address(self) -> str:
        return str(self._account.address)

    def simulate(self, to: str, data: str, value: int = 0) -> int:
        """Runs the call against the pending state; returns the gas estimate or raises the named revert."""
        return self._estimate({"from": self.address, "to": to, "data": data, "value": value})  # type: ignore[typeddict-item]

    def simulate_function(self, function: ContractFunction | ContractConstructor, value: int = 0) -> int:
        """`simulate` for a call of a contract's function (`contract.functions.x(args)`)."""
        return self._estimate(self._params(function, value))

    def _params(self, function: ContractFunction | ContractConstructor, value: int = 0) -> TxParams:
        # Every field given, so web3.py asks the node nothing: it adds `to` and the encoded `data`.
        fields: Any = {"from": self.address, "value": value, "gas": 0, "gasPrice": 0}
        fields["chainId"] = self.chain_id
        return function.build_transaction(fields)

    def _estimate(self, params: TxParams) -> int:
        call: Any = {"from": params["from"], "data": params["data"], "value": params.get("value", 0)}
        if params.get("to"):
            call["to"] = params["to"]  # none for a contract creation
        try:
            # Against the pending state, so that a pipelined transaction sees those sent before it.
            with talking("eth_estimateGas"):
                return int(self._w3.eth.estimate_gas(call, "pending"))
        except ContractLogicError as exc:
            data = revert_data(exc) or b""
            if not data:
                # Some nodes drop revert data from gas estimates; eth_call carries it.
                data = self._call_revert_data(call, "pending")
            raise self._decoder.decode(data) from None

    def simulate_many(self, calls: Sequence[tuple[str, str]]) -> list[int | ContractRevert]:
        """`simulate` for many (to, data) calls in few round trips: a gas estimate or the revert each."""
        reads = [
            lambda to=to, data=data: self._w3.eth.estimate_gas(
                {"from": self.address, "to": to, "data": data, "value": 0},  # type: ignore[typeddict-item]
                "pending",
            )
            for to, data in calls
        ]
        try:
            return [int(gas) for gas in read_many(self._w3, reads, "eth_estimateGas")]
        except ContractLogicError:
            pass  # some of them revert: each alone, for its own revert data
        outcomes: list[int | ContractRevert] = []
        for to, data in calls:
            try:
                outcomes.append(self.simulate(to, data))
            except ContractRevert as refused:
                outcomes.append(refused)
        return outcomes

    def sign(
        self,
        to: str,
        data: str,
        *,
        gas: int,
        nonce: int,
        fees: dict[str, int] | None = None,
        value: int = 0,
        description: str = "",
    ) -> SignedTx:
        """Signs locally; nothing is sent."""
        params: dict[str, Any] = {"to": to, "data": data, "value": value}
        return self.sign_params(params, gas=gas, nonce=nonce, fees=fees, description=description)

    def sign_params(
        self,
        params: Any,
        *,
        gas: int,
        nonce: int,
        fees: dict[str, int] | None = None,
        description: str = "",
    ) -> SignedTx:
        """Signs a transaction built by web3.py (`to`, `data`, `value`) with gas, nonce and fees."""
        tx: dict[str, Any] = {
            "data": params["data"],
            "value": params.get("value", 0),
            "gas": gas,
            "nonce": nonce,
            "chainId": self.chain_id,
            **(fees if fees is not None else self.gas.fee_fields(self._w3)),
        }
        if params.get("to"):
            tx["to"] = params["to"]  # none for a contract creation
        signed = Account.sign_transaction(tx, self._private_key)
        return SignedTx(
            hash=HexBytes(signed.hash).to_0x_hex(),
            nonce=nonce,
            raw=bytes(signed.raw_transaction),
            sender=self.address,
            to=str(tx.get("to", "")),
            data=str(tx["data"]),
            gas=gas,
            description=description,
        )

    def broadcast(self, tx: SignedTx) -> None:
        """Sends the signed bytes; sending a transaction the node already holds is not an error."""
        try:
            with talking("eth_sendRawTransaction"):
                self._w3.eth.send_raw_transaction(tx.raw)
        except RpcRefused as refused:
            if refused.says(_ALREADY_KNOWN):
                return
            raise

    def broadcast_many(self, txs: Sequence[SignedTx]) -> list[RpcRefused | None]:
        """`broadcast` for many signed transactions; the refusal of each, or None.

        One request each: web3.py does not batch `eth_sendRawTransaction` (a batch answers for all its
        requests at once, and a transaction's acceptance must be known one by one).
        """
        outcomes: list[RpcRefused | None] = []
        for tx in txs:
            try:
                self.broadcast(tx)
                outcomes.append(None)
            except RpcRefused as refused:
                outcomes.append(refused)
        return outcomes

    def send(self, to: str, data: str, *, description: str = "", value: int = 0) -> Pending:
        """Simulates, signs with the next nonce and broadcasts; returns at once, without a receipt."""
        params: dict[str, Any] = {"to": to, "data": data, "value": value}
        return self._send(params, self.simulate(to, data, value), description)

    def send_function(
        self, function: ContractFunction | ContractConstructor, *, description: str = "", value: int = 0
    ) -> Pending:
        """`send` for a call of a contract's function (or a constructor: a creation), built by web3.py
        (`build_transaction`)."""
        params = self._params(function, value)
        return self._send(params, self._estimate(params), description)

    def _send(self, params: Any, estimate: int, description: str) -> Pending:
        gas = self.gas.gas_limit(estimate)
        fees = self.gas.fee_fields(self._w3)
        for attempt in range(2):
            nonce = self.nonces.next()
            tx = self.sign_params(params, gas=gas, nonce=nonce, fees=fees, description=description)
            try:
                self.broadcast(tx)
                return Pending(tx, self)
            except RpcRefused as refused:
                # A nonce already used (another program shares the key): this tx was never accepted, so
                # signing again with a fresh nonce cannot pay twice.
                if attempt == 0 and refused.says(_NONCE_TOO_LOW):
                    self.nonces.resync()
                    continue
                self.nonces.give_back(nonce)
                raise
            except ChainError:
                # Unknown whether the node took it: keep the nonce taken; `reconcile` settles it later.
                raise
        raise AssertionError("unreachable")

    def receipt(self, tx_hash: str) -> Receipt | None:
        """The receipt, or None while the transaction is not mined."""
        try:
            with talking("eth_getTransactionReceipt"):
                return _receipt(tx_hash, self._w3.eth.get_transaction_receipt(tx_hash))  # type: ignore[arg-type]
        except TransactionNotFound:
            return None

    def receipt_without_logs(self, tx_hash: str) -> Receipt | None:
        """`receipt` with its logs left out: through web3.py's request manager (its middleware runs) but
        not its result formatters, which format every log (a payout batch has two a row: 0.45 ms each,
        a second a poll at 200 rows a batch) where five fields are needed."""
        with talking("eth_getTransactionReceipt"):
            raw = self._w3.manager.request_blocking(RPC.eth_getTransactionReceipt, [tx_hash])
        if not raw:
            return None
        fields = {
            "blockNumber": raw.get("blockNumber") and int(raw["blockNumber"], 16),
            "blockHash": raw.get("blockHash"),
            "status": int(raw.get("status", "0x1"), 16),
            "gasUsed": int(raw["gasUsed"], 16),
            "effectiveGasPrice": int(raw.get("effectiveGasPrice", "0x0"), 16),
        }
        return _receipt(tx_hash, fields)

    def call(self, to: str, data: str, block: str | int = "latest") -> bytes:
        """An eth_call from this account; a revert raises its named ContractRevert."""
        call: Any = {"from": self.address, "to": to, "data": data}
        try:
            with talking("eth_call"):
                return bytes(self._w3.eth.call(call, block))  # type: ignore[arg-type]
        except ContractLogicError as exc:
            raise self._decoder.decode(revert_data(exc) or b"") from None

    def receipts(self, tx_hashes: Sequence[str]) -> list[Receipt | None]:
        """`receipt` for many transactions in few round trips."""
        reads = [lambda h=h: self._w3.eth.get_transaction_receipt(h) for h in tx_hashes]
        try:
            found = read_many(self._w3, reads, "eth_getTransactionReceipt")
        except TransactionNotFound:
            return [self.receipt(h) for h in tx_hashes]  # some not mined yet: each alone
        return [_receipt(h, raw) for h, raw in zip(tx_hashes, found, strict=True)]

    def is_known(self, tx_hash: str) -> bool:
        """Whether the node holds the transaction (mined or in its pool)."""
        try:
            with talking("eth_getTransactionByHash"):
                self._w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return False
        return True

    def reconcile(self, tx: SignedTx) -> tuple[TxState, Receipt | None]:
        """Settles what became of a sent (or only signed) transaction, broadcasting it again if dropped.

        MINED: it has a receipt. REPLACED: another transaction used its nonce, so it can never be mined.
        PENDING: the node holds it. REBROADCAST: the node had forgotten it and now holds it again.
        """
        receipt = self.receipt(tx.hash)
        if receipt is not None:
            return TxState.MINED, receipt
        if self.nonces.chain_nonce("latest") > tx.nonce:
            return self._settle_consumed(tx)
        if self.is_known(tx.hash):
            return TxState.PENDING, None
        try:
            self.broadcast(tx)
        except RpcRefused as refused:
            if refused.says(_NONCE_TOO_LOW):
                return self._settle_consumed(tx)
            raise TransactionDropped(
                f"transaction {tx.hash} was dropped and refused again: {refused.message}"
            ) from None
        return TxState.REBROADCAST, None

    def _settle_consumed(self, tx: SignedTx) -> tuple[TxState, Receipt | None]:
        """The nonce is used: by this transaction (its receipt can lag the state) or by another one.

        REPLACED is final (the row it pays may be signed again), so it is only concluded when the node,
        asked several times over a few seconds, neither has a receipt nor knows the transaction at all.
        """
        for attempt in range(self.settle_checks):
            receipt = self.receipt(tx.hash)
            if receipt is not None:
                return TxState.MINED, receipt
            if self.is_known(tx.hash):
                return TxState.PENDING, None  # mined, receipt not indexed yet
            if attempt + 1 < self.settle_checks:
                time.sleep(self.settle_delay)
        return TxState.REPLACED, None

    def reconcile_all(self, txs: Iterable[SignedTx]) -> list[tuple[TxState, Receipt | None]]:
        """`reconcile` for many transactions, lowest nonce first (a node drops the later ones with a gap)."""
        return [self.reconcile(tx) for tx in sorted(txs, key=lambda t: t.nonce)]

    def wait(self, tx: SignedTx, timeout: float = 120.0, check_every: float = 2.0) -> Receipt:
        """Waits for the receipt, reconciling now and then; a failed transaction raises its revert."""
        receipt = self.wait_for_receipt(tx, timeout=timeout, check_every=check_every)
        if not receipt.succeeded:
            raise self.failure(tx, receipt)
        return receipt

    def wait_for_receipt(self, tx: SignedTx, timeout: float = 120.0, check_every: float = 2.0) -> Receipt:
        deadline = time.monotonic() + timeout
        next_check = time.monotonic() + check_every
        while True:
            receipt = self.receipt(tx.hash)
            if receipt is not None:
                return receipt
            now = time.monotonic()
            if now >= next_check:
                state, receipt = self.reconcile(tx)
                if receipt is not None:
                    return receipt
                if state is TxState.REPLACED:
                    raise TransactionReplaced(tx.hash, tx.nonce)
                next_check = now + check_every
            if now >= deadline:
                raise ChainError(f"transaction {tx.hash} (nonce {tx.nonce}) not mined after {timeout:.0f} s")
            time.sleep(self.poll_interval)

    def wait_all(self, txs: Iterable[SignedTx], timeout: float = 120.0) -> list[Receipt]:
        """Receipts of many transactions, in nonce order (each earlier nonce is mined first anyway)."""
        return [self.wait(tx, timeout=timeout) for tx in sorted(txs, key=lambda t: t.nonce)]

    def failure(self, tx: SignedTx, receipt: Receipt) -> ContractRevert:
        """Why a mined transaction failed: the call replayed on the state its block left.

        The failed transaction changed nothing, and the state after its block includes what ran before
        it in the same block (a freeze, a spent balance): the usual cause of a failure after a simulation.
        """
        call: Any = {"from": tx.sender, "data": tx.data, "gas": tx.gas}
        if tx.to:
            call["to"] = tx.to
        data = self._call_revert_data(call, receipt.block)
        if data:
            return self._decoder.decode(data)
        return UnknownRevert(data=b"")

    def _call_revert_data(self, call: Any, block: str | int) -> bytes:
        try:
            with talking("eth_call"):
                self._w3.eth.call(call, block)  # type: ignore[arg-type]
        except ContractLogicError as exc:
            return revert_data(exc) or b""
        return b""


def _receipt(tx_hash: str, raw: Any) -> Receipt | None:
    if raw is None or raw.get("blockNumber") is None:
        return None
    return Receipt(
        hash=tx_hash,
        block=int(raw["blockNumber"]),
        succeeded=int(raw.get("status", 1)) == 1,
        gas_used=int(raw["gasUsed"]),
        gas_price=int(raw.get("effectiveGasPrice", 0)),
        logs=list(raw.get("logs", [])),
        contract_address=str(raw["contractAddress"]) if raw.get("contractAddress") else None,
        block_hash=HexBytes(raw["blockHash"]).to_0x_hex() if raw.get("blockHash") else None,
    )


def collect(pendings: Iterable[Pending], timeout: float = 120.0) -> list[Receipt]:
    """Receipts of many pipelined transactions; the first failure raises its named revert."""
    return [p.wait(timeout=timeout) for p in sorted(pendings, key=lambda p: p.nonce)]
