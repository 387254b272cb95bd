// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {AccountWord, ConfigWord} from "../utils/LedgerWords.sol";

/// @title The packed ledger every rule reads: one storage word per account, one for the token
/// @notice Balances, the total supply and its cap, the pause and the policy switch, and each account's
/// restriction flags, tier and day outflow, laid out so that a transfer reads one word per party and one
/// for the token (USDC v2.2 keeps its blocklist bit in the balance's top bit the same way).
/// @dev Replaces OpenZeppelin's `_balances` and `_totalSupply` (left empty): `balanceOf` and
/// `totalSupply` read the packed words. The extensions keep their rules and the state that is not hot;
/// the token's `_update` calls the rules in one documented order.
abstract contract ERC20PackedLedgerUpgradeable is ERC20Upgradeable {
    /// @custom:storage-location erc7201:tenge.storage.Ledger
    struct LedgerStorage {
        ConfigWord config;
        mapping(address account => AccountWord) accounts;
    }

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.Ledger")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LEDGER_STORAGE = 0x167143318e371c4113b17b8f0ccae6b042f69eedec9dd01d144a09e5dd0fcc00;

    /// @notice Tiyn held by `account`.
    /// @param account The account asked about.
    /// @return Its balance in tiyn.
    function balanceOf(address account) public view virtual override returns (uint256) {
        return _account(account).balance();
    }

    /// @notice Tiyn in circulation.
    /// @return The total supply in tiyn.
    function totalSupply() public view virtual override returns (uint256) {
        return _config().totalSupply();
    }

    function _storeAccount(address account, AccountWord word) internal {
        _getLedgerStorage().accounts[account] = word;
    }

    function _storeConfig(ConfigWord word) internal {
        _getLedgerStorage().config = word;
    }

    /// @dev The ledger word of `account` (zero for the zero address, which never holds anything).
    function _account(address account) internal view returns (AccountWord) {
        return _getLedgerStorage().accounts[account];
    }

    function _config() internal view returns (ConfigWord) {
        return _getLedgerStorage().config;
    }

    function _getLedgerStorage() private pure returns (LedgerStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := LEDGER_STORAGE
        }
    }
}
