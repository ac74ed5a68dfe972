"""The small common core every service uses: domain errors, input validation, paging, retry backoff."""
