import threading

from bot.slack.notify import Notifier


def test_requests_for_one_key_within_the_settle_time_run_once():
    notifier = Notifier(settle_seconds=0.2)
    runs: list[str] = []
    lock = threading.Lock()

    def publish(who: str) -> None:
        with lock:
            runs.append(who)

    for _ in range(5):
        notifier.submit_once(("home", "T1", "UA"), publish, "UA")
    notifier.submit_once(("home", "T1", "UB"), publish, "UB")
    assert runs == [], "nothing runs before the settle time"
    notifier.drain()
    assert sorted(runs) == ["UA", "UB"]

    notifier.submit_once(("home", "T1", "UA"), publish, "UA")  # a later change runs again
    notifier.drain()
    assert sorted(runs) == ["UA", "UA", "UB"]
    notifier.shutdown()


def test_a_failing_background_send_is_logged_not_raised(caplog):
    notifier = Notifier()

    def broken() -> None:
        raise RuntimeError("boom")

    notifier.submit(broken)
    notifier.drain()
    assert "background send failed" in caplog.text
    notifier.shutdown()
