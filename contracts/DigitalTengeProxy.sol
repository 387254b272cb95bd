// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title The Digital Tenge's address: an ERC-1967 proxy in front of the `DigitalTenge` implementation
/// @notice Holders, wallets and explorers use this address; it never changes across upgrades.
/// @dev Named so that explorers and deployment records say what it is; upgrades go through the
/// implementation's UUPS `upgradeToAndCall`, gated by UPGRADER_ROLE.
contract DigitalTengeProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory initData) ERC1967Proxy(implementation, initData) {}
}
