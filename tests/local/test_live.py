"""``local.live``: the local run as a subprocess, for tests and the load bench."""

from local.live import LiveServer


def test_wait_for_mail_sees_a_late_duplicate():
    """``wait_for_mail`` does not stop at the first match: it waits until no
    mail job is pending, so a duplicate still on its way is counted."""
    class Fake:
        pending_calls = 0

        def pending(self):
            self.pending_calls += 1
            busy = self.pending_calls < 3  # the duplicate's job is still in flight
            return {"visible": 0, "in_flight": int(busy), "delayed": 0, "outbox": 0}

        def outbox(self):
            mail = {"subject": "Pesanan baru WO-7K3M9Q-1"}
            return [mail, mail] if self.pending_calls >= 3 else [mail]

        wait_until_mailed = LiveServer.wait_until_mailed

    fake = Fake()
    found = LiveServer.wait_for_mail(fake, lambda m: "WO-7K3M9Q" in m["subject"], timeout=10)
    assert len(found) == 2 and fake.pending_calls == 3
