"""A real SMTP server for tests (aiosmtpd): writes each accepted message to a folder as JSON.

Usage: /usr/bin/python3 smtp_sink.py PORT FOLDER

Fault injection, read at each command from files in FOLDER:
  reject_rcpt   one address per line: RCPT TO answered 550 (a permanent refusal)
  tempfail      a number N: the next N DATA commands are answered 451 (a temporary failure)
Each accepted message is written as NNNNNN.json: {"mail_from", "rcpt_tos", "data"} (data as sent, UTF-8).
"""
import asyncio
import json
import os
import sys
import threading

from aiosmtpd.controller import Controller

lock = threading.Lock()


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    def _read(self, name):
        path = os.path.join(self.folder, name)
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as f:
            return f.read()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rejected = (self._read("reject_rcpt") or "").split()
        if address in rejected:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with lock:
            text = self._read("tempfail")
            if text and int(text.strip() or "0") > 0:
                with open(os.path.join(self.folder, "tempfail"), "w", encoding="utf-8") as f:
                    f.write(str(int(text.strip()) - 1))
                return "451 4.3.0 Try again later"
            self.count += 1
            name = "%06d.json" % self.count
            record = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "data": envelope.content.decode("utf-8", errors="replace"),
            }
            temp = os.path.join(self.folder, name + ".tmp")
            with open(temp, "w", encoding="utf-8") as f:
                json.dump(record, f)
            os.replace(temp, os.path.join(self.folder, name))
        return "250 Message accepted"


def main():
    port = int(sys.argv[1])
    folder = sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
