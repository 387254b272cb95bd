// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Account freezes and partial freezes (liens), each citing its legal basis
/// @notice A frozen account cannot send, approve or have its funds pulled; it can still receive.
/// A partial freeze holds `frozenAmount(account)` tiyn: the account can spend only what exceeds it.
interface IFreezable {
    /// @notice `account` was frozen by `actor`, citing `reason` (e.g. the hash of a court order).
    /// @param account The frozen account.
    /// @param actor The FREEZER_ROLE holder who froze it.
    /// @param reason Hash or id of the legal basis.
    event Frozen(address indexed account, address indexed actor, bytes32 indexed reason);
    /// @notice `account` was unfrozen by `actor`, citing `reason`.
    /// @param account The unfrozen account.
    /// @param actor The FREEZER_ROLE holder who unfroze it.
    /// @param reason Hash or id of the legal basis.
    event Unfrozen(address indexed account, address indexed actor, bytes32 indexed reason);
    /// @notice `actor` changed the amount held on `account` to `frozenAmount`, citing `reason`.
    /// @param account The account whose hold changed.
    /// @param frozenAmount Tiyn now held in total (0: no hold).
    /// @param actor The FREEZER_ROLE holder (or, for a seizure, the SEIZER_ROLE holder) who changed it.
    /// @param reason Hash or id of the legal basis.
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
    /// @notice A release of `requested` tiyn exceeds the `frozen` amount the order holds on `account`.
    error UnfreezeExceedsFrozen(address account, uint256 frozen, uint256 requested);

    /// @notice Freezes `account` entirely. Requires FREEZER_ROLE.
    /// @param account The account to freeze; not the zero address, not already frozen.
    /// @param reason Hash or id of the legal basis (e.g. a court order).
    function freeze(address account, bytes32 reason) external;
    /// @notice Lifts a full freeze of `account`. Requires FREEZER_ROLE.
    /// @param account The frozen account to release.
    /// @param reason Hash or id of the legal basis.
    function unfreeze(address account, bytes32 reason) external;
    /// @notice Holds `amount` more tiyn of `account` (a lien) under the order `reason`. Requires FREEZER_ROLE.
    /// @param account The account to hold funds on; not the zero address.
    /// @param amount Tiyn added to that order's hold; holds may exceed the current balance.
    /// @param reason Hash or id of the legal basis.
    function freezeAmount(address account, uint256 amount, bytes32 reason) external;
    /// @notice Releases `amount` tiyn of the hold that the order `reason` keeps on `account`.
    /// Requires FREEZER_ROLE.
    /// @param account The account whose hold shrinks.
    /// @param amount Tiyn released; at most what that order holds.
    /// @param reason Hash or id of the legal basis.
    function unfreezeAmount(address account, uint256 amount, bytes32 reason) external;
    /// @notice Whether `account` is fully frozen.
    /// @param account The account asked about.
    /// @return True while a full freeze applies (a partial hold alone does not count).
    function isFrozen(address account) external view returns (bool);
    /// @notice Tiyn of `account` held by the order `reason` (one hold per order).
    /// @param account The account asked about.
    /// @param reason The order (hash or id) that placed the hold.
    /// @return Tiyn that order holds; only its release or its seizure shrinks it.
    function heldAmount(address account, bytes32 reason) external view returns (uint256);
    /// @notice Tiyn of `account` held by partial freezes, all orders together.
    /// @param account The account asked about.
    /// @return Tiyn held; the account may spend only what its balance has above it.
    function frozenAmount(address account) external view returns (uint256);
}
