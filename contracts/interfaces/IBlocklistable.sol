// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Blocklist (sanctions), each listing citing its legal basis
/// @notice A blocked account cannot send, receive, approve, be approved, spend an allowance or relay
/// a signed transfer, and cannot be minted to.
interface IBlocklistable {
    /// @notice `account` was blocked by `actor`, citing `reason`.
    event Blocked(address indexed account, address indexed actor, bytes32 indexed reason);
    /// @notice `account` was unblocked by `actor`, citing `reason`.
    event Unblocked(address indexed account, address indexed actor, bytes32 indexed reason);

    /// @notice `account` is blocklisted.
    error AccountBlocked(address account);
    /// @notice The zero address (mint and burn's counterparty) cannot be blocked: it would stop both.
    error ZeroAddressCannotBeBlocked();
    /// @notice `account` is already in the state the call asked for.
    error BlocklistUnchanged(address account, bool blocked);

    /// @notice Blocks `account`. Requires BLOCKLISTER_ROLE.
    function blockAccount(address account, bytes32 reason) external;
    /// @notice Unblocks `account`. Requires BLOCKLISTER_ROLE.
    function unblockAccount(address account, bytes32 reason) external;
    /// @notice Whether `account` is blocklisted.
    function isBlocked(address account) external view returns (bool);
}
