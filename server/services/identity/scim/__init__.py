"""SCIM 2.0 (RFC 7643/7644) at /scim/v2/: the discovery documents, Users kept in step with the
tracker's users, Groups that are the teams (groups reads, group_writes changes them through the
team service), and the owners' bearer token. scim2-models parses, patches and serializes."""
