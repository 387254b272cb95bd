// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {LedgerStorage} from "../utils/LedgerStorage.sol";
import {AccountWord, ConfigWord} from "../utils/LedgerWords.sol";

/// @title The packed ledger every rule reads: one storage word per account, one for the token
/// @notice Balances, the total supply and its cap, the pause and the policy switch, and each account's
/// restriction flags, tier and day outflow, laid out so that a transfer reads one word per party and one
/// for the token (USDC v2.2 keeps its blocklist bit in the balance's top bit the same way).
/// @dev Replaces OpenZeppelin's `_balances` and `_totalSupply` (left empty): `balanceOf` and
/// `totalSupply` read the packed words. The extensions keep their rules and the state that is not hot;
/// the token's `_update` calls the rules in one documented order.
abstract contract ERC20PackedLedgerUpgradeable is ERC20Upgradeable {

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
        LedgerStorage.layout().accounts[account] = word;
    }

    function _storeConfig(ConfigWord word) internal {
        LedgerStorage.layout().config = word;
    }

    /// @dev The ledger word of `account` (zero for the zero address, which never holds anything).
    function _account(address account) internal view returns (AccountWord) {
        return LedgerStorage.layout().accounts[account];
    }

    function _config() internal view returns (ConfigWord) {
        return LedgerStorage.layout().config;
    }
}
