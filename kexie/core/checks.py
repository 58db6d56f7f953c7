"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Production serves with several processes: the sign-up rate limits must be counted in
    one cache they all share, not in each process's own."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Warning(
                "The default cache is kept by each process, so the public sign-up's rate limits "
                "are counted per process.",
                hint="Set REDIS_URL (redis://host:6379/0) so that every process shares one cache.",
                id="kexie.W001",
            )
        ]
    return []
