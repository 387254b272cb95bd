// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Payment references that pay once
/// @notice A payment reference is its payment's id, as ISO 20022's end-to-end id is: each sender (the
/// account that calls `transferWithReference` or `transferFromWithReference`) uses a reference once, and
/// the token refuses a second payment with it. A retried, copied or concurrently sent payment can never
/// pay twice, whatever the sender's own records say; pay an invoice in parts with a reference per part.
interface IPaymentReferences {
    /// @notice `sender` already made a payment citing `paymentReference`.
    error PaymentReferenceUsed(address sender, bytes32 paymentReference);

    /// @notice Whether `sender` has made a payment citing `paymentReference` (in the block asked about).
    /// @param sender The account that called `transferWithReference` or `transferFromWithReference`.
    /// @param paymentReference The reference asked about.
    /// @return True once a payment with it was made; it stays true.
    function referenceUsed(address sender, bytes32 paymentReference) external view returns (bool);
}
