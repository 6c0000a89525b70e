"""The console over HTTP, as its own process on the seeded clinic database: sign-in, refusals,
CSRF, filters and counts, masking, exports, notes/tags/reviews and the access log."""
import csv
import io
import json
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest
from review_support import PASSWORD, Console, console_env
from sqlalchemy import func, select, update

from bot.paths import ROOT
from bot.review.schema import access_log, events, notes, reviews, sessions, tags

PAGES = ["/", "/conversations", "/conversations/1", "/dashboard", "/audit"]
DATA = ["/export.csv", "/export.json", "/api/conversations", "/api/conversations/1",
        "/api/dashboard"]
FORMS = ["/conversations/1/reviewed", "/conversations/1/notes", "/conversations/1/tags",
         "/conversations/1/tags/remove", "/conversations/1/assign", "/conversations/1/corrections",
         "/conversations/1/corrections/remove", "/logout"]


def key_of(client, sender_fragment: str) -> int:
    """A conversation's number, found through the API by what its (masked) sender shows."""
    listed = client.get("/api/conversations").json()["conversations"]
    return next(c["conversation"] for c in listed if sender_fragment in c["sender"])


def test_every_page_and_api_refuses_anonymous_access(anonymous):
    for path in PAGES:
        response = anonymous.get(path)
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/login?next=%2F"), path
    for path in DATA:
        response = anonymous.get(path)
        assert response.status_code == 401 and response.json() == {"error": "sign in first"}, path
    for path in FORMS:
        assert anonymous.post(path, data={"csrf_token": "x"}).status_code == 401, path
    anonymous.cookies.set("review_session", "forged-token")
    assert anonymous.get("/api/conversations").status_code == 401
    assert anonymous.get("/static/console.css").status_code == 200  # the only public file


def test_wrong_password_and_unknown_user_are_refused(console_url, clinic_engine):
    client = Console(console_url)
    for name, password in (("sam", "not the password"), ("nobody", PASSWORD), ("sam", "")):
        response = client.sign_in(name, password)
        assert response.status_code == 401
        assert "Wrong user name or password" in response.text
        assert "review_session" not in client.cookies
    assert client.get("/api/conversations").status_code == 401
    with clinic_engine.connect() as connection:
        failed = connection.execute(select(func.count()).select_from(access_log).where(
            access_log.c.action == "sign_in_failed", access_log.c.username == "nobody")).scalar()
    assert failed >= 1


def test_sign_in_form_needs_its_csrf_cookie(console_url):
    client = Console(console_url)
    response = client.post("/login", data={"csrf_token": "guess", "username": "sam",
                                           "password": PASSWORD})
    assert response.status_code == 403 and "review_session" not in client.cookies


def test_sign_in_sign_out(console_url):
    client = Console(console_url)
    response = client.sign_in("sam")
    assert response.status_code == 303 and response.headers["Location"] == "/conversations"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/conversations").status_code == 200
    token = client.csrf()
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/api/conversations").status_code == 401


def test_expired_sessions_are_refused(staff, clinic_engine):
    assert staff.get("/api/conversations").status_code == 200
    with clinic_engine.begin() as connection:
        connection.execute(update(sessions).values(last_seen=time.time() - 3600))
    assert staff.get("/api/conversations").status_code == 401
    assert staff.get("/conversations").status_code == 303


def test_forms_need_the_sessions_csrf_token(staff, lead, clinic_engine):
    key = key_of(staff, "erin")
    path = f"/conversations/{key}/reviewed"
    assert staff.post(path, data={"reviewed": "1"}).status_code == 403
    assert staff.post(path, data={"reviewed": "1", "csrf_token": "wrong"}).status_code == 403
    assert staff.post(path, data={"reviewed": "1", "csrf_token": lead.csrf()}).status_code == 403
    with clinic_engine.connect() as connection:
        assert connection.execute(select(reviews).where(reviews.c.sender_id == "erin")).first() is None
    ok = staff.post(path, data={"reviewed": "1", "csrf_token": staff.csrf()})
    assert ok.status_code == 303 and ok.headers["Location"] == f"/conversations/{key}"
    undo = staff.post(path, data={"reviewed": "0"}, headers={"X-CSRF-Token": staff.csrf()})
    assert undo.status_code == 303


def test_list_order_filters_and_counts(staff, now):
    everything = staff.get("/api/conversations").json()
    senders = [c["sender"] for c in everything["conversations"]]
    assert senders[:4] == ["bob-widget", "dan", "alice-web", "frank-old"]  # most urgent first
    assert senders[4:6] == ["carol-tg", "whatsapp:[phone]"]  # self_care, newest first
    assert everything["total"] == 8
    assert everything["counts"]["level"] == {"emergency_ambulance": 1, "emergency": 1,
                                             "consultation_24": 1, "consultation": 1,
                                             "self_care": 2, "none": 2}
    assert everything["counts"]["channel"] == {"rest": 5, "socketio": 1, "telegram": 1, "twilio": 1}

    def listed(**args):
        found = staff.get("/api/conversations", params=args).json()
        assert found["total"] == len(found["conversations"])
        return found

    assert [c["sender"] for c in listed(flag="dvt_signs")["conversations"]] == ["alice-web"]
    assert listed(channel="rest", level="none")["total"] == 2
    assert [c["sender"] for c in listed(q="chest pain")["conversations"]] == ["bob-widget"]
    day = lambda ts: datetime.fromtimestamp(ts, timezone.utc).date().isoformat()  # noqa: E731
    recent = listed(**{"from": day(now - 2 * 86400)})
    assert {c["sender"] for c in recent["conversations"]} >= {"alice-web", "bob-widget", "carol-tg"}
    assert not {"dan", "frank-old", "erin"} & {c["sender"] for c in recent["conversations"]}
    old = listed(to=day(now - 50 * 86400))
    assert {c["sender"] for c in old["conversations"]} == {"frank-old", "whatsapp:[phone]"}
    by_level = listed(channel="rest")["counts"]["level"]
    for level, count in by_level.items():
        assert listed(channel="rest", level=level)["total"] == count


def test_the_list_page_shows_counts_per_filter(staff):
    page = staff.get("/conversations", params={"channel": "rest"}).text
    assert '<option value="emergency">Emergency department now (1)</option>' in page
    assert '<option value="socketio">socketio (1)</option>' in page
    assert '<strong id="total">5</strong>' in page


def test_bad_filters_are_a_400(staff):
    response = staff.get("/api/conversations", params={"level": "urgent"})
    assert response.status_code == 400 and "level must be one of" in response.json()["error"]
    assert staff.get("/conversations", params={"from": "yesterday"}).status_code == 400


def test_personal_details_are_masked_and_only_leads_reveal_them(staff, lead, clinic_engine):
    key = key_of(staff, "alice")
    page = staff.get(f"/conversations/{key}").text
    assert "alice@example.com" not in page and "07700 900123" not in page and "Smith" not in page
    assert "my email is [email] and my phone is [phone]" in page
    assert "hi, my name is [name] [name]" in page
    assert staff.get(f"/conversations/{key}?reveal=1").status_code == 403
    assert staff.get("/export.csv?reveal=1").status_code == 403
    revealed = lead.get(f"/api/conversations/{key}?reveal=1").json()
    assert revealed["messages"][1]["text"] == "hi, my name is Alice Smith"
    assert "alice@example.com" in lead.get(f"/conversations/{key}?reveal=1").text
    with clinic_engine.connect() as connection:
        actions = {row.action for row in connection.execute(
            select(access_log).where(access_log.c.sender_id == "alice-web",
                                     access_log.c.username == "lena"))}
    assert "reveal" in actions


def test_conversation_view(staff):
    key = key_of(staff, "bob")
    c = staff.get(f"/api/conversations/{key}").json()
    assert (c["channel"], c["triage_level"], c["red_flags"], c["advice_topics"]) == (
        "socketio", "emergency_ambulance", ["pe_signs"], ["heat", "ice"])
    [escalation] = c["escalations"]
    assert escalation["level"] == "emergency_ambulance" and escalation["codes"] == ["pe_signs"]
    assert escalation["reason"] == "because you mentioned breathlessness or chest pain."
    assert [m["sender"] for m in c["messages"]] == ["session", "client", "bot", "client", "bot", "bot"]
    assert all(m["at"].endswith("+00:00") for m in c["messages"])
    page = staff.get(f"/conversations/{key}").text
    for shown in ("emergency_ambulance", "pe_signs", "heat, ice", "socketio",
                  "because you mentioned breathlessness or chest pain."):
        assert shown in page


def test_review_notes_and_tags_are_kept_apart_from_tracker_events(staff, clinic_engine):
    key = key_of(staff, "dan")
    with clinic_engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(events)).scalar()
    token = staff.csrf()
    path = f"/conversations/{key}"
    assert staff.post(path + "/reviewed", data={"csrf_token": token, "reviewed": "1"}).ok
    assert staff.post(path + "/notes", data={"csrf_token": token, "text": "Called back, at A&E."}).ok
    assert staff.post(path + "/tags", data={"csrf_token": token, "tag": "  Called BACK "}).ok
    assert staff.post(path + "/tags", data={"csrf_token": token, "tag": "<b>"}).status_code == 400
    assert staff.post(path + "/notes", data={"csrf_token": token, "text": " "}).status_code == 400
    with clinic_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(events)).scalar() == before
        review = connection.execute(select(reviews).where(reviews.c.sender_id == "dan")).one()
        note = connection.execute(select(notes).where(notes.c.sender_id == "dan")).one()
        tag = connection.execute(select(tags).where(tags.c.sender_id == "dan")).one()
    assert review.reviewed_by == note.author == tag.author == "sam"
    assert abs(review.reviewed_at - time.time()) < 60 and tag.tag == "called back"
    c = staff.get(f"/api/conversations/{key}").json()
    assert c["reviewed"] and c["reviewed_by"] == "sam"
    assert [n["text"] for n in c["notes"]] == ["Called back, at A&E."]
    assert [t["tag"] for t in c["tags"]] == ["called back"]
    assert staff.get("/api/conversations", params={"reviewed": "yes", "q": "called back"}).json()[
        "total"] == 1
    assert staff.post(path + "/tags/remove", data={"csrf_token": token, "tag": "called back"}).ok
    assert staff.get(f"/api/conversations/{key}").json()["tags"] == []


def test_access_log_records_who_opened_what(staff, clinic_engine):
    key = key_of(staff, "carol")
    staff.get(f"/conversations/{key}")
    with clinic_engine.connect() as connection:
        row = connection.execute(select(access_log).where(access_log.c.sender_id == "carol-tg")
                                 .order_by(access_log.c.id.desc())).first()
    assert (row.username, row.action) == ("sam", "view") and abs(row.at - time.time()) < 60
    assert "sam" in staff.get(f"/conversations/{key}").text.split("Who opened it")[1]


def test_only_leads_see_the_audit_page(staff, lead):
    assert staff.get("/audit").status_code == 403
    page = lead.get("/audit").text
    assert "Access log" in page and "Retention runs" in page


def test_csv_export_is_filtered_masked_and_safe_for_spreadsheets(staff):
    dan, token = key_of(staff, "dan"), staff.csrf()
    staff.post(f"/conversations/{dan}/reviewed", data={"csrf_token": token, "reviewed": "1"})
    staff.post(f"/conversations/{dan}/notes", data={"csrf_token": token, "text": "In the CSV."})
    response = staff.get("/export.csv", params={"channel": "rest"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="conversations-')
    rows = list(csv.DictReader(io.StringIO(response.text)))
    # the queue's order: dan, reviewed, comes after every unreviewed conversation
    assert [r["sender"] for r in rows] == ["alice-web", "frank-old", "erin", "hank", "dan"]
    assert rows[-1]["reviewed_by"] == "sam"
    assert rows[-1]["notes"].startswith("sam, ") and rows[-1]["notes"].endswith(": In the CSV.")
    alice = next(r for r in rows if r["sender"] == "alice-web")
    assert alice["first_message"] == "hi, my name is [name] [name]"
    assert alice["red_flags"] == "dvt_signs" and alice["triage_level"] == "consultation_24"
    hank = next(r for r in rows if r["sender"] == "hank")
    assert hank["first_message"].startswith("'=1+2")


def test_json_export_has_whole_conversations_masked(staff, lead):
    response = staff.get("/export.json", params={"flag": "dvt_signs"})
    document = json.loads(response.text)
    assert document["masked"] is True and document["filters"]["flag"] == "dvt_signs"
    [alice] = document["conversations"]
    texts = [m["text"] for m in alice["messages"] if m["sender"] == "client"]
    assert texts[1] == "my email is [email] and my phone is [phone]"
    assert alice["escalations"][0]["reason"].startswith("because you mentioned")
    revealed = json.loads(lead.get("/export.json", params={"flag": "dvt_signs", "reveal": "1"}).text)
    assert revealed["masked"] is False
    assert "alice@example.com" in revealed["conversations"][0]["messages"][3]["text"]


def test_exports_are_logged(staff, clinic_engine):
    staff.get("/export.csv", params={"level": "emergency"})
    with clinic_engine.connect() as connection:
        row = connection.execute(select(access_log).where(access_log.c.action == "export")
                                 .order_by(access_log.c.id.desc())).first()
    assert row.username == "sam" and row.detail.startswith("csv, 1 conversations, level=emergency")


def test_dashboard(staff, now):
    numbers = staff.get("/api/dashboard").json()
    assert numbers["total"] == 8 and numbers["escalations"] == 4
    assert sum(numbers["conversations_per_day"]) == 6  # the two 100-day-old ones are cut
    assert numbers["days_cut"] is True and len(numbers["days"]) == 92
    assert dict((c, v) for c, v in numbers["per_code"])["dvt_signs"] == [1, 1]
    assert {topic: n for topic, [n] in numbers["per_topic"]} == {
        "heat": 1, "ice": 1, "hydration": 1, "stretching": 1, "self_massage": 1}
    page = staff.get("/dashboard").text
    assert page.count("<svg") == 5 and "Most asked topics" in page
    assert "<script" not in page


def test_security_headers(staff):
    headers = staff.get("/conversations").headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_too_many_wrong_passwords_lock_the_name_for_a_while(console_url, clinic_url):
    subprocess.run([sys.executable, "-m", "bot.review.users", "add", "locky", "--role", "staff"],
                   input=PASSWORD + "\n", text=True, check=True, cwd=ROOT, env=console_env(clinic_url))
    client = Console(console_url)
    for _ in range(5):
        assert client.sign_in("locky", "wrong password!").status_code == 401
    locked = client.sign_in("locky")
    assert locked.status_code == 429 and "review_session" not in client.cookies


@pytest.mark.parametrize("path", ["/conversations/999999", "/api/conversations/999999"])
def test_unknown_conversation_is_a_404(staff, path):
    assert staff.get(path).status_code == 404
