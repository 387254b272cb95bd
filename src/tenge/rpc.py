"""Raw JSON-RPC calls with errors that say what failed: a node that is down, or a node that refused."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from web3 import Web3
from web3.types import RPCEndpoint

from tenge.errors import ChainError


class RpcRefused(ChainError):
    """The node answered with a JSON-RPC error (other than a revert, which becomes a ContractRevert)."""

    def __init__(self, method: str, code: int | None, message: str, data: Any = None) -> None:
        super().__init__(f"{method}: the node refused: {message}" + (f" (code {code})" if code else ""))
        self.method = method
        self.code = code
        self.message = message
        self.data = data

    @property
    def is_revert(self) -> bool:
        return "revert" in self.message.lower() or self.code == 3

    def revert_data(self) -> bytes:
        """The revert data carried by the error, b"" if none."""
        raw = self.data
        if isinstance(raw, dict):
            raw = raw.get("data") or raw.get("result")
        if isinstance(raw, str):
            text = raw.removeprefix("Reverted ").strip()
            if text.startswith("0x"):
                try:
                    return bytes.fromhex(text[2:])
                except ValueError:
                    return b""
        return b""


def call(w3: Web3, method: str, params: list[Any]) -> Any:
    """Sends one request and returns its `result`; raises ChainError if the node cannot be reached."""
    try:
        response = w3.provider.make_request(RPCEndpoint(method), params)
    except Exception as exc:
        # Transport failures (refused connection, timeout, bad gateway) all mean the chain is unreachable.
        raise ChainError(f"{method}: cannot reach the node ({_describe(exc)})") from None
    error = response.get("error")
    if error is not None:
        if isinstance(error, dict):
            raise RpcRefused(method, error.get("code"), str(error.get("message", "")), error.get("data"))
        raise RpcRefused(method, None, str(error))
    return response.get("result")


MAX_BATCH = 100


def batch(w3: Web3, calls: Sequence[tuple[str, list[Any]]]) -> list[Any]:
    """Many requests in few round trips (JSON-RPC batches of up to MAX_BATCH).

    Each item of the result is the call's `result`, or the RpcRefused it failed with (not raised, so that
    one refusal does not hide the others). Falls back to one request per call where batches are refused.
    """
    send_batch = getattr(w3.provider, "make_batch_request", None)
    if send_batch is None:
        return _one_by_one(w3, calls)
    results: list[Any] = []
    for start in range(0, len(calls), MAX_BATCH):
        chunk = calls[start : start + MAX_BATCH]
        try:
            responses = send_batch([(RPCEndpoint(m), p) for m, p in chunk])
        except Exception as exc:
            raise ChainError(f"batch of {len(chunk)}: cannot reach the node ({_describe(exc)})") from None
        if not isinstance(responses, list) or len(responses) != len(chunk):
            results.extend(_one_by_one(w3, chunk))  # a node without batch support answers with one error
            continue
        for (method, _), response in zip(chunk, responses, strict=True):
            error = response.get("error")
            if error is None:
                results.append(response.get("result"))
            elif isinstance(error, dict):
                results.append(
                    RpcRefused(method, error.get("code"), str(error.get("message", "")), error.get("data"))
                )
            else:
                results.append(RpcRefused(method, None, str(error)))
    return results


def _one_by_one(w3: Web3, calls: Sequence[tuple[str, list[Any]]]) -> list[Any]:
    results: list[Any] = []
    for method, params in calls:
        try:
            results.append(call(w3, method, params))
        except RpcRefused as refused:
            results.append(refused)
    return results


def to_int(value: Any) -> int:
    """A JSON-RPC quantity ("0x1a") as an int."""
    if isinstance(value, int):
        return value
    return int(str(value), 16)


def _describe(exc: Exception) -> str:
    text = str(exc)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if "timed out" in lowered or "timeout" in lowered:
        return "timed out"
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first[:160]}" if first else type(exc).__name__
