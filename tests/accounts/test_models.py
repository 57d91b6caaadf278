"""Integrity rules of accounts.models."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Organisation, User
from accounts.roles import RoleName, role_grant
from tests.factories import OrganisationFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_ignoring_case_in_the_database():
    UserFactory(email="kontakt@cwe-chemnitz.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="Kontakt@CWE-Chemnitz.example")


def test_email_is_unique_ignoring_case_in_validation():
    UserFactory(email="kontakt@cwe-chemnitz.example")
    other = UserFactory.build(username="zweite", email="KONTAKT@cwe-chemnitz.example")

    with pytest.raises(ValidationError) as refused:
        other.full_clean()

    assert "Diese E-Mail-Adresse wird bereits verwendet." in str(refused.value)


def test_users_without_email_do_not_clash():
    UserFactory(email="")
    UserFactory(email="")

    assert User.objects.filter(email="").count() == 2


def test_only_one_lead_organisation_in_the_database():
    OrganisationFactory(name="CWE", is_lead=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(name="IHK Chemnitz", is_lead=True)


def test_only_one_lead_organisation_in_validation():
    OrganisationFactory(name="CWE", is_lead=True)
    second = OrganisationFactory.build(name="IHK Chemnitz", slug="ihk", is_lead=True)

    with pytest.raises(ValidationError) as refused:
        second.full_clean()

    assert "Es kann nur einen Konsortialführer geben." in str(refused.value)


def test_many_organisations_may_be_partners_that_do_not_lead():
    OrganisationFactory(is_lead=True)
    OrganisationFactory(is_lead=False)
    OrganisationFactory(is_lead=False)

    assert Organisation.objects.filter(is_lead=False).count() == 2


def test_working_group_comes_with_its_own_auth_group():
    group_a = WorkingGroupFactory(slug="ag-a")
    group_b = WorkingGroupFactory(slug="ag-b")

    assert group_a.group.pk != group_b.group.pk
    assert group_a.group.name == "working-group:ag-a"


def test_user_display_name_prefers_the_full_name():
    assert UserFactory(first_name="Anna", last_name="Schmidt").display_name == "Anna Schmidt"
    assert UserFactory(username="ohne", first_name="", last_name="").display_name == "ohne"


def test_working_group_member_is_in_the_group(working_group):
    user = UserFactory()

    role_grant(actor=None, role=RoleName.WORKING_GROUP_MEMBER, grantee=user, obj=working_group)

    assert list(working_group.group.user_set.all()) == [user]
