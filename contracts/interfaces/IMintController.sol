// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Minter administration outside the token (Circle's MintController, Paxos' SupplyControl)
/// @notice Each minter of a token may issue at most its allowance. The allowance refills at
/// `refillPerSecond` up to `capacity`, so a stolen minter key can issue only a bounded amount per hour;
/// a fixed allowance is the case `refillPerSecond == 0`. One controller may serve several tokens: every
/// record is kept per (token, minter), and a token spends only its own minters' allowances.
interface IMintController {
    /// @notice `minter` may now issue `allowance` tiyn of `token`, refilling at `refillPerSecond` up to
    /// `capacity`.
    /// @param token The token the minter issues.
    /// @param minter The configured minter.
    /// @param allowance Tiyn it may issue now.
    /// @param capacity The most its allowance refills to (its allowance, with no refill).
    /// @param refillPerSecond Tiyn added to its allowance each second, up to `capacity`.
    /// @param actor The token's MINTER_ADMIN_ROLE holder who configured it.
    /// @param reason Hash or id of the decision behind it.
    event MinterConfigured(
        address indexed token,
        address indexed minter,
        uint256 allowance,
        uint256 capacity,
        uint256 refillPerSecond,
        address indexed actor,
        bytes32 reason
    );
    /// @notice `minter` is no longer a minter of `token`, and its allowance is gone.
    /// @param token The token it issued.
    /// @param minter The former minter.
    /// @param actor The MINTER_ADMIN_ROLE holder who removed it, or the minter itself when it renounced.
    /// @param reason Hash or id of the decision behind it (zero when the minter renounced).
    event MinterRemoved(address indexed token, address indexed minter, address indexed actor, bytes32 reason);

    /// @notice `minter` asked to issue `needed` tiyn but its allowance is `allowance`.
    error MinterAllowanceExceeded(address minter, uint256 allowance, uint256 needed);
    /// @notice A refill capacity below the starting allowance, or a refill rate with no capacity.
    error InvalidMinterConfiguration(uint256 allowance, uint256 capacity, uint256 refillPerSecond);
    /// @notice `account` holds `heldRole` in the token, whose duty `role` would join (the token's
    /// `RoleConflict`): an administrator of minters is never a minter.
    error RoleConflict(address account, bytes32 role, bytes32 heldRole);

    /// @notice Makes `minter` a minter of `token` with a fixed allowance, replacing any record it had.
    /// Requires the token's MINTER_ADMIN_ROLE.
    /// @param token The token, whose AccessControl says who administers its minters.
    /// @param minter The account that may then mint.
    /// @param allowance Tiyn it may issue; it does not refill.
    /// @param reason Hash or id of the decision behind it.
    function configureMinter(address token, address minter, uint256 allowance, bytes32 reason) external;
    /// @notice Makes `minter` a minter of `token` whose allowance refills at `refillPerSecond` up to
    /// `capacity`, replacing any record it had. Requires the token's MINTER_ADMIN_ROLE.
    /// @param token The token, whose AccessControl says who administers its minters.
    /// @param minter The account that may then mint.
    /// @param allowance Tiyn it may issue now.
    /// @param capacity The most its allowance refills to; at least `allowance`.
    /// @param refillPerSecond Tiyn added each second, up to `capacity`.
    /// @param reason Hash or id of the decision behind it.
    function configureMinterWithRefill(
        address token,
        address minter,
        uint256 allowance,
        uint256 capacity,
        uint256 refillPerSecond,
        bytes32 reason
    ) external;
    /// @notice Ends `minter`'s minting of `token` and deletes its allowance; a non-minter is left as it
    /// is. Requires the token's MINTER_ADMIN_ROLE.
    /// @param token The token.
    /// @param minter The minter to remove.
    /// @param reason Hash or id of the decision behind it.
    function removeMinter(address token, address minter, bytes32 reason) external;
    /// @notice The caller stops being a minter of `token` (a retired or compromised key); nothing
    /// happens if it is not one.
    /// @param token The token.
    function renounceMinter(address token) external;
    /// @notice Spends `amount` of `minter`'s allowance for the calling token, refill included. Called
    /// by the token's `mint`: the caller is the token, so a token spends only its own minters'.
    /// @dev Reverts with `AccessControlUnauthorizedAccount(minter, MINTER_ROLE)` for a non-minter and
    /// with `MinterAllowanceExceeded` above the allowance.
    /// @param minter The account that asked the token to mint.
    /// @param amount Tiyn to issue.
    function spendMintAllowance(address minter, uint256 amount) external;
    /// @notice Whether `account` is a minter of `token` (configured and not removed).
    /// @param token The token.
    /// @param account The account asked about.
    /// @return True while it may mint (within its allowance) and burn.
    function isMinter(address token, address account) external view returns (bool);
    /// @notice Tiyn `minter` may issue of `token` now, refill included.
    /// @param token The token.
    /// @param minter The minter asked about.
    /// @return Tiyn it may issue in this block.
    function minterAllowance(address token, address minter) external view returns (uint256);
    /// @notice The refill settings of `minter` of `token`.
    /// @param token The token.
    /// @param minter The minter asked about.
    /// @return capacity The most its allowance refills to.
    /// @return refillPerSecond Tiyn added to its allowance each second.
    function minterRefill(address token, address minter)
        external
        view
        returns (uint256 capacity, uint256 refillPerSecond);
}
