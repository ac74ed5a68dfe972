"""The identity providers a user signs in through: OpenID Connect (with its flows) and LDAP."""
