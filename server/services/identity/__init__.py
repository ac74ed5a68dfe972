"""Sign-in the company already has (SPEC 11.2): OpenID Connect, LDAP, second factors, invitations,
CSV import and SCIM. Each module is one way in; `accounts` links what they learn to users, and
`groups` turns directory groups into the ADMIN role and team memberships."""
