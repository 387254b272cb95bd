// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Minter allowances with an optional refill rate (USDC's minters, Paxos' SupplyControl)
/// @notice Each minter may issue at most its allowance. The allowance refills at `refillPerSecond`
/// up to `capacity`, so a stolen minter key can issue only a bounded amount per hour; a fixed
/// allowance is the case `refillPerSecond == 0`.
interface IMinterAllowances {
    /// @notice `minter` may now issue `allowance` tiyn, refilling at `refillPerSecond` up to `capacity`.
    event MinterConfigured(
        address indexed minter, uint256 allowance, uint256 capacity, uint256 refillPerSecond, address indexed actor
    );
    /// @notice `minter` lost its role and its allowance.
    event MinterRemoved(address indexed minter, address indexed actor);
    /// @notice `minter` issued `amount` tiyn to `to`.
    event Minted(address indexed minter, address indexed to, uint256 amount);
    /// @notice `minter` redeemed (burned) `amount` tiyn of its own balance.
    event Burned(address indexed minter, uint256 amount);

    /// @notice `minter` asked to issue `needed` tiyn but its allowance is `allowance`.
    error MinterAllowanceExceeded(address minter, uint256 allowance, uint256 needed);
    /// @notice A refill capacity below the starting allowance, or a refill rate with no capacity.
    error InvalidMinterConfiguration(uint256 allowance, uint256 capacity, uint256 refillPerSecond);

    /// @notice Makes `minter` a minter with a fixed allowance. Requires MINTER_ADMIN_ROLE.
    function configureMinter(address minter, uint256 allowance) external;
    /// @notice Makes `minter` a minter whose allowance refills at `refillPerSecond` up to `capacity`.
    /// Requires MINTER_ADMIN_ROLE.
    function configureMinterWithRefill(address minter, uint256 allowance, uint256 capacity, uint256 refillPerSecond)
        external;
    /// @notice Revokes MINTER_ROLE from `minter` and clears its allowance. Requires MINTER_ADMIN_ROLE.
    function removeMinter(address minter) external;
    /// @notice Tiyn `minter` may issue now, refill included.
    function minterAllowance(address minter) external view returns (uint256);
    /// @notice The refill settings of `minter`.
    function minterRefill(address minter) external view returns (uint256 capacity, uint256 refillPerSecond);
}
