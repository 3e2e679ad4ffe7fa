import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rvcu.settings.production")


class HeadWithoutBody:
    """Answers HEAD with the headers of GET (Content-Length included) and no body.

    Django leaves the body of a HEAD answer for the server to drop (its runserver and test client
    do), and gunicorn sends whatever the application returns. Behind a proxy that keeps its
    connections to gunicorn alive, those bytes are read as the answer to the next request, which
    may be another visitor's: every answer, cached pages and files included, goes through here.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        body = self.application(environ, start_response)
        if environ.get("REQUEST_METHOD") != "HEAD":
            return body
        # Never read: a file is not opened for nothing; closing still ends the request (signals,
        # database connections) as the server would.
        close = getattr(body, "close", None)
        if close is not None:
            close()
        return []


application = HeadWithoutBody(get_wsgi_application())
