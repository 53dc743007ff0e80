"""The yardstick: a hello-world Flask app, served under the same gunicorn as the portal.

``gunicorn -w 2 'benchmarks.hello:create_app()'``. Its times show what the machine, the
server and the client cost on their own, in the same run as the portal's pages.
"""

from flask import Flask


def create_app() -> Flask:
    """A Flask app whose every page is a short, fixed HTML answer."""
    app = Flask(__name__)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def hello(path: str) -> str:
        return "<!doctype html><title>Hello</title><p>Hello, world!</p>"

    return app
