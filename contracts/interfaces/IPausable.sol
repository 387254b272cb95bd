// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Pause: OpenZeppelin's events and errors, so tools that know `Pausable` read ours
/// @notice While paused, nothing moves but a seizure.
interface IPausable {
    // slither-disable-start unindexed-event-address OpenZeppelin's signatures, so that tools read them
    /// @notice `account` paused the token.
    /// @param account The PAUSER_ROLE holder.
    event Paused(address account);
    /// @notice `account` resumed the token.
    /// @param account The PAUSER_ROLE holder.
    event Unpaused(address account);
    // slither-disable-end unindexed-event-address

    /// @notice The token is paused.
    error EnforcedPause();
    /// @notice The token is not paused.
    error ExpectedPause();

    /// @notice Whether the token is paused.
    /// @return True while nothing may move.
    function paused() external view returns (bool);
}
