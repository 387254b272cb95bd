// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccountWord, ConfigWord} from "./LedgerWords.sol";

/// @title Where the packed ledger lives
/// @notice The ERC-7201 namespace of the token's packed words (`LedgerWords`): the token's word and one
/// word per account.
/// @dev A library, so that `ERC20PackedLedgerUpgradeable` and `DigitalTengeInitializer` reach the same
/// words, the one without being a token.
library LedgerStorage {
    /// @custom:storage-location erc7201:tenge.storage.Ledger
    struct Layout {
        ConfigWord config;
        mapping(address account => AccountWord) accounts;
    }

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.Ledger")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SLOT = 0x167143318e371c4113b17b8f0ccae6b042f69eedec9dd01d144a09e5dd0fcc00;

    function layout() internal pure returns (Layout storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := SLOT
        }
    }
}
