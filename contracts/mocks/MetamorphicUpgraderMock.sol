// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITengeUpgrades} from "../interfaces/ITengeUpgrades.sol";
import {KillableImplementationMock} from "./KillableImplementationMock.sol";

/// @title An UPGRADER_ROLE holder that is a contract with a metamorphic deployer (test mock)
/// @notice Creates contracts by CREATE2 with 0age's metamorphic init code, which copies the runtime code
/// of `getImplementation()`: the same address can hold other code after a selfdestruct.
contract MetamorphicUpgraderMock {
    // Copies the runtime code of this factory's getImplementation() into the new contract.
    bytes private constant INIT = hex"5860208158601c335a63aaf10f428752fa158151803b80938091923cf3";
    address private _template;

    /// @notice CREATE2 returned no contract.
    error CreationFailed();

    /// @notice In one transaction: creates an implementation with `template`'s code, announces it, and
    /// destroys it again.
    /// @param token The token whose upgrade is announced.
    /// @param salt The CREATE2 salt.
    /// @param template The code the announced implementation has while it is announced.
    /// @param dataHash The announced call's hash.
    /// @param reason The announcement's reason.
    /// @return implementation The announced address.
    function announceEphemeral(ITengeUpgrades token, bytes32 salt, address template, bytes32 dataHash, bytes32 reason)
        external
        returns (address implementation)
    {
        implementation = deploy(salt, template);
        token.announceUpgrade(implementation, dataHash, reason);
        KillableImplementationMock(implementation).kill();
    }

    /// @notice Runs an upgrade as this upgrader.
    /// @param token The token.
    /// @param implementation The implementation.
    /// @param data The call.
    function upgrade(ITengeUpgrades token, address implementation, bytes calldata data) external {
        token.upgradeToAndCall(implementation, data);
    }

    /// @notice The code the next contract this factory creates copies (0age's init code asks for it).
    /// @return The template.
    function getImplementation() external view returns (address) {
        return _template;
    }

    /// @notice Where `deploy(salt, ...)` creates its contract.
    /// @param salt The CREATE2 salt.
    /// @return The address.
    function predict(bytes32 salt) external view returns (address) {
        bytes32 digest = keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, keccak256(INIT)));
        return address(uint160(uint256(digest)));
    }

    /// @notice Creates a contract with `template`'s runtime code at the address `salt` gives.
    /// @param salt The CREATE2 salt.
    /// @param template The code to copy.
    /// @return implementation The new contract.
    function deploy(bytes32 salt, address template) public returns (address implementation) {
        _template = template;
        bytes memory init = INIT;
        // solhint-disable-next-line no-inline-assembly
        assembly {
            implementation := create2(0, add(init, 32), mload(init), salt)
        }
        if (implementation == address(0)) revert CreationFailed();
    }
}
