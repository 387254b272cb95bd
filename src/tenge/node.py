"""Talking to the node through web3.py: its errors in tenge's families, and batched reads.

Every request goes through `w3.eth` or a contract of `w3.eth.contract`, so web3.py's middleware (the
proof-of-authority extra data of BNB Chain's headers) and its ABI codecs run on every call. What this
module adds is the meaning of a failure: a node that cannot be reached is a `ChainError`, a node that
answered with a JSON-RPC error is an `RpcRefused` (a revert is left to the caller, which decodes it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from web3 import Web3
from web3.exceptions import (
    BlockNotFound,
    ContractLogicError,
    ProviderConnectionError,
    TransactionNotFound,
    Web3RPCError,
)

from tenge.errors import ChainError

T = TypeVar("T")
# JSON-RPC batches of at most this many requests: public endpoints cap a batch's size.
MAX_BATCH = 100


class RpcRefused(ChainError):
    """The node answered with a JSON-RPC error (other than a revert, which becomes a ContractRevert)."""

    def __init__(self, method: str, code: int | None, message: str, data: Any = None) -> None:
        super().__init__(f"{method}: the node refused: {message}" + (f" (code {code})" if code else ""))
        self.method = method
        self.code = code
        self.message = message
        self.data = data

    def says(self, phrases: Sequence[str]) -> bool:
        """Whether the node's message contains one of `phrases` (lower case)."""
        text = self.message.lower()
        return any(phrase in text for phrase in phrases)


@contextmanager
def talking(what: str) -> Iterator[None]:
    """Runs web3.py calls, turning transport failures and JSON-RPC errors into tenge's exceptions.

    A contract's refusal (`ContractLogicError`) passes through for the caller to decode by its ABI, and
    so do a transaction or block the node does not know (`TransactionNotFound`, `BlockNotFound`).
    """
    try:
        yield
    except (ContractLogicError, TransactionNotFound, BlockNotFound):
        raise
    except Web3RPCError as exc:
        raise refused(what, exc) from None
    except (OSError, ProviderConnectionError) as exc:
        # requests' errors are OSErrors: a refused connection, a timeout, a bad gateway.
        raise ChainError(f"{what}: cannot reach the node ({_describe(exc)})") from None


def refused(what: str, exc: Web3RPCError) -> RpcRefused:
    """The RpcRefused of a JSON-RPC error response."""
    error = exc.rpc_response.get("error") if isinstance(exc.rpc_response, dict) else None
    if isinstance(error, dict):
        return RpcRefused(what, error.get("code"), str(error.get("message", "")), error.get("data"))
    return RpcRefused(what, None, str(error if error is not None else exc.message or exc))


def read_many(w3: Web3, reads: Sequence[Callable[[], Any]], what: str = "batch") -> list[Any]:
    """The results of many reads in few round trips (`w3.batch_requests()`, MAX_BATCH per batch).

    Each read is a thunk that makes one web3.py request (`lambda: w3.eth.get_block(7)`) or returns a
    contract function to call (`lambda: token.functions.balanceOf(a)`). web3.py formats every result as
    it does for a single request. A batch that fails as a whole (a revert, a missing receipt, a node
    that refuses batches) is read again one request at a time, so each error surfaces as its own.
    """
    results: list[Any] = []
    for start in range(0, len(reads), MAX_BATCH):
        chunk = reads[start : start + MAX_BATCH]
        if len(chunk) == 1:
            results.append(_one(chunk[0], what))
            continue
        try:
            with talking(what), w3.batch_requests() as batch:
                for read in chunk:
                    batch.add(read())
                results.extend(batch.execute())
        except ChainError as exc:
            if not isinstance(exc, RpcRefused):
                raise  # the node is down: one by one would fail the same way, only slower
            results.extend(_one(read, what) for read in chunk)
        except Exception:  # any failure of the batch: each read alone says what failed
            results.extend(_one(read, what) for read in chunk)
    return results


def _one(read: Callable[[], Any], what: str) -> Any:
    with talking(what):
        value = read()
        return value.call() if hasattr(value, "call") else value


def _describe(exc: Exception) -> str:
    text = str(exc)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if "timed out" in lowered or "timeout" in lowered:
        return "timed out"
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first[:160]}" if first else type(exc).__name__
