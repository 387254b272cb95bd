// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IBEP20} from "./IBEP20.sol";
import {IERC3009} from "./IERC3009.sol";
import {IBlocklistable} from "./IBlocklistable.sol";
import {IFreezable} from "./IFreezable.sol";
import {IMintController} from "./IMintController.sol";
import {ISeizureController} from "./ISeizureController.sol";
import {ITieredPolicy} from "./ITieredPolicy.sol";
import {IERC20PermitSignature} from "./IERC20PermitSignature.sol";
import {IPausable} from "./IPausable.sol";
import {IPaymentReferences} from "./IPaymentReferences.sol";

/// @title The Digital Tenge (DKZT): what integrators compile against
/// @notice BEP-20 with 2 decimals (1 KZT = 100 tiyn), role-gated issuance and accountable
/// interventions: every freeze, blocklisting, seizure and pause cites a `bytes32` reason.
interface IDigitalTenge is
    IBEP20,
    IERC20Permit,
    IERC5267,
    IERC20PermitSignature,
    IERC3009,
    IPausable,
    IBlocklistable,
    IFreezable,
    ITieredPolicy,
    IPaymentReferences
{
    /// @notice `minter` issued `amount` tiyn to `to`.
    /// @param minter The minter whose allowance (at the mint controller) paid for the issue.
    /// @param to The receiver of the new tiyn.
    /// @param amount Tiyn issued.
    event Minted(address indexed minter, address indexed to, uint256 amount);
    /// @notice `minter` redeemed (burned) `amount` tiyn of its own balance.
    /// @param minter The minter who burned.
    /// @param amount Tiyn burned.
    event Burned(address indexed minter, uint256 amount);

    /// @notice `amount` tiyn of `from`'s hold `order` went to `to` (burned when `to` is zero), citing
    /// `reason`: a seizure the seizure controller executed after two people decided it and its notice passed.
    /// @param from The holder seized from.
    /// @param to The receiver named by the order, or zero for a burn.
    /// @param amount Tiyn seized.
    /// @param order The hold it executed (its `HoldReleased` is in the same transaction).
    /// @param reason Hash or id of the legal basis (e.g. the court order).
    event Seized(address indexed from, address indexed to, uint256 amount, bytes32 indexed order, bytes32 reason);
    /// @notice `actor` sent `amount` of `token`, sent to this contract by mistake, to `to`.
    /// @param token The rescued token.
    /// @param to The receiver (e.g. the sender who made the mistake).
    /// @param amount Units of `token` sent, in its own decimals.
    /// @param actor The RESCUER_ROLE holder who sent them.
    /// @param reason Hash or id of the request behind it (e.g. the sender's claim).
    event Rescued(address indexed token, address indexed to, uint256 amount, address indexed actor, bytes32 reason);
    /// @notice `actor` paused all transfers, citing `reason`.
    /// @param actor The PAUSER_ROLE holder who paused.
    /// @param reason Hash or id of the decision behind the pause.
    event PausedWithReason(address indexed actor, bytes32 indexed reason);
    /// @notice `actor` resumed transfers, citing `reason`.
    /// @param actor The PAUSER_ROLE holder who unpaused.
    /// @param reason Hash or id of the decision behind the resumption.
    event UnpausedWithReason(address indexed actor, bytes32 indexed reason);
    /// @notice The total-supply cap is now `cap` tiyn (`type(uint256).max`: no cap).
    /// @param cap The new cap in tiyn.
    /// @param actor The DEFAULT_ADMIN_ROLE holder who set it (the admin, at initialization).
    /// @param reason Hash or id of the decision behind it (zero at initialization).
    event SupplyCapChanged(uint256 cap, address indexed actor, bytes32 reason);
    /// @notice `actor` cites `reason` for what it does in this transaction: the reason of a role change
    /// or a default-admin handover step (OpenZeppelin's functions, which take none) sent with it in one
    /// `multicall`.
    /// @param actor The caller.
    /// @param reason Hash or id of the decision behind the transaction's other calls.
    event ReasonCited(address indexed actor, bytes32 indexed reason);
    /// @notice The payment of `amount` tiyn from `from` to `to` (beside its Transfer) cites `paymentReference`,
    /// e.g. an invoice id, for the receiver to reconcile it.
    /// @param from The payer.
    /// @param to The payee.
    /// @param amount Tiyn paid.
    /// @param paymentReference The payment's id (e.g. an invoice id or its hash), used once by its sender.
    event PaymentReference(
        address indexed from, address indexed to, uint256 amount, bytes32 indexed paymentReference
    );

    /// @notice A seizure from `account` to itself: it would move nothing and only lift the order's hold.
    error SeizureToSameAccount(address account);
    /// @notice A zero-amount `transferFromWithReference` by `spender`, which `from` never approved: it
    /// would write a payment record in `from`'s name.
    error ReferenceWithoutAllowance(address from, address spender);
    /// @notice A seizure of nothing from `account`: an order names an amount.
    error SeizureAmountZero(address account);
    /// @notice An implementation deployed without its mint or seizure controller.
    error ControllerMissing();
    /// @notice Only the seizure controller (`seizureController()`) seizes; `caller` is not it.
    error CallerNotSeizureController(address caller);
    /// @notice `account` holds `heldRole`, whose duty `role` would join: kept apart, so that no one
    /// person both restricts and seizes, proposes and approves a seizure, or administers minters and mints.
    error RoleConflict(address account, bytes32 role, bytes32 heldRole);
    /// @notice A mint would raise the total supply to `supplyAfter`, above `cap`.
    error SupplyCapExceeded(uint256 supplyAfter, uint256 cap);
    /// @notice A new cap below the current `totalSupply`.
    error SupplyCapBelowSupply(uint256 cap, uint256 totalSupply);

    /// @notice Issues `amount` tiyn to `to`, spending the caller's minter allowance at the mint controller
    /// (a non-minter is refused with `AccessControlUnauthorizedAccount(caller, MINTER_ROLE)`, an amount
    /// above the allowance with the controller's `MinterAllowanceExceeded`). Every rule of a transfer to `to` applies (pause, blocklist, holding limit and waterfall); each
    /// leg is named by a `Minted` event: `to` for what it keeps, its linked account for the excess.
    /// @param to The receiver of the new tiyn.
    /// @param amount Tiyn to issue; within the caller's allowance and the supply cap.
    function mint(address to, uint256 amount) external;
    /// @notice Redeems `amount` tiyn of the caller's own balance. The caller must be a minter of this
    /// token at the mint controller (else `AccessControlUnauthorizedAccount(caller, MINTER_ROLE)`).
    /// @param amount Tiyn to burn.
    function burn(uint256 amount) external;
    /// @notice Moves `amount` tiyn of `from`'s hold `order` to `to`, or burns it when `to` is zero, and
    /// shrinks that hold by as much. Only the seizure controller calls it, once two people have decided
    /// the seizure and its notice has passed. The one deliberate bypass of the transfer rules: it
    /// executes the order itself (while paused or frozen too), but never credits a blocked account and
    /// never pays `from` back. Other holds stay, and so do the funds they keep: a seizure takes only what
    /// they leave of the balance.
    /// @param from The holder.
    /// @param to The receiver named by the order, or zero to burn.
    /// @param amount Tiyn to seize; not zero, at most what hold `order` keeps.
    /// @param order The hold executed.
    /// @param reason Hash or id of the legal basis (e.g. the court order).
    function seize(address from, address to, uint256 amount, bytes32 order, bytes32 reason) external;
    /// @notice `transfer` that also emits `PaymentReference(caller, to, amount, paymentReference)`. The
    /// caller cites each reference once: a second payment with it reverts with `PaymentReferenceUsed`.
    /// @param to The payee.
    /// @param amount Tiyn to pay.
    /// @param paymentReference The payee's reference for the payment (e.g. an invoice id or its hash).
    /// @return True, as `transfer`.
    function transferWithReference(address to, uint256 amount, bytes32 paymentReference) external returns (bool);
    /// @notice `transferFrom` that also emits `PaymentReference(from, to, amount, paymentReference)`.
    /// A zero amount still needs a non-zero allowance (no payment records in a stranger's name). The
    /// reference is the caller's (the spender's), used once as in `transferWithReference`.
    /// @param from The payer, who approved the caller.
    /// @param to The payee.
    /// @param amount Tiyn to pay.
    /// @param paymentReference The payee's reference for the payment (e.g. an invoice id or its hash).
    /// @return True, as `transferFrom`.
    function transferFromWithReference(address from, address to, uint256 amount, bytes32 paymentReference)
        external
        returns (bool);
    /// @notice Sends `amount` of `token` held by this contract to `to`. Requires RESCUER_ROLE.
    /// @param token The token sent here by mistake.
    /// @param to The receiver.
    /// @param amount Units of `token` to send, in its own decimals.
    /// @param reason Hash or id of the request behind it.
    function rescue(IERC20 token, address to, uint256 amount, bytes32 reason) external;
    /// @notice Stops every transfer, mint and burn. Requires PAUSER_ROLE.
    /// @param reason Hash or id of the decision behind the pause.
    function pause(bytes32 reason) external;
    /// @notice Resumes transfers. Requires PAUSER_ROLE.
    /// @param reason Hash or id of the decision behind the resumption.
    function unpause(bytes32 reason) external;
    /// @notice Sets the cap on total supply in tiyn. Requires DEFAULT_ADMIN_ROLE.
    /// @param cap The new cap in tiyn; at least the current total supply (`type(uint256).max`: no cap).
    /// @param reason Hash or id of the decision behind it.
    function setSupplyCap(uint256 cap, bytes32 reason) external;
    /// @notice Emits `ReasonCited(caller, reason)`: sent in one `multicall` with `grantRole`,
    /// `revokeRole`, `renounceRole` or a default-admin handover step, it is that call's reason on chain
    /// (the audit joins them by transaction and actor). It changes nothing.
    /// @param reason Hash or id of the decision behind the transaction's other calls.
    function citeReason(bytes32 reason) external;
    /// @notice Whether a transfer of `amount` from `from` to `to`, sent by `from`, would pass every rule
    /// (ERC-7943's `canTransfer`); false from the zero address. Call `checkTransfer` to learn which rule
    /// refuses it.
    /// @param from The payer.
    /// @param to The payee.
    /// @param amount Tiyn.
    /// @return True if the transfer would succeed now.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool);
    /// @notice Runs the transfer pipeline without moving anything: returns if a move of `amount` from
    /// `from` to `to`, sent by `operator` (the payer, a spender, a relayer or a minter), would pass
    /// every rule now, and otherwise reverts with the exact custom error the move would revert with.
    /// `from` zero is a mint. A path's own preconditions are not part of it: an ERC-20 allowance, a
    /// signature, a minter's allowance (the mint controller's `minterAllowance(token, operator)` answers
    /// it); each path checks them before the pipeline, as OpenZeppelin's `transferFrom` spends the allowance first.
    /// @param operator The account that sends the transaction.
    /// @param from The payer (zero: a mint).
    /// @param to The payee.
    /// @param amount Tiyn.
    /// @return toAmount Tiyn that `to` would receive.
    /// @return linked The linked account that would receive the rest (the waterfall), or zero.
    function checkTransfer(address operator, address from, address to, uint256 amount)
        external
        view
        returns (uint256 toAmount, address linked);
    /// @notice The contract that keeps this token's minters and their allowances (`IMintController`);
    /// its MINTER_ADMIN_ROLE checks ask this token. Fixed in the implementation: it changes only by upgrade.
    /// @return The mint controller.
    function mintController() external view returns (IMintController);
    /// @notice The contract that alone may seize, under its two-person rule and notice
    /// (`ISeizureController`). Fixed in the implementation: it changes only by upgrade.
    /// @return The seizure controller.
    function seizureController() external view returns (ISeizureController);
    /// @notice The cap on total supply in tiyn (`type(uint256).max`: no cap).
    /// @return The cap in tiyn.
    function supplyCap() external view returns (uint256);
}
