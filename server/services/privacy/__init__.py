"""Privacy by design (SPEC 11.3): the audit chain's erasable commitments, presence detail and
pause, retention purges, a person's own data and its export, and erasure."""
