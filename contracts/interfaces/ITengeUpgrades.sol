// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Upgrades of the Digital Tenge, answered by its proxy (`DigitalTengeProxy`)
/// @notice The token's address answers this interface as well as `IDigitalTenge`: tools merge the two ABIs.
interface ITengeUpgrades {
    /// @notice The implementation is now `implementation` (ERC-1967's event).
    /// @param implementation The new implementation.
    event Upgraded(address indexed implementation);

    /// @notice The new implementation answered `proxiableUUID` with `slot`, not ERC-1967's implementation slot.
    error UnsupportedProxiableUUID(bytes32 slot);

    /// @notice Points the proxy at `newImplementation` and, if `data` is not empty, calls it with `data`
    /// (e.g. a reinitializer). Requires the token's UPGRADER_ROLE.
    /// @param newImplementation The new implementation; it must answer `proxiableUUID`.
    /// @param data Calldata for the new implementation, or empty.
    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable;
}
