"""A real HTTP(S) server on 127.0.0.1 answering from a script (unit and integration tests)."""

import datetime
import ipaddress
import json
import os
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def self_signed(directory):
    """Write a self-signed certificate for 127.0.0.1; return (cert_path, key_path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u'iamops-test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(u'127.0.0.1'))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path = os.path.join(str(directory), 'cert.pem')
    key_path = os.path.join(str(directory), 'key.pem')
    with open(cert_path, 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return cert_path, key_path


class ScriptedServer:
    """An HTTP server on 127.0.0.1 answering from a script; it records every request it gets.

    ``script`` is a list of ``(status, body, headers)``; each request takes the next answer
    (the last one repeats). ``body`` may be a dict/list (sent as JSON) or a string. A fourth
    element ``{'delay': seconds}`` answers late, ``{'drop': True}`` closes the connection
    without an answer (after reading the request).
    """

    def __init__(self, tls_dir=None):
        self.script = []
        self.requests = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                owner.requests.append({'method': self.command, 'path': self.path,
                                       'headers': dict(self.headers), 'body': body})
                index = min(len(owner.requests), len(owner.script)) - 1
                status, payload, headers = owner.script[index][:3]
                how = owner.script[index][3] if len(owner.script[index]) > 3 else {}
                if how.get('delay'):
                    time.sleep(how['delay'])
                if how.get('drop'):  # close the connection without an answer
                    self.close_connection = True
                    return
                if isinstance(payload, (dict, list)):
                    data = json.dumps(payload).encode()
                    headers = dict({'Content-Type': 'application/json'}, **(headers or {}))
                else:
                    data = (payload or '').encode()
                    headers = dict({'Content-Type': 'text/html'}, **(headers or {}))
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header('Content-Length', str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a read-timeout test)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        scheme = 'http'
        if tls_dir:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self_signed(tls_dir))
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = 'https'
        self.url = '%s://127.0.0.1:%d' % (scheme, self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def answer(self, *script):
        self.script = list(script)
        self.requests = []

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
