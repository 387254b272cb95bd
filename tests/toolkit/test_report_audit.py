"""The outside audit of the transparency report and the index (issue 15): each finding it proved, now
closed, as a test that failed before the fix."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brownie
import pytest
from eth_utils.crypto import keccak
from sqlalchemy import create_engine, text

from tenge import Tenge
from tenge.errors import ChainError, IndexProblem
from tenge.report import build_report
from toolkit.conftest import run_cli

Connect = Callable[..., Tenge]
REASON = "0x" + keccak(text="Court order 2-1234/2026").hex()


@pytest.fixture
def indexed(connect: Connect, funded: Any, alice: Any, bob: Any, tmp_path: Path) -> tuple[Tenge, Any, str]:
    funded.transfer(bob, 100, {"from": alice})
    tenge = connect()
    url = f"sqlite:///{tmp_path / 'index.sqlite'}"
    index = tenge.open_index(url)
    tenge.sync_index(index)
    return tenge, index, url


def test_a_page_whose_blocks_change_while_read_is_read_again(
    connect: Connect, funded: Any, alice: Any, bob: Any, tmp_path: Path
) -> None:
    """Finding 2: a reorganisation between `eth_getLogs` and the blocks' hashes left the replaced block's
    events in the index for good. A log's block hash must be the block's, or the page is read again."""
    funded.transfer(bob, 100, {"from": alice})
    tenge = connect()
    index = tenge.open_index(f"sqlite:///{tmp_path / 'index.sqlite'}")
    real = tenge.events.block_hashes
    calls = {"n": 0}

    def reorganised_once(blocks: Any) -> dict[int, tuple[str, int]]:
        found = real(blocks)
        calls["n"] += 1
        if calls["n"] == 2:  # the first page's blocks, read after its logs: another fork's hashes
            return {n: ("0x" + "ee" * 32, t) for n, (_h, t) in found.items()}
        return found

    tenge.events.block_hashes = reorganised_once  # type: ignore[method-assign]
    tenge.sync_index(index)
    stored = [(e.block, e.log_index, e.args) for e in index.events()]
    on_chain = tenge.events.logs(tenge.events.event_names, tenge.record.block, tenge.events.head())
    assert stored == [(e.block, e.log_index, e.args) for e in on_chain]
    assert calls["n"] >= 3  # it read the page again

    tenge.events.block_hashes = lambda blocks: {  # type: ignore[method-assign]
        n: ("0x" + "ee" * 32, t) for n, (_h, t) in real(blocks).items()
    }
    funded.transfer(bob, 1, {"from": alice})
    with pytest.raises(ChainError, match="the chain is reorganising"):
        tenge.sync_index(index)


def test_an_index_of_another_chain_at_the_same_addresses_is_refused(
    connect: Connect, indexed: tuple[Tenge, Any, str]
) -> None:
    """Finding 3: a restarted dev chain (or a fork) has the token at the same address with the same
    chain id; its index was read as this chain's. The start block's hash says which chain it is."""
    url = indexed[2]
    with create_engine(url).begin() as db:
        db.execute(text("UPDATE index_info SET value = :h WHERE key = 'start_hash'"), {"h": "0x" + "ab" * 32})
    for opening in (connect().open_index, connect().read_index):
        with pytest.raises(IndexProblem, match="was read from another chain"):
            opening(url)


def test_an_index_that_stops_at_a_block_the_chain_replaced_is_not_read_as_it_is(
    connect: Connect, funded: Any, alice: Any, bob: Any, tmp_path: Path
) -> None:
    tenge = connect()
    url = f"sqlite:///{tmp_path / 'index.sqlite'}"
    tenge.sync_index(tenge.open_index(url))
    snapshot = brownie.web3.provider.make_request("evm_snapshot", [])["result"]
    funded.transfer(bob, 111, {"from": alice})
    tenge.sync_index(tenge.open_index(url))
    brownie.web3.provider.make_request("evm_revert", [snapshot])
    connect("alice").transfer(bob.address, tiyn=222).wait()
    with pytest.raises(IndexProblem, match="no longer on the node's chain"):
        connect().read_index(url)
    # Indexing again rolls it back and reads on; then it reads.
    tenge.sync_index(tenge.open_index(url))
    assert [e.args["value"] for e in connect().read_index(url).events(["Transfer"])][-1] == 222


def test_reading_an_index_that_is_not_there_creates_nothing_and_says_so(
    cli_env: Callable[..., list[str]], funded: Any, tmp_path: Path
) -> None:
    """Finding 10: `audit --db` on a mistyped path made an empty index and printed an empty audit."""
    missing = tmp_path / "typo.sqlite"
    for command in (
        ["audit"],
        ["history", funded.address],
        ["report", "--out", str(tmp_path / "r"), "--no-sync"],
    ):
        done = run_cli(cli_env(*command, "--db", f"sqlite:///{missing}"))
        assert done.exit_code == 2, done.output
        assert "no event index at" in done.output
    assert not missing.exists()


def test_bad_places_are_refused_with_a_message(
    cli_env: Callable[..., list[str]], indexed: tuple[Tenge, Any, str], tmp_path: Path
) -> None:
    """Finding 11: an unwritable --out and a --db that is not a database gave tracebacks."""
    _tenge, _index, url = indexed
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("just text, not a database\n" * 100)
    done = run_cli(cli_env("index", "--db", f"sqlite:///{not_a_database}"))
    assert done.exit_code == 2 and "cannot open the database" in done.output, done.output
    done = run_cli(cli_env("report", "--out", "/proc/no-report-here", "--db", url, "--no-sync"))
    assert done.exit_code == 2 and "cannot write the report" in done.output, done.output


def test_a_report_certifies_only_what_it_wrote_and_replaces_a_previous_one_whole(
    connect: Connect, indexed: tuple[Tenge, Any, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings 7 and 8: report.json hashed any file in --out; a report stopped halfway left pages of two
    reports and a manifest matching neither."""
    tenge, index, _url = indexed
    elsewhere = tmp_path / "my-folder"
    elsewhere.mkdir()
    (elsewhere / "forged.html").write_text("<p>forged</p>")
    with pytest.raises(Exception, match="holds other files and no report"):
        build_report(tenge, index, elsewhere)
    out = tmp_path / "site"
    build_report(tenge, index, out)
    (out / "data" / "stale.csv").write_text("planted\n")
    manifest = build_report(tenge, index, out)
    assert not (out / "data" / "stale.csv").exists() and "data/stale.csv" not in manifest.files
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    from tenge.report import charts

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("stopped halfway")

    monkeypatch.setattr(charts, "supply_chart", broken)
    with pytest.raises(RuntimeError, match="stopped halfway"):
        build_report(tenge, index, out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    listed = json.loads((out / "report.json").read_text())["files"]
    assert all(
        hashlib.sha256((out / name).read_bytes()).hexdigest() == digest for name, digest in listed.items()
    )


def test_two_runs_of_the_command_give_the_same_files_and_name_the_chain(
    cli_env: Callable[..., list[str]], indexed: tuple[Tenge, Any, str], tmp_path: Path
) -> None:
    """Finding 6: the wall-clock time was on every page; finding 3: report.json named no block hash."""
    url = indexed[2]
    outputs = []
    for name in ("one", "two"):
        done = run_cli(
            ["--json", *cli_env("report", "--out", str(tmp_path / name), "--db", url, "--no-sync")]
        )
        assert done.exit_code == 0, done.output
        folder = tmp_path / name
        outputs.append({p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
    manifest = json.loads((tmp_path / "one" / "report.json").read_text())
    head = brownie.web3.eth.get_block(manifest["to_block"])
    assert manifest["to_block_hash"] == head["hash"].to_0x_hex()
    assert (
        manifest["from_block_hash"] == brownie.web3.eth.get_block(manifest["from_block"])["hash"].to_0x_hex()
    )


def test_two_role_changes_in_one_multicall_keep_their_own_reasons(
    connect: Connect, token: Any, admin: Any, carol: Any, outsider: Any
) -> None:
    """Finding 5: the reasons were matched by transaction and actor, so the last one won."""
    start = brownie.chain.height + 1
    first, second = (bytes(keccak(text=t)) for t in ("Decision A/2026", "Decision B/2026"))
    token.multicall(
        [
            token.grantRole.encode_input(token.PAUSER_ROLE(), carol),
            token.citeReason.encode_input(first),
            token.grantRole.encode_input(token.PAUSER_ROLE(), outsider),
            token.citeReason.encode_input(second),
        ],
        {"from": admin},
    )
    granted = [(a.account, a.reason) for a in connect().audit(from_block=start) if a.event == "RoleGranted"]
    assert granted == [(carol.address, "0x" + first.hex()), (outsider.address, "0x" + second.hex())]


def test_csv_cells_never_run_as_formulas(
    cli_env: Callable[..., list[str]], funded: Any, alice: Any, bob: Any
) -> None:
    """Finding 9: a payment reference anyone chooses (`=HYPERLINK(...)`) reached a CSV as a formula."""
    formula = '=HYPERLINK("http://ev.il","x")'
    funded.transferWithReference(bob, 5, "0x" + formula.encode()[:32].ljust(32, b"\0").hex(), {"from": alice})
    done = run_cli(cli_env("history", bob.address, "--format", "csv"))
    assert done.exit_code == 0, done.output
    last = done.stdout.strip().splitlines()[-1]
    assert "'=HYPERLINK" in last and ",=HYPERLINK" not in last
