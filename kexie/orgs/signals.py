"""Signals of the organization network, for apps that copy organization paths."""

from django.dispatch import Signal

# Sent inside organization_move's transaction, after the branch's paths changed:
# old_path (the branch's path before) and new_path (after).
organization_moved = Signal()
