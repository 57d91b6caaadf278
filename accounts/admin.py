from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import lockout, roles, services
from .forms import RoleGrantForm
from .models import AuditEntry, Membership, Organisation, User, WorkingGroup
from .permissions import can_assign_roles, can_unlock_accounts


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = [
        "username", "email", "first_name", "last_name", "is_active", "login_locked", "roles_link",
    ]  # fmt: skip
    search_fields = ["username", "email", "first_name", "last_name"]
    actions = ["unlock_logins"]

    def get_queryset(self, request):
        return lockout.with_lock_state(super().get_queryset(request))

    @admin.display(description=gettext_lazy("Anmeldung gesperrt"), boolean=True)
    def login_locked(self, user: User) -> bool:
        return lockout.is_locked_out(user)

    def has_unlock_permission(self, request) -> bool:
        return can_unlock_accounts(request.user)

    @admin.action(
        description=gettext_lazy("Anmeldesperre der ausgewählten Konten aufheben"),
        permissions=["unlock"],
    )
    def unlock_logins(self, request, queryset):
        # Only accounts with failed logins on record: nothing to lift (or audit) for the rest.
        unlocked = []
        for user in queryset:
            if user.recent_failures:
                services.account_unlock(actor=request.user, user=user)
                unlocked.append(user.get_username())
        if unlocked:
            messages.success(
                request,
                _("Anmeldesperre aufgehoben für: %(names)s") % {"names": ", ".join(unlocked)},
            )
        else:
            messages.info(request, _("Keines der ausgewählten Konten hatte Fehlversuche."))

    @admin.display(description=gettext_lazy("Rollen"))
    def roles_link(self, user: User) -> str:
        url = reverse("admin:accounts_user_roles", args=[user.pk])
        return format_html('<a href="{}">{}</a>', url, _("Rollen verwalten"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/rollen/",
                self.admin_site.admin_view(self.roles_view),
                name="accounts_user_roles",
            ),
            *super().get_urls(),
        ]

    def _action_fields(self):
        from django.apps import apps

        return apps.get_model("charta", "ActionField").objects.order_by("number")

    def roles_view(self, request, pk: int):
        """Coordinators grant and revoke the roles of one person."""
        if not can_assign_roles(request.user):
            raise PermissionDenied
        person = get_object_or_404(User, pk=pk)
        form = RoleGrantForm(
            request.POST or None,
            action_fields=self._action_fields(),
            working_groups=WorkingGroup.objects.all(),
        )
        if request.method == "POST":
            revoke = request.POST.get("revoke")
            try:
                if revoke:
                    role, _sep, target = revoke.partition(":")
                    obj = self._target(roles.ROLES[roles.RoleName(role)].scope, target)
                    roles.role_revoke(actor=request.user, role=role, grantee=person, obj=obj)
                    messages.success(request, _("Rolle entzogen."))
                    return redirect(request.path)
                if form.is_valid():
                    roles.role_grant(
                        actor=request.user,
                        role=form.cleaned_data["role"],
                        grantee=person,
                        obj=form.cleaned_data["target"],
                    )
                    messages.success(request, _("Rolle vergeben."))
                    return redirect(request.path)
            except (ValidationError, KeyError, ValueError) as error:
                messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Rollen von %(name)s") % {"name": person},
            "person": person,
            "held": self._held(person),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/user/roles.html", context)

    def _target(self, scope: roles.Scope, key: str):
        if scope == roles.Scope.GLOBAL:
            return None
        if scope == roles.Scope.ACTION_FIELD:
            return get_object_or_404(self._action_fields(), pk=key)
        return get_object_or_404(WorkingGroup, pk=key)

    def _held(self, person: User) -> list[dict]:
        held = [
            {"role": roles.ROLES[name], "target": None, "key": f"{name}:"}
            for name in roles.roles_held(person)
        ]
        for field in self._action_fields():
            held += [
                {"role": roles.ROLES[name], "target": field, "key": f"{name}:{field.pk}"}
                for name in roles.roles_held(person, field)
            ]
        for group in WorkingGroup.objects.filter(group__user=person):
            name = roles.RoleName.WORKING_GROUP_MEMBER
            held.append({"role": roles.ROLES[name], "target": group, "key": f"{name}:{group.pk}"})
        return held


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_lead"]
    list_filter = ["kind", "is_lead"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.working_group_create(
            actor=request.user,
            name=obj.name,
            slug=obj.slug,
            description=obj.description,
            organisation=obj.organisation,
        )
        obj.pk, obj.group = created.pk, created.group


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: readable by coordinators, editable by nobody."""

    list_display = ["created_at", "actor_name", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
