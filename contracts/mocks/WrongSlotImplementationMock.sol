// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title An implementation that says it belongs in another slot (test mock)
/// @notice The proxy must refuse to upgrade to it.
contract WrongSlotImplementationMock {
    /// @notice Not ERC-1967's implementation slot.
    /// @return 0x1111...11.
    function proxiableUUID() external pure returns (bytes32) {
        return bytes32(uint256(0x1111111111111111111111111111111111111111111111111111111111111111));
    }
}
