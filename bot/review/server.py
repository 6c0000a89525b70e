"""`make review`: the clinic review console on http://REVIEW_HOST:REVIEW_PORT (127.0.0.1:5006).

It reads the tracker store's database (bot.review.database: TRACKER_DB or TRACKER_STORE=postgres)
and keeps its own review_* tables there, creating them if needed.
"""
from bot.review.config import Settings
from bot.review.database import connect, database_url
from bot.review.schema import create_console_tables
from bot.review.web import create_app


def main() -> None:
    settings = Settings.from_env()
    url = database_url()
    engine = connect(url)
    create_console_tables(engine)
    app = create_app(engine, settings)
    print(f"Clinic review console: http://{settings.host}:{settings.port}/ "
          f"(database {url.render_as_string(hide_password=True)})", flush=True)
    app.run(host=settings.host, port=settings.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
