#!/usr/bin/python3
"""`make demo` end to end (scripts/demo.sh), unattended and smaller: history
ingested, v1 deployed with its bug, v2 replayed beside it, the diff, the
promotion and the corrected answer, v1 retired."""

import os
import re
import socket
import subprocess
import unittest

import kappa_testlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_address():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


def eur_revenue(section):
    """month -> revenue from the dashboard query's table output."""
    rows = re.findall(r"^(20\d\d-\d\d)\s+EUR\s+(-?\d+\.\d\d)\s+(\d+)\s*$", section, re.M)
    return {month: revenue for month, revenue, _ in rows}


class DemoTest(unittest.TestCase):
    def test_demo_runs_to_the_end(self):
        env = dict(os.environ, KAPPA=kappa_testlib.KAPPA, DEMO_ROWS="30000", DEMO_UNATTENDED="1",
                   DEMO_HTTP=free_address(), DEMO_KAFKA=free_address(), DEMO_PG=free_address(),
                   TERM="dumb")
        env.pop("KAPPA_SERVER", None)
        env.pop("KAPPA_DATA_DIR", None)
        proc = subprocess.run([os.path.join(ROOT, "scripts", "demo.sh")], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        out = proc.stdout
        self.assertEqual(proc.returncode, 0, out[-3000:] + proc.stderr[-3000:])
        self.assertIn("ingested 30,000 rows into payments", proc.stderr + out)
        self.assertIn("deployed revenue v1 (promoted)", out)
        self.assertIn("deployed revenue v2", out)
        self.assertRegex(out, r"only in A: 0\s+only in B: 0\s+changed: [1-9]")
        self.assertIn("promoted revenue v2", out)
        self.assertIn("retired revenue 1", out)
        before = eur_revenue(out.split("== 5.")[1].split("== 6.")[0])
        after = eur_revenue(out.split("== 9.")[1].split("== 10.")[0])
        history = [m for m in before if m.startswith("2025")]
        self.assertTrue(history, out)
        for month in history:
            # The fix subtracts refunds: every historical month's revenue drops.
            self.assertLess(float(after[month]), float(before[month]), month)
        # The server was stopped by the script's exit.
        self.assertNotIn("Traceback", proc.stderr)


if __name__ == "__main__":
    unittest.main()
