"""The `tenge` command line: each command, its output, and the exit code of each kind of failure."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brownie
from click.testing import CliRunner
from conftest import expiry
from eth_account import Account
from eth_utils.crypto import keccak

from tenge.cli import cli
from toolkit.conftest import key_of
from toolkit.conftest import run_cli as run

REASON = "Court order 2-1234/2026"
REASON_HASH = "0x" + keccak(text=REASON).hex()
Args = Callable[..., list[str]]


def test_help_documents_the_exit_codes() -> None:
    result = run(["--help"])
    assert result.exit_code == 0
    for line in (
        "0  success",
        "2  bad input",
        "3  chain",
        "4  the contract refused",
        "5  the deployment",
        "6  no key",
    ):
        assert line in result.output


def test_every_command_has_help() -> None:
    names = [[name] for name in cli.commands] + [["roles", "grant"], ["roles", "revoke"]]
    names += [["tier", "get"], ["tier", "set"], ["limits", "set"]]
    names += [["upgrade", "announce"], ["upgrade", "cancel"], ["upgrade", "run"], ["upgrade", "show"]]
    names += [["hold", "place"], ["hold", "release"], ["hold", "show"], ["restriction-term", "set"]]
    names += [["seizure", step] for step in ("propose", "approve", "execute", "cancel", "show", "list")]
    names += [["seizure", "notice", "show"], ["seizure", "notice", "set"]]
    expected = {"balance", "transfer", "approve", "mint", "burn", "freeze", "unfreeze", "block", "unblock"}
    expected |= {"hold", "seizure", "restriction-term", "pause", "unpause", "roles", "payout", "history"}
    expected |= {"watch", "audit"}
    expected |= {"tier", "limits", "link", "accept-link", "unlink", "policy"}
    assert expected <= set(cli.commands)
    for name in names:
        result = run([*name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: " in result.output


CONCERNS = {
    "accounts": {"info", "balance", "allowance", "transfer", "approve", "permit", "authorize", "relay"},
    "issuance": {"mint", "burn", "minter", "supply-cap"},
    "controls": {"block", "unblock", "pause", "unpause", "rescue", "roles", "upgrade"},
    "restrictions": {"freeze", "unfreeze", "hold", "restriction-term"},
    "seizures": {"seizure"},
    "policy": {"tier", "limits", "link", "accept-link", "unlink", "policy"},
    "payouts": {"payout"},
    "audit": {"history", "watch", "audit"},
}


def test_the_command_line_is_one_module_per_concern_none_over_400_lines() -> None:
    import tenge.cli

    package = Path(tenge.cli.__file__).parent
    sizes = {path.name: len(path.read_text().splitlines()) for path in package.glob("*.py")}
    assert max(sizes.values()) <= 400, sizes
    for concern, names in CONCERNS.items():
        defined = {name for name, command in cli.commands.items() if command.callback is not None}
        modules = {cli.commands[name].callback.__module__ for name in names & defined}
        assert modules == {f"tenge.cli.{concern}"}, (concern, modules)


def test_network_or_rpc_not_both(rpc_url: str) -> None:
    both = run(["--network", "bsc-test", "--rpc", rpc_url, "info"])
    assert both.exit_code == 2 and "not both" in both.output
    unknown = run(["--network", "mainnet", "info"])
    assert unknown.exit_code == 2


def test_balance_as_json(cli_env: Args, funded: Any, alice: Any, bob: Any) -> None:
    result = run(cli_env("--json", "balance", alice.address, bob.address.lower()))
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [(r["address"], r["balance"]) for r in rows] == [
        (alice.address, "1000.00"),
        (bob.address, "500.00"),
    ]


def test_info(cli_env: Args, funded: Any) -> None:
    result = run(cli_env("--json", "info"))
    assert json.loads(result.stdout)["total_supply"] == "1500.00"


def test_transfer(cli_env: Args, funded: Any, alice: Any, bob: Any) -> None:
    result = run(cli_env("--json", "transfer", bob.address, "12.34"), actor="alice")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["events"][0]["event"] == "Transfer"
    assert out["events"][0]["args"]["value"] == "12.34"
    assert funded.balanceOf(bob) == 50_000 + 1234


def test_approve_mint_burn(cli_env: Args, funded: Any, alice: Any, bob: Any, minter: Any) -> None:
    assert run(cli_env("approve", bob.address, "5"), actor="alice").exit_code == 0
    assert run(cli_env("mint", minter.address, "3"), actor="minter").exit_code == 0
    assert run(cli_env("burn", "1"), actor="minter").exit_code == 0
    assert funded.allowance(alice, bob) == 500
    assert funded.balanceOf(minter) == 200
    assert run(cli_env("--json", "allowance", alice.address, bob.address)).stdout.count('"5.00"') == 1


def test_interventions_cite_the_hashed_reason(
    cli_env: Args, funded: Any, alice: Any, bob: Any, carol: Any
) -> None:
    freeze = run(
        cli_env("--json", "freeze", alice.address, "--for", "30d", "--reason", REASON), actor="freezer"
    )
    assert freeze.exit_code == 0, freeze.output
    assert json.loads(freeze.stdout)["events"][0]["args"]["reason"] == REASON_HASH
    assert funded.isFrozen(alice)
    hold = run(
        cli_env("hold", "place", alice.address, "190", "--order", REASON, "--for", "30d"), actor="freezer"
    )
    assert hold.exit_code == 0, hold.output
    for target in (["--to", carol.address], ["--burn"]):
        amount = "100" if target[0] == "--to" else "50"
        args = ["seizure", "propose", alice.address, amount, "--order", REASON, *target, "--reason", REASON]
        proposed = run(cli_env("--json", *args), actor="proposer")
        assert proposed.exit_code == 0, proposed.output
        number = str(json.loads(proposed.stdout)["events"][0]["args"]["id"])
        assert run(cli_env("seizure", "approve", number, "--reason", REASON), "approver").exit_code == 0
        assert run(cli_env("seizure", "execute", number), actor="outsider").exit_code == 0
    assert run(cli_env("unfreeze", alice.address, "--reason", REASON_HASH), actor="freezer").exit_code == 0
    release = ["hold", "release", alice.address, "10", "--order", REASON, "--reason", "Ruling 7"]
    assert run(cli_env(*release), actor="freezer").exit_code == 0
    assert run(cli_env("block", bob.address, "--reason", REASON), actor="blocklister").exit_code == 0
    assert funded.isBlocked(bob)
    assert run(cli_env("unblock", bob.address, "--reason", REASON), actor="blocklister").exit_code == 0
    assert run(cli_env("pause", "--reason", REASON), actor="pauser").exit_code == 0
    assert funded.paused()
    assert run(cli_env("unpause", "--reason", REASON), actor="pauser").exit_code == 0
    assert (funded.balanceOf(carol), funded.balanceOf(alice), funded.frozenAmount(alice)) == (
        10_000,
        85_000,
        3_000,
    )
    assert not funded.isFrozen(alice) and not funded.isBlocked(bob) and not funded.paused()


def test_seizure_needs_exactly_one_destination(cli_env: Args, funded: Any, alice: Any, carol: Any) -> None:
    propose = ["seizure", "propose", alice.address, "1", "--order", REASON, "--reason", REASON]
    both = run(cli_env(*propose, "--to", carol.address, "--burn"), actor="proposer")
    neither = run(cli_env(*propose), actor="proposer")
    assert both.exit_code == neither.exit_code == 2
    assert all("give exactly one of --to ADDRESS or --burn" in r.output for r in (both, neither))


def test_roles(cli_env: Args, token: Any, freezer: Any, carol: Any) -> None:
    listing = json.loads(run(cli_env("--json", "roles")).stdout)
    assert listing["FREEZER_ROLE"] == [freezer.address]
    assert (
        run(
            cli_env("roles", "grant", "SEIZURE_APPROVER", carol.address, "--reason", "Board decision 5"),
            actor="admin",
        ).exit_code
        == 0
    )
    assert json.loads(run(cli_env("--json", "roles", "--account", carol.address)).stdout)["roles"] == [
        "SEIZURE_APPROVER_ROLE"
    ]
    assert (
        run(
            cli_env(
                "roles", "revoke", "SEIZURE_APPROVER_ROLE", carol.address, "--reason", "Board decision 6"
            ),
            actor="admin",
        ).exit_code
        == 0
    )
    assert not token.hasRole(token.SEIZURE_APPROVER_ROLE(), carol)


def test_history_as_csv_and_json(cli_env: Args, funded: Any, alice: Any, bob: Any, tmp_path: Path) -> None:
    funded.transfer(bob, 700, {"from": alice})
    result = run(cli_env("history", alice.address))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["kind"], r["direction"], r["amount"]) for r in rows] == [
        ("mint", "in", "1000.00"),
        ("transfer", "out", "7.00"),
    ]
    exported = tmp_path / "alice.json"
    assert (
        run(cli_env("history", alice.address, "--format", "json", "--output", str(exported))).exit_code == 0
    )
    assert [r["to"] for r in json.loads(exported.read_text())] == [alice.address, bob.address]


def test_audit_as_csv_and_table(cli_env: Args, funded: Any, alice: Any, freezer: Any) -> None:
    start = brownie.chain.height + 1
    funded.freeze(alice, expiry(), REASON_HASH, {"from": freezer})
    result = run(cli_env("audit", "--format", "csv", "--from-block", str(start)))
    assert result.exit_code == 0
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["event"], row["account"], row["actor"], row["reason"]) == (
        "Frozen",
        alice.address,
        freezer.address,
        REASON_HASH,
    )
    assert row["time"] and int(row["block"]) >= start
    table = run(cli_env("audit")).stdout
    assert "Frozen" in table and "RoleGranted" in table and "Upgraded" in table and REASON_HASH in table


def test_watch_from_a_block(cli_env: Args, funded: Any, alice: Any, bob: Any) -> None:
    start = brownie.chain.height + 1
    funded.transfer(bob, 321, {"from": alice})
    result = run(
        cli_env(
            "--json", "watch", "--from-block", str(start), "--count", "1", "--poll", "0.1", "--timeout", "20"
        )
    )
    assert result.exit_code == 0
    event = json.loads(result.stdout.splitlines()[0])
    assert (event["event"], event["args"]["value"]) == ("Transfer", "3.21")


# --- exit codes ---------------------------------------------------------------------------------------


def test_revert_exits_4_with_the_error_name(
    cli_env: Args, funded: Any, alice: Any, bob: Any, freezer: Any
) -> None:
    funded.freeze(alice, expiry(), REASON_HASH, {"from": freezer})
    result = run(cli_env("transfer", bob.address, "1"), actor="alice")
    assert result.exit_code == 4
    assert f"AccountFrozen(account={alice.address})" in result.stderr
    as_json = json.loads(run(cli_env("--json", "transfer", bob.address, "1"), actor="alice").stderr)
    assert as_json["error"] == "AccountFrozen" and as_json["arguments"] == {"account": alice.address}


def test_missing_role_exits_4_and_names_the_role(cli_env: Args, token: Any, outsider: Any) -> None:
    result = run(cli_env("mint", outsider.address, "1"), actor="outsider")
    assert result.exit_code == 4
    assert "AccessControlUnauthorizedAccount" in result.stderr and "MINTER_ROLE" in result.stderr


def test_keystore_password_from_env_or_prompt(
    cli_env: Args, funded: Any, alice: Any, bob: Any, tmp_path: Path
) -> None:
    keystore = tmp_path / "alice.json"
    keystore.write_text(
        json.dumps(Account.encrypt(key_of("alice").key, "s3cret", kdf="pbkdf2", iterations=2))
    )
    wrong = run(
        cli_env("--keystore", str(keystore), "transfer", bob.address, "1"), TENGE_KEYSTORE_PASSWORD="guess"
    )
    assert wrong.exit_code == 6 and "wrong password" in wrong.stderr
    ok = run(
        cli_env("--keystore", str(keystore), "transfer", bob.address, "1"), TENGE_KEYSTORE_PASSWORD="s3cret"
    )
    assert ok.exit_code == 0, ok.output
    prompted = CliRunner().invoke(
        cli,
        cli_env("--keystore", str(keystore), "transfer", bob.address, "1"),
        input="s3cret\n",
        env={"TENGE_KEYSTORE_PASSWORD": None, "TENGE_PRIVATE_KEY": None},
    )
    assert prompted.exit_code == 0, prompted.output
    assert "s3cret" not in prompted.output and key_of("alice").key.hex() not in prompted.output
    assert funded.balanceOf(bob) == 50_000 + 200


def test_balance_table_and_payout_summary_for_people(
    cli_env: Args, funded: Any, alice: Any, bob: Any, carol: Any, blocklister: Any, tmp_path: Path
) -> None:
    funded.blockAccount(carol, REASON_HASH, {"from": blocklister})
    table = run(cli_env("balance", alice.address, carol.address)).stdout
    assert alice.address in table and "1000.00" in table and "yes" in table
    payouts = tmp_path / "payouts.csv"
    payouts.write_text(f"address,amount,reference\n{bob.address},1.50,rent\n{carol.address},2,fee\n")
    result = run(cli_env("payout", str(payouts)), actor="alice")
    assert result.exit_code == 4, result.output
    assert "Payout summary" in result.stdout and "1.50 KZT" in result.stdout
    assert "Failed rows" in result.stdout and f"AccountBlocked(account={carol.address})" in result.stdout
    assert funded.balanceOf(bob) == 50_150 and funded.balanceOf(carol) == 0
