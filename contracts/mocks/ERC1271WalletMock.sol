// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title A smart-contract wallet with one owner key (test mock)
/// @notice Answers ERC-1271 with the magic value for a hash the owner signed (its 65-byte ECDSA
/// signature of the hash) or approved beforehand with `approveHash`, whatever the signature bytes then
/// are: a multisig's signatures (0 bytes for a pre-approved hash, 65 bytes per owner) are not 65 bytes.
/// @dev The owner acts as the wallet through `execute`, e.g. to submit a `receiveWithAuthorization`.
contract ERC1271WalletMock is IERC1271 {
    /// @notice The EOA whose signatures and approvals the wallet honours.
    address public immutable OWNER;

    mapping(bytes32 hash => bool approved) private _approvedHashes;

    /// @notice The owner approved `hash`: any signature of it is now valid.
    /// @param hash The approved hash (an EIP-712 digest).
    event HashApproved(bytes32 indexed hash);

    /// @notice Only the owner may approve hashes and act as the wallet; `caller` is not it.
    /// @param caller The refused caller.
    error NotOwner(address caller);

    modifier onlyOwner() {
        if (msg.sender != OWNER) revert NotOwner(msg.sender);
        _;
    }

    /// @notice A wallet owned by `owner`.
    /// @param owner The wallet's owner key.
    constructor(address owner) {
        OWNER = owner;
    }

    /// @notice Approves `hash`, as a multisig records a transaction its owners confirmed on chain.
    /// @param hash The hash to approve.
    function approveHash(bytes32 hash) external onlyOwner {
        _approvedHashes[hash] = true;
        emit HashApproved(hash);
    }

    /// @notice Calls `target` with `data` as the wallet; a revert is passed on as it came.
    /// @param target The contract to call.
    /// @param data The calldata.
    /// @return result What the call returned.
    function execute(address target, bytes calldata data) external onlyOwner returns (bytes memory result) {
        return Address.functionCall(target, data);
    }

    /// @notice ERC-1271: the magic value if `hash` is approved, or `signature` is the owner's ECDSA
    /// signature of it; 0xffffffff otherwise.
    /// @param hash The signed hash.
    /// @param signature The signature bytes.
    /// @return magicValue `IERC1271.isValidSignature.selector` when valid.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        if (_approvedHashes[hash]) return IERC1271.isValidSignature.selector;
        // slither-disable-next-line unused-return the third value only details `err`, which is checked
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == OWNER) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }

    /// @notice Whether the owner approved `hash`.
    /// @param hash The hash.
    /// @return True once approved.
    function isApprovedHash(bytes32 hash) external view returns (bool) {
        return _approvedHashes[hash];
    }
}
