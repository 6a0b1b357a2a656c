"""Forms for the cases app; area forms live in their own modules (cases.forms.assessments, ...)."""

from .core import AuditFilterForm, CaseloadFilterForm, EventCorrectionForm, EventForm

__all__ = ["AuditFilterForm", "CaseloadFilterForm", "EventCorrectionForm", "EventForm"]
