"""The scripted scenario of `make demo`: the Digital Tenge on a local chain, step by step.

.venv/bin/python tools/brownie_run.py scripts/demo.py --network development --silent   # make demo

Every role has its own dev account (tenge.deploy LOCAL_ROLE_ACCOUNTS), and each step is sent by the
account whose duty it is: the token refuses to give one account two duties that must stay apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brownie import accounts, web3
from brownie.exceptions import VirtualMachineError

from scripts.deploy import deploy_token, write_deployment_record
from tenge import Tenge
from tenge.deploy import LOCAL_ROLE_ACCOUNTS
from tenge.deployment import DEFAULT_DIRECTORY
from tenge.index import default_path
from tenge.roles import role_id
from tenge.units import format_kzt, kzt_to_tiyn

HOUR, DAY = 3_600, 86_400
REPORT_DIR = Path("report")
STATUS = ("None", "Proposed", "Approved", "Executed", "Cancelled")  # ISeizureController.Status
INTERMEDIATE, FINAL = 1, 2  # IEarmarks.RecipientKind


def reason(text: str) -> str:
    """A legal basis as the contract stores it: the keccak256 of the document's reference."""
    return web3.keccak(text=text).hex()


def step(number: int, text: str) -> None:
    print(f"\n[{number:>2}] {text}")


def now() -> int:
    """The chain's clock: the latest block's timestamp."""
    return int(web3.eth.get_block("latest").timestamp)


def advance(seconds: int) -> None:
    """Moves the chain's clock on and mines a block (Anvil and Ganache both answer these)."""
    for method, params in (("evm_increaseTime", [seconds]), ("evm_mine", [])):
        response = web3.provider.make_request(method, params)
        if "error" in response:
            raise SystemExit(f"demo failed: {method}: {response['error']}")


def show_balances(token: Any, people: dict[str, Any]) -> None:
    for name, account in people.items():
        flags = [
            label
            for label, on in (("frozen", token.isFrozen(account)), ("blocked", token.isBlocked(account)))
            if on
        ]
        held = token.frozenAmount(account)
        if held:
            flags.append(f"{format_kzt(held)} held")
        print(f"      {name:<8} {format_kzt(token.balanceOf(account)):>16}  {' '.join(flags)}")
    print(f"      {'supply':<8} {format_kzt(token.totalSupply()):>16}")


def expect_refusal(action: str, call: Any) -> None:
    """Runs `call`, which must revert, and prints the contract's reason."""
    try:
        call()
    except VirtualMachineError as exc:
        print(f"      refused as expected: {action} -> {exc.revert_msg}")
        return
    raise SystemExit(f"demo failed: {action} was not refused")


def role_account(name: str) -> Any:
    return accounts[LOCAL_ROLE_ACCOUNTS[name]]


def main() -> None:
    central_bank = accounts[0]
    minter_admin, issuer = role_account("MINTER_ADMIN_ROLE"), role_account("MINTER_ROLE")
    pauser, court_officer = role_account("PAUSER_ROLE"), role_account("FREEZER_ROLE")
    sanctions_officer, kyc = role_account("BLOCKLISTER_ROLE"), role_account("KYC_ROLE")
    bailiff, judge = role_account("SEIZURE_PROPOSER_ROLE"), role_account("SEIZURE_APPROVER_ROLE")
    budget_holder = role_account("BUDGET_HOLDER_ROLE")
    aigerim, daulet, bank, creditor = accounts[9], accounts[10], accounts[11], accounts[12]
    contractor, subcontractor, rail_supplier, unapproved = (
        accounts[16],
        accounts[17],
        accounts[18],
        accounts[19],
    )
    people = {"Aigerim": aigerim, "Daulet": daulet}

    step(1, "National Bank deploys the Digital Tenge (mint and seizure controllers, implementation, proxy)")
    token = deploy_token(central_bank, with_earmarks=True)
    minters, seizures, earmarks = token._controller, token._seizure_controller, token._earmarks
    print(f"      {token.name()} ({token.symbol()}), {token.decimals()} decimals, proxy {token.address}")
    print(f"      its minters are kept by the mint controller at {minters.address}")
    print(f"      it seizes only through the seizure controller at {seizures.address}")
    print(f"      purpose-bound (earmarked) tenge is kept by the earmark contract at {earmarks.address}")

    step(2, "Admin grants narrow roles, each to its own account; the minter admin appoints the issuer")
    duties = {
        "MINTER_ADMIN_ROLE": minter_admin,
        "PAUSER_ROLE": pauser,
        "FREEZER_ROLE": court_officer,
        "BLOCKLISTER_ROLE": sanctions_officer,
        "SEIZURE_PROPOSER_ROLE": bailiff,
        "SEIZURE_APPROVER_ROLE": judge,
        "KYC_ROLE": kyc,
        "BUDGET_HOLDER_ROLE": budget_holder,
    }
    for role, holder in duties.items():
        token.grantRole(role_id(role), holder, {"from": central_bank})
        print(f"      {role:<22} {holder}")
    # The earmark contract keeps every purpose's DKZT: a system account, in the unlimited tier.
    token.setTier(earmarks, 3, reason("System account: earmark contract"), {"from": kyc})
    minters.configureMinter(
        token, issuer, kzt_to_tiyn("1000000"), reason("Issuance mandate 1/2026"), {"from": minter_admin}
    )
    print(f"      issuer {issuer} may mint {format_kzt(minters.minterAllowance(token, issuer))}")
    expect_refusal(
        "the bailiff is also made the judge who approves his seizures",
        lambda: token.grantRole(token.SEIZURE_APPROVER_ROLE(), bailiff, {"from": central_bank}),
    )
    notice = seizures.noticePeriod(token)
    print(f"      a seizure waits {notice // HOUR} hours after its approval (the controller's notice)")
    record_path = write_deployment_record(token, central_bank, 0)
    print(f"      deployment record: {record_path}")

    step(3, "Issuer mints tiyn to two citizens")
    token.mint(aigerim, kzt_to_tiyn("1234.56"), {"from": issuer})
    token.mint(daulet, kzt_to_tiyn("500"), {"from": issuer})
    show_balances(token, people)

    step(4, "Aigerim pays Daulet 234.56 KZT")
    token.transfer(daulet, kzt_to_tiyn("234.56"), {"from": aigerim})
    show_balances(token, people)

    court_order = reason("Court order 2-1234/2026")
    step(5, "A court orders Daulet's account frozen for 30 days; his transfer fails with the reason")
    token.freeze(daulet, now() + 30 * DAY, court_order, {"from": court_officer})
    print(f"      frozen until {token.frozenUntil(daulet)} (unix time): every freeze ends by itself")
    expect_refusal("Daulet pays Aigerim 10.00 KZT", lambda: token.transfer(aigerim, 1000, {"from": daulet}))
    print("      a frozen account still receives:")
    token.transfer(daulet, kzt_to_tiyn("100"), {"from": aigerim})
    show_balances(token, people)

    step(6, "Sanctions: Aigerim is blocklisted; she can neither send nor receive")
    sanctions = reason("Sanctions list update 2026-11")
    token.blockAccount(aigerim, sanctions, {"from": sanctions_officer})
    expect_refusal("Aigerim pays Daulet 1.00 KZT", lambda: token.transfer(daulet, 100, {"from": aigerim}))
    token.unblockAccount(aigerim, reason("Delisted 2026-11-25"), {"from": sanctions_officer})

    step(7, "The court lifts the freeze")
    token.unfreeze(daulet, reason("Ruling 2-1300/2026"), {"from": court_officer})
    token.transfer(aigerim, kzt_to_tiyn("50"), {"from": daulet})
    show_balances(token, people)

    step(8, "A freeze of one day lapses by itself: a day later nobody lifts it, and Daulet pays again")
    interim = reason("Interim measure 2-1310/2026")
    token.freeze(daulet, now() + DAY, interim, {"from": court_officer})
    expect_refusal("Daulet pays Aigerim 1.00 KZT", lambda: token.transfer(aigerim, 100, {"from": daulet}))
    advance(DAY)
    print(
        f"      a day later, with no transaction: frozen {token.isFrozen(daulet)},"
        f" frozenUntil {token.frozenUntil(daulet)}"
    )
    token.transfer(aigerim, 100, {"from": daulet})
    show_balances(token, people)

    step(9, "Emergency pause stops every transfer; unpause resumes")
    token.pause(reason("Incident 2026-11-25-01"), {"from": pauser})
    expect_refusal(
        "Aigerim pays Daulet 1.00 KZT while paused", lambda: token.transfer(daulet, 100, {"from": aigerim})
    )
    token.unpause(reason("Incident closed"), {"from": pauser})
    token.transfer(daulet, 100, {"from": aigerim})

    step(10, "Wallet policy: Aigerim's anonymous wallet (tier 0) holds at most 100,000 KZT")
    tier = token.tierOf(aigerim)
    max_balance, daily = token.tierLimits(tier)
    print(
        f"      tier {tier}: holds {format_kzt(max_balance)}, sends {format_kzt(daily)} a day;"
        f" room now {format_kzt(token.availableToReceive(aigerim))}"
    )
    salary = kzt_to_tiyn("150000")
    expect_refusal("issuer pays Aigerim 150,000 KZT", lambda: token.mint(aigerim, salary, {"from": issuer}))
    print("      her bank links a bank account (tier 3); the excess now falls through to it (waterfall):")
    token.setTier(bank, 3, reason("Bank account, KYC file 77-001"), {"from": kyc})
    token.setLinkedAccount(aigerim, bank, reason("Waterfall instruction 77-001"), {"from": kyc})
    token.acceptLinkedAccount(bank, {"from": aigerim})  # her consent: KYC alone never redirects income
    tx = token.mint(aigerim, salary, {"from": issuer})
    fall = tx.events["Waterfall"][0]
    print(f"      Waterfall: {format_kzt(fall['amount'])} went on to {fall['linked']}")
    show_balances(token, {**people, "Bank": bank})

    debt_order = reason("Court order 2-1500/2026 (debt recovery)")
    debt = kzt_to_tiyn("300")
    step(11, "A court orders 300.00 KZT of Daulet's held for his creditor, for 30 days")
    token.placeHold(daulet, debt, now() + 30 * DAY, debt_order, {"from": court_officer})
    held, until = token.holdOf(daulet, debt_order)
    print(
        f"      hold under the order: {format_kzt(held)} until {until};"
        f" he may send {format_kzt(token.availableToSend(daulet))}"
    )
    expect_refusal(
        "Daulet pays Aigerim 500.00 KZT",
        lambda: token.transfer(aigerim, kzt_to_tiyn("500"), {"from": daulet}),
    )

    step(12, "The seizure, by two people: the bailiff proposes it, the judge approves it, the notice runs")
    proposed = seizures.proposeSeizure(
        token, daulet, creditor, debt, debt_order, reason("Writ of execution 2-1500/2026"), {"from": bailiff}
    )
    seizure_id = proposed.events["SeizureProposed"]["id"]
    print(f"      seizure {seizure_id} proposed by the bailiff {bailiff}")
    expect_refusal(
        "the bailiff approves his own proposal (he holds no approver's role)",
        lambda: seizures.approveSeizure(seizure_id, debt_order, {"from": bailiff}),
    )
    approved = seizures.approveSeizure(seizure_id, reason("Approval 2-1500/2026"), {"from": judge})
    ready_at = approved.events["SeizureApproved"]["readyAt"]
    record = seizures.seizure(seizure_id)
    print(
        f"      on chain: {STATUS[record['status']]}, {format_kzt(record['amount'])} from {record['from']}"
        f" to {record['to']}, approved by {record['approver']}, executable from {ready_at}"
    )
    expect_refusal(
        "the creditor executes it at once", lambda: seizures.executeSeizure(seizure_id, {"from": creditor})
    )
    advance(max(ready_at - now(), 0))
    print(f"      {notice // HOUR} hours later, anyone may execute it: the creditor does")
    executed = seizures.executeSeizure(seizure_id, {"from": creditor})
    seized = executed.events["Seized"][0]
    print(f"      Seized: {format_kzt(seized['amount'])} from {seized['from']} to {seized['to']}")
    status, left = STATUS[seizures.seizure(seizure_id)["status"]], token.holdOf(daulet, debt_order)[0]
    print(f"      seizure {seizure_id}: {status}; the hold keeps {format_kzt(left)}")
    show_balances(token, {**people, "Creditor": creditor})

    step(13, "Final balances")
    show_balances(token, people)
    print("\n      Interventions on record, each with its actor and cited reason or order:")
    names = (
        "Frozen",
        "Unfrozen",
        "Blocked",
        "Unblocked",
        "PausedWithReason",
        "UnpausedWithReason",
        "HoldPlaced",
        "HoldReleased",
        "Seized",
    )
    events = [(e, name) for name in names for e in token.events.get_sequence(from_block=0, event_type=name)]
    steps = ("SeizureProposed", "SeizureApproved", "SeizureExecuted")
    events += [
        (e, name) for name in steps for e in seizures.events.get_sequence(from_block=0, event_type=name)
    ]
    for event, name in sorted(events, key=lambda pair: (pair[0].blockNumber, pair[0].logIndex)):
        args = event.args
        who = args.get("account", args.get("from", f"(seizure {args['id']})" if "id" in args else "(all)"))
        actor = args.get(
            "actor", args.get("proposer", args.get("approver", args.get("executor", "the controller")))
        )
        cited = args.get("reason", args.get("order"))
        cited = f"  reason 0x{bytes(cited).hex()[:16]}..." if cited is not None else ""
        print(f"      block {event.blockNumber:>3}  {name:<19} {who:<42}  by {actor}{cited}")

    step(14, "Earmarked tenge: 100,000,000 KZT bound to a railway section, down the chain of contractors")
    earmark_railway(
        token,
        earmarks,
        minters,
        minter_admin,
        issuer,
        kyc,
        budget_holder,
        contractor,
        subcontractor,
        rail_supplier,
        unapproved,
    )

    step(15, "The transparency report: every use of power, from the chain's events alone")
    write_report(record_path)


def earmark_railway(
    token: Any,
    earmarks: Any,
    minters: Any,
    minter_admin: Any,
    issuer: Any,
    kyc: Any,
    budget_holder: Any,
    contractor: Any,
    subcontractor: Any,
    rail_supplier: Any,
    unapproved: Any,
) -> None:
    """A budget holder opens a purpose, the general contractor and a subcontractor carry the mark, the
    rail supplier receives plain tenge, an unapproved firm is refused, the rest returns at the expiry."""
    budget = kzt_to_tiyn("100000000")
    # The budget's mandate: a second allowance for the issuer, set by the minter admin (no cap on supply).
    minters.configureMinter(
        token, issuer, budget, reason("Issuance mandate 2/2026: railway budget"), {"from": minter_admin}
    )
    for account, file in ((budget_holder, "Treasury account 01-001"), (rail_supplier, "KYB file 44-018")):
        token.setTier(account, 3, reason(file), {"from": kyc})
    token.mint(budget_holder, budget, {"from": issuer})
    name = "0x" + b"Railway Almaty-Kapshagay km 12-40".ljust(32, b"\0")[:32].hex()
    opened = earmarks.createPurpose(
        name, now() + 365 * DAY, reason("Budget law 2026/14, art. 7"), {"from": budget_holder}
    )
    purpose = opened.events["PurposeCreated"]["id"]
    approvals = (
        (contractor, INTERMEDIATE, "general contractor"),
        (subcontractor, INTERMEDIATE, "subcontractor"),
        (rail_supplier, FINAL, "rail supplier"),
    )
    for firm, kind, role in approvals:
        earmarks.approveRecipient(
            purpose, firm, kind, reason(f"Tender 2026/RW-12: {role}"), {"from": budget_holder}
        )
        print(f"      approved {'intermediate' if kind == INTERMEDIATE else 'final':<12} {role:<18} {firm}")
    token.approve(earmarks, budget, {"from": budget_holder})
    earmarks.deposit(purpose, budget, {"from": budget_holder})
    earmarks.earmark(
        purpose, contractor, kzt_to_tiyn("60000000"), reason("Disbursement RW-12/1"), {"from": budget_holder}
    )
    print(
        f"      purpose {purpose}: {format_kzt(budget)} deposited; 60,000,000 KZT earmarked to the contractor"
    )
    earmarks.pay(purpose, subcontractor, kzt_to_tiyn("40000000"), {"from": contractor})
    print("      the contractor pays the subcontractor 40,000,000 KZT: the mark follows (still earmarked)")
    before = token.balanceOf(rail_supplier)
    paid = earmarks.pay(purpose, rail_supplier, kzt_to_tiyn("25000000"), {"from": subcontractor})
    released = paid.events["EarmarkPaid"]["released"]
    print(
        f"      the subcontractor pays the rail supplier 25,000,000 KZT: released={released},"
        f" its token balance {format_kzt(before)} -> {format_kzt(token.balanceOf(rail_supplier))}"
        " (ordinary tenge)"
    )
    for label, holder in (("contractor", contractor), ("subcontractor", subcontractor)):
        print(f"      earmarked to the {label:<13} {format_kzt(earmarks.balanceOf(purpose, holder)):>20}")
    expect_refusal(
        "the subcontractor pays an unapproved firm 1,000,000 KZT",
        lambda: earmarks.pay(purpose, unapproved, kzt_to_tiyn("1000000"), {"from": subcontractor}),
    )
    expires_at = earmarks.purpose(purpose)[1]
    advance(expires_at - now())
    returnable = earmarks.returnable(purpose)
    print(
        f"      a year later the purpose has expired: {format_kzt(returnable)} unspent is the funder's again"
    )
    before = token.balanceOf(budget_holder)
    earmarks.close(purpose, {"from": unapproved})  # anyone may send the return
    after = token.balanceOf(budget_holder)
    print(
        f"      closed: the budget holder's balance {format_kzt(before)} -> {format_kzt(after)};"
        f" the earmark contract keeps {format_kzt(token.balanceOf(earmarks))}"
    )


def write_report(record_path: str) -> None:
    """Indexes the demo chain's events and writes the report to report/ (`make report` does the same)."""
    from tenge.report import build_report  # the report's charts load matplotlib

    tenge = Tenge.connect(str(web3.provider.endpoint_uri), record_path)
    index_file = default_path(tenge.chain_id, tenge.address, DEFAULT_DIRECTORY)
    for stale in index_file.parent.glob(index_file.name + "*"):
        stale.unlink()  # a new demo chain each run: its index starts again
    index = tenge.open_index()  # that file, where `tenge index` and `tenge audit --db` find it
    synced = tenge.sync_index(index)
    manifest = build_report(tenge, index, REPORT_DIR)
    print(f"      indexed {synced.events_added} events of blocks {synced.from_block}..{synced.to_block}")
    print(f"      into {index_file}: `tenge audit --db sqlite:///{index_file}` reads it")
    print(f"      {len(manifest.files)} files, each with its SHA-256 in {REPORT_DIR / 'report.json'}")
    print(f"      open it: {manifest.index_html.resolve()}")
