// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRulesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {IDigitalTenge} from "./interfaces/IDigitalTenge.sol";
import {LedgerStorage} from "./utils/LedgerStorage.sol";
import {LedgerWords} from "./utils/LedgerWords.sol";
import {TieredPolicyStorage} from "./utils/TieredPolicyStorage.sol";

/// @title The Digital Tenge's set-up, run once by its proxy as the proxy is created
/// @notice `DigitalTengeProxy`'s constructor delegatecalls `initialize` here, so this code writes the
/// proxy's storage while no one else can call it, and never again: the token itself has no `initialize`,
/// which keeps its runtime 725 bytes smaller (EIP-170 allows 24,576; the project budgets 21,500). Safe's
/// proxies run their set-up the same way, from a contract of its own.
/// @dev Writes through the same OpenZeppelin base (roles, the admin's delay, `Initializable`) and the
/// same storage libraries as the token, so both read and write one layout. Stateless: one deployment may
/// set up any number of proxies.
contract DigitalTengeInitializer is AccessControlDefaultAdminRulesUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        // Runs only by delegatecall, in a proxy's storage: its own storage is never set up.
        _disableInitializers();
    }

    /// @notice Sets up the token behind the calling proxy: `admin` holds DEFAULT_ADMIN_ROLE, which it can
    /// hand over only in two steps with `adminTransferDelay` seconds between them. The wallet policy
    /// starts on, with the default tiers of `TieredPolicyStorage.setDefaults`; no supply cap.
    /// @param admin The default admin.
    /// @param adminTransferDelay Seconds between the two steps of a default-admin handover.
    function initialize(address admin, uint48 adminTransferDelay) external initializer {
        // Name, symbol and the EIP-712 domain are constants of the token's code, not storage.
        __AccessControlDefaultAdminRules_init(adminTransferDelay, admin);
        TieredPolicyStorage.setDefaults(admin);
        LedgerStorage.Layout storage ledger = LedgerStorage.layout();
        // A cap at the ledger's ceiling stands for "no cap" (as `DigitalTenge.supplyCap` reads it).
        ledger.config = ledger.config.withSupplyCap(LedgerWords.MAX_SUPPLY);
        emit IDigitalTenge.SupplyCapChanged(type(uint256).max, admin, bytes32(0));
    }
}
