// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Account freezes and partial freezes (liens), each citing its legal basis
/// @notice A frozen account cannot send, approve or have its funds pulled; it can still receive.
/// A partial freeze holds `frozenAmount(account)` tiyn: the account can spend only what exceeds it.
interface IFreezable {
    /// @notice `account` was frozen by `actor`, citing `reason` (e.g. the hash of a court order).
    event Frozen(address indexed account, address indexed actor, bytes32 indexed reason);
    /// @notice `account` was unfrozen by `actor`, citing `reason`.
    event Unfrozen(address indexed account, address indexed actor, bytes32 indexed reason);
    /// @notice `actor` changed the amount held on `account` to `frozenAmount`, citing `reason`.
    event FrozenAmountChanged(
        address indexed account, uint256 frozenAmount, address indexed actor, bytes32 indexed reason
    );

    /// @notice `account` is frozen: it may not send, approve or have its funds pulled.
    error AccountFrozen(address account);
    /// @notice The zero address (mint and burn's counterparty) cannot be frozen or held.
    error ZeroAddressCannotBeFrozen();
    /// @notice `account` is already in the state the call asked for.
    error FreezeUnchanged(address account, bool frozen);
    /// @notice `account` tried to move `needed` tiyn but only `available` are not held by a partial freeze.
    error InsufficientUnfrozenBalance(address account, uint256 available, uint256 needed);
    /// @notice An unfreeze of `requested` tiyn exceeds the `frozen` amount held on `account`.
    error UnfreezeExceedsFrozen(address account, uint256 frozen, uint256 requested);

    /// @notice Freezes `account` entirely. Requires FREEZER_ROLE.
    function freeze(address account, bytes32 reason) external;
    /// @notice Lifts a full freeze of `account`. Requires FREEZER_ROLE.
    function unfreeze(address account, bytes32 reason) external;
    /// @notice Holds `amount` more tiyn of `account` (a lien). Requires FREEZER_ROLE.
    function freezeAmount(address account, uint256 amount, bytes32 reason) external;
    /// @notice Releases `amount` tiyn of the hold on `account`. Requires FREEZER_ROLE.
    function unfreezeAmount(address account, uint256 amount, bytes32 reason) external;
    /// @notice Whether `account` is fully frozen.
    function isFrozen(address account) external view returns (bool);
    /// @notice Tiyn of `account` held by partial freezes.
    function frozenAmount(address account) external view returns (uint256);
}
