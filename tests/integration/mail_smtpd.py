# SPDX-License-Identifier: EUPL-1.2
"""An aiosmtpd handler for tests/integration/mail.sh: each message received is written
whole (as the SMTP server got it, with the envelope in two X- headers in front) to
$MAIL_OUT/NNNN.eml, NNNN counting from 0001.

    MAIL_OUT=DIR python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c mail_smtpd.Save"""
import os


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
