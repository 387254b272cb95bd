// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DigitalTenge} from "../DigitalTenge.sol";
import {IMintController} from "../interfaces/IMintController.sol";
import {ISeizureController} from "../interfaces/ISeizureController.sol";

/// @title DigitalTenge V2 (test mock)
/// @notice A second implementation for upgrade tests; never deployed outside them.
/// @dev One new function, one new namespaced storage slot.
contract DigitalTengeV2Mock is DigitalTenge {
    /// @custom:storage-location erc7201:tenge.storage.V2Mock
    struct V2MockStorage {
        uint256 answer;
    }

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.V2Mock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_MOCK_STORAGE = 0xd48bdba4a95a1980bf63666bb6a262ca6b5100fd5344a37713bd77a0f6d70300;

    /// @notice V2 keeps V1's controllers.
    /// @custom:oz-upgrades-unsafe-allow constructor
    /// @param mintController_ The mint controller, as V1's.
    /// @param seizureController_ The seizure controller, as V1's.
    constructor(IMintController mintController_, ISeizureController seizureController_)
        DigitalTenge(mintController_, seizureController_)
    {}

    /// @notice Runs once during the upgrade to V2.
    /// @param answer The value stored in V2's own namespace.
    function initializeV2(uint256 answer) external reinitializer(2) {
        _getV2MockStorage().answer = answer;
    }

    /// @notice The value stored by `initializeV2`.
    /// @return The stored value.
    function answer() external view returns (uint256) {
        return _getV2MockStorage().answer;
    }

    /// @notice The implementation's version.
    /// @return "2".
    function version() external pure override returns (string memory) {
        return "2";
    }

    function _getV2MockStorage() private pure returns (V2MockStorage storage $) {
        assembly {
            $.slot := V2_MOCK_STORAGE
        }
    }
}
