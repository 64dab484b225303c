"""Helpers shared by the tests: small edits of documents at a JSON Pointer (the public ones users get too)."""

from willkommen.testing import Edit, all_of, set_at

#: An edit of a document, in place (the tests' older name for it).
Mutation = Edit

__all__ = ["Mutation", "all_of", "set_at"]
