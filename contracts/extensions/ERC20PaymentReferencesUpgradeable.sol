// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPaymentReferences} from "../interfaces/IPaymentReferences.sol";

/// @title Payment references that pay once
/// @notice Keeps, per sender, the references it has paid with; the token refuses a second payment citing
/// one (`IPaymentReferences`).
/// @dev Keyed by the sender, not the payer: only an account itself uses up its references, so a spender
/// with an allowance cannot spend its owner's (and a stranger none). No public functions but the view.
abstract contract ERC20PaymentReferencesUpgradeable is IPaymentReferences {
    /// @custom:storage-location erc7201:tenge.storage.PaymentReferences
    struct PaymentReferencesStorage {
        mapping(address sender => mapping(bytes32 paymentReference => bool)) used;
    }

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.PaymentReferences")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant PAYMENT_REFERENCES_STORAGE =
        0x3ed4736253de294c6036616ef30cec10a5d176ff8054173dffa976f1252da000;

    /// @inheritdoc IPaymentReferences
    function referenceUsed(address sender, bytes32 paymentReference) public view returns (bool) {
        return _getPaymentReferencesStorage().used[sender][paymentReference];
    }

    /// @dev The rule: `sender` may cite `paymentReference` once; the payment that cites it marks it used.
    function _useReference(address sender, bytes32 paymentReference) internal {
        mapping(bytes32 => bool) storage used = _getPaymentReferencesStorage().used[sender];
        if (used[paymentReference]) revert PaymentReferenceUsed(sender, paymentReference);
        used[paymentReference] = true;
    }

    function _getPaymentReferencesStorage() private pure returns (PaymentReferencesStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := PAYMENT_REFERENCES_STORAGE
        }
    }
}
