// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Minter allowances with an optional refill rate (USDC's minters, Paxos' SupplyControl)
/// @notice Each minter may issue at most its allowance. The allowance refills at `refillPerSecond`
/// up to `capacity`, so a stolen minter key can issue only a bounded amount per hour; a fixed
/// allowance is the case `refillPerSecond == 0`.
interface IMinterAllowances {
    /// @notice `minter` may now issue `allowance` tiyn, refilling at `refillPerSecond` up to `capacity`.
    /// @param minter The configured minter.
    /// @param allowance Tiyn it may issue now.
    /// @param capacity The most its allowance refills to (0 with no refill).
    /// @param refillPerSecond Tiyn added to its allowance each second, up to `capacity`.
    /// @param actor The MINTER_ADMIN_ROLE holder who configured it.
    event MinterConfigured(
        address indexed minter, uint256 allowance, uint256 capacity, uint256 refillPerSecond, address indexed actor
    );
    /// @notice `minter` lost its role and its allowance.
    /// @param minter The former minter.
    /// @param actor The MINTER_ADMIN_ROLE holder who removed it.
    event MinterRemoved(address indexed minter, address indexed actor);
    /// @notice `minter` issued `amount` tiyn to `to`.
    /// @param minter The minter whose allowance paid for the issue.
    /// @param to The receiver of the new tiyn.
    /// @param amount Tiyn issued.
    event Minted(address indexed minter, address indexed to, uint256 amount);
    /// @notice `minter` redeemed (burned) `amount` tiyn of its own balance.
    /// @param minter The minter who burned.
    /// @param amount Tiyn burned.
    event Burned(address indexed minter, uint256 amount);

    /// @notice `minter` asked to issue `needed` tiyn but its allowance is `allowance`.
    error MinterAllowanceExceeded(address minter, uint256 allowance, uint256 needed);
    /// @notice A refill capacity below the starting allowance, or a refill rate with no capacity.
    error InvalidMinterConfiguration(uint256 allowance, uint256 capacity, uint256 refillPerSecond);

    /// @notice Makes `minter` a minter with a fixed allowance. Requires MINTER_ADMIN_ROLE.
    /// @param minter The account to grant MINTER_ROLE and the allowance.
    /// @param allowance Tiyn it may issue; it does not refill.
    function configureMinter(address minter, uint256 allowance) external;
    /// @notice Makes `minter` a minter whose allowance refills at `refillPerSecond` up to `capacity`.
    /// Requires MINTER_ADMIN_ROLE.
    /// @param minter The account to grant MINTER_ROLE and the allowance.
    /// @param allowance Tiyn it may issue now.
    /// @param capacity The most its allowance refills to; at least `allowance`.
    /// @param refillPerSecond Tiyn added each second, up to `capacity`.
    function configureMinterWithRefill(address minter, uint256 allowance, uint256 capacity, uint256 refillPerSecond)
        external;
    /// @notice Revokes MINTER_ROLE from `minter` and clears its allowance. Requires MINTER_ADMIN_ROLE.
    /// @param minter The minter to remove.
    function removeMinter(address minter) external;
    /// @notice Tiyn `minter` may issue now, refill included.
    /// @param minter The minter asked about.
    /// @return Tiyn it may issue in this block.
    function minterAllowance(address minter) external view returns (uint256);
    /// @notice The refill settings of `minter`.
    /// @param minter The minter asked about.
    /// @return capacity The most its allowance refills to.
    /// @return refillPerSecond Tiyn added to its allowance each second.
    function minterRefill(address minter) external view returns (uint256 capacity, uint256 refillPerSecond);
}
