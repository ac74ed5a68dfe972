"""Second factors: TOTP codes with recovery codes."""
