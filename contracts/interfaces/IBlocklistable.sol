// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Blocklist (sanctions), each listing citing its legal basis
/// @notice A blocked account cannot send, receive, approve, be approved, spend an allowance or relay
/// a signed transfer, and cannot be minted to.
interface IBlocklistable {
    /// @notice `account` was blocked by `actor`, citing `reason`.
    /// @param account The blocked account.
    /// @param actor The BLOCKLISTER_ROLE holder who blocked it.
    /// @param reason Hash or id of the legal basis (e.g. a sanctions listing).
    event Blocked(address indexed account, address indexed actor, bytes32 indexed reason);
    /// @notice `account` was unblocked by `actor`, citing `reason`.
    /// @param account The unblocked account.
    /// @param actor The BLOCKLISTER_ROLE holder who unblocked it.
    /// @param reason Hash or id of the legal basis.
    event Unblocked(address indexed account, address indexed actor, bytes32 indexed reason);

    /// @notice `account` is blocklisted.
    error AccountBlocked(address account);
    /// @notice The zero address (mint and burn's counterparty) cannot be blocked: it would stop both.
    error ZeroAddressCannotBeBlocked();
    /// @notice `account` is already in the state the call asked for.
    error BlocklistUnchanged(address account, bool blocked);

    /// @notice Blocks `account`. Requires BLOCKLISTER_ROLE.
    /// @param account The account to block; not the zero address, not already blocked.
    /// @param reason Hash or id of the legal basis (e.g. a sanctions listing).
    function blockAccount(address account, bytes32 reason) external;
    /// @notice Unblocks `account`. Requires BLOCKLISTER_ROLE.
    /// @param account The blocked account to release.
    /// @param reason Hash or id of the legal basis.
    function unblockAccount(address account, bytes32 reason) external;
    /// @notice Whether `account` is blocklisted.
    /// @param account The account asked about.
    /// @return True while the account is blocked.
    function isBlocked(address account) external view returns (bool);
}
