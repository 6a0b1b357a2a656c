"""Internal transfers, transfers in and out, caretaking agreements (003 §11-§12, App. A-B).

- `InternalTransfer`: a move between locality teams (003 §11). Responsibility stays with the original
  team and case manager until the three-way meeting (§11.7-§11.8): only then do `Child.team` and
  `Child.case_manager` change. States `transfer_agreed` (endorsed), `reallocated` (receiving team
  allocated) and `three_way_meeting_held`.
- `TransferIn`: the Transfer In Summary of App. A and its document checklist; the TM/AP's decision
  (accept on a caretaking basis, stay, reject, §12.4-§12.5). States `transfer_in_documents_received`
  and `transfer_in_requirements_confirmed`.
- `CaretakingAgreement`: App. B; review no later than three months on (§12.1). States
  `caretaking_started` and `caretaking_reviewed`.
- `HostContact`: a contact the host YJS reports for a child we are responsible for (§12.8).
- `TransferOut`: a move out of the area (§12.6, §12.9-§12.11). States `transfer_out_needed` and
  `transfer_out_requested`.
"""

from .caretaking import CaretakingAgreement
from .internal import InternalTransfer, MoveTerm
from .transfer_in import TransferIn
from .transfer_out import HostContact, TransferOut

__all__ = ["CaretakingAgreement", "HostContact", "InternalTransfer", "MoveTerm", "TransferIn", "TransferOut"]
