// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC1822Proxiable} from "@openzeppelin/contracts/interfaces/draft-IERC1822.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ITengeUpgrades} from "./interfaces/ITengeUpgrades.sol";

/// @title The Digital Tenge's address: an ERC-1967 proxy that upgrades only after a public notice
/// @notice Holders, wallets and explorers use this address; it never changes across upgrades. An upgrade is
/// announced first (`announceUpgrade`, by UPGRADER_ROLE), may be cancelled by the default admin, and runs no
/// earlier than the default admin's transfer delay after the announcement (`ITengeUpgrades`).
/// @dev The upgrade lives here, not in the implementation (as OpenZeppelin's transparent proxy, gated by
/// the token's own roles instead of a ProxyAdmin): UUPS cost the token 2 KB of its 24 KB, and an
/// implementation can never lose the way to upgrade it, nor skip the notice. The functions below are
/// answered by the proxy; every other call goes to the implementation (the function selector decides,
/// before any delegatecall). As UUPS, a new implementation must answer `proxiableUUID` with the ERC-1967
/// implementation slot. The notice is a timelock of its own rather than OpenZeppelin's TimelockController
/// as the upgrader: a timelock holding UPGRADER_ROLE delays only the upgrades it sends, and the admin could
/// grant the role to a key without one; the notice binds every holder of the role.
contract DigitalTengeProxy is ERC1967Proxy, ITengeUpgrades {
    /// @dev An announced upgrade, in 4 slots; `readyAt` is a unix time (uint48, as OpenZeppelin's delays).
    struct UpgradeNotice {
        address implementation;
        uint48 readyAt;
        bytes32 dataHash;
        bytes32 reason;
        bytes32 codeHash;
    }

    /// @custom:storage-location erc7201:tenge.storage.UpgradeNotice
    struct UpgradeNoticeStorage {
        UpgradeNotice notice;
    }

    bytes32 private constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 private constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.UpgradeNotice")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant UPGRADE_NOTICE_STORAGE =
        0x615aa26f9f58622f6515cd345c4450ad9d6cab4eb932566b9ac185a9f40acb00;

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
    function announceUpgrade(address newImplementation, bytes32 dataHash, bytes32 reason) external {
        _checkRole(UPGRADER_ROLE);
        _checkImplementation(newImplementation);
        // The delay as it stands now; a later change of the delay does not move a notice already given. A
        // delay past uint48's end ("never") saturates: the notice then never matures, and nothing reverts.
        uint256 ready = block.timestamp + IAccessControlDefaultAdminRules(address(this)).defaultAdminDelay();
        // slither-disable-next-line timestamp a bound on a sum, not a decision on the time
        uint48 readyAt = ready > type(uint48).max ? type(uint48).max : uint48(ready);
        // The code, not only the address: what watchers review during the notice is what runs.
        bytes32 codeHash = newImplementation.codehash;
        _noticeStorage().notice = UpgradeNotice(newImplementation, readyAt, dataHash, reason, codeHash);
        emit UpgradeAnnounced(newImplementation, dataHash, codeHash, readyAt, msg.sender, reason);
    }

    /// @inheritdoc ITengeUpgrades
    function cancelUpgrade(bytes32 reason) external {
        _checkRole(DEFAULT_ADMIN_ROLE);
        UpgradeNoticeStorage storage $ = _noticeStorage();
        address announced = $.notice.implementation;
        if (announced == address(0)) revert NoUpgradeAnnounced();
        delete $.notice;
        emit UpgradeCancelled(announced, msg.sender, reason);
    }

    /// @inheritdoc ITengeUpgrades
    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable {
        _checkRole(UPGRADER_ROLE);
        UpgradeNoticeStorage storage $ = _noticeStorage();
        UpgradeNotice memory notice = $.notice;
        bytes32 dataHash = keccak256(data);
        // A zero implementation is never announced (`_checkImplementation`): nothing announced matches nothing.
        if (notice.implementation != newImplementation || notice.dataHash != dataHash) {
            revert UpgradeNotAnnounced(newImplementation, dataHash);
        }
        // slither-disable-next-line timestamp a notice of days; a validator's few seconds of drift do not matter
        if (block.timestamp < notice.readyAt) revert UpgradeNotReady(notice.readyAt);
        // A metamorphic contract (CREATE2 after a selfdestruct in its creating transaction) can change the
        // code at an address: the code must be the code announced.
        bytes32 codeHash = newImplementation.codehash;
        if (codeHash != notice.codeHash) revert UpgradeCodeChanged(newImplementation, notice.codeHash, codeHash);
        delete $.notice;
        emit UpgradeExecuted(newImplementation, msg.sender, notice.reason);
        ERC1967Utils.upgradeToAndCall(newImplementation, data);
    }

    /// @inheritdoc ITengeUpgrades
    function pendingUpgrade()
        external
        view
        returns (address implementation, bytes32 dataHash, bytes32 codeHash, uint48 readyAt, bytes32 reason)
    {
        UpgradeNotice storage notice = _noticeStorage().notice;
        return (notice.implementation, notice.dataHash, notice.codeHash, notice.readyAt, notice.reason);
    }

    /// @dev The role is the token's: ask it, through this proxy, as any caller would.
    function _checkRole(bytes32 role) private view {
        if (!IAccessControl(address(this)).hasRole(role, msg.sender)) {
            revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, role);
        }
    }

    /// @dev A UUPS implementation for ERC-1967's slot: a contract, with code of its own.
    function _checkImplementation(address newImplementation) private view {
        // An EIP-7702 delegated account (code 0xef0100 || target, 23 bytes) answers with its target's code,
        // which its key re-points at will, with no notice: never an implementation.
        if (newImplementation.code.length == 23 && bytes3(newImplementation.code) == 0xef0100) {
            revert ERC1967Utils.ERC1967InvalidImplementation(newImplementation);
        }
        // A low-level call, not try/catch: an account with no code, or code that answers anything but one
        // word, would make the answer's decoding revert outside any catch, with no error at all.
        // slither-disable-next-line low-level-calls the answer's length is checked before it is decoded
        (bool answered, bytes memory answer) =
            newImplementation.staticcall(abi.encodeCall(IERC1822Proxiable.proxiableUUID, ()));
        if (!answered || answer.length != 32) revert ERC1967Utils.ERC1967InvalidImplementation(newImplementation);
        bytes32 slot = abi.decode(answer, (bytes32));
        if (slot != ERC1967Utils.IMPLEMENTATION_SLOT) revert UnsupportedProxiableUUID(slot);
    }

    function _noticeStorage() private pure returns (UpgradeNoticeStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := UPGRADE_NOTICE_STORAGE
        }
    }
}
