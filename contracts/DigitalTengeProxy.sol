// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC1822Proxiable} from "@openzeppelin/contracts/interfaces/draft-IERC1822.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ITengeUpgrades} from "./interfaces/ITengeUpgrades.sol";

/// @title The Digital Tenge's address: an ERC-1967 proxy that upgrades for UPGRADER_ROLE holders
/// @notice Holders, wallets and explorers use this address; it never changes across upgrades.
/// @dev The upgrade lives here, not in the implementation (as OpenZeppelin's transparent proxy, gated by
/// the token's own UPGRADER_ROLE instead of a ProxyAdmin): UUPS cost the token 2 KB of its 24 KB, and an
/// implementation can never lose the way to upgrade it. `upgradeToAndCall` is answered by the proxy; every
/// other call goes to the implementation (the function selector decides, before any delegatecall). As
/// UUPS, the new implementation must answer `proxiableUUID` with the ERC-1967 implementation slot.
contract DigitalTengeProxy is ERC1967Proxy, ITengeUpgrades {
    bytes32 private constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    /// @notice Points at `implementation` and runs the set-up: `initData` (a call of
    /// `DigitalTengeInitializer.initialize`) runs by delegatecall in this proxy's storage, once, now.
    /// @param implementation The token's implementation.
    /// @param initializer The set-up's code (`DigitalTengeInitializer`): it never becomes the implementation.
    /// @param initData The set-up call.
    constructor(address implementation, address initializer, bytes memory initData)
        ERC1967Proxy(implementation, "")
    {
        // slither-disable-next-line unused-return the set-up returns nothing
        Address.functionDelegateCall(initializer, initData);
    }

    /// @notice Plain BNB sent to the token is refused, as the implementation has no payable function.
    receive() external payable {
        _fallback();
    }

    /// @inheritdoc ITengeUpgrades
    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable {
        // The role is the token's: ask it, through this proxy, as any caller would.
        if (!IAccessControl(address(this)).hasRole(UPGRADER_ROLE, msg.sender)) {
            revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, UPGRADER_ROLE);
        }
        // An account with no code would answer nothing, and the call's decoding would revert uncaught.
        if (newImplementation.code.length == 0) revert ERC1967Utils.ERC1967InvalidImplementation(newImplementation);
        try IERC1822Proxiable(newImplementation).proxiableUUID() returns (bytes32 slot) {
            if (slot != ERC1967Utils.IMPLEMENTATION_SLOT) revert UnsupportedProxiableUUID(slot);
        } catch {
            revert ERC1967Utils.ERC1967InvalidImplementation(newImplementation);
        }
        ERC1967Utils.upgradeToAndCall(newImplementation, data);
    }
}
