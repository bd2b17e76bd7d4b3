"""Reads of jobs, limited to what the acting user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ansinh.access.models import User
from ansinh.access.roles import ORGANISATION_ROLES
from ansinh.access.scoping import has_access, scope_queryset
from ansinh.jobs.models import Job


def jobs_for_user(*, user: User) -> QuerySet[Job]:
    """The user's own jobs, plus jobs in their area; nation-level users see every job.

    A commune job is seen by users whose area covers the commune; a province job (no commune) by
    province-level users of that province; a job with neither by its creator and the nation only.
    Payment and collection agents see their own jobs only, as they see no area data without an
    organisation.
    """
    if not has_access(user):
        return Job.objects.none()
    jobs = Job.objects.select_related("created_by", "commune", "province")
    if user.area_level == User.AreaLevel.NATION and user.role_slug not in ORGANISATION_ROLES:
        return jobs
    in_area = scope_queryset(Job.objects.filter(commune__isnull=False), user).values("pk")
    visible = Q(created_by=user) | Q(pk__in=in_area)
    if user.area_level == User.AreaLevel.PROVINCES and user.role_slug not in ORGANISATION_ROLES:
        visible |= Q(commune__isnull=True, province__in=user.provinces.all())
    return jobs.filter(visible)


def job_get(*, user: User, job_id: int) -> Job | None:
    """One job the user may see, or None."""
    return jobs_for_user(user=user).filter(pk=job_id).first()
