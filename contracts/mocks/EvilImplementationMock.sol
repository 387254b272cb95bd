// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {StorageSlot} from "@openzeppelin/contracts/utils/StorageSlot.sol";

/// @title An implementation that is not the token (test mock)
/// @notice Once a proxy runs it, anyone re-points the proxy's implementation: what an upgrade past the
/// notice would allow.
contract EvilImplementationMock {
    /// @notice Lets anyone re-point the proxy that runs this code.
    /// @param implementation The new implementation.
    function setImplementation(address implementation) external {
        StorageSlot.getAddressSlot(ERC1967Utils.IMPLEMENTATION_SLOT).value = implementation;
    }

    /// @notice Answers as a UUPS implementation for ERC-1967's slot.
    /// @return ERC-1967's implementation slot.
    function proxiableUUID() external pure returns (bytes32) {
        return ERC1967Utils.IMPLEMENTATION_SLOT;
    }

    /// @notice Which code runs.
    /// @return "evil".
    function version() external pure returns (string memory) {
        return "evil";
    }
}
