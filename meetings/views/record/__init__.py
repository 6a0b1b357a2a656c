"""Holding and recording a meeting, one module per page: the meeting's task list (detail), held and the
record's sections one at a time (sections), the whole record on one page (whole), the agreed actions
and their tasks (actions), and finalising (finalise).

Anyone who may see the child may read the meeting; only its chair or a manager of the child's team
(`selectors.can_edit_record`) may write the record, and everyone else gets the same 404 as an outsider.
"""
