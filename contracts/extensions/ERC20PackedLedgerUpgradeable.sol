// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";

/// @title The packed ledger every rule reads: one storage word per account, one for the token
/// @notice Balances, the total supply and the cap, the pause, and each account's restriction flags,
/// tier and day outflow, laid out so that a transfer reads one word per party and one for the token.
/// @dev Replaces OpenZeppelin's `_balances` and `_totalSupply` (left empty); `balanceOf` and
/// `totalSupply` read the packed words. The extensions (blocklist, freeze, wallet policy) keep their
/// rules and the state that is not hot; the token's `_update` calls them in one documented order.
/// USDC v2.2 does the same with its blocklist bit in the balance's top bit.
abstract contract ERC20PackedLedgerUpgradeable is ERC20Upgradeable {
    /// @dev The token's word: 8 + 8 + 96 + 96 = 208 bits.
    struct Config {
        bool paused;
        bool policyEnabled;
        uint96 totalSupply; // <= supplyCap
        uint96 supplyCap; // NO_CAP: no cap below the ledger's ceiling, type(uint96).max tiyn
    }

    /// @dev One word per account: 96 + 8 + 8 + 8 + 8 + 32 + 96 = 256 bits.
    // uint96 holds 7.9e26 KZT in tiyn, ten orders above any money supply; every balance is <= totalSupply.
    struct Account {
        uint96 balance;
        bool blocked;
        bool frozen;
        bool held; // a partial freeze (a hold) applies: the amounts live in the freeze extension
        uint8 tier;
        uint32 day; // the UTC day (timestamp / 1 days) that `spent` belongs to; fits for 11 million years
        uint96 spent; // outflow on `day` while the tier had a daily limit; <= that limit < 2**96
    }

    /// @custom:storage-location erc7201:tenge.storage.Ledger
    struct LedgerStorage {
        Config config;
        mapping(address account => Account) accounts;
    }

    // Stands for "no cap": the ledger's own ceiling, which no cap can exceed.
    uint96 internal constant NO_CAP = type(uint96).max;

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.Ledger")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LEDGER_STORAGE = 0x167143318e371c4113b17b8f0ccae6b042f69eedec9dd01d144a09e5dd0fcc00;

    /// @notice Tiyn held by `account`.
    /// @param account The account asked about.
    /// @return Its balance in tiyn.
    function balanceOf(address account) public view virtual override returns (uint256) {
        return _getLedgerStorage().accounts[account].balance;
    }

    /// @notice Tiyn in circulation.
    /// @return The total supply in tiyn.
    function totalSupply() public view virtual override returns (uint256) {
        return _getLedgerStorage().config.totalSupply;
    }

    /// @dev The account word of `account` (all zero for the zero address, which never holds anything).
    function _account(address account) internal view returns (Account memory) {
        return _getLedgerStorage().accounts[account];
    }

    function _storeAccount(address account, Account memory state) internal {
        _getLedgerStorage().accounts[account] = state;
    }

    function _config() internal view returns (Config memory) {
        return _getLedgerStorage().config;
    }

    function _storeConfig(Config memory config) internal {
        _getLedgerStorage().config = config;
    }

    function _getLedgerStorage() internal pure returns (LedgerStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := LEDGER_STORAGE
        }
    }
}
