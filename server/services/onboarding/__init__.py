"""A new company's first steps: what the monitor suggests until the install is in use."""
