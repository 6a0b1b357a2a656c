"""The seeding behind `manage.py seed_demo`, one module per part of the service it builds.

In the order seed_demo calls them: `clear` (the previous demo), `people` (teams, staff, leave),
`children` (children and their programmes over the years of history), `cases` (their case work:
allocations, assessments, plans, contacts and events, built as unsaved rows by `records`), `journeys`
(the fresh cases the README walks through), `signoff` (sign-off queues with work waiting), `meetings`
(the CMM history) and `meeting_journeys` (a case for each CMM type), `supervision` with `discussions`
and `oversight`, `transfers_internal`, `transfers_external`, `courts`, `mappa`, and last `alerts` (the
morning's notifications). `common` holds what several of them share. All names and text are fictional.
"""
