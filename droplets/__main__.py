"""``python -m droplets``: the ``droplets`` command."""

import sys

from droplets.cli import main

if __name__ == "__main__":
    sys.exit(main())
