"""SCIM 2.0 at /scim/v2/ (RFC 7644): `base` (the bearer token, SCIM's errors, lists and paging),
`discovery` (ServiceProviderConfig, ResourceTypes, Schemas), `users` and `groups` (= teams)."""
