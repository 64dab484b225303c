"""Scoped registrations: every registry as it was, back after a ``with`` block.

Tags, rules and programs live in three registries of the process. A test
that declares a class, a rule or a program of its own should leave them as it
found them, or the next test sees its leftovers; :func:`registry_scope`
does that for all three at once.
"""

import contextlib
import threading
from collections.abc import Iterator

from willkommen import _engine, _programs, _tags

_LOCK = threading.RLock()


@contextlib.contextmanager
def registry_scope() -> Iterator[None]:
    """Undo, on leaving the block, every tag, rule and program registered inside it.

    ::

        with willkommen.registry_scope():
            willkommen.programs.register_program(my_test_program)
            ...  # checks see my_test_program
        # ... and here it is gone again

    Scopes nest. A registration another thread makes while the block runs is
    undone too: scope registrations in tests, not in a running application.
    """
    with _LOCK:
        tags = _tags.current()
        catalogue = _engine.current().rules
        programs = _programs.registered()
    try:
        yield
    finally:
        with _LOCK:
            # Published anew, not put back: caches keyed by the old state must not come back to life.
            _tags.publish(tags)
            _engine.publish(catalogue)
            _programs.restore(programs)
