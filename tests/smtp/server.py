"""A real SMTP server for Rightsdesk's tests, on Debian's aiosmtpd.

Run with Debian's interpreter (`/usr/bin/python3 tests/smtp/server.py ...`): the
`python3` first on PATH may be another one without the package.

Each accepted message is written to DIR as NNNN.eml (the exact bytes received)
with NNNN.json beside it ({"mail_from", "rcpt_tos"}). Prints `READY <port>` on
stdout once it listens.

Options:
  --mode starttls|tls|plain   STARTTLS required (default), implicit TLS, or none
  --cert/--key PEM            the server's certificate and key (starttls, tls)
  --auth USER:PASSWORD        require AUTH (PLAIN/LOGIN) with these credentials
  --reject-rcpt TEXT          answer 550 to any recipient containing TEXT
  --hold-data SECONDS         store the message, then wait before answering 250
                              (lets a test kill the client in between)
  --size-limit BYTES          advertise SIZE BYTES in EHLO and refuse larger messages
"""

import argparse
import asyncio
import json
import logging
import os
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, directory, reject, hold):
        self.directory = directory
        self.reject = reject
        self.hold = hold
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%04d" % self.count)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        if self.hold:
            await asyncio.sleep(self.hold)
        return "250 2.0.0 Ok: queued as TEST%04d" % self.count


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--mode", choices=["starttls", "tls", "plain"], default="starttls")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth")
    p.add_argument("--reject-rcpt")
    p.add_argument("--hold-data", type=float, default=0)
    p.add_argument("--size-limit", type=int)
    a = p.parse_args()
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    os.makedirs(a.dir, exist_ok=True)

    context = None
    if a.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and a.auth == "%s:%s" % (
            auth_data.login.decode(),
            auth_data.password.decode(),
        )
        return AuthResult(success=ok, handled=False)

    handler = Handler(a.dir, a.reject_rcpt, a.hold_data)

    limits = {} if a.size_limit is None else {"data_size_limit": a.size_limit}

    def factory():
        return SMTP(
            handler,
            **limits,
            hostname="smtp.test",
            ident="Rightsdesk test SMTP",
            tls_context=context if a.mode == "starttls" else None,
            require_starttls=a.mode == "starttls",
            authenticator=authenticator if a.auth else None,
            auth_required=bool(a.auth),
            auth_require_tls=a.mode == "starttls",
            enable_SMTPUTF8=True,
        )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(factory, "127.0.0.1", a.port, ssl=context if a.mode == "tls" else None)
    )
    print("READY %d" % a.port, flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())
