// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IDigitalTenge} from "./interfaces/IDigitalTenge.sol";
import {IEarmarks} from "./interfaces/IEarmarks.sol";

/// @title Earmarked (purpose-bound) Digital Tenge, beside the token
/// @notice Keeps DKZT 1:1 for every earmarked tiyn (see `IEarmarks`): the token's balance of this
/// contract is always the sum of its open purposes' `outstanding`.
/// @dev Not upgradeable and serving one token, like the controllers it sits beside; purposes end by
/// themselves. Every rule on who may take part is the token's, asked through its `checkTransfer` with a
/// zero amount (pause, the blocklist of both parties, the payer's freeze), so a token control reaches
/// earmarked money with the token's own error; what moves out as plain DKZT runs the token's whole
/// pipeline (the recipient's wallet policy and waterfall included). ERC-7291's model kept: a whitelist
/// per purpose, unwrapping on payment to a final recipient, unspent money back to its creator at the
/// expiry. Changed: balances per purpose in one contract (no ERC-1155 id per purpose, no per-holder
/// approvals), intermediate recipients that carry the mark on, and the return in one transaction.
/// Multicall lets a funder send a whole disbursement file in a few transactions.
/// @custom:security-contact security@tenge.example
contract TengeEarmarks is IEarmarks, Multicall {
    using SafeERC20 for IERC20;

    /// @notice The token's role that opens purposes and funds them.
    bytes32 public constant BUDGET_HOLDER_ROLE = keccak256("BUDGET_HOLDER_ROLE");

    IDigitalTenge private immutable _TOKEN;
    /// @dev Packed: funder + expiry + closed in one slot; name; reason; pool; outstanding.
    mapping(uint256 id => Purpose record) private _purposes;
    mapping(uint256 id => mapping(address recipient => RecipientKind kind)) private _recipients;
    mapping(uint256 id => mapping(address holder => uint256 tiyn)) private _balances;
    mapping(address funder => mapping(bytes32 disbursement => bool used)) private _disbursements;
    uint256 private _count;

    /// @notice Serves `token_`, whose BUDGET_HOLDER_ROLE opens purposes here.
    /// @param token_ The Digital Tenge whose DKZT this contract keeps.
    constructor(IDigitalTenge token_) {
        _TOKEN = token_;
    }

    /// @inheritdoc IEarmarks
    function createPurpose(bytes32 name, uint256 expiresAt, bytes32 reason) external returns (uint256 id) {
        _requireBudgetHolder();
        if (expiresAt <= block.timestamp || expiresAt > type(uint48).max) {
            revert PurposeExpiryInvalid(expiresAt, block.timestamp);
        }
        id = ++_count;
        Purpose storage record = _purposes[id];
        // Fits: checked against uint48's range above.
        (record.funder, record.expiresAt, record.name, record.reason) = (msg.sender, uint48(expiresAt), name, reason);
        emit PurposeCreated(id, msg.sender, name, expiresAt, reason);
    }

    /// @inheritdoc IEarmarks
    function approveRecipient(uint256 id, address recipient, RecipientKind kind, bytes32 reason) external {
        _open(id, _funded(id));
        // The funder takes its money back by `withdraw`, with a reason: never as its own recipient.
        if (
            kind == RecipientKind.None || recipient == address(0) || recipient == address(this)
                || recipient == msg.sender
        ) {
            revert RecipientInvalid(id, recipient);
        }
        _recipients[id][recipient] = kind;
        emit RecipientApproved(id, recipient, kind, msg.sender, reason);
    }

    /// @inheritdoc IEarmarks
    function removeRecipient(uint256 id, address recipient, bytes32 reason) external {
        _funded(id);
        if (_recipients[id][recipient] == RecipientKind.None) revert RecipientNotApproved(id, recipient);
        delete _recipients[id][recipient];
        emit RecipientRemoved(id, recipient, msg.sender, reason);
    }

    /// @inheritdoc IEarmarks
    function deposit(uint256 id, uint256 amount) external {
        Purpose storage record = _open(id, _funded(id));
        if (amount == 0) revert EarmarkAmountZero();
        record.pool += amount;
        record.outstanding += amount;
        emit Deposited(id, msg.sender, amount);
        IERC20(address(_TOKEN)).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IEarmarks
    function withdraw(uint256 id, uint256 amount, bytes32 reason) external {
        Purpose storage record = _open(id, _funded(id));
        if (amount == 0) revert EarmarkAmountZero();
        uint256 pool = record.pool;
        if (amount > pool) revert EarmarkInsufficient(id, msg.sender, pool, amount);
        // Cannot underflow: amount <= pool <= outstanding.
        unchecked {
            record.pool = pool - amount;
            record.outstanding -= amount;
        }
        emit Withdrawn(id, msg.sender, amount, reason);
        IERC20(address(_TOKEN)).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IEarmarks
    function earmark(uint256 id, address to, uint256 amount, bytes32 disbursement) external {
        Purpose storage record = _open(id, _funded(id));
        if (amount == 0) revert EarmarkAmountZero();
        if (disbursement != bytes32(0)) {
            if (_disbursements[msg.sender][disbursement]) revert DisbursementUsed(msg.sender, disbursement);
            _disbursements[msg.sender][disbursement] = true;
        }
        uint256 pool = record.pool;
        if (amount > pool) revert EarmarkInsufficient(id, msg.sender, pool, amount);
        // Cannot underflow: amount <= pool.
        unchecked {
            record.pool = pool - amount;
        }
        _deliver(id, record, msg.sender, to, amount, disbursement);
    }

    /// @inheritdoc IEarmarks
    function pay(uint256 id, address to, uint256 amount) external {
        Purpose storage record = _open(id, _known(id));
        if (amount == 0) revert EarmarkAmountZero();
        uint256 balance = _balances[id][msg.sender];
        if (amount > balance) revert EarmarkInsufficient(id, msg.sender, balance, amount);
        // Cannot underflow: amount <= balance.
        unchecked {
            _balances[id][msg.sender] = balance - amount;
        }
        _deliver(id, record, msg.sender, to, amount, bytes32(0));
    }

    /// @inheritdoc IEarmarks
    function close(uint256 id) external returns (uint256 amount) {
        Purpose storage record = _known(id);
        if (record.closed) revert PurposeClosedAlready(id);
        if (block.timestamp < record.expiresAt) revert PurposeNotExpired(id, record.expiresAt);
        amount = record.outstanding;
        (record.closed, record.pool, record.outstanding) = (true, 0, 0);
        address funder = record.funder;
        emit PurposeClosed(id, funder, amount, msg.sender);
        if (amount != 0) IERC20(address(_TOKEN)).safeTransfer(funder, amount);
    }

    /// @inheritdoc IEarmarks
    function token() external view returns (address) {
        return address(_TOKEN);
    }

    /// @inheritdoc IEarmarks
    function purposeCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc IEarmarks
    function purpose(uint256 id) external view returns (Purpose memory) {
        return _purposes[id];
    }

    /// @inheritdoc IEarmarks
    function recipientKind(uint256 id, address recipient) external view returns (RecipientKind) {
        return _recipients[id][recipient];
    }

    /// @inheritdoc IEarmarks
    function balanceOf(uint256 id, address holder) external view returns (uint256) {
        return block.timestamp < _purposes[id].expiresAt ? _balances[id][holder] : 0;
    }

    /// @inheritdoc IEarmarks
    function returnable(uint256 id) external view returns (uint256) {
        Purpose storage record = _purposes[id];
        return block.timestamp < record.expiresAt ? record.pool : record.outstanding;
    }

    /// @inheritdoc IEarmarks
    function disbursementUsed(address funder, bytes32 disbursement) external view returns (bool) {
        return _disbursements[funder][disbursement];
    }

    /// @dev The one place earmarked money reaches anyone: only an approved recipient, only with the
    /// token's consent to the two parties; to a final recipient as plain DKZT through the token's pipeline.
    function _deliver(uint256 id, Purpose storage record, address from, address to, uint256 amount, bytes32 disbursement)
        private
    {
        RecipientKind kind = _recipients[id][to];
        if (kind == RecipientKind.None) revert RecipientNotApproved(id, to);
        // Pause, the blocklist of both parties and of this contract (the operator), the payer's freeze:
        // the token's rules and errors. It reverts on a refusal; what it returns (the split of a
        // waterfall) concerns a real move only.
        // slither-disable-next-line unused-return
        _TOKEN.checkTransfer(address(this), from, to, 0);
        bool released = kind == RecipientKind.Final;
        if (released) {
            // The release itself, as the token will run it: part of it may fall through to the
            // recipient's linked account (the waterfall), which must be an approved recipient too. The
            // recipient's own share is the rest, which the transfer below pays.
            // slither-disable-next-line unused-return
            (, address linked) = _TOKEN.checkTransfer(address(this), address(this), to, amount);
            if (linked != address(0) && _recipients[id][linked] == RecipientKind.None) {
                revert RecipientNotApproved(id, linked);
            }
            // Cannot underflow: the amount was part of the pool or of a holder's balance, both in it.
            unchecked {
                record.outstanding -= amount;
            }
        } else {
            _balances[id][to] += amount;
        }
        emit EarmarkPaid(id, from, to, amount, released, disbursement);
        if (released) IERC20(address(_TOKEN)).safeTransfer(to, amount);
    }

    /// @dev A known purpose.
    function _known(uint256 id) private view returns (Purpose storage record) {
        record = _purposes[id];
        if (record.funder == address(0)) revert PurposeUnknown(id);
    }

    /// @dev A known purpose whose funder is the caller.
    /// @dev A known purpose whose funder is the caller, and still holds BUDGET_HOLDER_ROLE: a budget
    /// holder's key found compromised and revoked manages nothing more.
    function _funded(uint256 id) private view returns (Purpose storage record) {
        record = _known(id);
        if (record.funder != msg.sender) revert CallerNotFunder(id, msg.sender);
        _requireBudgetHolder();
    }

    /// @dev The caller holds the token's BUDGET_HOLDER_ROLE.
    function _requireBudgetHolder() private view {
        if (!IAccessControl(address(_TOKEN)).hasRole(BUDGET_HOLDER_ROLE, msg.sender)) {
            revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, BUDGET_HOLDER_ROLE);
        }
    }

    /// @dev `record` (purpose `id`) before its expiry.
    function _open(uint256 id, Purpose storage record) private view returns (Purpose storage) {
        if (block.timestamp >= record.expiresAt) revert PurposeExpired(id, record.expiresAt);
        return record;
    }
}
