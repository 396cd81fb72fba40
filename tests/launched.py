"""`wutong resolve` run through the launcher in a fresh interpreter, for tests of what it
imports (start-up cost is paid per run, so the modules a plain resolve loads matter)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping


def modules_after_resolve(args: list[str], watched: set[str],
                          env: Mapping[str, str] | None = None) -> set[str]:
    """Which of `watched` are imported once `wutong resolve ARGS` has finished."""
    program = (
        "import json, sys\n"
        "from api.launcher import main\n"
        f"sys.argv = ['wutong', 'resolve', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        f"print(json.dumps(sorted({sorted(watched)!r} & sys.modules.keys())))\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=True, env=None if env is None else dict(env))
    return set(json.loads(done.stdout.strip().splitlines()[-1]))
