"""GET /healthz: 200 with JSON when the database answers, 503 when it does not."""

from portal import create_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"


def test_database_down(tmp_path):
    missing_folder = tmp_path / "no-such-folder" / "portal.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing_folder}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
