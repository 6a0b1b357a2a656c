"""What every transfers page shares: the child's Transfers tab context and the form's data."""


def child_context(child, **extra) -> dict:
    """What every page of the child's Transfers tab shares."""
    return {"child": child, "tab": "transfers", **extra}


def bound(request):
    """The POST data on a POST, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None
