"""The rules module: facts in, policy obligations out (docs/spec/timescales.md). Pure Python, no Django.

Public API:
    compute(data) -> dict           the command's input object to its output object
    explain(ob, facts) -> str       why an obligation (computed with explain=True) is due then
    policy_table(profile_id) -> list[dict]   rows for the "Policy timescales" page
    RulesInputError                 bad input (a ValueError), one-line message naming the field
    PROFILES, DEFAULT_PROFILE       the policy profiles available
"""

from .describe import explain, policy_table
from .engine import PROFILES, compute
from .facts import RulesInputError
from .profiles import DEFAULT_PROFILE

__all__ = ["DEFAULT_PROFILE", "PROFILES", "RulesInputError", "compute", "explain", "policy_table"]
