"""The bounds of the checker, in one place: the same in every process, whatever it did before.

docs/robustness.md lists them with what happens beyond each; the command
line's ``--max-size`` changes the file size, nothing changes the others.
"""

#: The deepest nesting of lists and objects a document may have, in JSON text
#: and in Python data alike. Models nest 6 deep; a user's tree of its own may go
#: far deeper. Beyond it: ``invalid_json`` for text, ``type`` for Python data.
MAX_DEPTH = 512

#: The most digits an integer may have: Python's default int/str limit, fixed
#: here so that it does not move with ``sys.set_int_max_str_digits``.
MAX_INT_DIGITS = 4_300

#: The most failing list items of one document that are reported one by one:
#: then the rest of that list is not read, and ``too_many_problems`` at the
#: list says so. Each failure costs memory and time; a list of a million wrong
#: items would otherwise take gigabytes and minutes.
MAX_LIST_PROBLEMS = 1_000

#: The longest message of a problem, in characters; longer ones are cut.
MAX_MESSAGE = 1_000

#: The longest quoted value in a message, in characters; the middle is left out.
MAX_QUOTE = 100

#: The longest text of another kind in a message (a reason, the list of allowed words).
MAX_VALUE = 700

#: The largest file (or JSON Lines line, or standard input) the command line
#: reads, in bytes, unless ``--max-size`` says otherwise: 64 MiB.
MAX_FILE_SIZE = 64 * 1024 * 1024
