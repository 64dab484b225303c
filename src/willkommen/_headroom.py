"""Room on the interpreter's stack for any document within the nesting bound.

Reading, checking and writing recurse once or a few times per level of
nesting (json's scanner, cattrs' generated code, the rules, the writer), so
whether a document of legal depth reads would depend on the caller: on the
recursion limit it set, and on how deep its own stack is when it calls.
Documents nest at most :data:`~willkommen._limits.MAX_DEPTH` deep (the
reader refuses deeper ones before it recurses), so the room needed is
bounded: :func:`headroom` raises the recursion limit to it for the call when
the caller's is lower, and puts the caller's back afterwards. It never
lowers a limit.
"""

import sys
import threading
from types import FrameType

from willkommen._limits import MAX_DEPTH

#: Python frames one level of nesting may take, at most, on any path (measured
#: by tests/test_robustness.py, with room to spare), and the frames beneath.
FRAMES_PER_LEVEL = 8
_BASE = 200

_lock = threading.Lock()
_users = 0
_callers_limit = 0


def _depth() -> int:
    """How many frames the calling thread has on its stack now."""
    frame: FrameType | None = sys._getframe()  # noqa: SLF001 - CPython's documented way to look at the stack
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


class headroom:  # noqa: N801 - used as a function: `with headroom():`
    """Make room for MAX_DEPTH levels of nesting above the current frame, for the duration.

    A plain class, not contextlib's generator: it runs around every call.
    Inside a call that made room already (on the same thread), it does nothing.
    """

    __slots__ = ("entered",)

    def __enter__(self) -> None:
        global _users, _callers_limit  # noqa: PLW0603 - one limit per interpreter, shared by threads
        self.entered = not getattr(_inside, "room", False)
        if not self.entered:
            return
        _inside.room = True
        needed = _depth() + _BASE + MAX_DEPTH * FRAMES_PER_LEVEL
        with _lock:
            if _users == 0:
                _callers_limit = sys.getrecursionlimit()
            _users += 1
            if sys.getrecursionlimit() < needed:
                sys.setrecursionlimit(needed)

    def __exit__(self, *exc_info: object) -> None:
        global _users  # noqa: PLW0603 - see __enter__
        if not self.entered:
            return
        _inside.room = False
        with _lock:
            _users -= 1
            if _users == 0:
                sys.setrecursionlimit(_callers_limit)


_inside = threading.local()
