// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title OpenZeppelin's ERC20Permit as it ships (test mock)
/// @notice The reference the token's permit is compared with; its EIP-712 domain has the token's name
/// and version, so only the verifying contract differs.
/// @dev Anyone may mint.
contract ERC20PermitMock is ERC20, ERC20Permit {
    constructor() ERC20("Digital Tenge", "DKZT") ERC20Permit("Digital Tenge") {}

    /// @notice Mints `amount` to `to`, for anyone.
    /// @param to The receiver.
    /// @param amount Units to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
