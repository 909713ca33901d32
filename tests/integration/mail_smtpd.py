# SPDX-License-Identifier: EUPL-1.2
"""An aiosmtpd handler for tests/integration/mail.sh: each message received is written
whole (as the SMTP server got it, with the envelope in two X- headers in front) to
$MAIL_OUT/NNNN.eml, NNNN counting from 0001.

    python3 mail_smtpd.py OUTDIR PORTFILE

listens on 127.0.0.1 at a port the kernel chooses and writes that port to PORTFILE once it
listens (so no other process can hold the port the test talks to)."""
import asyncio
import os
import socket
import sys

from aiosmtpd.smtp import SMTP


class Save:
    async def handle_DATA(self, server, session, envelope):
        out = os.environ["MAIL_OUT"]
        n = len([f for f in os.listdir(out) if f.endswith(".eml")]) + 1
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        head = ("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n"
                % (envelope.mail_from, ",".join(envelope.rcpt_tos))).encode("ascii")
        tmp = os.path.join(out, "%04d.tmp" % n)
        with open(tmp, "wb") as f:
            f.write(head + data)
        os.rename(tmp, os.path.join(out, "%04d.eml" % n))
        return "250 Message accepted for delivery"



def main():
    out, portfile = sys.argv[1], sys.argv[2]
    os.environ["MAIL_OUT"] = out
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    handler = Save()
    loop.run_until_complete(loop.create_server(lambda: SMTP(handler, hostname="bereik-test"), sock=sock))
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % sock.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    loop.run_forever()


if __name__ == "__main__":
    main()
