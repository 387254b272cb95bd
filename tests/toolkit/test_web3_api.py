"""The library is web3.py used as web3.py: every request goes through `w3.eth` and the contract API, so the
middleware runs; reads batch; an overloaded function is called by its signature; no raw requests remain."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from web3.middleware import ExtraDataToPOAMiddleware, Web3Middleware

import tenge
from tenge import InvalidInput, Tenge
from tenge.abi import token_abi
from tenge.client import PERMIT_VRS, make_web3

Connect = Callable[..., Tenge]
PACKAGE = Path(tenge.__file__).parent
# What the package must not do again: raw JSON-RPC past the middleware, or ABI encoding by hand.
FORBIDDEN = {
    r"\bmake_request\b": "raw JSON-RPC request (skips web3.py's middleware)",
    r"\bmake_batch_request\b": "raw JSON-RPC batch (use w3.batch_requests())",
    r"\beth_abi\b": "hand-built ABI encoding (use the contract API or w3.codec)",
    r"\.provider\b": "the provider used directly (go through w3.eth)",
    r"keccak\(text=signature": "a selector computed by hand (the contract API picks functions)",
}


def test_no_raw_requests_or_hand_built_encoding_in_the_package() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {why}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for pattern, why in FORBIDDEN.items()
        if re.search(pattern, line)
    ]
    assert found == []


class Recorder(Web3Middleware):
    """Notes every request and every batch that passes through the middleware onion."""

    seen: ClassVar[list[str]] = []
    batches: ClassVar[list[list[str]]] = []

    def wrap_make_request(self, make_request: Any) -> Any:
        def request(method: Any, params: Any) -> Any:
            Recorder.seen.append(str(method))
            return make_request(method, params)

        return request

    def wrap_make_batch_request(self, make_batch_request: Any) -> Any:
        def batch(requests: Any) -> Any:
            Recorder.batches.append([str(method) for method, _ in requests])
            return make_batch_request(requests)

        return batch


@pytest.fixture
def recorded(connect: Connect) -> Callable[[str], Tenge]:
    def make(actor: str) -> Tenge:
        client = connect(actor)
        Recorder.seen, Recorder.batches = [], []
        client.w3.middleware_onion.inject(Recorder, "recorder", layer=0)
        return client

    return make


def test_every_request_goes_through_the_middleware(
    recorded: Callable[[str], Tenge], funded: Any, alice: Any, bob: Any
) -> None:
    client = recorded("alice")
    receipt = client.transfer(bob.address, "12.50", reference="INV-1").wait()
    client.history(alice.address)
    methods = set(Recorder.seen) | {m for batch in Recorder.batches for m in batch}
    expected = {"eth_estimateGas", "eth_sendRawTransaction", "eth_getTransactionReceipt", "eth_getLogs"}
    assert expected <= methods
    assert [e.name for e in client.receipt_events(receipt)] == ["Transfer", "PaymentReference"]


def test_an_account_status_is_one_batch_of_calls(
    recorded: Callable[[str], Tenge], funded: Any, alice: Any
) -> None:
    client = recorded("alice")
    status = client.status(alice.address)
    assert str(status.balance) == "1000.00"
    assert Recorder.seen == []  # nothing outside the batch
    assert len(Recorder.batches) == 1 and set(Recorder.batches[0]) == {"eth_call"}
    assert len(Recorder.batches[0]) >= 8


def test_the_proof_of_authority_middleware_is_installed() -> None:
    # BNB Chain's headers carry 97+ bytes of extra data, which web3.py refuses without it.
    w3 = make_web3("http://127.0.0.1:1")
    assert w3.middleware_onion.get("proof_of_authority") is ExtraDataToPOAMiddleware


def test_an_overloaded_function_is_called_by_its_signature(
    connect: Connect, funded: Any, alice: Any, bob: Any, carol: Any, rpc_url: str, record: Any
) -> None:
    # The token has the `bytes signature` forms beside (v, r, s) (ERC-1271 wallets, as USDC v2.2).
    assert len([e for e in token_abi() if e.get("name") == "permit"]) == 2
    signed = connect("alice").sign_permit(bob.address, "10")
    relayer = Tenge(make_web3(rpc_url), record, abi=token_abi(), signer=connect("carol")._signer)
    relayer.permit(signed).wait()
    assert str(connect().allowance(alice.address, bob.address)) == "10.00"
    assert relayer.encode(PERMIT_VRS, alice.address, bob.address, 1, 2, 27, b"\0" * 32, b"\0" * 32)
    with pytest.raises(InvalidInput, match="permit is overloaded in this ABI: name it by its signature"):
        relayer.function("permit", alice.address, bob.address, 1, 2, b"")


def test_runtime_dependencies_are_ranges_that_the_lock_file_satisfies() -> None:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = PACKAGE.parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    # Package names compare as pip compares them (SQLAlchemy is sqlalchemy, eth_abi is eth-abi).
    pins = {
        canonicalize_name(name): version
        for name, version in (
            line.split("==", 1)
            for line in (root / "requirements.lock").read_text().splitlines()
            if "==" in line and not line.startswith("#")
        )
    }
    for text in project["dependencies"]:
        requirement = Requirement(text)
        kinds = {spec.operator for spec in requirement.specifier}
        assert kinds == {">=", "<"}, f"{text}: a library declares a compatible range, not a pin"
        name = canonicalize_name(requirement.name)
        assert requirement.specifier.contains(pins[name]), f"requirements.lock pins {name}=={pins[name]}"
