// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title A token that lets anyone do anything (test mock)
/// @notice The seizure controller serves any token: this one grants every role to every account and
/// reports whatever hold it was told, so the tests reach the controller's own rules (a second person
/// even where the token lets one account hold both roles). Never deployed outside tests.
contract PermissiveTokenMock {
    uint256 private _held;
    uint256 private _expiresAt;

    /// @notice How many seizures the controller executed here.
    uint256 public seizures;

    /// @notice Sets the hold that `holdOf` reports for every account and order.
    /// @param held Tiyn.
    /// @param expiresAt Unix time.
    function setHold(uint256 held, uint256 expiresAt) external {
        (_held, _expiresAt) = (held, expiresAt);
    }

    /// @notice Counts the seizure.
    function seize(address, address, uint256, bytes32, bytes32) external {
        ++seizures;
    }

    /// @notice The hold set by `setHold`.
    /// @return amount Tiyn.
    /// @return expiresAt Unix time.
    function holdOf(address, bytes32) external view returns (uint256 amount, uint256 expiresAt) {
        return (_held, _expiresAt);
    }

    /// @notice No delay: settings apply at once.
    /// @return 0.
    function defaultAdminDelay() external pure returns (uint48) {
        return 0;
    }

    /// @notice Every account holds every role.
    /// @return True.
    function hasRole(bytes32, address) external pure returns (bool) {
        return true;
    }
}
