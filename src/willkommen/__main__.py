"""``python -m willkommen``: the same as the ``willkommen`` command."""

import sys

from willkommen._cli import main

sys.exit(main())
