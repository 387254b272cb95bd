"""The scripted scenario of `make demo`: the Digital Tenge on a local chain, step by step.

.venv/bin/python tools/brownie_run.py scripts/demo.py --network development --silent   # make demo
"""

from __future__ import annotations

from typing import Any

from brownie import accounts, web3
from brownie.exceptions import VirtualMachineError

from scripts.deploy import deploy_token, write_deployment_record
from tenge.units import format_kzt, kzt_to_tiyn


def reason(text: str) -> str:
    """A legal basis as the contract stores it: the keccak256 of the document's reference."""
    return web3.keccak(text=text).hex()


def step(number: int, text: str) -> None:
    print(f"\n[{number:>2}] {text}")


def show_balances(token: Any, people: dict[str, Any]) -> None:
    for name, account in people.items():
        flags = [
            label
            for label, on in (("frozen", token.isFrozen(account)), ("blocked", token.isBlocked(account)))
            if on
        ]
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


def main() -> None:
    central_bank, minter_admin, issuer, officer, aigerim, daulet, bank = accounts[:7]
    people = {"Aigerim": aigerim, "Daulet": daulet}

    step(1, "National Bank deploys the Digital Tenge (mint controller, implementation, ERC-1967 proxy)")
    token = deploy_token(central_bank)
    minters = token._controller
    print(f"      {token.name()} ({token.symbol()}), {token.decimals()} decimals, proxy {token.address}")
    print(f"      its minters are kept by the mint controller at {minters.address}")

    step(2, "Admin grants narrow roles: a minter admin, an issuer, an officer who may pause, freeze, block")
    token.grantRole(token.MINTER_ADMIN_ROLE(), minter_admin, {"from": central_bank})
    for role in ("PAUSER_ROLE", "FREEZER_ROLE", "BLOCKLISTER_ROLE"):
        token.grantRole(getattr(token, role)(), officer, {"from": central_bank})
    minters.configureMinter(
        token, issuer, kzt_to_tiyn("1000000"), reason("Issuance mandate 1/2026"), {"from": minter_admin}
    )
    print(f"      issuer may mint {format_kzt(minters.minterAllowance(token, issuer))}")
    print(f"      deployment record: {write_deployment_record(token, central_bank, 0)}")

    step(3, "Issuer mints tiyn to two citizens")
    token.mint(aigerim, kzt_to_tiyn("1234.56"), {"from": issuer})
    token.mint(daulet, kzt_to_tiyn("500"), {"from": issuer})
    show_balances(token, people)

    step(4, "Aigerim pays Daulet 234.56 KZT")
    token.transfer(daulet, kzt_to_tiyn("234.56"), {"from": aigerim})
    show_balances(token, people)

    court_order = reason("Court order 2-1234/2026")
    step(5, "A court orders Daulet's account frozen; his transfer fails with the reason")
    token.freeze(daulet, court_order, {"from": officer})
    expect_refusal("Daulet pays Aigerim 10.00 KZT", lambda: token.transfer(aigerim, 1000, {"from": daulet}))
    print("      a frozen account still receives:")
    token.transfer(daulet, kzt_to_tiyn("100"), {"from": aigerim})
    show_balances(token, people)

    step(6, "Sanctions: Aigerim is blocklisted; she can neither send nor receive")
    sanctions = reason("Sanctions list update 2026-11")
    token.blockAccount(aigerim, sanctions, {"from": officer})
    expect_refusal("Aigerim pays Daulet 1.00 KZT", lambda: token.transfer(daulet, 100, {"from": aigerim}))
    token.unblockAccount(aigerim, reason("Delisted 2026-11-25"), {"from": officer})

    step(7, "The court lifts the freeze")
    token.unfreeze(daulet, reason("Ruling 2-1300/2026"), {"from": officer})
    token.transfer(aigerim, kzt_to_tiyn("50"), {"from": daulet})
    show_balances(token, people)

    step(8, "Emergency pause stops every transfer; unpause resumes")
    token.pause(reason("Incident 2026-11-25-01"), {"from": officer})
    expect_refusal(
        "Aigerim pays Daulet 1.00 KZT while paused", lambda: token.transfer(daulet, 100, {"from": aigerim})
    )
    token.unpause(reason("Incident closed"), {"from": officer})
    token.transfer(daulet, 100, {"from": aigerim})

    step(9, "Wallet policy: Aigerim's anonymous wallet (tier 0) holds at most 100,000 KZT")
    token.grantRole(token.KYC_ROLE(), officer, {"from": central_bank})
    tier = token.tierOf(aigerim)
    max_balance, daily = token.tierLimits(tier)
    print(
        f"      tier {tier}: holds {format_kzt(max_balance)}, sends {format_kzt(daily)} a day;"
        f" room now {format_kzt(token.availableToReceive(aigerim))}"
    )
    salary = kzt_to_tiyn("150000")
    expect_refusal("issuer pays Aigerim 150,000 KZT", lambda: token.mint(aigerim, salary, {"from": issuer}))
    print("      her bank links a bank account (tier 3); the excess now falls through to it (waterfall):")
    token.setTier(bank, 3, reason("Bank account, KYC file 77-001"), {"from": officer})
    token.setLinkedAccount(aigerim, bank, reason("Waterfall instruction 77-001"), {"from": officer})
    token.acceptLinkedAccount(bank, {"from": aigerim})  # her consent: KYC alone never redirects income
    tx = token.mint(aigerim, salary, {"from": issuer})
    fall = tx.events["Waterfall"][0]
    print(f"      Waterfall: {format_kzt(fall['amount'])} went on to {fall['linked']}")
    show_balances(token, {**people, "Bank": bank})

    step(10, "Final balances")
    show_balances(token, people)
    print("\n      Interventions on record, each with its actor and cited reason:")
    names = ("Frozen", "Unfrozen", "Blocked", "Unblocked", "PausedWithReason", "UnpausedWithReason")
    events = [(e, name) for name in names for e in token.events.get_sequence(from_block=0, event_type=name)]
    for event, name in sorted(events, key=lambda pair: pair[0].blockNumber):
        args = event.args
        who = args.get("account", "(all)")
        cited = bytes(args.reason).hex()[:16]
        print(
            f"      block {event.blockNumber:>3}  {name:<19} {who:<42}  by {args.actor}  reason 0x{cited}..."
        )
