"""Hypothesis settings for every test tree (tests/, verifier/, guardians/, credentials/).

CI and development run on a shared 2-core machine where other processes take the CPU at any
moment: how fast Hypothesis draws examples or a test runs is no property of the code, so the
time-based health check and the per-example deadline are off everywhere. Tests keep their own
example counts.
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "evote", deadline=None, suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("evote")
