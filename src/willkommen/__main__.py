"""``python -m willkommen``: the same as the ``willkommen`` command."""

import sys

from willkommen._cli import main

if __name__ == "__main__":
    sys.exit(main())
