"""The notifications page: each person sees their own, opens them, marks them read."""

import re
from datetime import timedelta

from portal.extensions import db
from portal.models import Notification, User
from portal.notify import notify
from portal.timeutil import utcnow


def leave(app, world, short, subject, link="", body="", minutes_ago=0):
    """Leave a notification for *short* (created *minutes_ago*); return its id."""
    with app.app_context():
        [notification] = notify(
            [db.session.get(User, world.users[short])], subject, body=body, link=link
        )
        notification.created_at = utcnow() - timedelta(minutes=minutes_ago)
        db.session.commit()
        return notification.id


def row(app, notification_id) -> Notification:
    with app.app_context():
        return db.session.get(Notification, notification_id)


def nav_text(html: str) -> list[str]:
    """The texts of the main menu's links."""
    menu = html.split('aria-label="Main menu"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r"<a[^>]*>(.*?)</a>", menu, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip() for text in links]


def test_the_page_lists_only_the_users_own_newest_first(app, world, client, login_as):
    leave(app, world, "sw_a", "Older one", minutes_ago=30)
    leave(app, world, "sw_a", "Newer one", body="Line one\nLine two", minutes_ago=5)
    leave(app, world, "sw_b", "Not for Sophie")
    login_as("sw_a")
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Not for Sophie" not in html
    assert html.index("Newer one") < html.index("Older one")
    assert html.count("govuk-tag") >= 2 and "Unread" in html
    assert 'class="govuk-body portal-pre govuk-!-margin-bottom-2">Line one\nLine two' in html
    assert "You have 2 unread notifications." in html


def test_times_are_shown_in_london_time(app, world, client, login_as):
    notification_id = leave(app, world, "sw_a", "Summer")
    with app.app_context():
        db.session.get(Notification, notification_id).created_at = utcnow().replace(
            year=2026, month=7, day=1, hour=11, minute=5
        )
        db.session.commit()
    login_as("sw_a")
    assert "1 July 2026 at 12:05" in client.get("/notifications/").get_data(as_text=True)


def test_free_text_is_escaped(app, world, client, login_as):
    leave(app, world, "sw_a", "<b>bold</b>", body="<script>alert(1)</script>")
    login_as("sw_a")
    html = client.get("/notifications/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_opening_one_marks_it_read_and_goes_to_its_link(app, world, client, login_as):
    notification_id = leave(app, world, "sw_a", "Audit submitted", link="/audits/9")
    login_as("sw_a")
    response = client.post_form(f"/notifications/{notification_id}/read")
    assert response.status_code == 302
    assert response.headers["Location"] == "/audits/9"
    assert row(app, notification_id).read_at is not None
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Unread" not in html
    assert 'href="/audits/9"' in html


def test_one_without_a_link_or_with_a_foreign_link_comes_back_to_the_list(
    app, world, client, login_as
):
    plain = leave(app, world, "sw_a", "Plain")
    foreign = leave(app, world, "sw_a", "Odd", link="//evil.example/x")
    login_as("sw_a")
    for notification_id in (plain, foreign):
        response = client.post_form(f"/notifications/{notification_id}/read")
        assert response.headers["Location"] == "/notifications/"


def test_someone_elses_notification_is_not_found(app, world, client, login_as):
    theirs = leave(app, world, "sw_b", "For Sunil", link="/audits/1")
    login_as("sw_a")
    assert client.post_form(f"/notifications/{theirs}/read").status_code == 404
    assert client.post_form("/notifications/999999/read").status_code == 404
    assert row(app, theirs).read_at is None


def test_marking_read_needs_the_csrf_token(app, world, client, login_as):
    notification_id = leave(app, world, "sw_a", "Audit submitted", link="/audits/9")
    login_as("sw_a")
    assert client.post(f"/notifications/{notification_id}/read").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert row(app, notification_id).read_at is None


def test_read_all_marks_only_the_users_own(app, world, client, login_as):
    mine = [leave(app, world, "sw_a", f"Mine {n}") for n in range(3)]
    theirs = leave(app, world, "sw_b", "Theirs")
    login_as("sw_a")
    response = client.post_form("/notifications/read-all", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "All your notifications are marked as read." in html
    assert all(row(app, n).read_at is not None for n in mine)
    assert row(app, theirs).read_at is None


def test_the_menu_shows_the_unread_count(app, world, client, login_as):
    login_as("sw_a")
    assert "Notifications" in nav_text(client.get("/").get_data(as_text=True))
    first = leave(app, world, "sw_a", "One")
    leave(app, world, "sw_a", "Two")
    leave(app, world, "sw_b", "Not counted")
    assert "Notifications (2)" in nav_text(client.get("/").get_data(as_text=True))
    client.post_form(f"/notifications/{first}/read")
    assert "Notifications (1)" in nav_text(client.get("/").get_data(as_text=True))
    client.post_form("/notifications/read-all")
    menu = nav_text(client.get("/").get_data(as_text=True))
    assert "Notifications" in menu and not any("(" in text for text in menu)


def test_every_signed_in_person_has_the_menu_item(app, world, client, login_as):
    login_as("police")
    assert "Notifications" in nav_text(client.get("/notifications/").get_data(as_text=True))


def test_the_list_is_paginated_by_50(app, world, client, login_as):
    with app.app_context():
        user = db.session.get(User, world.users["sw_a"])
        for number in range(51):
            notify([user], f"Message {number:02d}")
        db.session.commit()
    login_as("sw_a")
    first = client.get("/notifications/").get_data(as_text=True)
    second = client.get("/notifications/?page=2").get_data(as_text=True)
    assert first.count('<li class="portal-comment"') == 50
    assert second.count('<li class="portal-comment"') == 1
    assert 'href="/notifications/?page=2"' in first


def test_an_empty_list_says_so(client, login_as):
    login_as("sw_a")
    assert "You have no notifications." in client.get("/notifications/").get_data(as_text=True)


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_list_says_how_many_and_can_show_the_unread_alone(app, world, client, login_as):
    for number in range(53):
        leave(app, world, "sw_a", f"Message {number:02d}", minutes_ago=100 - number)
    read_one = leave(app, world, "sw_a", "Already seen")
    login_as("sw_a")
    client.post_form(f"/notifications/{read_one}/read")

    everything = client.get("/notifications/?page=2").get_data(as_text=True)
    unread = client.get("/notifications/?show=unread&page=2").get_data(as_text=True)
    fragment = client.get(
        "/notifications/?show=unread&page=2",
        headers={"HX-Request": "true", "HX-Target": "notification-results"},
    ).get_data(as_text=True)

    assert "51–54 of 54 notifications" in everything and "Already seen" not in everything
    assert "51–53 of 53 notifications" in unread and "Message 00" in unread
    assert 'href="/notifications/?show=unread&amp;page=1"' in unread  # links keep the filter
    assert fragment.lstrip().startswith('<div id="notification-results">')
    assert "<html" not in fragment and "51–53 of 53 notifications" in fragment


def test_with_nothing_unread_the_filter_says_so(app, world, client, login_as):
    read_one = leave(app, world, "sw_a", "Already seen")
    login_as("sw_a")
    client.post_form(f"/notifications/{read_one}/read")

    page = client.get("/notifications/?show=unread").get_data(as_text=True)

    assert "You have no unread notifications." in page and "Already seen" not in page
