"""The bundle's entry point: the same main() that `tracker-desktop` and `python -m desktop_client` run."""
import sys

from desktop_client.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
