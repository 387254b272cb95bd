// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {SignatureCheck} from "../utils/SignatureCheck.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";

/// @title EIP-3009 transfers with authorization for an ERC-20 (as in USDC v2.2)
/// @notice Holders sign a transfer off chain; anyone relays it and pays the gas. Smart-contract
/// wallets sign too (ERC-1271), in the `bytes signature` forms for signatures that are not 65 bytes.
/// @dev Follows OpenZeppelin 5.7's `ERC3009Upgradeable` and USDC v2.2's `EIP3009`. That OpenZeppelin
/// release needs a Cancun VM (MCOPY) and Ganache 7.9 stops at Shanghai, so the project pins 5.4, which
/// has no EIP-3009 yet: this file fills the gap. The transfer itself goes through `_transfer`, so every
/// rule of the token's pipeline applies, the relayer's blocklist check among them (it is the operator).
abstract contract ERC20TransferAuthorizationUpgradeable is ERC20Upgradeable, EIP712Upgradeable, IERC3009 {
    /// @custom:storage-location erc7201:tenge.storage.TransferAuthorization
    struct TransferAuthorizationStorage {
        mapping(address authorizer => mapping(bytes32 nonce => bool)) usedNonces;
    }

    /// @notice EIP-712 type hash of a TransferWithAuthorization message.
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice EIP-712 type hash of a ReceiveWithAuthorization message.
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice EIP-712 type hash of a CancelAuthorization message.
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    // keccak256(abi.encode(uint256(keccak256("tenge.storage.TransferAuthorization")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant TRANSFER_AUTHORIZATION_STORAGE = 0x176f35131df4c257a9871e7775d37f6be03376b3d147e1870d66acbad3265500;

    /// @inheritdoc IERC3009
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        transferWithAuthorization(from, to, value, validAfter, validBefore, nonce, abi.encodePacked(r, s, v));
    }

    /// @inheritdoc IERC3009
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        receiveWithAuthorization(from, to, value, validAfter, validBefore, nonce, abi.encodePacked(r, s, v));
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        cancelAuthorization(authorizer, nonce, abi.encodePacked(r, s, v));
    }

    /// @inheritdoc IERC3009
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) public {
        _requireValidAuthorization(from, nonce, validAfter, validBefore);
        _requireSignature(
            from,
            keccak256(abi.encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce)),
            signature
        );
        _transferWithAuthorization(from, to, value, nonce);
    }

    /// @inheritdoc IERC3009
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) public {
        if (to != _msgSender()) revert ERC3009CallerMustBePayee(_msgSender(), to);
        _requireValidAuthorization(from, nonce, validAfter, validBefore);
        _requireSignature(
            from,
            keccak256(abi.encode(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce)),
            signature
        );
        _transferWithAuthorization(from, to, value, nonce);
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) public {
        _requireUnusedAuthorization(authorizer, nonce);
        _requireSignature(authorizer, keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)), signature);
        _getTransferAuthorizationStorage().usedNonces[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @inheritdoc IERC3009
    function authorizationState(address authorizer, bytes32 nonce) public view returns (bool) {
        return _getTransferAuthorizationStorage().usedNonces[authorizer][nonce];
    }

    function _transferWithAuthorization(address from, address to, uint256 value, bytes32 nonce) private {
        _getTransferAuthorizationStorage().usedNonces[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    /// @dev As USDC v2.2, the window and the nonce are checked before the signature.
    function _requireValidAuthorization(address authorizer, bytes32 nonce, uint256 validAfter, uint256 validBefore)
        private
        view
    {
        // slither-disable-next-line timestamp EIP-3009's validity window is defined in block time
        if (block.timestamp <= validAfter || block.timestamp >= validBefore) {
            revert ERC3009InvalidAuthorizationTime(validAfter, validBefore);
        }
        _requireUnusedAuthorization(authorizer, nonce);
    }

    function _requireUnusedAuthorization(address authorizer, bytes32 nonce) private view {
        if (_getTransferAuthorizationStorage().usedNonces[authorizer][nonce]) {
            revert ERC3009UsedAuthorization(authorizer, nonce);
        }
    }

    /// @dev An ECDSA signature by `signer`, or an ERC-1271 approval by `signer` if it is a contract.
    function _requireSignature(address signer, bytes32 structHash, bytes memory signature) private view {
        if (!SignatureCheck.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert ERC3009InvalidSignature();
        }
    }

    function _getTransferAuthorizationStorage() private pure returns (TransferAuthorizationStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := TRANSFER_AUTHORIZATION_STORAGE
        }
    }
}
