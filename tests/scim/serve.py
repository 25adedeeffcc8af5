"""``scim2-server`` (its own ``main()``: same options, same application, same threading server),
with its request log written when a response starts instead of after it ends.

wsgiref logs a request in ``ServerHandler.close()``, after the last byte was sent. On its
threading server a client may then send its next request, and that one's line may come first:
a test's barrier could be logged before the line of a request its fixture had made, so that
request counted as the module's. Here each line is written in ``send_preamble()``, before any
byte of the status line reaches the client, so a request that was answered is logged already.
The line's format is wsgiref's own (``log_request``), with ``-`` for the size not yet known.

Run with scim2-server's virtualenv Python: ``python serve.py [scim2-server options]``
(tests/scim/scim_server.py does). Only scim2-server and the standard library are used.
"""

import sys
from wsgiref import simple_server
from wsgiref.handlers import SimpleHandler

from scim2_server.testserver import cli


class LoggedFirst(simple_server.ServerHandler):
    """wsgiref's ServerHandler, logging before the response rather than after it."""

    def send_preamble(self):
        self.request_handler.log_request(self.status.split(' ', 1)[0], '-')
        super().send_preamble()

    def close(self):
        SimpleHandler.close(self)  # the line was written already


simple_server.ServerHandler = LoggedFirst  # what WSGIRequestHandler.handle() builds

if __name__ == "__main__":
    sys.argv[0] = "scim2-server"
    cli.main()
