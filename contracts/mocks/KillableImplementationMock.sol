// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @title A harmless-looking implementation that can destroy itself (test mock)
/// @notice Destroyed for good only in the transaction that created it (EIP-6780), which a metamorphic
/// deployer uses to put other code at the same address later.
contract KillableImplementationMock {
    /// @notice Destroys this contract (removes its code only in its creating transaction).
    function kill() external {
        // solhint-disable-next-line avoid-suicide
        selfdestruct(payable(msg.sender));
    }

    /// @notice Answers as a UUPS implementation for ERC-1967's slot.
    /// @return ERC-1967's implementation slot.
    function proxiableUUID() external pure returns (bytes32) {
        return ERC1967Utils.IMPLEMENTATION_SLOT;
    }

    /// @notice Which code runs.
    /// @return "2".
    function version() external pure returns (string memory) {
        return "2";
    }
}
