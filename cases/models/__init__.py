"""The cases app's models, one module per area; every model and choice is importable from here.

Django finds the models through these imports: `from cases.models import Child` keeps working.
- organisation: teams, staff roles and the staff (000 §2, 001 §2, 003);
- child: the child, their programmes and orders, and the case notes (events);
- work: assessment stages, plans, contacts, allocations, leave and its cover;
- obligations: what the rules module computed, and the facts it computed them from.
"""

from .child import HIGH_LEVELS, MEDIUM_OR_ABOVE, Child, Event, EventType, Programme, RiskLevel
from .obligations import FactSnapshot, Obligation, ObligationMonth, ObligationMonthStale
from .organisation import (
    MANAGER_ROLES,
    SERVICE_WIDE_ROLES,
    EmailPreference,
    Gender,
    Role,
    StaffChange,
    Team,
    User,
)
from .work import Allocation, Assessment, Contact, Leave, LeaveCover, Plan

__all__ = [
    "HIGH_LEVELS",
    "MANAGER_ROLES",
    "MEDIUM_OR_ABOVE",
    "SERVICE_WIDE_ROLES",
    "Allocation",
    "Assessment",
    "Child",
    "Contact",
    "EmailPreference",
    "Event",
    "EventType",
    "FactSnapshot",
    "Gender",
    "Leave",
    "LeaveCover",
    "Obligation",
    "ObligationMonth",
    "ObligationMonthStale",
    "Plan",
    "Programme",
    "RiskLevel",
    "Role",
    "StaffChange",
    "Team",
    "User",
]
