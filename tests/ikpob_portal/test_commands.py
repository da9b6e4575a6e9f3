import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ikpob_portal.kernel.editors import CHIEF_EDITOR_GROUP, EDITOR_GROUP
from tests.factories import make_editor

STRONG_PASSWORD = "vakmanschap-in-de-praktijk-2026"


@pytest.mark.django_db
def test_create_editor_creates_a_staff_account_in_the_editor_group(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", STRONG_PASSWORD)

    call_command("create_editor", "marieke", "--email", "marieke@ikpob.nl", "--noinput")

    user = get_user_model().objects.get(username="marieke")
    assert user.is_staff
    assert not user.is_superuser
    assert user.email == "marieke@ikpob.nl"
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR_GROUP]
    assert "Redacteur 'marieke' aangemaakt." in capsys.readouterr().out


@pytest.mark.django_db
def test_create_editor_hoofdredactie_puts_the_account_in_that_group(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", STRONG_PASSWORD)

    call_command("create_editor", "anna", "--hoofdredactie", "--noinput")

    user = get_user_model().objects.get(username="anna")
    assert list(user.groups.values_list("name", flat=True)) == [CHIEF_EDITOR_GROUP]
    assert user.has_perm("ikpob_portal.publish_content")
    assert "Hoofdredacteur 'anna' aangemaakt." in capsys.readouterr().out


@pytest.mark.django_db
def test_create_editor_account_can_log_in_to_the_admin(client, monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", STRONG_PASSWORD)
    call_command("create_editor", "marieke", "--noinput")

    response = client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "marieke", "password": STRONG_PASSWORD, "next": f"/{settings.ADMIN_URL}"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(f"/{settings.ADMIN_URL}", 302)]
    assert response.context["user"].username == "marieke"
    assert client.get(f"/{settings.ADMIN_URL}publications/publication/").status_code == 200
    assert client.get(f"/{settings.ADMIN_URL}auth/user/").status_code == 403


@pytest.mark.django_db
def test_create_editor_refuses_an_existing_username(monkeypatch):
    make_editor("marieke")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", STRONG_PASSWORD)

    with pytest.raises(CommandError, match="Er bestaat al een gebruiker 'marieke'"):
        call_command("create_editor", "marieke", "--noinput")

    assert get_user_model().objects.filter(username="marieke").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("123456789012345", "Dit wachtwoord bevat alleen cijfers."),
        ("password123456", "Dit wachtwoord is te algemeen."),
        ("marieke12345", "Het wachtwoord lijkt te veel op de gebruikersnaam."),
    ],
)
def test_create_editor_refuses_a_weak_password(monkeypatch, password, message):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", password)

    with pytest.raises(CommandError, match=message):
        call_command("create_editor", "marieke", "--noinput")

    assert not get_user_model().objects.filter(username="marieke").exists()


@pytest.mark.django_db
def test_create_editor_noinput_without_password_says_what_to_set(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="Zet DJANGO_EDITOR_PASSWORD"):
        call_command("create_editor", "marieke", "--noinput")

    assert not get_user_model().objects.filter(username="marieke").exists()


@pytest.mark.django_db
def test_create_editor_refuses_a_short_password_in_dutch(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "kort-wacht1")

    with pytest.raises(CommandError) as refused:
        call_command("create_editor", "marieke", "--noinput")

    assert not get_user_model().objects.filter(username="marieke").exists()
    assert "Dit wachtwoord is te kort" in str(refused.value)


@pytest.mark.django_db
def test_create_editor_ingang_makes_an_account_that_can_only_check_in(client, monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", STRONG_PASSWORD)

    call_command("create_editor", "deur", "--ingang", "--noinput")

    user = get_user_model().objects.get(username="deur")
    assert list(user.groups.values_list("name", flat=True)) == ["Ingang"]
    assert user.get_all_permissions() == {"events.check_in_registration"}
    assert "Account voor de ingang 'deur' aangemaakt." in capsys.readouterr().out


@pytest.mark.django_db
def test_create_editor_stores_the_normal_form_of_the_address_and_refuses_an_unusable_one(
    monkeypatch,
):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", STRONG_PASSWORD)

    call_command("create_editor", "marieke", "--email", "Marieke@IKPOB.\uff4el", "--noinput")
    with pytest.raises(CommandError, match="aanhalingstekens"):
        call_command("create_editor", "anna", "--email", '"anna"@ikpob.nl', "--noinput")

    assert get_user_model().objects.get(username="marieke").email == "Marieke@ikpob.nl"
    assert not get_user_model().objects.filter(username="anna").exists()


@pytest.mark.django_db
def test_reset_second_factor_refuses_an_unknown_username():
    with pytest.raises(CommandError) as refused:
        call_command("reset_second_factor", "bestaat-niet")

    assert "geen account" in str(refused.value)


@pytest.mark.django_db
def test_reset_second_factor_says_when_there_was_none(capsys):
    make_editor("marieke")

    call_command("reset_second_factor", "marieke")

    assert "had geen tweede factor" in capsys.readouterr().out
