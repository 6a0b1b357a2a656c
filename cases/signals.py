"""What happens to a child that other apps act on, without the sender knowing who listens (ADR 0008).

- `child_significant_change(child, reason, user, today)`: levels rising to High, a further offence.
  supervision prompts the locality TM about OOC / My Future oversight (001 §6.3, 000 §3.6).
- `programme_closing(programme, closure_reason)`: sent before a programme is closed, inside the
  closing transaction; a receiver refuses by raising ValidationError (supervision's closure checks,
  001 §6.3-§6.4). Sent with `send`, not `send_robust`, so a refusal stops the close.
- `work_waiting(child_id)`: sent after a commit that may have started (or ended) a step waiting on
  someone (core.registry waiting work: a transfer's endorsement, allocation or escalation; Form H).
  alerts raises "Waiting for you" notifications at once. Sent with `send_robust`: a failure there never
  undoes the saved work (the alerts sweep raises any it missed).
"""

from django.dispatch import Signal

child_significant_change = Signal()
programme_closing = Signal()
work_waiting = Signal()
