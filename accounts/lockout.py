"""The django-axes handler: failures counted per username and address, and per address alone.

`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]` makes axes count both, but axes
(8.x) has one `AXES_FAILURE_LIMIT` for every parameter set, and on a successful sign-in it forgets every
failure that matches any of them, the address's failures against other usernames included. Against
password spraying (a few passwords tried on many accounts from one address) this handler

- locks an address after `AXES_ADDRESS_FAILURE_LIMIT` failures whatever the usernames (20 by default:
  a shared office address is not locked by a few colleagues' typing), and a username from an address
  after `AXES_FAILURE_LIMIT` (5);
- forgets, on a successful sign-in, only that username's failures from that address, so a sprayer who
  holds one real account cannot clear the count by signing in with it.

Behind reverse proxies every request comes from the proxy's address, which would lock everyone at once:
`client_address` (AXES_CLIENT_IP_CALLABLE) reads the address the furthest of TRUSTED_PROXY_COUNT
trusted proxies saw, from X-Forwarded-For (entries a client adds itself, further left, are ignored).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _address_only(parameters) -> bool:
    """Whether a lockout parameter set is the address alone."""
    return parameters in ("ip_address", ["ip_address"], ("ip_address",))


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies (each appending the
    address it received from to X-Forwarded-For) the entry that many from the right."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures that count against the limit: the highest of each parameter set's, with the
        address's scaled so that reaching AXES_ADDRESS_FAILURE_LIMIT reaches AXES_FAILURE_LIMIT."""
        limit = get_failure_limit(request, credentials)
        address_limit = max(settings.AXES_ADDRESS_FAILURE_LIMIT, 1)
        failures = 0
        for parameters, attempts in zip(
            get_lockout_parameters(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if _address_only(parameters):
                count = count * limit // address_limit
            failures = max(failures, count)
        return failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful sign-in: forget this username's failures from this address only."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted
