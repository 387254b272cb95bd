// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";

/// @title EIP-3009 transfers with authorization for an ERC-20 (as in USDC)
/// @notice Holders sign a transfer off chain; anyone relays it and pays the gas.
/// @dev Follows OpenZeppelin 5.7's `ERC3009Upgradeable`. That release needs a Cancun VM (its `Strings`
/// and `Bytes` use MCOPY) and Ganache 7.9 stops at Shanghai, so the project pins OpenZeppelin 5.4,
/// which has no EIP-3009 yet: this file fills that gap and can give way to OpenZeppelin's when the
/// project moves to Cancun. The transfer itself goes through `_transfer`, so every `_update` rule applies.
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
    ) public virtual {
        _checkSigner(
            from,
            keccak256(abi.encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce)),
            v,
            r,
            s
        );
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
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
    ) public virtual {
        if (to != _msgSender()) revert ERC20InvalidReceiver(to);
        _checkSigner(
            from,
            keccak256(abi.encode(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce)),
            v,
            r,
            s
        );
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) public virtual {
        _checkSigner(authorizer, keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)), v, r, s);
        _useNonce(authorizer, nonce);
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @inheritdoc IERC3009
    function authorizationState(address authorizer, bytes32 nonce) public view returns (bool) {
        return _getTransferAuthorizationStorage().usedNonces[authorizer][nonce];
    }

    function _transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) private {
        // slither-disable-next-line timestamp EIP-3009's validity window is defined in block time
        if (block.timestamp <= validAfter || block.timestamp >= validBefore) {
            revert ERC3009InvalidAuthorizationTime(validAfter, validBefore);
        }
        _useNonce(from, nonce);
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    function _useNonce(address authorizer, bytes32 nonce) private {
        mapping(bytes32 nonce => bool) storage used = _getTransferAuthorizationStorage().usedNonces[authorizer];
        if (used[nonce]) revert ERC3009UsedAuthorization(authorizer, nonce);
        used[nonce] = true;
    }

    function _checkSigner(address expected, bytes32 structHash, uint8 v, bytes32 r, bytes32 s) private view {
        // slither-disable-next-line unused-return the third value only details `error`, which is checked
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(_hashTypedDataV4(structHash), v, r, s);
        if (error != ECDSA.RecoverError.NoError || signer != expected) revert ERC3009InvalidSignature();
    }

    function _getTransferAuthorizationStorage() private pure returns (TransferAuthorizationStorage storage $) {
        // slither-disable-next-line assembly ERC-7201 accessor: only assembly can point a storage struct at its slot
        assembly {
            $.slot := TRANSFER_AUTHORIZATION_STORAGE
        }
    }
}
