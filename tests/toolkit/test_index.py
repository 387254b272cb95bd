"""The event index: it holds what the node holds, once; it resumes, waits for confirmations, rolls back a
reorganisation, refuses another token's database; history and the audit read from it as from the node."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brownie
import pytest
from conftest import expiry, seize
from eth_utils.crypto import keccak
from sqlalchemy import create_engine, text

from tenge import Tenge
from tenge.errors import IndexProblem, InvalidInput
from tenge.events import EventLog
from tenge.index import EventIndex
from toolkit.conftest import run_cli

Connect = Callable[..., Tenge]
DATABASES = itertools.count(1)
REASON = "0x" + keccak(text="Court order 2-1234/2026").hex()


def chain_events(tenge: Tenge, to_block: int | None = None) -> list[tuple[Any, ...]]:
    """Every event of the token and its controllers about it, read from the node."""
    reader = tenge.events
    end = reader.head() if to_block is None else to_block
    return [key(e) for e in reader.logs(reader.event_names, tenge.record.block, end, with_time=True)]


def key(event: EventLog) -> tuple[Any, ...]:
    return (event.block, event.log_index, event.tx_hash, event.name, event.args, event.timestamp)


def indexed(index: EventIndex) -> list[tuple[Any, ...]]:
    return [key(e) for e in index.events()]


def some_activity(token: Any, alice: Any, bob: Any, carol: Any, freezer: Any, blocklister: Any) -> None:
    for amount in (100, 200, 300):
        token.transfer(bob, amount, {"from": alice})
    token.freeze(carol, expiry(), REASON, {"from": freezer})
    token.blockAccount(carol, REASON, {"from": blocklister})
    token.transfer(alice, 50, {"from": bob})


@pytest.fixture(params=["sqlite", "postgresql"])
def index_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database for an index: an SQLite file, or a database of a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.sqlite'}"
    server: str = request.getfixturevalue("postgres_url")
    name = f"index_{next(DATABASES)}"
    with create_engine(server, isolation_level="AUTOCOMMIT").connect() as db:
        db.execute(text(f"CREATE DATABASE {name}"))
    return server.rsplit("/", 1)[0] + "/" + name


def test_an_index_holds_every_event_of_the_node_once_and_resumes(
    connect: Connect,
    funded: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    freezer: Any,
    blocklister: Any,
    index_url: str,
) -> None:
    some_activity(funded, alice, bob, carol, freezer, blocklister)
    tenge = connect()
    head = tenge.events.head()
    index = tenge.open_index(index_url)
    # Stopped halfway (a run that was killed after some pages), then resumed.
    first = tenge.sync_index(index, to_block=head - 3, page_blocks=2)
    assert first.to_block == head - 3
    assert indexed(index) == chain_events(tenge, head - 3)
    second = tenge.sync_index(index, page_blocks=2)
    assert (second.from_block, second.to_block) == (head - 2, head)
    assert indexed(index) == chain_events(tenge)
    assert first.events_added + second.events_added == len(chain_events(tenge)) == index.state().events
    # Nothing new: nothing added, nothing twice.
    again = tenge.sync_index(index)
    assert (again.events_added, again.pages) == (0, 0)
    assert index.state().checkpoint == head


def test_a_run_stopped_inside_a_page_commits_nothing_of_it(
    connect: Connect, funded: Any, alice: Any, bob: Any, index_url: str
) -> None:
    for amount in (1, 2, 3, 4):
        funded.transfer(bob, amount, {"from": alice})
    tenge = connect()
    index = tenge.open_index(index_url)
    pages: list[int] = []

    def stop_after_two(start: int, end: int, count: int) -> None:
        pages.append(end)
        if len(pages) == 2:
            raise KeyboardInterrupt  # as a user's Ctrl-C after the second page's commit

    with pytest.raises(KeyboardInterrupt):
        tenge.sync_index(index, page_blocks=1, on_page=stop_after_two)
    assert index.state().checkpoint == pages[1]
    tenge.sync_index(index, page_blocks=1)
    assert indexed(index) == chain_events(tenge)


def test_confirmations_hold_the_newest_blocks_back(
    connect: Connect, funded: Any, alice: Any, bob: Any, index_url: str
) -> None:
    for amount in (1, 2, 3):
        funded.transfer(bob, amount, {"from": alice})
    tenge = connect()
    head = tenge.events.head()
    index = tenge.open_index(index_url)
    assert tenge.sync_index(index, confirmations=2).to_block == head - 2
    assert indexed(index) == chain_events(tenge, head - 2)
    assert all(e.block <= head - 2 for e in index.events())


def test_a_reorganisation_is_rolled_back_and_read_again(
    connect: Connect, funded: Any, alice: Any, bob: Any, carol: Any, index_url: str
) -> None:
    tenge = connect()
    index = tenge.open_index(index_url)
    tenge.sync_index(index)
    fork = tenge.events.head()
    snapshot = brownie.web3.provider.make_request("evm_snapshot", [])["result"]
    funded.transfer(bob, 111, {"from": alice})
    funded.transfer(bob, 222, {"from": alice})
    tenge.sync_index(index)
    assert [e.args["value"] for e in index.events(["Transfer"], from_block=fork + 1)] == [111, 222]
    # The chain reorganises: those two blocks are replaced by three others (sent through web3.py:
    # brownie's own transaction tracking does not follow a revert it did not make).
    brownie.web3.provider.make_request("evm_revert", [snapshot])
    payer = connect("alice")
    for amount in (7, 8, 9):
        payer.transfer(carol.address, tiyn=amount).wait()
    result = tenge.sync_index(index)
    assert result.rolled_back_to == fork
    assert [e.args["value"] for e in index.events(["Transfer"], from_block=fork + 1)] == [7, 8, 9]
    assert indexed(index) == chain_events(tenge)


def test_an_index_serves_one_token(connect: Connect, funded: Any, index_url: str) -> None:
    tenge = connect()
    tenge.open_index(index_url)
    with pytest.raises(IndexProblem, match="an index serves one token on one chain"):
        EventIndex.open(index_url, chain_id=tenge.chain_id, token="0x" + "12" * 20, start_block=0)
    with pytest.raises(IndexProblem, match="holds chain_id 31337, not 1"):
        EventIndex.open(index_url, chain_id=1, token=tenge.address, start_block=0)


def test_a_database_url_that_cannot_work_says_why(
    connect: Connect, funded: Any, tmp_path: Path, postgres_url: str
) -> None:
    tenge = connect()
    with pytest.raises(InvalidInput, match="database URL 'nosuch://x'"):
        tenge.open_index("nosuch://x")
    with pytest.raises(IndexProblem, match="cannot open the database"):
        tenge.open_index(f"sqlite:///{tmp_path / 'missing-dir' / 'index.sqlite'}")
    with pytest.raises(IndexProblem, match='database "nosuch" does not exist'):
        tenge.open_index(postgres_url.rsplit("/", 1)[0] + "/nosuch")


def test_history_and_audit_from_the_index_are_the_nodes(
    connect: Connect,
    funded: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    admin: Any,
    freezer: Any,
    blocklister: Any,
    proposer: Any,
    approver: Any,
    pauser: Any,
    index_url: str,
) -> None:
    until = expiry()
    funded.transferWithReference(bob, 1_234, "0x" + b"INV-2026-001".ljust(32, b"\0").hex(), {"from": alice})
    funded.freeze(alice, until, REASON, {"from": freezer})
    funded.unfreeze(alice, REASON, {"from": freezer})
    funded.placeHold(bob, 5_000, until, REASON, {"from": freezer})
    seize(funded, proposer, approver, bob, carol, 1_000)
    funded.blockAccount(bob, REASON, {"from": blocklister})
    funded.unblockAccount(bob, REASON, {"from": blocklister})
    funded.pause(REASON, {"from": pauser})
    funded.unpause(REASON, {"from": pauser})
    funded.grantRole(funded.PAUSER_ROLE(), carol, {"from": admin})
    tenge = connect()
    index = tenge.open_index(index_url)
    tenge.sync_index(index)
    from_node = tenge.audit()
    assert len(from_node) > 10
    # A fresh client, which has read no seizure record and no sender from the node.
    assert connect().audit_from_index(index) == from_node
    for holder in (alice, bob, carol):
        assert connect().history_from_index(index, holder.address) == tenge.history(holder.address)


def test_two_runs_at_once_store_each_event_once(
    connect: Connect, funded: Any, alice: Any, bob: Any, index_url: str
) -> None:
    for amount in range(1, 13):
        funded.transfer(bob, amount, {"from": alice})
    runs = [connect() for _ in range(2)]
    indexes = [tenge.open_index(index_url) for tenge in runs]  # two connections, as two processes have
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            runs[n].sync_index(indexes[n], page_blocks=1)
        except BaseException as exc:  # reported below, with the test's own assertion
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert indexed(indexes[0]) == chain_events(runs[0])


def test_the_command_line_indexes_and_reads_history_and_audit_from_the_index(
    cli_env: Callable[..., list[str]], funded: Any, alice: Any, bob: Any, freezer: Any, tmp_path: Path
) -> None:
    funded.transfer(bob, 250, {"from": alice})
    funded.freeze(bob, expiry(), REASON, {"from": freezer})
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = run_cli(["--json", *cli_env("index", "--db", url, "--page-blocks", "3")])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["index"]["checkpoint"] == brownie.chain.height
    assert result["sync"]["events_added"] == result["index"]["events"] > 0
    for command in (["audit", "--format", "json"], ["history", alice.address, "--format", "json"]):
        from_node = run_cli(cli_env(*command))
        from_index = run_cli(cli_env(*command, "--db", url))
        assert from_index.exit_code == from_node.exit_code == 0, from_index.output
        assert json.loads(from_index.stdout) == json.loads(from_node.stdout) != []
    # Another token's index is refused with its reason, and exit code 2 (bad input).
    other = run_cli(["--json", *cli_env("index", "--db", f"sqlite:///{tmp_path / 'x.sqlite'}")])
    assert other.exit_code == 0
    EventIndex.open(f"sqlite:///{tmp_path / 'y.sqlite'}", chain_id=1, token=alice.address, start_block=0)
    refused = run_cli(cli_env("index", "--db", f"sqlite:///{tmp_path / 'y.sqlite'}"))
    assert refused.exit_code == 2
    assert "an index serves one token on one chain" in refused.output
