"""Lambda handler of the weekly staff digest (EventBridge, Mondays 01.00
UTC = 08.00 WIB): ``lifecycle.weekly.run``. Returns ``{"queued": bool}``."""


def handler(event=None, context=None) -> dict:
    from lifecycle import weekly

    return {"queued": weekly.run()}
